import { assert, describe, it } from "@effect/vitest"
import * as Authorization from "@payport/core/Authorization"
import * as Cryptograms from "@payport/core/Cryptograms"
import * as Customers from "@payport/core/Customers"
import * as Money from "@payport/core/Money"
import { ConfigurationError } from "@payport/core/PaymentError"
import * as PaymentMethod from "@payport/core/PaymentMethod"
import * as Payments from "@payport/core/Payments"
import * as Provider from "@payport/core/Provider"
import * as Webhooks from "@payport/core/Webhooks"
import { InMemory, TestData } from "@payport/testkit"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as TestClock from "effect/TestClock"

let n = 0
const ref = (label: string) => `${label}-${++n}`
const inr = (amount: number) => Money.unsafeMake(amount, "INR")
const card = (number: string) => PaymentMethod.card({ number, expiry: TestData.expiry, cvv: "123" })
const visa = card(TestData.successCards.visa)

it.layer(InMemory.layer())("InMemory", (it) => {
  it.effect("a hold expires after 7 days by Clock, and an expired hold cannot be captured", () =>
    Effect.gen(function* () {
      const held = yield* Authorization.authorize({ reference: ref("exp"), amount: inr(5_000), method: visa })
      assert.strictEqual(held.status._tag, "Authorized")
      yield* TestClock.adjust("6 days")
      assert.strictEqual((yield* Payments.get(held.ref)).status._tag, "Authorized")
      yield* TestClock.adjust("1 day")
      assert.strictEqual((yield* Payments.get(held.ref)).status._tag, "Expired")
      const error = yield* Effect.flip(Authorization.capture({ payment: held.ref, amount: inr(1_000) }))
      assert.strictEqual(error._tag, "InvalidState")
    })
  )

  it.effect("a UPI collect request not approved in time fails with upi_collect_expired", () =>
    Effect.gen(function* () {
      const payment = yield* Payments.create({
        reference: ref("upi"),
        amount: inr(1_000),
        method: PaymentMethod.upiCollect(TestData.upiSuccessVpa)
      })
      assert.strictEqual(payment.status._tag, "RequiresAction")
      yield* TestClock.adjust("5 minutes")
      const expired = yield* Payments.get(payment.ref)
      assert.strictEqual(expired.status._tag, "Failed")
      if (expired.status._tag === "Failed") assert.strictEqual(expired.status.decline.code, "upi_collect_expired")
      const simulator = yield* InMemory.Simulator
      assert.strictEqual((yield* Effect.flip(simulator.complete(payment.ref)))._tag, "InvalidState")
    })
  )

  it.effect("a replayed decline returns the stored failure without a new attempt or charge", () =>
    Effect.gen(function* () {
      const simulator = yield* InMemory.Simulator
      const input = {
        reference: ref("dec"),
        amount: inr(2_000),
        method: card("4000000000009995"),
        idempotencyKey: ref("key-decline")
      }
      const first = yield* Effect.flip(Payments.create(input))
      const second = yield* Effect.flip(Payments.create(input))
      assert.strictEqual(first._tag, "PaymentDeclined")
      assert.deepStrictEqual(second, first)
      const attempts = yield* Payments.list(input.reference)
      assert.strictEqual(attempts.length, 1)
      assert.strictEqual(attempts[0]?.status._tag, "Failed")
      assert.strictEqual(yield* simulator.charges(input.reference), 0)
    })
  )

  it.effect("the charges truth counts one charge for a replayed sale and one per distinct sale", () =>
    Effect.gen(function* () {
      const simulator = yield* InMemory.Simulator
      const reference = ref("chg")
      const input = { reference, amount: inr(3_000), method: visa, idempotencyKey: ref("key-charge") }
      yield* Payments.create(input)
      yield* Payments.create(input)
      assert.strictEqual(yield* simulator.charges(reference), 1)
      yield* Payments.create({ ...input, idempotencyKey: ref("key-charge-2") })
      assert.strictEqual(yield* simulator.charges(reference), 2)
    })
  )

  it.effect("every emitted event is a signed, verifiable webhook that round-trips", () =>
    Effect.gen(function* () {
      const simulator = yield* InMemory.Simulator
      const payment = yield* Payments.create({ reference: ref("evt"), amount: inr(4_000), method: visa })
      yield* Payments.refund({ payment: payment.ref, amount: inr(1_000) })
      const events = (yield* simulator.events).filter(
        (e) =>
          (e._tag === "PaymentUpdated" && e.payment.ref.paymentId === payment.ref.paymentId) ||
          (e._tag === "RefundUpdated" && e.refund.ref.payment.paymentId === payment.ref.paymentId)
      )
      assert.deepStrictEqual(
        events.map((e) => e._tag),
        ["PaymentUpdated", "PaymentUpdated", "RefundUpdated"]
      )
      for (const event of events) {
        const verified = yield* Webhooks.verify(yield* simulator.sign(event))
        assert.deepStrictEqual(verified, event)
      }
    })
  )

  it.effect("card data never appears in errors, events or payments", () =>
    Effect.gen(function* () {
      const simulator = yield* InMemory.Simulator
      const number = "4000000000000002"
      const error = yield* Effect.flip(
        Payments.create({ reference: ref("pan"), amount: inr(1_000), method: card(number) })
      )
      const saved = yield* Payments.create({
        reference: ref("pan"),
        amount: inr(1_000),
        method: visa,
        customer: { id: "cus_pan" },
        saveInstrument: true
      })
      const cryptogram = yield* Cryptograms.fetch({
        customerId: "cus_pan",
        instrumentId: saved.savedInstrumentId ?? ""
      })
      const text = [
        error.message,
        JSON.stringify(error),
        JSON.stringify(saved),
        JSON.stringify(yield* simulator.events),
        String(cryptogram.tokenPan),
        JSON.stringify(cryptogram)
      ].join("\n")
      for (const secret of [
        number,
        TestData.successCards.visa,
        Redacted.value(cryptogram.tokenPan),
        Redacted.value(cryptogram.cryptogram)
      ]) {
        assert.isFalse(text.includes(secret), "a secret leaked")
      }
    })
  )

  it.effect("saving the same card twice for a customer keeps one instrument", () =>
    Effect.gen(function* () {
      const customer = yield* Customers.create({ reference: ref("dup"), phone: "9999999999" })
      const pay = () =>
        Payments.create({
          reference: ref("dup"),
          amount: inr(100),
          method: visa,
          customer: { id: customer.id },
          saveInstrument: true
        })
      const a = yield* pay()
      const b = yield* pay()
      assert.isDefined(a.savedInstrumentId)
      assert.strictEqual(a.savedInstrumentId, b.savedInstrumentId)
    })
  )
})

