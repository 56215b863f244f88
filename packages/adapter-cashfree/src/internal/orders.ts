/**
 * The flows several ports share: reading a payment with its refunds (the ledger needs both, and
 * Cashfree's payment entity does not say what was refunded), and checkout (create order, then
 * Order Pay) for both sales and holds.
 */
import * as HttpPolicy from "@payport/core/HttpPolicy"
import type { PaymentRef } from "@payport/core/Ids"
import * as Money from "@payport/core/Money"
import type { Action, Payment } from "@payport/core/Payment"
import * as Ambiguity from "@payport/core/Ambiguity"
import {
  InvalidState,
  type OperationError,
  ProviderResponseInvalid,
  ProviderUnavailable,
  ValidationError
} from "@payport/core/PaymentError"
import type * as PaymentRequest from "@payport/core/PaymentRequest"
import * as Redaction from "@payport/core/Redaction"
import type { Refund } from "@payport/core/Refund"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type { CashfreeClient } from "../CashfreeClient.js"
import {
  actionFromPay,
  orderStatuses,
  type PaymentContext,
  PROVIDER,
  paymentFromEntity,
  paymentStatuses,
  refundFromEntity
} from "./mapping.js"
import { customerDetails, orderBody, payMethod } from "./requests.js"
import * as Wire from "./wire.js"

type Client = CashfreeClient.Service

const segment = (value: string) => encodeURIComponent(value)

/**
 * Fails when mapping fails: an answer that does not make sense is core's `Undecodable`
 * (`ProviderResponseInvalid` for a read, `OutcomeUnknown` after a mutation).
 */
export const orInvalid =
  (operation: string, body: unknown, options?: { readonly mutating?: boolean; readonly idempotencyKey?: string }) =>
  <A>(result: Either.Either<A, string>): Effect.Effect<A, OperationError> =>
    Either.isRight(result)
      ? Effect.succeed(result.right)
      : Effect.fail(
          Ambiguity.errorFor(
            { _tag: "Undecodable", reason: result.left },
            {
              provider: PROVIDER,
              operation,
              mutating: options?.mutating === true,
              idempotent: true,
              idempotencyKey: options?.idempotencyKey,
              raw: Redaction.raw(JSON.stringify(body))
            }
          )
        )

/** Fails with a `ValidationError` when a ref lacks the order id Cashfree needs. */
export const orderIdOf = (
  ref: PaymentRef,
  operation: string,
  field = "payment"
): Effect.Effect<string, ValidationError> =>
  ref.orderId === undefined || ref.orderId.length === 0
    ? Effect.fail(
        new ValidationError({
          provider: PROVIDER,
          operation,
          field: `${field}.orderId`,
          reason: "is required by Cashfree"
        })
      )
    : Effect.succeed(ref.orderId)

/** GET one payment entity. */
export const fetchEntity = (client: Client, operation: string, orderId: string, paymentId: string) =>
  Effect.map(
    client.request({
      operation,
      method: "GET",
      path: `/orders/${segment(orderId)}/payments/${segment(paymentId)}`,
      schema: Wire.PaymentEntity,
      resource: { name: "payment", id: paymentId }
    }),
    (response) => response.body
  )

/** GET the payment entities of an order; an unknown order has none. */
export const fetchEntities = (client: Client, operation: string, orderId: string) =>
  client
    .request({
      operation,
      method: "GET",
      path: `/orders/${segment(orderId)}/payments`,
      schema: Wire.PaymentEntities,
      resource: { name: "order", id: orderId }
    })
    .pipe(
      Effect.map((response): ReadonlyArray<Wire.PaymentEntity> => response.body),
      Effect.catchTag("NotFound", () => Effect.succeed<ReadonlyArray<Wire.PaymentEntity>>([]))
    )

/** GET the refunds of an order, as core refunds; an order without refunds may answer 404. */
export const fetchRefunds = (
  client: Client,
  operation: string,
  orderId: string,
  payment: { readonly paymentId?: string; readonly currency?: string }
): Effect.Effect<ReadonlyArray<Refund>, OperationError> =>
  Effect.gen(function* () {
    const response = yield* client
      .request({
        operation,
        method: "GET",
        path: `/orders/${segment(orderId)}/refunds`,
        schema: Wire.RefundEntities,
        resource: { name: "order", id: orderId }
      })
      .pipe(
        Effect.map((r): ReadonlyArray<Wire.RefundEntity> => r.body),
        Effect.catchTag("NotFound", () => Effect.succeed<ReadonlyArray<Wire.RefundEntity>>([]))
      )
    const now = yield* DateTime.now
    const refunds: Array<Refund> = []
    for (const entity of response) {
      const refund = yield* orInvalid(operation, entity)(refundFromEntity(entity, { ...payment, orderId }, now))
      refunds.push(refund)
    }
    return refunds
  })

