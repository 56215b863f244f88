/**
 * Payer Authentication (3-D Secure 2.x through CyberSource's Cardinal Cruise integration), as the
 * Payer Authentication REST developer guide and the 2020 REST spec describe it:
 *
 *   POST /risk/v1/authentication-setups   → COMPLETED: accessToken, deviceDataCollectionUrl, referenceId
 *   POST /risk/v1/authentications         → AUTHENTICATION_SUCCESSFUL (frictionless: ECI, CAVV/AAV, XID)
 *                                          | PENDING_AUTHENTICATION (step-up: stepUpUrl, accessToken,
 *                                            authenticationTransactionId, acsUrl, pareq)
 *                                          | AUTHENTICATION_FAILED (PARes N)
 *   (the payer completes the challenge at stepUpUrl — ChallengePage.ts)
 *   POST /risk/v1/authentication-results  → AUTHENTICATION_SUCCESSFUL | AUTHENTICATION_FAILED
 *
 * and the same checks inside an authorization (`processingInformation.actionList`
 * `CONSUMER_AUTHENTICATION` / `VALIDATE_CONSUMER_AUTHENTICATION`). What the card does is decided by
 * the documented test cards (`Cards.threeDsTestCards`).
 *
 * Every result the emulator issues (ECI, CAVV or AAV, XID, directory server transaction id,
 * version) is bound to one card number, amount and currency and may authorize once: an
 * authorization carrying values the emulator did not issue, issued for another card or amount, or
 * already used is refused (400 `CONSUMER_AUTHENTICATION_FAILED`); an authorization of a card that is
 * enrolled (VERes `Y`) with no authentication at all is declined (201 `DECLINED`,
 * `CONSUMER_AUTHENTICATION_REQUIRED`) — the two payer-authentication reasons the guide's "HTTP
 * Status Codes" page lists.
 *
 * The state lives beside the emulator's `Store` (one per emulator), keyed by it.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto"
import type { CurrencyCode } from "@payport/core/Currency"
import * as Amount from "./Amount.js"
import * as Cards from "./Cards.js"
import type { ApiRequest, Env } from "./Env.js"
import type { PaymentRecord, Store } from "./State.js"
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
  type Reply,
  submitTime,
  text
} from "./Wire.js"

// ---------------------------------------------------------------------------------------------
// Vocabulary
// ---------------------------------------------------------------------------------------------

/** The payer's answer to a challenge. */
export type ChallengeOutcome = "success" | "failure"

/** PARes status: authenticated, attempted, failed, unavailable. */
export type ParesStatus = "Y" | "A" | "N" | "U"

/** The authentication values the emulator issued for one authentication. */
export interface Result {
  readonly veresEnrolled: "Y" | "U"
  readonly paresStatus: ParesStatus
  /** Non-Mastercard ECI (`05`, `06`, `07`). */
  readonly eci: string | undefined
  readonly eciRaw: string
  /** The ECI string value to send as `processingInformation.commerceIndicator` (`vbv`, `spa`, `internet`, …). */
  readonly ecommerceIndicator: string
  /** Visa and the others: the CAVV (base64). */
  readonly cavv: string | undefined
  /** Mastercard: the AAV (base64). */
  readonly ucafAuthenticationData: string | undefined
  readonly ucafCollectionIndicator: string | undefined
  /** Not returned for Mastercard (test cases: "Only Mastercard transactions do not return XIDs"). */
  readonly xid: string | undefined
  readonly directoryServerTransactionId: string
  readonly specificationVersion: string
  readonly directoryServerError: boolean
}

/** One authentication transaction (`authenticationTransactionId`). */
export interface AuthenticationRecord {
  readonly id: string
  readonly scenario: Cards.ThreeDsScenario | undefined
  /** The PAN, held only to bind results to the card; never written back. */
  readonly number: string
  readonly brand: "visa" | "mastercard" | "other"
  readonly amount: number
  readonly currency: CurrencyCode
  readonly code: string | undefined
  readonly referenceId: string | undefined
  readonly returnUrl: string | undefined
  readonly acsTransactionId: string
  readonly threeDSServerTransactionId: string
  readonly directoryServerTransactionId: string
  readonly xid: string
  readonly pareq: string
  /** The opaque `token` CyberSource returns with an enrollment (base64). */
  readonly token: string
  readonly createdAt: number
  /** `none` for frictionless outcomes; otherwise where the payer's step-up stands. */
  challenge: "none" | "pending" | ChallengeOutcome
  /** Issued once the outcome is known: at enrollment (frictionless) or at validation (step-up). */
  result: Result | undefined
  /** The authorization that used the result (a result authorizes once). */
  consumedBy: string | undefined
  /** The PENDING_AUTHENTICATION payment a combined request created. */
  paymentId: string | undefined
}

