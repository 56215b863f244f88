/**
 * The emulator's records as Cashfree's wire entities, per `x-api-version` (see `Versions.ts`):
 * OrderEntity, PayOrderEntity, PaymentEntity, RefundEntity, InstrumentEntity, CryptogramEntity,
 * CustomerEntity, SimulationResponse, OrderAuthenticateEntity.
 *
 * Amounts are written from minor units as exact decimal text (`Json.RawNumber`): API responses in
 * the shortest form a JSON encoder would produce (`22`, `10.5`), webhooks with every fraction digit
 * (`170.00`), as Cashfree's webhook documentation shows. Times are ISO 8601 in IST (`+05:30`),
 * like Cashfree's.
 */
import * as Currency from "@payport/core/Currency"
import * as Json from "../emulator/Json.js"
import type { Customer, Instrument, Order, Payment, Refund, Simulation, State } from "./State.js"
import { paymentsOf } from "./State.js"
import * as Versions from "./Versions.js"

/** How to write amounts. */
export type AmountStyle = "shortest" | "fixed"

/** An amount in minor units as a JSON number with exact decimal text. */
export const amount = (
  minor: number,
  currency: Currency.CurrencyCode,
  style: AmountStyle = "shortest"
): Json.RawNumber => {
  const digits = Currency.exponent(currency)
  if (digits === 0) return Json.rawNumber(String(minor))
  const text = String(minor).padStart(digits + 1, "0")
  let fraction = text.slice(-digits)
  const whole = text.slice(0, -digits)
  if (style === "shortest") fraction = fraction.replace(/0+$/, "")
  return Json.rawNumber(fraction === "" ? whole : `${whole}.${fraction}`)
}

const IST_OFFSET_MS = 330 * 60 * 1000

/** `2025-01-15T11:16:10+05:30`. */
export const ist = (epochMs: number): string => `${new Date(epochMs + IST_OFFSET_MS).toISOString().slice(0, 19)}+05:30`

/** `2021-11-11 16:57:57` (the vault's `created_at` format), in IST. */
export const istPlain = (epochMs: number): string =>
  new Date(epochMs + IST_OFFSET_MS).toISOString().slice(0, 19).replace("T", " ")

/** A `cf_*` id: an integer under 2022-09-01, a string later. */
export const cfId = (id: number, version: Versions.Version): Json.Value =>
  Versions.shape(version).numericIds ? id : String(id)

const orNull = <A extends Json.Value>(value: A | undefined | null): A | null => value ?? null

/** OrderEntity. `apiBase` is the emulator's `/pg` URL (for 2022-09-01's URL objects). */
export const order = (o: Order, version: Versions.Version, apiBase: string): Json.Value => {
  const shape = Versions.shape(version)
  const customer: Record<string, Json.Value> = {
    customer_id: o.customer.customer_id,
    customer_name: orNull(o.customer.customer_name),
    customer_email: orNull(o.customer.customer_email),
    customer_phone: o.customer.customer_phone,
    customer_bank_account_number: orNull(o.customer.customer_bank_account_number),
    customer_bank_ifsc: orNull(o.customer.customer_bank_ifsc),
    customer_bank_code: orNull(o.customer.customer_bank_code)
  }
  if (shape.customerUid) customer.customer_uid = orNull(o.customer.customer_uid)
  const base: Record<string, Json.Value> = {
    cf_order_id: cfId(o.cfOrderId, version),
    created_at: ist(o.createdAt),
    customer_details: customer,
    entity: "order",
    order_amount: amount(o.amount, o.currency),
    order_currency: o.currency,
    order_expiry_time: ist(o.expiresAt),
    order_id: o.orderId,
    order_meta: {
      return_url: o.returnUrl,
      notify_url: o.notifyUrl,
      payment_methods: o.paymentMethods
    },
    order_note: o.note,
    order_splits: o.splits as ReadonlyArray<Json.Value>,
    order_status: o.status,
    order_tags: o.tags,
    payment_session_id: o.paymentSessionId
  }
  if (shape.orderUrlObjects) {
    const self = `${apiBase}/orders/${encodeURIComponent(o.orderId)}`
    base.payments = { url: `${self}/payments` }
    base.refunds = { url: `${self}/refunds` }
    base.settlements = { url: `${self}/settlements` }
  } else {
    base.cart_details = { cart_id: null }
  }
  if (shape.additions2025) {
    base.terminal_data = null
    base.products = { one_click_checkout: null, verify_pay: null }
  }
  return base
}

/** A payment's `authorization` object (`null` unless it is a pre-authorisation). */
export const authorization = (p: Payment, style: AmountStyle = "shortest"): Json.Value => {
  const a = p.authorization
  if (a === undefined) return null
  return {
    action: a.action,
    status: a.status,
    captured_amount: amount(a.capturedAmount, p.currency, style),
    start_time: ist(a.startTime),
    end_time: ist(a.endTime),
    approve_by: a.approveBy === null ? null : ist(a.approveBy),
    action_reference: a.actionReference,
    action_time: a.actionTime === null ? null : ist(a.actionTime)
  }
}

/**
 * A payment's `payment_method`, with the card network's reference filled in once the card payment
 * succeeded (SPEC25 `PaymentMethodCardInPaymentsEntity.card_network_reference_id`).
 */
