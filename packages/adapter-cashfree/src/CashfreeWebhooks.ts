/**
 * The `Webhooks` port: verifies `x-webhook-signature` = base64(HMAC-SHA256(client secret,
 * `x-webhook-timestamp` + raw body)) in constant time, checks the timestamp (epoch milliseconds)
 * against `Clock` with a tolerance (default 5 minutes), and decodes payment, refund, auto-refund
 * and instrument webhooks into core events.
 *
 * Only signed bytes make the event: Cashfree signs the timestamp header and the whole raw body,
 * so the event's type, time and data come from the body, and its id (for de-duplication) is the
 * SHA-256 of the body. Cashfree's `x-idempotency-key` header is not signed: a copy of a delivery
 * with a new key would pass as a new event, so it is ignored. The timestamp is not part of the
 * id, so a retry of the same event (same body, new timestamp and signature) has the same id.
 *
 * @since 0.1.0
 */
import * as Crypto from "@payport/core/Crypto"
import {
  ProviderResponseInvalid,
  SignatureInvalid,
  type TimestampOutOfTolerance,
  UnknownEvent
} from "@payport/core/PaymentError"
import * as Redaction from "@payport/core/Redaction"
import * as WebhookEvent from "@payport/core/WebhookEvent"
import * as Webhooks from "@payport/core/Webhooks"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { CashfreeClient } from "./CashfreeClient.js"
import {
  instrumentFromEntity,
  PROVIDER,
  paymentFromEntity,
  refundFromEntity,
  time,
  webhookKind
} from "./internal/mapping.js"
import * as Wire from "./internal/wire.js"

const OPERATION = "Webhooks.verify"

/**
 * What verification needs: the signing secret (the client secret) and the tolerance.
 *
 * @since 0.1.0
 * @category models
 */
export interface VerifyOptions {
  readonly secret: Redacted.Redacted<string>
  readonly toleranceSeconds?: number | undefined
}

const signatureInvalid = (reason: string) => new SignatureInvalid({ provider: PROVIDER, operation: OPERATION, reason })

const concat = (a: Uint8Array, b: Uint8Array): Uint8Array => {
  const out = new Uint8Array(a.length + b.length)
  out.set(a, 0)
  out.set(b, a.length)
  return out
}

/**
 * The expected signature of a body sent at `timestamp`.
 *
 * @since 0.1.0
 * @category signing
 */
export const sign = (
  secret: Redacted.Redacted<string>,
  timestamp: string,
  body: string | Uint8Array
): Effect.Effect<string> =>
  Effect.map(
    Crypto.hmacSha256(
      Crypto.utf8(Redacted.value(secret)),
      concat(Crypto.utf8(timestamp), typeof body === "string" ? Crypto.utf8(body) : body)
    ),
    Crypto.toBase64
  )

/**
 * Checks the signature only (no timestamp check, no decoding); returns the timestamp header.
 *
 * @since 0.1.0
 * @category verification
 */
export const verifySignature = (
  secret: Redacted.Redacted<string>,
  request: Webhooks.Request
): Effect.Effect<string, SignatureInvalid> =>
  Effect.gen(function* () {
    const signature = request.headers["x-webhook-signature"]
    const timestamp = request.headers["x-webhook-timestamp"]
    if (signature === undefined || signature.length === 0) return yield* signatureInvalid("missing x-webhook-signature")
    if (timestamp === undefined || !/^\d{1,16}$/.test(timestamp.trim())) {
      return yield* signatureInvalid("missing or malformed x-webhook-timestamp")
    }
    const expected = yield* sign(secret, timestamp.trim(), request.body)
    if (!Crypto.constantTimeEqual(expected, signature.trim()))
      return yield* signatureInvalid("signature does not match")
    return timestamp.trim()
  })

/** Epoch milliseconds from the header; a value in seconds (older senders) is scaled. */
const millis = (timestamp: string): number => {
  const n = Number(timestamp)
  return n < 100_000_000_000 ? n * 1000 : n
}

const invalid = (reason: string, text: string) =>
  new ProviderResponseInvalid({ provider: PROVIDER, operation: OPERATION, reason, raw: Redaction.raw(text) })

