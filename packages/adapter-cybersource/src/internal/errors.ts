/**
 * How CyberSource's answers become core's errors: every failed attempt is reported to core's
 * `Ambiguity` as an observation (never sent, lost, server error, undecodable) and every non-2xx body
 * is read as documented (PTS `{status, reason, message}`, gateway `{response:{rmsg}}`, TMS
 * `{errors:[…]}`, bare statuses). Public through `CyberSourceClient` (`errorFor`, `decode`,
 * `invalid`, `observed`).
 */
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as Ambiguity from "@payport/core/Ambiguity"
import {
  ConfigurationError,
  Decline,
  InvalidRequest,
  InvalidState,
  NotFound,
  type OperationError,
  PaymentDeclined,
  PreconditionFailed,
  ProviderUnavailable,
  RateLimited,
  Unauthenticated
} from "@payport/core/PaymentError"
import * as Redaction from "@payport/core/Redaction"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import type { Call, Response } from "../CyberSourceClient.js"
import * as Mapping from "./mapping.js"
import * as Wire from "./wire.js"

/** The provider name on every ref and error. */
export const PROVIDER = "cybersource" as const

const context = (call: Call, response?: Response) => ({
  provider: PROVIDER,
  operation: call.operation,
  ...(response === undefined
    ? {}
    : {
        httpStatus: response.status,
        raw: Redaction.raw(response.text),
        ...(response.requestId === undefined ? {} : { requestId: response.requestId })
      })
})

/** The call as core's `Ambiguity` sees it: CyberSource de-duplicates nothing. */
const ambiguityCall = (call: Call, response?: Response, providerRef?: string): Ambiguity.Call => ({
  ...context(call, response),
  mutating: call.mutating,
  idempotent: false,
  idempotencyKey: call.idempotencyKey,
  providerRef
})

/** The error core's `Ambiguity` gives `observation` on `call`. */
export const observed = (
  call: Call,
  observation: Ambiguity.Observation,
  response?: Response,
  providerRef?: string
): OperationError => Ambiguity.errorFor(observation, ambiguityCall(call, response, providerRef))

/** The error for a request that failed in the transport. */
export const fromTransport = (call: Call, error: HttpClientError.RequestError): OperationError => {
  if (error.reason !== "Transport") {
    return new InvalidRequest({ ...context(call), details: `the request could not be built (${error.reason})` })
  }
  return Ambiguity.neverSent(error.cause)
    ? observed(call, { _tag: "NotSent", reason: "connection refused or host not found" })
    : observed(call, { _tag: "Lost", reason: "the connection failed after the request may have been sent" })
}

const decodeEither =
  <A, I>(schema: Schema.Schema<A, I>) =>
  (json: Option.Option<unknown>): Option.Option<A> =>
    Option.flatMap(json, (value) => Either.getRight(Schema.decodeUnknownEither(schema)(value)))

const clean = (text: string | undefined): string | undefined =>
  text === undefined ? undefined : Redaction.scrub(text.trim()).slice(0, 300)

/** The `clientReferenceInformation.transactionId` a request body carries, if any. */
export const transactionIdOf = (body: unknown): string | undefined => {
  if (typeof body !== "object" || body === null) return undefined
  const reference = (body as { readonly clientReferenceInformation?: unknown }).clientReferenceInformation
  if (typeof reference !== "object" || reference === null) return undefined
  const id = (reference as { readonly transactionId?: unknown }).transactionId
  return typeof id === "string" && id.length > 0 ? id : undefined
}

const repeats = new WeakSet<object>()

/**
 * Whether `error` is CyberSource's refusal of a repeated `clientReferenceInformation.transactionId`
 * (see `errorFor`): a request under the same key reached CyberSource before, so its result is to be
 * looked up, not reported as a refusal.
 */
export const isRepeatRefusal = (error: OperationError): boolean => repeats.has(Cause.originalError(error))

/**
 * Whether a 400 is the refusal of a repeated `transactionId`: CyberSource answers one with
 * `INVALID_REQUEST`/`INVALID_DATA` and no `details` (cybersource-rest-client-node #45), where a
 * field it finds invalid is named in `details[]`.
 */
const refusedAsRepeat = (call: Call, status: number, pts: typeof Wire.PtsError.Type): boolean =>
  status === 400 &&
  call.mutating &&
  transactionIdOf(call.body) !== undefined &&
  (pts.reason ?? pts.errorInformation?.reason ?? "").trim().toUpperCase() === "INVALID_DATA" &&
  (pts.details ?? []).length === 0

