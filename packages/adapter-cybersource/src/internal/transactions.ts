/**
 * Payment transactions shared by the Payments and Authorization ports: the payment request body,
 * reading payments back through TSS (details + related transactions), the TSS search by merchant
 * reference, and the create-at-most-once rule (reconcile by search before any retry).
 */
import * as Crypto from "@payport/core/Crypto"
import type * as Customer from "@payport/core/Customer"
import * as HttpPolicy from "@payport/core/HttpPolicy"
import { InstrumentId, OrderReference, PaymentId, PaymentRef, RefundId, RefundRef } from "@payport/core/Ids"
import * as Ledger from "@payport/core/Ledger"
import * as Money from "@payport/core/Money"
import { type Action, MethodSummary, Payment, type PaymentStatus } from "@payport/core/Payment"
import {
  Decline,
  IdempotencyConflict,
  InvalidRequest,
  InvalidState,
  NotFound,
  type OperationError,
  PaymentDeclined,
  UnsupportedMethod
} from "@payport/core/PaymentError"
import * as PaymentMethod from "@payport/core/PaymentMethod"
import type * as PaymentRequest from "@payport/core/PaymentRequest"
import { Refund, type RefundStatus } from "@payport/core/Refund"
import * as StateMachine from "@payport/core/StateMachine"
import * as Arr from "effect/Array"
import * as Clock from "effect/Clock"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { type Call, decode, invalid, PROVIDER, type Response, type Service } from "../CyberSourceClient.js"
import * as Mapping from "./mapping.js"
import * as Wire from "./wire.js"

// ---------------------------------------------------------------------------------------------
// Amounts, dates, refs
// ---------------------------------------------------------------------------------------------

/** Money from CyberSource decimal text, exactly; `None` when it does not parse. */
export const money = (amount: string | undefined, currency: string | undefined): Option.Option<Money.Money> =>
  amount === undefined || currency === undefined
    ? Option.none()
    : Either.getRight(Money.fromDecimal(amount, currency.trim().toUpperCase(), { allowTrailingZeros: true }))

/** The JSON amount object CyberSource expects: decimal text, never a float. */
export const amountDetails = (amount: Money.Money) => ({
  totalAmount: Money.toDecimal(amount),
  currency: amount.currency
})

const instant = (text: string | undefined): Effect.Effect<DateTime.Utc> =>
  Option.match(
    Option.flatMap(Option.fromNullable(text), (t) => DateTime.make(t)),
    {
      onNone: () => DateTime.now,
      onSome: (d) => Effect.succeed(DateTime.toUtc(d))
    }
  )

const isPaymentId = Schema.is(PaymentId)

/** Whether a provider id can be a `RefundId` (a longer or blank one cannot be named later). */
export const isRefundId = Schema.is(RefundId)

/** A payment's ref at CyberSource. */
export const paymentRef = (id: string): PaymentRef =>
  PaymentRef.make({ provider: PROVIDER, paymentId: PaymentId.make(id) })

const linkHrefs = (links: typeof Wire.Links.Type | undefined, name: string): ReadonlyArray<string> => {
  const value = links?.[name]
  if (value === undefined) return []
  return Array.isArray(value) ? value.map((l) => l.href) : [(value as typeof Wire.Link.Type).href]
}

const decodeInstrumentId = Schema.decodeUnknownOption(InstrumentId)

/** `{ instrumentId }` when the text is a valid id, else nothing. */
const instrumentIdField = (text: string) =>
  Option.match(decodeInstrumentId(text), { onNone: () => ({}), onSome: (instrumentId) => ({ instrumentId }) })

const savedField = (text: string) =>
  Option.match(decodeInstrumentId(text), {
    onNone: () => ({}),
    onSome: (savedInstrumentId) => ({ savedInstrumentId })
  })

const lastSegment = (href: string): string => href.split("?")[0]?.replace(/\/+$/, "").split("/").pop() ?? ""

// ---------------------------------------------------------------------------------------------
// Idempotency keys on the wire
// ---------------------------------------------------------------------------------------------

