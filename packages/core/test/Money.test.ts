import { assert, describe, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as FastCheck from "effect/FastCheck"
import * as Schema from "effect/Schema"
import { Currency, Money } from "@payport/core"

const currenciesWith = (exponent: number) => Currency.codes.filter((c) => Currency.exponent(c) === exponent)

const amount = FastCheck.oneof(
  FastCheck.integer({ min: 0, max: 1_000 }),
  FastCheck.integer({ min: 0, max: 10_000_000 }),
  FastCheck.integer({ min: 0, max: 10 ** 13 })
)

const failure = <A, E>(either: Either.Either<A, E>): E => {
  if (Either.isRight(either)) throw new Error("expected a failure")
  return either.left
}

describe("Money", () => {
  describe("the currency table", () => {
    it("knows 0-, 2-, 3- and 4-decimal currencies", () => {
      assert.strictEqual(Currency.exponent("JPY"), 0)
      assert.strictEqual(Currency.exponent("KRW"), 0)
      assert.strictEqual(Currency.exponent("INR"), 2)
      assert.strictEqual(Currency.exponent("USD"), 2)
      assert.strictEqual(Currency.exponent("KWD"), 3)
      assert.strictEqual(Currency.exponent("BHD"), 3)
      assert.strictEqual(Currency.exponent("CLF"), 4)
      assert.isAbove(Currency.codes.length, 150)
    })
    it("rejects codes outside the table", () => {
      assert.isFalse(Currency.isCurrencyCode("XYZ"))
      assert.isFalse(Currency.isCurrencyCode("inr"))
      assert.isFalse(Currency.isCurrencyCode("toString"))
    })
  })

  for (const exponent of [0, 2, 3]) {
    it.prop(
      `decimal text round-trips exactly for exponent ${exponent} up to 10^13 minor units`,
      [amount, FastCheck.constantFrom(...currenciesWith(exponent))],
      ([minor, currency]) => {
        const money = Either.getOrThrow(Money.fromMinor(minor, currency))
        const text = Money.toDecimal(money)
        const [, fraction = ""] = text.split(".")
        assert.strictEqual(fraction.length, exponent)
        const back = Either.getOrThrow(Money.fromDecimal(text, currency))
        assert.strictEqual(back.amount, minor)
        assert.strictEqual(back.currency, currency)
      },
      { fastCheck: { numRuns: 300 } }
    )
  }

  it.prop(
    "a JSON number reads exactly through its shortest text, with no float arithmetic",
    [amount, FastCheck.constantFrom<Currency.CurrencyCode>("INR", "USD", "KWD", "JPY")],
    ([minor, currency]) => {
      const money = Money.unsafeMake(minor, currency)
      const wire = JSON.parse(`{"amount":${Money.toDecimal(money)}}`) as { amount: number }
      const back = Either.getOrThrow(Money.fromDecimal(wire.amount, currency, { allowTrailingZeros: true }))
      assert.strictEqual(back.amount, minor)
    },
    { fastCheck: { numRuns: 300 } }
  )

  it("formats and parses known values", () => {
    assert.strictEqual(Money.toDecimal(Money.unsafeMake(1015, "INR")), "10.15")
    assert.strictEqual(Money.toDecimal(Money.unsafeMake(5, "INR")), "0.05")
    assert.strictEqual(Money.toDecimal(Money.unsafeMake(500, "JPY")), "500")
    assert.strictEqual(Money.toDecimal(Money.unsafeMake(1234, "KWD")), "1.234")
    assert.strictEqual(Money.toDecimal(Money.unsafeMake(0, "USD")), "0.00")
    assert.strictEqual(Either.getOrThrow(Money.fromDecimal("0.1", "USD")).amount, 10)
    assert.strictEqual(Either.getOrThrow(Money.fromDecimal(0.1, "USD")).amount, 10)
    assert.strictEqual(Either.getOrThrow(Money.fromDecimal(170, "INR")).amount, 17000)
    assert.strictEqual(Either.getOrThrow(Money.fromDecimal("10.150", "INR", { allowTrailingZeros: true })).amount, 1015)
    assert.strictEqual(String(Money.unsafeMake(1015, "INR")), "INR 10.15")
  })

  describe("bad amounts fail with a ValidationError naming the field, never a throw or a rounding", () => {
    const cases: ReadonlyArray<readonly [string, number]> = [
      ["negative", -1],
      ["fractional minor units", 10.5],
      ["NaN", Number.NaN],
      ["Infinity", Number.POSITIVE_INFINITY],
      ["-Infinity", Number.NEGATIVE_INFINITY],
      ["too large", Money.MAX_MINOR_UNITS + 1]
    ]
    for (const [name, value] of cases) {
      it(`fromMinor: ${name}`, () => {
        const error = failure(Money.fromMinor(value, "INR"))
        assert.strictEqual(error._tag, "ValidationError")
        assert.strictEqual(error.field, "amount")
      })
    }

    const decimals: ReadonlyArray<readonly [string, string | number, string]> = [
      ["more fraction digits than INR allows", "10.151", "INR"],
      ["any fraction for JPY", "10.5", "JPY"],
      ["four digits for KWD", "1.2345", "KWD"],
      ["trailing zeros unless allowed", "10.150", "INR"],
      ["negative text", "-1.00", "USD"],
      ["exponent notation", "1e3", "USD"],
      ["empty text", "", "USD"],
      ["a comma", "1,00", "USD"],
      ["NaN", Number.NaN, "USD"],
      ["Infinity", Number.POSITIVE_INFINITY, "USD"],
      ["a float with too many digits", 0.001, "USD"],
      ["a huge number", 1e21, "USD"],
      ["too large", "10000000000000.01", "USD"]
    ]
    for (const [name, value, currency] of decimals) {
      it(`fromDecimal: ${name}`, () => {
        const error = failure(Money.fromDecimal(value, currency))
        assert.strictEqual(error._tag, "ValidationError")
        assert.strictEqual(error.field, "amount")
      })
    }

    it("an unknown currency names the currency field", () => {
      const error = failure(Money.fromMinor(100, "XYZ"))
      assert.strictEqual(error.field, "currency")
      assert.strictEqual(failure(Money.fromDecimal("1.00", "usd")).field, "currency")
    })

    it("the field name can be chosen", () => {
      assert.strictEqual(failure(Money.fromDecimal("abc", "USD", { field: "order_amount" })).field, "order_amount")
    })

    it("the Money schema refuses bad values too", () => {
      assert.isTrue(Either.isLeft(Schema.decodeUnknownEither(Money.Money)({ amount: 1.5, currency: "USD" })))
      assert.isTrue(Either.isLeft(Schema.decodeUnknownEither(Money.Money)({ amount: 1, currency: "ABC" })))
      assert.isTrue(Either.isRight(Schema.decodeUnknownEither(Money.Money)({ amount: 1, currency: "USD" })))
    })
  })

  describe("arithmetic", () => {
    it("adds, subtracts and compares within one currency", () => {
      const a = Money.unsafeMake(1000, "INR")
      const b = Money.unsafeMake(250, "INR")
      assert.strictEqual(Either.getOrThrow(Money.add(a, b)).amount, 1250)
      assert.strictEqual(Either.getOrThrow(Money.subtract(a, b)).amount, 750)
      assert.strictEqual(Either.getOrThrow(Money.compare(a, b)), 1)
      assert.strictEqual(Either.getOrThrow(Money.compare(b, a)), -1)
      assert.strictEqual(Either.getOrThrow(Money.max(a, b)), a)
      assert.isTrue(Money.equals(a, Money.unsafeMake(1000, "INR")))
    })
    it("refuses to mix currencies or go below zero", () => {
      const inr = Money.unsafeMake(1000, "INR")
      const usd = Money.unsafeMake(1000, "USD")
      assert.strictEqual(failure(Money.add(inr, usd)).field, "currency")
      assert.strictEqual(failure(Money.compare(inr, usd)).field, "currency")
      assert.strictEqual(failure(Money.subtract(Money.unsafeMake(1, "INR"), inr)).field, "amount")
    })
  })
})
