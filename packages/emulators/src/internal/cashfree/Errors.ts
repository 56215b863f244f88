/**
 * Cashfree's error responses: `{message, code, type}` with the HTTP status and `type` the
 * documents give (providers/cashfree.md §3, SPEC25 `components/responses`).
 *
 * | HTTP | type                    | code (examples)                                             |
 * |------|-------------------------|-------------------------------------------------------------|
 * | 400  | `invalid_request_error` | `request_failed` (bad URL), `<field>_missing`, `<field>_invalid`, `version_missing`, `payment_session_id_invalid`, `request_invalid` |
 * | 401  | `authentication_error`  | `request_failed` ("authentication Failed")                  |
 * | 404  | `invalid_request_error` | `order_not_found`, `orderpay_not_found`, …                  |
 * | 409  | `invalid_request_error` | `order_already_exists`, …                                   |
 * | 422  | `idempotency_error`     | `request_invalid`                                           |
 * | 429  | `rate_limit_error`      | `request_failed`                                            |
 * | 500  | `api_error`             | `internal_error`                                            |
 * | 502  | `api_error`             | `bank_processing_failure`                                   |
 *
 * Route handlers `throw` an `ApiFailure` where the request is refused, so validation reads like the
 * spec's field list; the request pipeline turns it into the reply. Messages never echo card data.
 */
import type * as Json from "../emulator/Json.js"

/** An error reply, thrown by handlers and caught by the request pipeline. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly type: string,
    message: string
  ) {
    super(message)
  }

  /** The documented body. */
  get body(): Json.Value {
    return { message: this.message, code: this.code, type: this.type }
  }
}

/** 400 `invalid_request_error` with `code`. */
export const badRequest = (code: string, message: string): ApiFailure =>
  new ApiFailure(400, code, "invalid_request_error", message)

/** 400 `<field>_missing`. */
export const missing = (field: string): ApiFailure =>
  badRequest(`${field}_missing`, `${field} : is missing in the request`)

/** 400 `<field>_invalid`. */
export const invalid = (field: string, reason: string): ApiFailure =>
  badRequest(`${field}_invalid`, `${field} : ${reason}`)

/** 400 `request_invalid`: the request is well-formed but not allowed in the current state. */
export const requestInvalid = (message: string): ApiFailure => badRequest("request_invalid", message)

/** 400 for an unknown route. */
export const badUrl = (): ApiFailure => badRequest("request_failed", "bad URL, please check API documentation")

/** 400 for a missing or unsupported `x-api-version`. */
export const versionMissing = (supported: ReadonlyArray<string>): ApiFailure =>
  badRequest(
    "version_missing",
    `x-api-version : the version field must be one of the following supported values: ${supported.join(", ")}`
  )

/** 401. */
export const authentication = (): ApiFailure =>
  new ApiFailure(401, "request_failed", "authentication_error", "authentication Failed")

/** 404 `invalid_request_error`. */
export const notFound = (code: string, message: string): ApiFailure =>
  new ApiFailure(404, code, "invalid_request_error", message)

/** 409 `invalid_request_error`. */
export const conflict = (code: string, message: string): ApiFailure =>
  new ApiFailure(409, code, "invalid_request_error", message)

/** 422: the idempotency key was used with a different request. */
export const idempotency = (): ApiFailure =>
  new ApiFailure(
    422,
    "request_invalid",
    "idempotency_error",
    "different request body with the same idempotency key; use a new x-idempotency-key"
  )

/** 429. */
export const rateLimited = (): ApiFailure =>
  new ApiFailure(429, "request_failed", "rate_limit_error", "Too many requests from IP. Check headers")

/** 5xx `api_error`: 502 is the documented bank failure, anything else the internal error. */
export const server = (status: number): ApiFailure =>
  status === 502
    ? new ApiFailure(
        502,
        "bank_processing_failure",
        "api_error",
        "The transaction could not be created at the banking partner. Retry the request or contact support if the issue persists."
      )
    : new ApiFailure(status, "internal_error", "api_error", "internal Server Error")