/**
 * CyberSource takes no idempotency header (providers/cybersource.md §4), so the key travels in two
 * documented request fields as a 30-hex-digit tag (the swagger's `transactionId` limit):
 * - `clientReferenceInformation.transactionId` on payments: CyberSource refuses a repeated one
 *   (400 `INVALID_DATA`, client-node #45), so a replay can never charge twice;
 * - `clientReferenceInformation.comments` on payments and follow-ons, which TSS details echo (the
 *   2020 swagger's `TssV2TransactionsGet200Response`), so a replay finds what its key created.
 */
export const keyTag = (key: string): Effect.Effect<string> =>
  Effect.map(Crypto.sha256(`payport-idempotency:${key}`), (digest) => Crypto.toHex(digest).slice(0, 30))

const COMMENTS_PREFIX = "payport-idempotency "

/** The `comments` text that carries a key's tag. */
export const commentsFor = (tag: string): string => `${COMMENTS_PREFIX}${tag}`

/** The tag a TSS record carries in `clientReferenceInformation.comments`, if any. */
export const tagOf = (details: Wire.TransactionDetails): string | undefined => {
  const comments = details.clientReferenceInformation?.comments
  return comments?.startsWith(COMMENTS_PREFIX) ? comments.slice(COMMENTS_PREFIX.length) : undefined
}

/** `IdempotencyConflict`: the key was used for a different request. */
export const conflict = (operation: string, key: string) =>
  new IdempotencyConflict({ provider: PROVIDER, operation, idempotencyKey: key })

// ---------------------------------------------------------------------------------------------
// Request bodies
// ---------------------------------------------------------------------------------------------

/** A two-digit month or day, as CyberSource writes expiry months. */
export const pad2 = (n: number) => String(n).padStart(2, "0")

/** A core address as CyberSource's `billTo`; `email` fills in when the address has none. */
export const billToOf = (address: Customer.Address, email?: string) => {
  const mail = address.email ?? email
  return {
    firstName: address.firstName,
    lastName: address.lastName,
    address1: address.line1,
    ...(address.line2 === undefined ? {} : { address2: address.line2 }),
    locality: address.city,
    ...(address.region === undefined ? {} : { administrativeArea: address.region }),
    postalCode: address.postalCode,
    country: address.country,
    ...(mail === undefined ? {} : { email: mail }),
    ...(address.phone === undefined ? {} : { phoneNumber: address.phone })
  }
}

const billTo = (address: Customer.Address | undefined, email: string | undefined) =>
  address === undefined ? (email === undefined ? undefined : { email }) : billToOf(address, email)

/** The methods this adapter can pay with. */
export const supportedMethods: ReadonlyArray<PaymentMethod.MethodKind> = ["Card", "SavedCard", "NetworkToken"]

/**
 * The `POST /pts/v2/payments` body. Card data is unwrapped here, the last moment before the
 * body is serialised and signed. Other methods fail before any I/O.
 */
