/**
 * fast-check arbitraries for every Payport domain type.
 *
 * Where a core schema already says everything (ids, refs, customers, addresses, instruments,
 * actions, errors) the arbitrary is `Arbitrary.make(schema)`. Where validity is more than the
 * schema can state — Luhn-valid cards for their network, expiries in the future, ledgers with
 * `authorized ≥ captured ≥ refunded ≥ 0`, payments whose status agrees with their ledger, amounts
 * in a currency's minor units — the arbitrary builds values valid by construction, so they pass
 * core's `validate` functions and the in-memory provider accepts them.
 *
 * @since 0.1.0
 */
import * as Currency from "@payport/core/Currency"
import { Address, Customer as CustomerModel } from "@payport/core/Customer"
import * as Ids from "@payport/core/Ids"
import { Cryptogram as CryptogramModel, Instrument as InstrumentModel } from "@payport/core/Instrument"
import * as Ledger from "@payport/core/Ledger"
import * as Money from "@payport/core/Money"
import * as Payment from "@payport/core/Payment"
import * as PaymentError from "@payport/core/PaymentError"
import * as PaymentMethod from "@payport/core/PaymentMethod"
import type { CreatePaymentInput } from "@payport/core/PaymentRequest"
import * as Refund from "@payport/core/Refund"
import * as StateMachine from "@payport/core/StateMachine"
import * as WebhookEvent from "@payport/core/WebhookEvent"
import * as Arbitrary from "effect/Arbitrary"
import * as DateTime from "effect/DateTime"
import * as FastCheck from "effect/FastCheck"
import { luhnCheckDigit } from "@payport/emulators/Prng"
import * as TestData from "./TestData.js"

// ---------------------------------------------------------------------------------------------
// Money
// ---------------------------------------------------------------------------------------------

/**
 * Any currency core knows.
 *
 * @since 0.1.0
 * @category money
 */
export const currency: FastCheck.Arbitrary<Currency.CurrencyCode> = FastCheck.constantFrom(...Currency.codes)

/**
 * An integer number of minor units in `[min, max]` (default `[0, 10^13]`). Goes through `bigInt`
 * because fast-check's `integer` stops at 2^31.
 *
 * @since 0.1.0
 * @category money
 */
export const minorUnits = (options?: { readonly min?: number; readonly max?: number }): FastCheck.Arbitrary<number> =>
  FastCheck.bigInt({ min: BigInt(options?.min ?? 0), max: BigInt(options?.max ?? 10 ** 13) }).map(Number)

/**
 * Money in a given (or any) currency, with an amount in `[min, max]` minor units.
 *
 * @since 0.1.0
 * @category money
 */
export const money = (options?: {
  readonly currency?: Currency.CurrencyCode
  readonly min?: number
  readonly max?: number
}): FastCheck.Arbitrary<Money.Money> =>
  FastCheck.tuple(
    options?.currency === undefined ? currency : FastCheck.constant(options.currency),
    minorUnits(options)
  ).map(([code, amount]) => Money.unsafeMake(amount, code))

/**
 * A positive amount, as payments and refunds need.
 *
 * @since 0.1.0
 * @category money
 */
export const positiveMoney = (options?: {
  readonly currency?: Currency.CurrencyCode
  readonly max?: number
}): FastCheck.Arbitrary<Money.Money> => money({ ...options, min: 1 })

/**
 * A ledger that keeps `authorized ≥ captured ≥ refunded ≥ 0`, authorized at most `max`.
 *
 * @since 0.1.0
 * @category money
 */
export const ledger = (code: Currency.CurrencyCode, max = 10 ** 9): FastCheck.Arbitrary<Ledger.Ledger> =>
  minorUnits({ max })
    .chain((authorized) => FastCheck.tuple(FastCheck.constant(authorized), minorUnits({ max: authorized })))
    .chain(([authorized, captured]) =>
      FastCheck.tuple(FastCheck.constant(authorized), FastCheck.constant(captured), minorUnits({ max: captured }))
    )
    .map(([authorized, captured, refunded]) =>
      Ledger.Ledger.make({
        authorized: Money.unsafeMake(authorized, code),
        captured: Money.unsafeMake(captured, code),
        refunded: Money.unsafeMake(refunded, code)
      })
    )

// ---------------------------------------------------------------------------------------------
// Ids
// ---------------------------------------------------------------------------------------------

