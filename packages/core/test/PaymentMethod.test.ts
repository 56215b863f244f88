import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as FastCheck from "effect/FastCheck"
import * as Redacted from "effect/Redacted"
import * as TestClock from "effect/TestClock"
import { PaymentMethod } from "@payport/core"

/** Sets the test clock to 2026-11-22, so expiry checks have a fixed "now". */
const atNovember2026 = TestClock.setTime(Date.UTC(2026, 10, 22))

const visa = "4111111111111111"
const amex = "378282246310005"

const invalid = (method: PaymentMethod.PaymentMethod) =>
  Effect.gen(function* () {
    yield* atNovember2026
    return yield* Effect.flip(PaymentMethod.validate(method))
  })

const card = (overrides: Partial<Parameters<typeof PaymentMethod.card>[0]> = {}) =>
  PaymentMethod.card({ number: visa, expiry: { month: 12, year: 2030 }, cvv: "123", holder: "Asha Rao", ...overrides })

describe("PaymentMethod", () => {
  describe("Luhn and networks", () => {
    it("accepts the sandbox test cards and rejects a changed digit", () => {
      for (const pan of [visa, "5555555555554444", amex, "6070000000000000000".slice(0, 16), "4242424242424242"]) {
        assert.strictEqual(PaymentMethod.luhn(pan), pan !== "6070000000000000")
      }
      assert.isFalse(PaymentMethod.luhn("4111111111111112"))
      assert.isFalse(PaymentMethod.luhn(""))
      assert.isFalse(PaymentMethod.luhn("41x1"))
    })

    it.prop(
      "a Luhn check digit computed for any prefix makes the number valid; any other digit does not",
      [FastCheck.stringMatching(/^[1-9][0-9]{10,17}$/)],
      ([prefix]) => {
        const digits = Array.from({ length: 10 }, (_, d) => `${prefix}${d}`)
        assert.strictEqual(digits.filter(PaymentMethod.luhn).length, 1)
      },
      { fastCheck: { numRuns: 200 } }
    )

    it("recognises networks by prefix", () => {
      assert.strictEqual(PaymentMethod.cardNetwork(visa), "visa")
      assert.strictEqual(PaymentMethod.cardNetwork("5555555555554444"), "mastercard")
      assert.strictEqual(PaymentMethod.cardNetwork("2221000000000009"), "mastercard")
      assert.strictEqual(PaymentMethod.cardNetwork(amex), "amex")
      assert.strictEqual(PaymentMethod.cardNetwork("6011111111111117"), "discover")
      assert.strictEqual(PaymentMethod.cardNetwork("6521000000000000"), "rupay")
      assert.strictEqual(PaymentMethod.cardNetwork("3530111333300000"), "jcb")
      assert.strictEqual(PaymentMethod.cardNetwork("9999999999999995"), "unknown")
    })

    it("masks to the last four digits", () => {
      assert.strictEqual(PaymentMethod.mask(visa), "•••• 1111")
    })
  })

  describe("constructors keep card data redacted", () => {
    it("wraps number and CVV, and they print as <redacted>", () => {
      const method = card()
      assert.isTrue(Redacted.isRedacted(method.number))
      assert.isTrue(method.cvv !== undefined && Redacted.isRedacted(method.cvv))
      const printed = `${JSON.stringify(method)} ${String(method.number)}`
      assert.notInclude(printed, visa)
      assert.notInclude(printed, '123"')
    })
    it("network tokens keep PAN and cryptogram redacted", () => {
      const token = PaymentMethod.networkToken({
        tokenPan: "4895370012003478",
        cryptogram: "AgAAAAAABk4DWZ4C28yUQAAAAAA=",
        expiry: { month: 1, year: 2031 }
      })
      assert.notInclude(JSON.stringify(token), "4895370012003478")
      assert.notInclude(JSON.stringify(token), "AgAAAAAABk4DWZ4C28yUQAAAAAA=")
    })
  })

  describe("validation before any I/O", () => {
    it.effect("a good card passes", () =>
      Effect.gen(function* () {
        yield* atNovember2026
        const method = card()
        assert.strictEqual(yield* PaymentMethod.validate(method), method)
        yield* PaymentMethod.validate(card({ number: "4111 1111 1111 1111" }))
        yield* PaymentMethod.validate(card({ number: amex, cvv: "1234" }))
        // Valid through the end of the expiry month.
        yield* PaymentMethod.validate(card({ expiry: { month: 11, year: 2026 } }))
      })
    )

    const cases: ReadonlyArray<readonly [string, PaymentMethod.PaymentMethod, string]> = [
      ["a number failing Luhn", card({ number: "4111111111111112" }), "method.number"],
      ["a number too short", card({ number: "41111111110" }), "method.number"],
      ["a number too long", card({ number: "41111111111111111111" }), "method.number"],
      ["letters in the number", card({ number: "4111abcd11111111" }), "method.number"],
      ["an expiry in the past", card({ expiry: { month: 10, year: 2026 } }), "method.expiry"],
      ["month 13", card({ expiry: { month: 13, year: 2030 } }), "method.expiry.month"],
      ["month 0", card({ expiry: { month: 0, year: 2030 } }), "method.expiry.month"],
      ["a fractional month", card({ expiry: { month: 1.5, year: 2030 } }), "method.expiry.month"],
      ["a two-digit year", card({ expiry: { month: 1, year: 30 } }), "method.expiry.year"],
      ["a 4-digit CVV on Visa", card({ cvv: "1234" }), "method.cvv"],
      ["a 3-digit CVV on Amex", card({ number: amex, cvv: "123" }), "method.cvv"],
      ["a 2-digit CVV", card({ cvv: "12" }), "method.cvv"],
      ["an empty holder", card({ holder: "  " }), "method.holder"],
      ["a saved card with a bad CVV", PaymentMethod.savedCard("ins_1", "12a"), "method.cvv"],
      ["a saved card with an empty id", PaymentMethod.savedCard(""), "method.instrumentId"],
      ["a UPI collect without a VPA", { _tag: "Upi", channel: "collect" }, "method.vpa"],
      ["a malformed VPA", PaymentMethod.upiCollect("not-a-vpa"), "method.vpa"],
      ["an empty bank code", { _tag: "Netbanking", bankCode: "" }, "method.bankCode"],
      ["a wallet with a bad phone", { _tag: "Wallet", provider: "paytm", phone: "12" }, "method.phone"],
      ["pay later without a provider", { _tag: "PayLater", provider: "", phone: "9999999999" }, "method.provider"],
      ["EMI with a zero tenure", { ...card(), _tag: "CardEmi", bank: "hdfc", tenureMonths: 0 }, "method.tenureMonths"],
      [
        "a network token with an empty cryptogram",
        PaymentMethod.networkToken({ tokenPan: visa, cryptogram: "", expiry: { month: 1, year: 2031 } }),
        "method.cryptogram"
      ]
    ]
    for (const [name, method, field] of cases) {
      it.effect(`${name} fails with a ValidationError on ${field}`, () =>
        Effect.gen(function* () {
          const error = yield* invalid(method)
          assert.strictEqual(error._tag, "ValidationError")
          assert.strictEqual(error.field, field)
          assert.notInclude(error.message, "4111")
          assert.notInclude(error.message, "1234")
        })
      )
    }

    it.effect("UPI intent and QR need no VPA; valid wallets and netbanking pass", () =>
      Effect.gen(function* () {
        yield* atNovember2026
        yield* PaymentMethod.validate(PaymentMethod.upiIntent)
        yield* PaymentMethod.validate(PaymentMethod.upiQr)
        yield* PaymentMethod.validate(PaymentMethod.upiCollect("testsuccess@gocash"))
        yield* PaymentMethod.validate({ _tag: "Netbanking", bankCode: "3003" })
        yield* PaymentMethod.validate({ _tag: "Wallet", provider: "phonepe", phone: "+919999999999" })
        yield* PaymentMethod.validate({ _tag: "CardlessEmi", provider: "flexmoney", phone: "9999999999" })
      })
    )
  })
})
