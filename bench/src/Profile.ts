/**
 * Summarises a V8 `.cpuprofile` (from `node --cpu-prof`): self time per function and per
 * origin (Payport core, adapters, effect, @effect/platform, node internals, GC).
 */
import { readFileSync } from "node:fs"

interface ProfileNode {
  readonly id: number
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number }
}

interface CpuProfile {
  /** Monotonic clock, µs (the clock `process.hrtime` reads on Linux). */
  readonly startTime: number
  readonly nodes: ReadonlyArray<ProfileNode>
  readonly samples: ReadonlyArray<number>
  readonly timeDeltas: ReadonlyArray<number>
}

/** One line of the summary: share of sampled time, in percent. */
export interface Frame {
  readonly name: string
  readonly selfPercent: number
}

/** The top functions and origins by self time. */
export interface ProfileSummary {
  readonly file: string
  readonly totalMs: number
  readonly topFunctions: ReadonlyArray<Frame>
  readonly byOrigin: ReadonlyArray<Frame>
}

const origins: ReadonlyArray<readonly [RegExp, string]> = [
  [/\/packages\/core\//, "@payport/core"],
  [/\/packages\/adapter-[a-z]+\//, "@payport adapters"],
  [/\/packages\/http-node\//, "@payport/http-node"],
  [/node_modules\/effect\//, "effect"],
  [/node_modules\/@effect\/platform\//, "@effect/platform"],
  [/^node:|^internal\//, "node internals (undici, streams, crypto)"],
  [/\.build\/|\/bench\//, "bench harness"]
]

const originOf = (node: ProfileNode): string => {
  const { url, functionName } = node.callFrame
  if (url === "") return functionName.startsWith("(") ? functionName : "native"
  return origins.find(([pattern]) => pattern.test(url))?.[1] ?? "other"
}

const shortUrl = (url: string): string => {
  const i = url.search(/packages\/|node_modules\//)
  return i >= 0 ? url.slice(i).replace(/^node_modules\//, "") : url
}

/** Reads and summarises a profile; only samples within `window` (monotonic µs) when given. */
export const summarize = (file: string, window?: readonly [number, number], top = 15): ProfileSummary => {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const selfUs = new Map<number, number>()
  let at = profile.startTime
  for (const [i, id] of profile.samples.entries()) {
    const delta = profile.timeDeltas[i] ?? 0
    at += delta
    if (window !== undefined && (at < window[0] || at > window[1])) continue
    selfUs.set(id, (selfUs.get(id) ?? 0) + delta)
  }
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0)
  const functions = new Map<string, number>()
  const originTotals = new Map<string, number>()
  for (const [id, us] of selfUs) {
    const node = byId.get(id)
    if (node === undefined) continue
    const f = node.callFrame
    const name = `${f.functionName || "(anonymous)"} ${shortUrl(f.url)}${f.url === "" ? "" : `:${f.lineNumber + 1}`}`
    functions.set(name, (functions.get(name) ?? 0) + us)
    const origin = originOf(node)
    originTotals.set(origin, (originTotals.get(origin) ?? 0) + us)
  }
  const ranked = (m: Map<string, number>, n: number): ReadonlyArray<Frame> =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, us]) => ({ name, selfPercent: total === 0 ? 0 : (us / total) * 100 }))
  return { file, totalMs: total / 1000, topFunctions: ranked(functions, top), byOrigin: ranked(originTotals, 12) }
}
