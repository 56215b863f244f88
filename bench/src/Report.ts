/** Aggregates repetitions into medians and spreads, computes the ratios, and prints the tables. */
import type { BundleSize, Form } from "./Build.js"
import type { ProfileSummary } from "./Profile.js"
import { type Contender, contenders, describe, type Measurement, type Operation } from "./Protocol.js"
import { type Summary, spread, summarize } from "./Stats.js"

/** The figures of one contender on one operation at one concurrency, over the repetitions. */
export interface Row {
  readonly operation: Operation
  readonly concurrency: number
  readonly contender: Contender
  readonly cpuUsPerOp: Summary
  readonly p50Ms: Summary
  readonly p99Ms: Summary
  readonly opsPerSec: Summary
  readonly peakRssMb: Summary
  readonly requestsPerOp: number | null
  readonly repetitions: ReadonlyArray<Measurement>
}

/** Payport against the floor and the SDK on one operation at one concurrency (medians). */
export interface Ratio {
  readonly operation: Operation
  readonly concurrency: number
  readonly cpuPayportOverFloor: number
  /** Against the same requests on `node:http` (`floor-http`, the physical floor). */
  readonly cpuPayportOverNodeHttp: number
  readonly cpuPayportOverSdk: number
  /** Against the floor sending Payport's requests (`floor-same`; the floor where they are the same). */
  readonly cpuPayportOverSameRequests: number
  readonly p50PayportOverFloor: number
  readonly p50PayportOverSdk: number
  readonly opsPerSecPayportOverFloor: number
  readonly opsPerSecPayportOverSdk: number
}

/** A cold start figure: ms from spawn to the first request byte. */
export interface ColdStart {
  readonly contender: Contender
  readonly operation: Operation
  /** The program as one bundled file, or loading its dependencies from node_modules. */
  readonly form: Form
  readonly ms: Summary
  readonly samples: ReadonlyArray<number>
}

/** The JSON written under results/. */
export interface Results {
  readonly date: string
  readonly machine: { readonly nproc: number; readonly memory: string; readonly cpu: string; readonly node: string }
  readonly settings: {
    readonly quick: boolean
    readonly ops: number
    readonly warmup: number
    readonly reps: number
    readonly concurrency: ReadonlyArray<number>
  }
  readonly rows: ReadonlyArray<Row>
  readonly ratios: ReadonlyArray<Ratio>
  readonly coldStart: ReadonlyArray<ColdStart>
  readonly bundles: ReadonlyArray<BundleSize>
  readonly profiles: ReadonlyArray<ProfileSummary>
}

/** Groups measurements into rows. */
export const rows = (measurements: ReadonlyArray<Measurement>): ReadonlyArray<Row> => {
  const groups = new Map<string, Array<Measurement>>()
  for (const m of measurements) {
    const key = `${m.operation}|${m.concurrency}|${m.contender}`
    groups.set(key, [...(groups.get(key) ?? []), m])
  }
  return [...groups.values()].map((reps) => {
    const first = reps[0] as Measurement
    const pick = (f: (m: Measurement) => number) => summarize(reps.map(f))
    return {
      operation: first.operation,
      concurrency: first.concurrency,
      contender: first.contender,
      cpuUsPerOp: pick((m) => m.cpuUsPerOp),
      p50Ms: pick((m) => m.p50Ms),
      p99Ms: pick((m) => m.p99Ms),
      opsPerSec: pick((m) => m.opsPerSec),
      peakRssMb: pick((m) => m.peakRssMb),
      requestsPerOp: first.requestsPerOp,
      repetitions: reps
    }
  })
}

/** Payport's ratios for every operation and concurrency that has all three contenders. */
export const ratios = (all: ReadonlyArray<Row>): ReadonlyArray<Ratio> => {
  const out: Array<Ratio> = []
  for (const row of all) {
    if (row.contender !== "payport") continue
    const other = (c: Contender) =>
      all.find((r) => r.operation === row.operation && r.concurrency === row.concurrency && r.contender === c)
    const floor = other("floor")
    const sdk = other("sdk")
    if (floor === undefined || sdk === undefined) continue
    const same = other("floor-same") ?? floor
    const nodeHttp = other("floor-http")
    out.push({
      operation: row.operation,
      concurrency: row.concurrency,
      cpuPayportOverFloor: row.cpuUsPerOp.median / floor.cpuUsPerOp.median,
      cpuPayportOverNodeHttp: row.cpuUsPerOp.median / (nodeHttp?.cpuUsPerOp.median ?? Number.NaN),
      cpuPayportOverSdk: row.cpuUsPerOp.median / sdk.cpuUsPerOp.median,
      cpuPayportOverSameRequests: row.cpuUsPerOp.median / same.cpuUsPerOp.median,
      p50PayportOverFloor: row.p50Ms.median / floor.p50Ms.median,
      p50PayportOverSdk: row.p50Ms.median / sdk.p50Ms.median,
      opsPerSecPayportOverFloor: row.opsPerSec.median / floor.opsPerSec.median,
      opsPerSecPayportOverSdk: row.opsPerSec.median / sdk.opsPerSec.median
    })
  }
  return out
}

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : "—")
const withSpread = (s: Summary, digits = 0) => `${fmt(s.median, digits)} ±${fmt(spread(s))}%`

