/**
 * The error taxonomy of Payport, grouped by the one question a caller must answer after a
 * failure: could money have moved?
 *
 * | group | errors | money moved? | retry |
 * |---|---|---|---|
 * | preflight | `ValidationError`, `UnsupportedCurrency`, `UnsupportedMethod`, `ConfigurationError` | no, nothing was sent | after-fix |
 * | declined | `PaymentDeclined` | no | never (hard) / after-fix (soft) |
 * | rejected | `InvalidRequest`, `Unauthenticated`, `NotFound`, `InvalidState`, `IdempotencyConflict`, `PreconditionFailed` | no | after-fix / never |
 * | transient | `RateLimited`, `ProviderUnavailable`, `ConnectFailed` | no | same-key |
 * | unknown | `OutcomeUnknown` | maybe | never: sync, then decide |
 * | webhook | `SignatureInvalid`, `TimestampOutOfTolerance`, `UnknownEvent` | n/a | never |
 * | invalid response | `ProviderResponseInvalid` | no: reads only (a mutation's is `OutcomeUnknown`) | never |
 *
 * Every error is a `Schema.TaggedError`, so it encodes and decodes through `PaymentError`.
 * Messages never contain card data or secrets: the provider's raw body travels only as a
 * scrubbed `Redacted` string (see `Redaction.scrub`).
 *
 * @since 0.1.0
 */
import * as DateTime from "effect/DateTime"
import * as Schema from "effect/Schema"

/**
 * What a caller may do after an error: never retry, retry with the same idempotency key, or
 * retry only after fixing the input or configuration.
 *
 * @since 0.1.0
 * @category models
 */
export const Retry = Schema.Literal("never", "same-key", "after-fix")
/**
 * @since 0.1.0
 * @category models
 */
export type Retry = typeof Retry.Type

/**
 * The group of an error, by "could money have moved?".
 *
 * @since 0.1.0
 * @category models
 */
export type ErrorGroup =
  | "preflight"
  | "declined"
  | "rejected"
  | "transient"
  | "unknown"
  | "webhook"
  | "invalid-response"

/** Fields every error carries. `provider` and `operation` default to `payport`/`validate` for errors raised before any provider is involved. */
const context = {
  provider: Schema.optionalWith(Schema.String, { default: () => "payport" }),
  operation: Schema.optionalWith(Schema.String, { default: () => "validate" }),
  httpStatus: Schema.optional(Schema.Int),
  requestId: Schema.optional(Schema.String),
  /** The provider's response body, scrubbed of card data and secrets, and redacted for printing. */
  raw: Schema.optional(Schema.Redacted(Schema.String))
}

const where = (e: { readonly provider: string; readonly operation: string; readonly requestId?: string | undefined }) =>
  `${e.provider} ${e.operation}${e.requestId === undefined ? "" : ` (request ${e.requestId})`}`

// ---------------------------------------------------------------------------------------------
// 1. Preflight: nothing was sent
// ---------------------------------------------------------------------------------------------

/**
 * An input failed validation before any I/O. `field` names the input (`amount`, `card.number`,
 * `currency`…); `reason` says what is wrong without repeating a sensitive value.
 *
 * @since 0.1.0
 * @category preflight
 */
export class ValidationError extends Schema.TaggedError<ValidationError>("@payport/core/ValidationError")(
  "ValidationError",
  { ...context, field: Schema.String, reason: Schema.String }
) {
  /** @since 0.1.0 */
  get retry(): Retry {
    return "after-fix"
  }
  /** @since 0.1.0 */
  get group(): ErrorGroup {
    return "preflight"
  }
  /** @since 0.1.0 */
  override get message(): string {
    return `Invalid ${this.field}: ${this.reason}`
  }
}

/**
 * The provider (or the currency table) does not support this currency.
 *
 * @since 0.1.0
 * @category preflight
 */