/** The sum of a payment's refunds that have not failed. */
const refundedOf = (
  refunds: ReadonlyArray<Refund>,
  paymentId: string,
  currency: string,
  operation: string
): Effect.Effect<Money.Money | undefined, ProviderResponseInvalid> => {
  let total = 0
  for (const refund of refunds) {
    if (refund.ref.payment.paymentId !== paymentId || refund.status._tag === "Failed") continue
    if (refund.amount.currency !== currency) {
      return Effect.fail(
        new ProviderResponseInvalid({ provider: PROVIDER, operation, reason: "a refund is in another currency" })
      )
    }
    total += refund.amount.amount
  }
  return Effect.succeed(Either.getOrUndefined(Money.fromMinor(total, currency)))
}

const needsRefunds = (entity: Wire.PaymentEntity) =>
  Object.hasOwn(paymentStatuses, entity.payment_status) &&
  paymentStatuses[entity.payment_status as keyof typeof paymentStatuses] === "settled"

/**
 * Payments from entities of one order, with refunds folded into their ledgers. `fresh` says the
 * payments were just created or just captured, so they cannot have refunds yet and the refunds read
 * (a round trip on every sale and capture) is skipped.
 */
export const toPayments = (
  client: Client,
  operation: string,
  orderId: string,
  entities: ReadonlyArray<Wire.PaymentEntity>,
  context: Omit<PaymentContext, "now" | "refunded">,
  options?: { readonly fresh?: boolean; readonly refunds?: ReadonlyArray<Refund> }
): Effect.Effect<ReadonlyArray<Payment>, OperationError> =>
  Effect.gen(function* () {
    const now = yield* DateTime.now
    const refunds =
      options?.refunds !== undefined
        ? options.refunds
        : options?.fresh !== true && entities.some(needsRefunds)
          ? yield* fetchRefunds(
              client,
              operation,
              orderId,
              context.currency === undefined ? {} : { currency: context.currency }
            )
          : []
    const payments: Array<Payment> = []
    for (const entity of entities) {
      const currency = entity.order_currency ?? context.currency ?? entity.payment_currency ?? "INR"
      const refunded = yield* refundedOf(refunds, entity.cf_payment_id, currency, operation)
      payments.push(
        yield* orInvalid(operation, entity)(paymentFromEntity(entity, { ...context, orderId, refunded, now }))
      )
    }
    return payments
  })

/** Reads one payment as Cashfree sees it now, refunds included. */
export const readPayment = (
  client: Client,
  operation: string,
  ref: PaymentRef,
  context: Omit<PaymentContext, "now" | "refunded"> = {}
): Effect.Effect<Payment, OperationError> =>
  Effect.gen(function* () {
    const orderId = yield* orderIdOf(ref, operation)
    const entity = yield* fetchEntity(client, operation, orderId, ref.paymentId)
    const [payment] = yield* toPayments(client, operation, orderId, [entity], context)
    return payment as Payment
  })

/**
 * The read a capture or refund makes before it sends: nothing has been sent when it fails, so an
 * answer that does not decode is a transient `ProviderUnavailable` (retry with the same key), not
 * `ProviderResponseInvalid` — a same-key retry after an `OutcomeUnknown` must not read as "failed"
 * when the first attempt may have applied.
 */
export const beforeSend = <A, R>(read: Effect.Effect<A, OperationError, R>): Effect.Effect<A, OperationError, R> =>
  Effect.catchTag(read, "ProviderResponseInvalid", (invalid) =>
    Effect.fail(
      new ProviderUnavailable({
        provider: invalid.provider,
        operation: invalid.operation,
        reason: `reading the payment before sending failed (${invalid.reason}); nothing was sent`,
        ...(invalid.httpStatus === undefined ? {} : { httpStatus: invalid.httpStatus }),
        ...(invalid.requestId === undefined ? {} : { requestId: invalid.requestId }),
        ...(invalid.raw === undefined ? {} : { raw: invalid.raw })
      })
    )
  )

/**
 * Reads one payment with the refunds of its order (none when the payment has settled nothing, so
 * nothing was read): what a refund checks before it is sent, and how it recognises its own replay.
 */