/**
 * The typed error for a non-2xx response, from the documented bodies. The refusal of a repeated
 * `transactionId` is `OutcomeUnknown` (an earlier request with this key reached CyberSource, and
 * may have applied): callers look its result up (`isRepeatRefusal`) rather than report a refusal.
 */
export const errorFor = (call: Call, response: Response): OperationError => {
  const ctx = context(call, response)
  const status = response.status
  const tms = decodeEither(Wire.TmsError)(response.json)
  const gateway = decodeEither(Wire.GatewayError)(response.json)
  const pts = decodeEither(Wire.PtsError)(response.json)

  let meaning: Mapping.HttpMeaning = Mapping.httpMeaning(status)
  let reason: string | undefined
  let message: string | undefined
  let rejection: Mapping.Rejection | undefined
  if (Option.isSome(tms)) {
    const first = tms.value.errors[0]
    meaning = Mapping.tmsMeaning(status, first.type)
    reason = first.type
    message = first.message
  } else if (Option.isSome(gateway)) {
    message = gateway.value.response.rmsg
  } else if (Option.isSome(pts)) {
    reason = pts.value.reason ?? pts.value.errorInformation?.reason
    message = pts.value.message ?? pts.value.errorInformation?.message
    if (status === 400) rejection = Mapping.rejection(reason)
  }
  const text = [clean(reason), clean(message)].filter((part) => part !== undefined && part.length > 0).join(": ")
  const details = text.length > 0 ? text : `HTTP ${status}`

  if (Option.isSome(pts) && Option.isNone(tms) && refusedAsRepeat(call, status, pts.value)) {
    const error = Ambiguity.afterMayHaveApplied(
      ambiguityCall(call, response),
      new InvalidRequest({ ...ctx, details }),
      "CyberSource refused a repeated clientReferenceInformation.transactionId: a request with this key reached it before"
    )
    repeats.add(error)
    return error
  }

  if (rejection !== undefined) {
    switch (rejection._tag) {
      case "InvalidRequest":
        return new InvalidRequest({
          ...ctx,
          details,
          ...(rejection.field === undefined ? {} : { field: rejection.field })
        })
      case "InvalidState":
        return new InvalidState({ ...ctx, reason: details })
      case "NotFound":
        return new NotFound({ ...ctx, resource: call.resource, ...(call.resourceId ? { id: call.resourceId } : {}) })
      case "Declined":
        return new PaymentDeclined({
          ...ctx,
          decline: Decline.of(rejection.code, reason === undefined ? undefined : { providerCode: reason.trim() })
        })
      case "Unavailable":
        return new ProviderUnavailable({ ...ctx, reason: details })
      case "Configuration":
        return new ConfigurationError({ ...ctx, variable: "CYBERSOURCE_MERCHANT_ID", reason: details })
    }
  }
  switch (meaning) {
    case "InvalidRequest":
      return new InvalidRequest({ ...ctx, details })
    case "Unauthenticated":
      return new Unauthenticated({ ...ctx, details })
    case "NotFound":
      return new NotFound({ ...ctx, resource: call.resource, ...(call.resourceId ? { id: call.resourceId } : {}) })
    case "InvalidState":
      return new InvalidState({ ...ctx, reason: details })
    case "PreconditionFailed":
      return new PreconditionFailed({ ...ctx, reason: details })
    case "Configuration":
      return new ConfigurationError({ ...ctx, variable: "profileId", reason: details })
    case "RateLimited": {
      const seconds = Number(response.headers["retry-after"])
      return new RateLimited({
        ...ctx,
        ...(Number.isFinite(seconds) && seconds >= 0 ? { retryAfterMillis: Math.round(seconds * 1000) } : {})
      })
    }
    case "ServerError":
      return observed(
        call,
        { _tag: "ServerError", reason: `server error: ${details}` },
        response,
        Option.isSome(pts) ? pts.value.id : undefined
      )
  }
}

/** Decodes a 2xx body: one that does not decode is an `Undecodable` observation. */
export const decode =
  <A, I>(schema: Schema.Schema<A, I>, call: Call) =>
  (response: Response): Effect.Effect<A, OperationError> =>
    Option.match(decodeEither(schema)(response.json), {
      onNone: () =>
        Effect.fail(observed(call, { _tag: "Undecodable", reason: "the response does not decode" }, response)),
      onSome: Effect.succeed
    })

/** A response that decoded but does not make sense: an `Undecodable` observation. */
export const invalid = (call: Call, response: Response, reason: string): OperationError =>
  observed(call, { _tag: "Undecodable", reason }, response)
