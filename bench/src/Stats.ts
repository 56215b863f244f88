/** Order statistics for the measurements and their repetitions. */

/** The `q` quantile (0–1) of an ascending array, nearest rank. */
export const percentile = (sorted: ArrayLike<number>, q: number): number => {
  if (sorted.length === 0) return Number.NaN
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))
  return sorted[rank] ?? Number.NaN
}

/** Median, minimum and maximum of repeated figures. */
export interface Summary {
  readonly median: number
  readonly min: number
  readonly max: number
}

/** Summarises repetitions of one figure. */
export const summarize = (values: ReadonlyArray<number>): Summary => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  const median =
    sorted.length % 2 === 1
      ? (sorted[mid] ?? Number.NaN)
      : ((sorted[mid - 1] ?? Number.NaN) + (sorted[mid] ?? Number.NaN)) / 2
  return { median, min: sorted[0] ?? Number.NaN, max: sorted[sorted.length - 1] ?? Number.NaN }
}

/** Spread of repetitions as ± half the range relative to the median, in percent. */
export const spread = (s: Summary): number => (s.median === 0 ? 0 : ((s.max - s.min) / 2 / s.median) * 100)
