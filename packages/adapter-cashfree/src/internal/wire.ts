/**
 * Cashfree's wire format: the response shapes the adapter reads, and the JSON writer for requests.
 *
 * Schemas are strict about what the ports need (ids, amounts, statuses) and lenient about the
 * rest: extra fields are ignored, optional fields may be `null`, and every `cf_*` id is accepted
 * as a number (x-api-version 2022-09-01) or a string (2023-08-01 and later) and read as text.
 * Amounts are kept as JSON numbers or decimal text and converted to minor units by the mapping,
 * never by arithmetic here.
 *
 * Entity and body schemas are built on first use (`Schema.suspend`), not when the module is
 * imported: a process pays for building only the shapes it decodes, and starts sooner.
 */
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"

// ---------------------------------------------------------------------------------------------
// Primitives
// ---------------------------------------------------------------------------------------------

/** A `cf_*` id: an integer (2022-09-01) or a string (later versions), always read as text. */
export const Id = Schema.transform(Schema.Union(Schema.String, Schema.Number), Schema.String, {
  strict: true,
  decode: (value) =>
    typeof value === "number" ? (Number.isSafeInteger(value) ? String(value) : value.toString()) : value,
  encode: (text) => text
})

/** An amount as Cashfree writes it: a JSON number, or decimal text in some payloads. */
export const Amount = Schema.Union(Schema.Number, Schema.String)
export type Amount = typeof Amount.Type

/**
 * One entity, also accepted as a one-element array: SPEC25 illustrates some single-entity answers
 * (create refund, fetch instrument) with its list examples.
 */
export const One = <A, I>(schema: Schema.Schema<A, I>) =>
  Schema.Union(
    schema,
    Schema.transform(Schema.Tuple(schema), Schema.typeSchema(schema), {
      strict: true,
      decode: ([one]) => one,
      encode: (one) => [one] as const
    })
  )

const optional = <S extends Schema.Schema.Any>(schema: S) => Schema.optionalWith(schema, { nullable: true })

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/** The error body of every operation: `{message, code, type, help?}`. */
export const ErrorBody = Schema.suspend(() =>
  Schema.Struct({
    message: optional(Schema.String),
    code: optional(Schema.String),
    type: optional(Schema.String),
    help: optional(Schema.String)
  })
)
export type ErrorBody = typeof ErrorBody.Type

// ---------------------------------------------------------------------------------------------
// Orders and Order Pay
// ---------------------------------------------------------------------------------------------

/** `OrderEntity`: what create order returns. The session id is what Order Pay needs. */
export const OrderEntity = Schema.suspend(() =>
  Schema.Struct({
    cf_order_id: optional(Id),
    order_id: Schema.String,
    order_amount: optional(Amount),
    order_currency: optional(Schema.String),
    order_status: optional(Schema.String),
    payment_session_id: optional(Schema.String),
    created_at: optional(Schema.String),
    customer_details: optional(
      Schema.Struct({
        customer_id: optional(Schema.String),
        customer_uid: optional(Schema.String)
      })
    )
  })
)
export type OrderEntity = typeof OrderEntity.Type

/** `OrderPayData`: where the payer goes next. `payload` is free-form (form fields, UPI links, QR). */
export const OrderPayData = Schema.suspend(() =>
  Schema.Struct({
    url: optional(Schema.String),
    payload: optional(Schema.Record({ key: Schema.String, value: Schema.Unknown })),
    content_type: optional(Schema.String),
    method: optional(Schema.String),
    redirect_to_bank: optional(Schema.Union(Schema.String, Schema.Boolean))
  })
)
export type OrderPayData = typeof OrderPayData.Type

/** `PayOrderEntity`: the answer to Order Pay. */
export const PayOrderEntity = Schema.suspend(() =>
  Schema.Struct({
    cf_payment_id: Id,
    payment_amount: optional(Amount),
    payment_method: optional(Schema.String),
    channel: optional(Schema.String),
    action: optional(Schema.String),
    data: optional(OrderPayData)
  })
)
export type PayOrderEntity = typeof PayOrderEntity.Type

/** `OrderAuthenticateEntity`: the answer to OTP submit/resend. */
export const OrderAuthenticateEntity = Schema.suspend(() =>
  Schema.Struct({
    cf_payment_id: optional(Id),
    action: optional(Schema.String),
    authenticate_status: Schema.String,
    payment_message: optional(Schema.String)
  })
)
export type OrderAuthenticateEntity = typeof OrderAuthenticateEntity.Type

// ---------------------------------------------------------------------------------------------
// Payments
// ---------------------------------------------------------------------------------------------

/** `error_details` of a failed payment. */
export const ErrorDetails = Schema.Struct({
  error_code: optional(Schema.String),
  error_description: optional(Schema.String),
  error_reason: optional(Schema.String),
  error_source: optional(Schema.String),
  error_code_raw: optional(Schema.String),
  error_description_raw: optional(Schema.String),
  error_subcode_raw: optional(Schema.String)
})
export type ErrorDetails = typeof ErrorDetails.Type

