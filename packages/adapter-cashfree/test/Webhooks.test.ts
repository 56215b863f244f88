import * as Webhooks from "@payport/core/Webhooks"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as TestClock from "effect/TestClock"
import * as CashfreeWebhooks from "../src/CashfreeWebhooks.js"
import { CLIENT_SECRET, withRoutes } from "./support/Layers.js"

// providers/cashfree.md §4.
const VECTOR = {
  secret: "cfsk_ma_test_dummysecret",
  timestamp: "1746427759733",
  body: '{"data":{"order":{"order_id":"order_1"}},"event_time":"2025-01-15T11:16:10+05:30","type":"PAYMENT_SUCCESS_WEBHOOK"}',
  signature: "sRBLS5CC3frJa8w+sUW5lYHBq4z9l2b//urpgouEKw0="
}
const T = Number(VECTOR.timestamp)

const signed = (
  body: string,
  options: { readonly secret?: string; readonly timestamp?: number; readonly key?: string } = {}
) =>
  Effect.map(
    CashfreeWebhooks.sign(Redacted.make(options.secret ?? CLIENT_SECRET), String(options.timestamp ?? T), body),
    (signature) => ({
      headers: {
        "Content-Type": "application/json",
        "x-webhook-signature": signature,
        "x-webhook-timestamp": String(options.timestamp ?? T),
        "x-webhook-version": "2025-01-01",
        ...(options.key === undefined ? {} : { "x-idempotency-key": options.key })
      },
      body
    })
  )

const paymentBody = (status: string, extra: object = {}) =>
  JSON.stringify({
    data: {
      order: { order_id: "order_OsUwzV9K", order_amount: 170.0, order_currency: "INR", order_tags: null },
      payment: {
        cf_payment_id: 5114910432645,
        payment_status: status,
        payment_amount: 170.0,
        payment_currency: "INR",
        payment_message: "00::Transaction success",
        payment_time: "2025-01-15T11:16:03+05:30",
        payment_group: "credit_card",
        payment_method: {
          card: { channel: "link", card_number: "470613XXXXXX2123", card_network: "visa", card_type: "debit_card" }
        },
        ...extra
      },
      customer_details: { customer_id: "cus_1", customer_phone: "9876543210" },
      payment_gateway_details: { gateway_name: "CASHFREE" }
    },
    event_time: "2025-01-15T11:16:10+05:30",
    type:
      status === "SUCCESS"
        ? "PAYMENT_SUCCESS_WEBHOOK"
        : status === "FAILED"
          ? "PAYMENT_FAILED_WEBHOOK"
          : "PAYMENT_USER_DROPPED_WEBHOOK"
  })

describe("signature", () => {
  it.effect("the test vector in cashfree.md §4 verifies", () =>
    Effect.gen(function* () {
      const request = Webhooks.normalize({
        headers: { "x-webhook-signature": VECTOR.signature, "x-webhook-timestamp": VECTOR.timestamp },
        body: VECTOR.body
      })
      assert.strictEqual(
        yield* CashfreeWebhooks.sign(Redacted.make(VECTOR.secret), VECTOR.timestamp, VECTOR.body),
        VECTOR.signature
      )
      assert.strictEqual(
        yield* CashfreeWebhooks.verifySignature(Redacted.make(VECTOR.secret), request),
        VECTOR.timestamp
      )
      const tampered = Webhooks.normalize({ headers: request.headers, body: VECTOR.body.replace("order_1", "order_2") })
      assert.strictEqual(
        (yield* Effect.flip(CashfreeWebhooks.verifySignature(Redacted.make(VECTOR.secret), tampered)))._tag,
        "SignatureInvalid"
      )
      const otherSecret = yield* Effect.flip(
        CashfreeWebhooks.verifySignature(Redacted.make("cfsk_ma_test_other"), request)
      )
      assert.strictEqual(otherSecret._tag, "SignatureInvalid")
    })
  )
})

