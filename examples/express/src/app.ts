/**
 * An Express checkout backend on `@payport/client`: async/await route handlers over the core ports,
 * whichever provider the client was built with.
 *
 * - `POST /payments` — `{ reference, amount: "10.00", currency, method, capture?: "manual", customer? }`,
 *   optional `Idempotency-Key` header → 201 `{ id, status, amount }`; `capture: "manual"` holds.
 * - `GET /payments/:id` — the payment as the provider sees it now.
 * - `POST /payments/:id/capture` — `{ amount?: "6.00" }` captures (part of) a hold.
 * - `POST /payments/:id/refunds` — `{ amount: "4.00" }`, optional `Idempotency-Key` → 201 `{ refund }`.
 * - `POST /webhooks` — the provider's delivery, verified against its raw bytes (the JSON parser
 *   never sees this route, so the signed body is exactly what arrived) → 200 `{ type, eventId }`.
 *
 * Errors answer by core's group (could money have moved?): see `statusOf`.
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
import express, { type NextFunction, type Request, type Response } from "express"

/** The client the routes use: the common ports, so any provider will do. */
export type Client = Payport.Client<Provider.CommonPorts>

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
    Schema.decodeUnknownEither(Token)(request.params.id ?? ""),
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

/** The Express application over `payport`. */
export const app = (payport: Client): express.Express => {
  const api = express()

  // Registered before any JSON parser: the signature covers the bytes as they arrived.
  api.post("/webhooks", express.raw({ type: () => true, limit: "1mb" }), async (request, response) => {
    const body = Buffer.isBuffer(request.body) ? new Uint8Array(request.body) : new Uint8Array()
    const event = await payport.webhooks.verify({ headers: request.headers, body })
    // A real service would update its order here, once per event id (WebhookDeduplication).
    response.json({ type: event._tag, eventId: event.eventId })
  })

  api.use(express.json({ limit: "64kb" }))

  api.post("/payments", async (request, response) => {
    const input = decode(CreateBody, request.body)
    const payment = {
      reference: input.reference,
      amount: money(input.amount, input.currency),
      method: input.method,
      ...(input.customer === undefined ? {} : { customer: input.customer }),
      ...idempotencyKey(request)
    }
    const created =
      input.capture === "manual"
        ? await payport.authorization.authorize(payment)
        : await payport.payments.create(payment)
    response.status(201).json(paymentJson(created))
  })

  api.get("/payments/:id", async (request, response) => {
    response.json(paymentJson(await payport.payments.get(refOf(request))))
  })

  api.post("/payments/:id/capture", async (request, response) => {
    const ref = refOf(request)
    const input = decode(AmountBody, request.body ?? {})
    const current = await payport.payments.get(ref)
    const amount = input.amount === undefined ? {} : { amount: money(input.amount, current.amount.currency) }
    response.json(
      paymentJson(await payport.authorization.capture({ payment: ref, ...amount, ...idempotencyKey(request) }))
    )
  })

  api.post("/payments/:id/refunds", async (request, response) => {
    const ref = refOf(request)
    const input = decode(AmountBody, request.body)
    const current = await payport.payments.get(ref)
    const amount = money(input.amount ?? Money.toDecimal(current.ledger.captured), current.amount.currency)
    const refund = await payport.payments.refund({ payment: ref, amount, ...idempotencyKey(request) })
    response.status(201).json({ refund: { amount: Money.toDecimal(refund.amount), status: refund.status._tag } })
  })

  // Express 5 passes a rejected handler's error here.
  api.use((error: unknown, _request: Request, response: Response, _next: NextFunction) => {
    if (isPaymentError(error)) {
      const retryAfter = error._tag === "RateLimited" && error.retryAfterMillis !== undefined
      if (retryAfter) response.setHeader("retry-after", String(Math.ceil((error.retryAfterMillis ?? 0) / 1000)))
      response.status(statusOf[error.group]).json({
        error: {
          tag: error._tag,
          message: error.message,
          retry: error.retry,
          ...(error._tag === "PaymentDeclined" ? { decline: error.code } : {})
        }
      })
      return
    }
    // The JSON parser's own errors (malformed JSON, body too large) carry their status.
    const status = typeof error === "object" && error !== null && "status" in error ? Number(error.status) : 500
    // One line per unexpected error; its message only (a request's values never reach it).
    if (status >= 500)
      console.error(JSON.stringify({ level: "error", error: error instanceof Error ? error.message : String(error) }))
    response
      .status(status >= 400 && status < 500 ? status : 500)
      .json({ error: { tag: status === 413 ? "TooLarge" : "Internal" } })
  })

  return api
}
