/**
 * Payport requests → Cashfree request bodies: create order, Order Pay's `payment_method` for every
 * method in the seed documents, refunds. Checks what Cashfree documents before any I/O, so a body
 * that Cashfree would refuse fails here as a `ValidationError` / `UnsupportedMethod` instead.
 *
 * Card numbers, CVVs, token PANs and cryptograms are read from `Redacted` only inside the body
 * thunks, which the client calls at send time.
 */
import * as Currency from "@payport/core/Currency"
import type { Address } from "@payport/core/Customer"
import * as Money from "@payport/core/Money"
import type { CaptureMode } from "@payport/core/Payment"
import { UnsupportedMethod, ValidationError } from "@payport/core/PaymentError"
import type * as PaymentMethod from "@payport/core/PaymentMethod"
import type * as PaymentRequest from "@payport/core/PaymentRequest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import type { Config } from "../CashfreeClient.js"
import { PROVIDER } from "./mapping.js"
import { Decimal, type JsonValue } from "./wire.js"

/** `App.provider` (SPEC25 enum): wallets. */
export const walletProviders = [
  "gpay",
  "phonepe",
  "ola",
  "paytm",
  "amazon",
  "airtel",
  "freecharge",
  "mobikwik",
  "jio"
] as const

/** `Paylater.provider` (SPEC25 enum). */
export const payLaterProviders = [
  "kotak",
  "flexipay",
  "zestmoney",
  "lazypay",
  "olapostpaid",
  "simpl",
  "freechargepaylater"
] as const

/** `CardlessEMI.provider` (SPEC25 enum). */
export const cardlessEmiProviders = [
  "flexmoney",
  "zestmoney",
  "hdfc",
  "icici",
  "cashe",
  "idfc",
  "kotak",
  "snapmint",
  "bharatx"
] as const

/** `CardEMI.card_bank_name` (SPEC25 enum). */
export const emiBanks = [
  "hdfc",
  "kotak",
  "icici",
  "rbl",
  "bob",
  "standard chartered",
  "axis",
  "au",
  "yes",
  "sbi",
  "fed",
  "hsbc",
  "citi",
  "amex"
] as const

/**
 * The methods that can hold funds (Cashfree pre-authorization covers cards and UPI; the hold is
 * placed through the `link` channel).
 */
export const holdableMethods: { readonly [K in PaymentMethod.MethodKind]: boolean } = {
  Card: true,
  SavedCard: true,
  NetworkToken: true,
  Upi: true,
  Netbanking: false,
  Wallet: false,
  CardEmi: false,
  PayLater: false,
  CardlessEmi: false
}

/** The `order_note` Cashfree documents for pre-authorization orders in the sandbox. */
export const PREAUTH_NOTE = "preauth_transaction"

const invalid = (operation: string, field: string, reason: string) =>
  Effect.fail(new ValidationError({ provider: PROVIDER, operation, field, reason }))

const oneOf = <const T extends string>(
  operation: string,
  field: string,
  value: string,
  allowed: ReadonlyArray<T>
): Effect.Effect<T, ValidationError> => {
  const normalised = value.trim().toLowerCase()
  const found = allowed.find((candidate) => candidate === normalised)
  return found === undefined ? invalid(operation, field, `must be one of ${allowed.join(", ")}`) : Effect.succeed(found)
}

/** Cashfree phones are 10 digits; an Indian number written with `+91` or `91` is accepted too. */
export const phone = (operation: string, field: string, value: string): Effect.Effect<string, ValidationError> => {
  const digits = value.replace(/[\s-]/g, "")
  const match = /^(?:\+?91)?(\d{10})$/.exec(digits)
  return match?.[1] === undefined
    ? invalid(operation, field, "must be a 10-digit phone number")
    : Effect.succeed(match[1])
}

const pad2 = (n: number) => String(n).padStart(2, "0")
const yy = (year: number) => pad2(year % 100)

/** What Order Pay needs about the method, with the body built at send time. */
export interface PayMethod {
  readonly body: () => JsonValue
  /** The VPA of a UPI collect, for the action. */
  readonly vpa?: string | undefined
  /** Order Pay's `offer_id`, from the `offer_id` provider option. */
  readonly offerId?: string | undefined
}

