/**
 * SHA-256, SHA-1 and HMAC-SHA256 (FIPS 180-4, RFC 2104) in plain TypeScript: synchronous, with no
 * platform dependency, so they run the same on Node, Bun, Deno and edge workers.
 *
 * Written for speed on small inputs (request bodies, signing strings): 32-bit integer arithmetic
 * only (every sum truncated with `| 0`, rotations with `<<` / `>>>`, no BigInt), round constants
 * and message schedules in module-level `Int32Array`s (signed, so every value read stays a small
 * integer for the JIT), words read straight from the input, and no allocation per block — a digest
 * allocates only its result. The shared scratch arrays are safe because every function here runs
 * to completion synchronously and calls no user code.
 */

/** SHA-256 round constants (FIPS 180-4 §4.2.2). */
// biome-ignore format: the constants as FIPS 180-4 prints them, eight a line
const K256 = Int32Array.of(
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
)

/** SHA-256 initial hash value (FIPS 180-4 §5.3.3). */
const IV256 = Int32Array.of(
  0x6a09e667,
  0xbb67ae85,
  0x3c6ef372,
  0xa54ff53a,
  0x510e527f,
  0x9b05688c,
  0x1f83d9ab,
  0x5be0cd19
)

/** SHA-1 initial hash value (FIPS 180-4 §5.3.1). */
const IV1 = Int32Array.of(0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0)

/** Message schedules; a compression reads words 0–15 and fills the rest. */
const W256 = new Int32Array(64)
const W1 = new Int32Array(80)

/** Working hash states. */
const state = new Int32Array(8)
const state1 = new Int32Array(5)

/** One compression: folds the 16 big-endian words in `w[0..15]` into `h`. */
type Compress = (h: Int32Array, w: Int32Array) => void

const compress256: Compress = (h, w) => {
  for (let i = 16; i < 64; i++) {
    const x = w[i - 15]!
    const y = w[i - 2]!
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3)
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10)
    w[i] = (s1 + w[i - 7]! + s0 + w[i - 16]!) | 0
  }
  let a = h[0]!
  let b = h[1]!
  let c = h[2]!
  let d = h[3]!
  let e = h[4]!
  let f = h[5]!
  let g = h[6]!
  let k = h[7]!
  for (let i = 0; i < 64; i++) {
    const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))
    const t1 = (k + s1 + (g ^ (e & (f ^ g))) + K256[i]! + w[i]!) | 0
    const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))
    const t2 = (s0 + ((a & b) | (c & (a | b)))) | 0
    k = g
    g = f
    f = e
    e = (d + t1) | 0
    d = c
    c = b
    b = a
    a = (t1 + t2) | 0
  }
  h[0] = (h[0]! + a) | 0
  h[1] = (h[1]! + b) | 0
  h[2] = (h[2]! + c) | 0
  h[3] = (h[3]! + d) | 0
  h[4] = (h[4]! + e) | 0
  h[5] = (h[5]! + f) | 0
  h[6] = (h[6]! + g) | 0
  h[7] = (h[7]! + k) | 0
}

const compress1: Compress = (h, w) => {
  for (let i = 16; i < 80; i++) {
    const x = w[i - 3]! ^ w[i - 8]! ^ w[i - 14]! ^ w[i - 16]!
    w[i] = (x << 1) | (x >>> 31)
  }
  let a = h[0]!
  let b = h[1]!
  let c = h[2]!
  let d = h[3]!
  let e = h[4]!
  let i = 0
  for (; i < 20; i++) {
    const t = (((a << 5) | (a >>> 27)) + (d ^ (b & (c ^ d))) + e + 0x5a827999 + w[i]!) | 0
    e = d
    d = c
    c = (b << 30) | (b >>> 2)
    b = a
    a = t
  }
  for (; i < 40; i++) {
    const t = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + 0x6ed9eba1 + w[i]!) | 0
    e = d
    d = c
    c = (b << 30) | (b >>> 2)
    b = a
    a = t
  }
  for (; i < 60; i++) {
    const t = (((a << 5) | (a >>> 27)) + ((b & c) | (d & (b | c))) + e + 0x8f1bbcdc + w[i]!) | 0
    e = d
    d = c
    c = (b << 30) | (b >>> 2)
    b = a
    a = t
  }
  for (; i < 80; i++) {
    const t = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + 0xca62c1d6 + w[i]!) | 0
    e = d
    d = c
    c = (b << 30) | (b >>> 2)
    b = a
    a = t
  }
  h[0] = (h[0]! + a) | 0
  h[1] = (h[1]! + b) | 0
  h[2] = (h[2]! + c) | 0
  h[3] = (h[3]! + d) | 0
  h[4] = (h[4]! + e) | 0
}

