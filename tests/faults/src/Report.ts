/**
 * The summary of a campaign: one row per discipline × operation kind (operations, faults met by
 * kind, outcomes as the caller recorded them, and the four counts), the totals the tests assert,
 * and each finding with the operation and seed that reproduce it.
 */
import type * as Campaign from "./Campaign.js"
import * as FaultProxy from "./FaultProxy.js"
import * as Operations from "./Operations.js"

/** The four counts that must be zero. */
export interface Counts {
  readonly duplicates: number
  readonly lost: number
  readonly misreported: number
  readonly crashes: number
}

/** One discipline × kind. */
export interface Row extends Counts {
  readonly discipline: Operations.Discipline
  readonly kind: Operations.Kind
  readonly operations: number
  readonly duplicateCharges: number
  readonly duplicateCaptures: number
  readonly duplicateRefunds: number
  readonly faults: ReadonlyMap<FaultProxy.FaultKind, number>
  readonly outcomes: ReadonlyMap<string, number>
  /** Seeds with at least one finding in this row. */
  readonly failingSeeds: ReadonlyArray<number>
  readonly findings: ReadonlyArray<string>
  /**
   * Duplicates by whether the proxy delivered one of the operation's POSTs twice (a duplicate no
   * client can prevent where the provider does not de-duplicate) or not (the client sent twice).
   */
  readonly duplicatesByCause: ReadonlyMap<string, number>
  /** Misreported steps by what the caller recorded, marked when a POST was delivered twice. */
  readonly misreportedAs: ReadonlyMap<string, number>
}

const bump = <K>(map: Map<K, number>, key: K, by = 1) => map.set(key, (map.get(key) ?? 0) + by)

/** Groups judged operations into one row per discipline × kind, in a fixed order. */
export const rows = (runs: ReadonlyArray<Campaign.SeedRun>): ReadonlyArray<Row> =>
  Operations.disciplines.flatMap((discipline) =>
    Operations.kinds.map((kind): Row => {
      const judged = runs.flatMap((run) =>
        run.judged.filter((j) => j.record.discipline === discipline && j.record.kind === kind)
      )
      const faults = new Map<FaultProxy.FaultKind, number>()
      const outcomes = new Map<string, number>()
      const failingSeeds = new Set<number>()
      const findings: Array<string> = []
      const duplicatesByCause = new Map<string, number>()
      const misreportedAs = new Map<string, number>()
      let duplicateCharges = 0
      let duplicateCaptures = 0
      let duplicateRefunds = 0
      let lost = 0
      let misreported = 0
      let crashes = 0
      for (const { record, verdict, faults: met } of judged) {
        for (const event of met) bump(faults, event.kind)
        bump(outcomes, Operations.outcomeOf(record))
        duplicateCharges += verdict.duplicateCharges
        duplicateCaptures += verdict.duplicateCaptures
        duplicateRefunds += verdict.duplicateRefunds
        lost += verdict.lost
        misreported += verdict.misreported
        crashes += verdict.crashed
        if (verdict.notes.length > 0) {
          failingSeeds.add(record.seed)
          const delivered = met.some((event) => event.kind === "duplicate" && event.method === "POST")
          const duplicates = verdict.duplicateCharges + verdict.duplicateCaptures + verdict.duplicateRefunds
          if (duplicates > 0) {
            bump(duplicatesByCause, delivered ? "with a POST delivered twice" : "no POST delivered twice", duplicates)
          }
          const wrong = record.steps.find((step) => step.belief === "not-applied")
          if (verdict.misreported > 0 && wrong !== undefined) {
            bump(misreportedAs, `${wrong.step}: ${wrong.outcome}${delivered ? " (a POST delivered twice)" : ""}`)
          }
          const metText = met.map((event) => `${event.kind}(${event.detail}) ${event.method} ${event.path}`).join("; ")
          findings.push(
            `${record.id} lane ${record.lane} ${discipline} ${kind}: ${verdict.notes.join("; ")}; faults: ${metText || "none"}`
          )
        }
      }
      return {
        discipline,
        kind,
        operations: judged.length,
        duplicates: duplicateCharges + duplicateCaptures + duplicateRefunds,
        duplicateCharges,
        duplicateCaptures,
        duplicateRefunds,
        lost,
        misreported,
        crashes,
        faults,
        outcomes,
        failingSeeds: [...failingSeeds].sort((a, b) => a - b),
        findings,
        duplicatesByCause,
        misreportedAs
      }
    })
  )

