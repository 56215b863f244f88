/**
 * The payer's side of 3-D Secure, served by the emulator in place of Cardinal and the card
 * issuer's ACS, at the URLs the payer-authentication answers hand out:
 *
 * - `deviceDataCollectionUrl` (`/V1/Cruise/Collect`): the device data collection iframe. The
 *   merchant posts the setup `accessToken` as `JWT`; the page marks the session collected and tells
 *   its parent window `{"MessageType":"profile.completed","SessionId":<referenceId>,"Status":true}`.
 * - `stepUpUrl` (`/V2/Cruise/StepUp`): the merchant posts the enrollment `accessToken` as `JWT`
 *   (and optionally `MD`); `acsUrl` (`/MerchantACSWeb/creq.jsp`) takes the `pareq` as `creq`. Both
 *   show the challenge: a one-time-code field (`#otp`; the code `1234` passes, any other fails) with
 *   `#submit`, and `#cancel` (the payer abandons: failure).
 * - The challenge form posts to `/MerchantACSWeb/challenge`. Afterwards, when the enrollment named a
 *   `consumerAuthenticationInformation.returnUrl`, the page posts `TransactionId` (the
 *   authenticationTransactionId) and `MD` to it, as Cardinal does; otherwise it shows the result
 *   (`#status`: `success` or `failure`).
 *
 * No credentials are needed (a browser posts these forms), but the JWTs must be the emulator's own
 * and unexpired (an hour); stable element ids let a headless client drive the pages.
 */
import * as Http from "../emulator/Http.js"
import * as Amount from "./Amount.js"
import * as PayerAuthentication from "./PayerAuthentication.js"
import type { Store } from "./State.js"

const { paths } = PayerAuthentication

/** True for paths this module serves. */
export const handles = (path: string): boolean =>
  path === paths.deviceDataCollection || path === paths.stepUp || path === paths.acs || path === paths.acsAnswer

/** Form fields of a POST, or the query of a GET. */
const fieldsOf = (request: Http.Request): URLSearchParams =>
  request.method === "POST" ? Http.formFields(request) : request.query

const page = (title: string, content: string): Http.Reply =>
  Http.html(
    200,
    `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${Http.escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}form{display:inline-block;margin-right:1rem}button,input{font-size:1rem;padding:.5rem 1rem}</style></head>
<body>
${content}
</body>
</html>
`,
    { "cache-control": "no-store" }
  )

const notFound = (what: string): Http.Reply => Http.text(404, `${what} not found`)

/** The challenge: the order, the card's last digits, a code field, submit and cancel. */
const challenge = (record: PayerAuthentication.AuthenticationRecord, md: string): Http.Reply => {
  const e = Http.escapeHtml
  const amount = `${record.currency} ${Amount.format(record.amount, record.currency)}`
  const hidden = `<input type="hidden" name="TransactionId" value="${e(record.id)}"><input type="hidden" name="MD" value="${e(md)}">`
  const actions =
    record.challenge === "pending"
      ? `<form method="post" action="${paths.acsAnswer}">${hidden}<input type="hidden" name="action" value="submit">
    <label for="otp">One-time code</label> <input id="otp" name="otp" autocomplete="one-time-code" inputmode="numeric">
    <button id="submit" type="submit">Submit</button></form>
  <form method="post" action="${paths.acsAnswer}">${hidden}<input type="hidden" name="action" value="cancel"><button id="cancel" type="submit">Cancel</button></form>`
      : ""
  return page(
    "3-D Secure challenge · CyberSource emulator",
    `  <h1>3-D Secure challenge</h1>
  <p>This page stands in for the card issuer. Nothing here is a real payment. Enter <code>${PayerAuthentication.challengeCode}</code> to authenticate; any other code, or Cancel, fails.</p>
  <dl>
    <dt>Transaction</dt><dd id="transaction">${e(record.id)}</dd>
    <dt>Amount</dt><dd id="amount">${e(amount)}</dd>
    <dt>Card</dt><dd id="card">•••• ${e(record.number.slice(-4))}</dd>
    <dt>Status</dt><dd id="status">${e(record.challenge)}</dd>
  </dl>
  ${actions}`
  )
}

/** After the challenge: back to the merchant's return URL (auto-submitted form), or the result. */
const finished = (record: PayerAuthentication.AuthenticationRecord, md: string): Http.Reply => {
  if (record.returnUrl === undefined) return challenge(record, md)
  const e = Http.escapeHtml
  return page(
    "3-D Secure · returning to the merchant",
    `  <p id="status">${e(record.challenge)}</p>
  <form id="return" method="post" action="${e(record.returnUrl)}">
    <input type="hidden" name="TransactionId" value="${e(record.id)}">
    <input type="hidden" name="MD" value="${e(md)}">
    <button type="submit">Return to the merchant</button>
  </form>
  <script>document.getElementById("return").submit()</script>`
  )
}

/** Serves the device data collection, step-up and ACS pages. */
export const handle = (store: Store, request: Http.Request, now: number): Http.Reply => {
  if (request.method !== "GET" && request.method !== "POST") return Http.text(405, "method not allowed")
  const fields = fieldsOf(request)
  const md = fields.get("MD") ?? ""
  switch (request.path) {
    case paths.deviceDataCollection: {
      const referenceId = PayerAuthentication.collect(store, fields.get("JWT") ?? "", now)
      if (referenceId === undefined) return notFound("device data collection session")
      const message = JSON.stringify({ MessageType: "profile.completed", SessionId: referenceId, Status: true })
      return page(
        "Device data collection · CyberSource emulator",
        `  <p id="status">profile.completed</p>
  <script>window.parent.postMessage(${JSON.stringify(message)}, "*")</script>`
      )
    }
    case paths.stepUp: {
      const record = PayerAuthentication.byStepUpToken(store, fields.get("JWT") ?? "", now)
      return record === undefined ? notFound("step-up session") : challenge(record, md)
    }
    case paths.acs: {
      const record = PayerAuthentication.byCreq(store, fields.get("creq") ?? "")
      return record === undefined ? notFound("challenge") : challenge(record, md)
    }
    default: {
      if (request.method !== "POST") return Http.text(405, "method not allowed")
      const record = PayerAuthentication.byId(store, fields.get("TransactionId") ?? "")
      if (record === undefined || record.challenge === "none") return notFound("challenge")
      const passed = fields.get("action") === "submit" && fields.get("otp") === PayerAuthentication.challengeCode
      PayerAuthentication.complete(store, record.id, passed ? "success" : "failure")
      return finished(record, md)
    }
  }
}
