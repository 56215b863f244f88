/**
 * CyberSource wire vocabulary shared by every route: the reply value the routes return, the
 * documented error bodies (providers/cybersource.md §3) and the small formatting rules
 * (`submitTimeUtc` without milliseconds, `_links` entries as `{method, href}`).
 */

/** A JSON value as the emulator writes it. */
export type Json = null | boolean | number | string | ReadonlyArray<Json> | { readonly [key: string]: Json | undefined }

/** A JSON object; `undefined` members are dropped when serialised. */
export type JsonObject = { readonly [key: string]: Json | undefined }

/** What a route answers: a status, extra headers and an optional JSON body. */
export interface Reply {
  readonly status: number
  readonly headers?: { readonly [name: string]: string }
  readonly body?: Json
}

/** PTS `Content-Type`: the payments API answers HAL. */
export const halJson = "application/hal+json"

/** TMS `Content-Type`. */
export const tmsJson = "application/json;charset=utf-8"

/** `YYYY-MM-DDThh:mm:ssZ`, the documented `submitTimeUtc` format. */
export const submitTime = (millis: number): string => `${new Date(millis).toISOString().slice(0, 19)}Z`

/** A HAL link as CyberSource writes it: method first, then href. */
export const link = (method: string, href: string): JsonObject => ({ method, href })

/** The two documented PTS 400 messages, verbatim from live responses (AM remote tests; client-node #45). */
export const messages = {
  missingField: "Declined - The request is missing one or more fields",
  invalidData: "Declined - One or more fields in the request contains invalid data"
} as const

/** One `details[]` entry of a PTS 400. */
export interface FieldDetail {
  readonly field: string
  readonly reason: "MISSING_FIELD" | "INVALID_DATA"
}

/** Every documented PTS 400 `reason` across payments, captures, reversals, voids and refunds. */
export type InvalidReason =
  | "MISSING_FIELD"
  | "INVALID_DATA"
  | "DUPLICATE_REQUEST"
  | "INVALID_CARD"
  | "CARD_TYPE_NOT_ACCEPTED"
  | "INVALID_MERCHANT_CONFIGURATION"
  | "PROCESSOR_UNAVAILABLE"
  | "INVALID_AMOUNT"
  | "INVALID_CARD_TYPE"
  | "INVALID_PAYMENT_ID"
  | "NOT_SUPPORTED"
  | "EXCEEDS_AUTH_AMOUNT"
  | "AUTH_ALREADY_REVERSED"
  | "TRANSACTION_ALREADY_SETTLED"
  | "MISSING_AUTH"
  | "TRANSACTION_ALREADY_REVERSED_OR_SETTLED"
  | "NOT_VOIDABLE"
  | "CAPTURE_ALREADY_VOIDED"
  | "ACCOUNT_NOT_ALLOWED_CREDIT"

/** A PTS 400 `INVALID_REQUEST` body. */
export const invalidRequest = (
  now: number,
  reason: InvalidReason,
  message: string,
  details?: ReadonlyArray<FieldDetail>
): Reply => ({
  status: 400,
  body: {
    submitTimeUtc: submitTime(now),
    status: "INVALID_REQUEST",
    reason,
    message,
    ...(details === undefined || details.length === 0
      ? {}
      : { details: details.map((d) => ({ field: d.field, reason: d.reason })) })
  }
})

/** A missing field, with the documented message. */
export const missingField = (now: number, field: string): Reply =>
  invalidRequest(now, "MISSING_FIELD", messages.missingField, [{ field, reason: "MISSING_FIELD" }])

/** A field with unusable content, with the documented message. */
export const invalidField = (now: number, field: string): Reply =>
  invalidRequest(now, "INVALID_DATA", messages.invalidData, [{ field, reason: "INVALID_DATA" }])

/**
 * The PTS/TSS 404 body, verbatim from client-java #130 — including the trailing space in
 * `"NOT_FOUND "`, which clients must tolerate.
 */
