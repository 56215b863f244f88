/**
 * Hostile user input at every port of the in-memory provider, and at Money: every case ends in a
 * typed error or a valid result — never a thrown exception or a defect. `PAYPORT_FUZZ_RUNS` raises
 * the run counts.
 */
import { assert, describe, it } from "@effect/vitest"
import {
  Authorization,
  Customers,
  Ids,
  Money,
  OtpAuthentication,
  PaymentError,
  PaymentMethod,
  Payments,
  Vault
} from "@payport/core"
import { InMemory } from "@payport/testkit"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as FastCheck from "effect/FastCheck"
import * as Schema from "effect/Schema"

const runs = Number(process.env.PAYPORT_FUZZ_RUNS ?? 100)

const isPaymentError = Schema.is(PaymentError.PaymentError)

/** Runs `effect` and asserts it ended in a typed Payport error or a value, not a defect. */
const typedOutcome = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.map(Effect.exit(effect), (exit) => {
    if (Exit.isFailure(exit)) {
      const failure = exit.cause._tag === "Fail" ? exit.cause.error : undefined
      assert.isTrue(isPaymentError(failure), `not a typed error: ${String(exit.cause)}`)
    }
    return exit
  })

const hostileText = FastCheck.oneof(
  FastCheck.string(),
  FastCheck.fullUnicodeString(),
  FastCheck.constantFrom("", " ", "\u0000", "'; DROP TABLE payments;--", "../../etc/passwd", "x".repeat(10_000)),
  FastCheck.stringMatching(/^[A-Za-z0-9_-]{1,60}$/)
)

const hostileNumber = FastCheck.oneof(
  FastCheck.double(),
  FastCheck.integer(),
  FastCheck.constantFrom(
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    -0,
    Number.MAX_SAFE_INTEGER,
    Number.MAX_VALUE,
    2 ** 63,
    1e-300
  )
)

describe("hostile user input", () => {
  it.prop(
    "Money never throws: bad amounts and currencies are ValidationErrors",
    [hostileNumber, hostileText, FastCheck.oneof(hostileText, FastCheck.constantFrom("INR", "JPY", "KWD"))],
    ([amount, text, currency]) => {
      for (const result of [
        Money.fromMinor(amount, currency),
        Money.fromDecimal(amount, currency),
        Money.fromDecimal(text, currency)
      ]) {
        if (Either.isLeft(result)) {
          assert.strictEqual(result.left._tag, "ValidationError")
        } else {
          assert.isTrue(Number.isSafeInteger(result.right.amount) && result.right.amount >= 0)
        }
      }
    },
    { fastCheck: { numRuns: runs * 5 } }
  )

  it.effect.prop(
    "every port of the in-memory provider answers hostile input with a typed error or a valid result",
    [hostileText, hostileText, hostileNumber, hostileText, hostileText],
    ([reference, id, amount, digits, otp]) =>
      Effect.gen(function* () {
        const money = Either.getOrElse(Money.fromMinor(Math.abs(Math.trunc(amount)) % 1_000_000, "INR"), () =>
          Money.unsafeMake(1, "INR")
        )
        const method = PaymentMethod.card({ number: digits, expiry: { month: amount, year: amount }, cvv: otp })
        const ref = Ids.PaymentRef.make({ provider: "memory", paymentId: Ids.PaymentId.make("pay_000001") })
        yield* typedOutcome(Payments.create({ reference, amount: money, method }))
        yield* typedOutcome(Payments.create({ reference, amount: money, method: PaymentMethod.upiCollect(id) }))
        yield* typedOutcome(Authorization.authorize({ reference, amount: money, method, idempotencyKey: id }))
        yield* typedOutcome(Payments.list(reference))
        yield* typedOutcome(Payments.get(ref))
        yield* typedOutcome(Payments.refund({ payment: ref, amount: money, reference: id }))
        yield* typedOutcome(Authorization.capture({ payment: ref, amount: money }))
        yield* typedOutcome(Authorization.void({ payment: ref, idempotencyKey: id }))
        yield* typedOutcome(OtpAuthentication.submit({ payment: ref, otp }))
        yield* typedOutcome(Customers.create({ reference, email: id, phone: digits, name: otp }))
        yield* typedOutcome(Customers.get(id))
        yield* typedOutcome(Vault.list({ customerId: id, limit: amount }))
        yield* typedOutcome(Vault.get({ customerId: id, instrumentId: reference }))
        yield* typedOutcome(Vault.delete({ customerId: id, instrumentId: reference }))
      }).pipe(Effect.provide(InMemory.layer())),
    { fastCheck: { numRuns: runs } }
  )
})
