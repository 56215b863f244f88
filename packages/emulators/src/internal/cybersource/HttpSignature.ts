/**
 * CyberSource HTTP Signature verification (providers/cybersource.md §1.1), written from the
 * document rather than from any client: the emulator rebuilds the signing string from what it
 * actually received — the `Host` header, the raw request target, the raw body bytes — so a client
 * that signs anything other than what it sends is refused, as the real gateway refuses it.
 *
 * Signing string: one `name: value` line per entry of the `headers="…"` list, joined by `\n`
 * with no trailing newline; `request-target` is the lowercase method, a space, and the path with
 * its query string. `signature = base64(HMAC-SHA256(base64decode(secret), signingString))`.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto"

/** The three credentials a CyberSource HTTP Signature is made with. */
export interface Credentials {
  readonly merchantId: string
  /** The API key serial (`keyid`), not the merchant id. */
  readonly keyId: string
  /** The shared secret, base64 text as issued. */
  readonly sharedSecret: string
}

/** What the verifier needs to know about a received request. */
export interface SignedRequest {
  readonly method: string
  /** Path and query exactly as received (`req.url`). */
  readonly target: string
  /** Received headers, names lowercase. */
  readonly headers: { readonly [name: string]: string | undefined }
  readonly body: Uint8Array
}

/** Verification policy. */
export interface VerifyOptions {
  /** The current time, epoch milliseconds. */
  readonly now: number
  /** Largest accepted distance between `date` and `now` (documented: 5 minutes). */
  readonly maxSkewMs: number
  /**
   * Accept what older clients send: the `(request-target)` pseudo-header (rejected by CyberSource
   * since April 2024) and dates that are not RFC 1123 but still parse.
   */
  readonly lenient: boolean
}

/** Why a request was refused; the 401 body is the same for all, the reason is kept for tests. */
export type FailureReason =
  | "missingSignature"
  | "malformedSignature"
  | "unknownKeyId"
  | "unsupportedAlgorithm"
  | "missingSignedHeader"
  | "missingHeader"
  | "merchantMismatch"
  | "digestMismatch"
  | "invalidDate"
  | "staleDate"
  | "signatureMismatch"

/** A refused request. */
export interface Failure {
  readonly reason: FailureReason
  /** Human-readable detail for diagnostics; never contains the secret or the signature. */
  readonly detail: string
}

/** Methods whose body is covered by a `digest` header. */
const bodyMethods: ReadonlySet<string> = new Set(["POST", "PUT", "PATCH"])

const RFC1123 =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/

/** `SHA-256=<base64>` of the exact body bytes, as the `digest` header carries it. */
export const digestOf = (body: Uint8Array | string): string =>
  `SHA-256=${createHash("sha256").update(body).digest("base64")}`

/** base64(HMAC-SHA256(base64decode(secret), text)). */
export const hmacBase64 = (secretBase64: string, text: string): string =>
  createHmac("sha256", Buffer.from(secretBase64, "base64")).update(text, "utf8").digest("base64")

/**
 * Parses `keyid="…", algorithm="…", headers="…", signature="…"`. Separators are lenient about
 * spaces (some clients send `keyid="..",algorithm=..`); values may be quoted or bare.
 */
export const parseSignatureHeader = (value: string): { readonly [param: string]: string } | undefined => {
  const params: Record<string, string> = {}
  const pattern = /\s*([A-Za-z]+)\s*=\s*(?:"([^"]*)"|([^,]*))\s*(?:,|$)/y
  let index = 0
  while (index < value.length) {
    pattern.lastIndex = index
    const match = pattern.exec(value)
    if (match === null || match[0].length === 0) return undefined
    const name = (match[1] ?? "").toLowerCase()
    params[name] = match[2] ?? (match[3] ?? "").trim()
    index = pattern.lastIndex
  }
  return params
}

const fail = (reason: FailureReason, detail: string): Failure => ({ reason, detail })

/** The signing string for the listed header names, from the received request. */
const signingLine = (name: string, request: SignedRequest): string | undefined => {
  if (name === "request-target" || name === "(request-target)") {
    return `${name}: ${request.method.toLowerCase()} ${request.target}`
  }
  const value = request.headers[name]
  return value === undefined ? undefined : `${name}: ${value}`
}

const equalBase64 = (a: string, b: string): boolean => {
  const left = Buffer.from(a, "utf8")
  const right = Buffer.from(b, "utf8")
  return left.length === right.length && timingSafeEqual(left, right)
}

/**
 * Verifies a request's HTTP Signature. Returns `undefined` when it is valid, otherwise the first
 * reason it is not, checked in the order a careful server would: presence and shape of the
 * signature, key and algorithm, the required signed headers, merchant, date window, digest of
 * the raw body, and finally the HMAC itself.
 */
export const verify = (
  request: SignedRequest,
  credentials: Credentials,
  options: VerifyOptions
): Failure | undefined => {
  const header = request.headers.signature
  if (header === undefined) return fail("missingSignature", "no signature header")
  const params = parseSignatureHeader(header)
  if (params === undefined) return fail("malformedSignature", "signature header does not parse")
  const keyId = params.keyid
  const algorithm = params.algorithm
  const listed = params.headers
  const signature = params.signature
  if (keyId === undefined || algorithm === undefined || listed === undefined || signature === undefined) {
    return fail("malformedSignature", "signature header lacks keyid, algorithm, headers or signature")
  }
  if (keyId !== credentials.keyId) return fail("unknownKeyId", "keyid is not a known key serial")
  if (algorithm !== "HmacSHA256") return fail("unsupportedAlgorithm", `algorithm ${algorithm} is not HmacSHA256`)

  const names = listed
    .trim()
    .split(/\s+/)
    .map((name) => name.toLowerCase())
  const method = request.method.toUpperCase()
  const targetName = options.lenient && names.includes("(request-target)") ? "(request-target)" : "request-target"
  const required = ["host", "date", targetName, "v-c-merchant-id", ...(bodyMethods.has(method) ? ["digest"] : [])]
  for (const name of required) {
    if (!names.includes(name)) return fail("missingSignedHeader", `${name} is not among the signed headers`)
  }
  for (const name of names) {
    if (name !== "request-target" && name !== "(request-target)" && request.headers[name] === undefined) {
      return fail("missingHeader", `signed header ${name} was not sent`)
    }
  }

  if (request.headers["v-c-merchant-id"] !== credentials.merchantId) {
    return fail("merchantMismatch", "v-c-merchant-id is not the configured merchant")
  }

  const date = request.headers.date ?? ""
  if (!options.lenient && !RFC1123.test(date)) return fail("invalidDate", "date is not RFC 1123")
  const sent = Date.parse(date)
  if (Number.isNaN(sent)) return fail("invalidDate", "date does not parse")
  if (Math.abs(options.now - sent) > options.maxSkewMs) return fail("staleDate", "date is outside the allowed window")

  if (names.includes("digest")) {
    const digest = request.headers.digest ?? ""
    if (!equalBase64(digest, digestOf(request.body))) return fail("digestMismatch", "digest does not match the body")
  }

  const lines: Array<string> = []
  for (const name of names) {
    const line = signingLine(name, request)
    if (line === undefined) return fail("missingHeader", `signed header ${name} was not sent`)
    lines.push(line)
  }
  const expected = hmacBase64(credentials.sharedSecret, lines.join("\n"))
  if (!equalBase64(signature, expected)) return fail("signatureMismatch", "signature does not match")
  return undefined
}