/**
 * The options the adapter reads under `providerOptions.cashfree` (core refuses any other):
 * `order_tags` (string tags on the order), `offer_id` (an offer created at Cashfree, applied by
 * Order Pay), `channel` (`post` or `link` for an entered card, overriding `cardChannel`).
 */
export const providerOptionNames: ReadonlyArray<string> = ["order_tags", "offer_id", "channel"]

const providerOption = (request: PaymentRequest.CreatePayment, name: string): unknown =>
  request.providerOptions?.[PROVIDER]?.[name]

const optionField = (name: string) => `providerOptions.${PROVIDER}.${name}`

/** Cashfree's cardless EMI providers that need `emi_tenure` (SPEC25 `CardlessEMI.emi_tenure`). */
const tenureRequired: ReadonlyArray<string> = ["hdfc", "icici", "cashe", "idfc", "kotak"]

/** The card channel a request asks for, refusing what it cannot be. */
const cardChannel = (
  request: PaymentRequest.CreatePayment,
  config: Config,
  operation: string
): Effect.Effect<"post" | "link", ValidationError> => {
  const option = providerOption(request, "channel")
  if (option === undefined) return Effect.succeed(request.captureMode === "manual" ? "link" : config.cardChannel)
  if (option !== "post" && option !== "link") return invalid(operation, optionField("channel"), "must be post or link")
  if (request.method._tag !== "Card") {
    return invalid(operation, optionField("channel"), "applies to an entered card only")
  }
  if (request.captureMode === "manual" && option === "post") {
    return invalid(operation, optionField("channel"), "a hold goes through the link channel")
  }
  return Effect.succeed(option)
}

const offerId = (request: PaymentRequest.CreatePayment, operation: string) => {
  const option = providerOption(request, "offer_id")
  return option === undefined || (typeof option === "string" && /^[A-Za-z0-9_-]{1,50}$/.test(option))
    ? Effect.succeed(option)
    : invalid(operation, optionField("offer_id"), "must be a Cashfree offer id (1 to 50 letters, digits, '_' or '-')")
}

/**
 * Order Pay's `payment_method` for a request, or a preflight error. `captureMode: "manual"`
 * forces the `link` channel (and `authorize_only` for UPI), as pre-authorization requires.
 */
export const payMethod = (
  request: PaymentRequest.CreatePayment,
  config: Config,
  operation: string
): Effect.Effect<PayMethod, ValidationError | UnsupportedMethod> =>
  Effect.gen(function* () {
    const method = request.method
    const manual = request.captureMode === "manual"
    // Order Pay has no merchant-initiated (stored-credential) payment: the payer is always present.
    if (request.initiator?._tag === "Merchant") {
      return yield* new UnsupportedMethod({ provider: PROVIDER, operation, method: "merchant-initiated payment" })
    }
    if (manual && !holdableMethods[method._tag]) {
      return yield* new UnsupportedMethod({ provider: PROVIDER, operation, method: method._tag })
    }
    const channel = yield* cardChannel(request, config, operation)
    const offer = yield* offerId(request, operation)
    const paid = yield* payMethodBody(request, channel, operation)
    return offer === undefined ? paid : { ...paid, offerId: offer }
  })