/** The per-emulator payer-authentication state. */
interface State {
  origin: string
  /** Signs the Cardinal-style JWTs (`accessToken`) the emulator hands out and later reads back. */
  readonly jwtKey: Buffer
  readonly authentications: Map<string, AuthenticationRecord>
  /** `referenceId`s issued by setup (device data collection sessions) → whether collection ran. */
  readonly referenceIds: Map<string, boolean>
}

const states = new WeakMap<Store, State>()

/** The `consumerAuthenticationInformation` a payment's 201 carries, by payment. */
const echoes = new WeakMap<PaymentRecord, JsonObject>()

const stateOf = (store: Store): State => {
  let state = states.get(store)
  if (state === undefined) {
    state = {
      origin: "http://127.0.0.1",
      jwtKey: randomBytes(32),
      authentications: new Map(),
      referenceIds: new Map()
    }
    states.set(store, state)
  }
  return state
}

/** Tells the module where the emulator listens (step-up and device data collection URLs hang off it). */
export const configure = (store: Store, origin: string): void => {
  stateOf(store).origin = origin
}

/** Where the payer's browser goes: the paths ChallengePage.ts serves (Cardinal's own path names). */
export const paths = {
  deviceDataCollection: "/V1/Cruise/Collect",
  stepUp: "/V2/Cruise/StepUp",
  acs: "/MerchantACSWeb/creq.jsp",
  acsAnswer: "/MerchantACSWeb/challenge"
} as const

/** The one-time code the emulator's challenge page accepts (any other code fails the challenge). */
export const challengeCode = "1234"

const specificationVersion = "2.2.0"

export const enrolledMessage =
  "The cardholder is enrolled in Payer Authentication. Please authenticate the cardholder before continuing with the transaction."
const failedMessage = "Encountered a Payer Authentication problem. Payer could not be authenticated."

// ---------------------------------------------------------------------------------------------
// Ids and tokens
// ---------------------------------------------------------------------------------------------

const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

/** A 20-character alphanumeric id, the shape of Cardinal transaction ids (`OZ9qOjjlvjcL0YSZDUx0`). */
const transactionId = (store: Store): string =>
  Array.from(Buffer.from(store.hex(40), "hex"), (b) => base62[b % 62]).join("")

/** `bytes` random bytes in base64 (CAVV, AAV and XID are base64 on the wire). */
const base64Of = (store: Store, bytes: number): string => Buffer.from(store.hex(bytes * 2), "hex").toString("base64")

const b64url = (value: string | Buffer): string => Buffer.from(value).toString("base64url")

/** An HS256 JWT over `claims`, signed with the emulator's key. */
const signJwt = (state: State, claims: JsonObject): string => {
  const head = b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }))
  const body = b64url(JSON.stringify(claims))
  const signature = createHmac("sha256", state.jwtKey).update(`${head}.${body}`).digest("base64url")
  return `${head}.${body}.${signature}`
}

/** The claims of an unexpired JWT this emulator signed, or `undefined`. */
const readJwt = (state: State, token: string, now: number): { readonly [key: string]: unknown } | undefined => {
  const [head, body, signature, ...rest] = token.split(".")
  if (head === undefined || body === undefined || signature === undefined || rest.length > 0) return undefined
  const expected = Buffer.from(createHmac("sha256", state.jwtKey).update(`${head}.${body}`).digest("base64url"))
  const given = Buffer.from(signature)
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined
  try {
    const claims: unknown = JSON.parse(Buffer.from(body, "base64url").toString("utf8"))
    if (!isObject(claims)) return undefined
    return typeof claims.exp === "number" && claims.exp * 1000 < now ? undefined : claims
  } catch {
    return undefined
  }
}

// ---------------------------------------------------------------------------------------------
// Request reading
// ---------------------------------------------------------------------------------------------

const isReply = (value: unknown): value is Reply => isObject(value) && typeof value.status === "number"

interface CardInput {
  readonly number: string
  readonly type: string | undefined
}

/** `paymentInformation.card` with the fields the Check Enrollment / Validation guides require. */
const readCard = (env: Env, body: unknown, requireType: boolean): CardInput | Reply => {
  const base = ["paymentInformation", "card"] as const
  const details: Array<FieldDetail> = []
  for (const member of ["number", "expirationMonth", "expirationYear", ...(requireType ? ["type"] : [])]) {
    if (text(body, ...base, member) === undefined)
      details.push({ field: `${base.join(".")}.${member}`, reason: "MISSING_FIELD" })
  }
  if (details.length > 0) return invalidRequest(env.now, "MISSING_FIELD", messages.missingField, details)
  const number = text(body, ...base, "number") ?? ""
  if (env.cardTriggers[number] === undefined && !Cards.isValidNumber(number)) {
    return invalidField(env.now, "paymentInformation.card.number")
  }
  return { number, type: text(body, ...base, "type") }
}

interface Money {
  readonly amount: number
  readonly currency: CurrencyCode
}

