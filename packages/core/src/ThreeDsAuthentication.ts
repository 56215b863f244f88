/**
 * The `ThreeDsAuthentication` port: finish a card payment that waits in
 * `RequiresAction(ThreeDs)` once the payer has been through the 3-D Secure step.
 *
 * A payment whose card asks for 3-D Secure answers `RequiresAction` with a `ThreeDs` action (post
 * its `form` to its `url` in the payer's browser). When the payer comes back to your return URL,
 * call `complete` with the payment's ref. The provider decides the outcome from what the payer did:
 *
 * - authenticated (challenge passed, or frictionless after the fact): the payment is authorized,
 *   and captured when it was created with automatic capture;
 * - authentication failed or refused by the issuer: a `Failed` payment with its decline
 *   (`authentication_failed`), as every decline after an action is;
 * - not finished yet (the payer has not completed the challenge): the payment still waits in
 *   `RequiresAction`.
 *
 * Completing is idempotent. Its key is derived from the payment, so a second `complete` of the same
 * payment — a retry, a double submit of the return page, another process — answers the payment as
 * the first made it and moves no more money. A payment that never asked for 3-D Secure fails
 * `InvalidState`.
 *
 * Only adapters whose provider has such a step provide this port, so a layer without it makes code
 * that calls it fail to type-check rather than fail at run time.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Idempotency from "./Idempotency.js"
import type { IdempotencyKey, PaymentRef } from "./Ids.js"
import { inContext, operation, sameProvider } from "./internal/port.js"
import type { Payment } from "./Payment.js"
import type { OperationError, ValidationError } from "./PaymentError.js"

/**
 * @since 0.1.0
 * @category requests
 */
export interface CompleteInput {
  readonly payment: PaymentRef
  readonly idempotencyKey?: string
}

/**
 * The validated request: the idempotency key is filled in (derived from the payment by default).
 *
 * @since 0.1.0
 * @category requests
 */
export interface Complete {
  readonly payment: PaymentRef
  readonly idempotencyKey: IdempotencyKey
}

/**
 * @since 0.1.0
 * @category tags
 */
export class ThreeDsAuthentication extends Context.Tag("@payport/core/ThreeDsAuthentication")<
  ThreeDsAuthentication,
  ThreeDsAuthentication.Service
>() {}

/**
 * @since 0.1.0
 * @category models
 */
export declare namespace ThreeDsAuthentication {
  /**
   * What callers use.
   *
   * @since 0.1.0
   */
  export interface Service {
    readonly provider: string
    /**
     * Continue the payment after the payer's 3-D Secure step: `Authorized`/`Captured`, `Failed`
     * with the decline, or still `RequiresAction` if the payer has not finished. A payment that
     * never asked for 3-D Secure: `InvalidState`. A mutation that may have applied:
     * `OutcomeUnknown`.
     */
    readonly complete: (input: CompleteInput) => Effect.Effect<Payment, OperationError>
  }
  /**
   * What an adapter implements. `complete` must be idempotent under its key: a request whose
   * payment is already past the 3-D Secure step answers the payment as it is and sends nothing
   * that moves money.
   *
   * @since 0.1.0
   */
  export interface Driver {
    readonly provider: string
    readonly complete: (request: Complete) => Effect.Effect<Payment, OperationError>
  }
}

/**
 * Checks a completion request and fills in the idempotency key.
 *
 * @since 0.1.0
 * @category validation
 */
export const validateComplete = (input: CompleteInput): Effect.Effect<Complete, ValidationError> =>
  Effect.map(
    Idempotency.resolve(input.idempotencyKey, "threeDsComplete", [
      input.payment.provider,
      input.payment.orderId ?? "",
      input.payment.paymentId
    ]),
    (idempotencyKey) => ({ payment: input.payment, idempotencyKey })
  )

/**
 * Builds the service from a driver.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (driver: ThreeDsAuthentication.Driver): ThreeDsAuthentication.Service => {
  const { provider } = driver
  return ThreeDsAuthentication.of({
    provider,
    complete: (input) =>
      sameProvider(provider, "payment", input.payment).pipe(
        Effect.zipRight(validateComplete(input)),
        inContext(provider, "ThreeDsAuthentication.complete"),
        Effect.flatMap((request) => driver.complete(request)),
        operation("ThreeDsAuthentication", "complete", provider)
      )
  })
}

/**
 * @since 0.1.0
 * @category accessors
 */
export const complete = Effect.serviceFunctionEffect(ThreeDsAuthentication, (s) => s.complete)
