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
import type { Payment } from "@payport/core/Payment"
import * as PaymentMethod from "@payport/core/PaymentMethod"
import * as Payments from "@payport/core/Payments"
import type { Refund } from "@payport/core/Refund"
import * as StateMachine from "@payport/core/StateMachine"
import * as WebhookDeduplication from "@payport/core/WebhookDeduplication"
import type { WebhookEvent } from "@payport/core/WebhookEvent"
import * as Webhooks from "@payport/core/Webhooks"
import * as CyberSourceEmulator from "@payport/testkit/CyberSourceEmulator"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as FastCheck from "effect/FastCheck"
import { providerFor } from "./support/Live.js"

const RUNS = Number(process.env.PAYPORT_FUZZ_RUNS ?? 30)
const usd = (minor: number) => Money.unsafeMake(minor, "USD")
const card = PaymentMethod.card({ number: "4111111111111111", expiry: { month: 12, year: 2031 }, cvv: "987" })
const run = globalThis.crypto.randomUUID().slice(0, 8)

/** A permutation of `0..k-1` with up to `2k` duplicates inserted anywhere. */
const deliveryOrder = (k: number) =>
  FastCheck.tuple(
    FastCheck.shuffledSubarray(
      Array.from({ length: k }, (_, i) => i),
      { minLength: k, maxLength: k }
    ),
    FastCheck.array(FastCheck.tuple(FastCheck.nat({ max: k - 1 }), FastCheck.nat()), { maxLength: 2 * k })
  ).map(([order, duplicates]) => {
    const sequence = [...order]
    for (const [index, at] of duplicates) sequence.splice(at % (sequence.length + 1), 0, index)
    return sequence
  })

const view = (p: Payment) => ({
  status: p.status._tag,
  authorized: p.ledger.authorized.amount,
  captured: p.ledger.captured.amount,
  refunded: p.ledger.refunded.amount
})

const assertForward = (before: Payment, after: Payment) => {
  assert.isTrue(
    before.status._tag === after.status._tag || StateMachine.isReachable(before.status._tag, after.status._tag),
    `${before.status._tag} → ${after.status._tag} moved backwards`
  )
  assert.isAtLeast(after.ledger.captured.amount, before.ledger.captured.amount)
  assert.isAtLeast(after.ledger.refunded.amount, before.ledger.refunded.amount)
}

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

      yield* Effect.promise(() =>
        FastCheck.assert(
          FastCheck.asyncProperty(deliveryOrder(deliveries.length + 3), async (order) =>
            Effect.runPromise(
              Effect.gen(function* () {
                const dedup = yield* WebhookDeduplication.make()
                const handled = new Map<string, number>()
                let payment: Payment = lifecycle.held
                let refund: Refund = lifecycle.refund
                const observe = (event: WebhookEvent) =>
                  Effect.sync(() => {
                    handled.set(event.eventId, (handled.get(event.eventId) ?? 0) + 1)
                  })
                // the adapter's own answers (the hold, the capture, the sync) arrive interleaved too
                const own = [lifecycle.held, lifecycle.captured, lifecycle.synced]
                for (const index of order) {
                  const delivery = deliveries[index]
                  let incoming: Payment | undefined = own[index - deliveries.length]
                  if (delivery !== undefined) {
                    const event = yield* Webhooks.verify({ headers: delivery.headers, body: delivery.body })
                    yield* WebhookDeduplication.once(dedup, event, observe)
                    if (event._tag === "PaymentUpdated") incoming = event.payment
                    else if (event._tag === "RefundUpdated") refund = StateMachine.mergeRefund(refund, event.refund)
                  }
                  if (incoming !== undefined) {
                    const next = StateMachine.mergePayment(payment, incoming)
                    assertForward(payment, next)
                    payment = next
                  }
                }
                assert.deepStrictEqual(view(payment), view(lifecycle.synced))
                assert.strictEqual(refund.status._tag, lifecycle.settledRefund.status._tag)
                assert.deepStrictEqual([...handled.values()], new Array(handled.size).fill(1))
                assert.strictEqual(handled.size, deliveries.length)
              }).pipe(Effect.provide(layer))
            )
          ),
          { numRuns: RUNS }
        )
      )
    }).pipe(Effect.scoped)
  )
})