export class UnsupportedCurrency extends Schema.TaggedError<UnsupportedCurrency>("@payport/core/UnsupportedCurrency")(
  "UnsupportedCurrency",
  { ...context, currency: Schema.String }
) {
  /** @since 0.1.0 */
  get retry(): Retry {
    return "after-fix"
  }
  /** @since 0.1.0 */
  get group(): ErrorGroup {
    return "preflight"
  }
  /** @since 0.1.0 */
  override get message(): string {
    return `${this.provider} does not support currency ${JSON.stringify(this.currency)}`
  }
}

/**
 * The provider cannot perform this payment method or operation.
 *
 * @since 0.1.0
 * @category preflight
 */
export class UnsupportedMethod extends Schema.TaggedError<UnsupportedMethod>("@payport/core/UnsupportedMethod")(
  "UnsupportedMethod",
  { ...context, method: Schema.String }
) {
  /** @since 0.1.0 */
  get retry(): Retry {
    return "after-fix"
  }
  /** @since 0.1.0 */
  get group(): ErrorGroup {
    return "preflight"
  }
  /** @since 0.1.0 */
  override get message(): string {
    return `${this.provider} does not support ${this.method} for ${this.operation}`
  }
}

/**
 * Configuration is missing or wrong. `variable` names the setting (e.g. `PAYPORT_PROVIDER`).
 *
 * @since 0.1.0
 * @category preflight
 */
export class ConfigurationError extends Schema.TaggedError<ConfigurationError>("@payport/core/ConfigurationError")(
  "ConfigurationError",
  { ...context, variable: Schema.String, reason: Schema.String }
) {
  /** @since 0.1.0 */
  get retry(): Retry {
    return "after-fix"
  }
  /** @since 0.1.0 */
  get group(): ErrorGroup {
    return "preflight"
  }
  /** @since 0.1.0 */
  override get message(): string {
    return `${this.variable}: ${this.reason}`
  }
}

// ---------------------------------------------------------------------------------------------
// 2. Declined: definitely no money moved
// ---------------------------------------------------------------------------------------------

/**
 * Why a payment was declined, as a closed set shared by every provider.
 *
 * @since 0.1.0
 * @category declined
 */
export const DeclineCode = Schema.Literal(
  "insufficient_funds",
  "do_not_honor",
  "expired_card",
  "incorrect_cvc",
  "invalid_number",
  "invalid_account",
  "invalid_amount",
  "lost_or_stolen",
  "suspected_fraud",
  "risk_rejected",
  "authentication_required",
  "authentication_failed",
  "velocity_exceeded",
  "limit_exceeded",
  "not_permitted",
  "card_not_supported",
  "issuer_unavailable",
  "upi_collect_expired",
  "user_cancelled",
  "processor_declined",
  "generic_decline"
)
/**
 * @since 0.1.0
 * @category declined
 */
export type DeclineCode = typeof DeclineCode.Type

/**
 * Whether each decline is hard (retrying the same instrument will not help) or soft. Data, not
 * logic: adapters and the in-memory provider read the same table.
 *
 * @since 0.1.0
 * @category declined
 */
export const hardDecline: { readonly [K in DeclineCode]: boolean } = {
  insufficient_funds: false,
  do_not_honor: false,
  expired_card: true,
  incorrect_cvc: false,
  invalid_number: true,
  invalid_account: true,
  invalid_amount: false,
  lost_or_stolen: true,
  suspected_fraud: true,
  risk_rejected: true,
  authentication_required: false,
  authentication_failed: false,
  velocity_exceeded: false,
  limit_exceeded: false,
  not_permitted: true,
  card_not_supported: true,
  issuer_unavailable: false,
  upi_collect_expired: false,
  user_cancelled: false,
  processor_declined: false,
  generic_decline: false
}

/**
 * A decline as data: carried by `PaymentDeclined` (synchronous declines) and by a payment's
 * `Failed` status (asynchronous ones).
 *
 * @since 0.1.0
 * @category declined
 */
export class Decline extends Schema.Class<Decline>("@payport/core/Decline")({
  code: DeclineCode,
  hard: Schema.Boolean,
  /** Safe to show the payer. */
  customerMessage: Schema.String,
  /** The provider's own code, for support tickets. */
  providerCode: Schema.optional(Schema.String)
}) {
  /**
   * A decline with `hard` taken from `hardDecline` and a default customer message.
   *
   * @since 0.1.0
   */
  static of(
    code: DeclineCode,
    options?: { readonly customerMessage?: string; readonly providerCode?: string }
  ): Decline {
    return new Decline({
      code,
      hard: hardDecline[code],
      customerMessage: options?.customerMessage ?? customerMessages[code],
      ...(options?.providerCode === undefined ? {} : { providerCode: options.providerCode })
    })
  }
}

