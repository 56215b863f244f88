/**
 * How the payer pays: the input union of every payment method Payport knows.
 *
 * Card numbers, CVVs, network-token PANs and cryptograms are `Redacted` from the moment they
 * are constructed; they print as `<redacted>` and are unwrapped only when an adapter writes the
 * provider request. `validate` checks a method before any I/O (Luhn, lengths, expiry against
 * `Clock`) and reports problems as a `ValidationError` that never repeats the sensitive value.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { matches, PHONE, PHONE_RULE } from "./internal/port.js"
import { ValidationError } from "./PaymentError.js"

const Secret = Schema.Redacted(Schema.String)

/**
 * A card's expiry month (1–12) and four-digit year.
 *
 * @since 0.1.0
 * @category models
 */
export const CardExpiry = Schema.Struct({ month: Schema.Number, year: Schema.Number })
/**
 * @since 0.1.0
 * @category models
 */
export type CardExpiry = typeof CardExpiry.Type

/** The card fields shared by `Card` and `CardEmi`. */
const cardFields = {
  number: Secret,
  expiry: CardExpiry,
  cvv: Schema.optional(Secret),
  holder: Schema.optional(Schema.String)
}

/**
 * A card entered by the payer.
 *
 * @since 0.1.0
 * @category methods
 */
export const Card = Schema.TaggedStruct("Card", cardFields)
/**
 * @since 0.1.0
 * @category methods
 */
export type Card = typeof Card.Type

/**
 * A card saved earlier (see the `Vault` port), optionally with a fresh CVV.
 *
 * @since 0.1.0
 * @category methods
 */
export const SavedCard = Schema.TaggedStruct("SavedCard", {
  instrumentId: Schema.String,
  cvv: Schema.optional(Secret)
})
/**
 * @since 0.1.0
 * @category methods
 */
export type SavedCard = typeof SavedCard.Type

/**
 * A network token with its cryptogram (e.g. from the `Cryptograms` port or a wallet).
 *
 * @since 0.1.0
 * @category methods
 */
export const NetworkToken = Schema.TaggedStruct("NetworkToken", {
  tokenPan: Secret,
  cryptogram: Secret,
  expiry: CardExpiry,
  eci: Schema.optional(Schema.String),
  tokenRequestorId: Schema.optional(Schema.String)
})
/**
 * @since 0.1.0
 * @category methods
 */
export type NetworkToken = typeof NetworkToken.Type

/**
 * UPI: a collect request to a VPA, an intent (deep links to UPI apps), or a QR code.
 * `collectExpiryMinutes` is how long the payer has to approve a collect request (only for
 * `collect`; providers bound it, Cashfree to 5–15 minutes, and refuse what they cannot honour).
 *
 * @since 0.1.0
 * @category methods
 */
export const Upi = Schema.TaggedStruct("Upi", {
  channel: Schema.Literal("collect", "intent", "qr"),
  vpa: Schema.optional(Schema.String),
  collectExpiryMinutes: Schema.optional(Schema.Number)
})
/**
 * @since 0.1.0
 * @category methods
 */
export type Upi = typeof Upi.Type

/**
 * Netbanking with the provider's bank code.
 *
 * @since 0.1.0
 * @category methods
 */
export const Netbanking = Schema.TaggedStruct("Netbanking", { bankCode: Schema.String })
/**
 * @since 0.1.0
 * @category methods
 */
export type Netbanking = typeof Netbanking.Type

/**
 * A wallet (e.g. `paytm`, `phonepe`) and the payer's phone.
 *
 * @since 0.1.0
 * @category methods
 */
export const Wallet = Schema.TaggedStruct("Wallet", { provider: Schema.String, phone: Schema.String })
/**
 * @since 0.1.0
 * @category methods
 */
export type Wallet = typeof Wallet.Type

/**
 * A card paid in instalments with the issuing bank.
 *
 * @since 0.1.0
 * @category methods
 */
export const CardEmi = Schema.TaggedStruct("CardEmi", {
  ...cardFields,
  bank: Schema.String,
  tenureMonths: Schema.Number
})
/**
 * @since 0.1.0
 * @category methods
 */
export type CardEmi = typeof CardEmi.Type

