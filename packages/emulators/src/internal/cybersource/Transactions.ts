/**
 * Transaction Search and details (TSS): GET /tss/v2/transactions/{id} for any transaction the
 * emulator recorded (payments, captures, refunds, reversals, voids) and POST /tss/v2/searches with
 * the documented query language, of which the emulator understands what reconciliation needs:
 * `clientReferenceInformation.code:…` and `id:…` terms joined by `AND`, with `submitTimeUtc:[… TO …}`
 * ranges accepted (and not narrowing: every record is recent).
 */
import type { CurrencyCode } from "@payport/core/Currency"
import * as Amount from "./Amount.js"
import type { ApiRequest, Env } from "./Env.js"
import { approvalInformation, capturedOf, isApproved, refundedOf } from "./Payments.js"
import type { CardSummary, PaymentRecord } from "./State.js"
import {
  invalidField,
  invalidRequest,
  isObject,
  type Json,
  type JsonObject,
  link,
  messages,
  missingField,
  notFound,
  type Reply,
  submitTime,
  text
} from "./Wire.js"

/** One transaction as TSS sees it, whatever its kind. */
interface Transaction {
  readonly id: string
  readonly rootId: string
  readonly submitTimeUtc: string
  readonly code: string | undefined
  readonly comments: string | undefined
  /** The TSS application name: `ics_auth`, `ics_bill`, `ics_credit`, `ics_auth_reversal`, `ics_void`. */
  readonly applications: ReadonlyArray<string>
  readonly status: string
  readonly declined?: { readonly reason: string; readonly message: string }
  readonly amount: number
  readonly authorizedAmount?: number
  readonly currency: CurrencyCode
  readonly reconciliationId: string
  readonly card: CardSummary | undefined
  readonly related: ReadonlyArray<string>
  /** Creation order, for stable sorting among equal `submitTimeUtc`s. */
  readonly order: number
}

const withDecline = (payment: PaymentRecord) =>
  payment.errorInformation !== undefined && payment.status !== "AUTHORIZED_PENDING_REVIEW"
    ? { declined: payment.errorInformation }
    : {}

/** A payment's current status: the PTS status, moved on by reversal, void or settlement. */
const paymentStatus = (payment: PaymentRecord): string => {
  if (payment.reversalId !== undefined) return "REVERSED"
  if (payment.sale && payment.saleSettlement === "VOIDED") return "VOIDED"
  if (payment.sale && payment.saleSettlement === "TRANSMITTED") return "TRANSMITTED"
  return payment.status
}

type Store = Env["store"]
type CaptureRecord = Store["captures"] extends Map<string, infer V> ? V : never
type RefundRecord = Store["refunds"] extends Map<string, infer V> ? V : never
type ReversalRecord = Store["reversals"] extends Map<string, infer V> ? V : never
type VoidRecord = Store["voids"] extends Map<string, infer V> ? V : never

const cardOf = (env: Env, paymentId: string) => env.store.payments.get(paymentId)?.card

const ofPayment = (p: PaymentRecord, related: ReadonlyArray<string>, order: number): Transaction => ({
  id: p.id,
  rootId: p.id,
  submitTimeUtc: p.submitTimeUtc,
  code: p.code,
  comments: p.comments,
  applications: p.sale ? ["ics_auth", "ics_bill"] : ["ics_auth"],
  status: paymentStatus(p),
  ...withDecline(p),
  amount: p.totalAmount,
  authorizedAmount: p.authorizedAmount,
  currency: p.currency,
  reconciliationId: p.reconciliationId,
  card: p.card,
  related,
  order
})

const ofCapture = (env: Env, c: CaptureRecord, order: number): Transaction => ({
  id: c.id,
  rootId: c.paymentId,
  submitTimeUtc: c.submitTimeUtc,
  code: c.code,
  comments: c.comments,
  applications: ["ics_bill"],
  status: c.status,
  amount: c.amount,
  currency: c.currency,
  reconciliationId: c.reconciliationId,
  card: cardOf(env, c.paymentId),
  related: [c.paymentId, ...c.refundIds, ...(c.voidId === undefined ? [] : [c.voidId])],
  order
})

const ofRefund = (env: Env, r: RefundRecord, order: number): Transaction => ({
  id: r.id,
  rootId: r.paymentId,
  submitTimeUtc: r.submitTimeUtc,
  code: r.code,
  comments: r.comments,
  applications: ["ics_credit"],
  status: r.status,
  amount: r.amount,
  currency: r.currency,
  reconciliationId: r.reconciliationId,
  card: cardOf(env, r.paymentId),
  related: [r.captureId ?? r.paymentId, ...(r.voidId === undefined ? [] : [r.voidId])],
  order
})