const customerMessages: { readonly [K in DeclineCode]: string } = {
  insufficient_funds: "The payment was declined for insufficient funds.",
  do_not_honor: "Your bank declined the payment.",
  expired_card: "The card has expired.",
  incorrect_cvc: "The security code is incorrect.",
  invalid_number: "The card number is invalid.",
  invalid_account: "The account is invalid.",
  invalid_amount: "The amount is not allowed for this payment method.",
  lost_or_stolen: "Your bank declined the payment.",
  suspected_fraud: "Your bank declined the payment.",
  risk_rejected: "The payment could not be accepted.",
  authentication_required: "The payment needs authentication.",
  authentication_failed: "Authentication failed.",
  velocity_exceeded: "Too many attempts; try again later.",
  limit_exceeded: "The payment exceeds a limit on the account.",
  not_permitted: "This payment is not permitted for this account.",
  card_not_supported: "This card is not supported.",
  issuer_unavailable: "Your bank is not reachable; try again later.",
  upi_collect_expired: "The UPI request expired before it was approved.",
  user_cancelled: "The payment was cancelled.",
  processor_declined: "The payment was declined.",
  generic_decline: "The payment was declined."
}

/**
 * The provider declined the payment synchronously. No money moved.
 *
 * @since 0.1.0
 * @category declined
 */
export class PaymentDeclined extends Schema.TaggedError<PaymentDeclined>("@payport/core/PaymentDeclined")(
  "PaymentDeclined",
  { ...context, decline: Decline }
) {
  /** @since 0.1.0 */
  get code(): DeclineCode {
    return this.decline.code
  }
  /** @since 0.1.0 */
  get hard(): boolean {
    return this.decline.hard
  }
  /** @since 0.1.0 */
  get retry(): Retry {
    return this.decline.hard ? "never" : "after-fix"
  }
  /** @since 0.1.0 */
  get group(): ErrorGroup {
    return "declined"
  }
  /** @since 0.1.0 */
  override get message(): string {
    return `${where(this)} declined the payment: ${this.decline.code}${this.decline.hard ? " (hard)" : ""}`
  }
}

// ---------------------------------------------------------------------------------------------
// 3. Rejected by the provider: definitely nothing happened
// ---------------------------------------------------------------------------------------------

/**
 * The provider rejected the request as malformed.
 *
 * @since 0.1.0
 * @category rejected
 */
export class InvalidRequest extends Schema.TaggedError<InvalidRequest>("@payport/core/InvalidRequest")(
  "InvalidRequest",
  { ...context, details: Schema.String, field: Schema.optional(Schema.String) }
) {
  /** @since 0.1.0 */
  get retry(): Retry {
    return "after-fix"
  }
  /** @since 0.1.0 */
  get group(): ErrorGroup {
    return "rejected"
  }
  /** @since 0.1.0 */
  override get message(): string {
    return `${where(this)} rejected the request: ${this.details}`
  }
}

/**
 * The provider rejected the credentials or the signature.
 *
 * @since 0.1.0
 * @category rejected
 */
export class Unauthenticated extends Schema.TaggedError<Unauthenticated>("@payport/core/Unauthenticated")(
  "Unauthenticated",
  { ...context, details: Schema.optional(Schema.String) }
) {
  /** @since 0.1.0 */
  get retry(): Retry {
    return "after-fix"
  }
  /** @since 0.1.0 */
  get group(): ErrorGroup {
    return "rejected"
  }
  /** @since 0.1.0 */
  override get message(): string {
    return `${where(this)}: authentication failed${this.details === undefined ? "" : `: ${this.details}`}`
  }
}

/**
 * The resource does not exist at the provider.
 *
 * @since 0.1.0
 * @category rejected
 */
