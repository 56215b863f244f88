/**
 * The currencies the CyberSource adapter takes payments in: every ISO 4217 currency in core's
 * table except the fund codes (`Currency.paymentCodes`). CyberSource takes any ISO 4217 currency
 * code in `orderInformation.amountDetails.currency` (which ones settle depends on the merchant's
 * processor); a fund code is a unit of account, which it refuses with 400 `INVALID_DATA`. A sale or
 * hold in one fails with `UnsupportedCurrency` before any request is sent.
 *
 * @since 0.1.0
 */
import * as Currency from "@payport/core/Currency"

/**
 * Every currency the adapter accepts.
 *
 * @since 0.1.0
 * @category currencies
 */
export const currencies: ReadonlyArray<Currency.CurrencyCode> = Currency.paymentCodes

/**
 * Whether CyberSource takes payments in `currency`.
 *
 * @since 0.1.0
 * @category currencies
 */
export const isSupported = (currency: string): currency is Currency.CurrencyCode =>
  (currencies as ReadonlyArray<string>).includes(currency)
