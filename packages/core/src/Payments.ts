/**
 * The `Payments` port: take a payment (sale), read payments, refund them.
 *
 * Adapters implement a `Driver`; `make` turns it into the service, adding input validation,
 * idempotency keys, the provider check on refs, and a span per call (provider, operation, amount,
 * currency — never card data).
 *
 * `make` owns the rules that must not differ between providers:
 *
 * - **Currencies.** A driver that declares `currencies` gets no create in another currency: it
 *   fails with `UnsupportedCurrency` before any I/O.
 * - **Declines.** A decline known in the create's answer is `PaymentDeclined`, carrying the
 *   decline (code, hard or soft, the provider's code). A payment that fails later — after an
 *   action such as an OTP or 3-D Secure, or asynchronously — is observed as `Failed{decline}`
 *   through `get` and webhooks. A driver may answer a create with a `Failed` payment; `make` turns
 *   it into `PaymentDeclined`, so `catchTag("PaymentDeclined")` runs on every provider.
 * - **Preconditions.** Whether a refund may run is `StateMachine.require`: `make` hands the
 *   driver a guard (the rule bound to the request) that the driver runs on the payment before it
 *   sends the refund — so a refund in another currency (`ValidationError`), of a payment not
 *   captured, or beyond what is refundable (`InvalidState`) moves no money. When the provider
 *   refuses a refund as a malformed request, `make` reads the payment and explains the refusal with
 *   the same rule.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import type { CurrencyCode } from "./Currency.js"
import { OrderReference, type PaymentRef, type RefundRef, validate } from "./Ids.js"
import { inContext, moneyAttributes, operation, sameProvider } from "./internal/port.js"
import { declineAsError, explainRefusal, supportedCurrency } from "./internal/preconditions.js"
import type { Payment } from "./Payment.js"
import type { OperationError } from "./PaymentError.js"
import * as PaymentRequest from "./PaymentRequest.js"
import type { Refund } from "./Refund.js"
import * as StateMachine from "./StateMachine.js"

/**
 * @since 0.1.0
 * @category tags
 */
export class Payments extends Context.Tag("@payport/core/Payments")<Payments, Payments.Service>() {}

/**
 * @since 0.1.0
 * @category models
 */