export const paymentMethod = (p: Payment): Json.Value => {
  const method = p.method as { readonly [key: string]: Json.Value }
  if (p.networkReference === undefined) return method
  return Object.fromEntries(
    Object.entries(method).map(([key, entry]) =>
      typeof entry === "object" && entry !== null && !Array.isArray(entry) && "card_network_reference_id" in entry
        ? [key, { ...entry, card_network_reference_id: p.networkReference ?? null }]
        : [key, entry]
    )
  )
}

/** PaymentEntity. */
export const payment = (
  p: Payment,
  o: Order,
  version: Versions.Version,
  style: AmountStyle = "shortest"
): Json.Value => {
  const shape = Versions.shape(version)
  const base: Record<string, Json.Value> = {
    cf_payment_id: cfId(p.cfPaymentId, version),
    order_id: p.orderId,
    entity: "payment",
    error_details: p.error === undefined ? null : { ...p.error },
    is_captured: p.isCaptured,
    order_amount: amount(o.amount, o.currency, style),
    payment_group: p.group,
    payment_currency: p.currency,
    payment_amount: amount(p.amount, p.currency, style),
    payment_time: ist(p.createdAt),
    payment_completion_time: p.completedAt === undefined ? null : ist(p.completedAt),
    payment_status: p.status,
    payment_message: p.message,
    bank_reference: p.bankReference,
    auth_id: p.authId,
    authorization: authorization(p),
    payment_method: paymentMethod(p)
  }
  if (shape.additions2025) {
    base.order_currency = o.currency
    base.international_payment = { international: false }
    base.payment_gateway_details = {
      gateway_name: "CASHFREE",
      gateway_order_id: String(o.cfOrderId),
      gateway_payment_id: String(p.cfPaymentId),
      gateway_order_reference_id: o.orderId,
      gateway_status_code: null,
      gateway_settlement: "CASHFREE",
      gateway_reference_name: null
    }
    base.payment_surcharge = null
  }
  return base
}

/** The payments of an order as PaymentEntity[]. */
export const payments = (state: State, o: Order, version: Versions.Version): Json.Value =>
  paymentsOf(state, o).map((p) => payment(p, o, version))

/** RefundEntity. */
export const refund = (r: Refund, version: Versions.Version, style: AmountStyle = "shortest"): Json.Value => {
  const shape = Versions.shape(version)
  const speed = r.speed
  const base: Record<string, Json.Value> = {
    cf_payment_id: cfId(r.cfPaymentId, version),
    cf_refund_id: shape.refundIdPrefix ? `refund_${r.cfRefundId}` : String(r.cfRefundId),
    refund_id: r.refundId,
    order_id: r.orderId,
    entity: "refund",
    refund_amount: amount(r.amount, r.currency, style),
    refund_currency: r.currency,
    refund_note: r.note,
    refund_status: r.status,
    refund_type: "MERCHANT_INITIATED",
    refund_splits: [],
    status_description: r.status === "SUCCESS" ? "Refund processed successfully" : "In Progress",
    refund_arn: r.arn,
    metadata: null,
    created_at: ist(r.createdAt),
    processed_at: r.processedAt === undefined ? null : ist(r.processedAt),
    refund_charge: amount(0, r.currency, style),
    refund_mode: speed,
    refund_speed: {
      requested: speed,
      accepted: speed,
      processed: r.status === "SUCCESS" ? speed : null,
      message: null
    }
  }
  if (shape.additions2025) {
    base.forex_conversion_handling_charge = null
    base.forex_conversion_handling_tax = null
    base.forex_conversion_rate = null
    base.charges_currency = r.currency
  }
  return base
}

/** InstrumentEntity (same in every version, as the seeds show). */
export const instrument = (i: Instrument): Json.Value => ({
  customer_id: i.customerId,
  afa_reference: String(i.afaReference),
  instrument_id: i.instrumentId,
  instrument_type: "card",
  instrument_uid: i.uid,
  instrument_display: i.display,
  instrument_status: i.status,
  created_at: istPlain(i.createdAt),
  instrument_meta: {
    card_network: i.network,
    card_bank_name: "TEST Bank",
    card_country: "IN",
    card_type: i.cardType.toUpperCase(),
    card_token_details: {
      par: i.par,
      expiry_month: i.tokenExpiryMm,
      expiry_year: i.tokenExpiryYyyy.slice(2)
    }
  }
})

/** CryptogramEntity. */
export const cryptogram = (i: Instrument, value: string): Json.Value => ({
  instrument_id: i.instrumentId,
  token_requestor_id: i.tokenRequestorId,
  card_number: i.tokenPan,
  card_expiry_mm: i.tokenExpiryMm,
  card_expiry_yy: i.tokenExpiryYyyy,
  cryptogram: value,
  card_display: i.cardNumber.slice(-4)
})

/** CustomerEntity. */
export const customer = (c: Customer): Json.Value => ({
  customer_uid: c.uid,
  customer_phone: c.phone,
  customer_email: c.email,
  customer_name: c.name
})

/** SimulationResponse. */
export const simulation = (s: Simulation): Json.Value => ({
  simulation_id: s.id,
  entity: s.entity,
  entity_id: s.entityId,
  entity_simulation: { payment_status: s.paymentStatus, payment_error_code: s.errorCode }
})
