/**
 * Cashfree → Payport: total mapping tables (statuses, error types and codes, decline reasons,
 * payment groups) as data, and the translations of Cashfree entities into core models.
 *
 * Every table is typed over the values the Cashfree documents list (see the `*Values` arrays,
 * which the table tests compare against the OpenAPI enums), so adding a value to a list without
 * mapping it is a type error. A value outside the documents is never guessed at: it makes the
 * response invalid (`ProviderResponseInvalid`) rather than silently becoming some status.
 */
import * as Ambiguity from "@payport/core/Ambiguity"
import * as Redaction from "@payport/core/Redaction"
import * as Customer from "@payport/core/Customer"
import { CustomerId, InstrumentId, OrderReference, PaymentId, PaymentRef, RefundId, RefundRef } from "@payport/core/Ids"
import * as Instrument from "@payport/core/Instrument"
import * as Ledger from "@payport/core/Ledger"
import * as Money from "@payport/core/Money"
import { type Action, type CaptureMode, MethodSummary, Payment, type PaymentStatus } from "@payport/core/Payment"
import * as Processor from "@payport/core/Processor"
import {
  ConfigurationError,
  Decline,
  type DeclineCode,
  IdempotencyConflict,
  InvalidRequest,
  NotFound,
  type OperationError,
  RateLimited,
  Unauthenticated
} from "@payport/core/PaymentError"
import type * as PaymentMethod from "@payport/core/PaymentMethod"
import { Refund, type RefundStatus } from "@payport/core/Refund"
import * as StateMachine from "@payport/core/StateMachine"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import type * as Wire from "./wire.js"

/** The provider name on every ref, error and event. */
export const PROVIDER = "cashfree"

const lookup = <K extends string, V>(table: { readonly [P in K]: V }, key: string): V | undefined =>
  Object.hasOwn(table, key) ? table[key as K] : undefined

// ---------------------------------------------------------------------------------------------
// Status tables
// ---------------------------------------------------------------------------------------------

/** `PaymentEntity.payment_status` (SPEC25 enum). */
export const paymentStatusValues = [
  "SUCCESS",
  "NOT_ATTEMPTED",
  "FAILED",
  "USER_DROPPED",
  "VOID",
  "CANCELLED",
  "PENDING"
] as const
export type PaymentStatusValue = (typeof paymentStatusValues)[number]

/**
 * What a payment status means before the authorization details refine it. `settled` is the one
 * that needs `is_captured` and `authorization` to tell a sale, a hold and a capture apart.
 */
export type PaymentOutcome = "settled" | "awaiting" | "failed" | "dropped" | "cancelled" | "voided"

/** `payment_status` → outcome. */
export const paymentStatuses: { readonly [S in PaymentStatusValue]: PaymentOutcome } = {
  SUCCESS: "settled",
  // Created but the payer has not acted yet: waiting on the action Order Pay returned.
  NOT_ATTEMPTED: "awaiting",
  PENDING: "awaiting",
  FAILED: "failed",
  USER_DROPPED: "dropped",
  CANCELLED: "cancelled",
  VOID: "voided"
}

/** The core status tag each outcome yields (for `settled`, the sale case; holds refine it). */
export const outcomeStatus: { readonly [O in PaymentOutcome]: PaymentStatus["_tag"] } = {
  settled: "Captured",
  awaiting: "Processing",
  failed: "Failed",
  dropped: "Failed",
  cancelled: "Failed",
  voided: "Voided"
}

/** `OrderEntity.order_status` (documented in prose only: no enum in the specs). */
export const orderStatusValues = ["ACTIVE", "PAID", "EXPIRED", "TERMINATED", "TERMINATION_REQUESTED"] as const
export type OrderStatusValue = (typeof orderStatusValues)[number]

/**
 * `order_status` → whether Order Pay may still be called, and the core status of an order that
 * has no payment attempt (used when a replayed create finds nothing to return).
 */
export const orderStatuses: {
  readonly [S in OrderStatusValue]: { readonly payable: boolean; readonly status: PaymentStatus["_tag"] }
} = {
  ACTIVE: { payable: true, status: "Processing" },
  PAID: { payable: false, status: "Captured" },
  EXPIRED: { payable: false, status: "Expired" },
  TERMINATED: { payable: false, status: "Expired" },
  TERMINATION_REQUESTED: { payable: false, status: "Expired" }
}

/** `RefundEntity.refund_status` (SPEC25 enum plus `FAILED`, listed in its description). */
export const refundStatusValues = ["SUCCESS", "PENDING", "CANCELLED", "ONHOLD", "FAILED"] as const
export type RefundStatusValue = (typeof refundStatusValues)[number]

/** `refund_status` → core refund status tag. */
export const refundStatuses: { readonly [S in RefundStatusValue]: "Pending" | "Succeeded" | "Failed" } = {
  SUCCESS: "Succeeded",
  PENDING: "Pending",
  // Held for review at Cashfree: not final, so still pending for the merchant.
  ONHOLD: "Pending",
  CANCELLED: "Failed",
  FAILED: "Failed"
}

/** `authorization.action` (SPEC25 enum). */
export const authorizationActionValues = ["CAPTURE", "VOID"] as const
export type AuthorizationActionValue = (typeof authorizationActionValues)[number]

/** `authorization.status` (SPEC25 enum). */
export const authorizationStatusValues = ["SUCCESS", "PENDING"] as const
export type AuthorizationStatusValue = (typeof authorizationStatusValues)[number]

/**
 * (`authorization.action`, `authorization.status`) → core status. A pending capture already binds
 * the captured amount, so it counts as captured (the ledger decides full or partial); a pending
 * void has not released the hold yet, so the payment stays authorized.
 */