export class NotFound extends Schema.TaggedError<NotFound>("@payport/core/NotFound")("NotFound", {
  ...context,
  resource: Schema.String,
  id: Schema.optional(Schema.String)
}) {
  /** @since 0.1.0 */
  get retry(): Retry {
    return "never"
  }
  /** @since 0.1.0 */
  get group(): ErrorGroup {
    return "rejected"
  }
  /** @since 0.1.0 */
  override get message(): string {
    return `${where(this)}: ${this.resource}${this.id === undefined ? "" : ` ${this.id}`} not found`
  }
}

/**
 * The operation is not allowed in the resource's current state (capture after void,
 * over-capture, over-refund, void after capture…).
 *
 * @since 0.1.0
 * @category rejected
 */
export class InvalidState extends Schema.TaggedError<InvalidState>("@payport/core/InvalidState")("InvalidState", {
  ...context,
  reason: Schema.String
}) {
  /** @since 0.1.0 */
  get retry(): Retry {
    return "never"
  }
  /** @since 0.1.0 */
  get group(): ErrorGroup {
    return "rejected"
  }
  /** @since 0.1.0 */
  override get message(): string {
    return `${where(this)}: ${this.reason}`
  }
}

/**
 * The idempotency key was already used with a different request.
 *
 * @since 0.1.0
 * @category rejected
 */
export class IdempotencyConflict extends Schema.TaggedError<IdempotencyConflict>("@payport/core/IdempotencyConflict")(
  "IdempotencyConflict",
  { ...context, idempotencyKey: Schema.String }
) {
  /** @since 0.1.0 */
  get retry(): Retry {
    return "after-fix"
  }
  /** @since 0.1.0 */
  get group(): ErrorGroup {
    return "rejected"
  }
  /** @since 0.1.0 */
  override get message(): string {
    return `${where(this)}: idempotency key ${this.idempotencyKey} was already used with a different request`
  }
}

/**
 * An optimistic-concurrency precondition (ETag / If-Match) failed: re-read and retry.
 *
 * @since 0.1.0
 * @category rejected
 */
export class PreconditionFailed extends Schema.TaggedError<PreconditionFailed>("@payport/core/PreconditionFailed")(
  "PreconditionFailed",
  { ...context, reason: Schema.String }
) {
  /** @since 0.1.0 */
  get retry(): Retry {
    return "after-fix"
  }
  /** @since 0.1.0 */
  get group(): ErrorGroup {
    return "rejected"
  }
  /** @since 0.1.0 */
  override get message(): string {
    return `${where(this)}: precondition failed: ${this.reason}`
  }
}

// ---------------------------------------------------------------------------------------------
// 4. Transient: retry with the same idempotency key
// ---------------------------------------------------------------------------------------------

/**
 * The provider throttled the request. `retryAfterMillis` is the provider's hint, when given.
 *
 * @since 0.1.0
 * @category transient
 */
export class RateLimited extends Schema.TaggedError<RateLimited>("@payport/core/RateLimited")("RateLimited", {
  ...context,
  retryAfterMillis: Schema.optional(Schema.NonNegativeInt)
}) {
  /** @since 0.1.0 */
  get retry(): Retry {
    return "same-key"
  }
  /** @since 0.1.0 */
  get group(): ErrorGroup {
    return "transient"
  }
  /** @since 0.1.0 */
  override get message(): string {
    return `${where(this)}: rate limited${this.retryAfterMillis === undefined ? "" : `, retry after ${this.retryAfterMillis} ms`}`
  }
}

/**
 * The provider answered with a server error, or did not answer a request that is safe to
 * repeat with the same idempotency key.
 *
 * @since 0.1.0
 * @category transient
 */
export class ProviderUnavailable extends Schema.TaggedError<ProviderUnavailable>("@payport/core/ProviderUnavailable")(
  "ProviderUnavailable",
  { ...context, reason: Schema.String }
) {
  /** @since 0.1.0 */
  get retry(): Retry {
    return "same-key"
  }
  /** @since 0.1.0 */
  get group(): ErrorGroup {
    return "transient"
  }
  /** @since 0.1.0 */
  override get message(): string {
    return `${where(this)}: provider unavailable: ${this.reason}`
  }
}

