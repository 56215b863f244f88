/**
 * Applies `EmulatorFaults` rules to requests: decides, per request, the extra latency and whether
 * the request is answered with an error, a 429, a reset connection, or handled and then dropped.
 * The emulators' server carries the decision out, with the provider's error bodies; testkit's
 * `FaultInjection` carries it out inside an `HttpClient`, so one fault plan reads the same on
 * either side of the wire.
 *
 * Deterministic: probabilities are drawn from the seeded generator only for rules that match and
 * can still fire, so the same seed and request sequence give the same faults.
 *
 * @since 0.1.0
 */
import * as EmulatorFaults from "./EmulatorFaults.js"
import * as Prng from "./Prng.js"

/**
 * What to do instead of (or after) handling the request normally.
 *
 * @since 0.1.0
 * @category models
 */
export type Action =
  | { readonly _tag: "error"; readonly status: number }
  | { readonly _tag: "rateLimit"; readonly retryAfterSeconds: number }
  | { readonly _tag: "reset" }
  | { readonly _tag: "commitThenDrop" }

/**
 * The faults that apply to one request.
 *
 * @since 0.1.0
 * @category models
 */
export interface Decision {
  readonly latencyMs: number
  readonly action: Action | undefined
}

/**
 * A rule set plus the generator that draws its probabilities.
 *
 * @since 0.1.0
 * @category models
 */
export interface Engine {
  readonly controller: EmulatorFaults.Controller
  readonly decide: (method: string, path: string) => Decision
}

interface Entry {
  readonly rule: EmulatorFaults.Rule
  remaining: number
}

const matches = (rule: EmulatorFaults.Rule, method: string, path: string): boolean => {
  const m = rule.match
  if (m === undefined) return true
  if (m.method !== undefined && m.method.toUpperCase() !== method.toUpperCase()) return false
  if (m.path === undefined) return true
  if (typeof m.path === "string") return m.path === path
  m.path.lastIndex = 0
  return m.path.test(path)
}

const actionOf = (rule: EmulatorFaults.Rule): Action | undefined => {
  switch (rule.kind) {
    case "latency":
      return undefined
    case "error":
      return { _tag: "error", status: rule.status ?? 500 }
    case "rateLimit":
      return { _tag: "rateLimit", retryAfterSeconds: rule.retryAfterSeconds ?? 1 }
    case "reset":
      return { _tag: "reset" }
    case "commitThenDrop":
      return { _tag: "commitThenDrop" }
  }
}

/**
 * An engine with the initial rules. Invalid rules are rejected by `add` with an `Error` naming the
 * problem (`EmulatorFaults.validate`).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (seed: number, initial: ReadonlyArray<EmulatorFaults.Rule> = []): Engine => {
  // A separate stream from the emulator's id generator, so adding a fault does not shift ids.
  const prng = Prng.make(seed ^ 0x5eed_fa17)
  let entries: Array<Entry> = []
  const applied: Array<EmulatorFaults.Applied> = []
  const add = (rule: EmulatorFaults.Rule): void => {
    const problem = EmulatorFaults.validate(rule)
    if (problem !== undefined) throw new Error(`invalid fault rule: ${problem}`)
    entries.push({ rule, remaining: rule.times ?? Number.POSITIVE_INFINITY })
  }
  for (const rule of initial) add(rule)
  const controller: EmulatorFaults.Controller = {
    add,
    clear: () => {
      entries = []
    },
    rules: () =>
      entries
        .filter((e) => e.remaining > 0)
        .map((e) => (e.rule.times === undefined ? e.rule : { ...e.rule, times: e.remaining })),
    applied: () => [...applied]
  }
  const decide = (method: string, path: string): Decision => {
    let latencyMs = 0
    for (const entry of entries) {
      if (entry.remaining <= 0 || !matches(entry.rule, method, path)) continue
      const p = entry.rule.probability ?? 1
      if (p < 1 && !(prng.next() < p)) continue
      entry.remaining -= 1
      applied.push({ kind: entry.rule.kind, method, path })
      const action = actionOf(entry.rule)
      if (action === undefined) latencyMs += entry.rule.latencyMs ?? 0
      else return { latencyMs, action }
    }
    return { latencyMs, action: undefined }
  }
  return { controller, decide }
}
