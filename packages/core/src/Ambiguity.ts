/**
 * Whether money may have moved: the one classification of a failed provider attempt that every
 * adapter and `HttpPolicy.execute` share. An adapter reports what it observed on the wire (an
 * `Observation`); this module decides what that means and builds the error. It is the only place
 * that constructs `OutcomeUnknown`.
 *
 * | observation   | read                          | mutation, provider replays keys          | mutation, no idempotency keys |
 * |---------------|-------------------------------|------------------------------------------|-------------------------------|
 * | `NotSent`     | retryable (`ConnectFailed`)   | retryable (`ConnectFailed`)              | retryable (`ConnectFailed`)   |
 * | `Lost`        | retryable (`ProviderUnavailable`) | may have applied; retry with the key | may have applied (`OutcomeUnknown`) |
 * | `ServerError` | retryable (`ProviderUnavailable`) | may have applied; retry with the key | may have applied (`OutcomeUnknown`) |
 * | `Undecodable` | definite (`ProviderResponseInvalid`) | may have applied (`OutcomeUnknown`) | may have applied (`OutcomeUnknown`) |
 *
 * - `NotSent`: the transport failed before the request left (a code in `NEVER_SENT`, or the
 *   request could not be built).
 * - `Lost`: the request was (or may have been) sent and no complete answer came back: a reset or
 *   timeout after sending, a body cut off mid-way.
 * - `ServerError`: a 5xx after the request reached the provider.
 * - `Undecodable`: a success answer that does not decode or make sense. Repeating a mutation does
 *   not make this answer readable, so it ends as `OutcomeUnknown` at once.
 *
 * A mutation that may have applied ends as `OutcomeUnknown`, carrying the caller's idempotency key,
 * unless a later definite observation (a replayed answer, a reconcile that finds the result) says
 * otherwise: never as `ProviderResponseInvalid`, `NotFound` or `ProviderUnavailable`
 * (`afterMayHaveApplied`).
 *
 * @since 0.1.0
 */
import * as Cause from "effect/Cause"
import * as DateTime from "effect/DateTime"
import {
  ConnectFailed,
  type OperationError,
  OutcomeUnknown,
  ProviderResponseInvalid,
  ProviderUnavailable
} from "./PaymentError.js"

/**
 * Transport error codes (Node and undici) that mean the connection was never made, so the request
 * never left this machine and repeating it is safe for any call. Every other transport failure
 * may have happened after the request was sent.
 *
 * @since 0.1.0
 * @category never sent
 */
export const NEVER_SENT: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT"
])

/**
 * Whether a transport failure's cause chain (`code`, then `cause`, a few levels deep) names a code
 * in `NEVER_SENT`.
 *
 * @since 0.1.0
 * @category never sent
 */
export const neverSent = (cause: unknown): boolean => transportCodes(cause).some((code) => NEVER_SENT.has(code))

/**
 * The error codes along a transport failure's cause chain (`code`, then `cause`), outermost
 * first, for reporting.
 *
 * @since 0.1.0
 * @category never sent
 */
export const transportCodes = (cause: unknown): ReadonlyArray<string> => {
  const codes: Array<string> = []
  let current: unknown = cause
  for (let depth = 0; depth < 6 && typeof current === "object" && current !== null; depth++) {
    const code = (current as { readonly code?: unknown }).code
    if (typeof code === "string") codes.push(code)
    current = (current as { readonly cause?: unknown }).cause
  }
  return codes
}

/**
 * What an adapter saw of a failed attempt.
 *
 * @since 0.1.0
 * @category models
 */
export type Observation =
  | { readonly _tag: "NotSent"; readonly reason: string }
  | { readonly _tag: "Lost"; readonly reason: string }
  | { readonly _tag: "ServerError"; readonly reason: string }
  | { readonly _tag: "Undecodable"; readonly reason: string }

/**
 * The call an observation belongs to, and what the error reports about it.
 *
 * @since 0.1.0
 * @category models
 */
export interface Call {
  readonly provider: string
  readonly operation: string
  /** Whether the call changes state at the provider. */
  readonly mutating: boolean
  /** Whether the provider de-duplicates this call by its idempotency key. */
  readonly idempotent: boolean
  /** The caller's idempotency key of the operation this call belongs to. */
  readonly idempotencyKey?: string | undefined
  readonly httpStatus?: number | undefined
  readonly requestId?: string | undefined
  /** The provider's body, already scrubbed and redacted (`Redaction.raw`). */
  readonly raw?: OperationError["raw"] | undefined
  /** The provider's id for what the call made, when known. */
  readonly providerRef?: string | undefined
  /** The merchant reference a sync looks the result up by, when the operation has one. */
  readonly reference?: string | undefined
}

/**
 * What an observation means for the call.
 *
 * @since 0.1.0
 * @category models
 */
export type Verdict = "definite" | "retryable" | "may-have-applied"

const mayHaveApplied = new WeakSet<object>()

/**
 * Whether `error` was classified as "may have applied" (it may be a retryable error, when the
 * provider replays idempotency keys).
 *
 * @since 0.1.0
 * @category classification
 */