/**
 * @since 0.1.0
 * @category ids
 */
export const paymentId = Arbitrary.make(Ids.PaymentId)
/**
 * @since 0.1.0
 * @category ids
 */
export const refundId = Arbitrary.make(Ids.RefundId)
/**
 * @since 0.1.0
 * @category ids
 */
export const customerId = Arbitrary.make(Ids.CustomerId)
/**
 * @since 0.1.0
 * @category ids
 */
export const instrumentId = Arbitrary.make(Ids.InstrumentId)
/**
 * @since 0.1.0
 * @category ids
 */
export const orderReference = Arbitrary.make(Ids.OrderReference)
/**
 * @since 0.1.0
 * @category ids
 */
export const paymentRef = Arbitrary.make(Ids.PaymentRef)
/**
 * @since 0.1.0
 * @category ids
 */
export const refundRef = Arbitrary.make(Ids.RefundRef)

let keyCounter = 0

/**
 * An idempotency key that is unique for the life of the process, even across shrinking: a random
 * UUID prefix plus a counter. Schema-derived keys collide after shrinking, and a collision replays
 * an earlier request's result (see EFFECT-NOTES P9).
 *
 * @since 0.1.0
 * @category ids
 */
export const uniqueIdempotencyKey: FastCheck.Arbitrary<Ids.IdempotencyKey> = FastCheck.uuid().map((uuid) =>
  Ids.IdempotencyKey.make(`${uuid}.${(++keyCounter).toString(36)}`)
)

/**
 * A merchant reference that is unique for the life of the process (same scheme as
 * `uniqueIdempotencyKey`), for providers that refuse a reused order id.
 *
 * @since 0.1.0
 * @category ids
 */
export const uniqueOrderReference: FastCheck.Arbitrary<Ids.OrderReference> = FastCheck.uuid().map((uuid) =>
  Ids.OrderReference.make(`ord-${uuid.replace(/-/g, "").slice(0, 20)}-${(++keyCounter).toString(36)}`)
)

// ---------------------------------------------------------------------------------------------
// Payment methods
// ---------------------------------------------------------------------------------------------

const networks: ReadonlyArray<{
  readonly network: PaymentMethod.CardNetwork
  readonly prefixes: ReadonlyArray<string>
  readonly length: number
}> = [
  { network: "visa", prefixes: ["4"], length: 16 },
  { network: "mastercard", prefixes: ["51", "52", "53", "54", "55", "2221", "2720"], length: 16 },
  { network: "amex", prefixes: ["34", "37"], length: 15 },
  { network: "rupay", prefixes: ["607", "652", "508", "81"], length: 16 },
  { network: "discover", prefixes: ["6011", "644", "649", "655"], length: 16 },
  { network: "jcb", prefixes: ["3528", "3589"], length: 16 }
]

const magicNumbers = new Set<string>([...Object.keys(TestData.decliningCards), TestData.otpCard, TestData.threeDsCard])

/**
 * A Luhn-valid card number of a known network, as digits, paired with its network. Numbers the
 * in-memory provider treats as magic (declines, OTP, 3-D Secure) are excluded, so a generated
 * card is an ordinary card that pays at once.
 *
 * @since 0.1.0
 * @category methods
 */
export const cardNumber: FastCheck.Arbitrary<{ readonly digits: string; readonly network: PaymentMethod.CardNetwork }> =
  FastCheck.constantFrom(...networks)
    .chain(({ network, prefixes, length }) =>
      FastCheck.tuple(
        FastCheck.constant(network),
        FastCheck.constantFrom(...prefixes),
        FastCheck.constant(length),
        FastCheck.array(FastCheck.integer({ min: 0, max: 9 }), { minLength: length, maxLength: length })
      )
    )
    .map(([network, prefix, length, body]) => {
      const partial = `${prefix}${body.join("")}`.slice(0, length - 1)
      return { network, digits: `${partial}${luhnCheckDigit(partial)}` }
    })
    .filter(({ digits }) => !magicNumbers.has(digits))

/**
 * An expiry from 2030 to 2045: in the future on any clock a test uses, including `TestClock`'s 1970.
 *
 * @since 0.1.0
 * @category methods
 */
export const expiry: FastCheck.Arbitrary<PaymentMethod.CardExpiry> = FastCheck.record({
  month: FastCheck.integer({ min: 1, max: 12 }),
  year: FastCheck.integer({ min: 2030, max: 2045 })
})