/**
 * The connection could not be made: the request was never sent.
 *
 * @since 0.1.0
 * @category transient
 */
export class ConnectFailed extends Schema.TaggedError<ConnectFailed>("@payport/core/ConnectFailed")("ConnectFailed", {
  ...context,
  reason: Schema.String
}) {
  /** @since 0.1.0 */
  get retry(): Retry {
    return "same-key"
  }
  /** @since 0.1.0 */
  get group(): ErrorGroup {
    return "transient"
  }
  /** @since 0.1.0 */
  override get message(): string {
    return `${where(this)}: could not connect: ${this.reason}`
  }
}

// ---------------------------------------------------------------------------------------------
// 5. Outcome unknown: may have executed
// ---------------------------------------------------------------------------------------------

/**
 * The request may or may not have taken effect (a read timeout after sending, a reset after
 * sending, a success that does not decode). Never retry blindly: sync the payment (or
 * reconcile by reference) and decide from what the provider says.
 *
 * @since 0.1.0
 * @category unknown
 */
export class OutcomeUnknown extends Schema.TaggedError<OutcomeUnknown>("@payport/core/OutcomeUnknown")(
  "OutcomeUnknown",
  {
    ...context,
    idempotencyKey: Schema.String,
    reason: Schema.String,
    /** The provider's id for the resource, when it is known (e.g. Cashfree's order id). */
    providerRef: Schema.optional(Schema.String),
    /**
     * Until when the original request may still land at a provider without idempotency keys: a
     * sync before then that finds nothing is inconclusive, and a same-key retry before then is
     * refused (answered `OutcomeUnknown` again) rather than sent.
     */
    inDoubtUntil: Schema.optional(Schema.DateTimeUtc)
  }
) {
  /** @since 0.1.0 */
  get retry(): Retry {
    return "never"
  }
  /** @since 0.1.0 */
  get group(): ErrorGroup {
    return "unknown"
  }
  /** @since 0.1.0 */
  override get message(): string {
    const until =
      this.inDoubtUntil === undefined ? "" : `; a sync before ${DateTime.formatIso(this.inDoubtUntil)} is inconclusive`
    return `${where(this)}: outcome unknown (${this.reason}); sync before retrying (idempotency key ${this.idempotencyKey})${until}`
  }
}

// ---------------------------------------------------------------------------------------------
// 6. Webhooks
// ---------------------------------------------------------------------------------------------

/**
 * A webhook's signature is missing or does not match.
 *
 * @since 0.1.0
 * @category webhook
 */
export class SignatureInvalid extends Schema.TaggedError<SignatureInvalid>("@payport/core/SignatureInvalid")(
  "SignatureInvalid",
  { ...context, reason: Schema.String }
) {
  /** @since 0.1.0 */
  get retry(): Retry {
    return "never"
  }
  /** @since 0.1.0 */
  get group(): ErrorGroup {
    return "webhook"
  }
  /** @since 0.1.0 */
  override get message(): string {
    return `${this.provider} webhook signature invalid: ${this.reason}`
  }
}

/**
 * A webhook's timestamp is outside the accepted tolerance (a replay, or a skewed clock).
 *
 * @since 0.1.0
 * @category webhook
 */
export class TimestampOutOfTolerance extends Schema.TaggedError<TimestampOutOfTolerance>(
  "@payport/core/TimestampOutOfTolerance"
)("TimestampOutOfTolerance", { ...context, timestamp: Schema.String, toleranceSeconds: Schema.NonNegativeInt }) {
  /** @since 0.1.0 */
  get retry(): Retry {
    return "never"
  }
  /** @since 0.1.0 */
  get group(): ErrorGroup {
    return "webhook"
  }
  /** @since 0.1.0 */
  override get message(): string {
    return `${this.provider} webhook timestamp ${this.timestamp} is outside the ${this.toleranceSeconds} s tolerance`
  }
}

/**
 * A verified webhook carries an event type Payport does not know.
 *
 * @since 0.1.0
 * @category webhook
 */
