/**
 * Payment processing (PTS): authorizations and sales, captures, authorization reversals, voids
 * and refunds, with the documented state machine (providers/cybersource.md §2–§3):
 *
 *   AUTHORIZED ─capture→ captures PENDING ─refund→ refunds PENDING
 *   AUTHORIZED ─reversal→ REVERSED (a second reversal: 400 AUTH_ALREADY_REVERSED)
 *   sale / capture / refund ─void→ VOIDED (once settled, or voided already: 400 NOT_VOIDABLE)
 *   captures beyond the authorized amount: 400 EXCEEDS_AUTH_AMOUNT
 *
 * Response shapes follow the real sandbox transcripts: an authorization links `authReversal`,
 * `capture` and `self`; a sale links `void` and `self` and still says `AUTHORIZED`; declines are
 * 201 with `status: DECLINED` and `errorInformation`.
 */
import * as Currency from "@payport/core/Currency"
import type { CurrencyCode } from "@payport/core/Currency"
import * as Amount from "./Amount.js"
import * as Cards from "./Cards.js"
import type { ApiRequest, Env, Trigger } from "./Env.js"
import * as PayerAuthentication from "./PayerAuthentication.js"
import type { CaptureRecord, CardSummary, PaymentRecord, PaymentStatus, RefundRecord } from "./State.js"
import * as Tokens from "./Tokens.js"
import {
  at,
  type FieldDetail,
  invalidField,
  invalidRequest,
  isObject,
  type JsonObject,
  link,
  messages,
  missingField,
  notFound,
  type Reply,
  submitTime,
  text
} from "./Wire.js"

const paymentHref = (id: string) => `/pts/v2/payments/${id}`
const captureHref = (id: string) => `/pts/v2/captures/${id}`
const refundHref = (id: string) => `/pts/v2/refunds/${id}`

const created = (body: JsonObject): Reply => ({ status: 201, body })

/** Statuses under which an authorization holds funds that may be captured or reversed. */
const holding: ReadonlySet<PaymentStatus> = new Set(["AUTHORIZED", "PARTIAL_AUTHORIZED", "AUTHORIZED_PENDING_REVIEW"])

/**
 * `processorInformation` of an approved authorization, as the sandbox answers it (approval code
 * `888888`, response `100`, AVS `X`/`I1`: providers/cybersource.md), with a CVN match when the
 * request carried a security code. The 201 and TSS details share it.
 */
export const approvalInformation = (payment: PaymentRecord): JsonObject => ({
  approvalCode: "888888",
  networkTransactionId: payment.processorTransactionId,
  transactionId: payment.processorTransactionId,
  responseCode: "100",
  avs: { code: "X", codeRaw: "I1" },
  ...(payment.cvnSent === true ? { cardVerification: { resultCode: "M", resultCodeRaw: "M" } } : {})
})

/** Whether a payment status means the issuer approved (funds held or moved). */
export const isApproved = (status: PaymentStatus): boolean => holding.has(status)

/** The webhook event for a new payment, by status (product `cardProcessing`). */
const paymentEvents: { readonly [S in PaymentStatus]: string | undefined } = {
  AUTHORIZED: "payments.payments.accept",
  PARTIAL_AUTHORIZED: "payments.payments.partial.approval",
  AUTHORIZED_PENDING_REVIEW: "payments.payments.review",
  PENDING_REVIEW: "payments.payments.review",
  AUTHORIZED_RISK_DECLINED: "payments.payments.reject",
  DECLINED: "payments.payments.reject",
  PENDING_AUTHENTICATION: undefined
}

// ---------------------------------------------------------------------------------------------
// Ledger
// ---------------------------------------------------------------------------------------------

/** Amount captured on a payment: the whole approval for a live sale, else the live captures. */
export const capturedOf = (env: Env, payment: PaymentRecord): number => {
  if (payment.sale) return payment.saleSettlement === "VOIDED" ? 0 : payment.authorizedAmount
  let sum = 0
  for (const id of payment.captureIds) {
    const capture = env.store.captures.get(id)
    if (capture !== undefined && capture.status !== "VOIDED") sum += capture.amount
  }
  return sum
}

const liveRefunds = (env: Env, ids: ReadonlyArray<string>): number => {
  let sum = 0
  for (const id of ids) {
    const refund = env.store.refunds.get(id)
    if (refund !== undefined && refund.status !== "VOIDED") sum += refund.amount
  }
  return sum
}

/** Amount refunded on a payment, across refunds of the payment and of its captures. */
export const refundedOf = (env: Env, payment: PaymentRecord): number => liveRefunds(env, payment.refundIds)

// ---------------------------------------------------------------------------------------------
// Request reading
// ---------------------------------------------------------------------------------------------

