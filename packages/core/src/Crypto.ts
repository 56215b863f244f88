/**
 * The few cryptographic primitives adapters need (SHA-256, SHA-1, HMAC-SHA256, base64, hex,
 * constant-time comparison), in plain TypeScript with no platform dependency, so core runs on
 * Node, Bun, Deno and edge workers alike.
 *
 * The hashes are synchronous. WebCrypto's are asynchronous, and each call is a round trip to the
 * runtime's thread pool (and, for HMAC, a key import) — tens of microseconds per call, on the hot
 * path of signing every request. Here a digest of a request body is a few microseconds. The
 * `Effect` functions wrap the synchronous ones (`sha256Sync`, `hmacSha256Sync`, …) for callers
 * already in an effect; a signer that reuses one key prepares it once with `hmacKey`.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Sha from "./internal/sha.js"

const encoder = new TextEncoder()

/**
 * UTF-8 bytes of text.
 *
 * @since 0.1.0
 * @category encoding
 */
export const utf8 = (text: string): Uint8Array<ArrayBuffer> => encoder.encode(text)

/**
 * Where text to hash is encoded: `encodeInto` a reused buffer avoids the allocation `encode`
 * makes on every call. Safe to share because hashing is synchronous and keeps
 * nothing; text that might not fit is encoded into a fresh array.
 */
const scratch = new Uint8Array(16 * 1024)

/** The bytes to hash: UTF-8 of text, or the bytes themselves (read, never modified or kept). */
const bytes = (data: string | Uint8Array): Uint8Array => {
  if (typeof data !== "string") return data
  // UTF-8 takes at most 3 bytes per UTF-16 code unit.
  if (data.length * 3 > scratch.length) return encoder.encode(data)
  return scratch.subarray(0, encoder.encodeInto(data, scratch).written)
}

/**
 * An HMAC-SHA256 key prepared once by `hmacKey`, for signing many messages under the same key.
 * Opaque; it holds derived key material, so treat it like the key.
 *
 * @since 0.1.0
 * @category models
 */
export interface HmacKey extends Sha.HmacKey {}

/**
 * SHA-256 of bytes or UTF-8 text, synchronously.
 *
 * @since 0.1.0
 * @category hashing
 */
export const sha256Sync = (data: string | Uint8Array): Uint8Array => Sha.sha256(bytes(data))

/**
 * SHA-256 of bytes or UTF-8 text.
 *
 * @since 0.1.0
 * @category hashing
 */
export const sha256 = (data: string | Uint8Array): Effect.Effect<Uint8Array> => Effect.sync(() => sha256Sync(data))

/**
 * SHA-1 of bytes or UTF-8 text, synchronously. SHA-1 is broken for collision resistance: use it
 * only where a format requires it (name-based identifiers, legacy provider signatures).
 *
 * @since 0.1.0
 * @category hashing
 */
export const sha1Sync = (data: string | Uint8Array): Uint8Array => Sha.sha1(bytes(data))

/**
 * SHA-1 of bytes or UTF-8 text. See `sha1Sync` for when SHA-1 is appropriate.
 *
 * @since 0.1.0
 * @category hashing
 */
export const sha1 = (data: string | Uint8Array): Effect.Effect<Uint8Array> => Effect.sync(() => sha1Sync(data))

/**
 * Prepares a key for HMAC-SHA256 once (RFC 2104: keys longer than 64 bytes are hashed first), so
 * each `hmacSha256Sync` under it skips the key handling and two of its compressions.
 *
 * @since 0.1.0
 * @category hashing
 */
export const hmacKey = (key: Uint8Array): HmacKey => Sha.hmacKey(key)

/**
 * HMAC-SHA256 of `message` under `key` (raw bytes or prepared by `hmacKey`), synchronously.
 *
 * @since 0.1.0
 * @category hashing
 */
export const hmacSha256Sync = (key: Uint8Array | HmacKey, message: string | Uint8Array): Uint8Array =>
  Sha.isHmacKey(key) ? Sha.hmacSha256WithKey(key, bytes(message)) : Sha.hmacSha256(key, bytes(message))

/**
 * HMAC-SHA256 of `message` under `key`.
 *
 * @since 0.1.0
 * @category hashing
 */
export const hmacSha256 = (key: Uint8Array, message: string | Uint8Array): Effect.Effect<Uint8Array> =>
  Effect.sync(() => hmacSha256Sync(key, message))

const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

/** Base64 of every 12-bit value: two characters per table read, two reads per 3 bytes. */
const base64Pairs = Array.from({ length: 4096 }, (_, n) => `${alphabet[n >> 6]}${alphabet[n & 63]}`)

/** The 6-bit value of each base64 character by char code (only read for validated text). */
const base64Values = new Uint8Array(128)
for (let i = 0; i < alphabet.length; i++) base64Values[alphabet.charCodeAt(i)] = i

/**
 * Standard base64 (with padding) of bytes.
 *
 * @since 0.1.0
 * @category encoding
 */
export const toBase64 = (bytes: Uint8Array): string => {
  const length = bytes.length
  const whole = length - (length % 3)
  let out = ""
  for (let i = 0; i < whole; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!
    out += base64Pairs[n >> 12]! + base64Pairs[n & 4095]!
  }
  if (length - whole === 1) {
    out += `${base64Pairs[bytes[whole]! << 4]}==`
  } else if (length - whole === 2) {
    const n = (bytes[whole]! << 10) | (bytes[whole + 1]! << 2)
    out += `${base64Pairs[n >> 6]}${alphabet[n & 63]}=`
  }
  return out
}

/**
 * Bytes of standard base64 text; `undefined` when the text is not base64.
 *
 * @since 0.1.0
 * @category encoding
 */
export const fromBase64 = (text: string): Uint8Array | undefined => {
  const clean = text.replace(/=+$/, "")
  if (!/^[A-Za-z0-9+/]*$/.test(clean) || clean.length % 4 === 1) return undefined
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4))
  let bits = 0
  let value = 0
  let index = 0
  for (let i = 0; i < clean.length; i++) {
    value = (value << 6) | base64Values[clean.charCodeAt(i)]!
    bits += 6
    if (bits >= 8) {
      bits -= 8
      out[index++] = (value >> bits) & 0xff
    }
  }
  return out
}

/** Two lowercase hex digits of every byte value. */
const hexPairs = Array.from({ length: 256 }, (_, n) => n.toString(16).padStart(2, "0"))

/**
 * Lowercase hexadecimal of bytes.
 *
 * @since 0.1.0
 * @category encoding
 */
export const toHex = (bytes: Uint8Array): string => {
  let out = ""
  for (let i = 0; i < bytes.length; i++) out += hexPairs[bytes[i]!]!
  return out
}

/**
 * Compares two strings in time that depends only on their lengths, not on where they differ.
 *
 * @since 0.1.0
 * @category comparison
 */
export const constantTimeEqual = (a: string, b: string): boolean => {
  const x = utf8(a)
  const y = utf8(b)
  let diff = x.length ^ y.length
  const length = Math.max(x.length, y.length)
  for (let i = 0; i < length; i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0)
  return diff === 0
}
