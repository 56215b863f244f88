/**
 * The Cashfree sandbox's "magic values", and what each one does in the emulator.
 *
 * Sources: providers/cashfree.md §5 (sandbox cards, OTP `111000`, `…@gocash` VPAs, netbanking
 * `TESTR`/`3333`, test phone), the spec's examples (card 4111111111111111) and the documented
 * decline bodies (`error_details` with `TRANSACTION_DECLINED`/`auth_declined`/`customer`,
 * `TRANSACTION_DECLINED`/`bank_rejected`/`bank`, `ISSUER_NOT_AVAILABLE`, raw `ZM` "INVALID /
 * INCORRECT MPIN").
 *
 * Cashfree's sandbox asks every documented test card for OTP `111000`. The emulator keeps that for
 * the documented cards except four that Payport's in-memory provider treats as frictionless
 * (`TestData.successCards`: 4111111111111111, 5105105105105100, 4576238912771450,
 * 6074825972083818), so one fixture behaves the same against both; any other Luhn-valid card is
 * frictionless too. Cashfree publishes no card per decline reason, so the declining cards are the
 * ones `TestData.decliningCards` uses; their `error_code` is one Cashfree documents
 * (`TRANSACTION_DECLINED`, `ISSUER_NOT_AVAILABLE`) and the finer reason is in `error_reason` and
 * the ISO 8583 `error_code_raw`.
 */
import * as Currency from "@payport/core/Currency"
import type { CurrencyCode } from "@payport/core/Currency"
import * as Prng from "../../Prng.js"

/**
 * The currencies an order may be in: INR (the default when `order_currency` is left empty) and the
 * international currencies Cashfree documents for collecting from abroad. Cashfree enables others
 * only on request ("Contact care@cashfree.com to enable new currencies"), so any other ISO code is
 * 400 `order_currency_invalid`.
 */
export const currencies: ReadonlyArray<CurrencyCode> =
  "INR AED AUD CAD CHF CNY EUR GBP HKD JPY NOK NZD QAR SAR SGD THB USD ZAR".split(" ").filter(Currency.isCurrencyCode)

/** A payment's `error_details`. */
export interface ErrorDetails {
  readonly error_code: string
  readonly error_description: string
  readonly error_reason: string
  readonly error_source: string
  readonly error_code_raw: string
  readonly error_description_raw: string
  readonly error_subcode_raw: string
}

/** How an attempt ends once the payer (or the issuer) has acted. */
export type Outcome =
  | { readonly _tag: "success" }
  | { readonly _tag: "failed"; readonly message: string; readonly error: ErrorDetails }
  | { readonly _tag: "dropped"; readonly message: string; readonly error: ErrorDetails }

/** Success. */
export const success: Outcome = { _tag: "success" }

const details = (
  error_code: string,
  error_description: string,
  error_reason: string,
  error_source: string,
  error_code_raw: string,
  error_description_raw: string
): ErrorDetails => ({
  error_code,
  error_description,
  error_reason,
  error_source,
  error_code_raw,
  error_description_raw,
  error_subcode_raw: ""
})

const failed = (message: string, error: ErrorDetails): Outcome => ({ _tag: "failed", message, error })

/** The OTP that completes a headless (`post` channel) card payment. */
export const OTP = "111000"

/** Wrong OTPs allowed before the payment fails. */
export const MAX_OTP_ATTEMPTS = 3

/** The sandbox netbanking bank. */
export const testBank = { code: 3333, name: "TESTR", displayName: "TEST Bank" } as const

/** The issuing bank reported for test cards. */
export const testCardBank = "TEST Bank"