/**
 * Pay later with a provider (e.g. `simpl`, `lazypay`) and the payer's phone.
 *
 * @since 0.1.0
 * @category methods
 */
export const PayLater = Schema.TaggedStruct("PayLater", { provider: Schema.String, phone: Schema.String })
/**
 * @since 0.1.0
 * @category methods
 */
export type PayLater = typeof PayLater.Type

/**
 * Cardless EMI with a provider (e.g. `flexmoney`, `zestmoney`) and the payer's phone, in
 * `tenureMonths` instalments where the payer chose them (some providers require a tenure).
 *
 * @since 0.1.0
 * @category methods
 */
export const CardlessEmi = Schema.TaggedStruct("CardlessEmi", {
  provider: Schema.String,
  phone: Schema.String,
  tenureMonths: Schema.optional(Schema.Number)
})
/**
 * @since 0.1.0
 * @category methods
 */
export type CardlessEmi = typeof CardlessEmi.Type

/**
 * Every payment method.
 *
 * @since 0.1.0
 * @category methods
 */
export const PaymentMethod = Schema.Union(
  Card,
  SavedCard,
  NetworkToken,
  Upi,
  Netbanking,
  Wallet,
  CardEmi,
  PayLater,
  CardlessEmi
)
/**
 * @since 0.1.0
 * @category methods
 */
export type PaymentMethod = typeof PaymentMethod.Type

/**
 * The tag of each method, e.g. for an adapter's list of supported methods.
 *
 * @since 0.1.0
 * @category methods
 */
export type MethodKind = PaymentMethod["_tag"]

// ---------------------------------------------------------------------------------------------
// Constructors: plain strings in, Redacted out
// ---------------------------------------------------------------------------------------------

const secret = (value: string | Redacted.Redacted<string>): Redacted.Redacted<string> =>
  Redacted.isRedacted(value) ? value : Redacted.make(value)

/**
 * A card method; the number and CVV are wrapped in `Redacted`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const card = (input: {
  readonly number: string | Redacted.Redacted<string>
  readonly expiry: CardExpiry
  readonly cvv?: string | Redacted.Redacted<string>
  readonly holder?: string
}): Card => ({
  _tag: "Card",
  number: secret(input.number),
  expiry: input.expiry,
  ...(input.cvv === undefined ? {} : { cvv: secret(input.cvv) }),
  ...(input.holder === undefined ? {} : { holder: input.holder })
})

/**
 * A saved card, optionally with a fresh CVV.
 *
 * @since 0.1.0
 * @category constructors
 */
export const savedCard = (instrumentId: string, cvv?: string | Redacted.Redacted<string>): SavedCard => ({
  _tag: "SavedCard",
  instrumentId,
  ...(cvv === undefined ? {} : { cvv: secret(cvv) })
})

/**
 * A network token and its cryptogram.
 *
 * @since 0.1.0
 * @category constructors
 */
export const networkToken = (input: {
  readonly tokenPan: string | Redacted.Redacted<string>
  readonly cryptogram: string | Redacted.Redacted<string>
  readonly expiry: CardExpiry
  readonly eci?: string
  readonly tokenRequestorId?: string
}): NetworkToken => ({
  ...input,
  _tag: "NetworkToken",
  tokenPan: secret(input.tokenPan),
  cryptogram: secret(input.cryptogram)
})

/**
 * A UPI collect request to `vpa`, optionally valid for `expiryMinutes`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const upiCollect = (vpa: string, expiryMinutes?: number): Upi => ({
  _tag: "Upi",
  channel: "collect",
  vpa,
  ...(expiryMinutes === undefined ? {} : { collectExpiryMinutes: expiryMinutes })
})

/**
 * A UPI intent payment (the payer opens a UPI app from a deep link).
 *
 * @since 0.1.0
 * @category constructors
 */
export const upiIntent: Upi = { _tag: "Upi", channel: "intent" }

/**
 * A UPI QR payment.
 *
 * @since 0.1.0
 * @category constructors
 */
export const upiQr: Upi = { _tag: "Upi", channel: "qr" }

// ---------------------------------------------------------------------------------------------
// Card facts
// ---------------------------------------------------------------------------------------------

