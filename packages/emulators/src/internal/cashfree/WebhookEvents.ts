/**
 * Cashfree's webhooks: payloads, signature and headers (providers/cashfree.md §4).
 *
 * - Envelope `{data, event_time, type}`; payment events carry `data.order`, `data.payment` (SPEC25
 *   types it as a PaymentEntity: the documented webhook fields plus `is_captured` and
 *   `authorization`, so a pre-authorisation reads as held), `data.customer_details`, `data.payment_gateway_details`,
 *   `data.payment_offers` and, for failures, `data.error_details`; refund events `data.refund`;
 *   instrument events `data.instrument`.
 * - `x-webhook-signature` = base64(HMAC-SHA256(client secret, x-webhook-timestamp + raw body)),
 *   `x-webhook-timestamp` in epoch milliseconds, `x-webhook-version`, `x-webhook-attempt`, and from
 *   2025-01-01 an `x-idempotency-key` that is the same for every delivery of one event.
 * - Amounts keep every fraction digit (`"payment_amount":170.00`): a receiver that re-serialises
 *   the JSON before verifying breaks the signature, exactly as with Cashfree.
 * - The body is shaped by the version the order was created with (ids are integers under
 *   2022-09-01), unless the emulator is configured with a fixed webhook version.
 */
import { createHash, createHmac } from "node:crypto"
import * as Json from "../emulator/Json.js"
import type * as WebhookSender from "../emulator/WebhookSender.js"
import * as Render from "./Render.js"
import type { Instrument, Order, Payment, Refund } from "./State.js"
import * as Versions from "./Versions.js"

/** The Cashfree webhook signature of `rawBody` sent at `timestamp`. */
export const sign = (secret: string, timestamp: string, rawBody: string): string =>
  createHmac("sha256", secret)
    .update(timestamp + rawBody)
    .digest("base64")

/** What the emitter needs from the emulator. */
export interface Config {
  readonly secret: string
  readonly now: () => number
  /** A URL that replaces every order's `notify_url` (or `undefined` to use `notify_url`). */
  readonly urlOverride: () => string | undefined
  /** A fixed `x-webhook-version`; default: the order's version. */
  readonly version: Versions.Version | undefined
}

/** Emits the webhooks of state changes. */
export interface Emitter {
  readonly payment: (order: Order, payment: Payment) => void
  readonly refund: (order: Order, refund: Refund) => void
  readonly instrumentActive: (order: Order, instrument: Instrument) => void
}

const paymentTypes: { readonly [status: string]: string } = {
  SUCCESS: "PAYMENT_SUCCESS_WEBHOOK",
  FAILED: "PAYMENT_FAILED_WEBHOOK",
  USER_DROPPED: "PAYMENT_USER_DROPPED_WEBHOOK"
}

const paymentData = (order: Order, payment: Payment, version: Versions.Version): Json.Value => {
  const shape = Versions.shape(version)
  const fixed = (minor: number) => Render.amount(minor, order.currency, "fixed")
  const paymentPart: Record<string, Json.Value> = {
    cf_payment_id: Render.cfId(payment.cfPaymentId, version),
    payment_status: payment.status,
    payment_amount: fixed(payment.amount),
    payment_currency: payment.currency,
    payment_message: payment.message,
    payment_time: Render.ist(payment.createdAt),
    payment_completion_time: payment.completedAt === undefined ? null : Render.ist(payment.completedAt),
    bank_reference: payment.bankReference,
    auth_id: payment.authId,
    payment_method: Render.paymentMethod(payment),
    payment_group: payment.group,
    // SPEC25 `PaymentWebhook.data.payment` is a PaymentEntity: a receiver tells a pre-authorisation
    // (held, not captured) from a sale by `is_captured` and `authorization`.
    is_captured: payment.isCaptured,
    authorization: Render.authorization(payment, "fixed")
  }
  if (shape.additions2025) {
    paymentPart.international_payment = { international: false }
    paymentPart.payment_surcharge = null
  }
  const data: Record<string, Json.Value> = {
    order: {
      order_id: order.orderId,
      order_amount: fixed(order.amount),
      order_currency: order.currency,
      order_tags: order.tags
    },
    payment: paymentPart,
    customer_details: {
      customer_name: order.customer.customer_name ?? null,
      customer_id: order.customer.customer_id,
      customer_email: order.customer.customer_email ?? null,
      customer_phone: order.customer.customer_phone
    },
    payment_gateway_details: {
      gateway_name: "CASHFREE",
      gateway_order_id: String(order.cfOrderId),
      gateway_payment_id: String(payment.cfPaymentId),
      gateway_order_reference_id: order.orderId,
      gateway_settlement: "CASHFREE",
      gateway_status_code: null
    },
    payment_offers: null
  }
  if (payment.error !== undefined) data.error_details = { ...payment.error }
  return data
}

/** An emitter sending through `sender`. */
export const make = (sender: WebhookSender.Sender, config: Config): Emitter => {
  const emit = (order: Order, type: string, eventKey: string, data: (v: Versions.Version) => Json.Value) => {
    const version = config.version ?? order.version
    const now = config.now()
    const body = Json.stringify({ data: data(version), event_time: Render.ist(now), type })
    const timestamp = String(now)
    const signature = sign(config.secret, timestamp, body)
    const idempotencyKey = createHash("sha256").update(`${type}:${eventKey}`).digest("base64")
    const withKey = Versions.shape(version).additions2025
    sender.send({
      event: type,
      url: config.urlOverride() ?? order.notifyUrl ?? undefined,
      body,
      headers: (attempt) => ({
        "content-type": "application/json",
        "x-webhook-attempt": String(attempt),
        "x-webhook-signature": signature,
        "x-webhook-timestamp": timestamp,
        "x-webhook-version": version,
        ...(withKey ? { "x-idempotency-key": idempotencyKey } : {})
      })
    })
  }
  return {
    payment: (order, payment) => {
      const type = paymentTypes[payment.status]
      if (type === undefined) return
      emit(order, type, `${payment.cfPaymentId}:${payment.status}`, (v) => paymentData(order, payment, v))
    },
    refund: (order, refund) =>
      emit(order, "REFUND_STATUS_WEBHOOK", `${refund.cfRefundId}:${refund.status}`, (v) => ({
        refund: Render.refund(refund, v, "fixed")
      })),
    instrumentActive: (order, instrument) =>
      emit(order, "INSTRUMENT_ACTIVE_WEBHOOK", `${instrument.instrumentId}:ACTIVE`, () => ({
        instrument: Render.instrument(instrument)
      }))
  }
}
