/**
 * A tiny seeded generator (mulberry32) so the in-memory provider's "random" values — token PANs,
 * cryptograms — are the same on every run with the same seed. Pure: the state is a number the
 * caller threads through, which keeps the provider's state a plain value inside a `Ref`.
 */
import { step } from "./emulator/Prng.js"

/** One step: the next state and a value in [0, 2^32). */
export const next = step

/** `count` decimal digits. */
export const digits = (state: number, count: number): readonly [value: string, state: number] => {
  let out = ""
  let s = state
  for (let i = 0; i < count; i++) {
    const [v, n] = next(s)
    out += String(v % 10)
    s = n
  }
  return [out, s]
}

/** `count` random bytes. */
export const bytes = (state: number, count: number): readonly [value: Uint8Array, state: number] => {
  const out = new Uint8Array(count)
  let s = state
  for (let i = 0; i < count; i++) {
    const [v, n] = next(s)
    out[i] = v & 0xff
    s = n
  }
  return [out, s]
}

/** The Luhn check digit that makes `partial + digit` pass the Luhn check. */
export const luhnCheckDigit = (partial: string): string => {
  let sum = 0
  for (let i = 0; i < partial.length; i++) {
    // Positions counted from the right once the check digit is appended: the rightmost partial
    // digit is doubled.
    let d = partial.charCodeAt(partial.length - 1 - i) - 48
    if (i % 2 === 0) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
  }
  return String((10 - (sum % 10)) % 10)
}