export const paymentBody = (
  request: PaymentRequest.CreatePayment,
  operation: string,
  tag?: string
): Either.Either<Record<string, unknown>, UnsupportedMethod> => {
  const method = request.method
  const saving = request.saveInstrument === true && request.customer !== undefined
  let paymentInformation: Record<string, unknown>
  let processing: Record<string, unknown> = {}
  switch (method._tag) {
    case "Card": {
      const digits = Redacted.value(PaymentMethod.normalizeNumber(method.number))
      const type = Mapping.cardTypeCodes[PaymentMethod.cardNetwork(digits)]
      paymentInformation = {
        card: {
          number: digits,
          expirationMonth: pad2(method.expiry.month),
          expirationYear: String(method.expiry.year),
          ...(method.cvv === undefined ? {} : { securityCode: Redacted.value(method.cvv) }),
          ...(type === undefined ? {} : { type })
        }
      }
      processing = { commerceIndicator: "internet" }
      break
    }
    case "SavedCard":
      paymentInformation = {
        paymentInstrument: { id: method.instrumentId },
        ...(method.cvv === undefined ? {} : { card: { securityCode: Redacted.value(method.cvv) } })
      }
      processing = { commerceIndicator: "internet" }
      break
    case "NetworkToken": {
      const digits = Redacted.value(PaymentMethod.normalizeNumber(method.tokenPan))
      const type = Mapping.cardTypeCodes[PaymentMethod.cardNetwork(digits)]
      paymentInformation = {
        tokenizedCard: {
          number: digits,
          expirationMonth: pad2(method.expiry.month),
          expirationYear: String(method.expiry.year),
          cryptogram: Redacted.value(method.cryptogram),
          // "3": a network token with its cryptogram, as in the sandbox transcript.
          transactionType: "3",
          ...(method.tokenRequestorId === undefined ? {} : { requestorId: method.tokenRequestorId }),
          ...(type === undefined ? {} : { type })
        }
      }
      processing = { commerceIndicator: "internet" }
      break
    }
    default:
      return Either.left(new UnsupportedMethod({ provider: PROVIDER, operation, method: method._tag }))
  }
  if (request.customer !== undefined && (saving || method._tag === "SavedCard")) {
    paymentInformation = { ...paymentInformation, customer: { id: request.customer.id } }
  }
  if (saving) {
    processing = {
      ...processing,
      actionList: ["TOKEN_CREATE"],
      actionTokenTypes: ["paymentInstrument", "instrumentIdentifier"]
    }
  }
  processing = { ...processing, ...Mapping.initiatorProcessing(request) }
  const bill = billTo(request.billing, request.customer?.email)
  return Either.right({
    clientReferenceInformation: {
      code: request.reference,
      ...(tag === undefined ? {} : { transactionId: tag, comments: commentsFor(tag) })
    },
    processingInformation: { capture: request.captureMode === "automatic", ...processing },
    paymentInformation,
    orderInformation: {
      amountDetails: amountDetails(request.amount),
      ...(bill === undefined ? {} : { billTo: bill })
    }
  })
}

// ---------------------------------------------------------------------------------------------
// Statuses
// ---------------------------------------------------------------------------------------------

/** The decline code when a declined status arrives without a reason. */
const statusDeclines: Readonly<Record<string, string>> = {
  AUTHORIZED_RISK_DECLINED: "DECISION_PROFILE_REJECT",
  REJECTED: "DECISION_PROFILE_REJECT",
  FAILED: "PROCESSOR_ERROR",
  SERVER_ERROR: "PROCESSOR_ERROR"
}

/** The core decline for a declined or failed transaction. */
export const declineOf = (status: string, reason: string | undefined): Decline => {
  const providerCode = (reason ?? statusDeclines[status.trim().toUpperCase()] ?? status).trim()
  return Decline.of(Mapping.declineCode(providerCode), { providerCode })
}

const threeDs = (response: Wire.PaymentResponse): Option.Option<Action> => {
  const info = response.consumerAuthenticationInformation
  const url = info?.stepUpUrl ?? info?.acsUrl
  if (url === undefined) return Option.none()
  const form: Record<string, string> =
    info?.accessToken !== undefined ? { JWT: info.accessToken } : info?.pareq !== undefined ? { PaReq: info.pareq } : {}
  return Option.some({ _tag: "ThreeDs", url, form })
}

// ---------------------------------------------------------------------------------------------
// Payment creation
// ---------------------------------------------------------------------------------------------

const methodSummary = (method: PaymentMethod.PaymentMethod): MethodSummary => {
  switch (method._tag) {
    case "Card":
    case "CardEmi": {
      const digits = Redacted.value(PaymentMethod.normalizeNumber(method.number))
      return MethodSummary.make({
        kind: "Card",
        display: PaymentMethod.mask(digits),
        network: PaymentMethod.cardNetwork(digits)
      })
    }
    case "NetworkToken": {
      const digits = Redacted.value(PaymentMethod.normalizeNumber(method.tokenPan))
      return MethodSummary.make({
        kind: "NetworkToken",
        display: PaymentMethod.mask(digits),
        network: PaymentMethod.cardNetwork(digits)
      })
    }
    case "SavedCard":
      return MethodSummary.make({ kind: "SavedCard", ...instrumentIdField(method.instrumentId) })
    default:
      return MethodSummary.make({ kind: method._tag })
  }
}

