/**
 * Token Management Service (TMS): customers, customer payment instruments (the five seed
 * operations: list with offset/limit, get, create, PATCH with `if-match`, delete), standalone
 * payment instruments and instrument identifiers (one per card number: 201 new, 200 existing).
 *
 * Every token has an ETag that changes on each write; a PATCH whose `if-match` differs is refused
 * with 412. A deleted token answers 410, an unknown one 404, with the SPEC's `errors[]` bodies.
 */
import * as Cards from "./Cards.js"
import type { ApiRequest, Env } from "./Env.js"
import type { CustomerRecord, InstrumentIdentifierRecord, PaymentInstrumentRecord, TokenMeta } from "./State.js"
import { isObject, type Json, type JsonObject, type Reply, text, tms, tmsJson } from "./Wire.js"

type Fields = { readonly [key: string]: unknown }

const customerHref = (id: string) => `/tms/v2/customers/${id}`
const paymentInstrumentHref = (pi: PaymentInstrumentRecord) =>
  pi.customerId === undefined
    ? `/tms/v1/paymentinstruments/${pi.id}`
    : `${customerHref(pi.customerId)}/payment-instruments/${pi.id}`
const identifierHref = (id: string) => `/tms/v1/instrumentidentifiers/${id}`

/** Copies the listed members of a request body, so unknown members never echo back. */
const pick = (body: Fields, keys: ReadonlyArray<string>): Fields => {
  const out: Record<string, unknown> = {}
  for (const key of keys) if (body[key] !== undefined) out[key] = body[key]
  return out
}

const asJson = (value: unknown): Json | undefined => value as Json | undefined

const customerKeys = [
  "objectInformation",
  "buyerInformation",
  "clientReferenceInformation",
  "merchantDefinedInformation"
] as const
const paymentInstrumentKeys = [
  "card",
  "bankAccount",
  "buyerInformation",
  "billTo",
  "processingInformation",
  "merchantInformation"
] as const

/** The card members a payment instrument keeps: never a PAN or a security code, even if sent. */
const cardKeys = [
  "expirationMonth",
  "expirationYear",
  "type",
  "issueNumber",
  "startMonth",
  "startYear",
  "useAs"
] as const

/** Request members with `card` reduced to what a payment instrument may store. */
const storable = (body: Fields): Fields => {
  const fields = pick(body, paymentInstrumentKeys)
  return isObject(fields.card) ? { ...fields, card: pick(fields.card, cardKeys) } : fields
}

const ok = (status: number, body: Json | undefined, extra?: { readonly [name: string]: string }): Reply => ({
  status,
  headers: { "content-type": tmsJson, ...extra },
  ...(body === undefined ? {} : { body })
})

