/**
 * Webhooks (issue 6): duplicate and out-of-order deliveries never move a payment backwards. One
 * payment's lifecycle (hold → partial capture → refund) runs against `CashfreeEmulator`; its real
 * signed deliveries, with the adapter's own answers, are verified and merged in random orders with
 * duplicates (`StateMachine.mergePayment` / `mergeRefund`): no merge regresses, the final view equals
 * the provider's (`Payments.get` / `getRefund`), and `WebhookDeduplication` handles each event id once.
 *
 * `PAYPORT_FUZZ_RUNS` sets the orders tried (default 30).
 */
import * as Authorization from "@payport/core/Authorization"
import * as Money from "@payport/core/Money"
import * as PaymentMethod from "@payport/core/PaymentMethod"
import * as Payments from "@payport/core/Payments"
import * as CashfreeEmulator from "@payport/emulators/CashfreeEmulator"
import * as WebhookOrder from "@payport/testkit/WebhookOrder"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Cashfree from "../src/Cashfree.js"
import { httpClient, options } from "./support/Loopback.js"

const RUNS = Number(process.env.PAYPORT_FUZZ_RUNS ?? 30)
const inr = (minor: number) => Money.unsafeMake(minor, "INR")
const card = PaymentMethod.card({ number: "4111111111111111", expiry: { month: 12, year: 2030 }, cvv: "123" })
const run = globalThis.crypto.randomUUID().slice(0, 8)

describe("duplicate and out-of-order webhook deliveries", () => {
  it.live("never move a payment backwards; the merged view is the provider's; each event id is handled once", () =>
    Effect.gen(function* () {
      const emulator = yield* CashfreeEmulator.start()
      const layer = Cashfree.layer(options(emulator)).pipe(Layer.provide(httpClient()))
      const lifecycle = yield* Effect.gen(function* () {
        const held = yield* Authorization.authorize({ reference: `order_${run}`, amount: inr(10_000), method: card })
        const captured = yield* Authorization.capture({ payment: held.ref, amount: inr(6_000) })
        const refund = yield* Payments.refund({ payment: held.ref, amount: inr(1_000) })
        // the refund settles on the emulator's next request, which emits REFUND_STATUS_WEBHOOK
        const synced = yield* Payments.get(held.ref)
        yield* Effect.promise(() => emulator.webhooks.wait((d) => d.event === "REFUND_STATUS_WEBHOOK"))
        const settledRefund = yield* Payments.getRefund(refund.ref)
        return { held, captured, refund, synced, settledRefund }
      }).pipe(Effect.provide(layer))

      const deliveries = emulator.webhooks
        .deliveries()
        .filter((d) => d.body.includes(lifecycle.held.ref.paymentId) || d.body.includes(lifecycle.refund.ref.refundId))
      assert.includeMembers(
        deliveries.map((d) => d.event),
        ["PAYMENT_SUCCESS_WEBHOOK", "REFUND_STATUS_WEBHOOK"]
      )

      yield* WebhookOrder.check({ lifecycle, deliveries, layer, runs: RUNS })
    }).pipe(Effect.scoped)
  )
})
