/**
 * Exact money: an integer number of minor units and an ISO 4217 currency.
 *
 * There is no floating point on the money path. Decimal text from a provider (`"10.15"`) or a
 * JSON number (`10.15`, read through its shortest round-trip text) is parsed with string and
 * integer arithmetic; minor units are turned back into decimal text the same way. A value with
 * more fraction digits than the currency has is an error, never a rounding.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import * as Currency from "./Currency.js"
import { ValidationError } from "./PaymentError.js"

/**
 * The largest amount, in minor units, Payport accepts: 10^15, well inside the exact integer
 * range of a JavaScript number.
 *
 * @since 0.1.0
 * @category constants
 */
export const MAX_MINOR_UNITS = 1_000_000_000_000_000

/**
 * A non-negative integer number of minor units, at most `MAX_MINOR_UNITS`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const MinorUnits = Schema.Int.pipe(
  Schema.nonNegative(),
  Schema.lessThanOrEqualTo(MAX_MINOR_UNITS),
  Schema.brand("@payport/core/MinorUnits")
).annotations({ identifier: "MinorUnits" })
/**
 * @since 0.1.0
 * @category models
 */
export type MinorUnits = typeof MinorUnits.Type

/**
 * An amount of money in one currency.
 *
 * @since 0.1.0
 * @category models
 */
export class Money extends Schema.Class<Money>("@payport/core/Money")({
  amount: MinorUnits,
  currency: Currency.CurrencyCode
}) {
  /**
   * The amount as decimal text in major units, e.g. `"10.15"` for 1015 INR.
   *
   * @since 0.1.0
   */
  toDecimal(): string {
    return toDecimal(this)
  }
  /**
   * The currency code and the decimal amount, e.g. `"INR 10.15"`.
   *
   * @since 0.1.0
   */
  override toString(): string {
    return `${this.currency} ${toDecimal(this)}`
  }
}

/**
 * Money whose parts were checked by the caller (see `fromMinor`): the class constructor's schema
 * validation is skipped, since it would repeat those checks on every construction.
 */
const trusted = (amount: number, currency: Currency.CurrencyCode): Money =>
  new Money({ amount: amount as MinorUnits, currency }, true)

const invalid = (field: string, reason: string) => Either.left(new ValidationError({ field, reason }))

const checkCurrency = (currency: unknown, field: string): Either.Either<Currency.CurrencyCode, ValidationError> =>
  Currency.isCurrencyCode(currency)
    ? Either.right(currency)
    : invalid(field, `${JSON.stringify(String(currency)).slice(0, 12)} is not an ISO 4217 currency code`)

/**
 * Money from an integer number of minor units. Fails with a `ValidationError` naming `field`
 * (default `amount`) for negative, fractional, NaN, infinite or too-large amounts, and naming
 * `currency` for an unknown currency.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromMinor = (amount: number, currency: string, field = "amount"): Either.Either<Money, ValidationError> =>
  Either.flatMap(checkCurrency(currency, "currency"), (code) => {
    if (typeof amount !== "number" || Number.isNaN(amount)) return invalid(field, "must be a number")
    if (!Number.isFinite(amount)) return invalid(field, "must be finite")
    if (!Number.isInteger(amount)) return invalid(field, "must be a whole number of minor units")
    if (amount < 0) return invalid(field, "must not be negative")
    if (amount > MAX_MINOR_UNITS) return invalid(field, `must be at most ${MAX_MINOR_UNITS} minor units`)
    return Either.right(trusted(amount, code))
  })

/**
 * Options for parsing decimal amounts.
 *
 * @since 0.1.0
 * @category models
 */
export interface DecimalOptions {
  /** Name of the input, used in the `ValidationError` (default `amount`). */
  readonly field?: string
  /**
   * Accept trailing zeros beyond the currency's exponent (`"10.150"` for INR is exactly 1015).
   * Off by default; adapters turn it on for provider responses. Non-zero extra digits always fail.
   */
  readonly allowTrailingZeros?: boolean
}

const DECIMAL = /^(\d+)(?:\.(\d+))?$/

