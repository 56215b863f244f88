/**
 * Exactly once under faults (issue 5): N payments are created while the emulator commits 10% of
 * payment creations and then drops the connection without an answer, and also resets some
 * connections before handling and answers some with 502 `SERVER_ERROR`. CyberSource has no
 * idempotency key, so only the adapter's reconcile-by-search stands between a retry and a second
 * charge. The emulator's truth API must show exactly one payment per merchant reference, and the
 * adapter's final answer — its own, or for an `OutcomeUnknown` a sync by reference through
 * `Payments.list` — must be that payment, in the state the emulator holds.
 *
 * `npm test` creates 50 payments; set `PAYPORT_FAULT_PAYMENTS` for more.
 */
import * as Authorization from "@payport/core/Authorization"
import type { Payment } from "@payport/core/Payment"
import type { OperationError } from "@payport/core/PaymentError"
import * as Money from "@payport/core/Money"
import * as PaymentMethod from "@payport/core/PaymentMethod"
import * as Payments from "@payport/core/Payments"
import * as CyberSourceEmulator from "@payport/emulators/CyberSourceEmulator"
import * as EmulatorFaults from "@payport/emulators/EmulatorFaults"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { providerFor } from "./support/Live.js"

const N = Number(process.env.PAYPORT_FAULT_PAYMENTS ?? "50")
const creation = { method: "POST", path: "/pts/v2/payments" }
const card = PaymentMethod.card({ number: "4111111111111111", expiry: { month: 12, year: 2031 }, cvv: "123" })
const run = globalThis.crypto.randomUUID().slice(0, 8)

describe("exactly once under faults", () => {
  it.live(`${N} payments with 10% commit-then-drop, resets and 502s: one payment per reference`, () =>
    Effect.gen(function* () {
      const emulator = yield* CyberSourceEmulator.start({
        seed: 11,
        faults: [
          EmulatorFaults.commitThenDrop({ match: creation, probability: 0.1 }),
          EmulatorFaults.reset({ match: creation, probability: 0.03 }),
          EmulatorFaults.error(502, { match: creation, probability: 0.03 }),
          // the reconciling searches fail now and then too
          EmulatorFaults.error(502, { match: { method: "POST", path: "/tss/v2/searches" }, probability: 0.03 })
        ]
      })
      const orders = Array.from({ length: N }, (_, i) => ({
        reference: `once-${run}-${i}`,
        sale: i % 2 === 0,
        amount: Money.unsafeMake(1_000 + i, "USD")
      }))

      const provider = providerFor(emulator)

      const results = yield* Effect.forEach(
        orders,
        (order) => {
          const input = { reference: order.reference, amount: order.amount, method: card }
          const create: Effect.Effect<Payment, OperationError, Payments.Payments | Authorization.Authorization> =
            order.sale ? Payments.create(input) : Authorization.authorize(input)
          return Effect.map(Effect.either(create), (result) => ({ order, result }))
        },
        { concurrency: 1 }
      ).pipe(Effect.provide(provider))

      const applied = emulator.faults.applied()
      assert.isAbove(applied.filter((a) => a.kind === "commitThenDrop").length, 0, "no commit-then-drop fired")
      // Everything after this point reads the truth without faults.
      emulator.faults.clear()

      let unknown = 0
      for (const { order, result } of results) {
        assert.strictEqual(emulator.truth.paymentsFor(order.reference), 1, `${order.reference} was not created once`)
        const truth = emulator.truth.payments(order.reference)[0]
        assert.isDefined(truth)
        if (truth === undefined) continue
        let answer: Payment
        if (Either.isRight(result)) {
          answer = result.right
        } else {
          // The only failure allowed is "no definite answer"; a sync by reference resolves it.
          assert.strictEqual(result.left._tag, "OutcomeUnknown", `${order.reference}: ${result.left.message}`)
          unknown++
          const listed = yield* Payments.list(order.reference).pipe(Effect.provide(provider))
          assert.strictEqual(listed.length, 1)
          const synced = listed[0]
          if (synced === undefined) continue
          answer = synced
        }
        assert.strictEqual(answer.ref.paymentId, truth.id)
        assert.strictEqual(answer.reference, order.reference)
        assert.strictEqual(answer.ledger.authorized.amount, truth.authorized)
        assert.strictEqual(answer.ledger.captured.amount, truth.captured)
        assert.strictEqual(answer.status._tag, order.sale ? "Captured" : "Authorized")
        assert.strictEqual(truth.sale, order.sale)
        assert.strictEqual(truth.authorized, order.amount.amount)
      }
      // Most calls end with a definite answer: reconciliation found the committed payment.
      assert.isBelow(unknown, N / 5)
    }).pipe(Effect.scoped)
  )
})