/** `orderInformation.amountDetails` → minor units and currency, or the documented 400. */
const readAmount = (
  env: Env,
  body: unknown,
  path: ReadonlyArray<string>,
  fallbackCurrency?: CurrencyCode
): { readonly amount: number; readonly currency: CurrencyCode; readonly text: string } | Reply => {
  const field = [...path, "totalAmount"].join(".")
  const total = text(body, ...path, "totalAmount")
  if (total === undefined) return missingField(env.now, field)
  const currencyText = text(body, ...path, "currency")
  if (currencyText === undefined && fallbackCurrency === undefined)
    return missingField(env.now, [...path, "currency"].join("."))
  const currency = currencyText === undefined ? fallbackCurrency : Amount.currencyOf(currencyText)
  // An ISO 4217 fund code is a unit of account, not a currency CyberSource takes payments in.
  if (currency === undefined || Currency.fundCodes.includes(currency)) {
    return invalidField(env.now, [...path, "currency"].join("."))
  }
  if (fallbackCurrency !== undefined && currency !== fallbackCurrency) {
    return invalidField(env.now, [...path, "currency"].join("."))
  }
  const amount = Amount.parse(total, currency)
  if (amount === undefined) {
    return invalidRequest(env.now, "INVALID_AMOUNT", messages.invalidData, [{ field, reason: "INVALID_DATA" }])
  }
  return { amount, currency, text: total }
}

const isReply = (value: unknown): value is Reply => isObject(value) && typeof value.status === "number"

/** What a payment is paid with, resolved to a card number and what the response may show of it. */
interface Source {
  readonly number: string
  readonly summary: CardSummary
  readonly expirationMonth: string | undefined
  readonly expirationYear: string | undefined
  readonly paymentInstrumentId?: string
  readonly customerId?: string
}

const summarise = (
  number: string,
  type: string,
  tokenized: boolean,
  expirationMonth: string | undefined,
  expirationYear: string | undefined
): CardSummary => ({
  type,
  bin: number.slice(0, 6),
  suffix: number.slice(-4),
  tokenized,
  ...(expirationMonth === undefined ? {} : { expirationMonth }),
  ...(expirationYear === undefined ? {} : { expirationYear })
})

/** A card number and expiry from `paymentInformation.card` or `.tokenizedCard`. */
const readCard = (env: Env, body: unknown, member: "card" | "tokenizedCard"): Source | Reply => {
  const base = ["paymentInformation", member]
  const number = text(body, ...base, "number") ?? ""
  const month = text(body, ...base, "expirationMonth")
  const year = text(body, ...base, "expirationYear")
  const details: Array<FieldDetail> = []
  if (month === undefined) details.push({ field: `${base.join(".")}.expirationMonth`, reason: "MISSING_FIELD" })
  if (year === undefined) details.push({ field: `${base.join(".")}.expirationYear`, reason: "MISSING_FIELD" })
  if (details.length > 0) return invalidRequest(env.now, "MISSING_FIELD", messages.missingField, details)
  if (env.cardTriggers[number] === undefined && !Cards.isValidNumber(number)) {
    return invalidRequest(env.now, "INVALID_CARD", messages.invalidData, [
      { field: `${base.join(".")}.number`, reason: "INVALID_DATA" }
    ])
  }
  const type = text(body, ...base, "type") ?? Cards.typeOf(number)
  if (type === undefined) {
    return invalidRequest(env.now, "CARD_TYPE_NOT_ACCEPTED", messages.invalidData, [
      { field: `${base.join(".")}.type`, reason: "MISSING_FIELD" }
    ])
  }
  const m = month === undefined ? undefined : Cards.month(month)
  return {
    number,
    summary: summarise(number, type, member === "tokenizedCard", m, year),
    expirationMonth: m,
    expirationYear: year
  }
}

/** A saved payment instrument's card. */
const fromInstrument = (env: Env, piId: string, field: string, customerId?: string): Source | Reply => {
  const pi = env.store.paymentInstruments.get(piId)
  const ii = pi === undefined ? undefined : env.store.instrumentIdentifiers.get(pi.instrumentIdentifierId)
  if (pi === undefined || pi.deleted || ii === undefined) return invalidField(env.now, field)
  const card = isObject(pi.fields.card) ? pi.fields.card : {}
  const month = text(card, "expirationMonth") ?? ii.expirationMonth
  const year = text(card, "expirationYear") ?? ii.expirationYear
  const type = text(card, "type") ?? Cards.typeOf(ii.number) ?? "001"
  return {
    number: ii.number,
    summary: summarise(ii.number, type, false, month, year),
    expirationMonth: month,
    expirationYear: year,
    paymentInstrumentId: pi.id,
    ...(customerId === undefined ? (pi.customerId === undefined ? {} : { customerId: pi.customerId }) : { customerId })
  }
}

/**
 * The payment source, in the order CyberSource gives precedence: a card in the clear, a network
 * token, a saved payment instrument, a customer's default instrument, a bare instrument identifier,
 * a transient token.
 */
