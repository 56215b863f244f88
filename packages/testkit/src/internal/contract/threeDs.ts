/**
 * The contract suite's 3-D Secure group, for layers that provide `ThreeDsAuthentication`: a
 * frictionless card pays at once; a challenged card waits in `RequiresAction(ThreeDs)` until the
 * payer has finished and the merchant completes; a failed challenge ends `Failed`; a completion
 * repeated (in turn or at the same time) answers the same payment and moves the money once.
 */
import * as AuthorizationPort from "@payport/core/Authorization"
import type * as Money from "@payport/core/Money"
import type { Payment } from "@payport/core/Payment"
import * as Payments from "@payport/core/Payments"
import type { CommonPorts } from "@payport/core/Provider"
import * as ThreeDsAuthentication from "@payport/core/ThreeDsAuthentication"
import { assert, type Vitest } from "@effect/vitest"
import * as Effect from "effect/Effect"
import type { MovedMoney, ThreeDsFixtures } from "../../ContractSuite.js"
import { failsWith, unique } from "./shared.js"

interface Context<R> {
  readonly money: (amount: number) => Money.Money
  readonly moved: (payment: Payment) => Effect.Effect<MovedMoney, unknown, R | CommonPorts>
}

type Ports = CommonPorts | ThreeDsAuthentication.ThreeDsAuthentication

/** Registers the group's tests. */
export const registerThreeDs = <R>(
  it: { readonly effect: Vitest.Tester<R | Ports> },
  f: ThreeDsFixtures<R>,
  { money, moved }: Context<R>
): void => {
  const input = (amount: number, method: ThreeDsFixtures<R>["challenge"]) => ({
    reference: unique("3ds"),
    amount: money(amount),
    method,
    idempotencyKey: unique("key")
  })
  const complete = (payment: Payment) => ThreeDsAuthentication.complete({ payment: payment.ref })
  const challenged = (payment: Payment) => {
    assert.strictEqual(payment.status._tag, "RequiresAction", "a challenged card waits for the payer")
    if (payment.status._tag === "RequiresAction") {
      assert.strictEqual(payment.status.action._tag, "ThreeDs")
      if (payment.status.action._tag === "ThreeDs") assert.isNotEmpty(payment.status.action.url)
    }
    assert.strictEqual(payment.ledger.authorized.amount, 0)
  }

  it.effect("3-D Secure: a frictionless card is captured at create, without an action", () =>
    Effect.gen(function* () {
      const payment = yield* Payments.create(input(4_000, f.frictionless))
      assert.strictEqual(payment.status._tag, "Captured")
      assert.strictEqual(payment.ledger.captured.amount, 4_000)
    })
  )

  it.effect("3-D Secure: a challenge waits; completing before the payer has finished changes nothing", () =>
    Effect.gen(function* () {
      const payment = yield* Payments.create(input(4_100, f.challenge))
      challenged(payment)
      const early = yield* complete(payment)
      assert.strictEqual(early.status._tag, "RequiresAction")
      assert.strictEqual((yield* Payments.get(payment.ref)).status._tag, "RequiresAction")
      assert.deepStrictEqual(yield* moved(payment), { captured: 0, refunded: 0 })
    })
  )

  it.effect(
    "3-D Secure: a passed challenge is captured on completion; get agrees; repeated and concurrent completions move the money once",
    () =>
      Effect.gen(function* () {
        const payment = yield* Payments.create(input(4_200, f.challenge))
        challenged(payment)
        yield* f.payer(payment, "success")
        const done = yield* complete(payment)
        assert.strictEqual(done.status._tag, "Captured")
        assert.strictEqual(done.ref.paymentId, payment.ref.paymentId, "completion keeps the payment's ref")
        assert.strictEqual(done.ledger.captured.amount, 4_200)
        const again = yield* Effect.all([complete(payment), complete(payment), complete(payment)], {
          concurrency: "unbounded"
        })
        for (const replay of [...again, yield* complete(payment)]) {
          assert.strictEqual(replay.status._tag, "Captured")
          assert.strictEqual(replay.ref.paymentId, payment.ref.paymentId)
          assert.strictEqual(replay.ledger.captured.amount, 4_200)
        }
        const read = yield* Payments.get(payment.ref)
        assert.strictEqual(read.status._tag, "Captured")
        assert.strictEqual(read.ledger.captured.amount, 4_200)
        assert.deepStrictEqual(yield* moved(payment), { captured: 4_200, refunded: 0 })
        yield* Payments.refund({
          payment: payment.ref,
          amount: money(1_000),
          reference: unique("rf"),
          idempotencyKey: unique("key")
        })
        assert.deepStrictEqual(yield* moved(payment), { captured: 4_200, refunded: 1_000 })
      })
  )

  it.effect("3-D Secure: a challenged hold is authorized on completion and captured through the same ref", () =>
    Effect.gen(function* () {
      const held = yield* AuthorizationPort.authorize(input(4_300, f.challenge))
      challenged(held)
      yield* f.payer(held, "success")
      const done = yield* complete(held)
      assert.strictEqual(done.status._tag, "Authorized")
      assert.strictEqual(done.ledger.authorized.amount, 4_300)
      assert.strictEqual(done.ledger.captured.amount, 0)
      const captured = yield* AuthorizationPort.capture({ payment: held.ref, idempotencyKey: unique("key") })
      assert.strictEqual(captured.status._tag, "Captured")
      assert.deepStrictEqual(yield* moved(held), { captured: 4_300, refunded: 0 })
    })
  )

  it.effect("3-D Secure: a failed challenge ends Failed(authentication_failed); a repeat changes nothing", () =>
    Effect.gen(function* () {
      const payment = yield* Payments.create(input(4_400, f.challenge))
      challenged(payment)
      yield* f.payer(payment, "failure")
      for (const result of [yield* complete(payment), yield* complete(payment), yield* Payments.get(payment.ref)]) {
        assert.strictEqual(result.status._tag, "Failed")
        if (result.status._tag === "Failed") assert.strictEqual(result.status.decline.code, "authentication_failed")
        assert.strictEqual(result.ledger.authorized.amount, 0)
      }
      assert.deepStrictEqual(yield* moved(payment), { captured: 0, refunded: 0 })
    })
  )

  it.effect("3-D Secure: completing a payment that never asked for it fails InvalidState", () =>
    Effect.gen(function* () {
      const payment = yield* Payments.create(input(4_500, f.frictionless))
      yield* failsWith(complete(payment), "InvalidState")
      assert.strictEqual((yield* Payments.get(payment.ref)).ledger.captured.amount, 4_500)
    })
  )
}
