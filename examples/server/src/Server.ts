/**
 * A minimal checkout backend: how a real service wires Payport. Every route speaks only to the
 * core ports, so the provider is whatever layer the service is given (chosen by configuration in
 * `main.ts`). Errors map to HTTP statuses by their group; bodies carry only safe fields.
 *
 * Routes:
 * - `POST /payments` — `{ reference, amount: "10.00", currency, method, capture?: "automatic" | "manual", customer?, saveInstrument? }`,
 *   optional `Idempotency-Key` header. 201 with `{ id, payment }`; `id` is the payment's opaque token.
 * - `GET /payments/:id` — the payment as the provider sees it now.
 * - `POST /payments/:id/capture` — `{ amount?: "6.00" }` captures (part of) a hold.
 * - `POST /webhooks/:provider` — verifies the raw body, de-duplicates by event id (in the store
 *   `PAYPORT_WEBHOOK_STORE` names, shared by replicas), answers 200; 503 when the store is down.
 */
import {
  HttpIncomingMessage,
  HttpMiddleware,
  HttpRouter,
  HttpServer,
  HttpServerRequest,
  HttpServerResponse
} from "@effect/platform"
import { Authorization, Money, Payments, WebhookDeduplication, Webhooks } from "@payport/core"
import { PaymentRef } from "@payport/core/Ids"
import { Payment } from "@payport/core/Payment"
import { type PaymentError, ValidationError } from "@payport/core/PaymentError"
import { PaymentMethod } from "@payport/core/PaymentMethod"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"

const CreateBody = Schema.Struct({
  reference: Schema.String,
  amount: Schema.String,
  currency: Schema.String,
  method: PaymentMethod,
  capture: Schema.optionalWith(Schema.Literal("automatic", "manual"), { default: () => "automatic" as const }),
  customer: Schema.optional(
    Schema.Struct({
      id: Schema.String,
      email: Schema.optionalWith(Schema.String, { exact: true }),
      phone: Schema.optionalWith(Schema.String, { exact: true }),
      name: Schema.optionalWith(Schema.String, { exact: true })
    })
  ),
  saveInstrument: Schema.optional(Schema.Boolean)
})

const CaptureBody = Schema.Struct({ amount: Schema.optional(Schema.String) })

/** A payment's id in this API: its ref, encoded so clients pass it back unchanged. */
const Token = Schema.compose(Schema.StringFromBase64Url, Schema.parseJson(PaymentRef))
const encodeToken = Schema.encodeSync(Token)
const encodePayment = Schema.encodeSync(Payment)

/** The HTTP status for each error: by whether money could have moved and who must act. */
const statusOf: { readonly [K in PaymentError["_tag"]]: number } = {
  ValidationError: 400,
  UnsupportedCurrency: 422,
  UnsupportedMethod: 422,
  ConfigurationError: 500,
  PaymentDeclined: 402,
  InvalidRequest: 400,
  Unauthenticated: 502,
  NotFound: 404,
  InvalidState: 409,
  IdempotencyConflict: 409,
  PreconditionFailed: 412,
  RateLimited: 503,
  ProviderUnavailable: 503,
  ConnectFailed: 503,
  OutcomeUnknown: 202,
  SignatureInvalid: 401,
  TimestampOutOfTolerance: 401,
  UnknownEvent: 202,
  ProviderResponseInvalid: 502
}

const errorResponse = (error: PaymentError) =>
  HttpServerResponse.unsafeJson(
    {
      error: {
        tag: error._tag,
        message: error.message,
        retry: error.retry,
        ...(error._tag === "ValidationError" ? { field: error.field } : {}),
        ...(error._tag === "PaymentDeclined" ? { decline: error.code, hard: error.hard } : {})
      }
    },
    {
      status: statusOf[error._tag],
      // Every 503 says when to come back: the provider's hint when it gave one, else a second.
      ...(statusOf[error._tag] === 503
        ? {
            headers: {
              "retry-after":
                error._tag === "RateLimited" && error.retryAfterMillis !== undefined
                  ? String(Math.ceil(error.retryAfterMillis / 1000))
                  : "1"
            }
          }
        : {})
    }
  )