export const authorizationStatuses: {
  readonly [A in AuthorizationActionValue]: {
    readonly [S in AuthorizationStatusValue]: "Captured" | "Voided" | "Authorized"
  }
} = {
  CAPTURE: { SUCCESS: "Captured", PENDING: "Captured" },
  VOID: { SUCCESS: "Voided", PENDING: "Authorized" }
}

/** `InstrumentEntity.instrument_status` (SPEC25 enum). */
export const instrumentStatusValues = ["ACTIVE", "INACTIVE"] as const
export type InstrumentStatusValue = (typeof instrumentStatusValues)[number]

/** `instrument_status` → core instrument status. */
export const instrumentStatuses: { readonly [S in InstrumentStatusValue]: Instrument.InstrumentStatus } = {
  ACTIVE: "Active",
  INACTIVE: "Inactive"
}

/** `OrderAuthenticateEntity.authenticate_status` (SPEC25 enum). */
export const authenticateStatusValues = ["SUCCESS", "FAILED"] as const
export type AuthenticateStatusValue = (typeof authenticateStatusValues)[number]

/** `authenticate_status` → whether the OTP was accepted. */
export const authenticateStatuses: { readonly [S in AuthenticateStatusValue]: boolean } = {
  SUCCESS: true,
  FAILED: false
}

/** `PaymentEntity.payment_group` (documented values). */
export const paymentGroupValues = [
  "upi",
  "credit_card",
  "debit_card",
  "net_banking",
  "wallet",
  "pay_later",
  "cardless_emi",
  "credit_card_emi",
  "debit_card_emi",
  "prepaid_card",
  "upi_credit_card",
  "upi_ppi",
  "upi_ppi_offline",
  "bank_transfer",
  "paypal",
  "cash"
] as const
export type PaymentGroupValue = (typeof paymentGroupValues)[number]

type MethodKind = MethodSummary["kind"]

/** `payment_group` → the core method kind shown in a payment's summary. */
export const paymentGroups: { readonly [G in PaymentGroupValue]: MethodKind } = {
  upi: "Upi",
  upi_credit_card: "Upi",
  upi_ppi: "Upi",
  upi_ppi_offline: "Upi",
  credit_card: "Card",
  debit_card: "Card",
  prepaid_card: "Card",
  net_banking: "Netbanking",
  // Bank transfers debit an account like netbanking does; the closest core kind.
  bank_transfer: "Netbanking",
  wallet: "Wallet",
  paypal: "Wallet",
  cash: "Wallet",
  pay_later: "PayLater",
  cardless_emi: "CardlessEmi",
  credit_card_emi: "CardEmi",
  debit_card_emi: "CardEmi"
}

/** The keys of `PaymentEntity.payment_method` (one of them is present) and of Order Pay's `payment_method`. */
export const paymentMethodKeyValues = [
  "card",
  "netbanking",
  "upi",
  "app",
  "cardless_emi",
  "paylater",
  "emi",
  "banktransfer"
] as const
export type PaymentMethodKeyValue = (typeof paymentMethodKeyValues)[number]

/** `payment_method` key → core method kind. */
export const paymentMethodKeys: { readonly [K in PaymentMethodKeyValue]: MethodKind } = {
  card: "Card",
  netbanking: "Netbanking",
  upi: "Upi",
  app: "Wallet",
  cardless_emi: "CardlessEmi",
  paylater: "PayLater",
  emi: "CardEmi",
  banktransfer: "Netbanking"
}

// ---------------------------------------------------------------------------------------------
// Order Pay actions
// ---------------------------------------------------------------------------------------------

/** `PayOrderEntity.channel` (SPEC25 enum). */
export const payChannelValues = ["link", "collect", "qrcode", "post"] as const
export type PayChannelValue = (typeof payChannelValues)[number]

/** `PayOrderEntity.action` (SPEC25 enum). */
export const payActionValues = ["link", "custom", "form", "post"] as const
export type PayActionValue = (typeof payActionValues)[number]

/**
 * How each Order Pay channel becomes a core action. `link` is a redirect, except for UPI where
 * its payload holds the app deep links (intent); `post` is Cashfree's native (headless) OTP
 * flow for cards; `collect` sends a request to the payer's VPA; `qrcode` returns a QR payload.
 */
export const channelActions: { readonly [C in PayChannelValue]: "redirect" | "otp" | "upi-collect" | "qr" } = {
  link: "redirect",
  post: "otp",
  collect: "upi-collect",
  qrcode: "qr"
}

/** How each Order Pay `action` is presented: every one of them is a browser navigation to `data.url`. */
export const payActions: { readonly [A in PayActionValue]: "GET" | "POST" } = {
  // `data.method` overrides these when present.
  link: "GET",
  custom: "GET",
  form: "POST",
  post: "POST"
}

const stringEntries = (payload: Readonly<Record<string, unknown>> | undefined): Record<string, string> =>
  Object.fromEntries(
    Object.entries(payload ?? {}).flatMap(([key, value]) =>
      typeof value === "string" ? [[key, value]] : typeof value === "number" ? [[key, String(value)]] : []
    )
  )

/** The keys a UPI QR payload is found under (the spec does not name it). */
const QR_KEYS = ["qrcode", "qr_code", "qr", "default"] as const

/**
 * The action the payer must take after Order Pay, or `undefined` when Cashfree asked for none.
 * `vpa` is the payer's VPA for UPI collect, taken from the request.
 */