/** Loads the 64-byte block at `offset` into `w[0..15]` as big-endian words. */
const load = (w: Int32Array, data: Uint8Array, offset: number): void => {
  for (let j = 0; j < 16; j++, offset += 4) {
    w[j] = (data[offset]! << 24) | (data[offset + 1]! << 16) | (data[offset + 2]! << 8) | data[offset + 3]!
  }
}

/**
 * Absorbs all of `data` into `h` and applies the final padding. `absorbed` is the number of bytes
 * already folded into `h` (a multiple of 64), counted in the encoded message length.
 */
const absorb = (compress: Compress, h: Int32Array, w: Int32Array, data: Uint8Array, absorbed: number): void => {
  const length = data.length
  const rest = length % 64
  const whole = length - rest
  for (let offset = 0; offset < whole; offset += 64) {
    load(w, data, offset)
    compress(h, w)
  }
  // The tail, the 0x80 marker and the 64-bit big-endian bit length, in one or two blocks.
  w.fill(0, 0, 16)
  for (let j = 0; j < rest; j++) {
    w[j >> 2] = w[j >> 2]! | (data[whole + j]! << (24 - ((j & 3) << 3)))
  }
  w[rest >> 2] = w[rest >> 2]! | (0x80 << (24 - ((rest & 3) << 3)))
  if (rest >= 56) {
    compress(h, w)
    w.fill(0, 0, 16)
  }
  const bytes = absorbed + length
  w[14] = Math.floor(bytes / 0x20000000)
  w[15] = bytes << 3
  compress(h, w)
}

/** The first `words` words of `h` as big-endian bytes. */
const output = (h: Int32Array, words: number): Uint8Array => {
  const out = new Uint8Array(words * 4)
  for (let i = 0, j = 0; i < words; i++, j += 4) {
    const v = h[i]!
    out[j] = v >>> 24
    out[j + 1] = v >>> 16
    out[j + 2] = v >>> 8
    out[j + 3] = v
  }
  return out
}

/** SHA-256 of `data` (32 bytes). */
export const sha256 = (data: Uint8Array): Uint8Array => {
  state.set(IV256)
  absorb(compress256, state, W256, data, 0)
  return output(state, 8)
}

/** SHA-1 of `data` (20 bytes). For interoperability (e.g. name-based identifiers), not security. */
export const sha1 = (data: Uint8Array): Uint8Array => {
  state1.set(IV1)
  absorb(compress1, state1, W1, data, 0)
  return output(state1, 5)
}

/**
 * Brand of prepared HMAC keys. `Symbol.for`, so two copies of this module recognise each other's
 * keys.
 */
export const HmacKeyTypeId: unique symbol = Symbol.for("@payport/core/Crypto/HmacKey")

/** The brand's type. */
export type HmacKeyTypeId = typeof HmacKeyTypeId

/**
 * An HMAC-SHA256 key prepared once: the SHA-256 states after absorbing the key block XOR ipad
 * and XOR opad, so each MAC skips those two compressions and the key handling.
 */
export interface HmacKey {
  readonly [HmacKeyTypeId]: { readonly inner: Int32Array; readonly outer: Int32Array }
}

/** Whether `key` is a prepared key rather than raw key bytes. */
export const isHmacKey = (key: Uint8Array | HmacKey): key is HmacKey => HmacKeyTypeId in key

/** The SHA-256 state after one block of the key (zero-padded to 64 bytes) XOR `pad`. */
const padState = (block: Uint8Array, pad: number): Int32Array => {
  const h = Int32Array.from(IV256)
  const pattern = pad * 0x01010101
  load(W256, block, 0)
  for (let j = 0; j < 16; j++) W256[j] = W256[j]! ^ pattern
  compress256(h, W256)
  return h
}

/** Prepares `key` for repeated HMAC-SHA256; keys longer than the 64-byte block are hashed first (RFC 2104). */
export const hmacKey = (key: Uint8Array): HmacKey => {
  const block = new Uint8Array(64)
  block.set(key.length > 64 ? sha256(key) : key)
  return { [HmacKeyTypeId]: { inner: padState(block, 0x36), outer: padState(block, 0x5c) } }
}

/** HMAC-SHA256 of `message` under a prepared key (32 bytes). */
export const hmacSha256WithKey = (key: HmacKey, message: Uint8Array): Uint8Array => {
  const { inner, outer } = key[HmacKeyTypeId]
  state.set(inner)
  absorb(compress256, state, W256, message, 64)
  // The outer message is the 32-byte inner digest: one block of its 8 words, 0x80, and the bit
  // length of ipad block + digest, (64 + 32) * 8.
  W256.set(state, 0)
  W256[8] = 0x80000000 | 0
  W256.fill(0, 9, 15)
  W256[15] = (64 + 32) * 8
  state.set(outer)
  compress256(state, W256)
  return output(state, 8)
}

/** HMAC-SHA256 of `message` under `key` (32 bytes). */
export const hmacSha256 = (key: Uint8Array, message: Uint8Array): Uint8Array => hmacSha256WithKey(hmacKey(key), message)
