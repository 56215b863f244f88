/**
 * Orders: `POST /orders` (PGCreateOrder), `GET /orders/{order_id}` (PGFetchOrder) and
 * `PATCH /orders/{order_id}` (PGTerminateOrder), validated per SPEC25 `CreateOrderRequest`:
 * `order_amount`* (≥ 1, at most the currency's decimals), `order_currency`*, `customer_details`*
 * (`customer_id`* 3–50, `customer_phone`* 10 digits, optional email/name 3–100), optional
 * `order_id` (3–45 of `[A-Za-z0-9_-]`, generated when absent; a duplicate is 409
 * `order_already_exists`), `order_meta` (`return_url`, `notify_url` ≤ 250, `payment_methods` from
 * the documented list), `order_expiry_time` (ISO 8601, in the future; default 30 days),
 * `order_note` (3–200), `order_tags` (≤ 15 string tags), `order_splits`.
 *
 * `order_note: "preauth_transaction"` makes the order a pre-authorisation (manual capture), as in
 * Cashfree's sandbox.
 */
import * as Currency from "@payport/core/Currency"
import * as Errors from "./Errors.js"
import * as Fields from "./Fields.js"
import * as Render from "./Render.js"
import * as SandboxData from "./SandboxData.js"
import { type Context, limits, ok, param, type Result, type Route, type World } from "./Route.js"
import type { CustomerDetails, Order } from "./State.js"
import { paymentsOf } from "./State.js"

/** The `payment_methods` codes an order may restrict itself to. */
export const paymentMethodCodes = [
  "cc",
  "dc",
  "ccc",
  "ppc",
  "nb",
  "upi",
  "paypal",
  "app",
  "paylater",
  "cardlessemi",
  "dcemi",
  "ccemi",
  "banktransfer"
] as const

/** The sandbox marker for pre-authorisation orders. */
export const PREAUTH_NOTE = "preauth_transaction"

const DEFAULT_EXPIRY_MS = 30 * 24 * 60 * 60 * 1000
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

/** The order, or 404 `order_not_found`. */
export const find = (world: World, orderId: string): Order => {
  const order = world.state.orders.get(orderId)
  if (order === undefined) throw Errors.notFound("order_not_found", "order not found")
  return order
}

const customerDetails = (body: Fields.Obj): CustomerDetails => {
  const c = Fields.object(body, "customer_details", "customer_details", true)
  const p = (key: string) => `customer_details.${key}`
  const email = Fields.string(c, "customer_email", p("customer_email"), false, {
    min: 3,
    max: 100,
    pattern: /^[^@\s]+@[^@\s]+$/,
    expect: "should be a valid email"
  })
  const name = Fields.string(c, "customer_name", p("customer_name"), false, { min: 3, max: 100 })
  const account = Fields.string(c, "customer_bank_account_number", p("customer_bank_account_number"), false, {
    min: 3,
    max: 20
  })
  const ifsc = Fields.string(c, "customer_bank_ifsc", p("customer_bank_ifsc"))
  const code = Fields.integer(c, "customer_bank_code", p("customer_bank_code"))
  const uid = Fields.string(c, "customer_uid", p("customer_uid"))
  return {
    customer_id: Fields.string(c, "customer_id", p("customer_id"), true, {
      min: 3,
      max: 50,
      pattern: /^[A-Za-z0-9_\-.@|]+$/,
      expect: "should be alphanumeric"
    }),
    customer_phone: Fields.string(c, "customer_phone", p("customer_phone"), true, {
      pattern: /^\d{10}$/,
      expect: "should be a 10 digit phone number"
    }),
    ...(email === undefined ? {} : { customer_email: email }),
    ...(name === undefined ? {} : { customer_name: name }),
    ...(account === undefined ? {} : { customer_bank_account_number: account }),
    ...(ifsc === undefined ? {} : { customer_bank_ifsc: ifsc }),
    ...(code === undefined ? {} : { customer_bank_code: code }),
    ...(uid === undefined ? {} : { customer_uid: uid })
  }
}

