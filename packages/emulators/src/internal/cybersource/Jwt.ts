/**
 * CyberSource JWT authentication with a shared secret (providers/cybersource.md §1.2, v2 tokens
 * as cybersource-rest-client ≥ 0.0.80 sends them with `authenticationType: "jwt"`,
 * `jwtKeyType: "SHARED_SECRET"` — the SDK README's recommended replacement for HTTP Signature):
 * `Authorization: Bearer <jwt>`, header `{alg: "HS256", kid: <API key serial>}`, signed with the
 * base64-decoded shared secret; claims `iat`, `exp` (= iat + 120), `request-host`,
 * `request-resource-path`, `request-method` (lowercase), `v-c-merchant-id`, and for
 * POST/PUT/PATCH `digest` (base64 SHA-256 of the body bytes) with `digest-algorithm: "SHA-256"`.
 * RS256 tokens (P12 certificates) are refused: the emulator holds no merchant certificate.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto"
import type { Credentials, Failure, FailureReason, SignedRequest } from "./HttpSignature.js"

const fail = (reason: FailureReason, detail: string): Failure => ({ reason, detail })

const decodeJson = (part: string): { readonly [key: string]: unknown } | undefined => {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"))
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as { readonly [key: string]: unknown })
      : undefined
  } catch {
    return undefined
  }
}

const same = (a: string, b: string): boolean => {
  const left = Buffer.from(a, "utf8")
  const right = Buffer.from(b, "utf8")
  return left.length === right.length && timingSafeEqual(left, right)
}

/** Verifies a `Bearer` JWT; `undefined` when valid, else the first reason it is not. */
export const verify = (
  request: SignedRequest,
  credentials: Credentials,
  options: { readonly now: number; readonly maxSkewMs: number }
): Failure | undefined => {
  const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? "")?.[1]
  if (token === undefined) return fail("missingSignature", "no signature header and no bearer token")
  const parts = token.split(".")
  const header = decodeJson(parts[0] ?? "")
  const claims = decodeJson(parts[1] ?? "")
  if (parts.length !== 3 || header === undefined || claims === undefined)
    return fail("malformedSignature", "bearer token is not a JWT")
  if (header.alg !== "HS256") return fail("unsupportedAlgorithm", `JWT alg ${String(header.alg)} is not HS256`)
  if (header.kid !== credentials.keyId) return fail("unknownKeyId", "JWT kid is not a known key serial")
  if (claims["v-c-merchant-id"] !== credentials.merchantId)
    return fail("merchantMismatch", "v-c-merchant-id claim is not the configured merchant")
  // In JWT mode the SDK does not override `Host` (only its HTTP Signature branch does), so behind
  // `intermediateHost` the received Host is the emulator's own; the signed claim names the gateway.
  if (typeof claims["request-host"] !== "string" || claims["request-host"] === "")
    return fail("missingSignedHeader", "request-host claim is missing")
  const method = request.method.toLowerCase()
  if (claims["request-method"] !== method) return fail("signatureMismatch", "request-method claim differs")
  const path = request.target.split("?")[0]
  if (claims["request-resource-path"] !== request.target && claims["request-resource-path"] !== path)
    return fail("signatureMismatch", "request-resource-path claim differs")
  const iat = claims.iat
  const exp = claims.exp
  if (typeof iat !== "number" || typeof exp !== "number") return fail("invalidDate", "iat/exp are not numbers")
  if (Math.abs(options.now - iat * 1000) > options.maxSkewMs || options.now > exp * 1000 + options.maxSkewMs)
    return fail("staleDate", "JWT is outside the allowed window")
  if (method === "post" || method === "put" || method === "patch") {
    const digest = createHash("sha256").update(request.body).digest("base64")
    if (claims["digest-algorithm"] !== "SHA-256" || typeof claims.digest !== "string" || !same(claims.digest, digest))
      return fail("digestMismatch", "digest claim does not match the body")
  }
  const expected = createHmac("sha256", Buffer.from(credentials.sharedSecret, "base64"))
    .update(`${parts[0]}.${parts[1]}`)
    .digest("base64url")
  if (!same(parts[2] ?? "", expected)) return fail("signatureMismatch", "JWT signature does not match")
  return undefined
}
