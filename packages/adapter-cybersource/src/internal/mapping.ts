/**
 * CyberSource codes → Payport meanings, as total tables over every documented value
 * (providers/cybersource.md §2–§3, the 2020 swagger's "Possible values", the Node SDK docs).
 * Values the documents do not list fall back to the most cautious meaning, never to a success.
 */
import type { DeclineCode } from "@payport/core/PaymentError"
import type { CardNetwork } from "@payport/core/PaymentMethod"
import * as PaymentRequest from "@payport/core/PaymentRequest"
import * as Processor from "@payport/core/Processor"
import * as DateTime from "effect/DateTime"
import * as Option from "effect/Option"
import type * as Wire from "./wire.js"

// ---------------------------------------------------------------------------------------------
// Transaction statuses
// ---------------------------------------------------------------------------------------------

/**
 * What a transaction status means, independently of which operation produced it:
 * - `approved`: the authorization holds funds;
 * - `review`: held for the merchant's (or Decision Manager's) review;
 * - `challenge`: the payer must authenticate (3-D Secure step-up);
 * - `declined`: no money moved;
 * - `pending`: a capture, refund or credit was accepted and waits for settlement;
 * - `settled`: it was transmitted to the processor / succeeded;
 * - `reversed`: the authorization was released; `voided`: a follow-on was cancelled;
 * - `failed`: the provider could not process it.
 */
export type StatusClass =
  | "approved"
  | "review"
  | "challenge"
  | "declined"
  | "pending"
  | "settled"
  | "reversed"
  | "voided"
  | "failed"

/** Every documented status. */
export const transactionStatuses = {
  // POST /pts/v2/payments 201 (swagger "Possible values")
  AUTHORIZED: "approved",
  PARTIAL_AUTHORIZED: "approved",
  AUTHORIZED_PENDING_REVIEW: "review",
  AUTHORIZED_RISK_DECLINED: "declined",
  PENDING_AUTHENTICATION: "challenge",
  PENDING_REVIEW: "review",
  DECLINED: "declined",
  INVALID_REQUEST: "declined",
  // captures, refunds, credits (COMPLETED: credits); payouts answer ACCEPTED
  PENDING: "pending",
  TRANSMITTED: "settled",
  COMPLETED: "settled",
  // reversals, voids (current docs add CANCELLED and FAILED)
  REVERSED: "reversed",
  VOIDED: "voided",
  CANCELLED: "voided",
  FAILED: "failed",
  // seen in TSS records and other integrations (hyperswitch status map, AM fixtures)
  SUCCEEDED: "settled",
  SETTLED: "settled",
  ACCEPTED: "pending",
  CHALLENGE: "review",
  STATUS_NOT_RECEIVED: "pending",
  REJECTED: "declined",
  SERVER_ERROR: "failed"
} as const satisfies Record<string, StatusClass>

/** A documented status. */
export type TransactionStatus = keyof typeof transactionStatuses

/** The class of a status, or `undefined` for one no document lists. */
export const statusClass = (status: string): StatusClass | undefined =>
  Object.hasOwn(transactionStatuses, status.trim().toUpperCase())
    ? transactionStatuses[status.trim().toUpperCase() as TransactionStatus]
    : undefined

// ---------------------------------------------------------------------------------------------
// Declines: 201 DECLINED errorInformation.reason
// ---------------------------------------------------------------------------------------------