const readSource = (env: Env, body: unknown): Source | Reply => {
  if (at(body, "paymentInformation", "card", "number") !== undefined) return readCard(env, body, "card")
  if (at(body, "paymentInformation", "tokenizedCard", "number") !== undefined)
    return readCard(env, body, "tokenizedCard")
  const piId = text(body, "paymentInformation", "paymentInstrument", "id")
  if (piId !== undefined) return fromInstrument(env, piId, "paymentInformation.paymentInstrument.id")
  const customerId = text(body, "paymentInformation", "customer", "id")
  if (customerId !== undefined) {
    const customer = env.store.customers.get(customerId)
    const defaultId = customer === undefined || customer.deleted ? undefined : customer.defaultPaymentInstrumentId
    if (defaultId === undefined) return invalidField(env.now, "paymentInformation.customer.id")
    return fromInstrument(env, defaultId, "paymentInformation.customer.id", customerId)
  }
  const iiId = text(body, "paymentInformation", "instrumentIdentifier", "id")
  if (iiId !== undefined) {
    const ii = env.store.instrumentIdentifiers.get(iiId)
    if (ii === undefined || ii.deleted) return invalidField(env.now, "paymentInformation.instrumentIdentifier.id")
    const month = text(body, "paymentInformation", "card", "expirationMonth") ?? ii.expirationMonth
    const year = text(body, "paymentInformation", "card", "expirationYear") ?? ii.expirationYear
    const type = Cards.typeOf(ii.number) ?? "001"
    return {
      number: ii.number,
      summary: summarise(ii.number, type, false, month, year),
      expirationMonth: month,
      expirationYear: year
    }
  }
  if (text(body, "tokenInformation", "transientTokenJwt") !== undefined) {
    // A Flex transient token stands for a card the emulator never saw; it behaves as the sandbox Visa.
    const number = "4111111111111111"
    return {
      number,
      summary: summarise(number, "001", false, "12", "2031"),
      expirationMonth: "12",
      expirationYear: "2031"
    }
  }
  return missingField(env.now, "paymentInformation.card.number")
}

const triggerFor = (env: Env, source: Source, amount: number, currency: CurrencyCode): Trigger | undefined => {
  const byCard = env.cardTriggers[source.number]
  if (byCard !== undefined) return byCard
  for (const [key, trigger] of Object.entries(env.amountTriggers)) {
    if (Amount.parse(key, currency) === amount) return trigger
  }
  return undefined
}

const strings = (value: unknown): ReadonlyArray<string> =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : []

// ---------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------

const paymentLinks = (payment: PaymentRecord): JsonObject => {
  const self = link("GET", paymentHref(payment.id))
  if (!holding.has(payment.status)) return { self }
  if (payment.sale) return { void: link("POST", `${paymentHref(payment.id)}/voids`), self }
  return {
    authReversal: link("POST", `${paymentHref(payment.id)}/reversals`),
    self,
    capture: link("POST", `${paymentHref(payment.id)}/captures`)
  }
}

const cardInformation = (card: CardSummary | undefined): JsonObject | undefined =>
  card === undefined
    ? undefined
    : card.tokenized
      ? { tokenizedCard: { type: card.type }, card: { suffix: card.suffix, type: card.type } }
      : { tokenizedCard: { type: card.type }, card: { type: card.type } }

/** The 201 answer to POST /pts/v2/payments, shaped like the sandbox transcripts. */
export const renderPayment = (payment: PaymentRecord): JsonObject => {
  const approved = holding.has(payment.status)
  const amountDetails =
    payment.sale || payment.status === "PARTIAL_AUTHORIZED"
      ? {
          totalAmount: Amount.format(payment.totalAmount, payment.currency),
          authorizedAmount: Amount.format(payment.authorizedAmount, payment.currency),
          currency: payment.currency
        }
      : approved
        ? { authorizedAmount: Amount.format(payment.authorizedAmount, payment.currency), currency: payment.currency }
        : { totalAmount: Amount.format(payment.totalAmount, payment.currency), currency: payment.currency }
  const card = cardInformation(payment.card)
  return {
    _links: paymentLinks(payment),
    clientReferenceInformation: payment.code === undefined ? undefined : { code: payment.code },
    consumerAuthenticationInformation: PayerAuthentication.echo(payment),
    errorInformation: payment.errorInformation,
    id: payment.id,
    orderInformation: { amountDetails },
    ...(card === undefined ? {} : { paymentAccountInformation: { card: { type: payment.card?.type } } }),
    paymentInformation: card,
    pointOfSaleInformation: { terminalId: "111111" },
    processorInformation: approved
      ? approvalInformation(payment)
      : payment.status === "DECLINED"
        ? { responseCode: "005" }
        : undefined,
    reconciliationId: payment.reconciliationId,
    status: payment.status,
    submitTimeUtc: payment.submitTimeUtc,
    tokenInformation: payment.tokenInformation
  }
}

// ---------------------------------------------------------------------------------------------
// POST /pts/v2/payments
// ---------------------------------------------------------------------------------------------

