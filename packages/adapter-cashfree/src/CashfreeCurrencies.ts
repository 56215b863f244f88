/**
 * The currencies the Cashfree adapter takes payments in: INR, Cashfree's own currency (an order
 * without `order_currency` is INR), and the international currencies Cashfree documents for
 * collecting from abroad (settled in INR; enabled per merchant account on request). A sale or hold
 * in any other currency fails with `UnsupportedCurrency` before any request is sent; Cashfree
 * itself answers 400 `order_currency_invalid`.
 *
 * @since 0.1.0
 */
import type { CurrencyCode } from "@payport/core/Currency"

/**
 * Every currency the adapter accepts, INR first.
 *
 * @since 0.1.0
 * @category currencies
 */
export const currencies = [
  "INR",
  "AED",
  "AUD",
  "CAD",
  "CHF",
  "CNY",
  "EUR",
  "GBP",
  "HKD",
  "JPY",
  "NOK",
  "NZD",
  "QAR",
  "SAR",
  "SGD",
  "THB",
  "USD",
  "ZAR"
] as const satisfies ReadonlyArray<CurrencyCode>

/**
 * A currency Cashfree takes payments in.
 *
 * @since 0.1.0
 * @category currencies
 */
export type Currency = (typeof currencies)[number]

/**
 * Whether Cashfree takes payments in `currency`.
 *
 * @since 0.1.0
 * @category currencies
 */
export const isSupported = (currency: string): currency is Currency =>
  (currencies as ReadonlyArray<string>).includes(currency)