export const actionFromPay = (pay: Wire.PayOrderEntity, vpa: string | undefined): Action | undefined => {
  const data = pay.data
  const channel = lookup(channelActions, pay.channel ?? "")
  const method = data?.method?.toUpperCase()
  const redirect = (): Action | undefined =>
    data?.url === undefined || data.url.length === 0
      ? undefined
      : {
          _tag: "Redirect",
          url: data.url,
          method: method === "POST" || method === "GET" ? method : (lookup(payActions, pay.action ?? "") ?? "GET"),
          form: stringEntries(data.payload)
        }
  if (pay.payment_method === "upi") {
    if (channel === "upi-collect") return { _tag: "UpiCollect", vpa: vpa ?? "" }
    const links = stringEntries(data?.payload)
    if (channel === "qr") {
      const payload = QR_KEYS.map((key) => links[key]).find((value) => value !== undefined) ?? Object.values(links)[0]
      return payload === undefined ? redirect() : { _tag: "QrCode", payload }
    }
    return Object.keys(links).length > 0 ? { _tag: "UpiIntent", uris: links } : redirect()
  }
  if (channel === "otp") return { _tag: "Otp", resendable: true, ...(data?.url ? { fallbackUrl: data.url } : {}) }
  return redirect()
}

// ---------------------------------------------------------------------------------------------
// Declines
// ---------------------------------------------------------------------------------------------

/** `error_details.error_code` values in the documents, and what they mean. */
export const declineByErrorCode: { readonly [code: string]: DeclineCode } = {
  TRANSACTION_DECLINED: "do_not_honor"
}

/** `error_details.error_reason` values in the documents. */
export const declineByErrorReason: { readonly [reason: string]: DeclineCode } = {
  auth_declined: "do_not_honor"
}

/**
 * Codes and reasons outside the documents are read by their words, in this order (the first match
 * wins, so specific words come before general ones). `expired` is resolved by the method: a UPI
 * collect request expires, a card is expired.
 */
export const declineKeywords: ReadonlyArray<readonly [RegExp, DeclineCode | "expired"]> = [
  [/insufficient|balance/, "insufficient_funds"],
  [/cvv|cvc|security.?code/, "incorrect_cvc"],
  [/stolen|lost|pick.?up/, "lost_or_stolen"],
  [/fraud/, "suspected_fraud"],
  [/risk/, "risk_rejected"],
  [/pin|otp|auth(entication)?_failed|3ds|authenticat/, "authentication_failed"],
  [/velocity|too.?many|frequency/, "velocity_exceeded"],
  [/limit/, "limit_exceeded"],
  [/expire|timeout|timed.?out/, "expired"],
  [/(invalid|incorrect).?(card|number)|card.?(number|invalid)/, "invalid_number"],
  [/(invalid|incorrect).?(vpa|account|upi)|vpa/, "invalid_account"],
  [/amount/, "invalid_amount"],
  [/not.?(permitted|allowed)|restricted/, "not_permitted"],
  [/not.?supported|unsupported/, "card_not_supported"],
  [/drop|cancel|user.?declined|declined.?by.?user/, "user_cancelled"],
  [/bank.?(unavailable|down|timeout)|network|issuer.?unavailable|unavailable/, "issuer_unavailable"],
  [/declin|do.?not.?honou?r|reject/, "do_not_honor"]
]

/** The decline `expired` becomes, per method. */
export const expiredDecline: { readonly [K in MethodKind]: DeclineCode } = {
  Upi: "upi_collect_expired",
  Card: "expired_card",
  SavedCard: "expired_card",
  NetworkToken: "expired_card",
  CardEmi: "expired_card",
  Netbanking: "generic_decline",
  Wallet: "generic_decline",
  PayLater: "generic_decline",
  CardlessEmi: "generic_decline"
}

/** The generic decline the last keyword stands for; a more specific reading wins over it. */
const GENERIC_DECLINE: DeclineCode = "do_not_honor"

const byKeywords = (words: string, kind: MethodKind, specificOnly: boolean): DeclineCode | undefined => {
  const match = declineKeywords.find(
    ([pattern, code]) => !(specificOnly && code === GENERIC_DECLINE) && pattern.test(words)
  )?.[1]
  return match === undefined ? undefined : match === "expired" ? expiredDecline[kind] : match
}

/**
 * The decline for a failed payment, from its `error_details` (and the method, for `expired`).
 *
 * The documented pair `TRANSACTION_DECLINED` / `auth_declined` is generic: SPEC25's own example
 * (`ErrorDetailsInPaymentsEntity`) carries the actual cause beside it, in the issuer's raw answer
 * (`error_code_raw` `ZM`, `error_description_raw` "INVALID / INCORRECT MPIN"). So a specific
 * reading of `error_reason` and `error_description_raw` comes first; the exact tables, then the
 * words of the code, apply when those say nothing more specific.
 */
