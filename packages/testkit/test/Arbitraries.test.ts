import { assert, describe, it } from "@effect/vitest"
import * as Ids from "@payport/core/Ids"
import * as Instrument from "@payport/core/Instrument"
import * as Ledger from "@payport/core/Ledger"
import * as Money from "@payport/core/Money"
import * as Payment from "@payport/core/Payment"
import * as PaymentError from "@payport/core/PaymentError"
import * as PaymentMethod from "@payport/core/PaymentMethod"
import * as Payments from "@payport/core/Payments"
import * as StateMachine from "@payport/core/StateMachine"
import * as WebhookEvent from "@payport/core/WebhookEvent"
import { Arbitraries, InMemory } from "@payport/testkit"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as FastCheck from "effect/FastCheck"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"

const runs = { fastCheck: { numRuns: 200 } }

describe("Arbitraries", () => {
  it.effect.prop(
    "cards pass core validation, are Luhn-valid and of the network they were generated for",
    [Arbitraries.cardNumber, Arbitraries.card],
    ([number, card]) =>
      Effect.gen(function* () {
        assert.isTrue(PaymentMethod.luhn(number.digits))
        assert.strictEqual(PaymentMethod.cardNetwork(number.digits), number.network)
        yield* PaymentMethod.validate(card)
        assert.isFalse(String(card.number).includes(Redacted.value(card.number)), "card number printed in clear")
      }),
    runs
  )

  it.effect.prop(
    "every generated payment method passes core validation",
    [Arbitraries.paymentMethod],
    ([method]) => Effect.asVoid(PaymentMethod.validate(method)),
    runs
  )

  it.prop(
    "money is whole minor units that round-trip through decimal text",
    [Arbitraries.money()],
    ([money]) => {
      assert.isTrue(Number.isSafeInteger(money.amount) && money.amount >= 0)
      const back = Money.fromDecimal(Money.toDecimal(money), money.currency)
      assert.isTrue(Either.isRight(back) && Money.equals(back.right, money))
    },
    runs
  )

  it.prop(
    "ledgers keep authorized ≥ captured ≥ refunded ≥ 0",
    [Arbitraries.currency.chain((c) => Arbitraries.ledger(c))],
    ([ledger]) => assert.isTrue(Ledger.isValid(ledger)),
    runs
  )

  it.prop(
    "payments decode, keep the ledger invariant, and their status agrees with their ledger",
    [Arbitraries.payment],
    ([payment]) => {
      assert.isTrue(Schema.is(Payment.Payment)(payment))
      assert.isTrue(Ledger.isValid(payment.ledger))
      const tag = payment.status._tag
      if (tag === "Authorized" || tag === "PartiallyCaptured" || tag === "Captured") {
        assert.strictEqual(StateMachine.statusForLedger(payment.ledger), tag)
      }
      if (tag === "RequiresAction" || tag === "Processing" || tag === "Failed") {
        assert.strictEqual(payment.ledger.captured.amount, 0)
      }
    },
    runs
  )

  it.prop(
    "schema-derived values are instances their schemas accept, and errors survive encoding",
    [
      Arbitraries.instrument,
      Arbitraries.customer,
      Arbitraries.refund,
      Arbitraries.paymentError,
      Arbitraries.webhookEvent
    ],
    ([instrument, customer, refund, error, event]) => {
      assert.isTrue(Schema.is(Instrument.Instrument)(instrument))
      assert.isTrue(Schema.is(Ids.CustomerId)(customer.id))
      assert.isTrue(refund.amount.amount > 0)
      const decoded = Schema.decodeUnknownSync(PaymentError.PaymentError)(
        Schema.encodeSync(PaymentError.PaymentError)(error)
      )
      assert.strictEqual(decoded._tag, error._tag)
      assert.strictEqual(decoded.message, error.message)
      assert.isTrue(Schema.is(WebhookEvent.WebhookEvent)(event))
    },
    runs
  )

  it("unique idempotency keys and references never repeat and match their schemas", () => {
    const keys = FastCheck.sample(Arbitraries.uniqueIdempotencyKey, 2_000)
    assert.strictEqual(new Set(keys).size, keys.length)
    for (const key of keys) assert.isTrue(Schema.is(Ids.IdempotencyKey)(key))
    const refs = FastCheck.sample(Arbitraries.uniqueOrderReference, 2_000)
    assert.strictEqual(new Set(refs).size, refs.length)
    for (const ref of refs) assert.isTrue(Schema.is(Ids.OrderReference)(ref))
  })

  it.layer(InMemory.layer())("accepted by the in-memory provider", (it) => {
    it.effect.prop(
      "every generated request is accepted, for its amount, and waits for action or pays at once",
      [Arbitraries.createPaymentInput()],
      ([input]) =>
        Effect.gen(function* () {
          const payment = yield* Payments.create(input)
          assert.isTrue(Money.equals(payment.amount, input.amount))
          assert.strictEqual(payment.reference, input.reference)
          const paysAtOnce = ["Card", "CardEmi", "NetworkToken"].includes(input.method._tag)
          assert.strictEqual(payment.status._tag, paysAtOnce ? "Captured" : "RequiresAction")
        }),
      runs
    )
  })
})
