/**
 * The `OtpAuthentication` port: complete a card payment's `Otp` action natively, without a
 * redirect, by submitting (or asking to resend) the one-time password.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import type { PaymentRef } from "./Ids.js"
import { inContext, operation, sameProvider } from "./internal/port.js"
import type { Payment } from "./Payment.js"
import { type OperationError, ValidationError } from "./PaymentError.js"

/**
 * @since 0.1.0
 * @category requests
 */
export interface SubmitInput {
  readonly payment: PaymentRef
  readonly otp: string | Redacted.Redacted<string>
}

/**
 * @since 0.1.0
 * @category requests
 */
export interface Submit {
  readonly payment: PaymentRef
  readonly otp: Redacted.Redacted<string>
}

/**
 * @since 0.1.0
 * @category tags
 */
export class OtpAuthentication extends Context.Tag("@payport/core/OtpAuthentication")<
  OtpAuthentication,
  OtpAuthentication.Service
>() {}

/**
 * @since 0.1.0
 * @category models
 */
export declare namespace OtpAuthentication {
  /** @since 0.1.0 */
  export interface Service {
    readonly provider: string
    /** Submit the OTP; a wrong one fails with `PaymentDeclined` (`authentication_failed`). */
    readonly submit: (input: SubmitInput) => Effect.Effect<Payment, OperationError>
    readonly resend: (payment: PaymentRef) => Effect.Effect<Payment, OperationError>
  }
  /** @since 0.1.0 */
  export interface Driver {
    readonly provider: string
    readonly submit: (input: Submit) => Effect.Effect<Payment, OperationError>
    readonly resend: (payment: PaymentRef) => Effect.Effect<Payment, OperationError>
  }
}

/**
 * Builds the service from a driver.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (driver: OtpAuthentication.Driver): OtpAuthentication.Service => {
  const { provider } = driver
  return OtpAuthentication.of({
    provider,
    submit: (input) => {
      const otp = Redacted.isRedacted(input.otp) ? input.otp : Redacted.make(input.otp)
      return sameProvider(provider, "payment", input.payment).pipe(
        Effect.zipRight(
          /^\d{4,8}$/.test(Redacted.value(otp))
            ? Effect.void
            : Effect.fail(new ValidationError({ field: "otp", reason: "must be 4 to 8 digits" }))
        ),
        inContext(provider, "OtpAuthentication.submit"),
        Effect.zipRight(Effect.suspend(() => driver.submit({ payment: input.payment, otp }))),
        operation("OtpAuthentication", "submit", provider)
      )
    },
    resend: (payment) =>
      sameProvider(provider, "payment", payment).pipe(
        inContext(provider, "OtpAuthentication.resend"),
        Effect.zipRight(Effect.suspend(() => driver.resend(payment))),
        operation("OtpAuthentication", "resend", provider)
      )
  })
}

/**
 * @since 0.1.0
 * @category accessors
 */
export const submit = Effect.serviceFunctionEffect(OtpAuthentication, (s) => s.submit)
/**
 * @since 0.1.0
 * @category accessors
 */
export const resend = Effect.serviceFunctionEffect(OtpAuthentication, (s) => s.resend)