/**
 * Body decoding failures name the fields only: the values may be card data. The formatter renders
 * issues recursively, so a hostile body nested thousands of levels deep would overflow the stack
 * there; such a body is simply "malformed".
 */
const invalidBody = (error: ParseResult.ParseError) => {
  let fields = "body"
  try {
    fields = [
      ...new Set(ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) => issue.path.join(".") || "body"))
    ].join(", ")
  } catch {
    // keep "body"
  }
  return new ValidationError({ operation: "http", field: fields, reason: "is missing or malformed" })
}

/** The most a JSON body may hold, and a webhook delivery. */
export const MAX_BODY_BYTES = 64 * 1024
export const MAX_WEBHOOK_BYTES = 1024 * 1024

/** A body past its route's limit: 413, before (or as soon as) more than the limit is read. */
class BodyTooLarge extends Data.TaggedError("BodyTooLarge")<{ readonly limit: number }> {}

/** Refuses a body whose declared length is past `limit`, and stops reading one that runs past it. */
const limited = <A, E, R>(read: Effect.Effect<A, E, R>, limit: number) =>
  Effect.gen(function* () {
    const request = yield* HttpServerRequest.HttpServerRequest
    const declared = Number(request.headers["content-length"] ?? "0")
    if (declared > limit) return yield* new BodyTooLarge({ limit })
    return yield* read.pipe(
      HttpIncomingMessage.withMaxBodySize(Option.some(limit)),
      Effect.catchIf(
        (error) =>
          typeof error === "object" && error !== null && "cause" in error && String(error.cause).includes("maxBytes"),
        () => new BodyTooLarge({ limit })
      )
    )
  })

const body = <A, I>(schema: Schema.Schema<A, I>) =>
  Effect.mapError(limited(HttpServerRequest.schemaBodyJson(schema), MAX_BODY_BYTES), (error) =>
    error._tag === "ParseError"
      ? invalidBody(error)
      : error._tag === "BodyTooLarge"
        ? error
        : new ValidationError({ operation: "http", field: "body", reason: "must be JSON" })
  )

const paymentRef = Effect.flatMap(HttpRouter.params, (params) =>
  Effect.mapError(
    Schema.decodeUnknown(Token)(params.id ?? ""),
    () => new ValidationError({ operation: "http", field: "id", reason: "is not a payment id from this API" })
  )
)

const money = (amount: string, currency: string) => Money.fromDecimal(amount, currency)

const paymentJson = (payment: Payment, status = 200) =>
  HttpServerResponse.unsafeJson({ id: encodeToken(payment.ref), payment: encodePayment(payment) }, { status })

const create = Effect.gen(function* () {
  const input = yield* body(CreateBody)
  const request = yield* HttpServerRequest.HttpServerRequest
  const idempotencyKey = request.headers["idempotency-key"]
  const payment = {
    reference: input.reference,
    amount: yield* money(input.amount, input.currency),
    method: input.method,
    ...(input.customer === undefined ? {} : { customer: input.customer }),
    ...(input.saveInstrument === undefined ? {} : { saveInstrument: input.saveInstrument }),
    ...(idempotencyKey === undefined ? {} : { idempotencyKey })
  }
  const created = input.capture === "manual" ? yield* Authorization.authorize(payment) : yield* Payments.create(payment)
  return paymentJson(created, 201)
})

const get = Effect.flatMap(paymentRef, Payments.get).pipe(Effect.map((payment) => paymentJson(payment)))

const capture = Effect.gen(function* () {
  const ref = yield* paymentRef
  const input = yield* body(CaptureBody)
  const current = yield* Payments.get(ref)
  const amount = input.amount === undefined ? undefined : yield* money(input.amount, current.amount.currency)
  return paymentJson(yield* Authorization.capture({ payment: ref, ...(amount === undefined ? {} : { amount }) }))
})

