import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type { CurrencyCode } from "../Currency.js"
import type { PaymentRef } from "../Ids.js"
import type { Money } from "../Money.js"
import type { Payment } from "../Payment.js"
import {
  InvalidState,
  type OperationError,
  PaymentDeclined,
  UnsupportedCurrency,
  ValidationError
} from "../PaymentError.js"
import type * as StateMachine from "../StateMachine.js"

/** The provider context of an error, for a refusal raised on its behalf. */
const contextOf = (error: OperationError) => ({
  provider: error.provider,
  operation: error.operation,
  ...(error.httpStatus === undefined ? {} : { httpStatus: error.httpStatus }),
  ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
  ...(error.raw === undefined ? {} : { raw: error.raw })
})

/**
 * When the provider refuses a mutation as a malformed request, the payment's state usually says
 * why (already captured, voided, not enough left): read the payment and apply the same guard that
 * runs before sending. A refusal it explains replaces the provider's error, keeping its context;
 * otherwise (or when the read fails) the provider's error stands.
 */
export const explainRefusal =
  (get: (ref: PaymentRef) => Effect.Effect<Payment, OperationError>, ref: PaymentRef, guard: StateMachine.Guard) =>
  (error: OperationError): Effect.Effect<never, OperationError> =>
    error._tag !== "InvalidRequest"
      ? Effect.fail(error)
      : Effect.flatMap(Effect.either(get(ref)), (read): Effect.Effect<never, OperationError> => {
          if (Either.isLeft(read)) return Effect.fail(error)
          const verdict = guard(read.right)
          if (Either.isRight(verdict)) return Effect.fail(error)
          const refusal = verdict.left
          return Effect.fail(
            refusal._tag === "ValidationError"
              ? new ValidationError({ ...contextOf(error), field: refusal.field, reason: refusal.reason })
              : new InvalidState({ ...contextOf(error), reason: refusal.reason })
          )
        })

/**
 * The decline rule: a decline known in the answer to a create or authorize is `PaymentDeclined`,
 * carrying the decline; only a payment that fails later (after an action, or asynchronously) is
 * observed as `Failed`, through `get` and webhooks.
 */
export const declineAsError =
  (provider: string, operation: string) =>
  (payment: Payment): Effect.Effect<Payment, PaymentDeclined> =>
    payment.status._tag === "Failed"
      ? Effect.fail(new PaymentDeclined({ provider, operation, decline: payment.status.decline }))
      : Effect.succeed(payment)

/** Fails with `UnsupportedCurrency` before any I/O when the provider declares its currencies and this is not one. */
export const supportedCurrency = (
  provider: string,
  operation: string,
  currencies: ReadonlyArray<CurrencyCode> | undefined,
  amount: Money
): Effect.Effect<void, UnsupportedCurrency> =>
  currencies === undefined || currencies.includes(amount.currency)
    ? Effect.void
    : Effect.fail(new UnsupportedCurrency({ provider, operation, currency: amount.currency }))
