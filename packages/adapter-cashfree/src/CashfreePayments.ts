/**
 * The `Payments` port on Cashfree: a sale is an order plus Order Pay; payments are read per order
 * (the order id is the merchant's reference); refunds are per order with the merchant's refund id.
 *
 * @since 0.1.0
 */
import * as HttpPolicy from "@payport/core/HttpPolicy"
import type { OrderReference, PaymentRef, RefundRef } from "@payport/core/Ids"
import type { Payment } from "@payport/core/Payment"
import type { OperationError } from "@payport/core/PaymentError"
import type * as PaymentRequest from "@payport/core/PaymentRequest"
import * as Payments from "@payport/core/Payments"
import type { Refund } from "@payport/core/Refund"
import type * as StateMachine from "@payport/core/StateMachine"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { CashfreeClient } from "./CashfreeClient.js"
import { currencies } from "./CashfreeCurrencies.js"
import { PROVIDER, refundFromEntity } from "./internal/mapping.js"
import {
  beforeSend,
  checkout,
  fetchEntities,
  fetchRefunds,
  orderIdOf,
  orInvalid,
  readPayment,
  readPaymentAndRefunds,
  toPayments
} from "./internal/orders.js"
import { providerOptionNames, refundBody, refundId } from "./internal/requests.js"
import * as Wire from "./internal/wire.js"

type Client = CashfreeClient.Service

const segment = (value: string) => encodeURIComponent(value)

/**
 * The Cashfree driver of the `Payments` port.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeDriver = (client: Client): Payments.Payments.Driver => ({
  provider: PROVIDER,
  currencies,
  providerOptions: providerOptionNames,
  create: (request: PaymentRequest.CreatePayment): Effect.Effect<Payment, OperationError> =>
    checkout(client, request, "Payments.create"),
  get: (ref: PaymentRef) => readPayment(client, "Payments.get", ref),
  list: (reference: OrderReference) =>
    Effect.flatMap(fetchEntities(client, "Payments.list", reference), (entities) =>
      toPayments(client, "Payments.list", reference, entities, {})
    ),
  refund: (request: PaymentRequest.Refund, guard: StateMachine.Guard): Effect.Effect<Refund, OperationError> =>
    Effect.gen(function* () {
      const operation = "Payments.refund"
      const orderId = yield* orderIdOf(request.payment, operation)
      const id = yield* refundId(request, operation)
      const body = yield* refundBody(request, id, operation)
      // Cashfree's refund carries only a decimal amount, so the payment is read first: a refund in
      // another currency, or one the payment does not allow, is refused before anything is sent.
      // A refund with this refund id already on the order is this request's replay: Cashfree
      // answers it from its idempotency store (or refuses a different key), so it is sent as is.
      const { payment, refunds } = yield* beforeSend(readPaymentAndRefunds(client, operation, request.payment))
      if (!refunds.some((refund) => refund.ref.refundId === id)) yield* guard(payment)
      const response = yield* client.request({
        operation,
        method: "POST",
        path: `/orders/${segment(orderId)}/refunds`,
        body,
        idempotencyKey: request.idempotencyKey,
        schema: Wire.One(Wire.RefundEntity),
        resource: { name: "order", id: orderId }
      })
      const now = yield* DateTime.now
      return yield* orInvalid(operation, response.body, { mutating: true, idempotencyKey: request.idempotencyKey })(
        refundFromEntity(
          response.body,
          { paymentId: request.payment.paymentId, orderId, currency: request.amount.currency },
          now
        )
      )
    }).pipe(
      // The payment read and the refund are one operation: one deadline.
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