/** Creates the tokens a `TOKEN_CREATE` action asks for and returns `tokenInformation`. */
const createTokens = (env: Env, body: unknown, source: Source): JsonObject | Reply => {
  const kinds = strings(at(body, "processingInformation", "actionTokenTypes"))
  const wanted = new Set(kinds.length === 0 ? ["customer", "paymentInstrument", "instrumentIdentifier"] : kinds)
  const { identifier, created: identifierNew } = Tokens.ensureIdentifier(env, {
    number: source.number,
    expirationMonth: source.expirationMonth,
    expirationYear: source.expirationYear
  })
  let customerId = source.customerId ?? text(body, "paymentInformation", "customer", "id")
  if (wanted.has("customer")) {
    customerId = Tokens.newCustomer(env, {
      buyerInformation: at(body, "buyerInformation"),
      clientReferenceInformation: at(body, "clientReferenceInformation")
    }).id
  }
  let paymentInstrumentId: string | undefined
  if (wanted.has("paymentInstrument")) {
    const customer = customerId === undefined ? undefined : env.store.customers.get(customerId)
    if (customerId !== undefined && (customer === undefined || customer.deleted)) {
      return invalidField(env.now, "paymentInformation.customer.id")
    }
    paymentInstrumentId = Tokens.newPaymentInstrument(env, customer, identifier, {
      card: {
        expirationMonth: source.expirationMonth,
        expirationYear: source.expirationYear,
        type: source.summary.type
      },
      billTo: at(body, "orderInformation", "billTo")
    }).id
  }
  return {
    instrumentidentifierNew: identifierNew,
    ...(customerId === undefined || !wanted.has("customer") ? {} : { customer: { id: customerId } }),
    ...(paymentInstrumentId === undefined ? {} : { paymentInstrument: { id: paymentInstrumentId } }),
    instrumentIdentifier: { id: identifier.id, state: "ACTIVE" }
  }
}

/** The outcome a request earns: a trigger's, an expired card's, or approval. */
const outcomeFor = (env: Env, source: Source, amount: number, currency: CurrencyCode): Trigger | Reply | undefined => {
  // A step-up trigger is payer authentication's to act on (PayerAuthentication.forPayment).
  const trigger = triggerFor(env, source, amount, currency)
  if (trigger !== undefined && trigger.status !== "PENDING_AUTHENTICATION") return trigger
  if (
    source.expirationMonth !== undefined &&
    source.expirationYear !== undefined &&
    Cards.isExpired(source.expirationMonth, source.expirationYear, env.now)
  ) {
    return { status: "DECLINED", reason: "EXPIRED_CARD", message: "Decline - Expired card." }
  }
  return undefined
}

/**
 * The refusal of a `clientReferenceInformation.transactionId` already used. The swagger asks for "a
 * unique value" there in every payment, capture, refund and credit (`POST /pts/v2/voids`,
 * `/pts/v2/reversals`: the timeout void and reversal find the transaction by it), and a repeated
 * one is refused 400 `INVALID_REQUEST`/`INVALID_DATA` "Declined - One or more fields in the
 * request contains invalid data", without `details` and not as `DUPLICATE_REQUEST`
 * (cybersource-rest-client-node #45). Checked before anything else about the request.
 */
const repeated = (env: Env, body: unknown): Reply | undefined => {
  const transactionId = text(body, "clientReferenceInformation", "transactionId")
  return transactionId !== undefined && env.store.transactionIds.has(transactionId)
    ? invalidRequest(env.now, "INVALID_DATA", messages.invalidData)
    : undefined
}

/** Records the request's `transactionId` (if any) once its transaction exists. */
const remember = (env: Env, body: unknown): void => {
  const transactionId = text(body, "clientReferenceInformation", "transactionId")
  if (transactionId !== undefined) env.store.transactionIds.add(transactionId)
}

/**
 * `processingInformation.authorizationOptions.initiator` as the swagger documents it: `type`
 * `customer` or `merchant`, boolean flags, a one-character `merchantInitiatedTransaction.reason`
 * (`1`–`5`) and a `previousTransactionId` of at most 15 characters; `commerceIndicator` at most 20.
 * A merchant-initiated payment names the previous network transaction id.
 */
const initiatorError = (env: Env, body: unknown): Reply | undefined => {
  const base = ["processingInformation", "authorizationOptions", "initiator"] as const
  const field = (...rest: ReadonlyArray<string>) => [...base, ...rest].join(".")
  const indicator = at(body, "processingInformation", "commerceIndicator")
  if (indicator !== undefined && (typeof indicator !== "string" || indicator.length > 20)) {
    return invalidField(env.now, "processingInformation.commerceIndicator")
  }
  const initiator = at(body, ...base)
  if (initiator === undefined) return undefined
  if (!isObject(initiator)) return invalidField(env.now, field())
  const type = initiator.type
  if (type !== undefined && type !== "customer" && type !== "merchant") return invalidField(env.now, field("type"))
  for (const flag of ["credentialStoredOnFile", "storedCredentialUsed"]) {
    if (initiator[flag] !== undefined && typeof initiator[flag] !== "boolean") return invalidField(env.now, field(flag))
  }
  const mit = initiator.merchantInitiatedTransaction
  if (mit !== undefined && !isObject(mit)) return invalidField(env.now, field("merchantInitiatedTransaction"))
  const reason = mit?.reason
  if (reason !== undefined && (typeof reason !== "string" || !/^[1-5]$/.test(reason))) {
    return invalidField(env.now, field("merchantInitiatedTransaction", "reason"))
  }
  const previous = mit?.previousTransactionId
  if (previous !== undefined && (typeof previous !== "string" || previous.length === 0 || previous.length > 15)) {
    return invalidField(env.now, field("merchantInitiatedTransaction", "previousTransactionId"))
  }
  if (type === "merchant" && previous === undefined) {
    return missingField(env.now, field("merchantInitiatedTransaction", "previousTransactionId"))
  }
  return undefined
}

