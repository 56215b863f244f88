/**
 * Verified webhook events. Only `Webhooks.verify` produces them, after checking the signature
 * and timestamp; `eventId` is the provider's id for de-duplication.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { Instrument } from "./Instrument.js"
import { Payment } from "./Payment.js"
import { Refund } from "./Refund.js"

const envelope = {
  eventId: Schema.String,
  provider: Schema.String,
  /** The provider's event type, e.g. `PAYMENT_SUCCESS_WEBHOOK`, `payments.captures.accept`. */
  eventType: Schema.String,
  occurredAt: Schema.DateTimeUtc
}

/**
 * @since 0.1.0
 * @category events
 */
export class PaymentUpdated extends Schema.TaggedClass<PaymentUpdated>("@payport/core/PaymentUpdated")(
  "PaymentUpdated",
  { ...envelope, payment: Payment }
) {}

/**
 * @since 0.1.0
 * @category events
 */
export class RefundUpdated extends Schema.TaggedClass<RefundUpdated>("@payport/core/RefundUpdated")("RefundUpdated", {
  ...envelope,
  refund: Refund
}) {}

/**
 * @since 0.1.0
 * @category events
 */
export class InstrumentUpdated extends Schema.TaggedClass<InstrumentUpdated>("@payport/core/InstrumentUpdated")(
  "InstrumentUpdated",
  { ...envelope, instrument: Instrument }
) {}

/**
 * A verified webhook event.
 *
 * @since 0.1.0
 * @category events
 */
export const WebhookEvent = Schema.Union(PaymentUpdated, RefundUpdated, InstrumentUpdated)
/**
 * @since 0.1.0
 * @category events
 */
export type WebhookEvent = typeof WebhookEvent.Type
