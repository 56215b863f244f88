/**
 * Issue 21: a verified event is made of signed bytes only. Real deliveries from
 * `CyberSourceEmulator` (hold → capture → refund), in both signature variants: every unsigned
 * part of a delivery — every header but `v-c-signature`, and, under the `payload` variant, every
 * body field but `payload` — is changed, removed or added to, and the verified event is then
 * identical to the original's (same event id, type, time and payment) or the delivery is refused.
 * A genuine delivery replayed after the tolerance is refused with `TimestampOutOfTolerance`.
 */
import * as Authorization from "@payport/core/Authorization"
import * as Money from "@payport/core/Money"
import * as PaymentMethod from "@payport/core/PaymentMethod"
import * as Payments from "@payport/core/Payments"
import { WebhookEvent } from "@payport/core/WebhookEvent"
import * as Webhooks from "@payport/core/Webhooks"
import * as CyberSourceEmulator from "@payport/emulators/CyberSourceEmulator"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import * as TestClock from "effect/TestClock"
import * as TestContext from "effect/TestContext"
import { providerFor } from "./support/Live.js"

const usd = (minor: number) => Money.unsafeMake(minor, "USD")
const card = PaymentMethod.card({ number: "4111111111111111", expiry: { month: 12, year: 2031 }, cvv: "987" })
const encode = Schema.encodeSync(WebhookEvent)

interface Delivery {
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

/** Every way to alter the parts of `delivery` that its signature does not cover. */
const tamperings = (delivery: Delivery): ReadonlyArray<readonly [string, Delivery]> => {
  const out: Array<readonly [string, Delivery]> = []
  for (const name of Object.keys(delivery.headers)) {
    if (name === "v-c-signature") continue
    const { [name]: _removed, ...rest } = delivery.headers
    out.push([`header ${name} changed`, { ...delivery, headers: { ...delivery.headers, [name]: `${name}-forged` } }])
    out.push([`header ${name} removed`, { ...delivery, headers: rest }])
  }
  out.push([
    "a v-c-transaction-trace-id header added",
    { ...delivery, headers: { ...delivery.headers, "v-c-transaction-trace-id": "forged-trace" } }
  ])
  const body = JSON.parse(delivery.body) as Record<string, unknown>
  for (const field of [...Object.keys(body), "transactionTraceId"]) {
    if (field === "payload") continue
    const changed =
      field === "eventType"
        ? "payments.refunds.accept"
        : field === "eventDate"
          ? "2001-01-01T00:00:00Z"
          : typeof body[field] === "number"
            ? 7
            : `${field}-forged`
    const { [field]: _removed, ...rest } = body
    out.push([`body ${field} changed`, { ...delivery, body: JSON.stringify({ ...body, [field]: changed }) }])
    out.push([`body ${field} removed`, { ...delivery, body: JSON.stringify(rest) }])
  }
  // a signed body that is re-serialised (spacing) no longer matches a raw-body signature
  out.push(["body re-serialised", { ...delivery, body: JSON.stringify(body, null, 1) }])
  return out
}

const lifecycleDeliveries = (variant: CyberSourceEmulator.WebhookSignatureVariant) =>
  Effect.gen(function* () {
    const emulator = yield* CyberSourceEmulator.start({ webhookSignatureVariant: variant })
    const layer = providerFor(emulator)
    const reference = `order-${globalThis.crypto.randomUUID().slice(0, 8)}`
    yield* Effect.gen(function* () {
      const held = yield* Authorization.authorize({ reference, amount: usd(10_000), method: card })
      yield* Authorization.capture({ payment: held.ref, amount: usd(6_000) })
      yield* Payments.refund({ payment: held.ref, amount: usd(1_000) })
    }).pipe(Effect.provide(layer))
    return { layer, deliveries: emulator.webhooks.deliveries() }
  })

describe("a verified CyberSource event is made of signed bytes only", () => {
  for (const variant of ["payload", "rawBody"] as const) {
    it.live(
      `${variant} variant: tampering any unsigned field gives the identical event or a refusal`,
      () =>
        Effect.gen(function* () {
          const { layer, deliveries } = yield* lifecycleDeliveries(variant)
          assert.strictEqual(deliveries.length, 3)
          let identical = 0
          let refused = 0
          for (const delivery of deliveries) {
            const original = encode(yield* Webhooks.verify(delivery).pipe(Effect.provide(layer)))
            for (const [what, forged] of tamperings(delivery)) {
              const result = yield* Effect.either(Webhooks.verify(forged).pipe(Effect.provide(layer)))
              if (Either.isRight(result)) {
                assert.deepStrictEqual(encode(result.right), original, `${delivery.event}: ${what}`)
                identical++
              } else {
                refused++
              }
            }
          }
          // headers are unsigned in both variants; body fields only under the payload variant
          assert.isAbove(identical, 0)
          if (variant === "rawBody") assert.isAbove(refused, 0)
        }).pipe(Effect.scoped),
      // about 80 verifications, each reading the transaction back from the emulator
      90_000
    )
  }

  for (const variant of ["payload", "rawBody"] as const) {
    it.live(
      `${variant} variant: a retry signed anew (new t, next retry count) keeps the event id; events keep distinct ids`,
      () =>
        Effect.gen(function* () {
          const { layer, deliveries } = yield* lifecycleDeliveries(variant)
          const ids = new Set<string>()
          for (const delivery of deliveries) {
            const event = yield* Webhooks.verify(delivery).pipe(Effect.provide(layer))
            const t = Date.now() + 1_000
            const retry = {
              headers: {
                ...delivery.headers,
                "v-c-retry-count": "1",
                "v-c-transaction-trace-id": globalThis.crypto.randomUUID(),
                "v-c-signature": CyberSourceEmulator.signWebhook({
                  ...CyberSourceEmulator.defaultWebhookKey,
                  t,
                  rawBody: delivery.body,
                  variant
                })
              },
              body: delivery.body
            }
            const again = yield* Webhooks.verify(retry).pipe(Effect.provide(layer))
            assert.match(event.eventId, /^[0-9a-f]{64}$/)
            assert.strictEqual(again.eventId, event.eventId)
            ids.add(event.eventId)
          }
          assert.strictEqual(ids.size, deliveries.length)
        }).pipe(Effect.scoped)
    )
  }

  it.live("a genuine delivery replayed after the tolerance is refused", () =>
    Effect.gen(function* () {
      const { layer, deliveries } = yield* lifecycleDeliveries("payload")
      for (const delivery of deliveries) {
        const signedAt = Number(/t=(\d+)/.exec(delivery.headers["v-c-signature"] ?? "")?.[1])
        const replay = Effect.gen(function* () {
          yield* TestClock.setTime(signedAt + 301_000)
          return yield* Effect.flip(Webhooks.verify(delivery))
        }).pipe(Effect.provide(layer), Effect.provide(TestContext.TestContext))
        assert.strictEqual((yield* replay)._tag, "TimestampOutOfTolerance")
        const early = Effect.gen(function* () {
          yield* TestClock.setTime(signedAt - 301_000)
          return yield* Effect.flip(Webhooks.verify(delivery))
        }).pipe(Effect.provide(layer), Effect.provide(TestContext.TestContext))
        assert.strictEqual((yield* early)._tag, "TimestampOutOfTolerance")
      }
    }).pipe(Effect.scoped)
  )
})
