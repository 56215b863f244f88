/**
 * The emulator's stand-in for the bank / wallet page behind Order Pay's `data.url`
 * (`/pg/view/gateway/{token}`): a small HTML page showing the order and the attempt, with two
 * buttons that POST back — `Approve` (the payer authenticates; the outcome is what the sandbox data
 * decides for the card, VPA or bank) and `Decline` (the payer refuses: FAILED,
 * `TRANSACTION_DECLINED`). Afterwards the browser is sent to the order's `return_url` (with
 * `{order_id}` filled in) or back to the page, which then shows the result.
 *
 * The page answers GET and POST (Order Pay tells clients to POST `payload` as a form), needs no
 * credentials and no `x-api-version`, and uses stable element ids (`#approve`, `#decline`,
 * `#status`) so a headless browser can drive it.
 */
import * as Http from "../emulator/Http.js"
import * as Render from "./Render.js"
import type { World } from "./Route.js"
import * as SandboxData from "./SandboxData.js"
import type { Order, Payment } from "./State.js"

/** The payer approves a pending attempt (no-op otherwise). */
export const approve = (world: World, payment: Payment, now: number): void =>
  world.lifecycle.complete(payment, payment.approval, now)

/** The payer declines a pending attempt (no-op otherwise). */
export const decline = (world: World, payment: Payment, now: number): void =>
  world.lifecycle.complete(payment, SandboxData.payerDeclined, now)

const PREFIX = "/pg/view/gateway/"

/** True for paths this module serves. */
export const handles = (path: string): boolean => path.startsWith(PREFIX)

const returnUrl = (order: Order): string | undefined =>
  order.returnUrl === null ? undefined : order.returnUrl.replace(/\{order_id\}/g, encodeURIComponent(order.orderId))

const page = (order: Order, payment: Payment): Http.Reply => {
  const e = Http.escapeHtml
  const self = `${PREFIX}${payment.pageToken}`
  const amount = Render.amount(payment.amount, payment.currency, "fixed").text
  const pending = payment.status === "PENDING"
  const back = returnUrl(order)
  const actions = pending
    ? `<form method="post" action="${e(self)}/approve"><button id="approve" type="submit">Approve</button></form>
    <form method="post" action="${e(self)}/decline"><button id="decline" type="submit">Decline</button></form>`
    : back === undefined
      ? ""
      : `<p><a id="return" href="${e(back)}">Return to merchant</a></p>`
  const body = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Cashfree emulator · ${e(order.orderId)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}form{display:inline-block;margin-right:1rem}button{font-size:1rem;padding:.5rem 1.5rem}</style></head>
<body>
  <h1>Cashfree emulator</h1>
  <p>This page stands in for the bank, wallet or UPI app. Nothing here is a real payment.</p>
  <dl>
    <dt>Order</dt><dd id="order">${e(order.orderId)}</dd>
    <dt>Payment</dt><dd id="payment">${e(String(payment.cfPaymentId))} · ${e(payment.kind)}</dd>
    <dt>Amount</dt><dd id="amount">${e(payment.currency)} ${e(amount)}</dd>
    <dt>Status</dt><dd id="status">${e(payment.status)}</dd>
  </dl>
  ${actions}
</body>
</html>
`
  return Http.html(200, body, { "cache-control": "no-store" })
}

/** Serves `/pg/view/gateway/{token}[/approve|/decline]`. */
export const handle = (world: World, request: Http.Request, now: number): Http.Reply => {
  const rest = request.path.slice(PREFIX.length).split("/")
  const [token, verb] = rest
  const id = token === undefined ? undefined : world.state.paymentsByToken.get(token)
  const payment = id === undefined ? undefined : world.state.payments.get(id)
  const order = payment === undefined ? undefined : world.state.orders.get(payment.orderId)
  if (payment === undefined || order === undefined || rest.length > 2) return Http.text(404, "payment page not found")
  if (verb === undefined) {
    if (request.method !== "GET" && request.method !== "POST") return Http.text(405, "method not allowed")
    return page(order, payment)
  }
  if (request.method !== "POST") return Http.text(405, "method not allowed")
  if (verb === "approve") approve(world, payment, now)
  else if (verb === "decline") decline(world, payment, now)
  else return Http.text(404, "payment page not found")
  return Http.redirect(returnUrl(order) ?? `${PREFIX}${payment.pageToken}`)
}