/** Declines by name, reused by cards, VPAs and `/simulate` error codes. */
export const declines = {
  doNotHonour: failed(
    "Transaction declined by issuer",
    details(
      "TRANSACTION_DECLINED",
      "issuer bank or payment service provider declined the transaction",
      "auth_declined",
      "customer",
      "05",
      "DO NOT HONOUR"
    )
  ),
  insufficientFunds: failed(
    "Insufficient funds",
    details(
      "TRANSACTION_DECLINED",
      "insufficient balance in the customer's account",
      "insufficient_funds",
      "customer",
      "51",
      "INSUFFICIENT FUNDS"
    )
  ),
  expiredCard: failed(
    "Card expired",
    details("TRANSACTION_DECLINED", "the card has expired", "card_expired", "customer", "54", "EXPIRED CARD")
  ),
  incorrectCvv: failed(
    "Incorrect card details",
    details(
      "TRANSACTION_DECLINED",
      "the card details entered are incorrect",
      "invalid_card_details",
      "customer",
      "N7",
      "DECLINE FOR CVV2 FAILURE"
    )
  ),
  lostOrStolen: failed(
    "Card blocked",
    details(
      "TRANSACTION_DECLINED",
      "the card is reported lost or stolen",
      "card_blocked",
      "bank",
      "43",
      "STOLEN CARD, PICK UP"
    )
  ),
  suspectedFraud: failed(
    "Transaction declined by risk checks",
    details(
      "TRANSACTION_DECLINED",
      "the transaction was flagged by risk checks",
      "risk_rejected",
      "bank",
      "59",
      "SUSPECTED FRAUD"
    )
  ),
  invalidCard: failed(
    "Invalid card",
    details(
      "TRANSACTION_DECLINED",
      "the card number is invalid",
      "invalid_card_details",
      "customer",
      "14",
      "INVALID CARD NUMBER"
    )
  ),
  issuerUnavailable: failed(
    "Issuer not available",
    details(
      "ISSUER_NOT_AVAILABLE",
      "issuer bank is not available to process the transaction",
      "bank_unavailable",
      "bank",
      "91",
      "ISSUER OR SWITCH INOPERATIVE"
    )
  ),
  bankRejected: failed(
    "01::REJECTED",
    details(
      "TRANSACTION_DECLINED",
      "transaction is rejected at the remitter bank end. Please reach out to issuer bank",
      "bank_rejected",
      "bank",
      "U30",
      "DEBIT HAS BEEN FAILED"
    )
  ),
  customerDeclined: failed(
    "Transaction declined by customer",
    details(
      "TRANSACTION_DECLINED",
      "the customer declined the payment request",
      "auth_declined",
      "customer",
      "ZA",
      "TRANSACTION DECLINED BY CUSTOMER"
    )
  ),
  invalidPin: failed(
    "Incorrect UPI PIN",
    details(
      "TRANSACTION_DECLINED",
      "issuer bank or payment service provider declined the transaction",
      "auth_declined",
      "customer",
      "ZM",
      "INVALID / INCORRECT MPIN"
    )
  ),
  collectExpired: failed(
    "Collect request expired",
    details(
      "TRANSACTION_DECLINED",
      "the collect request expired before the customer approved it",
      "collect_expired",
      "customer",
      "U69",
      "COLLECT EXPIRED"
    )
  ),
  authenticationFailed: failed(
    "OTP verification failed",
    details(
      "TRANSACTION_DECLINED",
      "the customer failed authentication",
      "authentication_failed",
      "customer",
      "OTP",
      "OTP VERIFICATION FAILED"
    )
  )
} as const

/** What the payer's "Decline" button does. */
export const payerDeclined: Outcome = declines.customerDeclined

/** The outcome of `USER_DROPPED`. */
export const userDropped: Outcome = {
  _tag: "dropped",
  message: "User dropped and did not complete the payment",
  error: details(
    "USER_DROPPED",
    "user dropped and did not complete the two factor authentication",
    "user_dropped",
    "customer",
    "",
    ""
  )
}

/** A card network, as Cashfree names it in `instrument_meta.card_network`. */
export type Network = "VISA" | "MASTERCARD" | "RUPAY" | "AMEX" | "DINERS"

/** What the emulator knows about a card number. */
export interface CardProfile {
  readonly network: Network
  readonly type: "credit_card" | "debit_card" | "prepaid_card"
  /** True when the issuer asks for OTP / 3-D Secure before authorising. */
  readonly authentication: boolean
  /** Present for cards the issuer declines. */
  readonly decline?: Outcome
}

type Row = readonly [type: CardProfile["type"], authentication: boolean, decline?: Outcome]

const cardTable: { readonly [number: string]: Row } = {
  // Frictionless (spec example card and Payport TestData.successCards).
  "4111111111111111": ["credit_card", false],
  "5105105105105100": ["credit_card", false],
  "4576238912771450": ["credit_card", false],
  "6074825972083818": ["debit_card", false],
  // Cashfree sandbox cards (providers/cashfree.md §5): OTP 111000.
  "4706131211212123": ["debit_card", true],
  "4062288312345026": ["debit_card", true],
  "4444333322221111": ["credit_card", true],
  "4466050254381183": ["credit_card", true],
  "4136880012657791": ["credit_card", true],
  "4074970084343075": ["credit_card", true],
  "4770355457382883": ["credit_card", true],
  "5409162669381034": ["debit_card", true],
  "5445856839524391": ["debit_card", true],
  "5176539438527826": ["credit_card", true],
  "5242535837492075": ["credit_card", true],
  "5203860658394375": ["credit_card", true],
  "5552190758372734": ["credit_card", true],
  "5506908329471983": ["credit_card", true],
  "6074828163369590": ["debit_card", true],
  "6528591234543575": ["credit_card", true],
  "65292523412356": ["credit_card", true],
  // The 3-D Secure card of TestData: needs the payer's browser (or OTP on the post channel).
  "4000000000003220": ["credit_card", true],
  // Declining cards (TestData.decliningCards), declined without an authentication step.
  "4000000000000002": ["credit_card", false, declines.doNotHonour],
  "4000000000009995": ["credit_card", false, declines.insufficientFunds],
  "4000000000000069": ["credit_card", false, declines.expiredCard],
  "4000000000000127": ["credit_card", false, declines.incorrectCvv],
  "4000000000009987": ["credit_card", false, declines.lostOrStolen],
  "4100000000000019": ["credit_card", false, declines.suspectedFraud],
  "4000000000000119": ["credit_card", false, declines.issuerUnavailable],
  "42423482938483873": ["credit_card", false, declines.invalidCard]
}

