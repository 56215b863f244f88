/**
 * ISO 4217 currencies and their minor-unit exponents.
 *
 * The exponent says how many decimal digits the currency's minor unit has: JPY 0 (¥500 is
 * `500`), INR/USD 2 (₹10.15 is `1015`), KWD/BHD 3 (KWD 1.234 is `1234`), CLF 4.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

const byExponent = {
  0: [
    "BIF",
    "CLP",
    "DJF",
    "GNF",
    "ISK",
    "JPY",
    "KMF",
    "KRW",
    "PYG",
    "RWF",
    "UGX",
    "UYI",
    "VND",
    "VUV",
    "XAF",
    "XOF",
    "XPF"
  ],
  2: [
    "AED",
    "AFN",
    "ALL",
    "AMD",
    "ANG",
    "AOA",
    "ARS",
    "AUD",
    "AWG",
    "AZN",
    "BAM",
    "BBD",
    "BDT",
    "BGN",
    "BMD",
    "BND",
    "BOB",
    "BOV",
    "BRL",
    "BSD",
    "BTN",
    "BWP",
    "BYN",
    "BZD",
    "CAD",
    "CDF",
    "CHE",
    "CHF",
    "CHW",
    "CNY",
    "COP",
    "COU",
    "CRC",
    "CUC",
    "CUP",
    "CVE",
    "CZK",
    "DKK",
    "DOP",
    "DZD",
    "EGP",
    "ERN",
    "ETB",
    "EUR",
    "FJD",
    "FKP",
    "GBP",
    "GEL",
    "GHS",
    "GIP",
    "GMD",
    "GTQ",
    "GYD",
    "HKD",
    "HNL",
    "HTG",
    "HUF",
    "IDR",
    "ILS",
    "INR",
    "IRR",
    "JMD",
    "KES",
    "KGS",
    "KHR",
    "KPW",
    "KYD",
    "KZT",
    "LAK",
    "LBP",
    "LKR",
    "LRD",
    "LSL",
    "MAD",
    "MDL",
    "MGA",
    "MKD",
    "MMK",
    "MNT",
    "MOP",
    "MRU",
    "MUR",
    "MVR",
    "MWK",
    "MXN",
    "MXV",
    "MYR",
    "MZN",
    "NAD",
    "NGN",
    "NIO",
    "NOK",
    "NPR",
    "NZD",
    "PAB",
    "PEN",
    "PGK",
    "PHP",
    "PKR",
    "PLN",
    "QAR",
    "RON",
    "RSD",
    "RUB",
    "SAR",
    "SBD",
    "SCR",
    "SDG",
    "SEK",
    "SGD",
    "SHP",
    "SLE",
    "SLL",
    "SOS",
    "SRD",
    "SSP",
    "STN",
    "SVC",
    "SYP",
    "SZL",
    "THB",
    "TJS",
    "TMT",
    "TOP",
    "TRY",
    "TTD",
    "TWD",
    "TZS",
    "UAH",
    "USD",
    "USN",
    "UYU",
    "UZS",
    "VED",
    "VES",
    "WST",
    "XCD",
    "XCG",
    "YER",
    "ZAR",
    "ZMW",
    "ZWG",
    "ZWL"
  ],
  3: ["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"],
  4: ["CLF", "UYW"]
} as const

/**
 * An ISO 4217 alphabetic code known to Payport.
 *
 * @since 0.1.0
 * @category models
 */
export type CurrencyCode = (typeof byExponent)[keyof typeof byExponent][number]

/**
 * The minor-unit exponent of every known currency.
 *
 * @since 0.1.0
 * @category data
 */
export const exponents: { readonly [C in CurrencyCode]: number } = Object.fromEntries(
  Object.entries(byExponent).flatMap(([exponent, codes]) => codes.map((code) => [code, Number(exponent)]))
) as { readonly [C in CurrencyCode]: number }

/**
 * Every known currency code.
 *
 * @since 0.1.0
 * @category data
 */
export const codes = Object.keys(exponents) as ReadonlyArray<CurrencyCode>

/**
 * @since 0.1.0
 * @category guards
 */
export const isCurrencyCode = (u: unknown): u is CurrencyCode => typeof u === "string" && Object.hasOwn(exponents, u)

/**
 * The schema of a currency code: decodes only codes in the table.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CurrencyCode: Schema.Schema<CurrencyCode> = Schema.Literal(
  ...(codes as readonly [CurrencyCode, ...Array<CurrencyCode>])
).annotations({ identifier: "CurrencyCode", description: "an ISO 4217 currency code" })

/**
 * The minor-unit exponent of a currency.
 *
 * @since 0.1.0
 * @category accessors
 */
export const exponent = (currency: CurrencyCode): number => exponents[currency]

/**
 * The ISO 4217 fund codes in the table (`BOV`, `CHE`, `CHW`, `CLF`, `COU`, `MXV`, `USN`, `UYI`,
 * `UYW`): units of account for indexation and settlement, not currencies a card network takes
 * payments in. Adapters leave them out of the currencies they declare.
 *
 * @since 0.1.0
 * @category data
 */
export const fundCodes: ReadonlyArray<CurrencyCode> = ["BOV", "CHE", "CHW", "CLF", "COU", "MXV", "USN", "UYI", "UYW"]

/**
 * Every code in the table that is a currency payments are taken in: `codes` less `fundCodes`.
 *
 * @since 0.1.0
 * @category data
 */
export const paymentCodes: ReadonlyArray<CurrencyCode> = codes.filter((code) => !fundCodes.includes(code))