export class UnknownEvent extends Schema.TaggedError<UnknownEvent>("@payport/core/UnknownEvent")("UnknownEvent", {
  ...context,
  eventType: Schema.String
}) {
  /** @since 0.1.0 */
  get retry(): Retry {
    return "never"
  }
  /** @since 0.1.0 */
  get group(): ErrorGroup {
    return "webhook"
  }
  /** @since 0.1.0 */
  override get message(): string {
    return `${this.provider} webhook event type ${JSON.stringify(this.eventType)} is not known`
  }
}

// ---------------------------------------------------------------------------------------------
// 7. The provider answered something that does not decode
// ---------------------------------------------------------------------------------------------

/**
 * The provider's response does not decode. `raw` carries the scrubbed body for diagnosis. For a
 * mutating call `Ambiguity` gives `OutcomeUnknown` instead, since the call may have succeeded.
 *
 * @since 0.1.0
 * @category invalid response
 */
export class ProviderResponseInvalid extends Schema.TaggedError<ProviderResponseInvalid>(
  "@payport/core/ProviderResponseInvalid"
)("ProviderResponseInvalid", { ...context, reason: Schema.String }) {
  /** @since 0.1.0 */
  get retry(): Retry {
    return "never"
  }
  /** @since 0.1.0 */
  get group(): ErrorGroup {
    return "invalid-response"
  }
  /** @since 0.1.0 */
  override get message(): string {
    return `${where(this)}: response does not decode: ${this.reason}`
  }
}

// ---------------------------------------------------------------------------------------------
// Unions
// ---------------------------------------------------------------------------------------------

/**
 * Errors raised before any I/O.
 *
 * @since 0.1.0
 * @category unions
 */
export type PreflightError = ValidationError | UnsupportedCurrency | UnsupportedMethod | ConfigurationError

/**
 * Definite rejections by the provider.
 *
 * @since 0.1.0
 * @category unions
 */
export type RejectedError =
  | InvalidRequest
  | Unauthenticated
  | NotFound
  | InvalidState
  | IdempotencyConflict
  | PreconditionFailed

/**
 * Errors that are safe to retry with the same idempotency key.
 *
 * @since 0.1.0
 * @category unions
 */
export type TransientError = RateLimited | ProviderUnavailable | ConnectFailed

/**
 * Webhook verification failures.
 *
 * @since 0.1.0
 * @category unions
 */
export type WebhookError = SignatureInvalid | TimestampOutOfTolerance | UnknownEvent

/**
 * What a port operation (other than webhook verification) can fail with.
 *
 * @since 0.1.0
 * @category unions
 */
export type OperationError =
  | PreflightError
  | PaymentDeclined
  | RejectedError
  | TransientError
  | OutcomeUnknown
  | ProviderResponseInvalid

/**
 * Every Payport error, as a schema: `Schema.encode(PaymentError)` / `Schema.decodeUnknown(PaymentError)`
 * move errors across process boundaries and give back real class instances.
 *
 * @since 0.1.0
 * @category unions
 */
export const PaymentError = Schema.Union(
  ValidationError,
  UnsupportedCurrency,
  UnsupportedMethod,
  ConfigurationError,
  PaymentDeclined,
  InvalidRequest,
  Unauthenticated,
  NotFound,
  InvalidState,
  IdempotencyConflict,
  PreconditionFailed,
  RateLimited,
  ProviderUnavailable,
  ConnectFailed,
  OutcomeUnknown,
  SignatureInvalid,
  TimestampOutOfTolerance,
  UnknownEvent,
  ProviderResponseInvalid
)
/**
 * @since 0.1.0
 * @category unions
 */
export type PaymentError = typeof PaymentError.Type

/**
 * True for errors that are safe to retry with the same idempotency key.
 *
 * @since 0.1.0
 * @category guards
 */
export const isTransient = (error: PaymentError): error is TransientError => error.retry === "same-key"

/**
 * True when money may have moved and only a sync can tell.
 *
 * @since 0.1.0
 * @category guards
 */
export const isOutcomeUnknown = (error: PaymentError): error is OutcomeUnknown => error._tag === "OutcomeUnknown"
