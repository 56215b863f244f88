/**
 * The `Authorization` port: hold funds, capture them (fully or in parts), or release them.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import { inContext, moneyAttributes, operation, sameProvider } from "./internal/port.js"
import type { Payment } from "./Payment.js"
import type { OperationError } from "./PaymentError.js"
import * as PaymentRequest from "./PaymentRequest.js"

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
    /** Hold funds; the payment ends `Authorized` (or `RequiresAction` first). */
    readonly authorize: (input: PaymentRequest.CreatePaymentInput) => Effect.Effect<Payment, OperationError>
    /** Capture part or all of what is held. Beyond the held amount: `InvalidState`. */
    readonly capture: (input: PaymentRequest.CaptureInput) => Effect.Effect<Payment, OperationError>
    /** Release what is held. After a capture: `InvalidState`. */
    readonly void: (input: PaymentRequest.VoidInput) => Effect.Effect<Payment, OperationError>
  }

  /**
   * What an adapter implements.
   *
   * @since 0.1.0
   */
  export interface Driver {
    readonly provider: string
    readonly authorize: (request: PaymentRequest.CreatePayment) => Effect.Effect<Payment, OperationError>
    readonly capture: (request: PaymentRequest.Capture) => Effect.Effect<Payment, OperationError>
    readonly void: (request: PaymentRequest.Void) => Effect.Effect<Payment, OperationError>
  }
}

/**
 * Builds the service from a driver.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (driver: Authorization.Driver): Authorization.Service => {
  const { provider } = driver
  const span = (name: string, attributes?: Parameters<typeof operation>[3]) =>
    operation("Authorization", name, provider, attributes)
  return Authorization.of({
    provider,
    authorize: (input) =>
      PaymentRequest.validateCreate(input, "manual").pipe(
        inContext(provider, "Authorization.authorize"),
        Effect.flatMap(driver.authorize),
        span("authorize", { ...moneyAttributes(input.amount), "payport.method": input.method._tag })
      ),
    capture: (input) =>
      sameProvider(provider, "payment", input.payment).pipe(
        Effect.zipRight(PaymentRequest.validateCapture(input)),
        inContext(provider, "Authorization.capture"),
        Effect.flatMap(driver.capture),
        span("capture", input.amount === undefined ? {} : moneyAttributes(input.amount))
      ),
    void: (input) =>
      sameProvider(provider, "payment", input.payment).pipe(
        Effect.zipRight(PaymentRequest.validateVoid(input)),
        inContext(provider, "Authorization.void"),
        Effect.flatMap(driver.void),
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