export const declineFromDetails = (
  details: Wire.ErrorDetails | undefined,
  kind: MethodKind,
  outcome: "failed" | "dropped" | "cancelled"
): Decline => {
  if (outcome !== "failed") {
    return Decline.of(
      "user_cancelled",
      outcome === "dropped" ? { providerCode: "USER_DROPPED" } : { providerCode: "CANCELLED" }
    )
  }
  const code = details?.error_code
  const reason = details?.error_reason
  const providerCode = code ?? reason
  const options = providerCode === undefined ? {} : { providerCode }
  const detail = `${reason ?? ""} ${details?.error_description_raw ?? ""}`.toLowerCase()
  const specific = byKeywords(detail, kind, true)
  if (specific !== undefined) return Decline.of(specific, options)
  const exact =
    (code === undefined ? undefined : declineByErrorCode[code]) ??
    (reason === undefined ? undefined : declineByErrorReason[reason])
  if (exact !== undefined) return Decline.of(exact, options)
  return Decline.of(byKeywords(`${code ?? ""} ${detail}`.toLowerCase(), kind, false) ?? "generic_decline", options)
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/** The error `type`s in the documents (SPEC25 schemas and the errors page). */
export const errorTypeValues = [
  "invalid_request_error",
  "authentication_error",
  "idempotency_error",
  "rate_limit_error",
  "api_error",
  "api_connection_error",
  "feature_not_enabled",
  "validation_error",
  "bad_gateway_error"
] as const
export type ErrorTypeValue = (typeof errorTypeValues)[number]

/** What an error response means, before it becomes a core error. */
export type ErrorKind =
  | "invalid"
  | "unauthenticated"
  | "not-found"
  | "duplicate"
  | "idempotency"
  | "rate-limited"
  | "server"
  | "version"

/** Error `type` → kind. */
export const errorTypes: { readonly [T in ErrorTypeValue]: ErrorKind } = {
  invalid_request_error: "invalid",
  authentication_error: "unauthenticated",
  idempotency_error: "idempotency",
  rate_limit_error: "rate-limited",
  api_error: "server",
  api_connection_error: "server",
  bad_gateway_error: "server",
  // An account feature (pre-auth, headless OTP, S2S Order Pay) is off: fix the account, then retry.
  feature_not_enabled: "invalid",
  validation_error: "invalid"
}

/**
 * Error `code`s in the documents whose meaning is more specific than their `type`. Codes of the
 * form `<field>_invalid` / `<field>_missing` are read by `fieldOfCode`; `request_failed`,
 * `request_invalid` and `api_request_failed` say nothing beyond their type and status.
 */
export const errorCodes: { readonly [code: string]: ErrorKind } = {
  order_already_exists: "duplicate",
  order_not_found: "not-found",
  orderpay_not_found: "not-found",
  somethind_not_found: "not-found",
  internal_error: "server",
  bank_processing_failure: "server",
  version_missing: "version",
  version_invalid: "version",
  x_api_version_invalid: "version"
}

/** HTTP status → kind, when neither the code nor the type says more (or the body does not decode). */
export const errorStatuses: { readonly [status: number]: ErrorKind } = {
  400: "invalid",
  401: "unauthenticated",
  403: "unauthenticated",
  404: "not-found",
  409: "duplicate",
  422: "idempotency",
  429: "rate-limited"
}

/** Cashfree field names in `<field>_invalid` codes → the Payport input they come from. */
export const wireFields: { readonly [field: string]: string } = {
  order_id: "reference",
  order_amount: "amount",
  order_currency: "amount.currency",
  refund_amount: "amount",
  refund_id: "reference",
  refund_note: "reason",
  order_note: "description",
  return_url: "returnUrl",
  return_url_value: "returnUrl",
  notify_url: "notifyUrl",
  customer_id: "customer.id",
  customer_phone: "customer.phone",
  customer_email: "customer.email",
  customer_name: "customer.name",
  phone: "method.phone",
  provider: "method.provider",
  channel: "method",
  card: "method.number",
  card_number: "method.number",
  card_cvv: "method.cvv",
  card_expiry_mm: "method.expiry",
  card_expiry_yy: "method.expiry",
  card_holder_name: "method.holder",
  instrument_id: "method.instrumentId",
  "upi.vpa": "method.vpa",
  upi_id: "method.vpa",
  netbanking_bank_code: "method.bankCode",
  netbanking_bank_name: "method.bankCode",
  emi_tenure: "method.tenureMonths",
  card_bank_name: "method.bank",
  otp: "otp",
  payment_session_id: "session"
}

/** The field of a `<field>_invalid` / `<field>_missing` code, in Payport's terms when known. */
export const fieldOfCode = (code: string | undefined): string | undefined => {
  const match = code === undefined ? null : /^(.+)_(invalid|missing)$/.exec(code)
  const field = match?.[1]
  if (field === undefined) return undefined
  return wireFields[field] ?? field
}

/** Where an error happened, for the error fields. */
export interface ErrorContext {
  readonly operation: string
  readonly requestId: string
  /** Whether repeating the request is safe (a read, or a POST Cashfree replays by key). */
  readonly safeToRetry: boolean
  readonly mutating: boolean
  readonly idempotencyKey?: string | undefined
  readonly resource?: { readonly name: string; readonly id?: string | undefined } | undefined
}

const headerNumber = (value: string | undefined): number | undefined => {
  if (value === undefined || !/^\d+$/.test(value.trim())) return undefined
  return Number(value.trim())
}

/** The kind of an error response: status first where it is decisive, then code, then type. */
export const errorKind = (status: number, body: Wire.ErrorBody | undefined): ErrorKind => {
  if (status === 429) return "rate-limited"
  if (status === 401 || status === 403) return "unauthenticated"
  // Every documented 404 (SPEC25 `ApiError404`: `order_not_found`, `orderpay_not_found`, …) is a
  // missing resource, whatever its code; its `type` (`invalid_request_error`) says no more.
  if (status === 404) return "not-found"
  if (status >= 500) {
    const code = body?.code === undefined ? undefined : errorCodes[body.code]
    return code === "version" ? "version" : "server"
  }
  return (
    (body?.code === undefined ? undefined : errorCodes[body.code]) ??
    (body?.type === undefined ? undefined : lookup(errorTypes, body.type)) ??
    errorStatuses[status] ??
    "invalid"
  )
}

/**
 * The core error for an HTTP error response. `text` is the raw body; it travels only scrubbed and
 * redacted. Server errors are transient when the call is safe to repeat, else the outcome is unknown.
 */
export const errorFromResponse = (
  status: number,
  text: string,
  body: Wire.ErrorBody | undefined,
  headers: Readonly<Record<string, string>>,
  context: ErrorContext
): OperationError => {
  const base = {
    provider: PROVIDER,
    operation: context.operation,
    httpStatus: status,
    requestId: headers["x-request-id"] ?? context.requestId,
    raw: Redaction.raw(text)
  }
  const message = Redaction.scrub(body?.message ?? body?.code ?? `HTTP ${status}`)
  const detail = body?.code === undefined ? message : `${message} (${body.code})`
  const kind = errorKind(status, body)
  switch (kind) {
    case "rate-limited": {
      const seconds = headerNumber(headers["x-ratelimit-retry"])
      return new RateLimited({ ...base, ...(seconds === undefined ? {} : { retryAfterMillis: seconds * 1000 }) })
    }
    case "unauthenticated":
      return new Unauthenticated({ ...base, details: detail })
    case "not-found":
      return new NotFound({
        ...base,
        resource: context.resource?.name ?? "resource",
        ...(context.resource?.id === undefined ? {} : { id: context.resource.id })
      })
    case "duplicate":
      return new InvalidRequest({ ...base, details: detail, field: fieldOfCode(body?.code) ?? "reference" })
    case "idempotency":
      return new IdempotencyConflict({ ...base, idempotencyKey: context.idempotencyKey ?? "none" })
    case "version":
      return new ConfigurationError({ ...base, variable: "CASHFREE_API_VERSION", reason: detail })
    case "server":
      return Ambiguity.errorFor(
        { _tag: "ServerError", reason: detail },
        {
          ...base,
          mutating: context.mutating,
          idempotent: context.safeToRetry,
          idempotencyKey: context.idempotencyKey
        }
      )
    case "invalid": {
      const field = fieldOfCode(body?.code)
      // Cashfree refuses an instrument the order's customer does not own as an invalid
      // `instrument_id`: for that customer the saved card does not exist.
      if (field === wireFields.instrument_id) return new NotFound({ ...base, resource: "instrument" })
      return new InvalidRequest({ ...base, details: detail, ...(field === undefined ? {} : { field }) })
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Amounts and times
// ---------------------------------------------------------------------------------------------

/** Exact money from a Cashfree amount (number or text); trailing zeros (`10.50`) are fine. */
export const money = (amount: Wire.Amount, currency: string, field: string): Either.Either<Money.Money, string> =>
  Either.mapLeft(
    Money.fromDecimal(amount, currency, { field, allowTrailingZeros: true }),
    (error) => `${field}: ${error.reason}`
  )

/** A UTC time from Cashfree's ISO-8601 text, if it parses. */
export const time = (text: string | undefined): DateTime.Utc | undefined =>
  text === undefined ? undefined : Option.getOrUndefined(Option.map(DateTime.make(text), DateTime.toUtc))

const attempt = <A>(build: () => A, what: string): Either.Either<A, string> =>
  Either.try({ try: build, catch: () => `${what} does not fit the core model` })

// ---------------------------------------------------------------------------------------------
// Payments
// ---------------------------------------------------------------------------------------------

const methodEntry = (
  paymentMethod: Readonly<Record<string, unknown>> | undefined
): { readonly key: string; readonly details: Wire.PaymentMethodDetails } | undefined => {
  if (paymentMethod === undefined) return undefined
  // 2022-09-01 documents the entry one level deeper, under `payment_method`.
  const inner = paymentMethod.payment_method
  const source =
    typeof inner === "object" && inner !== null ? (inner as Readonly<Record<string, unknown>>) : paymentMethod
  for (const [key, value] of Object.entries(source)) {
    if (typeof value === "object" && value !== null) {
      const details = value as Readonly<Record<string, unknown>>
      const text = (name: string) => (typeof details[name] === "string" ? (details[name] as string) : undefined)
      const entry: Record<string, string> = {}
      for (const name of [
        "channel",
        "card_number",
        "card_network",
        "card_network_reference_id",
        "instrument_id",
        "upi_id",
        "netbanking_bank_name",
        "provider"
      ] as const) {
        const value = text(name)
        if (value !== undefined) entry[name] = value
      }
      return { key, details: entry }
    }
  }
  return undefined
}

/** The method kind of a payment, from the caller's method when known, else from the entity. */
const methodKindOf = (entity: Wire.PaymentEntity, known: PaymentMethod.MethodKind | undefined): MethodKind => {
  if (known !== undefined) return known
  const entry = methodEntry(entity.payment_method)
  return (
    (entry === undefined ? undefined : lookup(paymentMethodKeys, entry.key)) ??
    lookup(paymentGroups, entity.payment_group ?? "") ??
    "Card"
  )
}

const summary = (entity: Wire.PaymentEntity, kind: MethodKind): Either.Either<MethodSummary, string> => {
  const details = methodEntry(entity.payment_method)?.details
  const digits = details?.card_number?.replace(/\D/g, "")
  const display =
    digits !== undefined && digits.length >= 4
      ? `•••• ${digits.slice(-4)}`
      : (details?.upi_id ?? details?.netbanking_bank_name ?? details?.provider)
  return attempt(
    () =>
      MethodSummary.make({
        kind,
        ...(display === undefined ? {} : { display }),
        ...(details?.card_network === undefined ? {} : { network: details.card_network.toLowerCase() }),
        ...(details?.instrument_id === undefined ? {} : { instrumentId: InstrumentId.make(details.instrument_id) })
      }),
    "payment_method"
  )
}

/**
 * What a pending payment waits for, when its `payment_method` says so without the Order Pay
 * answer: a UPI `collect` request waits for the payer to approve it at `upi_id`, and a card on the
 * `post` channel waits for the OTP (SPEC25 `PaymentEntity.payment_method`: `upi{channel, upi_id}`,
 * `card{channel}`). A `link` redirect's URL is only in Order Pay's answer, so such a payment read
 * later is `Processing`.
 */
export const pendingAction = (entity: Wire.PaymentEntity): Action | undefined => {
  const entry = methodEntry(entity.payment_method)
  if (entry === undefined) return undefined
  const channel = entry.details.channel
  if (entry.key === "upi" && channel === "collect" && entry.details.upi_id !== undefined) {
    return { _tag: "UpiCollect", vpa: entry.details.upi_id }
  }
  if (entry.key === "card" && channel === "post") return { _tag: "Otp", resendable: true }
  return undefined
}

/** What the caller knows about a payment that the entity does not say. */
export interface PaymentContext {
  /** The order's currency, for versions whose payment entity has none. */
  readonly currency?: string | undefined
  /** The order id, when the entity omits it (webhooks carry it under `data.order`). */
  readonly orderId?: string | undefined
  readonly orderAmount?: Wire.Amount | undefined
  /** The action Order Pay returned, for a payment still waiting on the payer. */
  readonly action?: Action | undefined
  readonly method?: PaymentMethod.MethodKind | undefined
  readonly captureMode?: CaptureMode | undefined
  readonly customerId?: string | undefined
  /** Refunds already made (non-failed), for the ledger. */
  readonly refunded?: Money.Money | undefined
  /** The payment-level `error_details` of a webhook, when the payment has none. */
  readonly errorDetails?: Wire.ErrorDetails | undefined
  readonly now: DateTime.Utc
}

interface Derived {
  readonly status: PaymentStatus
  readonly ledger: Ledger.Ledger
  readonly captureMode: CaptureMode
}

const derive = (
  entity: Wire.PaymentEntity,
  amount: Money.Money,
  kind: MethodKind,
  context: PaymentContext
): Either.Either<Derived, string> => {
  const outcome = lookup(paymentStatuses, entity.payment_status)
  if (outcome === undefined) return Either.left(`unknown payment_status ${JSON.stringify(entity.payment_status)}`)
  const authorization = entity.authorization
  const held = authorization !== undefined || entity.is_captured === false
  const captureMode: CaptureMode = context.captureMode ?? (held ? "manual" : "automatic")
  const empty = Ledger.empty(amount.currency)
  switch (outcome) {
    case "awaiting": {
      const action = context.action ?? pendingAction(entity)
      return Either.right({
        status: action === undefined ? { _tag: "Processing" } : { _tag: "RequiresAction", action },
        ledger: empty,
        captureMode
      })
    }
    case "failed":
    case "dropped":
    case "cancelled":
      return Either.right({
        status: {
          _tag: "Failed",
          decline: declineFromDetails(entity.error_details ?? context.errorDetails, kind, outcome)
        },
        ledger: empty,
        captureMode
      })
    case "voided":
      return Either.right({ status: { _tag: "Voided" }, ledger: Ledger.authorized(amount), captureMode: "manual" })
    case "settled": {
      let settled: "Captured" | "Voided" | "Authorized" = entity.is_captured === false ? "Authorized" : "Captured"
      if (authorization?.action !== undefined) {
        const byStatus = lookup(authorizationStatuses, authorization.action)
        if (byStatus === undefined)
          return Either.left(`unknown authorization.action ${JSON.stringify(authorization.action)}`)
        const next = lookup(byStatus, authorization.status ?? "SUCCESS")
        if (next === undefined)
          return Either.left(`unknown authorization.status ${JSON.stringify(authorization.status)}`)
        settled = next
      }
      if (settled === "Voided")
        return Either.right({ status: { _tag: "Voided" }, ledger: Ledger.authorized(amount), captureMode })
      if (settled === "Authorized") {
        const expiresAt = time(authorization?.end_time)
        return Either.right({
          status: expiresAt === undefined ? { _tag: "Authorized" } : { _tag: "Authorized", expiresAt },
          ledger: Ledger.authorized(amount),
          captureMode
        })
      }
      const capturedAmount =
        authorization?.action === "CAPTURE" && authorization.captured_amount !== undefined
          ? money(authorization.captured_amount, amount.currency, "authorization.captured_amount")
          : Either.right(amount)
      return Either.flatMap(capturedAmount, (reported) => {
        // SPEC25's own example reports `captured_amount: 100` on a 10.01 payment: more than the
        // payment cannot have been captured, so it reads as a capture of everything.
        const captured = reported.amount > amount.amount ? amount : reported
        const refunded = context.refunded ?? Money.zero(amount.currency)
        const ledger = Ledger.Ledger.make({ authorized: amount, captured, refunded })
        if (!Ledger.isValid(ledger)) return Either.left("refunds exceed the captured amount")
        return Either.right({ status: { _tag: StateMachine.statusForLedger(ledger) }, ledger, captureMode })
      })
    }
  }
}

/**
 * The processor's details of a payment: `auth_id` is the issuer's approval code, `bank_reference`
 * the bank's reference (the RRN for cards and UPI), the card entry's `card_network_reference_id`
 * the network transaction id, and `payment_gateway_details` the gateway and its own payment id.
 * A failed payment's response is the issuer's raw answer (`error_code_raw`,
 * `error_description_raw`); otherwise the gateway's status code and `payment_message`.
 */
export const processorFromEntity = (
  entity: Wire.PaymentEntity,
  errorDetails: Wire.ErrorDetails | undefined
): Processor.Processor | undefined => {
  const gateway = entity.payment_gateway_details
  const error = entity.error_details ?? errorDetails
  const method = methodEntry(entity.payment_method)
  const gatewayPaymentId = gateway?.gateway_payment_id
  return Processor.fromParts({
    name: gateway?.gateway_name,
    approvalCode: entity.auth_id,
    networkTransactionId: method?.details.card_network_reference_id,
    // The gateway's payment id is only news when it is not Cashfree's own.
    transactionId: gatewayPaymentId === entity.cf_payment_id ? undefined : gatewayPaymentId,
    retrievalReference: entity.bank_reference,
    responseCode: nonBlank(error?.error_code_raw) ?? gateway?.gateway_status_code,
    responseMessage: nonBlank(error?.error_description_raw) ?? entity.payment_message,
    completedAt: time(entity.payment_completion_time)
  })
}

const nonBlank = (text: string | undefined): string | undefined =>
  text === undefined || text.trim().length === 0 ? undefined : text

/** A core `Payment` from a `PaymentEntity`, or why it cannot be one. */
export const paymentFromEntity = (
  entity: Wire.PaymentEntity,
  context: PaymentContext
): Either.Either<Payment, string> => {
  const orderId = entity.order_id ?? context.orderId
  if (orderId === undefined) return Either.left("the payment has no order_id")
  // The merchant's amount is the order's: `payment_amount` may be in another currency
  // (international cards) or include a surcharge.
  const currency = entity.order_currency ?? context.currency ?? entity.payment_currency
  if (currency === undefined) return Either.left("the payment has no currency")
  const value =
    entity.order_amount ??
    context.orderAmount ??
    (entity.payment_currency === undefined || entity.payment_currency === currency ? entity.payment_amount : undefined)
  if (value === undefined) return Either.left("the payment has no amount")
  const kind = methodKindOf(entity, context.method)
  return Either.gen(function* () {
    const amount = yield* money(value, currency, "order_amount")
    const derived = yield* derive(entity, amount, kind, context)
    const method = yield* summary(entity, kind)
    const saved = method.instrumentId
    const processor = processorFromEntity(entity, context.errorDetails)
    return yield* attempt(
      () =>
        Payment.make({
          ref: PaymentRef.make({ provider: PROVIDER, paymentId: PaymentId.make(entity.cf_payment_id), orderId }),
          reference: OrderReference.make(orderId),
          amount,
          ledger: derived.ledger,
          captureMode: derived.captureMode,
          method,
          status: derived.status,
          ...(context.customerId === undefined ? {} : { customerId: CustomerId.make(context.customerId) }),
          ...(saved !== undefined && derived.status._tag !== "Failed" && kind === "Card"
            ? { savedInstrumentId: saved }
            : {}),
          ...(processor === undefined ? {} : { processor }),
          createdAt: time(entity.payment_time) ?? time(entity.payment_completion_time) ?? context.now
        }),
      "the payment"
    )
  })
}

// ---------------------------------------------------------------------------------------------
// Refunds
// ---------------------------------------------------------------------------------------------

/** A core `Refund` from a `RefundEntity`; `payment` fills in what the entity leaves out. */
export const refundFromEntity = (
  entity: Wire.RefundEntity,
  payment: {
    readonly paymentId?: string | undefined
    readonly orderId?: string | undefined
    readonly currency?: string | undefined
  },
  now: DateTime.Utc
): Either.Either<Refund, string> =>
  Either.gen(function* () {
    const tag = lookup(refundStatuses, entity.refund_status)
    if (tag === undefined) return yield* Either.left(`unknown refund_status ${JSON.stringify(entity.refund_status)}`)
    const currency = entity.refund_currency ?? payment.currency
    if (currency === undefined) return yield* Either.left("the refund has no currency")
    const amount = yield* money(entity.refund_amount, currency, "refund_amount")
    const refundId = entity.refund_id ?? entity.cf_refund_id
    const paymentId = entity.cf_payment_id ?? payment.paymentId
    if (refundId === undefined || paymentId === undefined) return yield* Either.left("the refund has no id")
    const orderId = entity.order_id ?? payment.orderId
    const status: RefundStatus =
      tag === "Failed"
        ? { _tag: "Failed", reason: entity.status_description ?? entity.refund_status.toLowerCase() }
        : { _tag: tag }
    return yield* attempt(
      () =>
        Refund.make({
          ref: RefundRef.make({
            provider: PROVIDER,
            refundId: RefundId.make(refundId),
            payment: PaymentRef.make({
              provider: PROVIDER,
              paymentId: PaymentId.make(paymentId),
              ...(orderId === undefined ? {} : { orderId })
            })
          }),
          amount,
          status,
          ...(entity.refund_id === undefined ? {} : { reference: entity.refund_id }),
          ...(entity.refund_note === undefined ? {} : { reason: entity.refund_note }),
          createdAt: time(entity.created_at) ?? now
        }),
      "the refund"
    )
  })

// ---------------------------------------------------------------------------------------------
// Customers, instruments, cryptograms
// ---------------------------------------------------------------------------------------------

/** A core `Customer` from a `CustomerEntity`. */
export const customerFromEntity = (
  entity: Wire.CustomerEntity,
  reference: string | undefined
): Either.Either<Customer.Customer, string> =>
  attempt(
    () =>
      Customer.Customer.make({
        id: CustomerId.make(entity.customer_uid),
        provider: PROVIDER,
        ...(reference === undefined ? {} : { reference }),
        ...(entity.customer_name === undefined ? {} : { name: entity.customer_name }),
        ...(entity.customer_email === undefined ? {} : { email: entity.customer_email }),
        ...(entity.customer_phone === undefined ? {} : { phone: entity.customer_phone })
      }),
    "the customer"
  )

const MONTH = /^(0?[1-9]|1[0-2])$/

/** A month and four-digit year from Cashfree's `"06"` / `"25"` or `"2025"`. */
export const expiry = (
  month: string | number | undefined,
  year: string | number | undefined
): { readonly month: number; readonly year: number } | undefined => {
  const m = month === undefined ? "" : String(month).trim()
  const y = year === undefined ? "" : String(year).trim()
  if (!MONTH.test(m) || !/^(\d{2}|\d{4})$/.test(y)) return undefined
  return { month: Number(m), year: y.length === 2 ? 2000 + Number(y) : Number(y) }
}

/** A core `Instrument` from an `InstrumentEntity`. */
export const instrumentFromEntity = (entity: Wire.InstrumentEntity): Either.Either<Instrument.Instrument, string> => {
  const status = lookup(instrumentStatuses, entity.instrument_status)
  if (status === undefined) return Either.left(`unknown instrument_status ${JSON.stringify(entity.instrument_status)}`)
  const meta = entity.instrument_meta
  const token = meta?.card_token_details
  const digits = (entity.instrument_display ?? "").replace(/\D/g, "")
  const cardExpiry = expiry(token?.expiry_month, token?.expiry_year)
  const extra: Record<string, string> = {}
  if (entity.instrument_uid !== undefined) extra.instrument_uid = entity.instrument_uid
  if (entity.afa_reference !== undefined) extra.afa_reference = entity.afa_reference
  if (entity.created_at !== undefined) extra.created_at = entity.created_at
  if (entity.instrument_type !== undefined) extra.instrument_type = entity.instrument_type
  return attempt(
    () =>
      Instrument.Instrument.make({
        id: InstrumentId.make(entity.instrument_id),
        customerId: CustomerId.make(entity.customer_id),
        provider: PROVIDER,
        kind: entity.instrument_type === undefined || entity.instrument_type === "card" ? "card" : "other",
        display: digits.length >= 4 ? `•••• ${digits.slice(-4)}` : "••••",
        ...(meta?.card_network === undefined ? {} : { network: meta.card_network.toLowerCase() }),
        ...(meta?.card_bank_name === undefined ? {} : { issuer: meta.card_bank_name }),
        ...(meta?.card_country === undefined ? {} : { country: meta.card_country }),
        ...(meta?.card_type === undefined ? {} : { cardType: meta.card_type }),
        ...(cardExpiry === undefined ? {} : { expiry: cardExpiry }),
        status,
        isDefault: false,
        ...(token?.par === undefined ? {} : { tokenDetails: Instrument.TokenDetails.make({ par: token.par }) }),
        meta: extra
      }),
    "the instrument"
  )
}

/** A core `Cryptogram`; the token PAN and cryptogram are `Redacted` from here on. */
export const cryptogramFromEntity = (
  entity: Wire.CryptogramEntity,
  instrumentId: string
): Either.Either<Instrument.Cryptogram, string> => {
  const cardExpiry = expiry(entity.card_expiry_mm, entity.card_expiry_yy)
  if (cardExpiry === undefined) return Either.left("card_expiry_mm/card_expiry_yy do not form an expiry")
  return attempt(
    () =>
      Instrument.Cryptogram.make({
        instrumentId: InstrumentId.make(entity.instrument_id ?? instrumentId),
        tokenPan: Redacted.make(entity.card_number),
        expiry: cardExpiry,
        cryptogram: Redacted.make(entity.cryptogram),
        ...(entity.token_requestor_id === undefined ? {} : { tokenRequestorId: entity.token_requestor_id })
      }),
    "the cryptogram"
  )
}

// ---------------------------------------------------------------------------------------------
// Webhooks
// ---------------------------------------------------------------------------------------------

/** Webhook `type`s in the documents (cashfree.md §4, SPEC25 webhook schemas). */
export const webhookTypeValues = [
  "PAYMENT_SUCCESS_WEBHOOK",
  "PAYMENT_FAILED_WEBHOOK",
  "PAYMENT_USER_DROPPED_WEBHOOK",
  "PAYMENT_CHARGES_WEBHOOK",
  "REFUND_STATUS_WEBHOOK",
  "REFUND_SUCCESS_WEBHOOK",
  "AUTO_REFUND_STATUS_WEBHOOK",
  "SETTLEMENT_INITIATED",
  "SETTLEMENT_SUCCESS",
  "SETTLEMENT_FAILED",
  "SETTLEMENT_REVERSED",
  "INSTRUMENT_ACTIVE_WEBHOOK",
  "INSTRUMENT_FAILED_WEBHOOK"
] as const
export type WebhookTypeValue = (typeof webhookTypeValues)[number]

/**
 * Webhook `type` → which core event it becomes. Settlement and charges webhooks are about money
 * movements the ports do not model: they verify, then fail with `UnknownEvent`.
 */
export const webhookTypes: {
  readonly [T in WebhookTypeValue]: "payment" | "refund" | "auto-refund" | "instrument" | "unsupported"
} = {
  PAYMENT_SUCCESS_WEBHOOK: "payment",
  PAYMENT_FAILED_WEBHOOK: "payment",
  PAYMENT_USER_DROPPED_WEBHOOK: "payment",
  PAYMENT_CHARGES_WEBHOOK: "unsupported",
  REFUND_STATUS_WEBHOOK: "refund",
  // SPEC25's RefundWebhook example names this type.
  REFUND_SUCCESS_WEBHOOK: "refund",
  AUTO_REFUND_STATUS_WEBHOOK: "auto-refund",
  SETTLEMENT_INITIATED: "unsupported",
  SETTLEMENT_SUCCESS: "unsupported",
  SETTLEMENT_FAILED: "unsupported",
  SETTLEMENT_REVERSED: "unsupported",
  INSTRUMENT_ACTIVE_WEBHOOK: "instrument",
  INSTRUMENT_FAILED_WEBHOOK: "instrument"
}

/** The event kind of a webhook type, if documented. */
export const webhookKind = (type: string) => lookup(webhookTypes, type)