/**
 * Card networks Payport recognises from the number's prefix.
 *
 * @since 0.1.0
 * @category cards
 */
export type CardNetwork =
  | "visa"
  | "mastercard"
  | "amex"
  | "rupay"
  | "discover"
  | "diners"
  | "jcb"
  | "unionpay"
  | "maestro"
  | "unknown"

/**
 * Prefix ranges per network, checked in order: the first match wins. Discover's 6011 and 644–649
 * sit inside RuPay's 60 and beside RuPay's 652–653 within Discover's 65, so they come first.
 */
const networkPrefixes: ReadonlyArray<readonly [CardNetwork, string]> = [
  ["amex", "34 37"],
  ["diners", "300-305 36 38-39"],
  ["jcb", "3528-3589"],
  ["visa", "4"],
  ["mastercard", "51-55 2221-2720"],
  ["discover", "6011 644-649"],
  ["rupay", "508 60 652-653 81-82"],
  ["discover", "65"],
  ["unionpay", "62"],
  ["maestro", "50 56-58 63 67"]
]

const networkRanges = networkPrefixes.map(([network, ranges]) => {
  const parsed = ranges.split(" ").map((range) => {
    const [low = "", high = low] = range.split("-")
    return { width: low.length, low: Number(low), high: Number(high) }
  })
  return [network, parsed] as const
})

/**
 * The network of a card number (digits only), from its prefix.
 *
 * @since 0.1.0
 * @category cards
 */
export const cardNetwork = (digits: string): CardNetwork => {
  for (const [network, ranges] of networkRanges) {
    for (const { width, low, high } of ranges) {
      const prefix = Number(digits.slice(0, width))
      if (digits.length >= width && prefix >= low && prefix <= high) return network
    }
  }
  return "unknown"
}

/**
 * The Luhn (mod 10) check over a string of digits.
 *
 * @since 0.1.0
 * @category cards
 */
export const luhn = (digits: string): boolean => {
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48
    if (d < 0 || d > 9) return false
    if (i % 2 === 1) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
  }
  return digits.length > 0 && sum % 10 === 0
}

/**
 * The last four digits, for display: `"•••• 1111"`.
 *
 * @since 0.1.0
 * @category cards
 */
export const mask = (digits: string): string => `•••• ${digits.slice(-4)}`

/**
 * A card number with spaces and dashes removed. Returns the digits, still redacted.
 *
 * @since 0.1.0
 * @category cards
 */
export const normalizeNumber = (number: Redacted.Redacted<string>): Redacted.Redacted<string> =>
  Redacted.make(Redacted.value(number).replace(/[\s-]/g, ""))

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

const fail = (field: string, reason: string) => Effect.fail(new ValidationError({ field, reason }))

const checkNumber = (field: string, number: Redacted.Redacted<string>) => {
  const digits = Redacted.value(normalizeNumber(number))
  if (!/^\d+$/.test(digits)) return fail(field, "must contain only digits")
  if (digits.length < 12 || digits.length > 19) return fail(field, "must have 12 to 19 digits")
  if (!luhn(digits)) return fail(field, "fails the Luhn check")
  return Effect.succeed(digits)
}

const checkExpiry = (field: string, expiry: CardExpiry) =>
  Effect.flatMap(Clock.currentTimeMillis, (now) => {
    const { month, year } = expiry
    if (!Number.isInteger(month) || month < 1 || month > 12)
      return fail(`${field}.month`, "must be a whole number from 1 to 12")
    if (!Number.isInteger(year) || year < 2000 || year > 2199) return fail(`${field}.year`, "must be a four-digit year")
    const today = new Date(now)
    const current = today.getUTCFullYear() * 12 + today.getUTCMonth()
    // A card is valid through the last day of its expiry month.
    if (year * 12 + (month - 1) < current) return fail(field, "is in the past")
    return Effect.void
  })

const checkCvv = (field: string, cvv: Redacted.Redacted<string> | undefined, network: CardNetwork) => {
  if (cvv === undefined) return Effect.void
  const value = Redacted.value(cvv)
  const length = network === "amex" ? 4 : 3
  if (!/^\d+$/.test(value) || value.length !== length) return fail(field, `must be ${length} digits`)
  return Effect.void
}