export const isMayHaveApplied = (error: OperationError): boolean =>
  // A failure that crossed a span is a proxy of the error classified: look at the original.
  error._tag === "OutcomeUnknown" || mayHaveApplied.has(Cause.originalError(error))

const fields = (call: Call, reason: string) => ({
  provider: call.provider,
  operation: call.operation,
  reason,
  ...(call.httpStatus === undefined ? {} : { httpStatus: call.httpStatus }),
  ...(call.requestId === undefined ? {} : { requestId: call.requestId }),
  ...(call.raw === undefined ? {} : { raw: call.raw })
})

/**
 * `OutcomeUnknown` for `call`: the request may have applied and nothing definite followed.
 * `inDoubtUntil` is when a sync that finds nothing stops being inconclusive (see `InDoubt`).
 *
 * @since 0.1.0
 * @category classification
 */
export const unknown = (call: Call, reason: string, inDoubtUntil?: number): OutcomeUnknown =>
  new OutcomeUnknown({
    ...fields(call, call.reference === undefined ? reason : `${reason}; sync by reference ${call.reference}`),
    idempotencyKey: call.idempotencyKey ?? "none",
    ...(call.providerRef === undefined ? {} : { providerRef: call.providerRef }),
    ...(inDoubtUntil === undefined ? {} : { inDoubtUntil: DateTime.unsafeMake(inDoubtUntil) })
  })

/**
 * The verdict on an observation and the error that reports it (see the module's table).
 *
 * @since 0.1.0
 * @category classification
 */
export const classify = (
  observation: Observation,
  call: Call
): { readonly verdict: Verdict; readonly error: OperationError } => {
  const reason = observation.reason
  switch (observation._tag) {
    case "NotSent":
      return { verdict: "retryable", error: new ConnectFailed(fields(call, reason)) }
    case "Undecodable":
      return call.mutating
        ? { verdict: "may-have-applied", error: unknown(call, reason) }
        : { verdict: "definite", error: new ProviderResponseInvalid(fields(call, reason)) }
    case "Lost":
    case "ServerError": {
      if (!call.mutating) return { verdict: "retryable", error: new ProviderUnavailable(fields(call, reason)) }
      if (!call.idempotent) return { verdict: "may-have-applied", error: unknown(call, reason) }
      const error = new ProviderUnavailable(fields(call, reason))
      mayHaveApplied.add(error)
      return { verdict: "may-have-applied", error }
    }
  }
}

/**
 * The error for `observation` (`classify(...).error`).
 *
 * @since 0.1.0
 * @category classification
 */
export const errorFor = (observation: Observation, call: Call): OperationError => classify(observation, call).error

/**
 * The rule after a mutation may have applied: a later step of the same operation (reading the
 * result back, a reconcile, a retry) that fails without a definite answer about the mutation ends
 * as `OutcomeUnknown` with the caller's key. An `OutcomeUnknown` already is one (its key is filled
 * in when it had none). A definite provider refusal of the retry itself (`IdempotencyConflict`,
 * a decline replayed from the original) keeps its meaning; everything else — unavailable, invalid,
 * not found — says nothing about whether the first request applied.
 *
 * @since 0.1.0
 * @category classification
 */
export const afterMayHaveApplied = (call: Call, error: OperationError, reason?: string): OperationError => {
  if (error._tag === "PaymentDeclined" || error._tag === "IdempotencyConflict") return error
  if (error._tag === "OutcomeUnknown") {
    if (error.idempotencyKey !== "none" || call.idempotencyKey === undefined) return error
    return new OutcomeUnknown({ ...error, idempotencyKey: call.idempotencyKey })
  }
  return unknown(
    {
      ...call,
      requestId: call.requestId ?? error.requestId,
      httpStatus: call.httpStatus ?? error.httpStatus
    },
    `${reason ?? "the request may have applied, then no definite answer followed"}: ${error.message}`
  )
}

/**
 * The keys whose last request may still land at a provider that has no idempotency keys, each
 * until when: a same-key retry in that window must not send again (a sync that finds nothing
 * proves nothing while the original request can still arrive), so it answers `OutcomeUnknown`
 * with the same `inDoubtUntil`. One per client; bounded, oldest first out.
 *
 * @since 0.1.0
 * @category in doubt
 */
export interface InDoubt {
  /** When the key stops being in doubt (epoch milliseconds), if it is in doubt at `now`. */
  readonly until: (key: string, now: number) => number | undefined
  readonly mark: (key: string, until: number) => void
  readonly clear: (key: string) => void
}

/**
 * A fresh `InDoubt` registry holding at most `capacity` keys.
 *
 * @since 0.1.0
 * @category in doubt
 */
export const makeInDoubt = (capacity = 4096): InDoubt => {
  const entries = new Map<string, number>()
  return {
    until: (key, now) => {
      const until = entries.get(key)
      if (until === undefined) return undefined
      if (until > now) return until
      entries.delete(key)
      return undefined
    },
    mark: (key, until) => {
      const earlier = entries.get(key) ?? 0
      entries.delete(key)
      entries.set(key, Math.max(until, earlier))
      if (entries.size > capacity) {
        const oldest = entries.keys().next()
        if (oldest.done !== true) entries.delete(oldest.value)
      }
    },
    clear: (key) => {
      entries.delete(key)
    }
  }
}
