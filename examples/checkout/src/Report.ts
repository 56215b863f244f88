/**
 * The checkout's report: a plain-text table, one row per step and provider.
 */
import type { StepResult } from "./Checkout.js"

const columns = [
  ["provider", (r: StepResult) => r.provider],
  ["step", (r: StepResult) => r.step],
  ["outcome", (r: StepResult) => r.outcome],
  ["status", (r: StepResult) => r.status],
  ["time", (r: StepResult) => `${r.elapsedMs} ms`],
  ["result", (r: StepResult) => r.result]
] as const

/** The rows as an aligned table, with a header and a rule. */
export const table = (rows: ReadonlyArray<StepResult>): string => {
  const cells = rows.map((row) => columns.map(([, get]) => get(row)))
  const widths = columns.map(([title], i) => Math.max(title.length, ...cells.map((c) => (c[i] ?? "").length)))
  const line = (values: ReadonlyArray<string>) =>
    values
      .map((v, i) => (i === values.length - 1 ? v : v.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd()
  return [line(columns.map(([title]) => title)), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].join("\n")
}

/** One step as it ends, for following the run live (indented, so it never reads as a table row). */
export const progress = (row: StepResult): string =>
  `  ${row.outcome === "FAILED" ? "✗" : "✓"} ${row.provider}: ${row.step} — ${row.outcome}, ${row.status} (${row.elapsedMs} ms)`

/** True when every step did what the provider's capabilities say it should. */
export const allPassed = (rows: ReadonlyArray<StepResult>): boolean => rows.every((r) => r.outcome !== "FAILED")