const digitsOf = (length: number) =>
  FastCheck.array(FastCheck.integer({ min: 0, max: 9 }), { minLength: length, maxLength: length }).map((d) =>
    d.join("")
  )

const holder = FastCheck.constantFrom("Asha Rao", "J. Smith", "Li Wei", "Test Payer")

/**
 * A card that passes `PaymentMethod.validate`: Luhn-valid number, future expiry, a CVV of the
 * network's length (4 for Amex). Number and CVV are `Redacted`.
 *
 * @since 0.1.0
 * @category methods
 */
export const card: FastCheck.Arbitrary<PaymentMethod.Card> = FastCheck.tuple(
  cardNumber,
  expiry,
  digitsOf(4),
  FastCheck.option(holder, { nil: undefined })
).map(([{ digits, network }, exp, cvv, name]) =>
  PaymentMethod.card({
    number: digits,
    expiry: exp,
    cvv: network === "amex" ? cvv : cvv.slice(0, 3),
    ...(name === undefined ? {} : { holder: name })
  })
)

/**
 * A valid VPA that is not one of the sandbox's magic VPAs.
 *
 * @since 0.1.0
 * @category methods
 */
export const vpa: FastCheck.Arbitrary<string> = FastCheck.tuple(
  FastCheck.stringMatching(/^[a-z0-9][a-z0-9._-]{1,19}$/),
  FastCheck.constantFrom("okaxis", "ybl", "paytm", "upi", "okhdfcbank")
).map(([name, bank]) => `${name}@${bank}`)

const phone = FastCheck.stringMatching(/^[6-9][0-9]{9}$/)
const code = FastCheck.stringMatching(/^[A-Za-z0-9_-]{1,20}$/)

/**
 * Every payment method, each valid by construction (passes `PaymentMethod.validate`).
 *
 * @since 0.1.0
 * @category methods
 */
export const paymentMethod: FastCheck.Arbitrary<PaymentMethod.PaymentMethod> = FastCheck.oneof(
  card,
  vpa.map(PaymentMethod.upiCollect),
  FastCheck.constant(PaymentMethod.upiIntent),
  FastCheck.constant(PaymentMethod.upiQr),
  FastCheck.tuple(cardNumber, expiry, FastCheck.base64String({ minLength: 4, maxLength: 40 })).map(
    ([{ digits }, exp, cryptogram]) =>
      PaymentMethod.networkToken({
        tokenPan: digits,
        cryptogram: cryptogram.length > 0 ? cryptogram : "AAAA",
        expiry: exp
      })
  ),
  code.map((bankCode): PaymentMethod.Netbanking => ({ _tag: "Netbanking", bankCode })),
  FastCheck.tuple(code, phone).map(([provider, p]): PaymentMethod.Wallet => ({ _tag: "Wallet", provider, phone: p })),
  FastCheck.tuple(code, phone).map(
    ([provider, p]): PaymentMethod.PayLater => ({ _tag: "PayLater", provider, phone: p })
  ),
  FastCheck.tuple(code, phone).map(
    ([provider, p]): PaymentMethod.CardlessEmi => ({ _tag: "CardlessEmi", provider, phone: p })
  ),
  FastCheck.tuple(card, code, FastCheck.integer({ min: 1, max: 60 })).map(
    ([c, bank, tenureMonths]): PaymentMethod.CardEmi => ({ ...c, _tag: "CardEmi", bank, tenureMonths })
  )
)

/**
 * A request to pay that core accepts: a unique reference and idempotency key, a positive amount
 * in INR (or `currency`), and a valid method.
 *
 * @since 0.1.0
 * @category requests
 */
export const createPaymentInput = (options?: {
  readonly currency?: Currency.CurrencyCode
  readonly method?: FastCheck.Arbitrary<PaymentMethod.PaymentMethod>
  readonly maxAmount?: number
}): FastCheck.Arbitrary<CreatePaymentInput> =>
  FastCheck.record({
    reference: uniqueOrderReference,
    amount: positiveMoney({ currency: options?.currency ?? "INR", max: options?.maxAmount ?? 10 ** 9 }),
    method: options?.method ?? paymentMethod,
    idempotencyKey: uniqueIdempotencyKey
  })

// ---------------------------------------------------------------------------------------------
// Payments, refunds and the rest of the domain
// ---------------------------------------------------------------------------------------------