/**
 * Money from decimal text in major units (`"10.15"`, `"500"`, `"1.234"`), or from a JSON number
 * read through its shortest round-trip text (so `10.15` is exactly 1015 paise). No rounding ever:
 * more fraction digits than the currency allows is a `ValidationError`.
 *
 * @example
 * ```ts
 * import * as Money from "@payport/core/Money"
 * import * as Effect from "effect/Effect"
 * import * as Either from "effect/Either"
 * import { strictEqual } from "node:assert"
 *
 * const price = Effect.runSync(Money.fromDecimal("1499.00", "INR"))
 * strictEqual(price.amount, 149900) // paise, exactly
 * strictEqual(Money.toDecimal(price), "1499.00")
 *
 * // A third decimal is not rounded away: it is an error, before any I/O.
 * const tooPrecise = Effect.runSync(Effect.either(Money.fromDecimal("10.155", "INR")))
 * strictEqual(Either.isLeft(tooPrecise), true)
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromDecimal = (
  value: string | number,
  currency: string,
  options?: DecimalOptions
): Either.Either<Money, ValidationError> => {
  const field = options?.field ?? "amount"
  return Either.flatMap(checkCurrency(currency, "currency"), (code) => {
    let text: string
    if (typeof value === "number") {
      if (!Number.isFinite(value)) return invalid(field, "must be a finite number")
      text = String(value)
    } else if (typeof value === "string") {
      text = value.trim()
    } else {
      return invalid(field, "must be decimal text or a number")
    }
    if (text.length > 40) return invalid(field, "is too long to be an amount")
    if (text.startsWith("-")) return invalid(field, "must not be negative")
    const match = DECIMAL.exec(text)
    if (match === null) return invalid(field, "must be a plain decimal number like 10.15")
    const whole = match[1] ?? "0"
    let fraction = match[2] ?? ""
    const digits = Currency.exponent(code)
    if (fraction.length > digits) {
      const extra = fraction.slice(digits)
      if (options?.allowTrailingZeros === true && /^0+$/.test(extra)) {
        fraction = fraction.slice(0, digits)
      } else {
        return invalid(
          field,
          `has more than ${digits} fraction digit${digits === 1 ? "" : "s"}, the most ${code} allows`
        )
      }
    }
    const minor = BigInt(whole) * 10n ** BigInt(digits) + BigInt(fraction.padEnd(digits, "0") || "0")
    if (minor > BigInt(MAX_MINOR_UNITS)) return invalid(field, `must be at most ${MAX_MINOR_UNITS} minor units`)
    return Either.right(trusted(Number(minor), code))
  })
}

/**
 * Money from minor units, throwing on invalid input. For constants and tests only.
 *
 * @since 0.1.0
 * @category constructors
 */
export const unsafeMake = (amount: number, currency: Currency.CurrencyCode): Money =>
  Either.getOrThrowWith(fromMinor(amount, currency), (e) => new Error(e.message))

/**
 * Zero in a currency.
 *
 * @since 0.1.0
 * @category constructors
 */
export const zero = (currency: Currency.CurrencyCode): Money => trusted(0, currency)

/**
 * Decimal text in major units: 1015 INR → `"10.15"`, 500 JPY → `"500"`, 1234 KWD → `"1.234"`.
 *
 * @since 0.1.0
 * @category conversions
 */
export const toDecimal = (money: Money): string => {
  const digits = Currency.exponent(money.currency)
  if (digits === 0) return String(money.amount)
  const text = String(money.amount).padStart(digits + 1, "0")
  return `${text.slice(0, -digits)}.${text.slice(-digits)}`
}

const sameCurrency = (a: Money, b: Money): Either.Either<Currency.CurrencyCode, ValidationError> =>
  a.currency === b.currency
    ? Either.right(a.currency)
    : invalid("currency", `cannot mix ${a.currency} and ${b.currency}`)

/**
 * The sum of two amounts of the same currency.
 *
 * @example
 * ```ts
 * import * as Money from "@payport/core/Money"
 * import * as Either from "effect/Either"
 * import { strictEqual } from "node:assert"
 *
 * const sum = Money.add(Money.unsafeMake(1015, "INR"), Money.unsafeMake(85, "INR"))
 * strictEqual(Either.isRight(sum) && Money.toDecimal(sum.right), "11.00")
 *
 * // Mixing currencies is an error, never a conversion.
 * strictEqual(Either.isLeft(Money.add(Money.unsafeMake(100, "INR"), Money.unsafeMake(100, "USD"))), true)
 * ```
 *
 * @since 0.1.0
 * @category math
 */
export const add = (a: Money, b: Money): Either.Either<Money, ValidationError> =>
  Either.flatMap(sameCurrency(a, b), (currency) => fromMinor(a.amount + b.amount, currency))

/**
 * `a - b` for amounts of the same currency; a negative result is a `ValidationError`.
 *
 * @since 0.1.0
 * @category math
 */
export const subtract = (a: Money, b: Money): Either.Either<Money, ValidationError> =>
  Either.flatMap(sameCurrency(a, b), (currency) => fromMinor(a.amount - b.amount, currency))

/**
 * -1, 0 or 1 for amounts of the same currency.
 *
 * @since 0.1.0
 * @category math
 */
export const compare = (a: Money, b: Money): Either.Either<-1 | 0 | 1, ValidationError> =>
  Either.map(sameCurrency(a, b), () => (a.amount < b.amount ? -1 : a.amount > b.amount ? 1 : 0))

/**
 * The larger of two amounts of the same currency.
 *
 * @since 0.1.0
 * @category math
 */
export const max = (a: Money, b: Money): Either.Either<Money, ValidationError> =>
  Either.map(sameCurrency(a, b), () => (b.amount > a.amount ? b : a))

/**
 * Whether two amounts are equal (same currency and minor units).
 *
 * @since 0.1.0
 * @category math
 */
export const equals = (a: Money, b: Money): boolean => a.currency === b.currency && a.amount === b.amount

/**
 * True when the amount is zero.
 *
 * @since 0.1.0
 * @category math
 */
export const isZero = (money: Money): boolean => money.amount === 0