/** A reversal (of the authorization) or a void (of a capture, refund or sale): the hold released. */
const ofRelease = (
  env: Env,
  r: ReversalRecord | VoidRecord,
  kind: "reversal" | "void",
  target: string,
  order: number
): Transaction => ({
  id: r.id,
  rootId: r.paymentId,
  submitTimeUtc: r.submitTimeUtc,
  code: r.code,
  comments: r.comments,
  applications: [kind === "reversal" ? "ics_auth_reversal" : "ics_void"],
  status: kind === "reversal" ? "REVERSED" : "VOIDED",
  amount: r.amount,
  currency: r.currency,
  reconciliationId: env.store.payments.get(r.paymentId)?.reconciliationId ?? "",
  card: cardOf(env, r.paymentId),
  related: [target],
  order
})

const ofReversal = (env: Env, r: ReversalRecord, order: number) => ofRelease(env, r, "reversal", r.paymentId, order)
const ofVoid = (env: Env, v: VoidRecord, order: number) => ofRelease(env, v, "void", v.targetId, order)

/** The follow-ons of a payment: captures, refunds, reversals, voids, each in creation order. */
const followOnsOf = (env: Env, paymentId: string): ReadonlyArray<string> => {
  const out: Array<string> = []
  for (const store of [env.store.captures, env.store.refunds, env.store.reversals, env.store.voids]) {
    for (const record of store.values()) if (record.paymentId === paymentId) out.push(record.id)
  }
  return out
}

/** Every transaction, in creation order. */
const transactions = (env: Env): ReadonlyArray<Transaction> => {
  const out: Array<Transaction> = []
  const byPayment = new Map<string, Array<string>>()
  const relate = (paymentId: string, id: string) => {
    const ids = byPayment.get(paymentId)
    if (ids === undefined) byPayment.set(paymentId, [id])
    else ids.push(id)
  }
  for (const c of env.store.captures.values()) relate(c.paymentId, c.id)
  for (const r of env.store.refunds.values()) relate(r.paymentId, r.id)
  for (const r of env.store.reversals.values()) relate(r.paymentId, r.id)
  for (const v of env.store.voids.values()) relate(v.paymentId, v.id)
  for (const p of env.store.payments.values()) out.push(ofPayment(p, byPayment.get(p.id) ?? [], out.length))
  for (const c of env.store.captures.values()) out.push(ofCapture(env, c, out.length))
  for (const r of env.store.refunds.values()) out.push(ofRefund(env, r, out.length))
  for (const r of env.store.reversals.values()) out.push(ofReversal(env, r, out.length))
  for (const v of env.store.voids.values()) out.push(ofVoid(env, v, out.length))
  return out
}

/**
 * One transaction by id, without building every other one (a GET per capture was O(all
 * transactions) and slowed a long run to a crawl). `order` only sorts searches, so it is 0 here.
 */
const transactionById = (env: Env, id: string): Transaction | undefined => {
  const payment = env.store.payments.get(id)
  if (payment !== undefined) return ofPayment(payment, followOnsOf(env, id), 0)
  const capture = env.store.captures.get(id)
  if (capture !== undefined) return ofCapture(env, capture, 0)
  const refund = env.store.refunds.get(id)
  if (refund !== undefined) return ofRefund(env, refund, 0)
  const reversal = env.store.reversals.get(id)
  if (reversal !== undefined) return ofReversal(env, reversal, 0)
  const voided = env.store.voids.get(id)
  return voided === undefined ? undefined : ofVoid(env, voided, 0)
}

const detailHref = (id: string) => `/tss/v2/transactions/${id}`

const applicationEntries = (t: Transaction, withStatus: boolean): ReadonlyArray<JsonObject> =>
  t.applications.map((name) => ({
    name,
    ...(withStatus ? { status: t.status } : {}),
    reasonCode: t.declined === undefined ? "100" : "203",
    rCode: t.declined === undefined ? "1" : "0",
    rFlag: t.declined === undefined ? "SOK" : "DCARDREFUSED",
    reconciliationId: t.reconciliationId,
    rMessage: t.declined === undefined ? "Request was processed successfully." : t.declined.message,
    returnCode: t.declined === undefined ? 1010000 : 1020000
  }))

const cardJson = (card: CardSummary | undefined, full: boolean): Json | undefined =>
  card === undefined
    ? undefined
    : {
        suffix: card.suffix,
        prefix: card.bin,
        ...(full ? { expirationMonth: card.expirationMonth, expirationYear: card.expirationYear } : {}),
        type: card.type
      }

/** A payment's processor details in TSS: the authorization's answer, once it was approved. */
const approvedDetails = (payment: PaymentRecord): JsonObject => {
  if (!isApproved(payment.status)) return {}
  const { cardVerification, ...rest } = approvalInformation(payment)
  return isObject(cardVerification) ? { ...rest, cardVerification: { resultCode: cardVerification.resultCode } } : rest
}

