import { assert, describe, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { Authorization, Ids, Ledger, Money, Payment, Payments, PaymentMethod, StateMachine } from "@payport/core"
import { Decline, InvalidRequest, type OperationError } from "@payport/core/PaymentError"

const inr = (amount: number) => Money.unsafeMake(amount, "INR")
const usd = (amount: number) => Money.unsafeMake(amount, "USD")
const ref = Ids.PaymentRef.make({ provider: "test", paymentId: Ids.PaymentId.make("pay_1"), orderId: "order_1" })

const paymentWith = (status: Payment.PaymentStatus, ledger: Ledger.Ledger, amount = inr(10_000)) =>
  Payment.Payment.make({
    ref,
    reference: Ids.OrderReference.make("order_1"),
    amount,
    ledger,
    captureMode: "manual",
    method: Payment.MethodSummary.make({ kind: "Card", display: "•••• 1111" }),
    status,
    createdAt: DateTime.unsafeMake(0)
  })

const held = paymentWith({ _tag: "Authorized" }, Ledger.authorized(inr(10_000)))
const partly = paymentWith(
  { _tag: "PartiallyCaptured" },
  Ledger.fromAmounts({ authorized: inr(10_000), captured: inr(4_000), refunded: inr(1_000) }).pipe(Either.getOrThrow)
)
const captured = paymentWith({ _tag: "Captured" }, Ledger.captured(inr(10_000)))
const voided = paymentWith({ _tag: "Voided" }, Ledger.authorized(inr(10_000)))

const refusal = (result: Either.Either<void, StateMachine.Refusal>) => {
  assert.isTrue(Either.isLeft(result), "expected a refusal")
  return Either.isLeft(result) ? result.left : undefined
}

describe("StateMachine.require", () => {
  it("a capture or refund in another currency is a ValidationError naming both currencies", () => {
    const capture = refusal(StateMachine.require("capture", held, usd(5_000), { provider: "p", operation: "o" }))
    assert.strictEqual(capture?._tag, "ValidationError")
    if (capture?._tag === "ValidationError") {
      assert.strictEqual(capture.field, "amount.currency")
      assert.include(capture.reason, "USD")
      assert.include(capture.reason, "INR")
      assert.strictEqual(capture.provider, "p")
      assert.strictEqual(capture.operation, "o")
    }
    assert.strictEqual(refusal(StateMachine.require("refund", captured, usd(3_000)))?._tag, "ValidationError")
  })

  it("status: capture from Authorized/PartiallyCaptured, void from Authorized, refund after a capture", () => {
    assert.isTrue(Either.isRight(StateMachine.require("capture", held, inr(1))))
    assert.isTrue(Either.isRight(StateMachine.require("capture", partly, inr(6_000))))
    assert.isTrue(Either.isRight(StateMachine.require("void", held)))
    assert.isTrue(Either.isRight(StateMachine.require("refund", partly, inr(3_000))))
    assert.isTrue(Either.isRight(StateMachine.require("refund", captured, inr(10_000))))
    assert.strictEqual(refusal(StateMachine.require("capture", voided, inr(1)))?._tag, "InvalidState")
    assert.strictEqual(refusal(StateMachine.require("capture", captured))?._tag, "InvalidState")
    assert.strictEqual(refusal(StateMachine.require("refund", held, inr(1)))?._tag, "InvalidState")
    assert.strictEqual(refusal(StateMachine.require("void", voided))?._tag, "InvalidState")
    const voidAfterCapture = refusal(StateMachine.require("void", partly))
    assert.strictEqual(voidAfterCapture?._tag, "InvalidState")
    if (voidAfterCapture?._tag === "InvalidState") assert.include(voidAfterCapture.reason, "refund it instead")
  })

  it("amounts: within what is still capturable or refundable", () => {
    assert.strictEqual(refusal(StateMachine.require("capture", held, inr(10_001)))?._tag, "InvalidState")
    assert.strictEqual(refusal(StateMachine.require("capture", partly, inr(6_001)))?._tag, "InvalidState")
    assert.strictEqual(refusal(StateMachine.require("refund", partly, inr(3_001)))?._tag, "InvalidState")
    assert.strictEqual(refusal(StateMachine.require("refund", captured, inr(10_001)))?._tag, "InvalidState")
  })

  it("authenticate only while an action is pending", () => {
    const waiting = paymentWith(
      { _tag: "RequiresAction", action: { _tag: "Otp", resendable: true } },
      Ledger.empty("INR")
    )
    assert.isTrue(Either.isRight(StateMachine.require("authenticate", waiting)))
    assert.strictEqual(refusal(StateMachine.require("authenticate", held))?._tag, "InvalidState")
  })
})

/** A driver over one payment, recording whether a mutation reached the "provider". */
const fakeProvider = (payment: Payment.Payment, options?: { readonly refuse?: boolean }) => {
  const sent: Array<string> = []
  const refused = new InvalidRequest({ provider: "test", operation: "x", details: "refused", httpStatus: 400 })
  const mutate = <A>(name: string, guard: StateMachine.Guard, result: A, runGuard: boolean) =>
    Effect.gen(function* () {
      if (runGuard) yield* guard(payment)
      sent.push(name)
      if (options?.refuse === true) return yield* Effect.fail<OperationError>(refused)
      return result
    })
  const get = () => Effect.succeed(payment)
  const payments = Payments.make({
    provider: "test",
    currencies: ["INR"],
    create: (r) =>
      Effect.succeed(
        Payment.Payment.make({
          ...payment,
          amount: r.amount,
          ledger: Ledger.empty(r.amount.currency),
          status: { _tag: "Failed", decline: Decline.of("do_not_honor", { providerCode: "DECLINED" }) }
        })
      ),
    get,
    list: () => Effect.succeed([]),
    refund: (_r, guard) => mutate("refund", guard, Effect.die("unused"), options?.refuse !== true).pipe(Effect.flatten),
    getRefund: () => Effect.die("unused"),
    listRefunds: () => Effect.succeed([])
  })
  const authorization = Authorization.make({
    provider: "test",
    currencies: ["INR"],
    authorize: (r) =>
      Effect.succeed(Payment.Payment.make({ ...payment, amount: r.amount, ledger: Ledger.authorized(r.amount) })),
    capture: (_r, guard) => mutate("capture", guard, payment, options?.refuse !== true),
    void: (_r, guard) => mutate("void", guard, payment, options?.refuse !== true),
    get
  })
  return { sent, payments, authorization }
}

const card = PaymentMethod.card({ number: "4111111111111111", expiry: { month: 12, year: 2031 }, cvv: "123" })

describe("ports own the rules", () => {
  it.effect("a capture in another currency fails ValidationError and the driver sends nothing", () =>
    Effect.gen(function* () {
      const p = fakeProvider(held)
      const result = yield* Effect.either(p.authorization.capture({ payment: ref, amount: usd(5_000) }))
      assert.isTrue(Either.isLeft(result) && result.left._tag === "ValidationError")
      assert.deepStrictEqual(p.sent, [])
      const ok = yield* Effect.either(p.authorization.capture({ payment: ref, amount: inr(5_000) }))
      assert.isTrue(Either.isRight(ok))
      assert.deepStrictEqual(p.sent, ["capture"])
    })
  )

  it.effect("a provider's refusal is explained by the same rule, with the provider's context", () =>
    Effect.gen(function* () {
      const p = fakeProvider(voided, { refuse: true })
      const result = yield* Effect.either(p.authorization.capture({ payment: ref, amount: inr(1_000) }))
      assert.isTrue(Either.isLeft(result))
      if (Either.isLeft(result)) {
        assert.strictEqual(result.left._tag, "InvalidState")
        assert.strictEqual(result.left.httpStatus, 400)
        assert.strictEqual(result.left.provider, "test")
      }
      // A refusal the payment does not explain stays what the provider said.
      const q = fakeProvider(held, { refuse: true })
      const other = yield* Effect.either(q.authorization.capture({ payment: ref, amount: inr(1_000) }))
      assert.isTrue(Either.isLeft(other) && other.left._tag === "InvalidRequest")
    })
  )

  it.effect("a create answered Failed is PaymentDeclined carrying the decline", () =>
    Effect.gen(function* () {
      const p = fakeProvider(held)
      const result = yield* Effect.either(p.payments.create({ reference: "order_2", amount: inr(1_000), method: card }))
      assert.isTrue(Either.isLeft(result))
      if (Either.isLeft(result) && result.left._tag === "PaymentDeclined") {
        assert.strictEqual(result.left.code, "do_not_honor")
        assert.strictEqual(result.left.decline.providerCode, "DECLINED")
        assert.strictEqual(result.left.operation, "Payments.create")
      } else {
        assert.fail("expected PaymentDeclined")
      }
    })
  )

  it.effect("a currency the provider does not declare fails UnsupportedCurrency before the driver", () =>
    Effect.gen(function* () {
      const p = fakeProvider(held)
      const sale = yield* Effect.either(p.payments.create({ reference: "order_3", amount: usd(1_000), method: card }))
      assert.isTrue(Either.isLeft(sale) && sale.left._tag === "UnsupportedCurrency")
      const hold = yield* Effect.either(
        p.authorization.authorize({ reference: "order_4", amount: usd(1_000), method: card })
      )
      assert.isTrue(Either.isLeft(hold) && hold.left._tag === "UnsupportedCurrency")
      assert.deepStrictEqual(p.payments.currencies, ["INR"])
    })
  )
})