const decodeWith =
  <A, I>(schema: Schema.Schema<A, I>, text: string) =>
  (value: unknown): Effect.Effect<A, ProviderResponseInvalid> =>
    Either.match(Schema.decodeUnknownEither(schema)(value), {
      onLeft: (error) => Effect.fail(invalid(Wire.describeParseError(error), text)),
      onRight: Effect.succeed
    })

const fromEither =
  (text: string) =>
  <A>(result: Either.Either<A, string>): Effect.Effect<A, ProviderResponseInvalid> =>
    Either.match(result, { onLeft: (reason) => Effect.fail(invalid(reason, text)), onRight: Effect.succeed })

/**
 * Verifies and decodes one webhook request.
 *
 * @since 0.1.0
 * @category verification
 */
export const verify =
  (options: VerifyOptions) =>
  (
    request: Webhooks.Request
  ): Effect.Effect<
    WebhookEvent.WebhookEvent,
    SignatureInvalid | TimestampOutOfTolerance | UnknownEvent | ProviderResponseInvalid
  > =>
    Effect.gen(function* () {
      const timestamp = yield* verifySignature(options.secret, request)
      yield* Webhooks.checkTimestamp(
        PROVIDER,
        millis(timestamp),
        options.toleranceSeconds ?? Webhooks.DEFAULT_TOLERANCE_SECONDS
      )
      const text = request.text
      const json = yield* Either.match(Schema.decodeUnknownEither(Schema.parseJson())(text), {
        onLeft: () => Effect.fail(invalid("the body is not JSON", text)),
        onRight: Effect.succeed
      })
      const envelope = yield* decodeWith(Wire.WebhookEnvelope, text)(json)
      const now = yield* DateTime.now
      const envelopeFields = {
        eventId: Crypto.toHex(yield* Crypto.sha256(request.body)),
        provider: PROVIDER,
        eventType: envelope.type,
        occurredAt: time(envelope.event_time) ?? DateTime.unsafeMake(millis(timestamp))
      }
      const kind = webhookKind(envelope.type)
      switch (kind) {
        case "payment": {
          const data = yield* decodeWith(Wire.PaymentWebhookData, text)(envelope.data)
          const payment = yield* fromEither(text)(
            paymentFromEntity(data.payment, {
              orderId: data.order.order_id,
              currency: data.order.order_currency,
              orderAmount: data.order.order_amount,
              errorDetails: data.error_details,
              now
            })
          )
          return WebhookEvent.PaymentUpdated.make({ ...envelopeFields, payment })
        }
        case "refund":
        case "auto-refund": {
          const entity = yield* decodeWith(
            Wire.RefundEntity,
            text
          )(kind === "refund" ? envelope.data.refund : (envelope.data.auto_refund ?? envelope.data.refund))
          const refund = yield* fromEither(text)(refundFromEntity(entity, {}, now))
          return WebhookEvent.RefundUpdated.make({ ...envelopeFields, refund })
        }
        case "instrument": {
          // SPEC25 nests the instrument one level deeper (`data.data.instrument`) than the docs do.
          const nested = envelope.data.data
          const source =
            envelope.data.instrument ??
            (typeof nested === "object" && nested !== null ? (nested as Record<string, unknown>).instrument : undefined)
          const entity = yield* decodeWith(Wire.InstrumentEntity, text)(source)
          const instrument = yield* fromEither(text)(instrumentFromEntity(entity))
          return WebhookEvent.InstrumentUpdated.make({ ...envelopeFields, instrument })
        }
        case "unsupported":
        case undefined:
          return yield* new UnknownEvent({ provider: PROVIDER, operation: OPERATION, eventType: envelope.type })
      }
    })

/**
 * The Cashfree driver of the `Webhooks` port.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeDriver = (options: VerifyOptions): Webhooks.Webhooks.Driver => ({
  provider: PROVIDER,
  verify: verify(options)
})

/**
 * The `Webhooks` service, keyed by the client secret and tolerance of the `CashfreeClient`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Webhooks.Webhooks.Service, never, CashfreeClient> = Effect.map(
  CashfreeClient,
  (client) =>
    Webhooks.make(
      makeDriver({ secret: client.config.webhookSecret, toleranceSeconds: client.config.webhookToleranceSeconds })
    )
)

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Webhooks.Webhooks, never, CashfreeClient> = Layer.effect(Webhooks.Webhooks, make)