/** `merchantDefinedInformation` as sent (`key`/`value` strings); TSS details echo it. */
const merchantDefined = (body: unknown): { readonly merchantDefinedInformation?: ReadonlyArray<JsonObject> } => {
  const entries = at(body, "merchantDefinedInformation")
  if (!Array.isArray(entries)) return {}
  const kept = entries.flatMap((entry): ReadonlyArray<JsonObject> => {
    const key = text(entry, "key")
    const value = text(entry, "value")
    return key === undefined || value === undefined ? [] : [{ key, value }]
  })
  return kept.length === 0 ? {} : { merchantDefinedInformation: kept }
}

const initiatorOf = (body: unknown): { readonly initiator?: JsonObject } => {
  const initiator = at(body, "processingInformation", "authorizationOptions", "initiator")
  return isObject(initiator) ? { initiator: initiator as JsonObject } : {}
}

/** POST /pts/v2/payments: an authorization (`capture: false`) or a sale (`capture: true`). */
export const createPayment = (env: Env, req: ApiRequest): Reply => {
  const body = req.body
  if (!isObject(body)) return invalidRequest(env.now, "INVALID_DATA", messages.invalidData)
  const repeat = repeated(env, body)
  if (repeat !== undefined) return repeat
  const transactionId = text(body, "clientReferenceInformation", "transactionId")
  const money = readAmount(env, body, ["orderInformation", "amountDetails"])
  if (isReply(money)) return money
  const source = readSource(env, body)
  if (isReply(source)) return source
  const initiatorInvalid = initiatorError(env, body)
  if (initiatorInvalid !== undefined) return initiatorInvalid
  const forcedChallenge = triggerFor(env, source, money.amount, money.currency)?.status === "PENDING_AUTHENTICATION"
  const threeDs = PayerAuthentication.forPayment(
    env,
    body,
    { number: source.number, type: source.summary.type },
    money,
    forcedChallenge
  )
  if (threeDs.kind === "refuse") return threeDs.reply
  if (threeDs.kind === "inFlight") return created(PayerAuthentication.inFlightPayment(env, threeDs.record, body))
  const outcome =
    threeDs.kind === "pending"
      ? ({
          status: "PENDING_AUTHENTICATION",
          reason: "CONSUMER_AUTHENTICATION_REQUIRED",
          message: PayerAuthentication.enrolledMessage
        } as const)
      : threeDs.kind === "decline"
        ? ({ status: "DECLINED", reason: threeDs.reason, message: threeDs.message } as const)
        : outcomeFor(env, source, money.amount, money.currency)
  if (isReply(outcome)) return outcome

  const status: PaymentStatus = outcome === undefined ? "AUTHORIZED" : outcome.status
  const authorizedAmount =
    status === "PARTIAL_AUTHORIZED"
      ? (Amount.parse(outcome?.authorizedAmount ?? "", money.currency) ?? Math.floor(money.amount / 2))
      : holding.has(status)
        ? money.amount
        : 0
  const sale =
    at(body, "processingInformation", "capture") === true || text(body, "processingInformation", "capture") === "true"
  const id = env.store.transactionIdAt(env.now)
  const authenticationTransactionId = threeDs.kind === "pending" ? threeDs.record.id : undefined
  const wantsTokens =
    holding.has(status) && strings(at(body, "processingInformation", "actionList")).includes("TOKEN_CREATE")
  const tokenInformation = wantsTokens ? createTokens(env, body, source) : undefined
  if (isReply(tokenInformation)) return tokenInformation

  const payment: PaymentRecord = {
    id,
    submitTimeUtc: submitTime(env.now),
    code: text(body, "clientReferenceInformation", "code"),
    ...commentsOf(body),
    transactionId,
    currency: money.currency,
    totalAmount: money.amount,
    authorizedAmount,
    sale,
    status,
    ...(outcome?.reason === undefined
      ? {}
      : { errorInformation: { reason: outcome.reason, message: outcome.message ?? outcome.reason } }),
    reconciliationId: env.store.reconciliationId(),
    processorTransactionId: env.store.digits(15),
    ...(text(body, "paymentInformation", "card", "securityCode") === undefined ? {} : { cvnSent: true }),
    card: source.summary,
    ...(tokenInformation === undefined ? {} : { tokenInformation }),
    billTo: at(body, "orderInformation", "billTo") as PaymentRecord["billTo"],
    ...merchantDefined(body),
    ...initiatorOf(body),
    saleSettlement: "PENDING",
    reversalId: undefined,
    captureIds: [],
    refundIds: [],
    ...(authenticationTransactionId === undefined ? {} : { authenticationTransactionId })
  }
  env.store.payments.set(id, payment)
  env.store.createdAt.set(id, env.now)
  remember(env, body)
  PayerAuthentication.attach(env, threeDs, payment)
  const event = paymentEvents[status]
  if (event !== undefined) env.notify({ eventType: event, resource: "payments", id })
  return created(renderPayment(payment))
}