const readMoney = (env: Env, body: unknown): Money | Reply => {
  const base = ["orderInformation", "amountDetails"] as const
  const total = text(body, ...base, "totalAmount")
  const currencyText = text(body, ...base, "currency")
  const details: Array<FieldDetail> = []
  if (total === undefined) details.push({ field: `${base.join(".")}.totalAmount`, reason: "MISSING_FIELD" })
  if (currencyText === undefined) details.push({ field: `${base.join(".")}.currency`, reason: "MISSING_FIELD" })
  if (details.length > 0) return invalidRequest(env.now, "MISSING_FIELD", messages.missingField, details)
  const currency = Amount.currencyOf(currencyText)
  if (currency === undefined) return invalidField(env.now, `${base.join(".")}.currency`)
  const amount = Amount.parse(total ?? "", currency)
  if (amount === undefined) return invalidField(env.now, `${base.join(".")}.totalAmount`)
  return { amount, currency }
}

/** `clientReferenceInformation.code`: when the object is sent, its `code` is required (SPEC). */
const readCode = (env: Env, body: unknown): { readonly code: string | undefined } | Reply => {
  const code = text(body, "clientReferenceInformation", "code")
  if (code === undefined && at(body, "clientReferenceInformation") !== undefined) {
    return missingField(env.now, "clientReferenceInformation.code")
  }
  return { code }
}

/** What Check Enrollment and Validation both require: the order's code, amount and card. */
const readTransaction = (
  env: Env,
  body: unknown
): { readonly code: string | undefined; readonly money: Money; readonly card: CardInput } | Reply => {
  const code = readCode(env, body)
  if (isReply(code)) return code
  const money = readMoney(env, body)
  if (isReply(money)) return money
  const card = readCard(env, body, true)
  if (isReply(card)) return card
  return { code: code.code, money, card }
}

const brandOf = (number: string, type: string | undefined): AuthenticationRecord["brand"] => {
  const code = type ?? Cards.typeOf(number)
  return code === "001" ? "visa" : code === "002" ? "mastercard" : "other"
}

/** What the card does: the documented test card's scenario, or a step-up forced by a card trigger. */
const scenarioOf = (env: Env, number: string): Cards.ThreeDsScenario | undefined =>
  Cards.threeDsTestCards[number] ??
  (env.cardTriggers[number]?.status === "PENDING_AUTHENTICATION" ? "challenge" : undefined)

/** Whether an authorization of this card needs authentication data (the card is enrolled: VERes `Y`). */
const requiresAuthentication = (scenario: Cards.ThreeDsScenario | undefined): boolean =>
  scenario !== undefined && scenario !== "unavailable"

// ---------------------------------------------------------------------------------------------
// Results
// ---------------------------------------------------------------------------------------------

/** The values of an outcome, per brand, as the 2.x test cases list them (ECI raw / string values). */
const resultFor = (
  store: Store,
  record: AuthenticationRecord,
  paresStatus: ParesStatus,
  veresEnrolled: "Y" | "U"
): Result => {
  const mastercard = record.brand === "mastercard"
  const authenticated = paresStatus === "Y" || paresStatus === "A"
  const token = authenticated ? base64Of(store, 20) : undefined
  const eciRaw = mastercard
    ? { Y: "02", A: "01", N: "00", U: "00" }[paresStatus]
    : { Y: "05", A: "06", N: "07", U: "07" }[paresStatus]
  const ecommerceIndicator = mastercard
    ? authenticated
      ? "spa"
      : "internet"
    : { Y: "vbv", A: "vbv_attempted", N: "internet", U: "internet" }[paresStatus]
  return {
    veresEnrolled,
    paresStatus,
    eci: mastercard ? undefined : eciRaw,
    eciRaw,
    ecommerceIndicator,
    cavv: mastercard ? undefined : token,
    ucafAuthenticationData: mastercard ? token : undefined,
    ucafCollectionIndicator: mastercard ? { Y: "2", A: "1", N: "0", U: "0" }[paresStatus] : undefined,
    xid: mastercard ? undefined : record.xid,
    directoryServerTransactionId: record.directoryServerTransactionId,
    specificationVersion,
    directoryServerError: veresEnrolled === "U" && record.scenario === "unavailable"
  }
}

/** The outcome of a Check Enrollment, for cards that do not step up. */
const frictionlessResult = (store: Store, record: AuthenticationRecord): Result => {
  switch (record.scenario) {
    case "frictionless":
      return resultFor(store, record, "Y", "Y")
    case "attempted":
      return resultFor(store, record, "A", "Y")
    case "frictionlessFailed":
      return resultFor(store, record, "N", "Y")
    default:
      return resultFor(store, record, "U", "U")
  }
}

