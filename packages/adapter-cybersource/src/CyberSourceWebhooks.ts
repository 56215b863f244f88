/**
 * The `Webhooks` port on CyberSource notifications.
 *
 * `v-c-signature: t=<ms>;keyId=<uuid>;sig=<b64>` where `sig` is the base64 HMAC-SHA256, keyed with
 * the base64-decoded webhook key, of `t + "." + payload`. CyberSource's guide says "the payload
 * from the body" and its own plugins sign `JSON.stringify(body.payload)`, so both the raw body and
 * the `payload` field are accepted. Comparison is constant-time; `t` must be within the tolerance,
 * so a genuine notification replayed later is refused.
 *
 * Only signed bytes make the event. No header but `v-c-signature` is signed, and under the
 * `payload` variant neither are the body's `eventType`, `eventDate`, `webhookId` or
 * `transactionTraceId`, so:
 * - the event id (for de-duplication) is the SHA-256 of the event type and the signed `payload`,
 *   not `v-c-transaction-trace-id`: a copy of a delivery with a new trace id is the same event.
 *   `t` is left out so a retry, which CyberSource signs anew, keeps the id;
 * - when the raw body is signed, the event type and time are the body's `eventType` and
 *   `eventDate`; when only `payload` is signed, the type is `payments.<resource>` from the signed
 *   `payload[].data.type` (`payments.captures`, `payments.refunds`, …: the outcome suffix such as
 *   `.accept` is unsigned, and the payment's status says it anyway) and the time is `t`;
 * - the transaction is the signed `payload[].data.id`.
 *
 * Notifications name a transaction but carry no amounts, so a verified `payments.*` event is
 * completed by reading the payment (or refund) through Transaction Search.
 *
 * @since 0.1.0
 */
import * as Crypto from "@payport/core/Crypto"
import {
  ConfigurationError,
  type OperationError,
  ProviderResponseInvalid,
  SignatureInvalid,
  UnknownEvent
} from "@payport/core/PaymentError"
import { PaymentUpdated, RefundUpdated, type WebhookEvent } from "@payport/core/WebhookEvent"
import * as Webhooks from "@payport/core/Webhooks"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { CyberSourceClient, PROVIDER, type Service, type WebhookOptions } from "./CyberSourceClient.js"
import * as HttpSignature from "./HttpSignature.js"
import * as Tx from "./internal/transactions.js"
import * as Wire from "./internal/wire.js"

const operation = "Webhooks.verify"

/**
 * Event type prefixes → the event they become. Everything else under `payments.` is unknown.
 *
 * @since 0.1.0
 * @category mapping
 */
export const eventKinds: ReadonlyArray<readonly [string, "payment" | "refund"]> = [
  ["payments.payments.", "payment"],
  ["payments.reversals.", "payment"],
  ["payments.captures.", "payment"],
  ["payments.authorization.status.", "payment"],
  ["payments.capture.status.", "payment"],
  ["payments.void.status.", "payment"],
  ["payments.reversal.status.", "payment"],
  ["payments.voids.", "payment"],
  ["payments.refunds.", "refund"],
  ["payments.refund.status.", "refund"],
  ["payments.credits.", "refund"]
]

/**
 * The parts of a `v-c-signature` header.
 *
 * @since 0.1.0
 * @category verification
 */
export const parseSignature = (
  header: string
): Option.Option<{ readonly t: string; readonly keyId: string | undefined; readonly sig: string }> => {
  const parts = new Map<string, string>()
  for (const part of header.split(";")) {
    const at = part.indexOf("=")
    if (at > 0) parts.set(part.slice(0, at).trim(), part.slice(at + 1).trim())
  }
  const t = parts.get("t")
  const sig = parts.get("sig")
  return t === undefined || sig === undefined || !/^\d{1,16}$/.test(t)
    ? Option.none()
    : Option.some({ t, keyId: parts.get("keyId"), sig })
}

