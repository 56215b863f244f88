/**
 * The `Authorization` port: hold funds, capture them (fully or in parts), or release them.
 *
 * As in `Payments.make`, `make` owns the rules that must not differ between providers: a declared
 * currency list (`UnsupportedCurrency` before any I/O), the decline rule (a decline known in the
 * authorize's answer is `PaymentDeclined`; one after an action is a `Failed` payment seen through
 * `get` and webhooks), and the preconditions of capture and void (`StateMachine.require`, handed to
 * the driver as a guard to run on the payment before it sends, and used to explain a provider's
 * refusal).
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import type { CurrencyCode } from "./Currency.js"
import type { PaymentRef } from "./Ids.js"
import { inContext, moneyAttributes, operation, sameProvider } from "./internal/port.js"
import { declineAsError, explainRefusal, supportedCurrency } from "./internal/preconditions.js"
import type { Payment } from "./Payment.js"
import type { OperationError } from "./PaymentError.js"
import * as PaymentRequest from "./PaymentRequest.js"
import * as StateMachine from "./StateMachine.js"

/**
 * @since 0.1.0
 * @category tags
 */
export class Authorization extends Context.Tag("@payport/core/Authorization")<Authorization, Authorization.Service>() {}

/**
 * @since 0.1.0
 * @category models
 */
export declare namespace Authorization {
  /**
   * What callers use.
   *
   * @since 0.1.0
   */
  export interface Service {
    readonly provider: string
    /** The currencies the provider takes payments in, when it declares them; any other fails `UnsupportedCurrency`. */
    readonly currencies?: ReadonlyArray<CurrencyCode> | undefined
    /**
     * Hold funds; the payment ends `Authorized` (or `RequiresAction` first). A decline known in the
     * provider's answer fails with `PaymentDeclined`; one after the action is a `Failed` payment
     * seen through `get` and webhooks.
     */
    readonly authorize: (input: PaymentRequest.CreatePaymentInput) => Effect.Effect<Payment, OperationError>
    /**
     * Capture part or all of what is held. In another currency than the hold's: `ValidationError`
     * (field `amount.currency`); beyond the held amount, or nothing held: `InvalidState`. Either way
     * nothing is sent.
     */
    readonly capture: (input: PaymentRequest.CaptureInput) => Effect.Effect<Payment, OperationError>
    /** Release what is held. After a capture: `InvalidState`. */
    readonly void: (input: PaymentRequest.VoidInput) => Effect.Effect<Payment, OperationError>
  }

  /**
   * What an adapter implements.
   *
   * - `currencies`: the currencies the provider supports, when it declares them.
   * - `authorize` may answer a hold that failed at once as `Failed{decline}`; `make` turns it into
   *   `PaymentDeclined`.
   * - `capture` and `void` receive `guard` (`StateMachine.require` bound to the request) and run it
   *   on the payment they have read or hold before sending, after recognising a replay of an
   *   earlier request with the same key. A driver that cannot read the payment without an extra
   *   request sends without it only when the provider itself refuses what the guard refuses (a
   *   void has no amount, so no currency to check); `make` explains such a refusal with the same
   *   guard, reading the payment through `get`.
   *
   * @since 0.1.0
   */
  export interface Driver {
    readonly provider: string
    readonly currencies?: ReadonlyArray<CurrencyCode> | undefined
    /**
     * The options the adapter reads under its own key of `providerOptions`; any other there fails
     * `ValidationError` before the driver runs. Default: none.
     */
    readonly providerOptions?: ReadonlyArray<string> | undefined
    readonly authorize: (request: PaymentRequest.CreatePayment) => Effect.Effect<Payment, OperationError>
    readonly capture: (
      request: PaymentRequest.Capture,
      guard: StateMachine.Guard
    ) => Effect.Effect<Payment, OperationError>
    readonly void: (request: PaymentRequest.Void, guard: StateMachine.Guard) => Effect.Effect<Payment, OperationError>
    /** Reads a payment as the provider sees it now: what a refusal is explained from. */
    readonly get: (ref: PaymentRef) => Effect.Effect<Payment, OperationError>
  }
}

/**
 * Builds the service from a driver.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (driver: Authorization.Driver): Authorization.Service => {
  const { provider, currencies } = driver
  const providerOptions = driver.providerOptions ?? []
  const span = (name: string, attributes?: Parameters<typeof operation>[3]) =>
    operation("Authorization", name, provider, attributes)
  return Authorization.of({
    provider,
    ...(currencies === undefined ? {} : { currencies }),
    authorize: (input) =>
      PaymentRequest.validateCreate(input, "manual").pipe(
        Effect.tap(() => PaymentRequest.validateProviderOptions(input.providerOptions, provider, providerOptions)),
        inContext(provider, "Authorization.authorize"),
        Effect.tap((request) => supportedCurrency(provider, "Authorization.authorize", currencies, request.amount)),
        Effect.flatMap(driver.authorize),
        Effect.flatMap(declineAsError(provider, "Authorization.authorize")),
        span("authorize", () => ({ ...moneyAttributes(input.amount), "payport.method": input.method._tag }))
      ),
    capture: (input) =>
      sameProvider(provider, "payment", input.payment).pipe(
        Effect.zipRight(PaymentRequest.validateCapture(input)),
        inContext(provider, "Authorization.capture"),
        Effect.flatMap((request) => {
          const guard = StateMachine.guard("capture", request.amount, { provider, operation: "Authorization.capture" })
          return driver
            .capture(request, guard)
            .pipe(Effect.catchAll(explainRefusal(driver.get, request.payment, guard)))
        }),
        span("capture", () => (input.amount === undefined ? {} : moneyAttributes(input.amount)))
      ),
    void: (input) =>
      sameProvider(provider, "payment", input.payment).pipe(
        Effect.zipRight(PaymentRequest.validateVoid(input)),
        inContext(provider, "Authorization.void"),
        Effect.flatMap((request) => {
          const guard = StateMachine.guard("void", undefined, { provider, operation: "Authorization.void" })
          return driver.void(request, guard).pipe(Effect.catchAll(explainRefusal(driver.get, request.payment, guard)))
        }),
        span("void")
      )
  })
}

/**
 * @since 0.1.0
 * @category accessors
 */
export const authorize = Effect.serviceFunctionEffect(Authorization, (s) => s.authorize)
/**
 * @since 0.1.0
 * @category accessors
 */
export const capture = Effect.serviceFunctionEffect(Authorization, (s) => s.capture)
const voidAuthorization = Effect.serviceFunctionEffect(Authorization, (s) => s.void)
export {
  /**
   * @since 0.1.0
   * @category accessors
   */
  voidAuthorization as void
}
