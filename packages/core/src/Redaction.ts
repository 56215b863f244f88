/**
 * Keeping card data and secrets out of logs, spans and errors.
 *
 * Secrets and card data are `Redacted` until the last moment. What cannot be typed away — a
 * provider's response body kept for diagnosis, request headers — passes through here: `scrub`
 * masks card numbers and the values of sensitive JSON fields; `redactHeaders` blanks secret
 * headers. The header list is what adapters add to `@effect/platform`'s `currentRedactedNames`.
 *
 * @since 0.1.0
 */
import * as Redacted from "effect/Redacted"
import { luhn } from "./PaymentMethod.js"

/**
 * Header names whose values are secrets, for every supported provider.
 *
 * @since 0.1.0
 * @category headers
 */
export const secretHeaderNames: ReadonlyArray<string> = [
  "authorization",
  "cookie",
  "set-cookie",
  "x-api-key",
  "x-client-secret",
  "x-partner-apikey",
  "signature",
  "v-c-signature",
  "x-webhook-signature"
]

/**
 * A copy of `headers` with secret values replaced by `<redacted>`.
 *
 * @since 0.1.0
 * @category headers
 */
export const redactHeaders = (
  headers: Readonly<Record<string, string>>,
  names: ReadonlyArray<string> = secretHeaderNames
): Record<string, string> =>
  Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name, names.includes(name.toLowerCase()) ? "<redacted>" : value])
  )

/** JSON fields whose values are card data or secrets, as they appear in provider bodies. */
const SENSITIVE_FIELD =
  /("(?:card_number|cardNumber|number|pan|token_pan|tokenPan|card_cvv|cvv|cvv2|cvc|securityCode|security_code|cryptogram|otp|password|secret|client_secret|clientSecret|sharedSecret|shared_secret|card_expiry_mm|card_expiry_yy)"\s*:\s*)("(?:[^"\\]|\\.)*"|-?\d+)/gi

/** A run of 12–19 digits, possibly separated by single spaces or dashes, not inside a longer number. */
const DIGIT_RUN = /(?<![\d])(?:\d[ -]?){11,18}\d(?![\d])/g

/**
 * `text` with the values of sensitive JSON fields replaced by `"[REDACTED]"` and every
 * Luhn-valid 12–19 digit run masked to its last four digits.
 *
 * @since 0.1.0
 * @category scrubbing
 */
export const scrub = (text: string): string =>
  text.replace(SENSITIVE_FIELD, '$1"[REDACTED]"').replace(DIGIT_RUN, (run) => {
    const digits = run.replace(/[ -]/g, "")
    return luhn(digits) ? `${"*".repeat(digits.length - 4)}${digits.slice(-4)}` : run
  })

/**
 * The most of a body kept for diagnosis.
 *
 * @since 0.1.0
 * @category scrubbing
 */
export const MAX_RAW_LENGTH = 4096

/**
 * A provider body for an error's `raw` field: scrubbed, truncated, and `Redacted`.
 *
 * @since 0.1.0
 * @category scrubbing
 */
export const raw = (body: string): Redacted.Redacted<string> => {
  const clean = scrub(body)
  return Redacted.make(clean.length > MAX_RAW_LENGTH ? `${clean.slice(0, MAX_RAW_LENGTH)}…` : clean)
}