/**
 * The signature of `t + "." + payload` under the base64 webhook key.
 *
 * @since 0.1.0
 * @category verification
 */
export const signature = (
  key: WebhookOptions["key"],
  t: string,
  payload: string
): Effect.Effect<string, ConfigurationError> =>
  Effect.flatMap(HttpSignature.decodeSecret(key, "CYBERSOURCE_WEBHOOK_KEY"), (bytes) =>
    Effect.map(Crypto.hmacSha256(bytes, `${t}.${payload}`), Crypto.toBase64)
  )

const invalidSignature = (reason: string) => new SignatureInvalid({ provider: PROVIDER, operation, reason })

/**
 * What a verified signature covers: the whole raw body, or only the body's `payload`.
 *
 * @since 0.1.0
 * @category verification
 */
export type SignedContent = "rawBody" | "payload"

/**
 * Checks the signature against the raw body and against the body's `payload`, in constant time;
 * returns `t` and what the signature covers.
 *
 * @since 0.1.0
 * @category verification
 */
export const verifySignedContent = (
  options: WebhookOptions,
  headers: Readonly<Record<string, string>>,
  text: string
): Effect.Effect<{ readonly t: number; readonly signed: SignedContent }, SignatureInvalid | ConfigurationError> =>
  Effect.gen(function* () {
    const header = headers["v-c-signature"]
    if (header === undefined) return yield* invalidSignature("the v-c-signature header is missing")
    const parsed = parseSignature(header)
    if (Option.isNone(parsed)) return yield* invalidSignature("the v-c-signature header is malformed")
    const { t, keyId, sig } = parsed.value
    if (options.keyId !== undefined && keyId !== options.keyId) {
      return yield* invalidSignature("the signature names a different key")
    }
    const payload = Either.getRight(
      Either.try(() => JSON.stringify((JSON.parse(text) as { payload?: unknown }).payload))
    )
    // both candidates are always computed and compared, so timing does not reveal which one matched
    const raw = Crypto.constantTimeEqual(yield* signature(options.key, t, text), sig)
    const payloadText = Option.getOrUndefined(payload)
    const expected = yield* signature(options.key, t, payloadText ?? text)
    const viaPayload = payloadText !== undefined && Crypto.constantTimeEqual(expected, sig)
    if (raw) return { t: Number(t), signed: "rawBody" as const }
    if (viaPayload) return { t: Number(t), signed: "payload" as const }
    return yield* invalidSignature("the signature does not match")
  })

/**
 * Checks the signature against the raw body and against the body's `payload`, in constant time;
 * returns `t`.
 *
 * @since 0.1.0
 * @category verification
 */
export const verifySignature = (
  options: WebhookOptions,
  headers: Readonly<Record<string, string>>,
  text: string
): Effect.Effect<number, SignatureInvalid | ConfigurationError> =>
  Effect.map(verifySignedContent(options, headers, text), ({ t }) => t)

/**
 * Resource types of a signed `payload[].data.type` → the event they become.
 *
 * @since 0.1.0
 * @category mapping
 */
export const resourceKinds: Readonly<Record<string, "payment" | "refund">> = {
  payments: "payment",
  captures: "payment",
  reversals: "payment",
  voids: "payment",
  refunds: "refund",
  credits: "refund"
}

const asVerifyError = (error: OperationError): Webhooks.VerifyError =>
  error._tag === "ConfigurationError" || error._tag === "ProviderResponseInvalid"
    ? error
    : new ProviderResponseInvalid({
        provider: PROVIDER,
        operation,
        ...(error.httpStatus === undefined ? {} : { httpStatus: error.httpStatus }),
        ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
        reason: `the notified transaction could not be read (${error._tag})`
      })

const rootOf = (client: Service, id: string) =>
  Effect.map(Tx.transaction(client, id, operation, "transaction"), (record) => ({
    record,
    root: record.kind === undefined || record.kind === "authorization" ? id : (record.details.rootId ?? id)
  }))