export const notFound = (now: number): Reply => ({
  status: 404,
  body: {
    submitTimeUtc: submitTime(now),
    status: "404",
    errorInformation: { reason: "NOT_FOUND ", message: "The requested resource does not exist." }
  }
})

/** The documented 5xx reasons. */
export type ServerErrorReason = "SYSTEM_ERROR" | "SERVER_TIMEOUT" | "SERVICE_TIMEOUT"

const serverErrorMessages: { readonly [R in ServerErrorReason]: string } = {
  SYSTEM_ERROR: "Error - General system failure.",
  SERVER_TIMEOUT: "Error - The server timed out.",
  SERVICE_TIMEOUT: "Error - The service timed out."
}

/**
 * The 502 `SERVER_ERROR` body; live bodies also carry an `id` though the schema has none
 * (client-java #218).
 */
export const serverError = (now: number, id: string, reason: ServerErrorReason, status = 502): Reply => ({
  status,
  body: {
    id,
    submitTimeUtc: submitTime(now),
    status: "SERVER_ERROR",
    reason,
    message: serverErrorMessages[reason]
  }
})

/** The gateway's authentication refusal (`{"response":{"rmsg":…}}`, HS `CybersourceAuthenticationErrorResponse`). */
export const authenticationFailed: Reply = { status: 401, body: { response: { rmsg: "Authentication Failed" } } }

/** The gateway front door's answer for a path no product serves (observed as 400 `Bad Request`). */
export const unroutable: Reply = { status: 400, body: { response: { rmsg: "Bad Request" } } }

/** The gateway's rate-limit answer; CyberSource documents no body, so the front-door shape is reused. */
export const rateLimited = (retryAfterSeconds: number): Reply => ({
  status: 429,
  headers: { "retry-after": String(retryAfterSeconds) },
  body: { response: { rmsg: "Too Many Requests" } }
})

/** One TMS `errors[].details[]` entry. */
export interface TmsDetail {
  readonly name: string
  readonly location: string
}

/** A TMS error body `{errors:[{type, message, details?}]}` (SPEC examples). */
export const tmsError = (status: number, type: string, message: string, details?: ReadonlyArray<TmsDetail>): Reply => ({
  status,
  headers: { "content-type": tmsJson },
  body: {
    errors: [
      {
        type,
        message,
        ...(details === undefined ? {} : { details: details.map((d) => ({ name: d.name, location: d.location })) })
      }
    ]
  }
})

/** The TMS error bodies the SPEC gives as examples. */
export const tms = {
  invalidBody: (details?: ReadonlyArray<TmsDetail>) => tmsError(400, "invalidRequest", "Invalid HTTP Body", details),
  notFound: () => tmsError(404, "notFound", "Token not found"),
  gone: () => tmsError(410, "notAvailable", "Token not available."),
  preconditionFailed: () =>
    tmsError(412, "conflict", "Action cannot be performed as the if-match header value does not match the token etag"),
  conflict: (message: string) => tmsError(409, "conflict", message),
  profileNotFound: () => tmsError(424, "notFound", "Profile not found"),
  serverError: () => tmsError(500, "serverError", "Internal server error")
} as const

/** Reads a nested member of parsed JSON, `undefined` when any step is missing. */
export const at = (value: unknown, ...path: ReadonlyArray<string>): unknown => {
  let current: unknown = value
  for (const key of path) {
    if (typeof current !== "object" || current === null || Array.isArray(current)) return undefined
    current = (current as { readonly [k: string]: unknown })[key]
  }
  return current
}

/** A nested string member; numbers are accepted as their text (clients send `9` for `"09"`). */
export const text = (value: unknown, ...path: ReadonlyArray<string>): string | undefined => {
  const found = at(value, ...path)
  if (typeof found === "string") return found
  if (typeof found === "number" && Number.isFinite(found)) return String(found)
  return undefined
}

/** Whether a value is a JSON object. */
export const isObject = (value: unknown): value is { readonly [key: string]: unknown } =>
  typeof value === "object" && value !== null && !Array.isArray(value)