export declare namespace Payments {
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
     * Take a payment, captured at once. May return `RequiresAction`. A decline known in the
     * provider's answer fails with `PaymentDeclined`; one after the action is a `Failed` payment
     * seen through `get` and webhooks. A currency the provider does not take: `UnsupportedCurrency`.
     */
    readonly create: (input: PaymentRequest.CreatePaymentInput) => Effect.Effect<Payment, OperationError>
    /** Read a payment as the provider sees it now (a sync). */
    readonly get: (ref: PaymentRef) => Effect.Effect<Payment, OperationError>
    /** Every payment attempt for a merchant reference. */
    readonly list: (reference: string) => Effect.Effect<ReadonlyArray<Payment>, OperationError>
    /**
     * Refund (part of) a captured payment. In another currency than the payment's:
     * `ValidationError` (field `amount.currency`); not captured, or beyond what is still
     * refundable: `InvalidState`. Either way nothing is sent.
     */
    readonly refund: (input: PaymentRequest.RefundInput) => Effect.Effect<Refund, OperationError>
    readonly getRefund: (ref: RefundRef) => Effect.Effect<Refund, OperationError>
    readonly listRefunds: (payment: PaymentRef) => Effect.Effect<ReadonlyArray<Refund>, OperationError>
  }

  /**
   * What an adapter implements: the same operations on validated input.
   *
   * - `currencies`: the currencies the provider supports, when it declares them.
   * - `create` may answer a payment that failed at once as `Failed{decline}`; `make` turns it into
   *   `PaymentDeclined`.
   * - `refund` receives `guard` (`StateMachine.require` bound to the request) and runs it on the
   *   payment it has read or holds before sending the refund, after recognising a replay of an
   *   earlier request with the same key (which answers what that request answered). A driver that
   *   cannot read the payment without an extra request sends without it only when the provider
   *   itself refuses what the guard refuses; `make` explains such a refusal with the same guard.
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
    readonly create: (request: PaymentRequest.CreatePayment) => Effect.Effect<Payment, OperationError>
    readonly get: (ref: PaymentRef) => Effect.Effect<Payment, OperationError>
    readonly list: (reference: OrderReference) => Effect.Effect<ReadonlyArray<Payment>, OperationError>
    readonly refund: (
      request: PaymentRequest.Refund,
      guard: StateMachine.Guard
    ) => Effect.Effect<Refund, OperationError>
    readonly getRefund: (ref: RefundRef) => Effect.Effect<Refund, OperationError>
    readonly listRefunds: (payment: PaymentRef) => Effect.Effect<ReadonlyArray<Refund>, OperationError>
  }
}

/**
 * Builds the service from a driver.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (driver: Payments.Driver): Payments.Service => {
  const { provider, currencies } = driver
  const providerOptions = driver.providerOptions ?? []
  const span = (name: string, attributes?: Parameters<typeof operation>[3]) =>
    operation("Payments", name, provider, attributes)
  return Payments.of({
    provider,
    ...(currencies === undefined ? {} : { currencies }),
    create: (input) =>
      PaymentRequest.validateCreate(input, "automatic").pipe(
        Effect.tap(() => PaymentRequest.validateProviderOptions(input.providerOptions, provider, providerOptions)),
        inContext(provider, "Payments.create"),
        Effect.tap((request) => supportedCurrency(provider, "Payments.create", currencies, request.amount)),
        Effect.flatMap(driver.create),
        Effect.flatMap(declineAsError(provider, "Payments.create")),
        span("create", () => ({ ...moneyAttributes(input.amount), "payport.method": input.method._tag }))
      ),
    get: (ref) =>
      sameProvider(provider, "payment", ref).pipe(
        inContext(provider, "Payments.get"),
        Effect.zipRight(Effect.suspend(() => driver.get(ref))),
        span("get")
      ),
    list: (reference) =>
      validate(
        OrderReference,
        "reference"
      )(reference).pipe(inContext(provider, "Payments.list"), Effect.flatMap(driver.list), span("list")),
    refund: (input) =>
      sameProvider(provider, "payment", input.payment).pipe(
        Effect.zipRight(PaymentRequest.validateRefund(input)),
        inContext(provider, "Payments.refund"),
        Effect.flatMap((request) => {
          const guard = StateMachine.guard("refund", request.amount, { provider, operation: "Payments.refund" })
          return driver.refund(request, guard).pipe(Effect.catchAll(explainRefusal(driver.get, request.payment, guard)))
        }),
        span("refund", () => moneyAttributes(input.amount))
      ),
    getRefund: (ref) =>
      sameProvider(provider, "refund", ref).pipe(
        inContext(provider, "Payments.getRefund"),
        Effect.zipRight(Effect.suspend(() => driver.getRefund(ref))),
        span("getRefund")
      ),
    listRefunds: (payment) =>
      sameProvider(provider, "payment", payment).pipe(
        inContext(provider, "Payments.listRefunds"),
        Effect.zipRight(Effect.suspend(() => driver.listRefunds(payment))),
        span("listRefunds")
      )
  })
}

/**
 * @since 0.1.0
 * @category accessors
 */
export const create = Effect.serviceFunctionEffect(Payments, (s) => s.create)
/**
 * @since 0.1.0
 * @category accessors
 */
export const get = Effect.serviceFunctionEffect(Payments, (s) => s.get)
/**
 * @since 0.1.0
 * @category accessors
 */
export const list = Effect.serviceFunctionEffect(Payments, (s) => s.list)
/**
 * @since 0.1.0
 * @category accessors
 */
export const refund = Effect.serviceFunctionEffect(Payments, (s) => s.refund)
/**
 * @since 0.1.0
 * @category accessors
 */
export const getRefund = Effect.serviceFunctionEffect(Payments, (s) => s.getRefund)
/**
 * @since 0.1.0
 * @category accessors
 */
export const listRefunds = Effect.serviceFunctionEffect(Payments, (s) => s.listRefunds)