const checkText = (field: string, value: string, pattern: RegExp, rule: string) => matches(field, value, pattern, rule)

const CODE = /^[A-Za-z0-9_-]{1,64}$/

const checkProviderPhone = (field: string, method: { readonly provider: string; readonly phone: string }) =>
  Effect.zipRight(
    checkText(`${field}.provider`, method.provider, CODE, "a provider code"),
    checkText(`${field}.phone`, method.phone, PHONE, PHONE_RULE)
  )

const TENURE_RULE = "must be a whole number of months from 1 to 60"
const validTenure = (months: number) => Number.isInteger(months) && months >= 1 && months <= 60

const checkCard = (prefix: string, input: Card | CardEmi) =>
  Effect.gen(function* () {
    const digits = yield* checkNumber(`${prefix}number`, input.number)
    yield* checkExpiry(`${prefix}expiry`, input.expiry)
    yield* checkCvv(`${prefix}cvv`, input.cvv, cardNetwork(digits))
    if (input.holder !== undefined && (input.holder.trim().length === 0 || input.holder.length > 100)) {
      yield* fail(`${prefix}holder`, "must be 1 to 100 characters")
    }
  })

/**
 * Checks a payment method before any I/O: card numbers (digits, 12–19 long, Luhn), expiry
 * (well-formed, not in the past by `Clock`), CVV length (4 for Amex, else 3), VPAs, phones, codes.
 * Fails with a `ValidationError` naming the field under `field` (`method.number`, `method.expiry`…).
 *
 * @since 0.1.0
 * @category validation
 */
export const validate = (method: PaymentMethod, field = "method"): Effect.Effect<PaymentMethod, ValidationError> => {
  const check: Effect.Effect<void, ValidationError> = (() => {
    switch (method._tag) {
      case "Card":
        return checkCard(`${field}.`, method)
      case "CardEmi":
        return Effect.zipRight(
          checkCard(`${field}.`, method),
          validTenure(method.tenureMonths)
            ? checkText(`${field}.bank`, method.bank, CODE, "a bank code")
            : fail(`${field}.tenureMonths`, TENURE_RULE)
        )
      case "SavedCard":
        return Effect.zipRight(
          checkText(`${field}.instrumentId`, method.instrumentId, /^\S{1,128}$/, "1 to 128 characters"),
          method.cvv === undefined || /^\d{3,4}$/.test(Redacted.value(method.cvv))
            ? Effect.void
            : fail(`${field}.cvv`, "must be 3 or 4 digits")
        )
      case "NetworkToken":
        return Effect.zipRight(
          Effect.asVoid(checkNumber(`${field}.tokenPan`, method.tokenPan)),
          Effect.zipRight(
            checkExpiry(`${field}.expiry`, method.expiry),
            Redacted.value(method.cryptogram).length === 0
              ? fail(`${field}.cryptogram`, "must not be empty")
              : Effect.void
          )
        )
      case "Upi": {
        const expiry = method.collectExpiryMinutes
        if (expiry !== undefined && method.channel !== "collect") {
          return fail(`${field}.collectExpiryMinutes`, "applies to a collect request only")
        }
        if (expiry !== undefined && !(Number.isInteger(expiry) && expiry >= 1 && expiry <= 1440)) {
          return fail(`${field}.collectExpiryMinutes`, "must be a whole number of minutes from 1 to 1440")
        }
        return method.channel === "collect"
          ? checkText(
              `${field}.vpa`,
              method.vpa ?? "",
              /^[A-Za-z0-9._-]{2,256}@[A-Za-z0-9]{2,64}$/,
              "a UPI id like name@bank"
            )
          : Effect.void
      }
      case "Netbanking":
        return checkText(`${field}.bankCode`, method.bankCode, CODE, "a bank code")
      case "CardlessEmi":
        return method.tenureMonths !== undefined && !validTenure(method.tenureMonths)
          ? fail(`${field}.tenureMonths`, TENURE_RULE)
          : checkProviderPhone(field, method)
      case "Wallet":
      case "PayLater":
        return checkProviderPhone(field, method)
    }
  })()
  return Effect.as(check, method)
}
