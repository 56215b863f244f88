/**
 * Duplicate and out-of-order webhook deliveries never move a payment backwards: given one
 * payment's lifecycle (hold → partial capture → refund, as the adapter answered it) and the signed
 * deliveries the provider made for it, `check` verifies and merges them — with the adapter's own
 * answers interleaved — in random orders with duplicates (`StateMachine.mergePayment` /
 * `mergeRefund`). No merge regresses, the final view equals the provider's (`synced`,
 * `settledRefund`), and `WebhookDeduplication` handles each event id once. Every adapter's
 * `WebhookOrder` test runs it against its emulator.
 *
 * @since 0.1.0
 */
import type { Payment } from "@payport/core/Payment"
import type { Refund } from "@payport/core/Refund"
import * as StateMachine from "@payport/core/StateMachine"
import * as WebhookDeduplication from "@payport/core/WebhookDeduplication"
import type { WebhookEvent } from "@payport/core/WebhookEvent"
import * as Webhooks from "@payport/core/Webhooks"
import { assert } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as FastCheck from "effect/FastCheck"
import type * as Layer from "effect/Layer"

/**
 * One payment's lifecycle as the adapter answered it, and the provider's final word on it.
 *
 * @since 0.1.0
 * @category models
 */
export interface Lifecycle {
  readonly held: Payment
  readonly captured: Payment
  readonly refund: Refund
  /** `Payments.get` after everything settled. */
  readonly synced: Payment
  /** `Payments.getRefund` after the refund settled. */
  readonly settledRefund: Refund
}

/**
 * A webhook request as the provider delivered it.
 *
 * @since 0.1.0
 * @category models
 */
export interface Delivery {
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

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

/**
 * Replays `deliveries` (and the lifecycle's own answers) in `runs` random orders with duplicates
 * through the `Webhooks` port of `layer`, asserting the merge never regresses and ends where the
 * provider is.
 *
 * @since 0.1.0
 * @category checks
 */
export const check = <E>(options: {
  readonly lifecycle: Lifecycle
  readonly deliveries: ReadonlyArray<Delivery>
  readonly layer: Layer.Layer<Webhooks.Webhooks, E>
  readonly runs: number
}): Effect.Effect<void> => {
  const { lifecycle, deliveries, layer } = options
  return Effect.gen(function* () {
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
        { numRuns: options.runs }
      )
    )
  })
}
