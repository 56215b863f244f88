/**
 * Payments of an order and what can be done to them with client credentials:
 *
 * - `GET /orders/{order_id}/payments` (PGOrderFetchPayments) and
 *   `GET /orders/{order_id}/payments/{cf_payment_id}` (PGOrderFetchPayment) → PaymentEntity.
 * - `POST /orders/{order_id}/authorization` (PGAuthorizeOrder): CAPTURE (`amount` optional = the
 *   whole hold; partial allowed) or VOID of the order's pre-authorised payment, once, within seven
 *   days — "captured transactions cannot be voided, and voided transactions cannot be captured".
 *   Anything else is 400 `request_invalid`; an amount above the hold is `amount_invalid`.
 * - `POST /simulate` and `GET /simulate/{simulation_id}` (PGSimulatePayment, PGFetchSimulation):
 *   drive a `PENDING` attempt to SUCCESS / FAILED (`payment_error_code`, default
 *   `TRANSACTION_DECLINED`) / USER_DROPPED, or leave it PENDING. Applied at once, so the next read
 *   sees it.
 */
import * as Errors from "./Errors.js"
import * as Fields from "./Fields.js"
import * as Orders from "./Orders.js"
import * as Render from "./Render.js"
import { type Context, limits, ok, param, type Result, type Route } from "./Route.js"
import * as SandboxData from "./SandboxData.js"
import { type Payment, paymentsOf, type Simulation } from "./State.js"

const paymentOf = (context: Context, orderId: string, id: string): Payment => {
  const payment = /^\d+$/.test(id) ? context.world.state.payments.get(Number(id)) : undefined
  if (payment === undefined || payment.orderId !== orderId)
    throw Errors.notFound("payment_not_found", "payment not found")
  return payment
}

const list = (context: Context): Result => {
  const order = Orders.find(context.world, param(context, 0))
  return ok(Render.payments(context.world.state, order, context.version))
}

const get = (context: Context): Result => {
  const order = Orders.find(context.world, param(context, 0))
  const payment = paymentOf(context, order.orderId, param(context, 1))
  return ok(Render.payment(payment, order, context.version))
}

const authorize = (context: Context): Result => {
  const { now, world } = context
  const order = Orders.find(world, param(context, 0))
  const body = Fields.body(context.body)
  const action = Fields.string(body, "action", "action", true, { oneOf: ["CAPTURE", "VOID"] })
  const hold = paymentsOf(world.state, order).find((p) => p.preauth && p.charged)
  if (hold === undefined || hold.authorization === undefined)
    throw Errors.requestInvalid("no pre-authorized payment found for this order")
  if (hold.authorization.action === "CAPTURE") throw Errors.requestInvalid("transaction is already captured")
  if (hold.authorization.action === "VOID" || hold.status === "VOID")
    throw Errors.requestInvalid(
      hold.authorization.actionTime === hold.authorization.endTime
        ? "authorization has expired and the amount is released"
        : "transaction is already voided"
    )
  if (action === "CAPTURE") {
    const amount = Fields.amount(body, "amount", "amount", order.currency) ?? hold.amount
    if (amount <= 0 || amount > hold.amount)
      throw Errors.invalid("amount", "should be more than 0 and at most the authorized amount")
    world.lifecycle.capture(hold, amount, now)
  } else {
    world.lifecycle.voidHold(hold, now)
  }
  return ok(Render.payment(hold, order, context.version))
}

const simulate = (context: Context): Result => {
  const { now, world } = context
  const body = Fields.body(context.body)
  const entity = Fields.string(body, "entity", "entity", true, { oneOf: ["PAYMENTS", "SUBS_PAYMENTS"] })
  const rawId = body.entity_id
  const entityId = typeof rawId === "number" ? String(rawId) : Fields.string(body, "entity_id", "entity_id", true)
  const sim = Fields.object(body, "entity_simulation", "entity_simulation", true)
  const status = Fields.string(sim, "payment_status", "entity_simulation.payment_status", true, {
    oneOf: ["SUCCESS", "FAILED", "PENDING", "USER_DROPPED"]
  })
  const errorCode = Fields.string(sim, "payment_error_code", "entity_simulation.payment_error_code")
  if (entity === "SUBS_PAYMENTS") throw Errors.badRequest("entity_invalid", "entity : subscriptions are not emulated")
  const payment = /^\d+$/.test(entityId) ? world.state.payments.get(Number(entityId)) : undefined
  if (payment === undefined) throw Errors.notFound("payment_not_found", "payment not found")
  if (payment.status !== "PENDING" && payment.status !== status)
    throw Errors.requestInvalid("simulation is allowed only for payments in PENDING state")
  if (status === "SUCCESS") world.lifecycle.complete(payment, SandboxData.success, now)
  else if (status === "FAILED") world.lifecycle.complete(payment, SandboxData.simulatedFailure(errorCode), now)
  else if (status === "USER_DROPPED") world.lifecycle.complete(payment, SandboxData.userDropped, now)
  const simulation: Simulation = {
    id: `sim_${world.state.prng.chars(32, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")}`,
    entity,
    entityId,
    paymentStatus: status,
    errorCode: errorCode ?? null
  }
  world.state.simulations.set(simulation.id, simulation)
  return ok(Render.simulation(simulation))
}

const getSimulation = (context: Context): Result => {
  const simulation = context.world.state.simulations.get(param(context, 0))
  if (simulation === undefined) throw Errors.notFound("simulation_not_found", "simulation not found")
  return ok(Render.simulation(simulation))
}

/** The payment, pre-authorisation and simulation routes. */
export const routes: ReadonlyArray<Route> = [
  { method: "GET", pattern: /^\/orders\/([^/]+)\/payments$/, auth: true, rateLimit: limits.getPayments, handle: list },
  {
    method: "GET",
    pattern: /^\/orders\/([^/]+)\/payments\/([^/]+)$/,
    auth: true,
    rateLimit: limits.getPayment,
    handle: get
  },
  {
    method: "POST",
    pattern: /^\/orders\/([^/]+)\/authorization$/,
    auth: true,
    rateLimit: limits.other,
    handle: authorize
  },
  { method: "POST", pattern: /^\/simulate$/, auth: true, rateLimit: limits.other, handle: simulate },
  { method: "GET", pattern: /^\/simulate\/([^/]+)$/, auth: true, rateLimit: limits.other, handle: getSimulation }
]