/**
 * `payment_gateway_details` (SPEC25 `PaymentGatewayDetails`): which gateway processed the payment
 * and its ids. On a payment entity, and beside `payment` in a payment webhook's `data`.
 */
export const GatewayDetails = Schema.Struct({
  gateway_name: optional(Schema.String),
  gateway_order_id: optional(Schema.String),
  gateway_payment_id: optional(Schema.String),
  gateway_order_reference_id: optional(Schema.String),
  gateway_status_code: optional(Schema.String),
  gateway_settlement: optional(Schema.String),
  gateway_reference_name: optional(Schema.String)
})
export type GatewayDetails = typeof GatewayDetails.Type

/** `authorization` of a pre-authorized payment. */
export const AuthorizationDetails = Schema.Struct({
  action: optional(Schema.String),
  status: optional(Schema.String),
  captured_amount: optional(Amount),
  start_time: optional(Schema.String),
  end_time: optional(Schema.String),
  approve_by: optional(Schema.String)
})
export type AuthorizationDetails = typeof AuthorizationDetails.Type

/**
 * The fields of a `payment_method` entry the adapter reads: what the summary shows (masked card,
 * VPA, bank, provider) and the card network's transaction reference.
 */
export const PaymentMethodDetails = Schema.Struct({
  channel: optional(Schema.String),
  card_number: optional(Schema.String),
  card_network: optional(Schema.String),
  card_network_reference_id: optional(Schema.String),
  instrument_id: optional(Schema.String),
  upi_id: optional(Schema.String),
  netbanking_bank_name: optional(Schema.String),
  provider: optional(Schema.String)
})
export type PaymentMethodDetails = typeof PaymentMethodDetails.Type

/** `PaymentEntity`. */
export const PaymentEntity = Schema.suspend(() =>
  Schema.Struct({
    cf_payment_id: Id,
    order_id: optional(Schema.String),
    payment_status: Schema.String,
    payment_amount: optional(Amount),
    payment_currency: optional(Schema.String),
    order_amount: optional(Amount),
    order_currency: optional(Schema.String),
    is_captured: optional(Schema.Boolean),
    payment_group: optional(Schema.String),
    payment_message: optional(Schema.String),
    payment_time: optional(Schema.String),
    payment_completion_time: optional(Schema.String),
    /** Text in the entity; a number in some SPEC25 examples (payment charges webhook). */
    bank_reference: optional(Id),
    auth_id: optional(Schema.String),
    payment_gateway_details: optional(GatewayDetails),
    error_details: optional(ErrorDetails),
    authorization: optional(AuthorizationDetails),
    payment_method: optional(Schema.Record({ key: Schema.String, value: Schema.Unknown }))
  })
)
export type PaymentEntity = typeof PaymentEntity.Type

/** `PaymentEntity[]`. */
export const PaymentEntities = Schema.Array(PaymentEntity)

// ---------------------------------------------------------------------------------------------
// Refunds
// ---------------------------------------------------------------------------------------------

/** `RefundEntity` (and the `auto_refund` object of `AUTO_REFUND_STATUS_WEBHOOK`). */
export const RefundEntity = Schema.suspend(() =>
  Schema.Struct({
    cf_payment_id: optional(Id),
    cf_refund_id: optional(Id),
    order_id: optional(Schema.String),
    refund_id: optional(Schema.String),
    refund_amount: Amount,
    refund_currency: optional(Schema.String),
    refund_note: optional(Schema.String),
    refund_status: Schema.String,
    status_description: optional(Schema.String),
    created_at: optional(Schema.String)
  })
)
export type RefundEntity = typeof RefundEntity.Type

/** `RefundEntity[]`. */
export const RefundEntities = Schema.Array(RefundEntity)

// ---------------------------------------------------------------------------------------------
// Customers and the token vault
// ---------------------------------------------------------------------------------------------

/** `CustomerEntity`. */
export const CustomerEntity = Schema.suspend(() =>
  Schema.Struct({
    customer_uid: Schema.String,
    customer_phone: optional(Schema.String),
    customer_email: optional(Schema.String),
    customer_name: optional(Schema.String)
  })
)
export type CustomerEntity = typeof CustomerEntity.Type

/** `InstrumentEntity`. */
export const InstrumentEntity = Schema.suspend(() =>
  Schema.Struct({
    customer_id: Schema.String,
    instrument_id: Schema.String,
    instrument_type: optional(Schema.String),
    instrument_uid: optional(Schema.String),
    instrument_display: optional(Schema.String),
    instrument_status: Schema.String,
    afa_reference: optional(Id),
    created_at: optional(Schema.String),
    instrument_meta: optional(
      Schema.Struct({
        card_network: optional(Schema.String),
        card_bank_name: optional(Schema.String),
        card_country: optional(Schema.String),
        card_type: optional(Schema.String),
        card_token_details: optional(
          Schema.Struct({
            par: optional(Schema.String),
            expiry_month: optional(Schema.Union(Schema.String, Schema.Number)),
            expiry_year: optional(Schema.Union(Schema.String, Schema.Number))
          })
        )
      })
    )
  })
)
export type InstrumentEntity = typeof InstrumentEntity.Type