export const readPaymentAndRefunds = (
  client: Client,
  operation: string,
  ref: PaymentRef
): Effect.Effect<{ readonly payment: Payment; readonly refunds: ReadonlyArray<Refund> }, OperationError> =>
  Effect.gen(function* () {
    const orderId = yield* orderIdOf(ref, operation)
    const entity = yield* fetchEntity(client, operation, orderId, ref.paymentId)
    const refunds = needsRefunds(entity) ? yield* fetchRefunds(client, operation, orderId, {}) : []
    const [payment] = yield* toPayments(client, operation, orderId, [entity], {}, { refunds })
    return { payment: payment as Payment, refunds }
  })

/**
 * The first result of each checkout per client, by operation and idempotency key. Cashfree stores
 * the first answer to a key and replays it; a checkout is two calls (create order, Order Pay), and
 * core's idempotency contract is that a replay answers what the first call answered. So a replay
 * in the same process returns the stored result (after Cashfree has confirmed the key and body
 * with its own replay); after a restart there is none, and the payment is read as it stands.
 * Bounded: the oldest entries go first.
 */
const firstResults = new WeakMap<Client, Map<string, Payment>>()
const FIRST_RESULTS_CAPACITY = 1024

const resultsOf = (client: Client): Map<string, Payment> => {
  const existing = firstResults.get(client)
  if (existing !== undefined) return existing
  const created = new Map<string, Payment>()
  firstResults.set(client, created)
  return created
}

const remember = (client: Client, key: string, payment: Payment): Payment => {
  const results = resultsOf(client)
  if (!results.has(key)) {
    results.set(key, payment)
    if (results.size > FIRST_RESULTS_CAPACITY) {
      const oldest = results.keys().next()
      if (oldest.done !== true) results.delete(oldest.value)
    }
  }
  return payment
}

/** The attempt a replayed create should return: a settled one if any, else the latest. */
const latest = (entities: ReadonlyArray<Wire.PaymentEntity>): Wire.PaymentEntity | undefined =>
  entities.find((e) => e.payment_status === "SUCCESS") ?? entities[entities.length - 1]

/**
 * Creates the order and pays it. A replayed create (same key) or an order that is no longer
 * active returns the payment already made instead of paying again, so a retried call charges once.
 */
export const checkout = (
  client: Client,
  request: PaymentRequest.CreatePayment,
  operation: string
): Effect.Effect<Payment, OperationError> =>
  Effect.gen(function* () {
    const customer = yield* customerDetails(request, client.config, operation)
    const method = yield* payMethod(request, client.config, operation)
    const body = yield* orderBody(request, customer, operation)
    const order = yield* client.request({
      operation,
      method: "POST",
      path: "/orders",
      body,
      idempotencyKey: request.idempotencyKey,
      schema: Wire.OrderEntity
    })
    const orderId = order.body.order_id
    const context = {
      currency: request.amount.currency,
      orderAmount: order.body.order_amount,
      method: request.method._tag,
      captureMode: request.captureMode,
      customerId: typeof customer.customer_id === "string" ? customer.customer_id : undefined
    }
    const status = order.body.order_status
    const resultKey = `${operation}\u0000${request.idempotencyKey}`
    const first = order.replayed ? resultsOf(client).get(resultKey) : undefined
    if (first !== undefined && first.ref.orderId === orderId) return first
    // The key's order already exists, so a payment may already have been made on it: a read of it
    // that fails leaves the outcome unknown (never "invalid" or "not found").
    const paidBefore = Effect.gen(function* () {
      const existing = latest(yield* fetchEntities(client, operation, orderId))
      if (existing === undefined) return undefined
      const [payment] = yield* toPayments(client, operation, orderId, [existing], context)
      return payment
    }).pipe(Effect.catchAll((error) => Effect.fail(afterCommit(error, request.idempotencyKey, request.reference))))
    if (order.replayed || (status !== undefined && status !== "ACTIVE")) {
      const existing = yield* paidBefore
      if (existing !== undefined) return existing
      const known = status === undefined ? undefined : (orderStatuses as Record<string, { payable: boolean }>)[status]
      if (known !== undefined && !known.payable) {
        return yield* new InvalidState({ provider: PROVIDER, operation, reason: `order ${orderId} is ${status}` })
      }
    }
    const session = order.body.payment_session_id
    if (session === undefined) {
      return yield* new ProviderResponseInvalid({
        provider: PROVIDER,
        operation,
        reason: "the order has no payment_session_id",
        raw: Redaction.raw(JSON.stringify(order.body))
      })
    }
    const pay = yield* client
      .request({
        operation,
        method: "POST",
        path: "/orders/sessions",
        authenticated: false,
        // Not sent (Order Pay takes no key); reported in `OutcomeUnknown`.
        idempotencyKey: request.idempotencyKey,
        body: () => ({
          payment_session_id: session,
          payment_method: method.body(),
          save_instrument: request.saveInstrument === true ? true : undefined,
          offer_id: method.offerId
        }),
        schema: Wire.PayOrderEntity
      })
      .pipe(
        // `orderpay_not_found`: the order is no longer payable, which a duplicated delivery of this
        // very Order Pay (already applied) also causes. What is on the order decides.
        Effect.catchTag("NotFound", (notFound) =>
          Effect.flatMap(paidBefore, (existing) =>
            existing === undefined ? Effect.fail(notFound) : Effect.succeed({ paid: existing })
          )
        )
      )
    if ("paid" in pay) return remember(client, resultKey, pay.paid)
    const action: Action | undefined = actionFromPay(pay.body, method.vpa)
    const paymentId = pay.body.cf_payment_id
    // Order Pay says what the payer must do, not where the payment stands: read it back. If the
    // read fails and Order Pay named a payer step, what it said is still true (waiting on the
    // payer), and a sync resolves it. Without a payer step the attempt may already have settled
    // (a card paid at once): answering "pending" would contradict the provider, so the outcome is
    // unknown.
    const entity = yield* fetchEntity(client, operation, orderId, paymentId).pipe(
      Effect.catchAll((error) =>
        action === undefined
          ? Effect.fail(afterCommit(error, request.idempotencyKey, request.reference))
          : Effect.succeed<Wire.PaymentEntity>({
              cf_payment_id: paymentId,
              order_id: orderId,
              payment_status: "PENDING",
              order_amount: order.body.order_amount ?? Money.toDecimal(request.amount),
              order_currency: request.amount.currency
            })
      )
    )
    const saved = yield* savedInstrument(client, operation, request, entity, context.customerId)
    const [payment] = yield* toPayments(
      client,
      operation,
      orderId,
      [saved === undefined ? entity : withInstrument(entity, saved)],
      { ...context, action },
      { fresh: true }
    ).pipe(
      // Order Pay answered, so the attempt exists and may have charged: a failed read-back (e.g.
      // the refunds read of a settled payment running out of retries) must not surface as a
      // transient "nothing happened" error.
      Effect.catchAll((error) => Effect.fail(afterCommit(error, request.idempotencyKey, request.reference)))
    )
    return remember(client, resultKey, payment as Payment)
  }).pipe(
    // Create order, Order Pay and the read-back are one operation: one deadline for all.
    HttpPolicy.withOperationDeadline(client.config.timing.deadline)
  )

