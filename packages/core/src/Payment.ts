/**
 * A payment as the provider sees it: its ref, the merchant's reference, the amount ledger, a
 * summary of the method, a status from a closed tagged union and, when the provider reports them,
 * the processor's details (`Processor`).
 *
 * `RequiresAction` carries what the payer must do next (redirect, OTP, approve a UPI collect,
 * open a UPI app, scan a QR, complete 3-D Secure). `Unknown` means the provider may or may not
 * have acted: only a sync resolves it. Allowed status changes live in `StateMachine`.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { CustomerId, InstrumentId, OrderReference, PaymentRef } from "./Ids.js"
import { Ledger } from "./Ledger.js"
import { Money } from "./Money.js"
import { Decline } from "./PaymentError.js"
import { Processor } from "./Processor.js"
import { constructorCheck } from "./internal/construct.js"

// ---------------------------------------------------------------------------------------------
// Actions
// ---------------------------------------------------------------------------------------------

/**
 * Send the payer's browser to `url` (GET, or an auto-submitted POST form).
 *
 * @since 0.1.0
 * @category actions
 */
export const Redirect = Schema.TaggedStruct("Redirect", {
  url: Schema.String,
  method: Schema.Literal("GET", "POST"),
  form: Schema.Record({ key: Schema.String, value: Schema.String })
})

/**
 * Ask the payer for the one-time password sent by the issuer; submit it through `OtpAuthentication`.
 *
 * @since 0.1.0
 * @category actions
 */
export const Otp = Schema.TaggedStruct("Otp", {
  resendable: Schema.Boolean,
  /** Where the provider's own OTP page lives, as a fallback. */
  fallbackUrl: Schema.optional(Schema.String)
})

/**
 * A UPI collect request was sent to `vpa`; the payer approves it in their UPI app.
 *
 * @since 0.1.0
 * @category actions
 */
export const UpiCollect = Schema.TaggedStruct("UpiCollect", {
  vpa: Schema.String,
  expiresAt: Schema.optional(Schema.DateTimeUtc)
})

/**
 * Deep links that open UPI apps, by app name (`default` for the generic `upi://` link).
 *
 * @since 0.1.0
 * @category actions
 */
export const UpiIntent = Schema.TaggedStruct("UpiIntent", {
  uris: Schema.Record({ key: Schema.String, value: Schema.String })
})

/**
 * A QR code to show the payer: `payload` is the text to encode (or a data URL of the image).
 *
 * @since 0.1.0
 * @category actions
 */
export const QrCode = Schema.TaggedStruct("QrCode", { payload: Schema.String })

/**
 * 3-D Secure step-up: post `form` to `url` in the payer's browser.
 *
 * @since 0.1.0
 * @category actions
 */
export const ThreeDs = Schema.TaggedStruct("ThreeDs", {
  url: Schema.String,
  form: Schema.Record({ key: Schema.String, value: Schema.String })
})

/**
 * What the payer must do next.
 *
 * @since 0.1.0
 * @category actions
 */
export const Action = Schema.Union(Redirect, Otp, UpiCollect, UpiIntent, QrCode, ThreeDs)
/**
 * @since 0.1.0
 * @category actions
 */
export type Action = typeof Action.Type

// ---------------------------------------------------------------------------------------------
// Status
// ---------------------------------------------------------------------------------------------

/**
 * @since 0.1.0
 * @category status
 */
export const RequiresAction = Schema.TaggedStruct("RequiresAction", { action: Action })
/**
 * @since 0.1.0
 * @category status
 */
export const Processing = Schema.TaggedStruct("Processing", {})
/**
 * @since 0.1.0
 * @category status
 */
export const Authorized = Schema.TaggedStruct("Authorized", { expiresAt: Schema.optional(Schema.DateTimeUtc) })
/**
 * @since 0.1.0
 * @category status
 */
export const PartiallyCaptured = Schema.TaggedStruct("PartiallyCaptured", {})
/**
 * @since 0.1.0
 * @category status
 */
export const Captured = Schema.TaggedStruct("Captured", {})
/**
 * @since 0.1.0
 * @category status
 */
export const Voided = Schema.TaggedStruct("Voided", {})
/**
 * @since 0.1.0
 * @category status
 */
export const Failed = Schema.TaggedStruct("Failed", { decline: Decline })
/**
 * @since 0.1.0
 * @category status
 */
export const Expired = Schema.TaggedStruct("Expired", {})
/**
 * @since 0.1.0
 * @category status
 */
export const Unknown = Schema.TaggedStruct("Unknown", { since: Schema.DateTimeUtc })

/**
 * The status of a payment.
 *
 * @since 0.1.0
 * @category status
 */
export const PaymentStatus = Schema.Union(
  RequiresAction,
  Processing,
  Authorized,
  PartiallyCaptured,
  Captured,
  Voided,
  Failed,
  Expired,
  Unknown
)
/**
 * @since 0.1.0
 * @category status
 */
export type PaymentStatus = typeof PaymentStatus.Type
/**
 * @since 0.1.0
 * @category status
 */
export type StatusTag = PaymentStatus["_tag"]

// ---------------------------------------------------------------------------------------------
// Payment
// ---------------------------------------------------------------------------------------------

/**
 * A display-safe summary of how the payment was made.
 *
 * @since 0.1.0
 * @category models
 */
export class MethodSummary extends Schema.Class<MethodSummary>("@payport/core/MethodSummary")({
  kind: Schema.Literal(
    "Card",
    "SavedCard",
    "NetworkToken",
    "Upi",
    "Netbanking",
    "Wallet",
    "CardEmi",
    "PayLater",
    "CardlessEmi"
  ),
  /** e.g. `•••• 1111`, a VPA, a bank name. Never a full card number. */
  display: Schema.optional(Schema.String),
  network: Schema.optional(Schema.String),
  instrumentId: Schema.optional(InstrumentId)
}) {}

/**
 * Whether a payment captures at once (sale) or holds funds for a later capture.
 *
 * @since 0.1.0
 * @category models
 */
export const CaptureMode = Schema.Literal("automatic", "manual")
/**
 * @since 0.1.0
 * @category models
 */
export type CaptureMode = typeof CaptureMode.Type

const paymentFields = {
  ref: PaymentRef,
  reference: OrderReference,
  amount: Money,
  ledger: Ledger,
  captureMode: CaptureMode,
  method: MethodSummary,
  status: PaymentStatus,
  customerId: Schema.optional(CustomerId),
  /** The instrument saved by this payment, when it was asked to save the method. */
  savedInstrumentId: Schema.optional(InstrumentId),
  /** What the processor said: approval code, network and retrieval references, response, AVS/CVV. */
  processor: Schema.optional(Processor),
  createdAt: Schema.DateTimeUtc
}

const checkPayment = constructorCheck(paymentFields)

/**
 * A payment.
 *
 * @since 0.1.0
 * @category models
 */
export class Payment extends Schema.Class<Payment>("@payport/core/Payment")(paymentFields) {
  constructor(props: Schema.Struct.Constructor<typeof paymentFields>, options?: Schema.MakeOptions) {
    super(checkPayment(props, options), true)
  }
}