// ---------------------------------------------------------------------------------------------
// Captures
// ---------------------------------------------------------------------------------------------

const followOnCode = (body: unknown, payment: PaymentRecord): string | undefined =>
  text(body, "clientReferenceInformation", "code") ?? payment.code

/** `{ comments }` when the request carries `clientReferenceInformation.comments` (echoed by TSS details). */
const commentsOf = (body: unknown): { readonly comments?: string } => {
  const comments = text(body, "clientReferenceInformation", "comments")
  return comments === undefined ? {} : { comments }
}

/** The 201 answer to a capture (AM `successful_capture_response`). */
export const renderCapture = (capture: CaptureRecord): JsonObject => ({
  _links: {
    void: link("POST", `${captureHref(capture.id)}/voids`),
    self: link("GET", captureHref(capture.id))
  },
  clientReferenceInformation: capture.code === undefined ? undefined : { code: capture.code },
  id: capture.id,
  orderInformation: {
    amountDetails: { totalAmount: Amount.format(capture.amount, capture.currency), currency: capture.currency }
  },
  reconciliationId: capture.reconciliationId,
  status: capture.status === "TRANSMITTED" ? "TRANSMITTED" : capture.status === "VOIDED" ? "VOIDED" : "PENDING",
  submitTimeUtc: capture.submitTimeUtc
})

/** POST /pts/v2/payments/{id}/captures: partial captures allowed up to the authorized amount. */
export const capturePayment = (env: Env, req: ApiRequest): Reply => {
  const payment = env.store.payments.get(req.params[0] ?? "")
  if (payment === undefined) return notFound(env.now)
  if (!isObject(req.body)) return invalidRequest(env.now, "INVALID_DATA", messages.invalidData)
  const repeat = repeated(env, req.body)
  if (repeat !== undefined) return repeat
  if (payment.reversalId !== undefined) {
    return invalidRequest(env.now, "AUTH_ALREADY_REVERSED", "Declined - The authorization has already been reversed.")
  }
  if (!holding.has(payment.status)) {
    return invalidRequest(env.now, "MISSING_AUTH", "Declined - There is no approved authorization to capture.")
  }
  const money = readAmount(env, req.body, ["orderInformation", "amountDetails"], payment.currency)
  if (isReply(money)) return money
  const remaining = payment.sale ? 0 : payment.authorizedAmount - capturedOf(env, payment)
  if (money.amount > remaining) {
    return invalidRequest(
      env.now,
      "EXCEEDS_AUTH_AMOUNT",
      "Declined - The capture amount exceeds the authorized amount."
    )
  }
  if (money.amount <= 0) {
    return invalidRequest(env.now, "INVALID_AMOUNT", messages.invalidData, [
      { field: "orderInformation.amountDetails.totalAmount", reason: "INVALID_DATA" }
    ])
  }
  const capture: CaptureRecord = {
    id: env.store.transactionIdAt(env.now),
    paymentId: payment.id,
    submitTimeUtc: submitTime(env.now),
    code: followOnCode(req.body, payment),
    ...commentsOf(req.body),
    amount: money.amount,
    currency: payment.currency,
    status: "PENDING",
    reconciliationId: payment.reconciliationId,
    refundIds: [],
    voidId: undefined
  }
  env.store.captures.set(capture.id, capture)
  env.store.createdAt.set(capture.id, env.now)
  remember(env, req.body)
  payment.captureIds.push(capture.id)
  env.notify({ eventType: "payments.captures.accept", resource: "captures", id: capture.id })
  return created(renderCapture(capture))
}

// ---------------------------------------------------------------------------------------------
// Reversals
// ---------------------------------------------------------------------------------------------