const payMethodBody = (
  request: PaymentRequest.CreatePayment,
  channel: "post" | "link",
  operation: string
): Effect.Effect<PayMethod, ValidationError> =>
  Effect.gen(function* () {
    const method = request.method
    const manual = request.captureMode === "manual"
    switch (method._tag) {
      case "Card": {
        return {
          body: () => ({
            card: {
              channel,
              card_number: Redacted.value(method.number).replace(/[\s-]/g, ""),
              card_holder_name: method.holder,
              card_expiry_mm: pad2(method.expiry.month),
              card_expiry_yy: yy(method.expiry.year),
              card_cvv: method.cvv === undefined ? undefined : Redacted.value(method.cvv)
            }
          })
        }
      }
      case "SavedCard":
        return {
          body: () => ({
            card: {
              channel: "link",
              instrument_id: method.instrumentId,
              card_cvv: method.cvv === undefined ? undefined : Redacted.value(method.cvv)
            }
          })
        }
      case "NetworkToken":
        return {
          body: () => {
            const pan = Redacted.value(method.tokenPan).replace(/[\s-]/g, "")
            return {
              card: {
                channel: "link",
                card_number: pan,
                card_expiry_mm: pad2(method.expiry.month),
                card_expiry_yy: yy(method.expiry.year),
                cryptogram: Redacted.value(method.cryptogram),
                token_requestor_id: method.tokenRequestorId,
                card_display: pan.slice(-4)
              }
            }
          }
        }
      case "Upi": {
        const upiChannel = { collect: "collect", intent: "link", qr: "qrcode" }[method.channel]
        const expiry = method.collectExpiryMinutes
        if (expiry !== undefined && (expiry < 5 || expiry > 15)) {
          return yield* invalid(operation, "method.collectExpiryMinutes", "must be 5 to 15 minutes at Cashfree")
        }
        return {
          vpa: method.vpa,
          body: () => ({
            upi: {
              channel: upiChannel,
              upi_id: method.channel === "collect" ? method.vpa : undefined,
              upi_expiry_minutes: expiry,
              authorize_only: manual ? true : undefined
            }
          })
        }
      }
      case "Netbanking": {
        const code = method.bankCode.trim()
        if (/^\d{4}$/.test(code))
          return { body: () => ({ netbanking: { channel: "link", netbanking_bank_code: Number(code) } }) }
        if (/^[A-Z]{5}$/.test(code))
          return { body: () => ({ netbanking: { channel: "link", netbanking_bank_name: code } }) }
        return yield* invalid(
          operation,
          "method.bankCode",
          "must be a 4-digit Cashfree bank code or a 5-letter bank name"
        )
      }
      case "Wallet": {
        const provider = yield* oneOf(operation, "method.provider", method.provider, walletProviders)
        const number = yield* phone(operation, "method.phone", method.phone)
        return { body: () => ({ app: { channel: "link", provider, phone: number } }) }
      }
      case "PayLater": {
        const provider = yield* oneOf(operation, "method.provider", method.provider, payLaterProviders)
        const number = yield* phone(operation, "method.phone", method.phone)
        return { body: () => ({ paylater: { channel: "link", provider, phone: number } }) }
      }
      case "CardlessEmi": {
        const provider = yield* oneOf(operation, "method.provider", method.provider, cardlessEmiProviders)
        const number = yield* phone(operation, "method.phone", method.phone)
        const tenure = method.tenureMonths
        if (tenure === undefined && tenureRequired.includes(provider)) {
          return yield* invalid(operation, "method.tenureMonths", `is required for ${provider} at Cashfree`)
        }
        return {
          body: () => ({ cardless_emi: { channel: "link", provider, phone: number, emi_tenure: tenure } })
        }
      }
      case "CardEmi": {
        const bank = yield* oneOf(operation, "method.bank", method.bank, emiBanks)
        const cvv = method.cvv
        if (cvv === undefined) return yield* invalid(operation, "method.cvv", "is required for card EMI")
        return {
          body: () => ({
            emi: {
              channel: "link",
              card_number: Redacted.value(method.number).replace(/[\s-]/g, ""),
              card_holder_name: method.holder,
              card_expiry_mm: pad2(method.expiry.month),
              card_expiry_yy: yy(method.expiry.year),
              card_cvv: Redacted.value(cvv),
              card_bank_name: bank,
              emi_tenure: method.tenureMonths
            }
          })
        }
      }
    }
  })

/** `customer_details`, from the request's customer or the configured guest. */
export const customerDetails = (
  request: PaymentRequest.CreatePayment,
  config: Config,
  operation: string
): Effect.Effect<{ readonly [key: string]: JsonValue | undefined }, ValidationError> =>
  Effect.gen(function* () {
    const customer = request.customer
    const id = customer?.id ?? config.guestCustomer?.id
    const phoneText = customer?.phone ?? config.guestCustomer?.phone
    if (id === undefined) {
      return yield* invalid(operation, "customer", "is required by Cashfree (or configure a guest customer)")
    }
    if (!/^[A-Za-z0-9_-]{3,50}$/.test(id)) {
      return yield* invalid(operation, "customer.id", "must be 3 to 50 letters, digits, '_' or '-' at Cashfree")
    }
    if (phoneText === undefined) {
      return yield* invalid(operation, "customer.phone", "is required by Cashfree (or configure a guest customer)")
    }
    const number = yield* phone(operation, "customer.phone", phoneText)
    if (customer?.name !== undefined && (customer.name.length < 3 || customer.name.length > 100)) {
      return yield* invalid(operation, "customer.name", "must be 3 to 100 characters at Cashfree")
    }
    return {
      customer_id: id,
      customer_phone: number,
      customer_email: customer?.email,
      customer_name: customer?.name
    }
  })

