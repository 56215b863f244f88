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
import type * as StateMachine from "@payport/core/StateMachine"
import * as Either from "effect/Either"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { CashfreeClient } from "./CashfreeClient.js"
import { currencies } from "./CashfreeCurrencies.js"
import { PROVIDER } from "./internal/mapping.js"
import { afterCommit, beforeSend, checkout, orderIdOf, readPayment, toPayments } from "./internal/orders.js"
import { providerOptionNames } from "./internal/requests.js"
import * as Wire from "./internal/wire.js"

type Client = CashfreeClient.Service

const segment = (value: string) => encodeURIComponent(value)

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
    const response = yield* client.request({
      operation,
      method: "POST",
      path: `/orders/${segment(orderId)}/authorization`,
      body: () => ({ action, amount: amount === undefined ? undefined : new Wire.Decimal(Money.toDecimal(amount)) }),
      idempotencyKey,
      schema: Wire.PaymentEntity,
      resource: { name: "order", id: orderId }
    })
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
    // The action and its read-back are one operation: one deadline.
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
  currencies,
  providerOptions: providerOptionNames,
  authorize: (request) => checkout(client, request, "Authorization.authorize"),
  get: (ref) => readPayment(client, "Authorization.get", ref),
  capture: (request, guard) =>
    Effect.gen(function* () {
      const operation = "Authorization.capture"
      // Cashfree's capture carries only a decimal amount, so the hold is read first: a capture in
      // another currency, or one the hold does not allow, is refused before anything is sent.
      const current = yield* beforeSend(readPayment(client, operation, request.payment))
      const replay = yield* mayCapture(operation, current, request.amount, guard)
      // Capturing "the rest" needs the amount held; the same amount on a replay keeps the body
      // identical, so Cashfree returns the stored answer instead of an idempotency error.
      const rest = current.ledger.capturable > 0 ? current.ledger.capturable : current.ledger.authorized.amount
      const amount = request.amount ?? Money.unsafeMake(rest, current.amount.currency)
      return yield* authorize(client, operation, request.payment, request.idempotencyKey, "CAPTURE", amount).pipe(
        // Sent as a possible replay and refused: it was not one, and the hold is already captured.
        Effect.catchTag("InvalidRequest", (refused) =>
          Effect.fail(
            replay
              ? new InvalidState({
                  provider: refused.provider,
                  operation: refused.operation,
                  reason: "Cashfree captures a hold once; it was already captured",
                  ...(refused.httpStatus === undefined ? {} : { httpStatus: refused.httpStatus }),
                  ...(refused.requestId === undefined ? {} : { requestId: refused.requestId }),
                  ...(refused.raw === undefined ? {} : { raw: refused.raw })
                })
              : refused
          )
        )
      )
    }).pipe(
      // The hold's read, the capture and its read-back are one operation: one deadline.
      HttpPolicy.withOperationDeadline(client.config.timing.deadline)
    ),
  // A void names no amount, so there is nothing Cashfree would take wrongly: it is sent without a
  // read, and core explains a refusal with the same guard.
  void: (request) => authorize(client, "Authorization.void", request.payment, request.idempotencyKey, "VOID", undefined)
})

/**
 * Core's guard, then Cashfree's own rule (a hold is captured once; the rest is released). A hold
 * already captured by exactly this amount (or, without an amount, captured at all) may be this
 * request's own earlier capture: Cashfree answers its replay from its idempotency store, so it is
 * sent, and the answer is `true` (a refusal then means the hold was captured by another request).
 * A currency mismatch is never sent.
 */
const mayCapture = (
  operation: string,
  current: Payment,
  amount: Money.Money | undefined,
  guard: StateMachine.Guard
): Effect.Effect<boolean, OperationError> => {
  const captured = current.ledger.captured.amount
  const replay = captured > 0 && (amount === undefined || amount.amount === captured)
  const verdict = guard(current)
  if (Either.isLeft(verdict)) {
    return verdict.left._tag === "InvalidState" && replay ? Effect.succeed(true) : Effect.fail(verdict.left)
  }
  if (captured === 0) return Effect.succeed(false)
  return replay
    ? Effect.succeed(true)
    : Effect.fail(
        new InvalidState({
          provider: PROVIDER,
          operation,
          reason: "Cashfree captures a hold once; the rest was released"
        })
      )
}

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
