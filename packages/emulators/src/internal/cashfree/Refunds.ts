/**
 * Refunds: `POST /orders/{order_id}/refunds` (PGOrderCreateRefund), `GET …/refunds`
 * (PGOrderFetchRefunds) and `GET …/refunds/{refund_id}` (PGOrderFetchRefund, by the merchant's
 * `refund_id`).
 *
 * `refund_amount`* (number, or decimal text) and `refund_id`* (3–40) are required; `refund_note`
 * 3–100; `refund_speed` `STANDARD` (default) | `INSTANT`. The sum of an order's refunds (every
 * status but CANCELLED/FAILED) never exceeds what was captured: an order without a captured
 * payment is `request_invalid`, more than the rest is `refund_amount_invalid`. A reused `refund_id`
 * on the same order is 409 `refund_already_exists`. A refund starts `PENDING` and becomes
 * `SUCCESS` after `refundProcessingMs` (then `REFUND_STATUS_WEBHOOK`).
 */
import * as Errors from "./Errors.js"
import * as Fields from "./Fields.js"
import * as Orders from "./Orders.js"
import * as Render from "./Render.js"
import { type Context, limits, ok, param, type Result, type Route } from "./Route.js"
import { paymentsOf, type Refund, refundKey, refundsOf } from "./State.js"

const create = (context: Context): Result => {
  const { now, world } = context
  const { state } = world
  const order = Orders.find(world, param(context, 0))
  const body = Fields.body(context.body)
  const amount = Fields.amount(body, "refund_amount", "refund_amount", order.currency, true)
  const refundId = Fields.string(body, "refund_id", "refund_id", true, {
    min: 3,
    max: 40,
    pattern: /^[A-Za-z0-9_-]+$/,
    expect: "should be alphanumeric"
  })
  const note = Fields.string(body, "refund_note", "refund_note", false, { min: 3, max: 100 })
  const speed = (Fields.string(body, "refund_speed", "refund_speed", false, { oneOf: ["STANDARD", "INSTANT"] }) ??
    "STANDARD") as Refund["speed"]
  if (body.refund_splits !== undefined && body.refund_splits !== null && !Array.isArray(body.refund_splits))
    throw Errors.invalid("refund_splits", "should be an array")
  if (state.refunds.has(refundKey(order.orderId, refundId)))
    throw Errors.conflict("refund_already_exists", "refund with same id is already present")
  const captured = paymentsOf(state, order).find((p) => p.status === "SUCCESS" && p.isCaptured)
  if (captured === undefined) throw Errors.requestInvalid("refund can be initiated only for a paid order")
  const capturedAmount =
    captured.authorization?.action === "CAPTURE" ? captured.authorization.capturedAmount : captured.amount
  const refunded = refundsOf(state, order)
    .filter((r) => r.status !== "CANCELLED" && r.status !== "FAILED")
    .reduce((sum, r) => sum + r.amount, 0)
  if (amount <= 0) throw Errors.invalid("refund_amount", "should be greater than 0")
  if (amount > capturedAmount - refunded)
    throw Errors.invalid("refund_amount", "refund amount is more than the amount that can be refunded")
  const refund: Refund = {
    cfRefundId: ++state.counters.refund,
    refundId,
    orderId: order.orderId,
    cfPaymentId: captured.cfPaymentId,
    amount,
    currency: order.currency,
    note: note ?? null,
    status: "PENDING",
    speed,
    createdAt: now,
    processedAt: undefined,
    dueAt: now + world.settings.refundProcessingMs,
    arn: null
  }
  state.refunds.set(refundKey(order.orderId, refundId), refund)
  order.refundIds.push(refundId)
  world.schedule(refund.dueAt)
  return ok(Render.refund(refund, context.version))
}

const list = (context: Context): Result => {
  const order = Orders.find(context.world, param(context, 0))
  return ok(refundsOf(context.world.state, order).map((r) => Render.refund(r, context.version)))
}

const get = (context: Context): Result => {
  const order = Orders.find(context.world, param(context, 0))
  const refund = context.world.state.refunds.get(refundKey(order.orderId, param(context, 1)))
  if (refund === undefined) throw Errors.notFound("refund_not_found", "refund not found")
  return ok(Render.refund(refund, context.version))
}

/** The refund routes. */
export const routes: ReadonlyArray<Route> = [
  {
    method: "POST",
    pattern: /^\/orders\/([^/]+)\/refunds$/,
    auth: true,
    rateLimit: limits.createRefund,
    handle: create
  },
  { method: "GET", pattern: /^\/orders\/([^/]+)\/refunds$/, auth: true, rateLimit: limits.getRefund, handle: list },
  {
    method: "GET",
    pattern: /^\/orders\/([^/]+)\/refunds\/([^/]+)$/,
    auth: true,
    rateLimit: limits.getRefund,
    handle: get
  }
]