/**
 * The payment a `POST /pts/v2/payments` 201 describes. A `DECLINED` (or risk-declined, invalid)
 * status fails with `PaymentDeclined`/`InvalidRequest`; an unknown status is `OutcomeUnknown`.
 */
export const paymentFromCreate = (
  call: Call,
  request: PaymentRequest.CreatePayment,
  response: Response
): Effect.Effect<Payment, OperationError> =>
  Effect.gen(function* () {
    const body = yield* decode(Wire.PaymentResponse, call)(response)
    // An authorization was made, but under an id no later call could name: the outcome is unknown.
    if (!isPaymentId(body.id)) return yield* Effect.fail(invalid(call, response, "the payment id is not usable"))
    const klass = Mapping.statusClass(body.status)
    if (klass === undefined) return yield* Effect.fail(invalid(call, response, `unknown status ${body.status}`))
    const ctx = {
      provider: PROVIDER,
      operation: call.operation,
      httpStatus: response.status,
      ...(response.requestId === undefined ? {} : { requestId: response.requestId })
    }
    if (body.status.toUpperCase() === "INVALID_REQUEST") {
      return yield* new InvalidRequest({
        ...ctx,
        details: body.errorInformation?.reason ?? body.errorInformation?.message ?? "INVALID_REQUEST"
      })
    }
    if (klass === "declined" || klass === "failed") {
      return yield* new PaymentDeclined({
        ...ctx,
        decline: declineOf(body.status, body.errorInformation?.reason)
      })
    }
    const details = body.orderInformation?.amountDetails
    const amount = Option.getOrElse(
      money(details?.authorizedAmount ?? details?.totalAmount, details?.currency),
      () => request.amount
    )
    if (amount.currency !== request.amount.currency) {
      return yield* Effect.fail(invalid(call, response, "the response currency differs from the request's"))
    }
    let status: PaymentStatus
    let ledger = Ledger.empty(amount.currency)
    switch (klass) {
      case "approved":
      case "pending":
      case "settled":
        if (request.captureMode === "automatic") {
          status = { _tag: "Captured" }
          ledger = Ledger.captured(amount)
        } else {
          status = { _tag: "Authorized" }
          ledger = Ledger.authorized(amount)
        }
        break
      case "review":
        status = { _tag: "Processing" }
        break
      case "challenge": {
        const action = threeDs(body)
        if (Option.isNone(action)) {
          return yield* Effect.fail(invalid(call, response, "PENDING_AUTHENTICATION without a step-up URL"))
        }
        status = { _tag: "RequiresAction", action: action.value }
        break
      }
      case "reversed":
      case "voided":
        status = { _tag: "Voided" }
        break
    }
    const saved = body.tokenInformation?.paymentInstrument?.id
    return Payment.make({
      ref: paymentRef(body.id),
      reference: request.reference,
      amount: request.amount,
      ledger,
      captureMode: request.captureMode,
      method: methodSummary(request.method),
      status,
      ...(request.customer === undefined ? {} : { customerId: request.customer.id }),
      ...(saved === undefined ? {} : savedField(saved)),
      ...Mapping.processorField(body.processorInformation, body.submitTimeUtc),
      createdAt: yield* instant(body.submitTimeUtc)
    })
  })

// ---------------------------------------------------------------------------------------------
// TSS reads
// ---------------------------------------------------------------------------------------------

/** A TSS record and what kind of transaction it is. */
export interface TxRecord {
  readonly details: Wire.TransactionDetails
  readonly kind: Mapping.TransactionKind | undefined
  readonly status: string
}