/** The outcome of a validation once the payer finished the step-up. */
const challengeResult = (store: Store, record: AuthenticationRecord, outcome: ChallengeOutcome): Result => {
  if (outcome === "failure" || record.scenario === "challengeFailed") return resultFor(store, record, "N", "Y")
  if (record.scenario === "challengeUnavailable") return resultFor(store, record, "U", "Y")
  return resultFor(store, record, "Y", "Y")
}

/** The wire members of a result, for the risk responses and the authorization echo. */
const resultFields = (result: Result): JsonObject => ({
  cavv: result.cavv,
  directoryServerErrorCode: result.directoryServerError ? "101" : undefined,
  directoryServerErrorDescription: result.directoryServerError ? "Invalid Formatted Message" : undefined,
  directoryServerTransactionId: result.directoryServerTransactionId,
  eci: result.eci,
  eciRaw: result.eciRaw,
  ecommerceIndicator: result.ecommerceIndicator,
  paresStatus: result.paresStatus,
  specificationVersion: result.specificationVersion,
  ucafAuthenticationData: result.ucafAuthenticationData,
  ucafCollectionIndicator: result.ucafCollectionIndicator,
  veresEnrolled: result.veresEnrolled,
  xid: result.xid
})

const statusOf = (result: Result): "AUTHENTICATION_SUCCESSFUL" | "AUTHENTICATION_FAILED" =>
  result.paresStatus === "N" ? "AUTHENTICATION_FAILED" : "AUTHENTICATION_SUCCESSFUL"

// ---------------------------------------------------------------------------------------------
// Check Enrollment (shared by /risk/v1/authentications and CONSUMER_AUTHENTICATION)
// ---------------------------------------------------------------------------------------------

const newRecord = (
  env: Env,
  card: CardInput,
  money: Money,
  code: string | undefined,
  body: unknown,
  forcedChallenge: boolean
): AuthenticationRecord => {
  const store = env.store
  const scenario = forcedChallenge ? "challenge" : scenarioOf(env, card.number)
  const acsTransactionId = store.uuid()
  const threeDSServerTransactionId = store.uuid()
  // The 3-D Secure 2 CReq, base64url without padding, members in the order of the guide's examples.
  const creq = {
    messageType: "CReq",
    messageVersion: specificationVersion,
    threeDSServerTransID: threeDSServerTransactionId,
    acsTransID: acsTransactionId,
    challengeWindowSize: "02"
  }
  const record: AuthenticationRecord = {
    id: transactionId(store),
    scenario,
    number: card.number,
    brand: brandOf(card.number, card.type),
    amount: money.amount,
    currency: money.currency,
    code,
    referenceId: text(body, "consumerAuthenticationInformation", "referenceId"),
    returnUrl: text(body, "consumerAuthenticationInformation", "returnUrl"),
    acsTransactionId,
    threeDSServerTransactionId,
    directoryServerTransactionId: store.uuid(),
    xid: base64Of(store, 20),
    pareq: b64url(JSON.stringify(creq)),
    token: base64Of(store, 48),
    createdAt: env.now,
    challenge: "none",
    result: undefined,
    consumedBy: undefined,
    paymentId: undefined
  }
  const stepUp = scenario === "challenge" || scenario === "challengeFailed" || scenario === "challengeUnavailable"
  if (stepUp) record.challenge = "pending"
  else record.result = frictionlessResult(store, record)
  stateOf(store).authentications.set(record.id, record)
  return record
}

/** The Cardinal JWT the merchant posts to `stepUpUrl` (claim names as Cardinal Cruise uses them). */
const stepUpToken = (env: Env, record: AuthenticationRecord): string => {
  const state = stateOf(env.store)
  const iat = Math.floor(env.now / 1000)
  return signJwt(state, {
    jti: env.store.uuid(),
    iat,
    exp: iat + 3600,
    iss: env.merchantId,
    OrgUnitId: env.merchantId,
    ReturnUrl: record.returnUrl,
    ReferenceId: record.referenceId,
    Payload: { ACSUrl: `${state.origin}${paths.acs}`, Payload: record.pareq, TransactionId: record.id },
    ObjectifyPayload: true
  })
}

/** `consumerAuthenticationInformation` of a Check Enrollment answer. */
const enrollmentInformation = (env: Env, record: AuthenticationRecord): JsonObject => {
  const state = stateOf(env.store)
  if (record.result !== undefined) {
    return {
      authenticationTransactionId: record.id,
      acsTransactionId: record.acsTransactionId,
      threeDSServerTransactionId: record.threeDSServerTransactionId,
      token: record.token,
      ...resultFields(record.result)
    }
  }
  return {
    accessToken: stepUpToken(env, record),
    acsTransactionId: record.acsTransactionId,
    acsUrl: `${state.origin}${paths.acs}`,
    authenticationTransactionId: record.id,
    directoryServerTransactionId: record.directoryServerTransactionId,
    pareq: record.pareq,
    paresStatus: "C",
    specificationVersion,
    stepUpUrl: `${state.origin}${paths.stepUp}`,
    threeDSServerTransactionId: record.threeDSServerTransactionId,
    token: record.token,
    veresEnrolled: "Y",
    xid: record.brand === "mastercard" ? undefined : record.xid
  }
}