/** The create-order body. */
export const orderBody = (
  request: PaymentRequest.CreatePayment,
  customer: { readonly [key: string]: JsonValue | undefined },
  operation: string
): Effect.Effect<() => JsonValue, ValidationError> =>
  Effect.gen(function* () {
    if (request.reference.length < 3) {
      return yield* invalid(operation, "reference", "must be 3 to 45 characters at Cashfree")
    }
    const description = request.description
    if (description !== undefined && (description.length < 3 || description.length > 200)) {
      return yield* invalid(operation, "description", "must be 3 to 200 characters at Cashfree")
    }
    if (request.amount.amount < 10 ** Currency.exponent(request.amount.currency)) {
      return yield* invalid(operation, "amount", "must be at least 1 at Cashfree")
    }
    const captureMode: CaptureMode = request.captureMode
    const tags = providerOption(request, "order_tags")
    if (tags !== undefined && !isStringRecord(tags)) {
      return yield* invalid(operation, optionField("order_tags"), "must be a record of string tags")
    }
    const billing = request.billing
    return () => ({
      order_id: request.reference,
      order_amount: new Decimal(Money.toDecimal(request.amount)),
      order_currency: request.amount.currency,
      customer_details: customer,
      order_meta:
        request.returnUrl === undefined && request.notifyUrl === undefined
          ? undefined
          : { return_url: request.returnUrl, notify_url: request.notifyUrl },
      order_note: captureMode === "manual" ? PREAUTH_NOTE : description,
      order_tags: tags,
      cart_details: billing === undefined ? undefined : { customer_billing_address: billingAddress(billing) }
    })
  })

/** A billing address as SPEC25's `CartAddress` (the order's `cart_details.customer_billing_address`). */
const billingAddress = (address: Address): { readonly [key: string]: JsonValue | undefined } => ({
  full_name: `${address.firstName} ${address.lastName}`.trim(),
  address_1: address.line1,
  address_2: address.line2,
  city: address.city,
  state: address.region,
  pincode: address.postalCode,
  country: address.country
})

const isStringRecord = (value: unknown): value is { readonly [key: string]: string } =>
  typeof value === "object" &&
  value !== null &&
  !Array.isArray(value) &&
  Object.values(value).every((entry) => typeof entry === "string")

/**
 * The merchant refund id: the caller's reference, else one derived from the idempotency key (so a
 * retried refund reuses it and Cashfree refuses a second refund with the same id).
 */
export const refundId = (request: PaymentRequest.Refund, operation: string): Effect.Effect<string, ValidationError> => {
  if (request.reference !== undefined) {
    return request.reference.length >= 3
      ? Effect.succeed(request.reference)
      : invalid(operation, "reference", "must be 3 to 40 characters at Cashfree")
  }
  return Effect.succeed(`rf_${request.idempotencyKey.replace(/[^A-Za-z0-9]/g, "").slice(0, 37)}`)
}

/** The refund body. */
export const refundBody = (
  request: PaymentRequest.Refund,
  id: string,
  operation: string
): Effect.Effect<() => JsonValue, ValidationError> => {
  const note = request.reason
  if (note !== undefined && (note.length < 3 || note.length > 100)) {
    return invalid(operation, "reason", "must be 3 to 100 characters at Cashfree")
  }
  // `refund_speed` is left to Cashfree's default (STANDARD): the port has no speed to ask for.
  return Effect.succeed(() => ({
    refund_amount: new Decimal(Money.toDecimal(request.amount)),
    refund_id: id,
    refund_note: note
  }))
}
