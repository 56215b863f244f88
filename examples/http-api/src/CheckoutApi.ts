/**
 * The checkout HTTP API that the framework examples serve, written once and framework-neutral:
 * async handlers over `@payport/client` that take what a framework parsed (route params, the JSON
 * body, a header reader) and give back an `Answer`; each framework only routes and writes it.
 *
 * - `POST /payments` — `{ reference, amount: "10.00", currency, method, capture?: "manual", customer? }`,
 *   optional `Idempotency-Key` header → 201 `{ id, status, amount, … }`; `capture: "manual"` holds.
 * - `GET /payments/:id` — the payment as the provider sees it now.
 * - `POST /payments/:id/capture` — `{ amount?: "6.00" }` captures (part of) a hold.
 * - `POST /payments/:id/refunds` — `{ amount?: "4.00" }` (default: all captured), optional
 *   `Idempotency-Key` → 201 `{ refund }`.
 * - `POST /webhooks` — the provider's delivery, verified against its raw bytes → 200 `{ type, eventId }`.
 *
 * Errors answer by core's group (could money have moved?): see `errorAnswer`.
 */
import type { Payport } from "@payport/client"
import type { Provider } from "@payport/core"
import { Money } from "@payport/core"
import { PaymentRef } from "@payport/core/Ids"
import type { Payment } from "@payport/core/Payment"
import { type ErrorGroup, type PaymentError, ValidationError } from "@payport/core/PaymentError"
import { PaymentMethod } from "@payport/core/PaymentMethod"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"

/** The client the handlers use: the common ports, so any provider will do. */
export type Client = Payport.Client<Provider.CommonPorts>

/** What a framework hands a handler: the route's `:id`, the parsed JSON body, and its headers. */
export interface Request {
  readonly id?: string | undefined
  readonly body: unknown
  readonly header: (name: string) => string | undefined
}

/** What a handler answers; the framework writes it as JSON. */
export interface Answer {
  readonly status: number
  readonly body: unknown
  readonly headers?: Readonly<Record<string, string>>
}

/** JSON bodies above this size are refused with 413 before they are parsed. */
export const jsonLimitBytes = 64 * 1024

/** Webhook deliveries above this size are refused with 413. */
export const webhookLimitBytes = 1024 * 1024

const CreateBody = Schema.Struct({
  reference: Schema.String,
  amount: Schema.String,
  currency: Schema.String,
  method: PaymentMethod,
  capture: Schema.optional(Schema.Literal("automatic", "manual")),
  customer: Schema.optional(
    Schema.Struct({
      id: Schema.String,
      email: Schema.optionalWith(Schema.String, { exact: true }),
      phone: Schema.optionalWith(Schema.String, { exact: true })
    })
  )
})
const AmountBody = Schema.Struct({ amount: Schema.optional(Schema.String) })

/** A payment's id in this API: its ref as base64url JSON, so clients pass it back unchanged. */
const Token = Schema.compose(Schema.StringFromBase64Url, Schema.parseJson(PaymentRef))

/** The HTTP status for each group of core's errors. */
const statusOf: { readonly [G in ErrorGroup]: number } = {
  preflight: 400,
  declined: 402,
  rejected: 409,
  transient: 503,
  // The mutation may have applied: accepted, to be confirmed by a sync or a webhook.
  unknown: 202,
  webhook: 401,
  "invalid-response": 502
}

const isPaymentError = (error: unknown): error is PaymentError =>
  typeof error === "object" && error !== null && "group" in error && typeof error.group === "string"

/** Decodes a body with `schema`, naming only the fields that failed (values may be card data). */
const decode = <A, I>(schema: Schema.Schema<A, I>, body: unknown): A =>
  Either.getOrThrowWith(
    Schema.decodeUnknownEither(schema)(body),
    () => new ValidationError({ operation: "http", field: "body", reason: "is missing or malformed" })
  )

const money = (amount: string, currency: string): Money.Money =>
  Either.getOrThrowWith(Money.fromDecimal(amount, currency), (error) => error)

const refOf = (request: Request): PaymentRef =>
  Either.getOrThrowWith(
    Schema.decodeUnknownEither(Token)(request.id ?? ""),
    () => new ValidationError({ operation: "http", field: "id", reason: "is not a payment id from this API" })
  )

const idempotencyKey = (request: Request) => {
  const key = request.header("idempotency-key")
  return key === undefined ? {} : { idempotencyKey: key }
}

