/**
 * The `Payments` port: take a payment (sale), read payments, refund them.
 *
 * Adapters implement a `Driver`; `make` turns it into the service, adding input validation,
 * idempotency keys, the provider check on refs, and a span per call (provider, operation, amount,
 * currency — never card data).
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import { OrderReference, type PaymentRef, type RefundRef, validate } from "./Ids.js"
import { inContext, moneyAttributes, operation, sameProvider } from "./internal/port.js"
import type { Payment } from "./Payment.js"
import type { OperationError } from "./PaymentError.js"
import * as PaymentRequest from "./PaymentRequest.js"
import type { Refund } from "./Refund.js"

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
    /** Take a payment, captured at once. May return `RequiresAction`; declines fail with `PaymentDeclined`. */
    readonly create: (input: PaymentRequest.CreatePaymentInput) => Effect.Effect<Payment, OperationError>
    /** Read a payment as the provider sees it now (a sync). */
    readonly get: (ref: PaymentRef) => Effect.Effect<Payment, OperationError>
    /** Every payment attempt for a merchant reference. */
    readonly list: (reference: string) => Effect.Effect<ReadonlyArray<Payment>, OperationError>
    /** Refund (part of) a captured payment. */
    readonly refund: (input: PaymentRequest.RefundInput) => Effect.Effect<Refund, OperationError>
    readonly getRefund: (ref: RefundRef) => Effect.Effect<Refund, OperationError>
    readonly listRefunds: (payment: PaymentRef) => Effect.Effect<ReadonlyArray<Refund>, OperationError>
  }

  /**
   * What an adapter implements: the same operations on validated input.
   *
   * @since 0.1.0
   */
  export interface Driver {
    readonly provider: string
    readonly create: (request: PaymentRequest.CreatePayment) => Effect.Effect<Payment, OperationError>
    readonly get: (ref: PaymentRef) => Effect.Effect<Payment, OperationError>
    readonly list: (reference: OrderReference) => Effect.Effect<ReadonlyArray<Payment>, OperationError>
    readonly refund: (request: PaymentRequest.Refund) => Effect.Effect<Refund, OperationError>
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
  const { provider } = driver
  const span = (name: string, attributes?: Parameters<typeof operation>[3]) =>
    operation("Payments", name, provider, attributes)
  return Payments.of({
    provider,
    create: (input) =>
      PaymentRequest.validateCreate(input, "automatic").pipe(
        inContext(provider, "Payments.create"),
        Effect.flatMap(driver.create),
        span("create", { ...moneyAttributes(input.amount), "payport.method": input.method._tag })
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
        Effect.flatMap(driver.refund),
        span("refund", moneyAttributes(input.amount))
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