/**
 * @since 0.1.0
 * @category payments
 */
export const action = Arbitrary.make(Payment.Action)
/**
 * @since 0.1.0
 * @category payments
 */
export const methodSummary = Arbitrary.make(Payment.MethodSummary)
/**
 * @since 0.1.0
 * @category payments
 */
export const declineCode = Arbitrary.make(PaymentError.DeclineCode)

/**
 * A decline whose `hard` flag agrees with core's table.
 *
 * @since 0.1.0
 * @category payments
 */
export const decline: FastCheck.Arbitrary<PaymentError.Decline> = declineCode.map((c) => PaymentError.Decline.of(c))

/** Epoch milliseconds from 2020 to 2035, integer only. */
const instant = FastCheck.integer({ min: 1_577_836_800, max: 2_051_222_400 }).map((s) => DateTime.unsafeMake(s * 1000))

/**
 * A payment whose status agrees with its ledger: nothing captured unless the status says so,
 * `Captured` means everything authorized was captured, `PartiallyCaptured` means some was.
 *
 * @since 0.1.0
 * @category payments
 */
export const payment: FastCheck.Arbitrary<Payment.Payment> = FastCheck.tuple(
  paymentRef,
  orderReference,
  money({ min: 1, max: 10 ** 9 }),
  FastCheck.constantFrom(...(["automatic", "manual"] as const)),
  methodSummary,
  instant,
  FastCheck.constantFrom(...StateMachine.paymentStatuses),
  action,
  decline,
  FastCheck.nat({ max: 10 ** 9 }),
  FastCheck.nat({ max: 10 ** 9 })
).map(consistentPayment)

function consistentPayment([ref, reference, amount, captureMode, method, createdAt, tag, act, dec, x, y]: readonly [
  Ids.PaymentRef,
  Ids.OrderReference,
  Money.Money,
  Payment.CaptureMode,
  Payment.MethodSummary,
  DateTime.Utc,
  Payment.StatusTag,
  Payment.Action,
  PaymentError.Decline,
  number,
  number
]): Payment.Payment {
  const a = amount.amount
  const c = amount.currency
  const zero = Money.zero(c)
  const m = (n: number) => Money.unsafeMake(n, c)
  // Two free numbers pick a captured and a refunded amount consistent with the status.
  const partial = a > 1 ? 1 + (x % (a - 1)) : 0
  const refunded = (of: number) => (of === 0 ? 0 : y % (of + 1))
  const build = (status: Payment.PaymentStatus, l: Ledger.Ledger) =>
    Payment.Payment.make({ ref, reference, amount, ledger: l, captureMode, method, status, createdAt })
  const held = Ledger.Ledger.make({ authorized: amount, captured: zero, refunded: zero })
  switch (tag) {
    case "RequiresAction":
      return build({ _tag: "RequiresAction", action: act }, Ledger.empty(c))
    case "Processing":
      return build({ _tag: "Processing" }, Ledger.empty(c))
    case "Failed":
      return build({ _tag: "Failed", decline: dec }, Ledger.empty(c))
    case "Unknown":
      return build({ _tag: "Unknown", since: createdAt }, Ledger.empty(c))
    case "Authorized":
      return build({ _tag: "Authorized", expiresAt: DateTime.add(createdAt, { days: 7 }) }, held)
    case "Voided":
      return build({ _tag: "Voided" }, held)
    case "Expired":
      return build({ _tag: "Expired" }, held)
    case "PartiallyCaptured":
      return a > 1
        ? build(
            { _tag: "PartiallyCaptured" },
            Ledger.Ledger.make({ authorized: amount, captured: m(partial), refunded: m(refunded(partial)) })
          )
        : build({ _tag: "Authorized" }, held)
    case "Captured":
      return build(
        { _tag: "Captured" },
        Ledger.Ledger.make({ authorized: amount, captured: amount, refunded: m(refunded(a)) })
      )
  }
}

/**
 * A refund of a positive amount.
 *
 * @since 0.1.0
 * @category payments
 */
export const refund: FastCheck.Arbitrary<Refund.Refund> = FastCheck.tuple(
  refundRef,
  positiveMoney({ max: 10 ** 9 }),
  Arbitrary.make(Refund.RefundStatus),
  instant
).map(([ref, amount, status, createdAt]) => Refund.Refund.make({ ref, amount, status, createdAt }))