/**
 * The error for a call whose mutation the provider acted on (or may have) but whose answer could
 * not be completed: core's rule after a mutation that may have applied (`OutcomeUnknown` with the
 * caller's key), so the caller syncs instead of believing nothing happened.
 */
export const afterCommit = (error: OperationError, idempotencyKey: string, reference?: string): OperationError =>
  Ambiguity.afterMayHaveApplied(
    {
      provider: PROVIDER,
      operation: error.operation,
      mutating: true,
      idempotent: true,
      idempotencyKey,
      reference
    },
    error,
    "the provider acted, then reading the result failed"
  )

const withInstrument = (entity: Wire.PaymentEntity, instrumentId: string): Wire.PaymentEntity => ({
  ...entity,
  payment_method: { card: { ...cardOf(entity), instrument_id: instrumentId } }
})

const cardOf = (entity: Wire.PaymentEntity): Readonly<Record<string, unknown>> => {
  const card = entity.payment_method?.card
  return typeof card === "object" && card !== null ? (card as Readonly<Record<string, unknown>>) : {}
}

/**
 * The instrument a payment saved. Cashfree reports it on the payment (`card.instrument_id`, from
 * 2025-01-01); older versions only link it from the vault (`afa_reference` = the saving payment).
 */
const savedInstrument = (
  client: Client,
  operation: string,
  request: PaymentRequest.CreatePayment,
  entity: Wire.PaymentEntity,
  customerId: string | undefined
): Effect.Effect<string | undefined> => {
  if (request.saveInstrument !== true || customerId === undefined || entity.payment_status !== "SUCCESS") {
    return Effect.succeed(undefined)
  }
  const reported = cardOf(entity).instrument_id
  if (typeof reported === "string") return Effect.succeed(undefined)
  return client
    .request({
      operation,
      method: "GET",
      path: `/customers/${segment(customerId)}/instruments`,
      query: { instrument_type: "card" },
      schema: Wire.InstrumentEntities
    })
    .pipe(
      Effect.map((r) => r.body.find((i) => i.afa_reference === entity.cf_payment_id)?.instrument_id),
      Effect.orElseSucceed(() => undefined)
    )
}