/** A referenceId the request names must be one setup issued. */
const checkReferenceId = (env: Env, body: unknown): Reply | undefined => {
  const referenceId = text(body, "consumerAuthenticationInformation", "referenceId")
  if (referenceId !== undefined && !stateOf(env.store).referenceIds.has(referenceId)) {
    return invalidField(env.now, "consumerAuthenticationInformation.referenceId")
  }
  return undefined
}

const riskLinks = (kind: string, id: string): JsonObject => ({ self: link("GET", `/risk/v1/${kind}/${id}`) })

// ---------------------------------------------------------------------------------------------
// Routes
// ---------------------------------------------------------------------------------------------

/** POST /risk/v1/authentication-setups: starts device data collection (Cardinal's DDC iframe). */
export const setup = (env: Env, req: ApiRequest): Reply => {
  const body = req.body
  if (!isObject(body)) return invalidRequest(env.now, "INVALID_DATA", messages.invalidData)
  const code = readCode(env, body)
  if (isReply(code)) return code
  const tokenized =
    at(body, "paymentInformation", "tokenizedCard") !== undefined ||
    at(body, "paymentInformation", "fluidData") !== undefined ||
    at(body, "paymentInformation", "customer") !== undefined ||
    text(body, "tokenInformation", "transientToken") !== undefined
  if (!tokenized) {
    const card = readCard(env, body, false)
    if (isReply(card)) return card
  }
  const state = stateOf(env.store)
  const referenceId = env.store.uuid()
  state.referenceIds.set(referenceId, false)
  const iat = Math.floor(env.now / 1000)
  const accessToken = signJwt(state, {
    jti: env.store.uuid(),
    iat,
    exp: iat + 3600,
    iss: env.merchantId,
    OrgUnitId: env.merchantId,
    ReferenceId: referenceId,
    ReturnUrl: `${state.origin}${paths.deviceDataCollection}`
  })
  const id = env.store.transactionIdAt(env.now)
  return {
    status: 201,
    body: {
      clientReferenceInformation: code.code === undefined ? undefined : { code: code.code },
      consumerAuthenticationInformation: {
        accessToken,
        referenceId,
        deviceDataCollectionUrl: `${state.origin}${paths.deviceDataCollection}`,
        token: base64Of(env.store, 48)
      },
      id,
      status: "COMPLETED",
      submitTimeUtc: submitTime(env.now)
    }
  }
}

/** POST /risk/v1/authentications: Check Enrollment. */
export const enroll = (env: Env, req: ApiRequest): Reply => {
  const body = req.body
  if (!isObject(body)) return invalidRequest(env.now, "INVALID_DATA", messages.invalidData)
  const transaction = readTransaction(env, body)
  if (isReply(transaction)) return transaction
  const { code, money, card } = transaction
  const badReference = checkReferenceId(env, body)
  if (badReference !== undefined) return badReference
  const record = newRecord(env, card, money, code, body, false)
  const id = env.store.transactionIdAt(env.now)
  const result = record.result
  const status = result === undefined ? "PENDING_AUTHENTICATION" : statusOf(result)
  return {
    status: 201,
    body: {
      _links: riskLinks("authentications", id),
      clientReferenceInformation: code === undefined ? undefined : { code },
      consumerAuthenticationInformation: enrollmentInformation(env, record),
      errorInformation:
        status === "PENDING_AUTHENTICATION"
          ? { reason: "CONSUMER_AUTHENTICATION_REQUIRED", message: enrolledMessage }
          : status === "AUTHENTICATION_FAILED"
            ? { reason: "AUTHENTICATION_FAILED", message: failedMessage }
            : undefined,
      id,
      orderInformation: {
        amountDetails: { totalAmount: Amount.format(money.amount, money.currency), currency: money.currency }
      },
      status,
      submitTimeUtc: submitTime(env.now)
    }
  }
}

/** A validation's answer: the result once the payer finished, else `pending`. */
const validateRecord = (store: Store, record: AuthenticationRecord): Result | "pending" => {
  if (record.result !== undefined) return record.result
  if (record.challenge === "pending" || record.challenge === "none") return "pending"
  record.result = challengeResult(store, record, record.challenge)
  return record.result
}

/**
 * What a validation answers while the payer has not finished the step-up: `PENDING_AUTHENTICATION`
 * with the step-up again (a fresh `accessToken` for the same authentication, PARes `C`), so the
 * merchant can send the payer back to it. Nothing is validated, issued or used up.
 */