const applicationNames = (d: {
  readonly applicationInformation?:
    | { readonly applications?: ReadonlyArray<{ readonly name?: string | undefined }> | undefined }
    | undefined
}): ReadonlyArray<string> =>
  (d.applicationInformation?.applications ?? []).flatMap((a) => (a.name === undefined ? [] : [a.name]))

/** `GET /tss/v2/transactions/{id}`. */
export const transaction = (
  client: Service,
  id: string,
  operation: string,
  resource: string
): Effect.Effect<TxRecord, OperationError> => {
  const call: Call = {
    operation,
    method: "GET",
    path: `/tss/v2/transactions/${encodeURIComponent(id)}`,
    api: "tss",
    mutating: false,
    resource,
    resourceId: id
  }
  return client.execute(call, (response) =>
    Effect.map(decode(Wire.TransactionDetails, call)(response), (details) => ({
      details,
      kind: Mapping.transactionKind(applicationNames(details)),
      status: details.applicationInformation?.status ?? details.status ?? ""
    }))
  )
}

/** A payment with the TSS records of its follow-ons. */
export interface PaymentRecord {
  readonly payment: Payment
  readonly related: ReadonlyArray<TxRecord>
  /** The idempotency tag of the request that created it (see `keyTag`). */
  readonly tag: string | undefined
}

const sum = (records: ReadonlyArray<TxRecord>, currency: string): number =>
  records.reduce((total, r) => {
    const a = r.details.orderInformation?.amountDetails
    return (
      total +
      Option.match(money(a?.totalAmount ?? a?.authorizedAmount, a?.currency ?? currency), {
        onNone: () => 0,
        onSome: (m) => m.amount
      })
    )
  }, 0)

const live = (r: TxRecord) => {
  const klass = Mapping.statusClass(r.status)
  return klass !== "declined" && klass !== "failed" && klass !== "voided" && klass !== "reversed"
}

/**
 * A payment as TSS sees it now: the authorization's record plus its related transactions
 * (captures, refunds, reversals, voids) for the ledger.
 */