/** Every documented `errorInformation.reason` of a 201 → the core decline code. */
export const declineReasons = {
  AVS_FAILED: "risk_rejected",
  CONTACT_PROCESSOR: "do_not_honor",
  EXPIRED_CARD: "expired_card",
  PROCESSOR_DECLINED: "processor_declined",
  INSUFFICIENT_FUND: "insufficient_funds",
  STOLEN_LOST_CARD: "lost_or_stolen",
  ISSUER_UNAVAILABLE: "issuer_unavailable",
  UNAUTHORIZED_CARD: "not_permitted",
  CVN_NOT_MATCH: "incorrect_cvc",
  EXCEEDS_CREDIT_LIMIT: "limit_exceeded",
  INVALID_CVN: "incorrect_cvc",
  BLOCKED_BY_CARDHOLDER: "not_permitted",
  DECLINED_CHECK: "generic_decline",
  BLACKLISTED_CUSTOMER: "risk_rejected",
  SUSPENDED_ACCOUNT: "invalid_account",
  PAYMENT_REFUSED: "do_not_honor",
  CV_FAILED: "incorrect_cvc",
  INVALID_ACCOUNT: "invalid_account",
  GENERAL_DECLINE: "generic_decline",
  INVALID_MERCHANT_CONFIGURATION: "not_permitted",
  DECISION_PROFILE_REJECT: "risk_rejected",
  SCORE_EXCEEDS_THRESHOLD: "suspected_fraud",
  PENDING_AUTHENTICATION: "authentication_required",
  ACH_VERIFICATION_FAILED: "invalid_account",
  DECISION_PROFILE_REVIEW: "risk_rejected",
  CONSUMER_AUTHENTICATION_REQUIRED: "authentication_required",
  CONSUMER_AUTHENTICATION_FAILED: "authentication_failed",
  ALLOWABLE_PIN_RETRIES_EXCEEDED: "velocity_exceeded",
  PROCESSOR_ERROR: "processor_declined",
  CUSTOMER_WATCHLIST_MATCH: "risk_rejected",
  ADDRESS_COUNTRY_WATCHLIST_MATCH: "risk_rejected",
  EMAIL_COUNTRY_WATCHLIST_MATCH: "risk_rejected",
  IP_COUNTRY_WATCHLIST_MATCH: "risk_rejected",
  DAGGREJECTED: "not_permitted",
  DAGGDENIED: "not_permitted",
  DSYSREJECTED: "processor_declined",
  // payouts (same errorInformation schema)
  RISK_CONTROL_DECLINE: "risk_rejected",
  PROCESSOR_RISK_CONTROL_DECLINE: "risk_rejected"
} as const satisfies Record<string, DeclineCode>

/** The decline code of a reason; an unlisted (or absent) reason is a generic decline. */
export const declineCode = (reason: string | undefined): DeclineCode => {
  const key = (reason ?? "").trim().toUpperCase()
  return Object.hasOwn(declineReasons, key) ? declineReasons[key as keyof typeof declineReasons] : "generic_decline"
}

// ---------------------------------------------------------------------------------------------
// PTS 400 INVALID_REQUEST reasons
// ---------------------------------------------------------------------------------------------

/** What a rejected request means to the caller. */
export type Rejection =
  | { readonly _tag: "InvalidRequest"; readonly field?: string }
  | { readonly _tag: "InvalidState" }
  | { readonly _tag: "NotFound" }
  | { readonly _tag: "Declined"; readonly code: DeclineCode }
  | { readonly _tag: "Unavailable" }
  | { readonly _tag: "Configuration" }

const invalid: Rejection = { _tag: "InvalidRequest" }
const state: Rejection = { _tag: "InvalidState" }

/** Every documented 400 `reason` of payments, captures, reversals, voids and refunds. */
export const invalidRequestReasons = {
  MISSING_FIELD: invalid,
  INVALID_DATA: invalid,
  // CyberSource's duplicate check (merchant reference within 15 minutes): nothing new happened.
  DUPLICATE_REQUEST: invalid,
  INVALID_CARD: { _tag: "Declined", code: "invalid_number" },
  CARD_TYPE_NOT_ACCEPTED: { _tag: "Declined", code: "card_not_supported" },
  INVALID_MERCHANT_CONFIGURATION: { _tag: "Configuration" },
  // The processor was not reached, so nothing executed: safe to retry.
  PROCESSOR_UNAVAILABLE: { _tag: "Unavailable" },
  INVALID_AMOUNT: { _tag: "InvalidRequest", field: "amount" },
  INVALID_CARD_TYPE: { _tag: "Declined", code: "card_not_supported" },
  INVALID_PAYMENT_ID: { _tag: "NotFound" },
  NOT_SUPPORTED: invalid,
  DEBIT_CARD_USEAGE_EXCEEDD_LIMIT: { _tag: "Declined", code: "limit_exceeded" },
  // captures and reversals
  EXCEEDS_AUTH_AMOUNT: state,
  AUTH_ALREADY_REVERSED: state,
  TRANSACTION_ALREADY_SETTLED: state,
  MISSING_AUTH: state,
  TRANSACTION_ALREADY_REVERSED_OR_SETTLED: state,
  // voids
  NOT_VOIDABLE: state,
  // refunds
  CAPTURE_ALREADY_VOIDED: state,
  ACCOUNT_NOT_ALLOWED_CREDIT: state
} as const satisfies Record<string, Rejection>