/** POST /pts/v2/payments/{id}/reversals: releases the whole authorization. */
export const reversePayment = (env: Env, req: ApiRequest): Reply => {
  const payment = env.store.payments.get(req.params[0] ?? "")
  if (payment === undefined) return notFound(env.now)
  if (!isObject(req.body)) return invalidRequest(env.now, "INVALID_DATA", messages.invalidData)
  const repeat = repeated(env, req.body)
  if (repeat !== undefined) return repeat
  if (payment.reversalId !== undefined) {
    return invalidRequest(env.now, "AUTH_ALREADY_REVERSED", "Declined - The authorization has already been reversed.")
  }
  if (!holding.has(payment.status)) {
    // Live sandbox: reversing the declined test card's "authorization" is refused as a missing field.
    return invalidRequest(env.now, "MISSING_FIELD", messages.missingField)
  }
  if (payment.sale || capturedOf(env, payment) > 0) {
    return invalidRequest(
      env.now,
      "TRANSACTION_ALREADY_REVERSED_OR_SETTLED",
      "Declined - The transaction has already been captured or settled."
    )
  }
  const money = readAmount(env, req.body, ["reversalInformation", "amountDetails"], payment.currency)
  if (isReply(money)) return money
  if (money.amount > payment.authorizedAmount || money.amount <= 0) {
    return invalidRequest(env.now, "INVALID_AMOUNT", messages.invalidData, [
      { field: "reversalInformation.amountDetails.totalAmount", reason: "INVALID_DATA" }
    ])
  }
  const id = env.store.transactionIdAt(env.now)
  env.store.createdAt.set(id, env.now)
  env.store.reversals.set(id, {
    id,
    paymentId: payment.id,
    submitTimeUtc: submitTime(env.now),
    code: followOnCode(req.body, payment),
    ...commentsOf(req.body),
    amount: money.amount,
    currency: payment.currency,
    reason: text(req.body, "reversalInformation", "reason")
  })
  payment.reversalId = id
  remember(env, req.body)
  env.notify({ eventType: "payments.reversals.accept", resource: "reversals", id })
  const code = followOnCode(req.body, payment)
  return created({
    _links: { self: link("GET", `/pts/v2/reversals/${id}`) },
    clientReferenceInformation: code === undefined ? undefined : { code },
    id,
    reversalAmountDetails: {
      reversedAmount: Amount.format(money.amount, payment.currency),
      originalTransactionAmount: Amount.format(payment.authorizedAmount, payment.currency),
      currency: payment.currency
    },
    processorInformation: { responseCode: "100" },
    authorizationInformation: { approvalCode: "888888", reasonCode: "100" },
    reconciliationId: payment.reconciliationId,
    status: "REVERSED",
    submitTimeUtc: submitTime(env.now)
  })
}

// ---------------------------------------------------------------------------------------------
// Voids
// ---------------------------------------------------------------------------------------------

const notVoidable = (env: Env) =>
  invalidRequest(env.now, "NOT_VOIDABLE", "Declined - The transaction cannot be voided.")

const recordVoid = (
  env: Env,
  req: ApiRequest,
  target: { readonly id: string; readonly kind: "payment" | "capture" | "refund"; readonly amount: number },
  payment: PaymentRecord
): Reply => {
  const id = env.store.transactionIdAt(env.now)
  const code = followOnCode(req.body, payment)
  env.store.createdAt.set(id, env.now)
  remember(env, req.body)
  env.store.voids.set(id, {
    id,
    targetId: target.id,
    targetKind: target.kind,
    paymentId: payment.id,
    submitTimeUtc: submitTime(env.now),
    code,
    ...commentsOf(req.body),
    amount: target.amount,
    currency: payment.currency
  })
  return created({
    _links: { self: link("GET", `/pts/v2/voids/${id}`) },
    clientReferenceInformation: code === undefined ? undefined : { code },
    id,
    status: "VOIDED",
    submitTimeUtc: submitTime(env.now),
    voidAmountDetails: {
      voidAmount: Amount.format(target.amount, payment.currency),
      originalTransactionAmount: Amount.format(target.amount, payment.currency),
      currency: payment.currency
    }
  })
}

/**
 * POST /pts/v2/payments/{id}/voids — SPEC: "only used, if you have requested Authorization and
 * Capture together": an authorization alone is reversed, not voided (NOT_VOIDABLE).
 */
export const voidPayment = (env: Env, req: ApiRequest): Reply => {
  const payment = env.store.payments.get(req.params[0] ?? "")
  if (payment === undefined) return notFound(env.now)
  const repeat = repeated(env, req.body)
  if (repeat !== undefined) return repeat
  if (!payment.sale || !holding.has(payment.status) || payment.saleSettlement !== "PENDING") return notVoidable(env)
  if (refundedOf(env, payment) > 0) return notVoidable(env)
  payment.saleSettlement = "VOIDED"
  return recordVoid(env, req, { id: payment.id, kind: "payment", amount: payment.authorizedAmount }, payment)
}

/** POST /pts/v2/captures/{id}/voids: a capture not yet settled, refunded or voided. */
export const voidCapture = (env: Env, req: ApiRequest): Reply => {
  const capture = env.store.captures.get(req.params[0] ?? "")
  const payment = capture === undefined ? undefined : env.store.payments.get(capture.paymentId)
  if (capture === undefined || payment === undefined) return notFound(env.now)
  const repeat = repeated(env, req.body)
  if (repeat !== undefined) return repeat
  if (capture.status !== "PENDING" || liveRefunds(env, capture.refundIds) > 0) return notVoidable(env)
  capture.status = "VOIDED"
  const reply = recordVoid(env, req, { id: capture.id, kind: "capture", amount: capture.amount }, payment)
  capture.voidId = (reply.body as { readonly id: string }).id
  return reply
}

/** POST /pts/v2/refunds/{id}/voids: a refund not yet settled or voided. */
export const voidRefund = (env: Env, req: ApiRequest): Reply => {
  const refund = env.store.refunds.get(req.params[0] ?? "")
  const payment = refund === undefined ? undefined : env.store.payments.get(refund.paymentId)
  if (refund === undefined || payment === undefined) return notFound(env.now)
  const repeat = repeated(env, req.body)
  if (repeat !== undefined) return repeat
  if (refund.status !== "PENDING") return notVoidable(env)
  refund.status = "VOIDED"
  const reply = recordVoid(env, req, { id: refund.id, kind: "refund", amount: refund.amount }, payment)
  refund.voidId = (reply.body as { readonly id: string }).id
  return reply
}