/** `InstrumentEntity[]`. */
export const InstrumentEntities = Schema.Array(InstrumentEntity)

/** `CryptogramEntity`. The token PAN and cryptogram are wrapped in `Redacted` by the mapping at once. */
export const CryptogramEntity = Schema.suspend(() =>
  Schema.Struct({
    instrument_id: optional(Schema.String),
    token_requestor_id: optional(Id),
    card_number: Schema.String,
    card_expiry_mm: Schema.Union(Schema.String, Schema.Number),
    card_expiry_yy: Schema.Union(Schema.String, Schema.Number),
    cryptogram: Schema.String,
    card_display: optional(Schema.String)
  })
)
export type CryptogramEntity = typeof CryptogramEntity.Type

// ---------------------------------------------------------------------------------------------
// Webhooks
// ---------------------------------------------------------------------------------------------

/** The envelope of every webhook: `{data, event_time, type}`. */
export const WebhookEnvelope = Schema.suspend(() =>
  Schema.Struct({
    type: Schema.String,
    event_time: optional(Schema.String),
    data: Schema.Record({ key: Schema.String, value: Schema.Unknown })
  })
)
export type WebhookEnvelope = typeof WebhookEnvelope.Type

/** `data.order` of a payment webhook. */
export const WebhookOrder = Schema.suspend(() =>
  Schema.Struct({
    order_id: Schema.String,
    order_amount: optional(Amount),
    order_currency: optional(Schema.String)
  })
)
export type WebhookOrder = typeof WebhookOrder.Type

const PaymentWebhookFields = Schema.Struct({
  order: WebhookOrder,
  payment: PaymentEntity,
  error_details: optional(ErrorDetails),
  payment_gateway_details: optional(GatewayDetails)
})

/**
 * `data` of `PAYMENT_*_WEBHOOK`. The webhook carries `payment_gateway_details` beside `payment`
 * (SPEC25 `PaymentWebhook`), not in it: decoding moves it into the payment entity, where the
 * mapping reads it for every other answer.
 */
export const PaymentWebhookData = Schema.transform(PaymentWebhookFields, Schema.typeSchema(PaymentWebhookFields), {
  strict: true,
  decode: (data) =>
    data.payment_gateway_details === undefined || data.payment.payment_gateway_details !== undefined
      ? data
      : { ...data, payment: { ...data.payment, payment_gateway_details: data.payment_gateway_details } },
  encode: (data) => data
})

// ---------------------------------------------------------------------------------------------
// Decoding without echoing values
// ---------------------------------------------------------------------------------------------

/**
 * Which fields failed to decode, by path only. Parse errors print the offending values, and a
 * response may carry a token PAN or cryptogram, so reasons name paths and never values.
 */
export const describeParseError = (error: ParseResult.ParseError): string => {
  // The formatter renders each issue's message from the offending value, recursively: a hostile
  // body nested a few thousand levels deep overflows the stack there,
  // which would escape as a defect instead of a typed error.
  let issues: ReadonlyArray<ParseResult.ArrayFormatterIssue>
  try {
    issues = ParseResult.ArrayFormatter.formatErrorSync(error)
  } catch {
    return "unexpected shape (too deeply nested to describe)"
  }
  const paths = Array.from(new Set(issues.map((issue) => (issue.path.length === 0 ? "(body)" : issue.path.join(".")))))
  return `unexpected shape at ${paths.slice(0, 5).join(", ")}${paths.length > 5 ? ", …" : ""}`
}

// ---------------------------------------------------------------------------------------------
// Writing JSON with exact amounts
// ---------------------------------------------------------------------------------------------

/** A decimal amount to write into JSON as a number, verbatim (never through a float). */
export class Decimal {
  constructor(readonly text: string) {
    if (!/^\d+(?:\.\d+)?$/.test(text)) throw new Error("Decimal expects plain decimal text")
  }
}

/** What the writer accepts: JSON values plus `Decimal`. `undefined` members are left out. */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | Decimal
  | ReadonlyArray<JsonValue>
  | { readonly [key: string]: JsonValue | undefined }

/**
 * JSON text of `value`, with each `Decimal` spliced in as a number literal. `JSON.stringify` would
 * first turn `10.10` into the float 10.1 (harmless) but `12345678901234.56` into a rounded double;
 * splicing keeps the text the money module produced.
 */
export const stringify = (value: JsonValue): string => {
  if (value instanceof Decimal) return value.text
  if (value === null || typeof value !== "object") return JSON.stringify(value)
  if (Array.isArray(value)) return `[${value.map((item: JsonValue) => stringify(item)).join(",")}]`
  const members: Array<string> = []
  for (const [key, member] of Object.entries(value as { readonly [key: string]: JsonValue | undefined })) {
    if (member !== undefined) members.push(`${JSON.stringify(key)}:${stringify(member)}`)
  }
  return `{${members.join(",")}}`
}
