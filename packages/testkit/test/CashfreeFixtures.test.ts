import { createHmac } from "node:crypto"
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import { OrderReference, PaymentId, PaymentRef } from "@payport/core/Ids"
import * as Ledger from "@payport/core/Ledger"
import * as Money from "@payport/core/Money"
import { MethodSummary, Payment } from "@payport/core/Payment"
import * as CashfreeEmulator from "@payport/emulators/CashfreeEmulator"
import { CashfreeFixtures } from "@payport/testkit"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Scope from "effect/Scope"

// ------------------------------------------------------------------------------------------------
// Helpers: create an order and pay it through the emulator's HTTP API, as any Cashfree client would.
// ------------------------------------------------------------------------------------------------

let em: CashfreeEmulator.CashfreeEmulator
const scope = Effect.runSync(Scope.make())
beforeAll(async () => {
  em = await Effect.runPromise(Scope.extend(CashfreeEmulator.start(), scope))
})
afterAll(() => Effect.runPromise(Scope.close(scope, Exit.void)))

/** Sends a JSON request, with the client credentials unless it is Order Pay (which a browser sends). */
const call = async (method: string, path: string, body?: unknown): Promise<unknown> => {
  const credentials =
    path === "/orders/sessions" ? {} : { "x-client-id": em.clientId, "x-client-secret": em.clientSecret }
  const response = await fetch(`${em.baseUrl}${path}`, {
    method,
    headers: { "content-type": "application/json", "x-api-version": "2025-01-01", ...credentials },
    ...(body === undefined ? {} : { body: JSON.stringify(body) })
  })
  const text = await response.text()
  assert.strictEqual(response.status, 200, text)
  return JSON.parse(text)
}

const at = (value: unknown, path: string): unknown =>
  path
    .split(".")
    .reduce<unknown>(
      (current, key) =>
        typeof current === "object" && current !== null ? (current as Record<string, unknown>)[key] : undefined,
      value
    )

const str = (value: unknown, path: string): string => {
  const found = at(value, path)
  assert.isString(found, `${path} should be a string`)
  return found as string
}

let counter = 0

/** A new order paid with `method`: POST /orders, then POST /orders/sessions. */
const paid = async (method: unknown) => {
  const order = await call("POST", "/orders", {
    order_id: `ord_${Date.now().toString(36)}_${++counter}`,
    order_amount: 100.5,
    order_currency: "INR",
    customer_details: { customer_id: "cust_001", customer_phone: "9999999999", customer_email: "a@example.com" }
  })
  const payment = await call("POST", "/orders/sessions", {
    payment_session_id: str(order, "payment_session_id"),
    payment_method: method
  })
  return { orderId: str(order, "order_id"), cfPaymentId: str(payment, "cf_payment_id") }
}

const firstPayment = async (orderId: string): Promise<unknown> => {
  const payments = await call("GET", `/orders/${orderId}/payments`)
  assert.isArray(payments)
  return (payments as ReadonlyArray<unknown>)[0]
}

const card = (number: string) => ({
  card: {
    channel: "link",
    card_number: number,
    card_holder_name: "Test Payer",
    card_expiry_mm: "12",
    card_expiry_yy: "31",
    card_cvv: "123"
  }
})

/** The core view of an attempt, as far as the fixtures read it (its ref). */
const corePayment = (orderId: string, cfPaymentId: string): Payment =>
  Payment.make({
    ref: PaymentRef.make({ provider: "cashfree", paymentId: PaymentId.make(cfPaymentId), orderId }),
    reference: OrderReference.make(orderId),
    amount: Money.unsafeMake(10_000, "INR"),
    ledger: Ledger.empty("INR"),
    captureMode: "automatic",
    method: MethodSummary.make({ kind: "Card" }),
    status: { _tag: "Processing" },
    createdAt: DateTime.unsafeMake(0)
  })

// ------------------------------------------------------------------------------------------------

describe("CashfreeFixtures", () => {
  it.effect("webhook fixtures: the delivery as sent, the same body under a wrong secret, and ten minutes old", () =>
    Effect.gen(function* () {
      const sale = yield* Effect.promise(() => paid(card("4111111111111111")))
      const payment = corePayment(sale.orderId, sale.cfPaymentId)
      const delivery = em.webhooks.forPayment(sale.cfPaymentId).at(-1)
      const fixtures = CashfreeFixtures.webhookFixtures
      const genuine = yield* fixtures.genuine(payment)
      const wrong = yield* fixtures.wrongSecret(payment)
      const stale = yield* fixtures.stale(payment)
      const now = Date.now()
      const header = (request: typeof genuine, name: string) => String(request.headers[name])
      const valid = (request: typeof genuine) =>
        createHmac("sha256", em.clientSecret)
          .update(header(request, "x-webhook-timestamp") + String(request.body))
          .digest("base64") === header(request, "x-webhook-signature")
      assert.strictEqual(genuine.body, delivery?.body)
      assert.deepStrictEqual(genuine.headers, delivery?.headers)
      assert.isTrue(valid(genuine))
      assert.strictEqual(wrong.body, genuine.body)
      assert.isFalse(valid(wrong))
      assert.strictEqual(stale.body, genuine.body)
      assert.isTrue(valid(stale))
      // TestClock starts at 0, so "ten minutes ago" is relative to the test's clock.
      assert.strictEqual(Number(header(stale, "x-webhook-timestamp")), -10 * 60 * 1000)
      assert.isBelow(Math.abs(Number(header(genuine, "x-webhook-timestamp")) - now), 60_000)
      const pending = yield* Effect.promise(() => paid({ upi: { channel: "collect", upi_id: "testsuccess@gocash" } }))
      const none = yield* Effect.flip(fixtures.genuine(corePayment(pending.orderId, pending.cfPaymentId)))
      assert.include(String(none), "still pending")
    }).pipe(Effect.provideService(CashfreeEmulator.Emulator, em))
  )

  it("every declining card and VPA of the fixtures fails in the emulator with error_details", async () => {
    for (const [number] of CashfreeFixtures.decliningCards) {
      const { orderId } = await paid(card(number))
      const payment = await firstPayment(orderId)
      assert.strictEqual(at(payment, "payment_status"), "FAILED", number)
      assert.isString(at(payment, "error_details.error_code"), number)
    }
    for (const [vpa] of CashfreeFixtures.decliningVpas) {
      const { orderId, cfPaymentId } = await paid({ upi: { channel: "collect", upi_id: vpa } })
      em.payer.approve(cfPaymentId)
      const payment = await firstPayment(orderId)
      assert.oneOf(at(payment, "payment_status"), ["FAILED", "USER_DROPPED"], vpa)
      assert.isString(at(payment, "error_details.error_code"), vpa)
    }
  })

  it("fixtures: one capture per hold, the OTP group only on the native-OTP card channel", () => {
    const post = CashfreeFixtures.fixturesFor("post")
    const link = CashfreeFixtures.fixturesFor("link")
    assert.isFalse(post.multipleCaptures)
    assert.strictEqual(post.otp?.otp, "111000")
    assert.isUndefined(link.otp)
    assert.deepStrictEqual(
      post.actions.map((a) => a.action),
      ["UpiCollect", "UpiIntent", "QrCode", "Redirect", "Redirect", "Redirect", "Redirect", "Redirect", "Otp"]
    )
    assert.strictEqual(link.actions.at(-1)?.action, "Redirect")
    assert.strictEqual(CashfreeFixtures.fixtures.otp?.card._tag, "Card")
  })
})