/** GET /tss/v2/transactions/{id} body. */
const renderDetails = (env: Env, t: Transaction): JsonObject => {
  const payment = env.store.payments.get(t.rootId)
  const isPayment = payment !== undefined && payment.id === t.id
  return {
    id: t.id,
    rootId: t.rootId,
    reconciliationId: t.reconciliationId,
    merchantId: env.merchantId,
    status: t.status,
    submitTimeUTC: t.submitTimeUtc,
    applicationInformation: {
      status: t.status,
      reasonCode: t.declined === undefined ? "100" : "203",
      rCode: t.declined === undefined ? "1" : "0",
      rFlag: t.declined === undefined ? "SOK" : "DCARDREFUSED",
      applications: applicationEntries(t, true)
    },
    // The details schema documents `comments` beside `code` (the summary schema does not).
    clientReferenceInformation:
      t.code === undefined && t.comments === undefined
        ? undefined
        : { code: t.code, comments: t.comments, applicationName: "REST API" },
    // The details schema's `consumerAuthenticationInformation.transactionId` ("Payer auth Transaction
    // identifier"): the authentication a PENDING_AUTHENTICATION payment waits on.
    consumerAuthenticationInformation:
      isPayment && payment.authenticationTransactionId !== undefined
        ? { transactionId: payment.authenticationTransactionId }
        : undefined,
    errorInformation: t.declined === undefined ? undefined : { reason: t.declined.reason, message: t.declined.message },
    merchantDefinedInformation: isPayment ? payment.merchantDefinedInformation : undefined,
    orderInformation: {
      amountDetails: {
        totalAmount: Amount.format(t.amount, t.currency),
        ...(t.authorizedAmount === undefined
          ? {}
          : { authorizedAmount: Amount.format(t.authorizedAmount, t.currency) }),
        currency: t.currency
      },
      ...(isPayment && payment.billTo !== undefined ? { billTo: payment.billTo } : {})
    },
    paymentInformation: {
      paymentType: { type: "credit card", method: "card" },
      card: cardJson(t.card, true),
      ...(isPayment && payment.tokenInformation !== undefined
        ? { customer: (payment.tokenInformation as { readonly customer?: Json }).customer }
        : {})
    },
    processingInformation: { commerceIndicator: "internet" },
    processorInformation:
      t.declined !== undefined
        ? { processor: { name: "vdcpaymentech" }, responseCode: "005" }
        : isPayment
          ? {
              processor: { name: "vdcpaymentech" },
              // TSS details document `cardVerification.resultCode` only, not its raw code.
              ...approvedDetails(payment)
            }
          : { processor: { name: "vdcpaymentech" }, approvalCode: "888888", responseCode: "100" },
    pointOfSaleInformation: { terminalId: "111111" },
    _links: {
      self: { href: detailHref(t.id), method: "GET" },
      ...(t.related.length === 0
        ? {}
        : { relatedTransactions: t.related.map((id) => ({ href: detailHref(id), method: "GET" })) })
    }
  }
}

/** GET /tss/v2/transactions/{id}; unknown ids answer the documented 404 body. */
export const getTransaction = (env: Env, req: ApiRequest): Reply => {
  const id = req.params[0] ?? ""
  const found = transactionById(env, id)
  return found === undefined ? notFound(env.now) : { status: 200, body: renderDetails(env, found) }
}

const renderSummary = (env: Env, t: Transaction): JsonObject => ({
  id: t.id,
  submitTimeUtc: t.submitTimeUtc,
  merchantId: env.merchantId,
  applicationInformation: {
    reasonCode: t.declined === undefined ? "100" : "203",
    rCode: t.declined === undefined ? "1" : "0",
    rFlag: t.declined === undefined ? "SOK" : "DCARDREFUSED",
    applications: applicationEntries(t, false)
  },
  clientReferenceInformation: t.code === undefined ? undefined : { code: t.code, applicationName: "REST API" },
  orderInformation: { amountDetails: { totalAmount: Amount.format(t.amount, t.currency), currency: t.currency } },
  paymentInformation: { paymentType: { type: "credit card", method: "card" }, card: cardJson(t.card, false) },
  processorInformation: { processor: { name: "vdcpaymentech" } },
  _links: { transactionDetail: { href: detailHref(t.id), method: "GET" } }
})

/** One parsed query term. */
type Term = { readonly field: string; readonly value: string }

/** Fields the emulator can filter on; a range on `submitTimeUtc` is accepted and ignored. */
const filters: { readonly [field: string]: (t: Transaction, value: string) => boolean } = {
  "clientReferenceInformation.code": (t, value) => t.code === value,
  id: (t, value) => t.id === value,
  rootId: (t, value) => t.rootId === value
}