/** The four counts over every row, with unhandled rejections counted as crashes. */
export const totals = (runs: ReadonlyArray<Campaign.SeedRun>, all: ReadonlyArray<Row>): Counts => ({
  duplicates: all.reduce((sum, row) => sum + row.duplicates, 0),
  lost: all.reduce((sum, row) => sum + row.lost, 0),
  misreported: all.reduce((sum, row) => sum + row.misreported, 0),
  crashes: all.reduce((sum, row) => sum + row.crashes, 0) + runs.reduce((sum, run) => sum + run.unhandledRejections, 0)
})

/** The counts of one row, as the tests compare them with zero. */
export const counts = (row: Row): Counts => ({
  duplicates: row.duplicates,
  lost: row.lost,
  misreported: row.misreported,
  crashes: row.crashes
})

const list = (map: ReadonlyMap<string, number>) =>
  [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([key, count]) => `${key} ${count}`)
    .join(", ")

const pad = (text: string | number, width: number) => String(text).padEnd(width)
const padLeft = (text: string | number, width: number) => String(text).padStart(width)

/** Most findings printed per row; the counts cover them all. */
const FINDINGS_SHOWN = 6

/** The summary table of one provider's campaign, and its findings. */
export const format = (options: Campaign.Options, runs: ReadonlyArray<Campaign.SeedRun>): string => {
  const all = rows(runs)
  const total = totals(runs, all)
  const requests = runs.reduce((sum, run) => sum + run.requests, 0)
  const faulted = runs.reduce((sum, run) => sum + run.faulted, 0)
  const millis = runs.reduce((sum, run) => sum + run.millis, 0)
  const operations = all.reduce((sum, row) => sum + row.operations, 0)
  const lines = [
    `${options.provider}: ${operations} operations, seeds ${options.seeds.join(",")} (${options.opsPerSeed} each, ${options.lanes} lanes), ` +
      `${requests} requests, ${faulted} faulted (${((100 * faulted) / Math.max(1, requests)).toFixed(1)}%), ${(millis / 1000).toFixed(1)} s`,
    `${pad("discipline", 16)} ${pad("operation", 13)} ${padLeft("ops", 5)} ${padLeft("dup", 4)} ${padLeft("lost", 4)} ${padLeft("misrep", 6)} ${padLeft("crash", 5)}  faults | outcomes`
  ]
  for (const row of all) {
    const faults = new Map(
      FaultProxy.kinds.flatMap((kind) => (row.faults.has(kind) ? [[kind, row.faults.get(kind) ?? 0]] : []))
    )
    const dup =
      row.duplicates === 0
        ? "0"
        : `${row.duplicates} (${row.duplicateCharges} charge, ${row.duplicateCaptures} capture, ${row.duplicateRefunds} refund)`
    lines.push(
      `${pad(row.discipline, 16)} ${pad(row.kind, 13)} ${padLeft(row.operations, 5)} ${padLeft(row.duplicates, 4)} ${padLeft(row.lost, 4)} ${padLeft(row.misreported, 6)} ${padLeft(row.crashes, 5)}  ` +
        `${[...faults.entries()].map(([kind, count]) => `${kind} ${count}`).join(", ")} | ${list(row.outcomes)}`
    )
    if (row.duplicates > 0) lines.push(`${" ".repeat(36)}duplicates: ${dup}`)
  }
  lines.push(
    `total: ${total.duplicates} duplicates, ${total.lost} lost, ${total.misreported} misreported, ${total.crashes} crashes` +
      ` (${runs.reduce((sum, run) => sum + run.unhandledRejections, 0)} unhandled rejections)`
  )
  for (const row of all) {
    if (row.findings.length === 0) continue
    lines.push(`findings, ${row.discipline} ${row.kind} (seeds ${row.failingSeeds.join(",")}):`)
    if (row.duplicates > 0) lines.push(`  duplicates: ${list(row.duplicatesByCause)}`)
    if (row.misreported > 0) lines.push(`  misreported as: ${list(row.misreportedAs)}`)
    for (const finding of row.findings.slice(0, FINDINGS_SHOWN)) lines.push(`  ${finding}`)
    if (row.findings.length > FINDINGS_SHOWN) lines.push(`  … and ${row.findings.length - FINDINGS_SHOWN} more`)
  }
  return lines.join("\n")
}
