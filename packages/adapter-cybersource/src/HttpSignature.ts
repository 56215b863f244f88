/**
 * CyberSource HTTP Signature authentication, on WebCrypto only.
 *
 * Every request carries `host`, an RFC 1123 `date`, `v-c-merchant-id`, for POST/PUT/PATCH a
 * `digest: SHA-256=<base64 sha256 of the exact body bytes>`, and a `signature` header:
 *
 * ```
 * keyid="<key serial>", algorithm="HmacSHA256", headers="host date request-target digest v-c-merchant-id", signature="<b64>"
 * ```
 *
 * The signature is the base64 HMAC-SHA256, keyed with the base64-DECODED shared secret, of the
 * signing string: one `name: value` line per signed header, joined by `\n`, no trailing newline,
 * where `request-target` is the lowercase method, a space, and the path with its query string.
 * GET and DELETE sign no digest. The current form has no parentheses around `request-target`.
 *
 * Pure apart from WebCrypto: date and host are inputs, so the official SDK's vectors reproduce
 * bit for bit, and the emulator can verify with the same functions.
 *
 * @since 0.1.0
 */
import * as Crypto from "@payport/core/Crypto"
import { ConfigurationError } from "@payport/core/PaymentError"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"

/**
 * The algorithm name sent in the `signature` header.
 *
 * @since 0.1.0
 * @category constants
 */
export const ALGORITHM = "HmacSHA256"

/**
 * What to sign.
 *
 * @since 0.1.0
 * @category models
 */
export interface SignInput {
  /** HTTP method, any case. */
  readonly method: string
  /** The `host` header value, e.g. `apitest.cybersource.com` (or `127.0.0.1:8080`). */
  readonly host: string
  /** The path with its query string, e.g. `/tms/v2/customers/X/payment-instruments?offset=0&limit=20`. */
  readonly target: string
  /** RFC 1123 date, e.g. `Thu, 01 Jan 2026 00:00:00 GMT` (see `formatDate`). */
  readonly date: string
  readonly merchantId: string
  /** The API key serial number (the `keyid`), not the merchant id. */
  readonly keyId: string
  /** The shared secret as CyberSource issues it: base64 text. */
  readonly sharedSecret: Redacted.Redacted<string>
  /** The exact body bytes (or text, taken as UTF-8). Only digested for POST, PUT and PATCH. */
  readonly body?: Uint8Array | string | undefined
}

/**
 * The headers to add to the request. `digest` is present only for POST, PUT and PATCH.
 *
 * @since 0.1.0
 * @category models
 */
export interface SignedHeaders {
  readonly host: string
  readonly date: string
  readonly "v-c-merchant-id": string
  readonly digest?: string
  readonly signature: string
}

/**
 * Whether a method carries a body digest.
 *
 * @since 0.1.0
 * @category signing
 */
export const hasDigest = (method: string): boolean => {
  const m = method.toUpperCase()
  return m === "POST" || m === "PUT" || m === "PATCH"
}

/**
 * An RFC 1123 date (`Thu, 01 Jan 2026 00:00:00 GMT`) from epoch milliseconds.
 *
 * @since 0.1.0
 * @category signing
 */
export const formatDate = (millis: number): string => new Date(millis).toUTCString()

/**
 * The `digest` header value: `SHA-256=` and the base64 SHA-256 of the body bytes.
 *
 * @since 0.1.0
 * @category signing
 */
export const digest = (body: Uint8Array | string | undefined): Effect.Effect<string> =>
  Effect.sync(() => digestSync(body))

const digestSync = (body: Uint8Array | string | undefined): string =>
  `SHA-256=${Crypto.toBase64(Crypto.sha256Sync(body ?? ""))}`

/**
 * The names of the signed headers, in signing order.
 *
 * @since 0.1.0
 * @category signing
 */
export const signedHeaderNames = (method: string): ReadonlyArray<string> =>
  hasDigest(method)
    ? ["host", "date", "request-target", "digest", "v-c-merchant-id"]
    : ["host", "date", "request-target", "v-c-merchant-id"]