export const readPayment = (
  client: Service,
  id: string,
  operation: string
): Effect.Effect<PaymentRecord, OperationError> =>
  Effect.gen(function* () {
    const root = yield* transaction(client, id, operation, "payment")
    const call: Call = {
      operation,
      method: "GET",
      path: `/tss/v2/transactions/${id}`,
      api: "tss",
      mutating: false,
      resource: "payment",
      resourceId: id
    }
    const d = root.details
    const raw: Response = { status: 200, headers: {}, text: JSON.stringify(d), json: Option.some(d) }
    if (root.kind !== undefined && root.kind !== "authorization") {
      return yield* new NotFound({ provider: PROVIDER, operation, resource: "payment", id })
    }
    const klass = Mapping.statusClass(root.status)
    if (klass === undefined) return yield* Effect.fail(invalid(call, raw, `unknown status ${root.status}`))
    const details = d.orderInformation?.amountDetails
    // `totalAmount` is what was asked for (the payment's amount); `authorizedAmount` what the issuer
    // approved (the ledger) — 0.00 on a decline, less on a partial approval (TSS details schema).
    const amount = money(details?.totalAmount ?? details?.authorizedAmount, details?.currency)
    if (Option.isNone(amount)) return yield* Effect.fail(invalid(call, raw, "the payment has no amount"))
    const approvedAmount = Option.getOrElse(
      money(details?.authorizedAmount ?? details?.totalAmount, details?.currency),
      () => amount.value
    )
    if (!isPaymentId(d.id)) return yield* Effect.fail(invalid(call, raw, "the payment id is not usable"))
    const referenceResult = Schema.decodeUnknownEither(OrderReference)(d.clientReferenceInformation?.code)
    if (Either.isLeft(referenceResult)) {
      return yield* Effect.fail(invalid(call, raw, "the payment has no usable merchant reference"))
    }
    const relatedIds = linkHrefs(d._links, "relatedTransactions")
      .map(lastSegment)
      .filter((rid) => rid.length > 0 && rid !== id)
    const related = yield* Effect.forEach(relatedIds, (rid) => transaction(client, rid, operation, "transaction"), {
      concurrency: 4
    })
    const currency = amount.value.currency
    const names = applicationNames(d)
    const sale = names.includes("ics_bill")
    const captures = related.filter((r) => r.kind === "capture" && live(r))
    const refunds = related.filter((r) => r.kind === "refund" && live(r))
    const released = related.some((r) => r.kind === "reversal" || r.kind === "void") || klass === "reversed"
    const approved = klass === "approved" || klass === "pending" || klass === "settled"
    const authorized = approved || released ? approvedAmount.amount : 0
    const captured = sale && approved ? authorized : Math.min(authorized, sum(captures, currency))
    const refunded = Math.min(captured, sum(refunds, currency))
    const ledger = Ledger.Ledger.make({
      authorized: Money.unsafeMake(authorized, currency),
      captured: Money.unsafeMake(captured, currency),
      refunded: Money.unsafeMake(refunded, currency)
    })
    let status: PaymentStatus
    if (klass === "declined" || klass === "failed") {
      status = {
        _tag: "Failed",
        decline: declineOf(root.status, d.errorInformation?.reason)
      }
    } else if (klass === "review" || klass === "challenge") {
      status = { _tag: "Processing" }
    } else if ((released && captured === 0) || klass === "voided" || (sale && released)) {
      status = { _tag: "Voided" }
    } else {
      status = { _tag: StateMachine.statusForLedger(ledger) }
    }
    const card = d.paymentInformation?.card
    const instrumentId = d.paymentInformation?.paymentInstrument?.id
    const method = MethodSummary.make({
      kind: instrumentId === undefined ? "Card" : "SavedCard",
      ...(card?.suffix === undefined ? {} : { display: PaymentMethod.mask(card.suffix) }),
      ...(card?.type === undefined || Mapping.cardNetworks[card.type] === undefined
        ? {}
        : { network: Mapping.cardNetworks[card.type] }),
      ...(instrumentId === undefined ? {} : instrumentIdField(instrumentId))
    })
    const payment = Payment.make({
      ref: paymentRef(d.id),
      reference: referenceResult.right,
      amount: amount.value,
      ledger,
      captureMode: sale ? "automatic" : "manual",
      method,
      status,
      ...Mapping.processorField(d.processorInformation, d.submitTimeUTC ?? d.submitTimeUtc),
      createdAt: yield* instant(d.submitTimeUTC ?? d.submitTimeUtc)
    })
    return { payment, related, tag: tagOf(d) }
  })

/** A refund from its TSS record. */
export const refundFromRecord = (
  record: TxRecord,
  payment: PaymentRef,
  currency: string | undefined
): Effect.Effect<Option.Option<Refund>> =>
  Effect.gen(function* () {
    const a = record.details.orderInformation?.amountDetails
    const amount = money(a?.totalAmount, a?.currency ?? currency)
    const id = record.details.id
    // Like a refund without an amount: a record whose id is no usable refund id is not one we can return.
    if (Option.isNone(amount) || !isRefundId(id)) return Option.none()
    return Option.some(
      Refund.make({
        ref: RefundRef.make({ provider: PROVIDER, refundId: id, payment }),
        amount: amount.value,
        status: refundStatus(record.status, record.details.errorInformation?.reason),
        ...(record.details.clientReferenceInformation?.code === undefined
          ? {}
          : { reference: record.details.clientReferenceInformation.code }),
        createdAt: yield* instant(record.details.submitTimeUTC ?? record.details.submitTimeUtc)
      })
    )
  })

/** A refund status from a CyberSource status. */
export const refundStatus = (status: string, reason: string | undefined): RefundStatus => {
  switch (Mapping.statusClass(status)) {
    case "settled":
      return { _tag: "Succeeded" }
    case "pending":
    case "approved":
    case "review":
    case "challenge":
      return { _tag: "Pending" }
    case "declined":
    case "failed":
      return { _tag: "Failed", reason: (reason ?? status).trim() }
    case "voided":
    case "reversed":
      return { _tag: "Failed", reason: "voided" }
    case undefined:
      return { _tag: "Pending" }
  }
}