/** The rejection of a 400 reason; an unlisted reason is an invalid request. */
export const rejection = (reason: string | undefined): Rejection => {
  const key = (reason ?? "").trim().toUpperCase()
  return Object.hasOwn(invalidRequestReasons, key)
    ? invalidRequestReasons[key as keyof typeof invalidRequestReasons]
    : invalid
}

// ---------------------------------------------------------------------------------------------
// 5xx SERVER_ERROR reasons
// ---------------------------------------------------------------------------------------------

/**
 * 502 `reason`s. None of them says the request did not execute: CyberSource asks merchants not to
 * resend after a server timeout before checking status, and a `SYSTEM_ERROR` body has been seen
 * carrying a transaction id. So every one is ambiguous for a mutation (reconcile or
 * `OutcomeUnknown`) and transient for a read.
 */
export const serverErrorReasons = {
  SYSTEM_ERROR: "ambiguous",
  SERVER_TIMEOUT: "ambiguous",
  SERVICE_TIMEOUT: "ambiguous"
} as const satisfies Record<string, "ambiguous">

// ---------------------------------------------------------------------------------------------
// HTTP statuses outside the PTS 400/502 bodies, and TMS `errors[].type`
// ---------------------------------------------------------------------------------------------

/** What an HTTP status means when the body does not say more. */
export type HttpMeaning =
  | "InvalidRequest"
  | "Unauthenticated"
  | "NotFound"
  | "InvalidState"
  | "PreconditionFailed"
  | "Configuration"
  | "RateLimited"
  | "ServerError"

/** Every status CyberSource documents an error body for. */
export const httpStatuses: Readonly<Record<number, HttpMeaning>> = {
  400: "InvalidRequest",
  401: "Unauthenticated",
  403: "Unauthenticated",
  404: "NotFound",
  409: "InvalidState",
  410: "NotFound",
  412: "PreconditionFailed",
  // TMS: "Profile not found" — the configured profile-id does not exist.
  424: "Configuration",
  429: "RateLimited",
  500: "ServerError",
  502: "ServerError",
  503: "ServerError",
  504: "ServerError"
}

/** The meaning of an HTTP error status; unlisted 4xx are invalid requests, 5xx server errors. */
export const httpMeaning = (status: number): HttpMeaning =>
  httpStatuses[status] ?? (status >= 500 ? "ServerError" : "InvalidRequest")

/** Every TMS `errors[].type` in the swagger examples and the TMS guide. */
export const tmsErrorTypes = {
  invalidRequest: "InvalidRequest",
  invalidHeaders: "InvalidRequest",
  missingHeaders: "InvalidRequest",
  invalidFields: "InvalidRequest",
  missingFields: "InvalidRequest",
  invalidCombination: "InvalidRequest",
  unsupportedPaymentMethodModification: "InvalidRequest",
  "403ForbiddenResponse": "Unauthenticated",
  forbidden: "Unauthenticated",
  notFound: "NotFound",
  notAvailable: "NotFound",
  conflict: "PreconditionFailed",
  serverError: "ServerError"
} as const satisfies Record<string, HttpMeaning>

/**
 * The meaning of a TMS error: the HTTP status decides where the type is ambiguous (`notFound` is
 * a missing token on 404 but a missing profile on 424; `conflict` is a stale ETag on 412 but a
 * linked token on 409).
 */
export const tmsMeaning = (status: number, type: string | undefined): HttpMeaning => {
  if (status === 412 || status === 424 || status === 409 || status >= 500) return httpMeaning(status)
  return type !== undefined && Object.hasOwn(tmsErrorTypes, type)
    ? tmsErrorTypes[type as keyof typeof tmsErrorTypes]
    : httpMeaning(status)
}

// ---------------------------------------------------------------------------------------------
// Cards
// ---------------------------------------------------------------------------------------------

/** CyberSource card type codes by network (the codes a request's `card.type` takes). */
export const cardTypeCodes: { readonly [N in CardNetwork]: string | undefined } = {
  visa: "001",
  mastercard: "002",
  amex: "003",
  discover: "004",
  diners: "005",
  jcb: "007",
  maestro: "042",
  unionpay: "062",
  rupay: "061",
  unknown: undefined
}

