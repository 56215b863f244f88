/**
 * A small seeded generator (splitmix32) owned by this workspace, so the fault schedule depends on
 * nothing in Payport or its emulators: the same seed gives the same sequence of draws.
 */

/** A stream of uniform draws. */
export interface Prng {
  /** A uniform number in [0, 1). */
  readonly next: () => number
  /** A uniform integer in [min, max]. */
  readonly int: (min: number, max: number) => number
}

/** Combines a seed with further numbers into a new 32-bit seed (one stream per lane, per operation). */
export const mix = (seed: number, ...parts: ReadonlyArray<number>): number => {
  let h = (seed ^ 0x9e3779b9) >>> 0
  for (const part of parts) {
    h = Math.imul(h ^ (part >>> 0), 0x85ebca6b) >>> 0
    h = (h ^ (h >>> 13)) >>> 0
    h = Math.imul(h, 0xc2b2ae35) >>> 0
    h = (h ^ (h >>> 16)) >>> 0
  }
  return h
}

/** A splitmix32 stream from `seed`. */
export const make = (seed: number): Prng => {
  let state = seed >>> 0
  const next = (): number => {
    state = (state + 0x9e3779b9) >>> 0
    let z = state
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0
    z = (z ^ (z >>> 16)) >>> 0
    return z / 0x1_0000_0000
  }
  return { next, int: (min, max) => min + Math.floor(next() * (max - min + 1)) }
}