/**
 * The signing string: `name: value` lines joined by `\n`, without a trailing newline.
 *
 * @since 0.1.0
 * @category signing
 */
export const signingString = (input: {
  readonly method: string
  readonly host: string
  readonly target: string
  readonly date: string
  readonly merchantId: string
  readonly digest?: string | undefined
}): string => {
  const values: Record<string, string> = {
    host: input.host,
    date: input.date,
    "request-target": `${input.method.toLowerCase()} ${input.target}`,
    digest: input.digest ?? "",
    "v-c-merchant-id": input.merchantId
  }
  return signedHeaderNames(input.method)
    .map((name) => `${name}: ${values[name]}`)
    .join("\n")
}

/**
 * The secret's key bytes, or a `ConfigurationError` when it is not base64 (the error never
 * repeats the secret).
 *
 * @since 0.1.0
 * @category signing
 */
export const decodeSecret = (
  secret: Redacted.Redacted<string>,
  variable = "CYBERSOURCE_SHARED_SECRET"
): Effect.Effect<Uint8Array, ConfigurationError> => {
  const key = Crypto.fromBase64(Redacted.value(secret).trim())
  return key === undefined || key.length === 0
    ? Effect.fail(
        new ConfigurationError({
          provider: "cybersource",
          operation: "sign",
          variable,
          reason: "must be the base64 shared secret CyberSource issued"
        })
      )
    : Effect.succeed(key)
}

/**
 * The base64 HMAC-SHA256 of `text` under the decoded shared secret.
 *
 * @since 0.1.0
 * @category signing
 */
export const hmac = (
  sharedSecret: Redacted.Redacted<string>,
  text: string
): Effect.Effect<string, ConfigurationError> =>
  Effect.flatMap(decodeSecret(sharedSecret), (key) => Effect.map(Crypto.hmacSha256(key, text), Crypto.toBase64))

/**
 * The `signature` header value for a signing string.
 *
 * @since 0.1.0
 * @category signing
 */
export const signatureHeader = (input: {
  readonly keyId: string
  readonly method: string
  readonly signature: string
}): string =>
  `keyid="${input.keyId}", algorithm="${ALGORITHM}", headers="${signedHeaderNames(input.method).join(" ")}", signature="${input.signature}"`

/**
 * Signs a request with already-decoded key bytes (see `decodeSecret`), or better a key prepared
 * once with `Crypto.hmacKey`: the headers to add, digest included for POST/PUT/PATCH. Cannot
 * fail, so a client decodes the secret once and signs every request without an error channel.
 * Synchronous hashing (core `Crypto`): no WebCrypto key import or thread-pool hop per request.
 *
 * @since 0.1.0
 * @category signing
 */
export const signWithKey = (
  input: Omit<SignInput, "sharedSecret">,
  key: Uint8Array | Crypto.HmacKey
): Effect.Effect<SignedHeaders> => Effect.sync(() => signWithKeySync(input, key))

/**
 * `signWithKey`, synchronously (the client signs while it builds a request).
 *
 * @since 0.1.0
 * @category signing
 */
export const signWithKeySync = (
  input: Omit<SignInput, "sharedSecret">,
  key: Uint8Array | Crypto.HmacKey
): SignedHeaders => {
  const bodyDigest = hasDigest(input.method) ? digestSync(input.body) : undefined
  const text = signingString({ ...input, digest: bodyDigest })
  const signature = Crypto.toBase64(Crypto.hmacSha256Sync(key, text))
  return {
    host: input.host,
    date: input.date,
    "v-c-merchant-id": input.merchantId,
    ...(bodyDigest === undefined ? {} : { digest: bodyDigest }),
    signature: signatureHeader({ keyId: input.keyId, method: input.method, signature })
  }
}

/**
 * Signs a request: the headers to add, digest included for POST/PUT/PATCH. Fails with a
 * `ConfigurationError` when the shared secret is not base64.
 *
 * @since 0.1.0
 * @category signing
 */
export const sign = (input: SignInput): Effect.Effect<SignedHeaders, ConfigurationError> =>
  Effect.flatMap(decodeSecret(input.sharedSecret), (key) => signWithKey(input, key))