/**
 * Verifies a notification and turns it into a core event.
 *
 * @since 0.1.0
 * @category verification
 */
export const verify = (client: Service, request: Webhooks.Request): Effect.Effect<WebhookEvent, Webhooks.VerifyError> =>
  Effect.gen(function* () {
    const options = client.webhook
    if (options === undefined) {
      return yield* new ConfigurationError({
        provider: PROVIDER,
        operation,
        variable: "CYBERSOURCE_WEBHOOK_KEY",
        reason: "is not set, so notifications cannot be verified"
      })
    }
    const { t, signed } = yield* verifySignedContent(options, request.headers, request.text)
    yield* Webhooks.checkTimestamp(PROVIDER, t, options.toleranceSeconds ?? Webhooks.DEFAULT_TOLERANCE_SECONDS)

    const bad = (reason: string) => new ProviderResponseInvalid({ provider: PROVIDER, operation, reason })
    const body = yield* Either.match(
      Either.flatMap(Either.try({ try: () => JSON.parse(request.text) as unknown, catch: () => "not JSON" }), (json) =>
        Either.mapLeft(Schema.decodeUnknownEither(Wire.Notification)(json), () => "not a notification")
      ),
      { onLeft: (reason) => Effect.fail(bad(`the notification is ${reason}`)), onRight: Effect.succeed }
    )
    const entries = Array.isArray(body.payload) ? body.payload : [body.payload]
    const data = entries.map((entry) => Schema.decodeUnknownOption(Wire.NotificationData)(entry)).find(Option.isSome)
    // Under the payload variant only `payload` is signed: the type comes from its resource.
    const eventType = signed === "rawBody" ? body.eventType : `payments.${data?.value.data.type ?? "unknown"}`
    const kind =
      signed === "rawBody"
        ? eventKinds.find(([prefix]) => eventType.startsWith(prefix))?.[1]
        : Object.hasOwn(resourceKinds, data?.value.data.type ?? "")
          ? resourceKinds[data?.value.data.type ?? ""]
          : undefined
    if (kind === undefined) return yield* new UnknownEvent({ provider: PROVIDER, operation, eventType })
    if (data === undefined) return yield* bad("the notification names no transaction")
    const id = data.value.data.id
    const digest = yield* Crypto.sha256(`${eventType}\n${JSON.stringify(body.payload)}`)
    const envelope = {
      eventId: Crypto.toHex(digest),
      provider: PROVIDER,
      eventType,
      occurredAt: Option.getOrElse(
        Option.map(
          Option.flatMap(Option.fromNullable(signed === "rawBody" ? body.eventDate : undefined), (date) =>
            DateTime.make(date)
          ),
          DateTime.toUtc
        ),
        () => DateTime.unsafeMake(t)
      )
    }
    if (kind === "payment") {
      const { root } = yield* Effect.mapError(rootOf(client, id), asVerifyError)
      const { payment } = yield* Effect.mapError(Tx.readResolved(client, root, operation), asVerifyError)
      return PaymentUpdated.make({ ...envelope, payment })
    }
    const { record, root } = yield* Effect.mapError(rootOf(client, id), asVerifyError)
    if (root === id) return yield* bad("the refund does not name its payment")
    const refund = yield* Tx.refundFromRecord(record, Tx.paymentRef(root), undefined)
    return yield* Option.match(refund, {
      onNone: () => Effect.fail(bad("the refund has no amount")),
      onSome: (r) => Effect.succeed(RefundUpdated.make({ ...envelope, refund: r }))
    })
  })

/**
 * The `Webhooks` service over the `CyberSourceClient`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Webhooks.Webhooks.Service, never, CyberSourceClient> = Effect.map(
  CyberSourceClient,
  (client) => Webhooks.make({ provider: PROVIDER, verify: (request) => verify(client, request) })
)

/**
 * The `Webhooks` port; requires the `CyberSourceClient`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Webhooks.Webhooks, never, CyberSourceClient> = Layer.effect(Webhooks.Webhooks, make)