const inFlightFields = (env: Env, record: AuthenticationRecord): JsonObject => ({
  consumerAuthenticationInformation: enrollmentInformation(env, record),
  errorInformation: { reason: "CONSUMER_AUTHENTICATION_REQUIRED", message: enrolledMessage },
  status: "PENDING_AUTHENTICATION"
})

/**
 * The 201 of an authorization with `VALIDATE_CONSUMER_AUTHENTICATION` while the payer has not
 * finished the step-up: validation stops before the authorization, so no transaction is recorded
 * (and its `transactionId` stays unused): the same request may be sent again once the payer is done.
 */
export const inFlightPayment = (env: Env, record: AuthenticationRecord, body: unknown): JsonObject => {
  const code = text(body, "clientReferenceInformation", "code")
  return {
    clientReferenceInformation: code === undefined ? undefined : { code },
    id: env.store.transactionIdAt(env.now),
    orderInformation: {
      amountDetails: { totalAmount: Amount.format(record.amount, record.currency), currency: record.currency }
    },
    ...inFlightFields(env, record),
    submitTimeUtc: submitTime(env.now)
  }
}

/** Whether a request's card and amount are the ones the authentication was for. */
const sameTransaction = (record: AuthenticationRecord, number: string, money: Money): boolean =>
  record.number === number && record.amount === money.amount && record.currency === money.currency

