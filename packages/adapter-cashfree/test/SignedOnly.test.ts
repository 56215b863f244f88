/**
 * Issue 21: a verified event is made of signed bytes only. Cashfree signs the timestamp header and
 * the whole raw body; every other header (`x-idempotency-key`, `x-webhook-attempt`,
 * `x-webhook-version`, `content-type`) is unsigned. On real deliveries from `CashfreeEmulator`
 * (hold → capture → refund), each unsigned header is changed, removed or added, and the verified
 * event is then identical to the original's (same event id, type, time and payment); any change to
 * the body or the timestamp is refused. A retry signed anew keeps the event id, and a genuine
 * delivery replayed after the tolerance is refused.
 */
import * as Authorization from "@payport/core/Authorization"
import * as Money from "@payport/core/Money"
import * as PaymentMethod from "@payport/core/PaymentMethod"
import * as Payments from "@payport/core/Payments"
import { WebhookEvent } from "@payport/core/WebhookEvent"
import * as Webhooks from "@payport/core/Webhooks"
import * as CashfreeEmulator from "@payport/emulators/CashfreeEmulator"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import * as TestClock from "effect/TestClock"
import * as TestContext from "effect/TestContext"
import * as Cashfree from "../src/Cashfree.js"
import { httpClient, options } from "./support/Loopback.js"

const inr = (minor: number) => Money.unsafeMake(minor, "INR")
const card = PaymentMethod.card({ number: "4111111111111111", expiry: { month: 12, year: 2030 }, cvv: "123" })
const encode = Schema.encodeSync(WebhookEvent)

interface Delivery {
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

const signedHeaders = new Set(["x-webhook-signature", "x-webhook-timestamp"])

const lifecycle = Effect.gen(function* () {
  const emulator = yield* CashfreeEmulator.start()
  const layer = Cashfree.layer(options(emulator)).pipe(Layer.provide(httpClient()))
  const reference = `order_${globalThis.crypto.randomUUID().slice(0, 8)}`
  yield* Effect.gen(function* () {
    const held = yield* Authorization.authorize({ reference, amount: inr(10_000), method: card })
    yield* Authorization.capture({ payment: held.ref, amount: inr(6_000) })
    const refund = yield* Payments.refund({ payment: held.ref, amount: inr(1_000) })
    yield* Payments.get(held.ref)
    yield* Effect.promise(() => emulator.webhooks.wait((d) => d.event === "REFUND_STATUS_WEBHOOK"))
    return refund
  }).pipe(Effect.provide(layer))
  const deliveries = emulator.webhooks.deliveries()
  assert.includeMembers(
    deliveries.map((d) => d.event),
    ["PAYMENT_SUCCESS_WEBHOOK", "REFUND_STATUS_WEBHOOK"]
  )
  return { emulator, layer, deliveries }
})

describe("a verified Cashfree event is made of signed bytes only", () => {
  it.live("tampering an unsigned header gives the identical event; tampering signed bytes is refused", () =>
    Effect.gen(function* () {
      const { layer, deliveries } = yield* lifecycle
      const verify = (delivery: Delivery) => Effect.either(Webhooks.verify(delivery).pipe(Effect.provide(layer)))
      for (const delivery of deliveries) {
        const original = encode(yield* Webhooks.verify(delivery).pipe(Effect.provide(layer)))
        const unsigned = Object.keys(delivery.headers).filter((name) => !signedHeaders.has(name))
        assert.include(unsigned, "x-webhook-attempt")
        const forgeries: Array<readonly [string, Delivery]> = [
          ["x-idempotency-key added", { ...delivery, headers: { ...delivery.headers, "x-idempotency-key": "forged=" } }]
        ]
        for (const name of unsigned) {
          const { [name]: _removed, ...rest } = delivery.headers
          forgeries.push([`${name} changed`, { ...delivery, headers: { ...delivery.headers, [name]: "forged" } }])
          forgeries.push([`${name} removed`, { ...delivery, headers: rest }])
        }
        for (const [what, forged] of forgeries) {
          const result = yield* verify(forged)
          assert.isTrue(result._tag === "Right", `${delivery.event}: ${what} was refused`)
          if (result._tag === "Right")
            assert.deepStrictEqual(encode(result.right), original, `${delivery.event}: ${what}`)
        }
        const body = JSON.parse(delivery.body) as Record<string, unknown>
        const timestamp = Number(delivery.headers["x-webhook-timestamp"])
        const refusals: Array<readonly [string, Delivery]> = [
          [
            "timestamp changed",
            { ...delivery, headers: { ...delivery.headers, "x-webhook-timestamp": String(timestamp + 1) } }
          ],
          ["body re-serialised", { ...delivery, body: JSON.stringify(body, null, 1) }]
        ]
        for (const field of Object.keys(body)) {
          refusals.push([
            `body ${field} changed`,
            { ...delivery, body: JSON.stringify({ ...body, [field]: "forged" }) }
          ])
        }
        for (const [what, forged] of refusals) {
          const result = yield* verify(forged)
          assert.isTrue(result._tag === "Left" && result.left._tag === "SignatureInvalid", `${delivery.event}: ${what}`)
        }
      }
    }).pipe(Effect.scoped)
  )

  it.live("a retry signed anew (new timestamp, next attempt, another x-idempotency-key) keeps the event id", () =>
    Effect.gen(function* () {
      const { emulator, layer, deliveries } = yield* lifecycle
      const ids = new Set<string>()
      for (const delivery of deliveries) {
        const event = yield* Webhooks.verify(delivery).pipe(Effect.provide(layer))
        const timestamp = String(Date.now() + 1_000)
        const retry = {
          headers: {
            ...delivery.headers,
            "x-webhook-attempt": "2",
            "x-idempotency-key": "another-key=",
            "x-webhook-timestamp": timestamp,
            "x-webhook-signature": CashfreeEmulator.signWebhook(emulator.clientSecret, timestamp, delivery.body)
          },
          body: delivery.body
        }
        const again = yield* Webhooks.verify(retry).pipe(Effect.provide(layer))
        assert.match(event.eventId, /^[0-9a-f]{64}$/)
        assert.strictEqual(again.eventId, event.eventId)
        ids.add(event.eventId)
      }
      assert.strictEqual(ids.size, deliveries.length, "distinct events keep distinct ids")
    }).pipe(Effect.scoped)
  )

  it.live("a genuine delivery replayed outside the tolerance is refused", () =>
    Effect.gen(function* () {
      const { layer, deliveries } = yield* lifecycle
      for (const delivery of deliveries) {
        const signedAt = Number(delivery.headers["x-webhook-timestamp"])
        for (const at of [signedAt + 301_000, signedAt - 301_000]) {
          const replay = Effect.gen(function* () {
            yield* TestClock.setTime(at)
            return yield* Effect.flip(Webhooks.verify(delivery))
          }).pipe(Effect.provide(layer), Effect.provide(TestContext.TestContext))
          assert.strictEqual((yield* replay)._tag, "TimestampOutOfTolerance")
        }
      }
    }).pipe(Effect.scoped)
  )
})