const networkOf = (number: string): Network => {
  if (/^3[47]/.test(number)) return "AMEX"
  if (/^3(?:0[0-5]|[68])/.test(number)) return "DINERS"
  if (/^4/.test(number)) return "VISA"
  if (/^(?:5[1-5]|2[2-7])/.test(number)) return "MASTERCARD"
  return "RUPAY"
}

/** True when `number` passes the Luhn check: its last digit is the check digit of the rest. */
export const luhnValid = (number: string): boolean =>
  number.length > 1 && Prng.luhnCheckDigit(number.slice(0, -1)) === number.slice(-1)

/** What the emulator does with a card number (unknown cards: frictionless credit cards). */
export const cardProfile = (number: string): CardProfile => {
  const row = cardTable[number]
  const network = networkOf(number)
  if (row === undefined) return { network, type: "credit_card", authentication: false }
  const [type, authentication, decline] = row
  return decline === undefined ? { network, type, authentication } : { network, type, authentication, decline }
}

/** Cards the documents list as test cards (the table above) are accepted even if not Luhn-valid. */
export const isKnownCard = (number: string): boolean => cardTable[number] !== undefined

/** What a UPI VPA does: refused when the collect request is made, or the outcome of approval. */
export type VpaBehaviour = { readonly _tag: "refused" } | { readonly _tag: "outcome"; readonly outcome: Outcome }

const vpaTable: { readonly [vpa: string]: VpaBehaviour } = {
  "testsuccess@gocash": { _tag: "outcome", outcome: success },
  "testtpvsuccess@gocash": { _tag: "outcome", outcome: success },
  "testfailure@gocash": { _tag: "outcome", outcome: declines.bankRejected },
  "testtpvfail@gocash": { _tag: "outcome", outcome: declines.bankRejected },
  "testinvalid@gocash": { _tag: "refused" },
  "testdeclineuser@gocash": { _tag: "outcome", outcome: declines.customerDeclined },
  "testexpired@gocash": { _tag: "outcome", outcome: declines.collectExpired },
  "testtimeoutbank@gocash": { _tag: "outcome", outcome: declines.issuerUnavailable },
  "testnetworkerror@gocash": { _tag: "outcome", outcome: declines.issuerUnavailable },
  "testinsufficientfunds@gocash": { _tag: "outcome", outcome: declines.insufficientFunds },
  "testbankdeclined@gocash": { _tag: "outcome", outcome: declines.bankRejected },
  "testriskflagged@gocash": { _tag: "outcome", outcome: declines.suspectedFraud },
  "testinvalidpin@gocash": { _tag: "outcome", outcome: declines.invalidPin },
  "testuserdropped@gocash": { _tag: "outcome", outcome: userDropped }
}

/** What `vpa` does (unknown, well-formed VPAs approve). */
export const vpaBehaviour = (vpa: string): VpaBehaviour =>
  vpaTable[vpa.toLowerCase()] ?? { _tag: "outcome", outcome: success }

const declinesByCode: { readonly [code: string]: Outcome } = {
  TRANSACTION_DECLINED: declines.doNotHonour,
  ISSUER_NOT_AVAILABLE: declines.issuerUnavailable
}

/**
 * The failure `/simulate` produces for `payment_error_code` (documented codes get their documented
 * details; any other code is reported as given).
 */
export const simulatedFailure = (code: string | undefined): Outcome => {
  if (code === undefined || code === "") return declines.doNotHonour
  const known = declinesByCode[code]
  if (known !== undefined) return known
  return failed(
    "Transaction failed",
    details(code, "the transaction failed (simulated)", "simulated", "customer", "", "")
  )
}

/** Token-vault BINs (providers/cashfree.md §5) per network, for network-token PANs. */
export const tokenBins: { readonly [N in Network]: string } = {
  VISA: "470613",
  MASTERCARD: "559423",
  RUPAY: "607482",
  AMEX: "374245",
  DINERS: "305693"
}

/** The UPI payee VPA the emulator's deep links pay. */
export const payeeVpa = "cashfree@testbank"
