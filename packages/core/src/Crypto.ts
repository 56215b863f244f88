/**
 * The few cryptographic primitives adapters need (SHA-256, HMAC-SHA256, base64, constant-time
 * comparison), on WebCrypto only, so core runs on Node, Bun, Deno and edge workers alike.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"

const encoder = new TextEncoder()

/**
 * UTF-8 bytes of text.
 *
 * @since 0.1.0
 * @category encoding
 */
export const utf8 = (text: string): Uint8Array<ArrayBuffer> => encoder.encode(text)

/** A copy backed by a plain `ArrayBuffer`, as WebCrypto's types require. */
const bytes = (data: string | Uint8Array): Uint8Array<ArrayBuffer> =>
  typeof data === "string" ? utf8(data) : new Uint8Array(data)

/**
 * SHA-256 of bytes or UTF-8 text.
 *
 * @since 0.1.0
 * @category hashing
 */
export const sha256 = (data: string | Uint8Array): Effect.Effect<Uint8Array> =>
  Effect.promise(() => globalThis.crypto.subtle.digest("SHA-256", bytes(data))).pipe(
    Effect.map((buffer) => new Uint8Array(buffer))
  )

/**
 * HMAC-SHA256 of `message` under `key`.
 *
 * @since 0.1.0
 * @category hashing
 */
export const hmacSha256 = (key: Uint8Array, message: string | Uint8Array): Effect.Effect<Uint8Array> =>
  Effect.promise(async () => {
    const cryptoKey = await globalThis.crypto.subtle.importKey(
      "raw",
      bytes(key),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"]
    )
    return new Uint8Array(await globalThis.crypto.subtle.sign("HMAC", cryptoKey, bytes(message)))
  })

const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

/**
 * Standard base64 (with padding) of bytes.
 *
 * @since 0.1.0
 * @category encoding
 */
export const toBase64 = (bytes: Uint8Array): string => {
  let out = ""
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i] ?? 0
    const b = bytes[i + 1] ?? 0
    const c = bytes[i + 2] ?? 0
    const n = (a << 16) | (b << 8) | c
    out += alphabet[(n >> 18) & 63]
    out += alphabet[(n >> 12) & 63]
    out += i + 1 < bytes.length ? alphabet[(n >> 6) & 63] : "="
    out += i + 2 < bytes.length ? alphabet[n & 63] : "="
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
  for (const char of clean) {
    value = (value << 6) | alphabet.indexOf(char)
    bits += 6
    if (bits >= 8) {
      bits -= 8
      out[index++] = (value >> bits) & 0xff
    }
  }
  return out
}

/**
 * Lowercase hexadecimal of bytes.
 *
 * @since 0.1.0
 * @category encoding
 */
export const toHex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")

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