// ---------------------------------------------------------------------------------------------
// Search
// ---------------------------------------------------------------------------------------------

/**
 * `POST /tss/v2/searches` for a merchant reference: the ids of its authorizations (records whose
 * applications say capture/refund/reversal/void are left out). An empty result that arrives as a
 * 404 with `count: 0` (seen in the wild) is an empty list.
 */
export const search = (
  client: Service,
  reference: string,
  operation: string
): Effect.Effect<ReadonlyArray<Wire.TransactionSummary>, OperationError> => {
  const call: Call = {
    operation,
    method: "POST",
    path: "/tss/v2/searches",
    api: "tss",
    mutating: false,
    resource: "search",
    body: {
      save: false,
      name: "payport-reference",
      timezone: "UTC",
      query: `clientReferenceInformation.code:${reference}`,
      offset: 0,
      limit: 100,
      sort: "submitTimeUtc:asc"
    }
  }
  return client
    .execute(call, (response) =>
      Effect.map(decode(Wire.SearchResponse, call)(response), (body) => body._embedded?.transactionSummaries ?? [])
    )
    .pipe(
      Effect.catchTag("NotFound", () => Effect.succeed([])),
      Effect.map((summaries) =>
        summaries.filter((s) => {
          const code = s.clientReferenceInformation?.code
          const kind = Mapping.transactionKind(applicationNames(s))
          return (code === undefined || code === reference) && (kind === undefined || kind === "authorization")
        })
      )
    )
}

/** Every payment record for a merchant reference, oldest first. */
export const listRecords = (
  client: Service,
  reference: string,
  operation: string
): Effect.Effect<ReadonlyArray<PaymentRecord>, OperationError> =>
  Effect.flatMap(search(client, reference, operation), (summaries) =>
    Effect.forEach(
      summaries,
      (s) =>
        readPayment(client, s.id, operation).pipe(
          Effect.map(Option.some),
          // a follow-on that slipped through the search filter is not a payment
          Effect.catchTag("NotFound", () => Effect.succeed(Option.none<PaymentRecord>()))
        ),
      { concurrency: 4 }
    ).pipe(
      Effect.map(Arr.getSomes),
      Effect.map((all) => all.filter((r) => r.payment.reference === reference))
    )
  )

/** Every payment for a merchant reference, oldest first. */
export const listPayments = (
  client: Service,
  reference: string,
  operation: string
): Effect.Effect<ReadonlyArray<Payment>, OperationError> =>
  Effect.map(listRecords(client, reference, operation), (records) => records.map((r) => r.payment))

// ---------------------------------------------------------------------------------------------
// Create at most once
// ---------------------------------------------------------------------------------------------

/**
 * What the creation of `record` answered, rebuilt from its TSS record, so a replay returns the
 * original result however the payment moved since: a decline is re-raised, an approval is
 * `Authorized` (hold) or `Captured` (sale) for the approved amount. A different amount or capture
 * mode under the same key is `IdempotencyConflict`.
 */
export const originalAnswer = (
  record: PaymentRecord,
  request: PaymentRequest.CreatePayment,
  operation: string
): Effect.Effect<Payment, OperationError> => {
  const payment = record.payment
  const declined = payment.status._tag === "Failed"
  // A declined record says nothing reliable about the capture mode (no `ics_bill` ran).
  if (!Money.equals(payment.amount, request.amount) || (!declined && payment.captureMode !== request.captureMode)) {
    return Effect.fail(conflict(operation, request.idempotencyKey))
  }
  if (payment.status._tag === "Failed") {
    return Effect.fail(new PaymentDeclined({ provider: PROVIDER, operation, decline: payment.status.decline }))
  }
  const approved = payment.ledger.authorized
  if (approved.amount === 0) return Effect.succeed(payment)
  const sale = request.captureMode === "automatic"
  return Effect.succeed(
    Payment.make({
      ...payment,
      method: methodSummary(request.method),
      status: { _tag: sale ? "Captured" : "Authorized" },
      ledger: sale ? Ledger.captured(approved) : Ledger.authorized(approved),
      ...(request.customer === undefined ? {} : { customerId: request.customer.id })
    })
  )
}

