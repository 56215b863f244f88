/**
 * The token vault and customers (seeds 000–002, SPEC25):
 *
 * - `GET /customers/{customer_id}/instruments?instrument_type=card` (PGCustomerFetchInstruments):
 *   the customer's active saved cards; `instrument_type` is required and must be `card`.
 * - `GET|DELETE /customers/{customer_id}/instruments/{instrument_id}` (PGCustomerFetchInstrument,
 *   PGCustomerDeleteInstrument): one card; DELETE answers the entity as deleted (`INACTIVE`) and the
 *   card is gone afterwards (404 `instrument_not_found`).
 * - `GET …/{instrument_id}/cryptogram` (PGCustomerInstrumentsFetchCryptogram): the card's network
 *   token (token PAN from the documented token-vault BINs, 4-digit token expiry year) with a fresh
 *   cryptogram on every call.
 * - `POST /customers` (PGCreateCustomer): `customer_phone`* (10 digits), `customer_email`,
 *   `customer_name` → CustomerEntity with a `customer_uid`.
 *
 * Cards are saved by a successful Order Pay with `save_instrument: true` (see `Lifecycle.ts`).
 */
import * as Errors from "./Errors.js"
import * as Fields from "./Fields.js"
import * as Render from "./Render.js"
import { type Context, limits, ok, param, type Result, type Route } from "./Route.js"
import type { Customer, Instrument } from "./State.js"

const instrumentOf = (context: Context): Instrument => {
  const instrument = context.world.state.instruments.get(param(context, 1))
  if (instrument === undefined || instrument.status !== "ACTIVE" || instrument.customerId !== param(context, 0))
    throw Errors.notFound("instrument_not_found", "instrument not found")
  return instrument
}

const list = (context: Context): Result => {
  const type = context.request.query.get("instrument_type")
  if (type === null || type === "") throw Errors.missing("instrument_type")
  if (type !== "card") throw Errors.invalid("instrument_type", "should be card")
  const customerId = param(context, 0)
  const cards = [...context.world.state.instruments.values()].filter(
    (i) => i.customerId === customerId && i.status === "ACTIVE"
  )
  return ok(cards.map(Render.instrument))
}

const get = (context: Context): Result => ok(Render.instrument(instrumentOf(context)))

const remove = (context: Context): Result => {
  const instrument = instrumentOf(context)
  instrument.status = "INACTIVE"
  return ok(Render.instrument(instrument))
}

const cryptogram = (context: Context): Result => {
  const instrument = instrumentOf(context)
  const value = Buffer.from(context.world.state.prng.bytes(20)).toString("base64")
  return ok(Render.cryptogram(instrument, value))
}

const createCustomer = (context: Context): Result => {
  const body = Fields.body(context.body)
  const phone = Fields.string(body, "customer_phone", "customer_phone", true, {
    pattern: /^\d{10}$/,
    expect: "should be a 10 digit phone number"
  })
  const email = Fields.string(body, "customer_email", "customer_email", false, {
    pattern: /^[^@\s]+@[^@\s]+$/,
    expect: "should be a valid email"
  })
  const name = Fields.string(body, "customer_name", "customer_name")
  const customer: Customer = {
    uid: `cfcustom_${context.world.state.prng.digits(14)}`,
    phone,
    email: email ?? null,
    name: name ?? null
  }
  context.world.state.customers.set(customer.uid, customer)
  return ok(Render.customer(customer))
}

/** The vault and customer routes. */
export const routes: ReadonlyArray<Route> = [
  { method: "POST", pattern: /^\/customers$/, auth: true, rateLimit: limits.other, handle: createCustomer },
  {
    method: "GET",
    pattern: /^\/customers\/([^/]+)\/instruments$/,
    auth: true,
    rateLimit: limits.other,
    handle: list
  },
  {
    method: "GET",
    pattern: /^\/customers\/([^/]+)\/instruments\/([^/]+)$/,
    auth: true,
    rateLimit: limits.other,
    handle: get
  },
  {
    method: "DELETE",
    pattern: /^\/customers\/([^/]+)\/instruments\/([^/]+)$/,
    auth: true,
    rateLimit: limits.other,
    handle: remove
  },
  {
    method: "GET",
    pattern: /^\/customers\/([^/]+)\/instruments\/([^/]+)\/cryptogram$/,
    auth: true,
    rateLimit: limits.other,
    handle: cryptogram
  }
]