const paymentJson = (payment: Payment) => ({
  id: Schema.encodeSync(Token)(payment.ref),
  status: payment.status._tag,
  amount: Money.toDecimal(payment.amount),
  currency: payment.amount.currency,
  captured: Money.toDecimal(payment.ledger.captured),
  refunded: Money.toDecimal(payment.ledger.refunded)
})

/** `POST /payments`: a sale, or a hold with `capture: "manual"`. */
export const create = async (payport: Client, request: Request): Promise<Answer> => {
  const input = decode(CreateBody, request.body)
  const payment = {
    reference: input.reference,
    amount: money(input.amount, input.currency),
    method: input.method,
    ...(input.customer === undefined ? {} : { customer: input.customer }),
    ...idempotencyKey(request)
  }
  const created =
    input.capture === "manual" ? await payport.authorization.authorize(payment) : await payport.payments.create(payment)
  return { status: 201, body: paymentJson(created) }
}

/** `GET /payments/:id`. */
export const get = async (payport: Client, request: Request): Promise<Answer> => ({
  status: 200,
  body: paymentJson(await payport.payments.get(refOf(request)))
})

/** `POST /payments/:id/capture`: all of a hold, or `amount` of it, in the hold's currency. */
export const capture = async (payport: Client, request: Request): Promise<Answer> => {
  const ref = refOf(request)
  const input = decode(AmountBody, request.body ?? {})
  const current = await payport.payments.get(ref)
  const amount = input.amount === undefined ? {} : { amount: money(input.amount, current.amount.currency) }
  const captured = await payport.authorization.capture({ payment: ref, ...amount, ...idempotencyKey(request) })
  return { status: 200, body: paymentJson(captured) }
}

/** `POST /payments/:id/refunds`: `amount`, or everything captured, in the payment's currency. */
export const refund = async (payport: Client, request: Request): Promise<Answer> => {
  const ref = refOf(request)
  const input = decode(AmountBody, request.body ?? {})
  const current = await payport.payments.get(ref)
  const amount = money(input.amount ?? Money.toDecimal(current.ledger.captured), current.amount.currency)
  const made = await payport.payments.refund({ payment: ref, amount, ...idempotencyKey(request) })
  return { status: 201, body: { refund: { amount: Money.toDecimal(made.amount), status: made.status._tag } } }
}

/**
 * `POST /webhooks`: verified against the bytes exactly as they arrived (a framework must not parse
 * this route's body). A real service would update its order here, once per event id
 * (`WebhookDeduplication`).
 */
export const webhook = async (
  payport: Client,
  headers: Readonly<Record<string, string | ReadonlyArray<string> | undefined>>,
  body: Uint8Array
): Promise<Answer> => {
  const event = await payport.webhooks.verify({ headers, body })
  return { status: 200, body: { type: event._tag, eventId: event.eventId } }
}

/** A framework's own body errors carry their HTTP status as `status` (Express) or `statusCode` (Fastify). */
const frameworkStatus = (error: unknown): number | undefined => {
  if (typeof error !== "object" || error === null) return undefined
  const status = "statusCode" in error ? error.statusCode : "status" in error ? error.status : undefined
  return typeof status === "number" && status >= 400 && status < 500 ? status : undefined
}

/**
 * The answer to a failed handler: a core error by its group (with the decline code for a decline
 * and `Retry-After` when the provider gave one); a framework's 4xx body error (malformed JSON, a
 * body too large) by its status; anything else 500 with one JSON log line carrying only the error's
 * message (a request's values never reach it).
 */
export const errorAnswer = (error: unknown): Answer => {
  if (isPaymentError(error)) {
    const retryAfter = error._tag === "RateLimited" ? error.retryAfterMillis : undefined
    return {
      status: statusOf[error.group],
      ...(retryAfter === undefined ? {} : { headers: { "retry-after": String(Math.ceil(retryAfter / 1000)) } }),
      body: {
        error: {
          tag: error._tag,
          message: error.message,
          retry: error.retry,
          ...(error._tag === "PaymentDeclined" ? { decline: error.code } : {})
        }
      }
    }
  }
  const status = frameworkStatus(error)
  if (status !== undefined) return { status, body: { error: { tag: status === 413 ? "TooLarge" : "BadRequest" } } }
  console.error(JSON.stringify({ level: "error", error: error instanceof Error ? error.message : String(error) }))
  return { status: 500, body: { error: { tag: "Internal" } } }
}