/** POST /risk/v1/authentication-results: Validate Authentication after the step-up. */
export const validate = (env: Env, req: ApiRequest): Reply => {
  const body = req.body
  if (!isObject(body)) return invalidRequest(env.now, "INVALID_DATA", messages.invalidData)
  const authId = text(body, "consumerAuthenticationInformation", "authenticationTransactionId")
  if (authId === undefined)
    return missingField(env.now, "consumerAuthenticationInformation.authenticationTransactionId")
  const transaction = readTransaction(env, body)
  if (isReply(transaction)) return transaction
  const { code, money, card } = transaction
  const record = stateOf(env.store).authentications.get(authId)
  if (record === undefined || !sameTransaction(record, card.number, money)) {
    return invalidField(env.now, "consumerAuthenticationInformation.authenticationTransactionId")
  }
  const id = env.store.transactionIdAt(env.now)
  const result = validateRecord(env.store, record)
  const base = {
    _links: riskLinks("authentication-results", id),
    clientReferenceInformation: code === undefined ? undefined : { code },
    id,
    submitTimeUtc: submitTime(env.now)
  }
  if (result === "pending") {
    // The payer has not finished the step-up: nothing is validated or issued, the challenge stays
    // open (PARes `C`, "a temporary status for an in-flight transaction").
    return { status: 201, body: { ...base, ...inFlightFields(env, record) } }
  }
  const status = statusOf(result)
  return {
    status: 201,
    body: {
      ...base,
      consumerAuthenticationInformation: {
        acsTransactionId: record.acsTransactionId,
        authenticationResult: result.paresStatus === "N" ? "9" : result.paresStatus === "U" ? "6" : "0",
        authenticationStatusMsg: status === "AUTHENTICATION_SUCCESSFUL" ? "Success" : "Failure",
        authenticationTransactionId: record.id,
        indicator: result.ecommerceIndicator,
        threeDSServerTransactionId: record.threeDSServerTransactionId,
        ...resultFields(result),
        veresEnrolled: undefined
      },
      errorInformation:
        status === "AUTHENTICATION_FAILED" ? { reason: "AUTHENTICATION_FAILED", message: failedMessage } : undefined,
      status
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Inside an authorization (POST /pts/v2/payments)
// ---------------------------------------------------------------------------------------------

/** What payer authentication decides for an authorization request. */
export type Decision =
  /** Refuse the request (400). */
  | { readonly kind: "refuse"; readonly reply: Reply }
  /** A step-up is needed: answer 201 PENDING_AUTHENTICATION. */
  | { readonly kind: "pending"; readonly record: AuthenticationRecord }
  /** Answer 201 DECLINED with this reason. */
  | {
      readonly kind: "decline"
      readonly reason: "CONSUMER_AUTHENTICATION_REQUIRED" | "CONSUMER_AUTHENTICATION_FAILED"
      readonly message: string
      readonly record: AuthenticationRecord | undefined
    }
  /** `VALIDATE_CONSUMER_AUTHENTICATION` before the payer finished: answer `inFlightPayment`, record nothing. */
  | { readonly kind: "inFlight"; readonly record: AuthenticationRecord }
  /** Go on with the authorization; `record` carries the authentication it uses, if any. */
  | { readonly kind: "proceed"; readonly record: AuthenticationRecord | undefined }

const strings = (value: unknown): ReadonlyArray<string> =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : []

/** The documented 400 for authentication data that does not authenticate this payment. */
const authenticationFailed = (env: Env, field: string): Reply => ({
  status: 400,
  body: {
    submitTimeUtc: submitTime(env.now),
    status: "INVALID_REQUEST",
    reason: "CONSUMER_AUTHENTICATION_FAILED",
    message: failedMessage,
    details: [{ field, reason: "INVALID_DATA" }]
  }
})

const declineFailed = (record: AuthenticationRecord | undefined): Decision => ({
  kind: "decline",
  reason: "CONSUMER_AUTHENTICATION_FAILED",
  message: failedMessage,
  record
})

/** Authentication values an authorization may carry (request names), matched against the issued ones. */
const sentValues = [
  ["cavv", (r: Result) => r.cavv],
  ["ucafAuthenticationData", (r: Result) => r.ucafAuthenticationData],
  ["xid", (r: Result) => r.xid],
  ["directoryServerTransactionId", (r: Result) => r.directoryServerTransactionId],
  ["eciRaw", (r: Result) => r.eciRaw],
  ["ucafCollectionIndicator", (r: Result) => r.ucafCollectionIndicator],
  ["paSpecificationVersion", (r: Result) => r.specificationVersion],
  ["paresStatus", (r: Result) => r.paresStatus],
  ["veresEnrolled", (r: Result) => r.veresEnrolled]
] as const

/** The issued authentication whose CAVV/AAV, XID or directory server transaction id the request carries. */
const issuedFor = (state: State, body: unknown): AuthenticationRecord | undefined => {
  const info = (name: string) => text(body, "consumerAuthenticationInformation", name)
  const cavv = info("cavv") ?? info("ucafAuthenticationData")
  const xid = info("xid")
  const ds = info("directoryServerTransactionId")
  for (const record of state.authentications.values()) {
    const result = record.result
    if (result === undefined) continue
    if (
      cavv !== undefined
        ? cavv === (result.cavv ?? result.ucafAuthenticationData)
        : xid !== undefined
          ? xid === result.xid
          : ds === result.directoryServerTransactionId
    )
      return record
  }
  return undefined
}

/** An authorization carrying authentication values obtained separately (the "separate services" flow). */
const withValues = (env: Env, body: unknown, number: string, money: Money): Decision => {
  const state = stateOf(env.store)
  const record = issuedFor(state, body)
  const result = record?.result
  if (record === undefined || result === undefined) {
    return { kind: "refuse", reply: authenticationFailed(env, "consumerAuthenticationInformation.cavv") }
  }
  if (!sameTransaction(record, number, money) || record.consumedBy !== undefined) {
    return { kind: "refuse", reply: authenticationFailed(env, "consumerAuthenticationInformation.cavv") }
  }
  for (const [name, issued] of sentValues) {
    const sent = text(body, "consumerAuthenticationInformation", name)
    if (sent !== undefined && sent !== issued(result)) {
      return { kind: "refuse", reply: authenticationFailed(env, `consumerAuthenticationInformation.${name}`) }
    }
  }
  const indicator = text(body, "processingInformation", "commerceIndicator")
  if (indicator !== undefined && indicator !== result.ecommerceIndicator) {
    return { kind: "refuse", reply: authenticationFailed(env, "processingInformation.commerceIndicator") }
  }
  if (record.brand === "mastercard") {
    // Test cases: "Mastercard requires that the 3-D Secure version and directory server transaction
    // ID be included along with all pertinent data in your authorization request."
    const missing: Array<FieldDetail> = []
    for (const name of ["paSpecificationVersion", "directoryServerTransactionId"]) {
      if (text(body, "consumerAuthenticationInformation", name) === undefined)
        missing.push({ field: `consumerAuthenticationInformation.${name}`, reason: "MISSING_FIELD" })
    }
    if (missing.length > 0) {
      return { kind: "refuse", reply: invalidRequest(env.now, "MISSING_FIELD", messages.missingField, missing) }
    }
  }
  if (result.paresStatus === "N") return declineFailed(record)
  return { kind: "proceed", record }
}

/**
 * Payer authentication's part in `POST /pts/v2/payments`: `VALIDATE_CONSUMER_AUTHENTICATION`
 * (with `authenticationTransactionId`), `CONSUMER_AUTHENTICATION` (Check Enrollment first),
 * authentication values obtained separately, or none. `forcedChallenge`: a card trigger demands a
 * step-up for this card.
 */
export const forPayment = (
  env: Env,
  body: unknown,
  card: CardInput,
  money: Money,
  forcedChallenge: boolean
): Decision => {
  const actions = strings(at(body, "processingInformation", "actionList"))
  const state = stateOf(env.store)
  if (actions.includes("VALIDATE_CONSUMER_AUTHENTICATION")) {
    const authId = text(body, "consumerAuthenticationInformation", "authenticationTransactionId")
    if (authId === undefined) {
      return {
        kind: "refuse",
        reply: missingField(env.now, "consumerAuthenticationInformation.authenticationTransactionId")
      }
    }
    const record = state.authentications.get(authId)
    if (record === undefined) {
      return {
        kind: "refuse",
        reply: invalidField(env.now, "consumerAuthenticationInformation.authenticationTransactionId")
      }
    }
    if (!sameTransaction(record, card.number, money) || record.consumedBy !== undefined) {
      return {
        kind: "refuse",
        reply: authenticationFailed(env, "consumerAuthenticationInformation.authenticationTransactionId")
      }
    }
    const result = validateRecord(env.store, record)
    if (result === "pending") return { kind: "inFlight", record }
    if (result.paresStatus === "N") return declineFailed(record)
    return { kind: "proceed", record }
  }
  if (actions.includes("CONSUMER_AUTHENTICATION")) {
    const badReference = checkReferenceId(env, body)
    if (badReference !== undefined) return { kind: "refuse", reply: badReference }
    const record = newRecord(env, card, money, text(body, "clientReferenceInformation", "code"), body, forcedChallenge)
    if (record.result === undefined) return { kind: "pending", record }
    if (record.result.paresStatus === "N") return declineFailed(record)
    return { kind: "proceed", record }
  }
  const carries = ["cavv", "ucafAuthenticationData", "xid", "directoryServerTransactionId"].some(
    (name) => text(body, "consumerAuthenticationInformation", name) !== undefined
  )
  if (carries) return withValues(env, body, card.number, money)
  if (forcedChallenge || requiresAuthentication(scenarioOf(env, card.number))) {
    return {
      kind: "decline",
      reason: "CONSUMER_AUTHENTICATION_REQUIRED",
      message: failedMessage,
      record: undefined
    }
  }
  return { kind: "proceed", record: undefined }
}

/**
 * Records what the authorization did with the authentication: an approved or declined
 * authorization uses the result up; a pending one is the combined request's payment.
 */
export const attach = (env: Env, decision: Decision, payment: PaymentRecord): void => {
  if (decision.kind === "refuse" || decision.kind === "inFlight") return
  const record = decision.record
  if (record === undefined) return
  if (decision.kind === "pending") {
    record.paymentId = payment.id
    echoes.set(payment, enrollmentInformation(env, record))
    return
  }
  if (decision.kind === "proceed") record.consumedBy = payment.id
  if (record.result !== undefined) {
    echoes.set(payment, {
      authenticationTransactionId: record.id,
      ...resultFields(record.result)
    })
  }
}

/** `consumerAuthenticationInformation` for a payment's 201, when payer authentication took part. */
export const echo = (payment: PaymentRecord): JsonObject | undefined => echoes.get(payment)

// ---------------------------------------------------------------------------------------------
// The payer's side (challenge page, simulation API)
// ---------------------------------------------------------------------------------------------

/**
 * The payer finishes the step-up. The first completion is the one in force (a replay changes
 * nothing); returns it, or `undefined` when the id names no step-up.
 */
export const complete = (store: Store, id: string, outcome: ChallengeOutcome): ChallengeOutcome | undefined => {
  const record = stateOf(store).authentications.get(id)
  if (record === undefined || record.challenge === "none") return undefined
  if (record.challenge === "pending") record.challenge = outcome
  return record.challenge
}

/** The authentication a step-up JWT (`accessToken`) names, if the emulator signed it. */
export const byStepUpToken = (store: Store, token: string, now: number): AuthenticationRecord | undefined => {
  const state = stateOf(store)
  const claims = readJwt(state, token, now)
  const id = at(claims, "Payload", "TransactionId")
  return typeof id === "string" ? state.authentications.get(id) : undefined
}

/** The authentication a CReq (`pareq`, base64url JSON) names. */
export const byCreq = (store: Store, creq: string): AuthenticationRecord | undefined => {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(creq, "base64url").toString("utf8"))
    const acsTransId = at(parsed, "acsTransID")
    for (const record of stateOf(store).authentications.values()) {
      if (record.acsTransactionId === acsTransId) return record
    }
  } catch {
    return undefined
  }
  return undefined
}

/** The authentication with this id. */
export const byId = (store: Store, id: string): AuthenticationRecord | undefined =>
  stateOf(store).authentications.get(id)

/** The device data collection session a setup JWT names; marks it collected. */
export const collect = (store: Store, token: string, now: number): string | undefined => {
  const state = stateOf(store)
  const referenceId = at(readJwt(state, token, now), "ReferenceId")
  if (typeof referenceId !== "string" || !state.referenceIds.has(referenceId)) return undefined
  state.referenceIds.set(referenceId, true)
  return referenceId
}

/** Every authentication, oldest first. */
export const all = (store: Store): ReadonlyArray<AuthenticationRecord> => [...stateOf(store).authentications.values()]

/** The authentication a PENDING_AUTHENTICATION payment is waiting on. */
export const forPaymentId = (store: Store, paymentId: string): AuthenticationRecord | undefined =>
  all(store).find((record) => record.paymentId === paymentId)
