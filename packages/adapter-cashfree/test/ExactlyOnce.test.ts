/**
 * Exactly once under faults on both sides of the wire against `CashfreeEmulator`: the testkit's
 * `ExactlyOnceSuite` (sales, holds, a capture per hold, partial refunds under client and emulator
 * faults; every outcome checked against the emulator's truth), then the cases it once found, pinned.
 *
 * `npm test`: 10 runs of at most 8 operations. More: `PAYPORT_EXACTLY_ONCE_RUNS=200
 * PAYPORT_EXACTLY_ONCE_OPS=20`; replay a failure with `PAYPORT_EXACTLY_ONCE_SEED`.
 */
import * as Money from "@payport/core/Money"
import type { Payment } from "@payport/core/Payment"
import * as PaymentMethod from "@payport/core/PaymentMethod"
import * as Payments from "@payport/core/Payments"
import * as CashfreeEmulator from "@payport/emulators/CashfreeEmulator"
import * as EmulatorFaults from "@payport/emulators/EmulatorFaults"
import { exactlyOnceSuite, type Truth } from "@payport/testkit/ExactlyOnceSuite"
import * as FaultScenario from "@payport/testkit/FaultScenario"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Cashfree from "../src/Cashfree.js"
import { httpClient, options } from "./support/Loopback.js"

const { timing } = FaultScenario
const run = globalThis.crypto.randomUUID().slice(0, 8)

const card = PaymentMethod.card({ number: "4111111111111111", expiry: { month: 12, year: 2031 }, cvv: "123" })
const inr = (minor: number) => Money.unsafeMake(minor, "INR")

type Emulator = CashfreeEmulator.CashfreeEmulator

/** The provider's side of one order: its attempts and refunds. */
const truthOf = (emulator: Emulator, orderId: string): Truth => {
  const attempts = emulator.truth.payments(orderId)
  const refunds = emulator.truth.refunds(orderId)
  return {
    payments: attempts.map((a) => ({
      paymentId: String(a.cfPaymentId),
      approved: a.status === "SUCCESS",
      authorized: a.amount,
      captured: a.capturedAmount
    })),
    charges: emulator.truth.chargesFor(orderId),
    captured: attempts.reduce((sum, a) => sum + a.capturedAmount, 0),
    refunded: refunds.reduce((sum, r) => sum + r.amount, 0),
    refundIds: refunds.map((r) => r.refundId)
  }
}

exactlyOnceSuite({
  name: "Cashfree",
  amount: inr,
  method: card,
  // Cashfree captures a hold once: the rest is released.
  capturesPerHold: "once",
  start: (seed) =>
    Effect.map(CashfreeEmulator.start({ seed }), (emulator) => ({
      faults: emulator.faults,
      adapter: (timing) => Cashfree.layer(options(emulator, { timing })).pipe(Layer.orDie),
      transport: httpClient(),
      truth: (reference) => truthOf(emulator, reference),
      paymentCount: () => emulator.truth.payments().length
    }))
})

/** The library's view equals the provider's. */
const assertSame = (payment: Payment, emulator: Emulator, orderId: string, what: string) => {
  const truth = truthOf(emulator, orderId)
  assert.strictEqual(truth.payments.length, 1, `${what}: ${truth.payments.length} attempts`)
  assert.strictEqual(payment.ref.paymentId, truth.payments[0]?.paymentId, what)
  assert.strictEqual(payment.ledger.captured.amount, truth.captured, what)
  assert.strictEqual(payment.ledger.refunded.amount, truth.refunded, what)
}

/** The cases the property found, pinned: each once failed with a "nothing happened" or stale answer. */
describe("answers after the provider acted", () => {
  const pinned = (emulator: Emulator) => Cashfree.layer(options(emulator, { timing })).pipe(Layer.provide(httpClient()))

  it.live("a refund whose answer was lost, then 503 until retries ran out, is OutcomeUnknown; a sync shows it", () =>
    Effect.gen(function* () {
      const emulator = yield* CashfreeEmulator.start()
      const reference = `eo_${run}_pin_refund`
      const program = Effect.gen(function* () {
        const sale = yield* Payments.create({ reference, amount: inr(10_000), method: card })
        emulator.faults.add(EmulatorFaults.commitThenDrop({ times: 1, match: { method: "POST" } }))
        emulator.faults.add(EmulatorFaults.error(503, { match: { method: "POST" } }))
        const refund = yield* Effect.either(
          Payments.refund({ payment: sale.ref, amount: inr(1_000), reference: `rf_${run}_pin` })
        )
        emulator.faults.clear()
        assert.strictEqual(refund._tag === "Left" ? refund.left._tag : "Right", "OutcomeUnknown")
        assert.strictEqual(truthOf(emulator, reference).refunded, 1_000)
        assert.strictEqual((yield* Payments.get(sale.ref)).ledger.refunded.amount, 1_000)
      })
      yield* program.pipe(Effect.provide(pinned(emulator)))
    }).pipe(Effect.scoped)
  )

  it.live(
    "a card paid at once whose read-back failed is OutcomeUnknown, not Processing; a sync shows it captured",
    () =>
      Effect.gen(function* () {
        const emulator = yield* CashfreeEmulator.start()
        const reference = `eo_${run}_pin_sale`
        const program = Effect.gen(function* () {
          emulator.faults.add(EmulatorFaults.error(503, { match: { method: "GET", path: /\/payments\// } }))
          const sale = yield* Effect.either(Payments.create({ reference, amount: inr(10_000), method: card }))
          emulator.faults.clear()
          assert.strictEqual(sale._tag === "Left" ? sale.left._tag : sale.right.status._tag, "OutcomeUnknown")
          const [synced] = yield* Payments.list(reference)
          assert.isDefined(synced)
          if (synced !== undefined) assertSame(synced, emulator, reference, "sync")
        })
        yield* program.pipe(Effect.provide(pinned(emulator)))
      }).pipe(Effect.scoped)
  )
})
