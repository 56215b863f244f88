/**
 * CyberSource amounts are decimal strings in major units (`"102.21"`). The emulator keeps integer
 * minor units and converts with core's exact decimal arithmetic — never through floating point.
 */
import * as Currency from "@payport/core/Currency"
import * as Money from "@payport/core/Money"
import * as Either from "effect/Either"

/** The ISO 4217 code if `value` is one (CyberSource also accepts lowercase, as its own responses show). */
export const currencyOf = (value: string | undefined): Currency.CurrencyCode | undefined => {
  const upper = value?.toUpperCase()
  return Currency.isCurrencyCode(upper) ? upper : undefined
}

/**
 * Minor units of decimal text; `undefined` for anything that is not a plain non-negative decimal
 * with at most the currency's fraction digits (trailing zeros beyond them are accepted, as
 * `"6.400"` JOD-style responses show they are meaningful-free).
 */
export const parse = (value: string, currency: Currency.CurrencyCode): number | undefined =>
  Either.match(Money.fromDecimal(value, currency, { allowTrailingZeros: true }), {
    onLeft: () => undefined,
    onRight: (money) => money.amount
  })

/** Decimal text of minor units, e.g. 10221 USD → `"102.21"`. */
export const format = (minor: number, currency: Currency.CurrencyCode): string => {
  const digits = Currency.exponent(currency)
  if (digits === 0) return String(minor)
  const padded = String(minor).padStart(digits + 1, "0")
  return `${padded.slice(0, -digits)}.${padded.slice(-digits)}`
}