describe("verify through the port", () => {
  const adapter = withRoutes([])
  it.layer(adapter.layer)("Webhooks", (it) => {
    it.effect(
      "a genuine payment webhook becomes PaymentUpdated; its event id is the body's SHA-256, not the unsigned x-idempotency-key",
      () =>
        Effect.gen(function* () {
          yield* TestClock.setTime(T + 60_000)
          const event = yield* Webhooks.verify(yield* signed(paymentBody("SUCCESS"), { key: "n9rn70Ab=" }))
          assert.strictEqual(event._tag, "PaymentUpdated")
          if (event._tag !== "PaymentUpdated") return
          assert.match(event.eventId, /^[0-9a-f]{64}$/)
          const rekeyed = yield* Webhooks.verify(yield* signed(paymentBody("SUCCESS"), { key: "another-key=" }))
          assert.strictEqual(rekeyed.eventId, event.eventId)
          assert.strictEqual(event.eventType, "PAYMENT_SUCCESS_WEBHOOK")
          assert.strictEqual(event.payment.ref.paymentId, "5114910432645")
          assert.strictEqual(event.payment.ref.orderId, "order_OsUwzV9K")
          assert.strictEqual(event.payment.status._tag, "Captured")
          assert.strictEqual(event.payment.amount.amount, 17_000)
          assert.strictEqual(event.payment.method.display, "•••• 2123")
        })
    )
    it.effect("the event id is the body's SHA-256, stable across deliveries", () =>
      Effect.gen(function* () {
        yield* TestClock.setTime(T)
        const a = yield* Webhooks.verify(
          yield* signed(
            paymentBody("FAILED", {
              error_details: { error_code: "TRANSACTION_DECLINED", error_reason: "auth_declined" }
            })
          )
        )
        const b = yield* Webhooks.verify(
          yield* signed(
            paymentBody("FAILED", {
              error_details: { error_code: "TRANSACTION_DECLINED", error_reason: "auth_declined" }
            })
          )
        )
        assert.match(a.eventId, /^[0-9a-f]{64}$/)
        assert.strictEqual(a.eventId, b.eventId)
        assert.strictEqual(
          a._tag === "PaymentUpdated" && a.payment.status._tag === "Failed" ? a.payment.status.decline.code : "",
          "do_not_honor"
        )
        const dropped = yield* Webhooks.verify(yield* signed(paymentBody("USER_DROPPED")))
        assert.strictEqual(
          dropped._tag === "PaymentUpdated" && dropped.payment.status._tag === "Failed"
            ? dropped.payment.status.decline.code
            : "",
          "user_cancelled"
        )
      })
    )
    it.effect(
      "tampered body, wrong secret, missing signature fail SignatureInvalid; stale fails TimestampOutOfTolerance",
      () =>
        Effect.gen(function* () {
          yield* TestClock.setTime(T)
          const genuine = yield* signed(paymentBody("SUCCESS"))
          const tampered = { ...genuine, body: genuine.body.replace('"payment_amount":170', '"payment_amount":1') }
          assert.notStrictEqual(tampered.body, genuine.body)
          assert.strictEqual((yield* Effect.flip(Webhooks.verify(tampered)))._tag, "SignatureInvalid")
          assert.strictEqual(
            (yield* Effect.flip(Webhooks.verify(yield* signed(paymentBody("SUCCESS"), { secret: "cfsk_wrong" }))))._tag,
            "SignatureInvalid"
          )
          const { "x-webhook-signature": _, ...unsigned } = genuine.headers
          assert.strictEqual(
            (yield* Effect.flip(Webhooks.verify({ headers: unsigned, body: genuine.body })))._tag,
            "SignatureInvalid"
          )
          const stale = yield* Effect.flip(
            Webhooks.verify(yield* signed(paymentBody("SUCCESS"), { timestamp: T - 301_000 }))
          )
          assert.strictEqual(stale._tag, "TimestampOutOfTolerance")
          const future = yield* Effect.flip(
            Webhooks.verify(yield* signed(paymentBody("SUCCESS"), { timestamp: T + 301_000 }))
          )
          assert.strictEqual(future._tag, "TimestampOutOfTolerance")
          assert.strictEqual(
            (yield* Webhooks.verify(yield* signed(paymentBody("SUCCESS"), { timestamp: T - 299_000 })))._tag,
            "PaymentUpdated"
          )
        })
    )
    it.effect(
      "refund, auto-refund and instrument webhooks decode; settlement is UnknownEvent; bad JSON is ProviderResponseInvalid",
      () =>
        Effect.gen(function* () {
          yield* TestClock.setTime(T)
          const refund = {
            cf_payment_id: 918812,
            cf_refund_id: 1553338,
            refund_id: "REF-123",
            order_id: "c6G-QMcbm1848",
            refund_amount: 100.81,
            refund_currency: "INR",
            refund_status: "SUCCESS"
          }
          const r = yield* Webhooks.verify(
            yield* signed(
              JSON.stringify({
                data: { refund },
                event_time: "2025-01-15T11:16:10+05:30",
                type: "REFUND_STATUS_WEBHOOK"
              })
            )
          )
          assert.strictEqual(
            r._tag === "RefundUpdated"
              ? `${r.refund.ref.refundId} ${r.refund.status._tag} ${r.refund.amount.amount}`
              : r._tag,
            "REF-123 Succeeded 10081"
          )
          const auto = {
            cf_payment_id: "918813",
            cf_refund_id: "77",
            order_id: "o_9",
            refund_amount: "5.00",
            refund_currency: "INR",
            refund_status: "PENDING"
          }
          const a = yield* Webhooks.verify(
            yield* signed(JSON.stringify({ data: { auto_refund: auto }, type: "AUTO_REFUND_STATUS_WEBHOOK" }))
          )
          assert.strictEqual(
            a._tag === "RefundUpdated" ? `${a.refund.ref.refundId} ${a.refund.status._tag}` : a._tag,
            "77 Pending"
          )
          const instrument = {
            customer_id: "siddhesh_desai",
            instrument_id: "54deabb4",
            instrument_type: "card",
            instrument_display: "xxxxxxxxxxxx4375",
            instrument_status: "ACTIVE"
          }
          for (const data of [{ instrument }, { data: { instrument } }]) {
            const i = yield* Webhooks.verify(yield* signed(JSON.stringify({ data, type: "INSTRUMENT_ACTIVE_WEBHOOK" })))
            assert.strictEqual(
              i._tag === "InstrumentUpdated"
                ? `${i.instrument.id} ${i.instrument.status} ${i.instrument.display}`
                : i._tag,
              "54deabb4 Active •••• 4375"
            )
          }
          const settlement = yield* Effect.flip(
            Webhooks.verify(yield* signed(JSON.stringify({ data: { settlement: {} }, type: "SETTLEMENT_SUCCESS" })))
          )
          assert.strictEqual(settlement._tag, "UnknownEvent")
          const garbage = yield* Effect.flip(Webhooks.verify(yield* signed("{not json")))
          assert.strictEqual(garbage._tag, "ProviderResponseInvalid")
          const noPayment = yield* Effect.flip(Webhooks.verify(yield* signed(VECTOR.body)))
          assert.strictEqual(noPayment._tag, "ProviderResponseInvalid")
        })
    )
  })
})
