/**
 * What callers ask the payment ports to do, and the validated form drivers receive.
 *
 * Inputs take plain strings; drivers get branded, checked values and an idempotency key that is
 * always present (the caller's, or one derived from the operation, reference and amount). So a
 * driver cannot be handed an unvalidated reference or a missing key.
 *
 * Derived keys identify the logical operation: two refunds of the same amount on the same
 * payment without a `reference` or `idempotencyKey` are one refund. Give a reference (or key)
 * to make repeated equal refunds or captures distinct.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import type { Address } from "./Customer.js"
import * as Idempotency from "./Idempotency.js"
import { CustomerId, type IdempotencyKey, OrderReference, type PaymentRef, validate as validateField } from "./Ids.js"
import type { Money } from "./Money.js"
import type { CaptureMode } from "./Payment.js"
import type { ValidationError } from "./PaymentError.js"
import * as PaymentMethod from "./PaymentMethod.js"
import { check, EMAIL, matches, nonEmpty, PHONE, PHONE_RULE } from "./internal/port.js"

/**
 * Provider-specific options, keyed by provider name (`{ cashfree: { order_tags: … } }`): the
 * escape hatch for what the common ports do not model. Each adapter reads only its own key, and
 * an option under its own key that it does not know fails `ValidationError` before any I/O
 * (see `validateProviderOptions`): a caller's option is honoured or refused, never ignored.
 *
 * @since 0.1.0
 * @category models
 */
export type ProviderOptions = Readonly<Record<string, Readonly<Record<string, unknown>> | undefined>>

/**
 * The payer, as the payment needs them.
 *
 * @since 0.1.0
 * @category models
 */
export interface PaymentCustomer {
  readonly id: string
  readonly email?: string
  readonly phone?: string
  readonly name?: string
}

/**
 * Why a merchant charges a stored card without the customer present: the standing-instruction
 * kinds (`recurring` on a fixed schedule, `installment` of one purchase, `unscheduled` on a
 * condition such as a top-up threshold) and the industry follow-ups of an earlier purchase
 * (`resubmission` of a declined one, `delayed_charge` after it, `reauthorization` of an expired
 * hold, `no_show` fee, `top_up` of an account).
 *
 * @since 0.1.0
 * @category models
 */
export type MerchantInitiatedReason =
  | "recurring"
  | "installment"
  | "unscheduled"
  | "resubmission"
  | "delayed_charge"
  | "reauthorization"
  | "no_show"
  | "top_up"

/**
 * Who starts a payment, for the card networks' stored-credential rules.
 *
 * - `Customer`: the customer is present (checkout). `storedCredential` says whether this payment
 *   stores the card for later use (`first`), uses a card stored earlier (`subsequent`), or neither
 *   (absent: a one-off payment).
 * - `Merchant`: the merchant charges a stored card with the customer absent. Always a subsequent
 *   use: the first use of a stored credential is customer-initiated. `previousNetworkTransactionId`
 *   is the network transaction id of the first payment of the series (or the previous one), as it
 *   came back in that payment's `processor.networkTransactionId`.
 *
 * @since 0.1.0
 * @category models
 */
export type Initiator =
  | { readonly _tag: "Customer"; readonly storedCredential?: "first" | "subsequent" }
  | {
      readonly _tag: "Merchant"
      readonly reason: MerchantInitiatedReason
      readonly previousNetworkTransactionId: string
    }

/**
 * A request to pay (`Payments.create`, captured at once) or to hold funds (`Authorization.authorize`).
 *
 * @since 0.1.0
 * @category requests
 */
export interface CreatePaymentInput {
  /** The merchant's order reference: 1–45 letters, digits, `_` or `-`. */
  readonly reference: string
  readonly amount: Money
  readonly method: PaymentMethod.PaymentMethod
  readonly customer?: PaymentCustomer
  readonly billing?: Address
  /** Save the method as an instrument of `customer` for later payments. */
  readonly saveInstrument?: boolean
  /** Where the payer returns after a redirect. */
  readonly returnUrl?: string
  /** Where the provider sends webhooks for this payment. */
  readonly notifyUrl?: string
  readonly description?: string
  /**
   * Who starts the payment. Default: the customer, storing the card when `saveInstrument` is set
   * and using a stored one when paying with a `SavedCard` (see `initiatorOf`).
   */
  readonly initiator?: Initiator
  readonly idempotencyKey?: string
  readonly providerOptions?: ProviderOptions
}

/**
 * The validated form of `CreatePaymentInput` a driver receives.
 *
 * @since 0.1.0
 * @category requests
 */
