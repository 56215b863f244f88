/**
 * The `Authorization` port on Cashfree pre-authorization: a hold is an order plus Order Pay with
 * manual capture (the sandbox marks such orders with `order_note: "preauth_transaction"`; cards and
 * UPI through the `link` channel, UPI with `authorize_only`); capture (full or partial) and void
 * are `POST /orders/{order_id}/authorization` with `CAPTURE` or `VOID`.
 *
 * Cashfree captures a hold once: after a partial capture the rest is released, so a second capture
 * fails with `InvalidState`.
 *
 * @since 0.1.0
 */
import * as Authorization from "@payport/core/Authorization"
import * as HttpPolicy from "@payport/core/HttpPolicy"
import * as Money from "@payport/core/Money"
import type { Payment } from "@payport/core/Payment"
import { InvalidState, type OperationError } from "@payport/core/PaymentError"
import type * as PaymentRequest from "@payport/core/PaymentRequest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { CashfreeClient } from "./CashfreeClient.js"
import { PROVIDER } from "./internal/mapping.js"
import { afterCommit, checkout, orderIdOf, readPayment, toPayments } from "./internal/orders.js"
import * as Wire from "./internal/wire.js"

type Client = CashfreeClient.Service

const segment = (value: string) => encodeURIComponent(value)

const context = (error: OperationError) => ({
  provider: error.provider,
  operation: error.operation,
  ...(error.httpStatus === undefined ? {} : { httpStatus: error.httpStatus }),
  ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
  ...(error.raw === undefined ? {} : { raw: error.raw })
})

/**
 * When Cashfree refuses a capture or void as invalid, the payment's state usually says why: the
 * hold was already captured or voided, or the amount exceeds it. Report that as `InvalidState`.
 */
const explainRefusal =
  (client: Client, operation: string, payment: PaymentRequest.Void["payment"], amount: Money.Money | undefined) =>
  (error: OperationError): Effect.Effect<never, OperationError> =>
    error._tag !== "InvalidRequest"
      ? Effect.fail(error)
      : Effect.flatMap(
          Effect.either(readPayment(client, operation, payment)),
          (read): Effect.Effect<never, OperationError> => {
            if (read._tag === "Left") return Effect.fail(error)
            const current = read.right
            if (current.status._tag !== "Authorized") {
              const verb = operation === "Authorization.void" ? "void" : "capture"
              return Effect.fail(
                new InvalidState({ ...context(error), reason: `cannot ${verb} a ${current.status._tag} payment` })
              )
            }
            if (amount !== undefined && amount.amount > current.ledger.capturable) {
              return Effect.fail(new InvalidState({ ...context(error), reason: "the capture exceeds the amount held" }))
            }
            return Effect.fail(error)
          }
        )

const authorize = (
  client: Client,
  operation: string,
  payment: PaymentRequest.Void["payment"],
  idempotencyKey: string,
  action: "CAPTURE" | "VOID",
  amount: Money.Money | undefined
): Effect.Effect<Payment, OperationError> =>
  Effect.gen(function* () {
    const orderId = yield* orderIdOf(payment, operation)
    const response = yield* client
      .request({
        operation,
        method: "POST",
        path: `/orders/${segment(orderId)}/authorization`,
        body: () => ({ action, amount: amount === undefined ? undefined : new Wire.Decimal(Money.toDecimal(amount)) }),
        idempotencyKey,
        schema: Wire.PaymentEntity,
        resource: { name: "order", id: orderId }
      })
      .pipe(Effect.catchAll(explainRefusal(client, operation, payment, amount)))
    // Just captured or voided: a hold has no refunds before its capture, so none to read.
    const [result] = yield* toPayments(
      client,
      operation,
      orderId,
      [response.body],
      { captureMode: "manual", ...(amount === undefined ? {} : { currency: amount.currency }) },
      { fresh: true }
    ).pipe(
      // The hold was acted on: an answer that does not decode, or a read the answer needs (the
      // refunds of a captured payment) failing, leaves the outcome unknown — a transient error
      // here would say "nothing happened" after a capture that did happen.
      Effect.catchAll((e) => Effect.fail(afterCommit(e, idempotencyKey)))
    )
    return result as Payment
  }).pipe(
    // The action, its read-back and any refusal explanation are one operation: one deadline.
    HttpPolicy.withOperationDeadline(client.config.timing.deadline)
  )

/**
 * The Cashfree driver of the `Authorization` port.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeDriver = (client: Client): Authorization.Authorization.Driver => ({
  provider: PROVIDER,
  authorize: (request) => checkout(client, request, "Authorization.authorize"),
  capture: (request) =>
    Effect.gen(function* () {
      const operation = "Authorization.capture"
      let amount = request.amount
      if (amount === undefined) {
        // Capturing "the rest" needs the amount held; the same amount on a replay keeps the body
        // identical, so Cashfree returns the stored answer instead of an idempotency error.
        const current = yield* readPayment(client, operation, request.payment)
        const rest = current.ledger.capturable > 0 ? current.ledger.capturable : current.ledger.authorized.amount
        amount = Money.unsafeMake(rest, current.amount.currency)
      }
      return yield* authorize(client, operation, request.payment, request.idempotencyKey, "CAPTURE", amount)
    }),
  void: (request) => authorize(client, "Authorization.void", request.payment, request.idempotencyKey, "VOID", undefined)
})

/**
 * The `Authorization` service over the `CashfreeClient`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Authorization.Authorization.Service, never, CashfreeClient> = Effect.map(
  CashfreeClient,
  (client) => Authorization.make(makeDriver(client))
)

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Authorization.Authorization, never, CashfreeClient> = Layer.effect(
  Authorization.Authorization,
  make
)