describe("InMemory determinism and configuration", () => {
  const tokenOf = (seed: number) =>
    Effect.gen(function* () {
      const payment = yield* Payments.create({
        reference: "seeded",
        amount: inr(1_000),
        method: visa,
        customer: { id: "cus_seed" },
        saveInstrument: true
      })
      const c = yield* Cryptograms.fetch({ customerId: "cus_seed", instrumentId: payment.savedInstrumentId ?? "" })
      return [payment.ref.paymentId, Redacted.value(c.tokenPan), Redacted.value(c.cryptogram)] as const
    }).pipe(Effect.provide(InMemory.layer({ seed })))

  it.effect("the same seed gives the same ids, token PANs and cryptograms; another seed does not", () =>
    Effect.gen(function* () {
      const a = yield* tokenOf(42)
      const b = yield* tokenOf(42)
      const c = yield* tokenOf(7)
      assert.deepStrictEqual(a, b)
      assert.strictEqual(a[0], c[0])
      assert.notStrictEqual(a[1], c[1])
      assert.notStrictEqual(a[2], c[2])
      assert.isTrue(PaymentMethod.luhn(a[1]))
    })
  )

  const fromEnv = (value: string) =>
    Provider.layerFromConfig({
      memory: InMemory.layerCommon(),
      cashfree: Layer.fail(new ConfigurationError({ variable: "CASHFREE_CLIENT_ID", reason: "not in this test" })),
      cybersource: Layer.fail(
        new ConfigurationError({ variable: "CYBERSOURCE_MERCHANT_ID", reason: "not in this test" })
      )
    }).pipe(Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map([["PAYPORT_PROVIDER", value]])))))

  it.effect("PAYPORT_PROVIDER=memory selects the in-memory provider", () =>
    Effect.gen(function* () {
      const payment = yield* Payments.create({ reference: "from-env", amount: inr(1_000), method: visa }).pipe(
        Effect.provide(fromEnv("memory"))
      )
      assert.strictEqual(payment.ref.provider, "memory")
      assert.strictEqual(payment.status._tag, "Captured")
      const error = yield* Effect.flip(Payments.get(payment.ref).pipe(Effect.provide(fromEnv("cashfree"))))
      assert.strictEqual(error._tag, "ConfigurationError")
    })
  )
})