const create = (context: Context): Result => {
  const { now, world } = context
  const { state } = world
  const body = Fields.body(context.body)
  const rawCurrency = Fields.string(body, "order_currency", "order_currency", true)
  if (!Currency.isCurrencyCode(rawCurrency)) throw Errors.invalid("order_currency", "should be a valid currency code")
  if (!SandboxData.currencies.includes(rawCurrency)) {
    throw Errors.invalid("order_currency", `currency ${rawCurrency} is not enabled for this merchant`)
  }
  const currency = rawCurrency
  const amount = Fields.amount(body, "order_amount", "order_amount", currency, true)
  if (amount < 10 ** Currency.exponent(currency)) throw Errors.invalid("order_amount", "should be at least 1")
  const customer = customerDetails(body)
  const orderId =
    Fields.string(body, "order_id", "order_id", false, {
      min: 3,
      max: 45,
      pattern: /^[A-Za-z0-9_-]+$/,
      expect: "should contain only alphanumeric characters, '_' and '-'"
    }) ?? `order_${state.prng.chars(30, ALNUM)}`
  const meta = Fields.object(body, "order_meta", "order_meta")
  const returnUrl = meta === undefined ? undefined : Fields.url(meta, "return_url", "order_meta.return_url", 250)
  const notifyUrl = meta === undefined ? undefined : Fields.url(meta, "notify_url", "order_meta.notify_url", 250)
  const methods = meta === undefined ? undefined : Fields.string(meta, "payment_methods", "order_meta.payment_methods")
  if (methods !== undefined) {
    for (const code of methods.split(",")) {
      if (!(paymentMethodCodes as ReadonlyArray<string>).includes(code.trim()))
        throw Errors.invalid(
          "order_meta.payment_methods",
          `should be a comma separated list of ${paymentMethodCodes.join(", ")}`
        )
    }
  }
  const expiryText = Fields.string(body, "order_expiry_time", "order_expiry_time")
  let expiresAt = now + DEFAULT_EXPIRY_MS
  if (expiryText !== undefined) {
    const parsed = Date.parse(expiryText)
    if (Number.isNaN(parsed) || !/^\d{4}-\d{2}-\d{2}T/.test(expiryText))
      throw Errors.invalid("order_expiry_time", "should be an ISO 8601 time")
    if (parsed <= now) throw Errors.invalid("order_expiry_time", "should be in the future")
    expiresAt = parsed
  }
  const note = Fields.string(body, "order_note", "order_note", false, { min: 3, max: 200 })
  const tags = Fields.tags(body, "order_tags", "order_tags", 15)
  const splitsValue = body.order_splits
  if (splitsValue !== undefined && splitsValue !== null && !Array.isArray(splitsValue))
    throw Errors.invalid("order_splits", "should be an array")
  if (state.orders.has(orderId)) throw Errors.conflict("order_already_exists", "order with same id is already present")
  const cfOrderId = ++state.counters.order
  const order: Order = {
    cfOrderId,
    orderId,
    currency,
    amount,
    status: "ACTIVE",
    paymentSessionId: `session_${state.prng.chars(96, `${ALNUM}-_`)}`,
    createdAt: now,
    expiresAt,
    note: note ?? null,
    tags: tags ?? null,
    customer,
    returnUrl: returnUrl ?? null,
    notifyUrl: notifyUrl ?? null,
    paymentMethods: methods ?? null,
    splits: Array.isArray(splitsValue) ? splitsValue : [],
    preauth: note === PREAUTH_NOTE,
    version: context.version,
    paymentIds: [],
    refundIds: []
  }
  state.orders.set(orderId, order)
  state.ordersBySession.set(order.paymentSessionId, orderId)
  world.schedule(expiresAt)
  return ok(Render.order(order, context.version, world.settings.apiBase))
}

const get = (context: Context): Result => {
  const order = find(context.world, param(context, 0))
  return ok(Render.order(order, context.version, context.world.settings.apiBase))
}

const terminate = (context: Context): Result => {
  const order = find(context.world, param(context, 0))
  const body = Fields.body(context.body)
  Fields.string(body, "order_status", "order_status", true, { oneOf: ["TERMINATED"] })
  if (order.status === "PAID" || paymentsOf(context.world.state, order).some((p) => p.charged))
    throw Errors.requestInvalid("order cannot be terminated as it has a successful payment")
  if (order.status === "ACTIVE") {
    order.status = "TERMINATED"
    for (const p of paymentsOf(context.world.state, order)) {
      if (p.status === "PENDING") {
        p.status = "CANCELLED"
        p.message = "Order terminated"
        p.completedAt = context.now
        p.autoCompleteAt = undefined
      }
    }
  }
  return ok(Render.order(order, context.version, context.world.settings.apiBase))
}

/** The order routes. */
export const routes: ReadonlyArray<Route> = [
  { method: "POST", pattern: /^\/orders$/, auth: true, rateLimit: limits.createOrder, handle: create },
  { method: "GET", pattern: /^\/orders\/([^/]+)$/, auth: true, rateLimit: limits.getOrder, handle: get },
  { method: "PATCH", pattern: /^\/orders\/([^/]+)$/, auth: true, rateLimit: limits.other, handle: terminate }
]