/** Network names by CyberSource card type code (the inverse table, plus codes seen in responses). */
export const cardNetworks: Readonly<Record<string, string>> = {
  "001": "visa",
  "002": "mastercard",
  "003": "amex",
  "004": "discover",
  "005": "diners",
  "007": "jcb",
  "024": "maestro",
  "042": "maestro",
  "061": "rupay",
  "062": "unionpay",
  "036": "cartes_bancaires",
  "033": "visa_electron"
}

/** TMS payment instrument `state` → core instrument status. */
export const instrumentStates = {
  ACTIVE: "Active",
  CLOSED: "Closed"
} as const

// ---------------------------------------------------------------------------------------------
// TSS applications: which kind of transaction a record is
// ---------------------------------------------------------------------------------------------

/** The kinds of transaction a TSS record can be. */
export type TransactionKind = "authorization" | "capture" | "reversal" | "void" | "refund"

/**
 * TSS `applicationInformation.applications[].name` → the kind of transaction. A sale carries both
 * `ics_auth` and `ics_bill`; the first matching row (in this order) decides.
 */
export const applicationKinds: ReadonlyArray<readonly [string, TransactionKind]> = [
  ["ics_auth_reversal", "reversal"],
  ["ics_void", "void"],
  ["ics_credit", "refund"],
  ["ics_auth", "authorization"],
  ["ics_bill", "capture"]
]

/** The kind of a record from its application names; `undefined` when none is recognised. */
export const transactionKind = (names: ReadonlyArray<string>): TransactionKind | undefined =>
  applicationKinds.find(([name]) => names.includes(name))?.[1]

// ---------------------------------------------------------------------------------------------
// Processor details: processorInformation
// ---------------------------------------------------------------------------------------------

/**
 * Every AVS code CyberSource documents (`processorInformation.avs.code`: the Visa standard codes
 * every card type is mapped to, the American Express codes, and CyberSource's own numerics; the
 * AVS codes reference) → its neutral reading.
 */
export const avsResults = {
  A: "partial", // street matches, postal code does not
  B: "partial", // street matches, postal code not verified (non-US Visa)
  C: "no_match", // neither matches (non-US Visa)
  D: "match", // street and postal code match (non-US Visa)
  E: "unavailable", // AVS data invalid, or AVS not allowed for the card type
  F: "partial", // name does not match, postal code matches (Amex)
  G: "unavailable", // non-US issuer does not support AVS
  H: "partial", // name does not match, street and postal code match (Amex)
  I: "no_match", // address not verified (non-US Visa)
  J: "match", // name, street and postal code match (Amex)
  K: "partial", // name matches, street and postal code do not (Amex)
  L: "partial", // name and postal code match, street does not (Amex)
  M: "match", // street and postal code match (non-US Visa)
  N: "no_match", // neither matches
  O: "partial", // name and street match, postal code does not (Amex)
  P: "partial", // postal code matches, street not verified (non-US Visa)
  Q: "match", // name, street and postal code match (Amex)
  R: "unavailable", // system unavailable
  S: "unavailable", // US issuer does not support AVS
  T: "partial", // name does not match, street matches (Amex)
  U: "unavailable", // address information unavailable
  V: "match", // name, street and postal code match (Amex)
  W: "partial", // street does not match, nine-digit postal code does
  X: "match", // street and nine-digit postal code match
  Y: "match", // street and five-digit postal code match
  Z: "partial", // street does not match, five-digit postal code does
  "1": "unavailable", // AVS not supported for this processor or card type
  "2": "unavailable", // the processor returned an unrecognised value
  "3": "match", // address confirmed (PayPal)
  "4": "no_match" // address not confirmed (PayPal)
} as const satisfies Record<string, Processor.VerificationResult>

/**
 * Every CVN result code CyberSource documents (`processorInformation.cardVerification.resultCode`,
 * the `auth_cv_result` values) → its neutral reading.
 */
export const cvnResults = {
  D: "no_match", // the issuer judged the transaction suspicious
  I: "no_match", // the CVN failed the processor's data validation
  M: "match",
  N: "no_match",
  P: "unavailable", // not processed
  S: "unavailable", // the card should carry a CVN but none was sent
  U: "unavailable", // the issuer does not support CVN
  X: "unavailable", // the card association does not support CVN
  "1": "unavailable", // not supported for this processor or card type
  "2": "unavailable", // the processor returned an unrecognised value
  "3": "unavailable" // the processor returned no result
} as const satisfies Record<string, Processor.VerificationResult>

