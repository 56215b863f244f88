import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { Money, PaymentMethod, PaymentRequest } from "@payport/core"

const card = PaymentMethod.card({ number: "4111111111111111", expiry: { month: 12, year: 2031 }, cvv: "123" })
const saved = PaymentMethod.savedCard("pi_1")
const base = { reference: "order-1", amount: Money.unsafeMake(1000, "USD"), method: card }
const merchant = (previousNetworkTransactionId = "016150703802094"): PaymentRequest.Initiator => ({
  _tag: "Merchant",
  reason: "recurring",
  previousNetworkTransactionId
})

const failure = (input: PaymentRequest.CreatePaymentInput) =>
  Effect.flip(PaymentRequest.validateCreate(input, "automatic"))

describe("initiator: the default is customer-initiated", () => {
  it("a one-off card payment stores nothing", () => {
    assert.deepStrictEqual(PaymentRequest.initiatorOf(base), { _tag: "Customer" })
  })
  it("saving the card is its first stored use; paying with a saved card a subsequent one", () => {
    assert.deepStrictEqual(PaymentRequest.initiatorOf({ ...base, saveInstrument: true }), {
      _tag: "Customer",
      storedCredential: "first"
    })
    assert.deepStrictEqual(PaymentRequest.initiatorOf({ ...base, method: saved }), {
      _tag: "Customer",
      storedCredential: "subsequent"
    })
  })
  it("what the caller set wins", () => {
    assert.deepStrictEqual(PaymentRequest.initiatorOf({ ...base, initiator: merchant() }), merchant())
    assert.deepStrictEqual(
      PaymentRequest.initiatorOf({ ...base, initiator: { _tag: "Customer", storedCredential: "first" } }),
      { _tag: "Customer", storedCredential: "first" }
    )
  })
})

describe("initiator: validated before any I/O", () => {
  it.effect("a merchant-initiated payment on a stored card with the first payment's network id is valid", () =>
    Effect.gen(function* () {
      const valid = yield* PaymentRequest.validateCreate(
        { ...base, method: saved, customer: { id: "c_1" }, initiator: merchant() },
        "automatic"
      )
      assert.deepStrictEqual(valid.initiator, merchant())
    })
  )
  it.effect("merchant-initiated needs a card credential, cannot save it, and needs the previous network id", () =>
    Effect.gen(function* () {
      const upi = yield* failure({
        ...base,
        method: PaymentMethod.upiCollect("testsuccess@gocash"),
        initiator: merchant()
      })
      assert.strictEqual(upi._tag === "ValidationError" ? upi.field : upi._tag, "initiator")
      const saving = yield* failure({ ...base, saveInstrument: true, customer: { id: "c_1" }, initiator: merchant() })
      assert.strictEqual(saving._tag === "ValidationError" ? saving.field : saving._tag, "initiator")
      const blank = yield* failure({ ...base, initiator: merchant("  ") })
      assert.strictEqual(
        blank._tag === "ValidationError" ? blank.field : blank._tag,
        "initiator.previousNetworkTransactionId"
      )
    })
  )
  it.effect("a customer's stored-credential use must agree with the method and saveInstrument", () =>
    Effect.gen(function* () {
      const savedFirst = yield* failure({
        ...base,
        method: saved,
        customer: { id: "c_1" },
        initiator: { _tag: "Customer", storedCredential: "first" }
      })
      assert.strictEqual(savedFirst._tag === "ValidationError" ? savedFirst.field : "", "initiator.storedCredential")
      const savingSubsequent = yield* failure({
        ...base,
        saveInstrument: true,
        customer: { id: "c_1" },
        initiator: { _tag: "Customer", storedCredential: "subsequent" }
      })
      assert.strictEqual(
        savingSubsequent._tag === "ValidationError" ? savingSubsequent.field : "",
        "initiator.storedCredential"
      )
      const upiStored = yield* failure({
        ...base,
        method: PaymentMethod.upiCollect("testsuccess@gocash"),
        initiator: { _tag: "Customer", storedCredential: "subsequent" }
      })
      assert.strictEqual(upiStored._tag === "ValidationError" ? upiStored.field : "", "initiator.storedCredential")
    })
  )
})
