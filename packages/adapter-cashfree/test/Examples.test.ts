import { assert, describe, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import * as Mapping from "../src/internal/mapping.js"
import * as Wire from "../src/internal/wire.js"
import { type Json, responseExamples } from "./support/OpenApi.js"

const now = DateTime.unsafeMake(0)
const ok = <A>(result: Either.Either<A, string>, what: string): A => {
  if (Either.isLeft(result)) assert.fail(`${what}: ${result.left}`)
  return Either.getOrThrow(result)
}

/** Each operation the adapter reads, the schema it decodes with, and the mapping it applies. */
const readers: ReadonlyArray<readonly [string, string, (value: unknown) => void]> = [
  ["POST", "/orders", (v) => assert.isString(Schema.decodeUnknownSync(Wire.OrderEntity)(v).order_id)],
  [
    "POST",
    "/orders/sessions",
    (v) => {
      const pay = Schema.decodeUnknownSync(Wire.PayOrderEntity)(v)
      assert.strictEqual(Mapping.actionFromPay(pay, undefined)?._tag, "Redirect")
    }
  ],
  [
    "POST",
    "/orders/pay/authenticate/{cf_payment_id}",
    (v) =>
      assert.isTrue(
        Object.hasOwn(
          Mapping.authenticateStatuses,
          Schema.decodeUnknownSync(Wire.OrderAuthenticateEntity)(v).authenticate_status
        )
      )
  ],
  [
    "GET",
    "/orders/{order_id}/payments",
    (v) =>
      Schema.decodeUnknownSync(Wire.PaymentEntities)(v).forEach(
        (e) => void ok(Mapping.paymentFromEntity(e, { now }), "payment")
      )
  ],
  [
    "GET",
    "/orders/{order_id}/payments/{cf_payment_id}",
    (v) => ok(Mapping.paymentFromEntity(Schema.decodeUnknownSync(Wire.PaymentEntity)(v), { now }), "payment")
  ],
  [
    "POST",
    "/orders/{order_id}/authorization",
    (v) => ok(Mapping.paymentFromEntity(Schema.decodeUnknownSync(Wire.PaymentEntity)(v), { now }), "payment")
  ],
  [
    "POST",
    "/orders/{order_id}/refunds",
    (v) => ok(Mapping.refundFromEntity(Schema.decodeUnknownSync(Wire.One(Wire.RefundEntity))(v), {}, now), "refund")
  ],
  [
    "GET",
    "/orders/{order_id}/refunds",
    (v) =>
      Schema.decodeUnknownSync(Wire.RefundEntities)(v).forEach(
        (e) => void ok(Mapping.refundFromEntity(e, {}, now), "refund")
      )
  ],
  [
    "GET",
    "/orders/{order_id}/refunds/{refund_id}",
    (v) => ok(Mapping.refundFromEntity(Schema.decodeUnknownSync(Wire.One(Wire.RefundEntity))(v), {}, now), "refund")
  ],
  [
    "POST",
    "/customers",
    (v) =>
      ok(Mapping.customerFromEntity(Schema.decodeUnknownSync(Wire.One(Wire.CustomerEntity))(v), undefined), "customer")
  ],
  [
    "GET",
    "/customers/{customer_id}/instruments",
    (v) =>
      Schema.decodeUnknownSync(Wire.InstrumentEntities)(v).forEach(
        (e) => void ok(Mapping.instrumentFromEntity(e), "instrument")
      )
  ],
  [
    "GET",
    "/customers/{customer_id}/instruments/{instrument_id}",
    (v) => ok(Mapping.instrumentFromEntity(Schema.decodeUnknownSync(Wire.One(Wire.InstrumentEntity))(v)), "instrument")
  ],
  [
    "DELETE",
    "/customers/{customer_id}/instruments/{instrument_id}",
    (v) => ok(Mapping.instrumentFromEntity(Schema.decodeUnknownSync(Wire.One(Wire.InstrumentEntity))(v)), "instrument")
  ],
  [
    "GET",
    "/customers/{customer_id}/instruments/{instrument_id}/cryptogram",
    (v) => ok(Mapping.cryptogramFromEntity(Schema.decodeUnknownSync(Wire.CryptogramEntity)(v), "i"), "cryptogram")
  ]
]

describe("every 2025-01-01 response example the adapter reads decodes", () => {
  for (const [method, path, read] of readers) {
    const found = responseExamples(method, path)
    it(`${method} ${path} (${found.length} example${found.length === 1 ? "" : "s"})`, () => {
      assert.isAbove(found.length, 0, "the document has no example for this operation")
      for (const example of found) read(example.value as unknown)
    })
  }

  it("the documented examples map to the expected core values", () => {
    const [success, failed] = Schema.decodeUnknownSync(Wire.PaymentEntities)(
      responseExamples("GET", "/orders/{order_id}/payments")[0]?.value as Json
    )
    const captured = ok(Mapping.paymentFromEntity(success ?? assert.fail("no example"), { now }), "payment")
    assert.strictEqual(captured.status._tag, "Captured")
    assert.strictEqual(captured.amount.amount, 1001)
    assert.strictEqual(captured.method.kind, "Upi")
    assert.strictEqual(captured.method.display, "rohit@xcxcx")
    const declined = ok(Mapping.paymentFromEntity(failed ?? assert.fail("no example"), { now }), "payment")
    assert.deepStrictEqual(
      declined.status._tag === "Failed" ? [declined.status.decline.code, declined.status.decline.providerCode] : [],
      ["do_not_honor", "TRANSACTION_DECLINED"]
    )
    assert.strictEqual(declined.method.display, "•••• 1111")
  })
})

describe("2022-09-01 shapes (integer cf_* ids, from the SDK seed documents)", () => {
  it("payment, Order Pay, OTP and refund answers decode", () => {
    const payment = Schema.decodeUnknownSync(Wire.PaymentEntity)({
      cf_payment_id: 12376123,
      order_id: "order_8123",
      entity: "payment",
      payment_currency: "INR",
      error_details: null,
      order_amount: 10.01,
      is_captured: true,
      payment_group: "upi",
      authorization: null,
      payment_method: { upi: { channel: "collect", upi_id: "rohit@xcxcx" } },
      payment_amount: 10.01,
      payment_status: "SUCCESS"
    })
    assert.strictEqual(ok(Mapping.paymentFromEntity(payment, { now }), "payment").ref.paymentId, "12376123")
    const pay = Schema.decodeUnknownSync(Wire.PayOrderEntity)({
      payment_method: "card",
      channel: "link",
      action: "link",
      cf_payment_id: 91235,
      payment_amount: 22.42,
      data: {
        url: "https://sandbox.cashfree.com/pg/view/gateway/x",
        payload: { name: "card" },
        content_type: "application/x-www-form-urlencoded",
        method: "post"
      }
    })
    assert.strictEqual(pay.cf_payment_id, "91235")
    assert.strictEqual(
      Schema.decodeUnknownSync(Wire.OrderAuthenticateEntity)({
        cf_payment_id: 975654863,
        authenticate_status: "FAILED",
        action: "SUBMIT_OTP",
        payment_message: "otp is invalid"
      }).cf_payment_id,
      "975654863"
    )
    const refund = Schema.decodeUnknownSync(Wire.RefundEntity)({
      cf_payment_id: 918812,
      cf_refund_id: "refund_1553338",
      refund_id: "REF-123",
      order_id: "c6G-QMcbm1848",
      refund_amount: 100.81,
      refund_currency: "INR",
      refund_status: "SUCCESS",
      metadata: { option: "myotpion" }
    })
    const mapped = ok(Mapping.refundFromEntity(refund, {}, now), "refund")
    assert.strictEqual(mapped.ref.payment.paymentId, "918812")
    assert.strictEqual(mapped.amount.amount, 10081)
  })
})