/**
 * Creates a payment so that it exists at most once at CyberSource, which has no idempotency key.
 *
 * The POST runs under the call policy with a reconcile step: before any retry that follows an
 * attempt that may have applied (timeout, reset after sending, 5xx, a success that does not
 * decode), TSS is searched for `clientReferenceInformation.code`; the payment this key created
 * (its tag in `comments`) is answered as it was created (a decline is re-raised), and only when
 * none exists is the POST repeated. The key's tag is also the `transactionId`, which CyberSource
 * refuses to see twice, so a repeated POST cannot charge again either; the refusal is answered the
 * same way (a replay of the same key returns the original result, a different request under it is
 * `IdempotencyConflict`). Whether the outcome is then unknown is core's decision (`Ambiguity`).
 */
export const createOnce = (
  client: Service,
  request: PaymentRequest.CreatePayment,
  operation: string
): Effect.Effect<Payment, OperationError> =>
  Effect.gen(function* () {
    const tag = yield* keyTag(request.idempotencyKey)
    const body = yield* paymentBody(request, operation, tag)
    const call: Call = {
      operation,
      method: "POST",
      path: "/pts/v2/payments",
      api: "pts",
      mutating: true,
      resource: "payment",
      body,
      idempotencyKey: request.idempotencyKey
    }

    // The payment this key created: the one whose TSS record carries the key's tag (or, from a
    // provider that does not echo `comments`, an untagged one of the same amount), newest first.
    const created = Effect.gen(function* () {
      const records = yield* listRecords(client, request.reference, operation)
      const match = records
        .filter((r) => (r.tag === undefined ? Money.equals(r.payment.amount, request.amount) : r.tag === tag))
        .sort((a, b) => DateTime.toEpochMillis(b.payment.createdAt) - DateTime.toEpochMillis(a.payment.createdAt))[0]
      return Option.fromNullable(match)
    })

    const reconcile = Effect.flatMap(created, (found) =>
      Option.isSome(found)
        ? Effect.map(originalAnswer(found.value, request, operation), Option.some)
        : Effect.succeed(Option.none<Payment>())
    )

    const post = client.send(call).pipe(
      Effect.flatMap((response) => paymentFromCreate(call, request, response)),
      // A replayed key is refused by CyberSource (repeated `transactionId`): answer what it created.
      // If that lookup fails, the refusal stands (core decides what it means after an attempt that
      // may have applied).
      Effect.catchTag("InvalidRequest", (error) =>
        Effect.flatMap(Effect.orElseSucceed(created, Option.none), (found) =>
          Option.isSome(found) && found.value.tag === tag
            ? originalAnswer(found.value, request, operation)
            : Effect.fail(error)
        )
      )
    )

    return yield* HttpPolicy.execute({ ...client.policy(call), reference: request.reference }, () => post, {
      reconcile
    })
  })

// ---------------------------------------------------------------------------------------------
// Follow-ons
// ---------------------------------------------------------------------------------------------

/** `InvalidState` for an operation the payment's state forbids. */
export const invalidState = (operation: string, reason: string) =>
  new InvalidState({ provider: PROVIDER, operation, reason })

/** Decodes a follow-on 201 and its status class; unknown statuses are `OutcomeUnknown`. */
export const followOn = (call: Call, response: Response) =>
  Effect.flatMap(decode(Wire.FollowOnResponse, call)(response), (body) => {
    const klass = Mapping.statusClass(body.status)
    return klass === undefined
      ? Effect.fail(invalid(call, response, `unknown status ${body.status}`))
      : Effect.succeed({ body, klass })
  })

/** The time now, for follow-ons without `submitTimeUtc`. */
export const now = Effect.map(Clock.currentTimeMillis, (ms) => DateTime.unsafeMake(ms))

/** The creation instant of a follow-on. */
export const createdAt = instant