/**
 * @since 0.1.0
 * @category domain
 */
export const customer = Arbitrary.make(CustomerModel)
/**
 * @since 0.1.0
 * @category domain
 */
export const address = Arbitrary.make(Address)
/**
 * @since 0.1.0
 * @category domain
 */
export const instrument = Arbitrary.make(InstrumentModel)
/**
 * @since 0.1.0
 * @category domain
 */
export const cryptogram = Arbitrary.make(CryptogramModel)
/**
 * @since 0.1.0
 * @category errors
 */
export const paymentError = Arbitrary.make(PaymentError.PaymentError)

/**
 * A verified webhook event of any kind, carrying a consistent payment, refund or instrument.
 *
 * @since 0.1.0
 * @category webhooks
 */
export const webhookEvent: FastCheck.Arbitrary<WebhookEvent.WebhookEvent> = FastCheck.tuple(
  FastCheck.stringMatching(/^evt_[a-z0-9]{4,20}$/),
  FastCheck.constantFrom("memory", "cashfree", "cybersource"),
  instant
).chain(([eventId, provider, occurredAt]) => {
  const envelope = { eventId, provider, occurredAt }
  return FastCheck.oneof(
    payment.map((p) => new WebhookEvent.PaymentUpdated({ ...envelope, eventType: "payment.updated", payment: p })),
    refund.map((r) => new WebhookEvent.RefundUpdated({ ...envelope, eventType: "refund.updated", refund: r })),
    instrument.map(
      (i) => new WebhookEvent.InstrumentUpdated({ ...envelope, eventType: "instrument.updated", instrument: i })
    )
  )
})

// ---------------------------------------------------------------------------------------------
// Invalid input, for fuzzing validation (every case must be a preflight error before any I/O)
// ---------------------------------------------------------------------------------------------

/**
 * The tags of the errors raised before any I/O.
 *
 * @since 0.1.0
 * @category invalid input
 */
export const preflightTags: ReadonlySet<string> = new Set([
  "ValidationError",
  "UnsupportedCurrency",
  "UnsupportedMethod",
  "ConfigurationError"
])

/**
 * Strings that are not order references (1–45 of `[A-Za-z0-9_-]`).
 *
 * @since 0.1.0
 * @category invalid input
 */
export const badReference: FastCheck.Arbitrary<string> = FastCheck.oneof(
  FastCheck.constant(""),
  FastCheck.string({ minLength: 46, maxLength: 80 }),
  FastCheck.string({ minLength: 1, maxLength: 20 }).map((s) => `${s} !`)
)

/**
 * Card numbers that fail validation: too short, too long, not digits, or Luhn-invalid.
 *
 * @since 0.1.0
 * @category invalid input
 */
export const badCardNumber: FastCheck.Arbitrary<string> = FastCheck.oneof(
  FastCheck.stringMatching(/^\d{1,11}$/),
  FastCheck.stringMatching(/^\d{20,30}$/),
  FastCheck.string({ minLength: 1, maxLength: 19 }).filter((s) => !/^[\d ]+$/.test(s)),
  // Luhn-invalid: a valid number with its check digit bumped
  FastCheck.constantFrom("4111111111111112", "5555555555554445", "378282246310006")
)

/**
 * Expiries that fail validation: impossible months, past years, fractional months.
 *
 * @since 0.1.0
 * @category invalid input
 */
export const badExpiry: FastCheck.Arbitrary<{ readonly month: number; readonly year: number }> = FastCheck.oneof(
  FastCheck.record({ month: FastCheck.integer({ min: 13, max: 1000 }), year: FastCheck.constant(2031) }),
  FastCheck.record({ month: FastCheck.integer({ min: -1000, max: 0 }), year: FastCheck.constant(2031) }),
  FastCheck.record({ month: FastCheck.constant(1), year: FastCheck.integer({ min: 1900, max: 2020 }) }),
  FastCheck.record({
    month: FastCheck.double({ noNaN: false }).filter((d) => !Number.isInteger(d)),
    year: FastCheck.constant(2031)
  })
)

/**
 * CVVs of the wrong length.
 *
 * @since 0.1.0
 * @category invalid input
 */
export const badCvv: FastCheck.Arbitrary<string> = FastCheck.oneof(
  FastCheck.stringMatching(/^\d{0,2}$/),
  FastCheck.stringMatching(/^\d{5,9}$/)
)