/** Strips the quotes and weak marker an HTTP client may add around an entity tag. */
const bareTag = (value: string): string =>
  value
    .trim()
    .replace(/^W\//, "")
    .replace(/^"(.*)"$/, "$1")

const etagHeader = (token: TokenMeta) => ({ etag: `"${token.etag}"` })

/** Refusal for the optional `profile-id` header (36 characters; unknown ⇒ 424). */
export const checkProfile = (req: ApiRequest, profileIds: ReadonlyArray<string> | undefined): Reply | undefined => {
  const profile = req.headers["profile-id"]
  if (profile === undefined) return undefined
  if (profile.length !== 36 || (profileIds !== undefined && !profileIds.includes(profile))) return tms.profileNotFound()
  return undefined
}

/** The 412 refusal when `if-match` is present and stale. */
const preconditionFails = (req: ApiRequest, token: TokenMeta): boolean => {
  const ifMatch = req.headers["if-match"]
  return ifMatch !== undefined && ifMatch !== "*" && bareTag(ifMatch) !== token.etag
}

const lookup = <T extends TokenMeta>(token: T | undefined): T | Reply => {
  if (token === undefined) return tms.notFound()
  if (token.deleted) return tms.gone()
  return token
}

const isReply = (value: unknown): value is Reply => isObject(value) && typeof value.status === "number"

// ---------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------

/** An instrument identifier as TMS returns it: the PAN masked. */
export const renderIdentifier = (env: Env, ii: InstrumentIdentifierRecord): JsonObject => ({
  _links: {
    self: { href: identifierHref(ii.id) },
    paymentInstruments: { href: `${identifierHref(ii.id)}/paymentinstruments` }
  },
  id: ii.id,
  object: "instrumentIdentifier",
  state: "ACTIVE",
  card: {
    number: Cards.mask(ii.number),
    expirationMonth: ii.expirationMonth,
    expirationYear: ii.expirationYear
  },
  issuer: { paymentAccountReference: ii.paymentAccountReference },
  metadata: { creator: env.merchantId }
})

/** A payment instrument as TMS returns it. */
export const renderPaymentInstrument = (env: Env, pi: PaymentInstrumentRecord): JsonObject => {
  const ii = env.store.instrumentIdentifiers.get(pi.instrumentIdentifierId)
  const customer = pi.customerId === undefined ? undefined : env.store.customers.get(pi.customerId)
  return {
    _links: {
      self: { href: paymentInstrumentHref(pi) },
      ...(pi.customerId === undefined ? {} : { customer: { href: customerHref(pi.customerId) } })
    },
    id: pi.id,
    object: "paymentInstrument",
    default: customer === undefined ? undefined : customer.defaultPaymentInstrumentId === pi.id,
    state: "ACTIVE",
    ...Object.fromEntries(paymentInstrumentKeys.map((key) => [key, asJson(pi.fields[key])])),
    instrumentIdentifier: { id: pi.instrumentIdentifierId },
    metadata: { creator: env.merchantId },
    ...(ii === undefined ? {} : { _embedded: { instrumentIdentifier: renderIdentifier(env, ii) } })
  }
}

/** A customer as TMS returns it, with its default payment instrument embedded. */
export const renderCustomer = (env: Env, customer: CustomerRecord): JsonObject => {
  const defaultPi =
    customer.defaultPaymentInstrumentId === undefined
      ? undefined
      : env.store.paymentInstruments.get(customer.defaultPaymentInstrumentId)
  return {
    _links: {
      self: { href: customerHref(customer.id) },
      paymentInstruments: { href: `${customerHref(customer.id)}/payment-instruments` },
      shippingAddress: { href: `${customerHref(customer.id)}/shipping-addresses` }
    },
    id: customer.id,
    ...Object.fromEntries(customerKeys.map((key) => [key, asJson(customer.fields[key])])),
    ...(defaultPi === undefined ? {} : { defaultPaymentInstrument: { id: defaultPi.id } }),
    metadata: { creator: env.merchantId },
    ...(defaultPi === undefined
      ? {}
      : { _embedded: { defaultPaymentInstrument: renderPaymentInstrument(env, defaultPi) } })
  }
}

// ---------------------------------------------------------------------------------------------
// Operations shared with payments (TOKEN_CREATE, paying with a token)
// ---------------------------------------------------------------------------------------------

/** The instrument identifier for a card number, created when new. */
export const ensureIdentifier = (
  env: Env,
  card: {
    readonly number: string
    readonly expirationMonth?: string | undefined
    readonly expirationYear?: string | undefined
  }
): { readonly identifier: InstrumentIdentifierRecord; readonly created: boolean } => {
  const existingId = env.store.identifiersByNumber.get(card.number)
  const existing = existingId === undefined ? undefined : env.store.instrumentIdentifiers.get(existingId)
  if (existing !== undefined && !existing.deleted) {
    if (card.expirationMonth !== undefined) existing.expirationMonth = Cards.month(card.expirationMonth)
    if (card.expirationYear !== undefined) existing.expirationYear = card.expirationYear
    return { identifier: existing, created: false }
  }
  const identifier: InstrumentIdentifierRecord = {
    id: env.store.instrumentIdentifierId(),
    number: card.number,
    expirationMonth: card.expirationMonth === undefined ? undefined : Cards.month(card.expirationMonth),
    expirationYear: card.expirationYear,
    paymentAccountReference: `V0010013${env.store.digits(21)}`,
    etag: env.store.etag(),
    deleted: false
  }
  env.store.instrumentIdentifiers.set(identifier.id, identifier)
  env.store.identifiersByNumber.set(card.number, identifier.id)
  return { identifier, created: true }
}

/** A new customer. */
export const newCustomer = (env: Env, fields: Fields): CustomerRecord => {
  const customer: CustomerRecord = {
    id: env.store.tokenId(),
    fields: pick(fields, customerKeys),
    defaultPaymentInstrumentId: undefined,
    paymentInstrumentIds: [],
    etag: env.store.etag(),
    deleted: false
  }
  env.store.customers.set(customer.id, customer)
  return customer
}

const wantsDefault = (value: unknown): boolean => value === true || value === "true"

/**
 * A new payment instrument. A customer's first instrument becomes its default, as TMS does; an
 * instrument created with `default: true` takes the default over.
 */
export const newPaymentInstrument = (
  env: Env,
  customer: CustomerRecord | undefined,
  identifier: InstrumentIdentifierRecord,
  fields: Fields
): PaymentInstrumentRecord => {
  const stored = storable(fields)
  const card = isObject(stored.card) ? stored.card : {}
  const cardType = text(card, "type") ?? Cards.typeOf(identifier.number)
  const pi: PaymentInstrumentRecord = {
    id: env.store.tokenId(),
    customerId: customer?.id,
    instrumentIdentifierId: identifier.id,
    fields: {
      ...stored,
      ...(isObject(fields.card) || cardType !== undefined ? { card: { ...card, type: cardType } } : {})
    },
    etag: env.store.etag(),
    deleted: false
  }
  env.store.paymentInstruments.set(pi.id, pi)
  if (customer !== undefined) {
    customer.paymentInstrumentIds.push(pi.id)
    if (customer.defaultPaymentInstrumentId === undefined || wantsDefault(fields.default)) {
      customer.defaultPaymentInstrumentId = pi.id
      customer.etag = env.store.etag()
    }
  }
  return pi
}

/** Removes an instrument identifier no live payment instrument refers to (seed: delete cascades). */
const dropOrphanIdentifier = (env: Env, identifierId: string): void => {
  for (const pi of env.store.paymentInstruments.values()) {
    if (!pi.deleted && pi.instrumentIdentifierId === identifierId) return
  }
  const ii = env.store.instrumentIdentifiers.get(identifierId)
  if (ii !== undefined) {
    ii.deleted = true
    env.store.identifiersByNumber.delete(ii.number)
  }
}

const deletePaymentInstrument = (env: Env, pi: PaymentInstrumentRecord): void => {
  pi.deleted = true
  const customer = pi.customerId === undefined ? undefined : env.store.customers.get(pi.customerId)
  if (customer !== undefined) {
    const index = customer.paymentInstrumentIds.indexOf(pi.id)
    if (index >= 0) customer.paymentInstrumentIds.splice(index, 1)
    if (customer.defaultPaymentInstrumentId === pi.id) {
      customer.defaultPaymentInstrumentId = undefined
      customer.etag = env.store.etag()
    }
  }
  dropOrphanIdentifier(env, pi.instrumentIdentifierId)
}

// ---------------------------------------------------------------------------------------------
// Customers
// ---------------------------------------------------------------------------------------------

/** POST /tms/v2/customers */
export const createCustomer = (env: Env, req: ApiRequest): Reply => {
  if (!isObject(req.body)) return tms.invalidBody()
  const customer = newCustomer(env, req.body)
  return ok(201, renderCustomer(env, customer), { ...etagHeader(customer), location: customerHref(customer.id) })
}

const findCustomer = (env: Env, id: string): CustomerRecord | Reply => lookup(env.store.customers.get(id))

/** GET /tms/v2/customers/{id} */
export const getCustomer = (env: Env, req: ApiRequest): Reply => {
  const customer = findCustomer(env, req.params[0] ?? "")
  if (isReply(customer)) return customer
  return ok(200, renderCustomer(env, customer), etagHeader(customer))
}

/** PATCH /tms/v2/customers/{id} (if-match honoured; `defaultPaymentInstrument.id` switches the default). */
export const patchCustomer = (env: Env, req: ApiRequest): Reply => {
  const customer = findCustomer(env, req.params[0] ?? "")
  if (isReply(customer)) return customer
  if (preconditionFails(req, customer)) return tms.preconditionFailed()
  if (!isObject(req.body)) return tms.invalidBody()
  const newDefault = text(req.body, "defaultPaymentInstrument", "id")
  if (newDefault !== undefined) {
    if (!customer.paymentInstrumentIds.includes(newDefault)) {
      return tms.invalidBody([{ name: "defaultPaymentInstrument.id", location: "body" }])
    }
    customer.defaultPaymentInstrumentId = newDefault
  }
  customer.fields = { ...customer.fields, ...pick(req.body, customerKeys) }
  customer.etag = env.store.etag()
  return ok(200, renderCustomer(env, customer), etagHeader(customer))
}

/** DELETE /tms/v2/customers/{id}: the customer and its payment instruments. */
export const deleteCustomer = (env: Env, req: ApiRequest): Reply => {
  const customer = findCustomer(env, req.params[0] ?? "")
  if (isReply(customer)) return customer
  for (const id of [...customer.paymentInstrumentIds]) {
    const pi = env.store.paymentInstruments.get(id)
    if (pi !== undefined) deletePaymentInstrument(env, pi)
  }
  customer.deleted = true
  return ok(204, undefined)
}

// ---------------------------------------------------------------------------------------------
// Customer payment instruments (seed 004)
// ---------------------------------------------------------------------------------------------

const nonNegativeInt = (value: string | null, fallback: number): number | undefined => {
  if (value === null || value === "") return fallback
  return /^\d+$/.test(value) ? Number(value) : undefined
}

/** GET /tms/v2/customers/{id}/payment-instruments?offset&limit */
export const listPaymentInstruments = (env: Env, req: ApiRequest): Reply => {
  const customer = findCustomer(env, req.params[0] ?? "")
  if (isReply(customer)) return customer
  const offset = nonNegativeInt(req.query.get("offset"), 0)
  const limit = nonNegativeInt(req.query.get("limit"), 20)
  if (offset === undefined) return tms.invalidBody([{ name: "offset", location: "query" }])
  if (limit === undefined || limit < 1 || limit > 100) return tms.invalidBody([{ name: "limit", location: "query" }])
  const ids = customer.paymentInstrumentIds
  const total = ids.length
  const page = ids.slice(offset, offset + limit).flatMap((id) => {
    const pi = env.store.paymentInstruments.get(id)
    return pi === undefined ? [] : [renderPaymentInstrument(env, pi)]
  })
  const base = `${customerHref(customer.id)}/payment-instruments`
  const href = (at: number) => ({ href: `${base}?offset=${at}&limit=${limit}` })
  const last = total === 0 ? 0 : Math.floor((total - 1) / limit) * limit
  return ok(
    200,
    {
      _links: {
        self: href(offset),
        first: href(0),
        ...(offset > 0 ? { prev: href(Math.max(0, offset - limit)) } : {}),
        ...(offset + limit < total ? { next: href(offset + limit) } : {}),
        last: href(last)
      },
      offset,
      limit,
      count: page.length,
      total,
      _embedded: { paymentInstruments: page }
    },
    { "x-total-count": String(total) }
  )
}

/** The instrument identifier a payment instrument request names, by id or by card number. */
const identifierFor = (env: Env, body: Fields): InstrumentIdentifierRecord | Reply => {
  const id = text(body, "instrumentIdentifier", "id")
  if (id !== undefined) {
    const ii = env.store.instrumentIdentifiers.get(id)
    if (ii === undefined || ii.deleted) return tms.invalidBody([{ name: "instrumentIdentifier.id", location: "body" }])
    return ii
  }
  const number = text(body, "instrumentIdentifier", "card", "number")
  if (number === undefined) return tms.invalidBody([{ name: "instrumentIdentifier", location: "body" }])
  if (!Cards.isValidNumber(number)) {
    return tms.invalidBody([{ name: "instrumentIdentifier.card.number", location: "body" }])
  }
  return ensureIdentifier(env, {
    number,
    expirationMonth: text(body, "card", "expirationMonth"),
    expirationYear: text(body, "card", "expirationYear")
  }).identifier
}

/** POST /tms/v2/customers/{id}/payment-instruments */
export const createPaymentInstrument = (env: Env, req: ApiRequest): Reply => {
  const customer = findCustomer(env, req.params[0] ?? "")
  if (isReply(customer)) return customer
  if (!isObject(req.body)) return tms.invalidBody()
  const identifier = identifierFor(env, req.body)
  if (isReply(identifier)) return identifier
  const pi = newPaymentInstrument(env, customer, identifier, req.body)
  return ok(201, renderPaymentInstrument(env, pi), { ...etagHeader(pi), location: paymentInstrumentHref(pi) })
}

/** A payment instrument by its path: under its customer (v2) or standalone (v1). */
const findPaymentInstrument = (
  env: Env,
  customerId: string | undefined,
  id: string
): PaymentInstrumentRecord | Reply => {
  if (customerId !== undefined) {
    const customer = findCustomer(env, customerId)
    if (isReply(customer)) return customer
  }
  const pi = env.store.paymentInstruments.get(id)
  if (pi === undefined || (customerId !== undefined && pi.customerId !== customerId)) return tms.notFound()
  return lookup(pi)
}

const instrumentPath = (req: ApiRequest): readonly [string | undefined, string] =>
  req.params.length >= 2 ? [req.params[0], req.params[1] ?? ""] : [undefined, req.params[0] ?? ""]

/** GET …/payment-instruments/{piId} */
export const getPaymentInstrument = (env: Env, req: ApiRequest): Reply => {
  const [customerId, id] = instrumentPath(req)
  const pi = findPaymentInstrument(env, customerId, id)
  if (isReply(pi)) return pi
  return ok(200, renderPaymentInstrument(env, pi), etagHeader(pi))
}

/** PATCH …/payment-instruments/{piId}, conditional on `if-match`. */
export const patchPaymentInstrument = (env: Env, req: ApiRequest): Reply => {
  const [customerId, id] = instrumentPath(req)
  const pi = findPaymentInstrument(env, customerId, id)
  if (isReply(pi)) return pi
  if (preconditionFails(req, pi)) return tms.preconditionFailed()
  if (!isObject(req.body)) return tms.invalidBody()
  const body = req.body
  if (body.instrumentIdentifier !== undefined) {
    const identifier = identifierFor(env, body)
    if (isReply(identifier)) return identifier
    pi.instrumentIdentifierId = identifier.id
  }
  const merged: Record<string, unknown> = { ...pi.fields }
  const update = storable(body)
  for (const key of paymentInstrumentKeys) {
    const value = update[key]
    if (value === undefined) continue
    const previous = merged[key]
    merged[key] = isObject(value) && isObject(previous) ? { ...previous, ...value } : value
  }
  pi.fields = merged
  pi.etag = env.store.etag()
  const customer = pi.customerId === undefined ? undefined : env.store.customers.get(pi.customerId)
  if (customer !== undefined && wantsDefault(body.default) && customer.defaultPaymentInstrumentId !== pi.id) {
    customer.defaultPaymentInstrumentId = pi.id
    customer.etag = env.store.etag()
  }
  return ok(200, renderPaymentInstrument(env, pi), etagHeader(pi))
}

/**
 * DELETE …/payment-instruments/{piId}. Seed: "If a customer has more than one Payment Instrument
 * then the default Payment Instrument cannot be deleted without first selecting a new default" —
 * refused here with a 409 `conflict` (the SPEC gives no status for it; 409 is the TMS conflict code).
 */
export const deletePaymentInstrumentRoute = (env: Env, req: ApiRequest): Reply => {
  const [customerId, id] = instrumentPath(req)
  const pi = findPaymentInstrument(env, customerId, id)
  if (isReply(pi)) return pi
  const customer = pi.customerId === undefined ? undefined : env.store.customers.get(pi.customerId)
  if (
    customer !== undefined &&
    customer.defaultPaymentInstrumentId === pi.id &&
    customer.paymentInstrumentIds.length > 1
  ) {
    return tms.conflict("Action cannot be performed as the PaymentInstrument is the customers default")
  }
  deletePaymentInstrument(env, pi)
  return ok(204, undefined)
}

// ---------------------------------------------------------------------------------------------
// Instrument identifiers
// ---------------------------------------------------------------------------------------------

/** POST /tms/v1/instrumentidentifiers: 201 for a new card number, 200 with the existing token otherwise. */
export const createIdentifier = (env: Env, req: ApiRequest): Reply => {
  if (!isObject(req.body)) return tms.invalidBody()
  const number = text(req.body, "card", "number")
  if (number === undefined) return tms.invalidBody([{ name: "card.number", location: "body" }])
  if (!Cards.isValidNumber(number)) return tms.invalidBody([{ name: "card.number", location: "body" }])
  const { identifier, created } = ensureIdentifier(env, {
    number,
    expirationMonth: text(req.body, "card", "expirationMonth"),
    expirationYear: text(req.body, "card", "expirationYear")
  })
  return ok(created ? 201 : 200, renderIdentifier(env, identifier), {
    ...etagHeader(identifier),
    ...(created ? { location: identifierHref(identifier.id) } : {})
  })
}

/** GET /tms/v1/instrumentidentifiers/{id} */
export const getIdentifier = (env: Env, req: ApiRequest): Reply => {
  const ii = lookup(env.store.instrumentIdentifiers.get(req.params[0] ?? ""))
  if (isReply(ii)) return ii
  return ok(200, renderIdentifier(env, ii), etagHeader(ii))
}

/** DELETE /tms/v1/instrumentidentifiers/{id}: 409 while a payment instrument uses it. */
export const deleteIdentifier = (env: Env, req: ApiRequest): Reply => {
  const ii = lookup(env.store.instrumentIdentifiers.get(req.params[0] ?? ""))
  if (isReply(ii)) return ii
  for (const pi of env.store.paymentInstruments.values()) {
    if (!pi.deleted && pi.instrumentIdentifierId === ii.id) {
      return tms.conflict("Conflict. The token is linked to a Payment Instrument.")
    }
  }
  ii.deleted = true
  env.store.identifiersByNumber.delete(ii.number)
  return ok(204, undefined)
}