/** Splits `a:b AND c:"d e" AND submitTimeUtc:[x TO y}` into terms; `undefined` when it does not parse. */
const parseQuery = (query: string): ReadonlyArray<Term> | undefined => {
  const terms: Array<Term> = []
  const pattern = /\s*([A-Za-z][\w.]*)\s*:\s*("([^"]*)"|\[[^\]}]*[\]}]|[^\s]+)\s*(?:AND\s+|$)/iy
  let index = 0
  while (index < query.length) {
    pattern.lastIndex = index
    const match = pattern.exec(query)
    if (match === null || match[0].length === 0) return undefined
    terms.push({ field: match[1] ?? "", value: match[3] ?? match[2] ?? "" })
    index = pattern.lastIndex
  }
  return terms
}

const int = (value: unknown, fallback: number): number | undefined =>
  value === undefined
    ? fallback
    : typeof value === "number" && Number.isInteger(value) && value >= 0
      ? value
      : undefined

const sorter = (sort: string | undefined): ((a: Transaction, b: Transaction) => number) | undefined => {
  const keys = (sort ?? "").split(",").flatMap((part) => {
    const trimmed = part.trim()
    return trimmed === "" ? [] : [trimmed]
  })
  const comparators: Array<(a: Transaction, b: Transaction) => number> = []
  for (const key of keys) {
    const [field, direction = "asc"] = key.split(":").map((s) => s.trim())
    const sign = direction.toLowerCase() === "desc" ? -1 : 1
    if (direction.toLowerCase() !== "asc" && direction.toLowerCase() !== "desc") return undefined
    if (field === "id") comparators.push((a, b) => sign * (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    else if (field === "submitTimeUtc")
      comparators.push((a, b) => sign * (a.submitTimeUtc.localeCompare(b.submitTimeUtc) || a.order - b.order))
    else return undefined
  }
  return (a, b) => {
    for (const compare of comparators) {
      const result = compare(a, b)
      if (result !== 0) return result
    }
    return a.order - b.order
  }
}

/** POST /tss/v2/searches: 201 with `_embedded.transactionSummaries` (201 `count: 0` when nothing matches). */
export const createSearch = (env: Env, req: ApiRequest): Reply => {
  const body = req.body
  if (!isObject(body)) return invalidRequest(env.now, "INVALID_DATA", messages.invalidData)
  const query = text(body, "query")
  if (query === undefined || query.trim() === "") return missingField(env.now, "query")
  const terms = parseQuery(query.trim())
  if (terms === undefined) return invalidField(env.now, "query")
  const offset = int(body.offset, 0)
  const limit = int(body.limit, 20)
  if (offset === undefined) return invalidField(env.now, "offset")
  if (limit === undefined || limit < 1 || limit > 2000) return invalidField(env.now, "limit")
  const sort = sorter(text(body, "sort"))
  if (sort === undefined) return invalidField(env.now, "sort")
  const predicates: Array<(t: Transaction) => boolean> = []
  for (const term of terms) {
    if (term.field === "submitTimeUtc") continue
    const filter = filters[term.field]
    if (filter === undefined) return invalidField(env.now, "query")
    predicates.push((t) => filter(t, term.value))
  }
  // Transaction Search is an index that lags the transactions: a new one is found only
  // `searchLagMs` after it was made (its details by id are there at once).
  const indexedBy = env.now - env.searchLagMs
  const matches = transactions(env)
    .filter((t) => (env.store.createdAt.get(t.id) ?? Number.NEGATIVE_INFINITY) <= indexedBy)
    .filter((t) => predicates.every((p) => p(t)))
    .sort(sort)
  const page = matches.slice(offset, offset + limit)
  const searchId = env.store.uuid()
  const result: JsonObject = {
    searchId,
    save: body.save === true || body.save === "true",
    name: text(body, "name"),
    timezone: text(body, "timezone"),
    query,
    offset,
    limit,
    sort: text(body, "sort"),
    count: page.length,
    totalCount: matches.length,
    status: "COMPLETED",
    submitTimeUtc: submitTime(env.now),
    _embedded: { transactionSummaries: page.map((t) => renderSummary(env, t)) },
    _links: { self: link("GET", `/tss/v2/searches/${searchId}`) }
  }
  env.store.searches.set(searchId, { searchId, body: result })
  return { status: 201, body: result }
}

/** GET /tss/v2/searches/{searchId}: the stored result. */
export const getSearch = (env: Env, req: ApiRequest): Reply => {
  const search = env.store.searches.get(req.params[0] ?? "")
  return search === undefined ? notFound(env.now) : { status: 200, body: search.body }
}

/** Ledger view of one payment, for the truth API. */
export const ledgerOf = (env: Env, payment: PaymentRecord) => ({
  authorized: payment.authorizedAmount,
  captured: capturedOf(env, payment),
  refunded: refundedOf(env, payment),
  status: paymentStatus(payment)
})
