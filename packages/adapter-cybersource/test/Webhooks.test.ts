/**
 * The webhook vector verifies in both documented variants; tampering, a wrong key, a wrong key id
 * and a stale timestamp fail with the right typed errors; events decode into core events.
 */
import { readFileSync } from "node:fs"
import * as Webhooks from "@payport/core/Webhooks"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as TestClock from "effect/TestClock"
import * as CyberSourceWebhooks from "../src/CyberSourceWebhooks.js"
import { provider, tss, WEBHOOK_KEY, WEBHOOK_KEY_ID } from "./support/Stub.js"

const vector = JSON.parse(
  readFileSync(
    `${process.env.PAYPORT_SHARED_DIR}/providers/cybersource-vectors/cybersource_webhook_vector.out.json`,
    "utf8"
  )
) as {
  readonly key_b64: string
  readonly keyId: string
  readonly t: number
  readonly rawBody: string
  readonly header_rawBodyVariant: string
  readonly header_payloadVariant: string
}

const PAYMENT_ID = "7000000000000000000001"
const p = provider((r) => {
  const id = r.url.pathname.split("/").pop() ?? ""
  if (id === PAYMENT_ID)
    return { status: 200, body: tss({ id, status: "AUTHORIZED", amount: "10.00", code: "order-w" }) }
  if (id === "R9")
    return {
      status: 200,
      body: tss({ id, rootId: PAYMENT_ID, status: "PENDING", amount: "2.50", applications: ["ics_credit"] })
    }
  return { status: 404, body: { errors: [{ type: "notFound", message: "x" }] } }
})

const at = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.zipRight(TestClock.setTime(vector.t + 1_000), effect).pipe(Effect.provide(p.layer))

const request = (header: string, body = vector.rawBody) => ({
  headers: { "V-C-Signature": header, "v-c-event-type": "payments.payments.accept" },
  body
})

describe("CyberSource webhooks", () => {
  it("the vector's key and ids are the test configuration", () => {
    assert.strictEqual(vector.key_b64, WEBHOOK_KEY)
    assert.strictEqual(vector.keyId, WEBHOOK_KEY_ID)
  })

  it.effect("both vector signatures reproduce bit for bit", () =>
    Effect.gen(function* () {
      const key = Redacted.make(vector.key_b64)
      const raw = yield* CyberSourceWebhooks.signature(key, String(vector.t), vector.rawBody)
      const payload = yield* CyberSourceWebhooks.signature(
        key,
        String(vector.t),
        JSON.stringify((JSON.parse(vector.rawBody) as { payload: unknown }).payload)
      )
      assert.strictEqual(`t=${vector.t};keyId=${vector.keyId};sig=${raw}`, vector.header_rawBodyVariant)
      assert.strictEqual(`t=${vector.t};keyId=${vector.keyId};sig=${payload}`, vector.header_payloadVariant)
    })
  )

  for (const [variant, header, eventType] of [
    ["raw-body", vector.header_rawBodyVariant, "payments.payments.accept"],
    ["payload", vector.header_payloadVariant, "payments.payments"]
  ] as const) {
    it.effect(`the ${variant} variant verifies and becomes PaymentUpdated with the payment read back`, () =>
      at(
        Effect.gen(function* () {
          const event = yield* Webhooks.verify(request(header))
          assert.strictEqual(event._tag, "PaymentUpdated")
          if (event._tag !== "PaymentUpdated") return
          // the raw body signs the event type; the payload variant signs only the resource type
          assert.strictEqual(event.eventType, eventType)
          assert.strictEqual(event.payment.ref.paymentId, PAYMENT_ID)
          assert.strictEqual(event.payment.status._tag, "Authorized")
          assert.strictEqual(event.payment.amount.amount, 1000)
          assert.strictEqual(event.provider, "cybersource")
        })
      )
    )
  }

  it.effect("a tampered body fails SignatureInvalid", () =>
    at(
      Effect.gen(function* () {
        const error = yield* Effect.flip(
          Webhooks.verify(request(vector.header_rawBodyVariant, vector.rawBody.replace("wh_1", "wh_2")))
        )
        assert.strictEqual(error._tag, "SignatureInvalid")
      })
    )
  )

  it.effect("a signature made with another key fails SignatureInvalid", () =>
    at(
      Effect.gen(function* () {
        const other = yield* CyberSourceWebhooks.signature(
          Redacted.make("b3RoZXIta2V5"),
          String(vector.t),
          vector.rawBody
        )
        const error = yield* Effect.flip(Webhooks.verify(request(`t=${vector.t};keyId=${vector.keyId};sig=${other}`)))
        assert.strictEqual(error._tag, "SignatureInvalid")
      })
    )
  )

  it.effect("another key id, a missing or malformed header fail SignatureInvalid", () =>
    at(
      Effect.gen(function* () {
        const wrongId = vector.header_rawBodyVariant.replace(vector.keyId, "00000000-0000-0000-0000-000000000000")
        for (const headers of [{ "v-c-signature": wrongId }, {}, { "v-c-signature": "garbage" }]) {
          const error = yield* Effect.flip(Webhooks.verify({ headers, body: vector.rawBody }))
          assert.strictEqual(error._tag, "SignatureInvalid")
        }
      })
    )
  )

  it.effect("a genuine but stale notification fails TimestampOutOfTolerance", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(vector.t + 301_000)
      const error = yield* Effect.flip(Webhooks.verify(request(vector.header_rawBodyVariant)))
      assert.strictEqual(error._tag, "TimestampOutOfTolerance")
    }).pipe(Effect.provide(p.layer))
  )

  it.effect("a refund notification becomes RefundUpdated for its payment", () =>
    at(
      Effect.gen(function* () {
        const body = JSON.stringify({
          eventType: "payments.refunds.accept",
          webhookId: "wh_1",
          eventDate: "2026-01-01T00:00:01Z",
          payload: [{ data: { id: "R9", type: "refunds" }, organizationId: "testrest" }]
        })
        const sig = yield* CyberSourceWebhooks.signature(Redacted.make(WEBHOOK_KEY), String(vector.t), body)
        const event = yield* Webhooks.verify({
          headers: { "v-c-signature": `t=${vector.t};keyId=${WEBHOOK_KEY_ID};sig=${sig}` },
          body
        })
        assert.strictEqual(event._tag, "RefundUpdated")
        if (event._tag !== "RefundUpdated") return
        assert.strictEqual(event.refund.ref.payment.paymentId, PAYMENT_ID)
        assert.strictEqual(event.refund.amount.amount, 250)
        assert.strictEqual(event.refund.status._tag, "Pending")
      })
    )
  )

  it.effect("a verified event of an unknown type fails UnknownEvent; a non-JSON body ProviderResponseInvalid", () =>
    at(
      Effect.gen(function* () {
        for (const [body, tag] of [
          [JSON.stringify({ eventType: "tms.networktoken.updated", payload: [] }), "UnknownEvent"],
          ["not json", "ProviderResponseInvalid"]
        ] as const) {
          const sig = yield* CyberSourceWebhooks.signature(Redacted.make(WEBHOOK_KEY), String(vector.t), body)
          const error = yield* Effect.flip(
            Webhooks.verify({ headers: { "v-c-signature": `t=${vector.t};keyId=${WEBHOOK_KEY_ID};sig=${sig}` }, body })
          )
          assert.strictEqual(error._tag, tag)
        }
      })
    )
  )
})