export interface CreatePayment extends Omit<CreatePaymentInput, "reference" | "idempotencyKey" | "customer"> {
  readonly reference: OrderReference
  readonly idempotencyKey: IdempotencyKey
  readonly captureMode: CaptureMode
  readonly customer?: PaymentCustomer & { readonly id: CustomerId }
}

/**
 * Capture (part of) a held payment. Without `amount`, the whole remainder is captured.
 *
 * @since 0.1.0
 * @category requests
 */
export interface CaptureInput {
  readonly payment: PaymentRef
  readonly amount?: Money
  readonly idempotencyKey?: string
}

/**
 * The validated capture request.
 *
 * @since 0.1.0
 * @category requests
 */
export interface Capture extends Omit<CaptureInput, "idempotencyKey"> {
  readonly idempotencyKey: IdempotencyKey
}

/**
 * Release a held payment.
 *
 * @since 0.1.0
 * @category requests
 */
export interface VoidInput {
  readonly payment: PaymentRef
  readonly idempotencyKey?: string
}

/**
 * The validated void request.
 *
 * @since 0.1.0
 * @category requests
 */
export interface Void extends Omit<VoidInput, "idempotencyKey"> {
  readonly idempotencyKey: IdempotencyKey
}

/**
 * Refund (part of) a captured payment.
 *
 * @since 0.1.0
 * @category requests
 */
export interface RefundInput {
  readonly payment: PaymentRef
  readonly amount: Money
  /** The merchant's refund reference (Cashfree `refund_id`). */
  readonly reference?: string
  readonly reason?: string
  readonly idempotencyKey?: string
}

/**
 * The validated refund request.
 *
 * @since 0.1.0
 * @category requests
 */
export interface Refund extends Omit<RefundInput, "idempotencyKey"> {
  readonly idempotencyKey: IdempotencyKey
}

/**
 * The initiator of a payment request, with the default filled in: customer-initiated, storing the
 * card when `saveInstrument` is set, using a stored one when the method is a `SavedCard`.
 *
 * @since 0.1.0
 * @category models
 */
export const initiatorOf = (
  request: Pick<CreatePaymentInput, "initiator" | "method" | "saveInstrument">
): Initiator => {
  if (request.initiator?._tag === "Merchant") return request.initiator
  const stored =
    request.initiator?.storedCredential ??
    (request.method._tag === "SavedCard" ? "subsequent" : request.saveInstrument === true ? "first" : undefined)
  return stored === undefined ? { _tag: "Customer" } : { _tag: "Customer", storedCredential: stored }
}

/** The methods that are a card credential a merchant can store and charge later. */
const storableMethods: ReadonlyArray<PaymentMethod.MethodKind> = ["Card", "SavedCard", "NetworkToken"]

const validateInitiator = (input: CreatePaymentInput) =>
  Effect.gen(function* () {
    const initiator = input.initiator
    if (initiator === undefined) return
    if (initiator._tag === "Merchant") {
      yield* check(
        storableMethods.includes(input.method._tag),
        "initiator",
        "a merchant-initiated payment charges a stored card (Card, SavedCard or NetworkToken)"
      )
      yield* check(input.saveInstrument !== true, "initiator", "a merchant-initiated payment cannot store the card")
      yield* check(
        initiator.previousNetworkTransactionId.trim().length > 0 &&
          initiator.previousNetworkTransactionId.length <= 100,
        "initiator.previousNetworkTransactionId",
        "must be the network transaction id of the first payment (1 to 100 characters)"
      )
      return
    }
    yield* check(
      initiator.storedCredential !== "first" || input.method._tag !== "SavedCard",
      "initiator.storedCredential",
      "a saved card is already stored: its use is 'subsequent'"
    )
    yield* check(
      initiator.storedCredential !== "subsequent" || input.saveInstrument !== true,
      "initiator.storedCredential",
      "a payment that saves the card is its first stored use"
    )
    yield* check(
      initiator.storedCredential === undefined || storableMethods.includes(input.method._tag),
      "initiator.storedCredential",
      "only a card credential can be stored"
    )
  })

const URL_PATTERN = /^https?:\/\/[^\s]+$/

const positive = (field: string, amount: Money) => check(amount.amount > 0, field, "must be greater than zero")

const url = (field: string, value: string | undefined) =>
  check(value === undefined || (value.length <= 2048 && URL_PATTERN.test(value)), field, "must be an http(s) URL")