const table = (header: ReadonlyArray<string>, body: ReadonlyArray<ReadonlyArray<string>>): string => {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? "").length)))
  const line = (cells: ReadonlyArray<string>) =>
    `| ${cells.map((c, i) => (i < 3 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(" | ")} |`
  return [line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...body.map(line)].join("\n")
}

/** The printed report. */
export const render = (results: Results): string => {
  const order = (r: Row) => `${r.operation}|${String(r.concurrency).padStart(3)}|${contenders.indexOf(r.contender)}`
  const sorted = [...results.rows].sort((a, b) => order(a).localeCompare(order(b)))
  const main = table(
    ["operation", "conc", "contender", "CPU µs/op", "p50 ms", "p99 ms", "ops/s", "peak RSS MB", "req/op"],
    sorted.map((r) => [
      r.operation,
      String(r.concurrency),
      r.contender,
      withSpread(r.cpuUsPerOp),
      withSpread(r.p50Ms, 2),
      withSpread(r.p99Ms, 2),
      withSpread(r.opsPerSec),
      fmt(r.peakRssMb.median),
      r.requestsPerOp === null ? "n/a" : fmt(r.requestsPerOp, 1)
    ])
  )
  const ratioTable = table(
    [
      "operation",
      "conc",
      "",
      "CPU P/floor",
      "CPU P/node:http",
      "CPU P/same req",
      "CPU P/SDK",
      "p50 P/floor",
      "p50 P/SDK",
      "ops/s P/floor",
      "ops/s P/SDK"
    ],
    results.ratios.map((r) => [
      r.operation,
      String(r.concurrency),
      "",
      fmt(r.cpuPayportOverFloor, 2),
      fmt(r.cpuPayportOverNodeHttp, 2),
      fmt(r.cpuPayportOverSameRequests, 2),
      fmt(r.cpuPayportOverSdk, 2),
      fmt(r.p50PayportOverFloor, 2),
      fmt(r.p50PayportOverSdk, 2),
      fmt(r.opsPerSecPayportOverFloor, 2),
      fmt(r.opsPerSecPayportOverSdk, 2)
    ])
  )
  const cold = table(
    ["operation", "contender", "program", "cold start ms (median ±spread)"],
    results.coldStart.map((c) => [c.operation, c.contender, c.form, withSpread(c.ms)])
  )
  const bundles = table(
    ["program", "", "", "minified KB", "gzipped KB"],
    results.bundles.map((b) => [b.program, "", "", fmt(b.minifiedBytes / 1024, 1), fmt(b.gzippedBytes / 1024, 1)])
  )
  const legend = Object.entries(describe)
    .map(([op, text]) => `  ${op}: ${text}`)
    .join("\n")
  const profiles = results.profiles
    .map(
      (p) =>
        `Profile ${p.file} (measured loop only, ${fmt(p.totalMs)} ms sampled)\n` +
        p.byOrigin.map((f) => `  ${fmt(f.selfPercent, 1).padStart(5)}%  ${f.name}`).join("\n") +
        "\n  top functions (self):\n" +
        p.topFunctions.map((f) => `  ${fmt(f.selfPercent, 1).padStart(5)}%  ${f.name}`).join("\n")
    )
    .join("\n\n")
  const s = results.settings
  return [
    `Payport bench — ${results.date} — ${results.machine.nproc} CPUs (${results.machine.cpu}), ${results.machine.memory}, Node ${results.machine.node}`,
    `${s.quick ? "quick, " : ""}${s.ops} ops (+${s.warmup} warm-up) per process, ${s.reps} repetition(s); medians ±half-range`,
    legend,
    "",
    main,
    "",
    "Ratios (medians; P = Payport; CPU and p50 lower is better, ops/s higher is better; floor = fetch, node:http = floor-http, the same requests on node:http; same req = against floor-same, the floor sending Payport's requests, where they differ)",
    ratioTable,
    "",
    cold,
    "",
    bundles,
    ...(profiles === "" ? [] : ["", profiles])
  ].join("\n")
}
