/**
 * The `Payments` port on Cashfree: a sale is an order plus Order Pay; payments are read per order
 * (the order id is the merchant's reference); refunds are per order with the merchant's refund id.
 *
 * @since 0.1.0
 */
import * as HttpPolicy from "@payport/core/HttpPolicy"
import type { OrderReference, PaymentRef, RefundRef } from "@payport/core/Ids"
import type { Payment } from "@payport/core/Payment"
import { InvalidState, type OperationError } from "@payport/core/PaymentError"
import type * as PaymentRequest from "@payport/core/PaymentRequest"
import * as Payments from "@payport/core/Payments"
import type { Refund } from "@payport/core/Refund"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { CashfreeClient } from "./CashfreeClient.js"
import { PROVIDER, refundFromEntity } from "./internal/mapping.js"
import {
  checkout,
  fetchEntities,
  fetchRefunds,
  orderIdOf,
  orInvalid,
  readPayment,
  toPayments
} from "./internal/orders.js"
import { refundBody, refundId } from "./internal/requests.js"
import * as Wire from "./internal/wire.js"

type Client = CashfreeClient.Service

/**
 * When Cashfree refuses a refund as invalid, the payment's state usually says why (not captured
 * yet, voided, or not enough left to refund): report that as `InvalidState`.
 */
const explainRefusal =
  (client: Client, operation: string, request: PaymentRequest.Refund) =>
  (error: OperationError): Effect.Effect<never, OperationError> =>
    error._tag !== "InvalidRequest"
      ? Effect.fail(error)
      : Effect.flatMap(
          Effect.either(readPayment(client, operation, request.payment)),
          (read): Effect.Effect<never, OperationError> => {
            if (read._tag === "Left") return Effect.fail(error)
            const payment = read.right
            const tag = payment.status._tag
            if (tag !== "Captured" && tag !== "PartiallyCaptured") {
              return Effect.fail(new InvalidState({ ...stamp(error), reason: `cannot refund a ${tag} payment` }))
            }
            if (request.amount.amount > payment.ledger.refundable) {
              return Effect.fail(
                new InvalidState({ ...stamp(error), reason: "the refund exceeds what is still refundable" })
              )
            }
            return Effect.fail(error)
          }
        )

const stamp = (error: OperationError) => ({
  provider: error.provider,
  operation: error.operation,
  ...(error.httpStatus === undefined ? {} : { httpStatus: error.httpStatus }),
  ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
  ...(error.raw === undefined ? {} : { raw: error.raw })
})

const segment = (value: string) => encodeURIComponent(value)

/**
 * The Cashfree driver of the `Payments` port.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeDriver = (client: Client): Payments.Payments.Driver => ({
  provider: PROVIDER,
  create: (request: PaymentRequest.CreatePayment): Effect.Effect<Payment, OperationError> =>
    checkout(client, request, "Payments.create"),
  get: (ref: PaymentRef) => readPayment(client, "Payments.get", ref),
  list: (reference: OrderReference) =>
    Effect.flatMap(fetchEntities(client, "Payments.list", reference), (entities) =>
      toPayments(client, "Payments.list", reference, entities, {})
    ),
  refund: (request: PaymentRequest.Refund): Effect.Effect<Refund, OperationError> =>
    Effect.gen(function* () {
      const operation = "Payments.refund"
      const orderId = yield* orderIdOf(request.payment, operation)
      const id = yield* refundId(request, operation)
      const body = yield* refundBody(request, id, operation)
      const response = yield* client
        .request({
          operation,
          method: "POST",
          path: `/orders/${segment(orderId)}/refunds`,
          body,
          idempotencyKey: request.idempotencyKey,
          schema: Wire.One(Wire.RefundEntity),
          resource: { name: "order", id: orderId }
        })
        .pipe(Effect.catchAll(explainRefusal(client, operation, request)))
      const now = yield* DateTime.now
      return yield* orInvalid(operation, response.body, { mutating: true, idempotencyKey: request.idempotencyKey })(
        refundFromEntity(
          response.body,
          { paymentId: request.payment.paymentId, orderId, currency: request.amount.currency },
          now
        )
      )
    }).pipe(
      // The refund and any refusal explanation (a payment read) are one operation: one deadline.
      HttpPolicy.withOperationDeadline(client.config.timing.deadline)
    ),
  getRefund: (ref: RefundRef) =>
    Effect.gen(function* () {
      const operation = "Payments.getRefund"
      const orderId = yield* orderIdOf(ref.payment, operation)
      const response = yield* client.request({
        operation,
        method: "GET",
        path: `/orders/${segment(orderId)}/refunds/${segment(ref.refundId)}`,
        schema: Wire.One(Wire.RefundEntity),
        resource: { name: "refund", id: ref.refundId }
      })
      const now = yield* DateTime.now
      return yield* orInvalid(
        operation,
        response.body
      )(refundFromEntity(response.body, { paymentId: ref.payment.paymentId, orderId }, now))
    }),
  listRefunds: (payment: PaymentRef) =>
    Effect.gen(function* () {
      const operation = "Payments.listRefunds"
      const orderId = yield* orderIdOf(payment, operation)
      const refunds = yield* fetchRefunds(client, operation, orderId, { paymentId: payment.paymentId })
      return refunds.filter((refund) => refund.ref.payment.paymentId === payment.paymentId)
    })
})

/**
 * The `Payments` service over the `CashfreeClient`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Payments.Payments.Service, never, CashfreeClient> = Effect.map(
  CashfreeClient,
  (client) => Payments.make(makeDriver(client))
)

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Payments.Payments, never, CashfreeClient> = Layer.effect(Payments.Payments, make)
