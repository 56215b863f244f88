/**
 * Webhooks (issue 6): duplicate and out-of-order deliveries never move a payment backwards. One
 * payment's lifecycle (hold → partial capture → refund) runs against `CyberSourceEmulator`; its real
 * signed deliveries, with the adapter's own answers, are verified and merged in random orders with
 * duplicates (`StateMachine.mergePayment` / `mergeRefund`): no merge regresses, the final view equals
 * the provider's (`Payments.get` / `getRefund`), and `WebhookDeduplication` handles each event id once.
 *
 * Verification reads the transaction back from the emulator, so each order is real I/O.
 * `PAYPORT_FUZZ_RUNS` sets the orders tried (default 30).
 */
import * as Authorization from "@payport/core/Authorization"
import * as Money from "@payport/core/Money"
import * as PaymentMethod from "@payport/core/PaymentMethod"
import * as Payments from "@payport/core/Payments"
import * as CyberSourceEmulator from "@payport/emulators/CyberSourceEmulator"
import * as WebhookOrder from "@payport/testkit/WebhookOrder"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { providerFor } from "./support/Live.js"

const RUNS = Number(process.env.PAYPORT_FUZZ_RUNS ?? 30)
const usd = (minor: number) => Money.unsafeMake(minor, "USD")
const card = PaymentMethod.card({ number: "4111111111111111", expiry: { month: 12, year: 2031 }, cvv: "987" })
const run = globalThis.crypto.randomUUID().slice(0, 8)

describe("duplicate and out-of-order webhook deliveries", () => {
  it.live("never move a payment backwards; the merged view is the provider's; each event id is handled once", () =>
    Effect.gen(function* () {
      const emulator = yield* CyberSourceEmulator.start()
      const layer = providerFor(emulator)
      const lifecycle = yield* Effect.gen(function* () {
        const held = yield* Authorization.authorize({ reference: `order-${run}`, amount: usd(10_000), method: card })
        const captured = yield* Authorization.capture({ payment: held.ref, amount: usd(6_000) })
        const refund = yield* Payments.refund({ payment: held.ref, amount: usd(1_000) })
        const synced = yield* Payments.get(held.ref)
        const settledRefund = yield* Payments.getRefund(refund.ref)
        return { held, captured, refund, synced, settledRefund }
      }).pipe(Effect.provide(layer))

      // a fresh emulator: every notification it emitted is about this payment
      const deliveries = emulator.webhooks.deliveries()
      assert.includeMembers(
        deliveries.map((d) => (JSON.parse(d.body) as { readonly eventType?: string }).eventType),
        ["payments.payments.accept", "payments.captures.accept", "payments.refunds.accept"]
      )

      yield* WebhookOrder.check({ lifecycle, deliveries, layer, runs: RUNS })
    }).pipe(Effect.scoped)
  )
})
