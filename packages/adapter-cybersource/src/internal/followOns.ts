/**
 * Captures, reversals and refunds made at most once, although CyberSource has no idempotency key:
 * each carries its key's tag in `comments` (TSS shows it) and, captures and refunds, as
 * `transactionId` (a repeat is refused); the payment is read before sending (a key's earlier
 * follow-on is answered, not sent again); and a refusal that an earlier request under the key may
 * explain is checked by reading the payment's related transactions for the key's tag.
 */
import * as Ambiguity from "@payport/core/Ambiguity"
import * as Money from "@payport/core/Money"
import type { Payment } from "@payport/core/Payment"
import { InvalidState, type OperationError } from "@payport/core/PaymentError"
import type { Refund } from "@payport/core/Refund"
import * as Clock from "effect/Clock"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type { Call, Response, Service } from "../CyberSourceClient.js"
import { decode, invalid, isRepeatRefusal, PROVIDER } from "./errors.js"
import { conflict, tagOf } from "./keys.js"
import * as Mapping from "./mapping.js"
import { type PaymentRecord, refundFromRecord } from "./records.js"
import { readResolved } from "./resolved.js"
import { instant, money } from "./values.js"
import * as Wire from "./wire.js"

/** `InvalidState` for an operation the payment's state forbids. */
export const invalidState = (operation: string, reason: string) =>
  new InvalidState({ provider: PROVIDER, operation, reason })

/** Decodes a follow-on 201 and its status class; unknown statuses are `OutcomeUnknown`. */
export const followOn = (call: Call, response: Response) =>
  Effect.flatMap(decode(Wire.FollowOnResponse, call)(response), (body) => {
    const klass = Mapping.statusClass(body.status)
    return klass === undefined
      ? Effect.fail(invalid(call, response, `unknown status ${body.status}`))
      : Effect.succeed({ body, klass })
  })

/** The time now, for follow-ons without `submitTimeUtc`. */
export const now = Effect.map(Clock.currentTimeMillis, (ms) => DateTime.unsafeMake(ms))

/** The creation instant of a follow-on. */
export const createdAt = instant

/**
 * The payment before a follow-on under `key`. When this client already sent a request under the
 * key, a read that fails without a definite answer is `OutcomeUnknown` (that request may have
 * applied), never `ProviderResponseInvalid` or `NotFound`.
 */
export const readBefore = (
  client: Service,
  id: string,
  operation: string,
  key: string
): Effect.Effect<PaymentRecord, OperationError> =>
  Effect.catchAll(readResolved(client, id, operation), (error) =>
    Effect.fail(
      client.mayHaveApplied(key)
        ? Ambiguity.afterMayHaveApplied(
            { provider: PROVIDER, operation, mutating: true, idempotent: false, idempotencyKey: key },
            error,
            "an earlier request with this key may have applied and the payment could not be read"
          )
        : error
    )
  )

/**
 * What an earlier capture under the key made, from the payment's record: the payment as it is
 * now; `IdempotencyConflict` when that capture was for another amount.
 */
export const capturedBefore = (
  record: PaymentRecord,
  tag: string,
  amount: Money.Money | undefined,
  operation: string,
  key: string
): Option.Option<Effect.Effect<Payment, OperationError>> => {
  const earlier = record.related.find((r) => r.kind === "capture" && tagOf(r.details) === tag)
  if (earlier === undefined) return Option.none()
  const total = earlier.details.orderInformation?.amountDetails?.totalAmount
  const same = amount === undefined || Option.exists(money(total, amount.currency), (m) => Money.equals(m, amount))
  return Option.some(same ? Effect.succeed(record.payment) : Effect.fail(conflict(operation, key)))
}

/** What an earlier reversal under the key made: the payment as it is now (released). */
export const reversedBefore = (
  record: PaymentRecord,
  tag: string
): Option.Option<Effect.Effect<Payment, OperationError>> =>
  record.related.some((r) => r.kind === "reversal" && tagOf(r.details) === tag)
    ? Option.some(Effect.succeed(record.payment))
    : Option.none()

/**
 * What an earlier refund under the key made: that refund; `IdempotencyConflict` when it was for
 * another amount.
 */
export const refundedBefore = (
  record: PaymentRecord,
  tag: string,
  amount: Money.Money,
  operation: string,
  key: string
): Option.Option<Effect.Effect<Refund, OperationError>> => {
  const earlier = record.related.find((r) => r.kind === "refund" && tagOf(r.details) === tag)
  if (earlier === undefined) return Option.none()
  return Option.some(
    Effect.flatMap(refundFromRecord(earlier, record.payment.ref, record.payment.amount.currency), (refund) =>
      Option.isSome(refund) && Money.equals(refund.value.amount, amount)
        ? Effect.succeed(refund.value)
        : Effect.fail(conflict(operation, key))
    )
  )
}

/**
 * The reconcile of a follow-on: reads the payment again and answers what the key's earlier request
 * made (`find`), or `None` when the payment shows nothing under the key.
 */
export const reconcileWith = <A>(
  client: Service,
  paymentId: string,
  operation: string,
  find: (record: PaymentRecord) => Option.Option<Effect.Effect<A, OperationError>>
): Effect.Effect<Option.Option<A>, OperationError> =>
  Effect.flatMap(readResolved(client, paymentId, operation), (record) =>
    Option.match(find(record), {
      onNone: () => Effect.succeed(Option.none<A>()),
      onSome: (answer) => Effect.map(answer, Option.some)
    })
  )

/**
 * Whether a follow-on's refusal may be CyberSource refusing what an earlier request under the key
 * already did: a repeated `transactionId`, or a state or request refusal (a second reversal is
 * `AUTH_ALREADY_REVERSED`, a second capture may exceed the authorization), so the payment is read
 * for the key's transaction before the refusal is believed.
 */
export const refusedAfterApplying = (error: OperationError): boolean =>
  isRepeatRefusal(error) || error._tag === "InvalidState" || error._tag === "InvalidRequest"

/** `client.execute` with a follow-on's reconcile, run when the follow-on is refused. */
export const executeWith =
  <A>(client: Service, reconcile: Effect.Effect<Option.Option<A>, OperationError>) =>
  (call: Call, interpret: (response: Response) => Effect.Effect<A, OperationError>): Effect.Effect<A, OperationError> =>
    client.execute(call, interpret, { reconcile, refusals: refusedAfterApplying })