const validateCustomer = (customer: PaymentCustomer) =>
  Effect.gen(function* () {
    const id = yield* validateField(CustomerId, "customer.id")(customer.id)
    yield* matches("customer.email", customer.email, EMAIL, "an email address")
    yield* matches("customer.phone", customer.phone, PHONE, PHONE_RULE)
    yield* nonEmpty("customer.name", customer.name, 100)
    return { ...customer, id }
  })

/**
 * Checks a payment request before any I/O and fills in the idempotency key.
 *
 * @since 0.1.0
 * @category validation
 */
export const validateCreate = (
  input: CreatePaymentInput,
  captureMode: CaptureMode
): Effect.Effect<CreatePayment, ValidationError> =>
  Effect.gen(function* () {
    const reference = yield* validateField(OrderReference, "reference")(input.reference)
    yield* positive("amount", input.amount)
    yield* PaymentMethod.validate(input.method)
    const customer = input.customer === undefined ? undefined : yield* validateCustomer(input.customer)
    yield* check(
      input.saveInstrument !== true || customer !== undefined,
      "customer",
      "is required to save the payment method"
    )
    yield* check(
      input.method._tag !== "SavedCard" || customer !== undefined,
      "customer",
      "is required to pay with a saved card: it pays only for the customer it belongs to"
    )
    yield* url("returnUrl", input.returnUrl)
    yield* url("notifyUrl", input.notifyUrl)
    yield* nonEmpty("description", input.description, 500)
    yield* validateInitiator(input)
    const idempotencyKey = yield* Idempotency.resolve(
      input.idempotencyKey,
      captureMode === "automatic" ? "sale" : "authorize",
      [reference, input.amount.currency, input.amount.amount]
    )
    const { customer: _, ...rest } = input
    return { ...rest, reference, idempotencyKey, captureMode, ...(customer === undefined ? {} : { customer }) }
  })

/**
 * Refuses, before any I/O, an option under `provider`'s key of `providerOptions` that is not one
 * of `known` (the options the provider's adapter reads). Options under other providers' keys are
 * left alone, so one request can carry options for each provider a deployment may choose.
 *
 * @since 0.1.0
 * @category validation
 */
export const validateProviderOptions = (
  options: ProviderOptions | undefined,
  provider: string,
  known: ReadonlyArray<string>
): Effect.Effect<void, ValidationError> =>
  Effect.forEach(Object.keys(options?.[provider] ?? {}), (name) =>
    check(
      known.includes(name),
      `providerOptions.${provider}.${name}`,
      known.length === 0
        ? `is not an option of ${provider}, which takes none`
        : `is not an option of ${provider} (it takes ${known.join(", ")})`
    )
  ).pipe(Effect.asVoid)

/**
 * Checks a capture request and fills in the idempotency key.
 *
 * @since 0.1.0
 * @category validation
 */
export const validateCapture = (input: CaptureInput): Effect.Effect<Capture, ValidationError> =>
  Effect.gen(function* () {
    if (input.amount !== undefined) yield* positive("amount", input.amount)
    const idempotencyKey = yield* Idempotency.resolve(input.idempotencyKey, "capture", [
      input.payment.provider,
      input.payment.orderId ?? "",
      input.payment.paymentId,
      input.amount?.currency ?? "",
      input.amount?.amount ?? "all"
    ])
    return { ...input, idempotencyKey }
  })

/**
 * Checks a void request and fills in the idempotency key.
 *
 * @since 0.1.0
 * @category validation
 */
export const validateVoid = (input: VoidInput): Effect.Effect<Void, ValidationError> =>
  Effect.map(
    Idempotency.resolve(input.idempotencyKey, "void", [
      input.payment.provider,
      input.payment.orderId ?? "",
      input.payment.paymentId
    ]),
    (idempotencyKey) => ({ ...input, idempotencyKey })
  )

/**
 * Checks a refund request and fills in the idempotency key.
 *
 * @since 0.1.0
 * @category validation
 */
export const validateRefund = (input: RefundInput): Effect.Effect<Refund, ValidationError> =>
  Effect.gen(function* () {
    yield* positive("amount", input.amount)
    yield* check(
      input.reference === undefined || /^[A-Za-z0-9_-]{1,40}$/.test(input.reference),
      "reference",
      "must be 1 to 40 letters, digits, '_' or '-'"
    )
    yield* nonEmpty("reason", input.reason, 100)
    const idempotencyKey = yield* Idempotency.resolve(input.idempotencyKey, "refund", [
      input.payment.provider,
      input.payment.orderId ?? "",
      input.payment.paymentId,
      input.reference ?? "",
      input.amount.currency,
      input.amount.amount
    ])
    return { ...input, idempotencyKey }
  })