const webhook = (deduplicator: WebhookDeduplication.Deduplicator) =>
  Effect.gen(function* () {
    const { provider } = yield* HttpRouter.params
    const webhooks = yield* Webhooks.Webhooks
    if (provider !== webhooks.provider) {
      return HttpServerResponse.unsafeJson(
        { error: { tag: "NotFound", message: `no webhooks for ${provider}` } },
        { status: 404 }
      )
    }
    const request = yield* HttpServerRequest.HttpServerRequest
    const raw = yield* Effect.mapError(limited(request.arrayBuffer, MAX_WEBHOOK_BYTES), (error) =>
      error._tag === "BodyTooLarge"
        ? error
        : new ValidationError({ operation: "http", field: "body", reason: "could not be read" })
    )
    const event = yield* webhooks.verify({ headers: request.headers, body: new Uint8Array(raw) })
    // A real service would update its order here (merging with StateMachine.mergePayment); with a
    // SQL store, writes made through the same SqlClient commit in one transaction with the id.
    const handled = yield* deduplicator.run(WebhookDeduplication.key(event), Effect.succeed(true))
    return HttpServerResponse.unsafeJson({ received: event.eventId, type: event._tag, duplicate: handled !== true })
  }).pipe(
    // The store is down: nothing was recorded, so the provider must deliver again.
    Effect.catchTag("DeduplicationUnavailable", (error) =>
      Effect.succeed(
        HttpServerResponse.unsafeJson(
          { error: { tag: error._tag, message: error.message, retry: error.retry } },
          { status: 503, headers: { "retry-after": "1" } }
        )
      )
    )
  )

/**
 * The deduplicator: the `WebhookDeduplicator` service when one is provided (`main.ts` provides
 * the one `PAYPORT_WEBHOOK_STORE` names), else one in memory.
 */
const deduplicator = Effect.flatMap(
  Effect.serviceOption(WebhookDeduplication.WebhookDeduplicator),
  Option.match({ onNone: () => WebhookDeduplication.make(), onSome: Effect.succeed })
)

/** The application: routes over the core ports, errors mapped to statuses. */
export const app = Effect.map(deduplicator, (deduplicator) =>
  HttpRouter.empty.pipe(
    HttpRouter.post("/payments", create),
    HttpRouter.get("/payments/:id", get),
    HttpRouter.post("/payments/:id/capture", capture),
    HttpRouter.post("/webhooks/:provider", webhook(deduplicator)),
    HttpRouter.catchAll((error) =>
      error._tag === "BodyTooLarge"
        ? Effect.succeed(
            HttpServerResponse.unsafeJson(
              { error: { tag: "BodyTooLarge", message: `the body is larger than ${error.limit} bytes` } },
              { status: 413 }
            )
          )
        : "_tag" in error && error._tag in statusOf
          ? Effect.succeed(errorResponse(error as PaymentError))
          : Effect.succeed(HttpServerResponse.unsafeJson({ error: { tag: "Internal" } }, { status: 500 }))
    )
  )
)

/**
 * One JSON line per request (method, path, status, time) and per answer of 500 or more (the
 * error's tag): never a body, a query or a header, so no card data or secret can reach the log.
 */
export const accessLog = HttpMiddleware.make((handler) =>
  Effect.gen(function* () {
    const request = yield* HttpServerRequest.HttpServerRequest
    const started = Date.now()
    const response = yield* handler
    const path = new URL(request.url, "http://localhost").pathname
    const line = { method: request.method, path, status: response.status, ms: Date.now() - started }
    if (response.status >= 500) console.error(JSON.stringify({ level: "error", ...line }))
    else console.log(JSON.stringify({ level: "info", ...line }))
    return response
  })
)

/** Serves the application on the `HttpServer` provided. */
export const layer = Layer.unwrapEffect(Effect.map(app, (router) => HttpServer.serve(router, accessLog)))
