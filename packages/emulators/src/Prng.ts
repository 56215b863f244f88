/**
 * A small seeded pseudo-random generator (mulberry32) for emulators and test doubles: ids, tokens,
 * cryptograms and fault probabilities are the same on every run with the same seed and the same
 * request sequence. Not for cryptography. `make` is stateful; `step`, `digits` and `bytes` are pure
 * (the caller threads the state, e.g. through a `Ref`).
 *
 * @since 0.1.0
 */

/**
 * A stateful seeded generator.
 *
 * @since 0.1.0
 * @category models
 */
export interface Prng {
  /** A float in [0, 1). */
  readonly next: () => number
  /** An integer in [0, bound). */
  readonly int: (bound: number) => number
  /** `count` decimal digits (the first may be 0). */
  readonly digits: (count: number) => string
  /** `count` lower-case hex characters. */
  readonly hex: (count: number) => string
  /** `count` characters from `alphabet`. */
  readonly chars: (count: number, alphabet: string) => string
  /** `count` random bytes. */
  readonly bytes: (count: number) => Uint8Array
  /** A version-4-shaped UUID. */
  readonly uuid: () => string
}

/**
 * One mulberry32 step, pure: the value in [0, 2^32) and the next state.
 *
 * @since 0.1.0
 * @category pure
 */
export const step = (state: number): readonly [value: number, state: number] => {
  const s = (state + 0x6d2b79f5) | 0
  let t = Math.imul(s ^ (s >>> 15), 1 | s)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return [(t ^ (t >>> 14)) >>> 0, s]
}

/**
 * A generator seeded with `seed` (any number; only its low 32 bits matter).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (seed: number): Prng => {
  let state = seed | 0
  const next32 = (): number => {
    const [value, next] = step(state)
    state = next
    return value
  }
  const int = (bound: number): number => next32() % Math.max(1, Math.floor(bound))
  const chars = (count: number, alphabet: string): string => {
    let out = ""
    for (let i = 0; i < count; i++) out += alphabet[int(alphabet.length)]
    return out
  }
  const hex = (count: number): string => chars(count, "0123456789abcdef")
  return {
    next: () => next32() / 0x1_0000_0000,
    int,
    digits: (count) => chars(count, "0123456789"),
    hex,
    chars,
    bytes: (count) => {
      const out = new Uint8Array(count)
      for (let i = 0; i < count; i++) out[i] = next32() & 0xff
      return out
    },
    uuid: () => `${hex(8)}-${hex(4)}-4${hex(3)}-${"89ab"[int(4)]}${hex(3)}-${hex(12)}`
  }
}

/**
 * `count` decimal digits from `state`, pure: the digits and the next state.
 *
 * @since 0.1.0
 * @category pure
 */
export const digits = (state: number, count: number): readonly [value: string, state: number] => {
  let out = ""
  let s = state
  for (let i = 0; i < count; i++) {
    const [v, n] = step(s)
    out += String(v % 10)
    s = n
  }
  return [out, s]
}

/**
 * `count` bytes from `state`, pure: the bytes and the next state.
 *
 * @since 0.1.0
 * @category pure
 */
export const bytes = (state: number, count: number): readonly [value: Uint8Array, state: number] => {
  const out = new Uint8Array(count)
  let s = state
  for (let i = 0; i < count; i++) {
    const [v, n] = step(s)
    out[i] = v & 0xff
    s = n
  }
  return [out, s]
}

/**
 * The Luhn check digit that makes `partial + digit` pass the Luhn check.
 *
 * @since 0.1.0
 * @category pure
 */
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