// ---------------------------------------------------------------------------------------------
// Refunds
// ---------------------------------------------------------------------------------------------

/** The 201 answer to a refund. */
export const renderRefund = (refund: RefundRecord): JsonObject => ({
  _links: {
    void: link("POST", `${refundHref(refund.id)}/voids`),
    self: link("GET", refundHref(refund.id))
  },
  clientReferenceInformation: refund.code === undefined ? undefined : { code: refund.code },
  id: refund.id,
  orderInformation: { amountDetails: { currency: refund.currency } },
  processorInformation: { approvalCode: "888888", responseCode: "100" },
  reconciliationId: refund.reconciliationId,
  refundAmountDetails: { refundAmount: Amount.format(refund.amount, refund.currency), currency: refund.currency },
  status: refund.status === "TRANSMITTED" ? "TRANSMITTED" : refund.status === "VOIDED" ? "VOIDED" : "PENDING",
  submitTimeUtc: refund.submitTimeUtc
})

const issueRefund = (env: Env, req: ApiRequest, payment: PaymentRecord, capture: CaptureRecord | undefined): Reply => {
  if (!isObject(req.body)) return invalidRequest(env.now, "INVALID_DATA", messages.invalidData)
  const repeat = repeated(env, req.body)
  if (repeat !== undefined) return repeat
  const voided =
    capture === undefined ? payment.sale && payment.saleSettlement === "VOIDED" : capture.status === "VOIDED"
  if (voided)
    return invalidRequest(env.now, "CAPTURE_ALREADY_VOIDED", "Declined - The capture has already been voided.")
  const captured = capture === undefined ? capturedOf(env, payment) : capture.amount
  if (captured === 0) {
    // Live sandbox: refunding an authorization that moved no money is INVALID_DATA.
    return invalidRequest(env.now, "INVALID_DATA", messages.invalidData)
  }
  const money = readAmount(env, req.body, ["orderInformation", "amountDetails"], payment.currency)
  if (isReply(money)) return money
  const remaining = Math.min(
    captured - (capture === undefined ? refundedOf(env, payment) : liveRefunds(env, capture.refundIds)),
    capturedOf(env, payment) - refundedOf(env, payment)
  )
  if (money.amount <= 0 || money.amount > remaining) {
    return invalidRequest(env.now, "INVALID_AMOUNT", "Declined - The refund amount exceeds the amount captured.", [
      { field: "orderInformation.amountDetails.totalAmount", reason: "INVALID_DATA" }
    ])
  }
  const refund: RefundRecord = {
    id: env.store.transactionIdAt(env.now),
    paymentId: payment.id,
    captureId: capture?.id,
    submitTimeUtc: submitTime(env.now),
    code: followOnCode(req.body, payment),
    ...commentsOf(req.body),
    amount: money.amount,
    currency: payment.currency,
    status: "PENDING",
    reconciliationId: env.store.reconciliationId(),
    voidId: undefined
  }
  env.store.refunds.set(refund.id, refund)
  env.store.createdAt.set(refund.id, env.now)
  remember(env, req.body)
  payment.refundIds.push(refund.id)
  capture?.refundIds.push(refund.id)
  env.notify({ eventType: "payments.refunds.accept", resource: "refunds", id: refund.id })
  return created(renderRefund(refund))
}

/** POST /pts/v2/payments/{id}/refunds: bounded by what the payment has captured. */
export const refundPayment = (env: Env, req: ApiRequest): Reply => {
  const payment = env.store.payments.get(req.params[0] ?? "")
  if (payment === undefined) return notFound(env.now)
  return issueRefund(env, req, payment, undefined)
}

/** POST /pts/v2/captures/{id}/refunds: bounded by the capture. */
export const refundCapture = (env: Env, req: ApiRequest): Reply => {
  const capture = env.store.captures.get(req.params[0] ?? "")
  const payment = capture === undefined ? undefined : env.store.payments.get(capture.paymentId)
  if (capture === undefined || payment === undefined) return notFound(env.now)
  return issueRefund(env, req, payment, capture)
}

/**
 * Batch settlement: every pending sale, capture and refund becomes `TRANSMITTED` and can no longer
 * be voided. The real gateway settles once a day; tests call this to reach the settled state.
 */
export const settle = (env: Env): number => {
  let count = 0
  for (const payment of env.store.payments.values()) {
    if (payment.sale && holding.has(payment.status) && payment.saleSettlement === "PENDING") {
      payment.saleSettlement = "TRANSMITTED"
      count++
    }
  }
  for (const record of [...env.store.captures.values(), ...env.store.refunds.values()]) {
    if (record.status === "PENDING") {
      record.status = "TRANSMITTED"
      count++
    }
  }
  return count
}