/**
 * The processor's details of a payment from `processorInformation` and the record's submit time.
 * An authorization is answered synchronously, so a record the processor answered (it carries an
 * approval or response code) completed at its submit time.
 */
export const processorOf = (
  info: Wire.ProcessorInformation | undefined,
  submitTime: string | undefined
): Processor.Processor | undefined => {
  if (info === undefined) return undefined
  const answered = [info.approvalCode, info.responseCode].some((code) => code !== undefined && code.trim() !== "")
  const completedAt = answered
    ? Option.getOrUndefined(Option.map(DateTime.make(submitTime ?? ""), DateTime.toUtc))
    : undefined
  return Processor.fromParts({
    name: info.name ?? info.processor?.name,
    approvalCode: info.approvalCode,
    networkTransactionId: info.networkTransactionId,
    transactionId: info.transactionId,
    retrievalReference: info.retrievalReferenceNumber,
    responseCode: info.responseCode,
    responseMessage: info.responseDetails,
    completedAt,
    avs: Processor.verification(info.avs?.code, info.avs?.codeRaw, avsResults),
    cvv: Processor.verification(info.cardVerification?.resultCode, info.cardVerification?.resultCodeRaw, cvnResults)
  })
}

/** `{ processor }` to spread into a payment, or nothing when there are no details. */
export const processorField = (
  info: Wire.ProcessorInformation | undefined,
  submitTime: string | undefined
): { readonly processor?: Processor.Processor } => {
  const processor = processorOf(info, submitTime)
  return processor === undefined ? {} : { processor }
}

// ---------------------------------------------------------------------------------------------
// Stored credentials: processingInformation.authorizationOptions.initiator
// ---------------------------------------------------------------------------------------------

/**
 * Each merchant-initiated reason → the `commerceIndicator` it is sent with (`recurring`,
 * `install`, else `internet`) and `merchantInitiatedTransaction.reason`, which the swagger defines
 * for five industry follow-ups only (`1` resubmission … `5` account top up).
 */
export const merchantInitiatedReasons: {
  readonly [R in PaymentRequest.MerchantInitiatedReason]: {
    readonly commerceIndicator: string
    readonly reason?: string
  }
} = {
  recurring: { commerceIndicator: "recurring" },
  installment: { commerceIndicator: "install" },
  unscheduled: { commerceIndicator: "internet" },
  resubmission: { commerceIndicator: "internet", reason: "1" },
  delayed_charge: { commerceIndicator: "internet", reason: "2" },
  reauthorization: { commerceIndicator: "internet", reason: "3" },
  no_show: { commerceIndicator: "internet", reason: "4" },
  top_up: { commerceIndicator: "internet", reason: "5" }
}

/**
 * The `processingInformation` fields of a payment's initiator: a customer storing the card sends
 * `credentialStoredOnFile`, a customer or merchant using a stored one `storedCredentialUsed`; a
 * merchant-initiated payment names the first payment's network transaction id
 * (`merchantInitiatedTransaction.previousTransactionId`). A one-off customer payment sends none.
 */
export const initiatorProcessing = (
  request: Pick<PaymentRequest.CreatePaymentInput, "initiator" | "method" | "saveInstrument">
): Record<string, unknown> => {
  const initiator = PaymentRequest.initiatorOf(request)
  if (initiator._tag === "Customer") {
    if (initiator.storedCredential === undefined) return {}
    const use =
      initiator.storedCredential === "first" ? { credentialStoredOnFile: true } : { storedCredentialUsed: true }
    return { authorizationOptions: { initiator: { type: "customer", ...use } } }
  }
  const row = merchantInitiatedReasons[initiator.reason]
  return {
    commerceIndicator: row.commerceIndicator,
    authorizationOptions: {
      initiator: {
        type: "merchant",
        storedCredentialUsed: true,
        merchantInitiatedTransaction: {
          previousTransactionId: initiator.previousNetworkTransactionId,
          ...(row.reason === undefined ? {} : { reason: row.reason })
        }
      }
    }
  }
}
