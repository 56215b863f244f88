/**
 * The `OtpAuthentication` port: Cashfree's native OTP for cards paid through the `post` channel,
 * `POST /orders/pay/authenticate/{cf_payment_id}` with `SUBMIT_OTP` or `RESEND_OTP`. Like Order
 * Pay, this call carries no credentials and no idempotency key (as documented), so a lost answer
 * leaves the outcome unknown and only a read of the payment resolves it.
 *
 * @since 0.1.0
 */
import type { PaymentRef } from "@payport/core/Ids"
import * as OtpAuthentication from "@payport/core/OtpAuthentication"
import type { Payment } from "@payport/core/Payment"
import { Decline, type OperationError, PaymentDeclined } from "@payport/core/PaymentError"
import * as Redaction from "@payport/core/Redaction"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import { CashfreeClient } from "./CashfreeClient.js"
import { authenticateStatuses, PROVIDER } from "./internal/mapping.js"
import { orInvalid, readPayment } from "./internal/orders.js"
import * as Wire from "./internal/wire.js"

/**
 * What `RESEND_OTP` sends as `otp`: the field is required by the schema for both actions, and an
 * empty value could read as "missing", so a fixed placeholder is sent; Cashfree ignores it.
 *
 * @since 0.1.0
 * @category constants
 */
export const RESEND_PLACEHOLDER = "000000"

const authenticate = (
  client: CashfreeClient.Service,
  operation: string,
  payment: PaymentRef,
  action: "SUBMIT_OTP" | "RESEND_OTP",
  otp: Redacted.Redacted<string>
): Effect.Effect<Payment, OperationError> =>
  Effect.gen(function* () {
    const response = yield* client.request({
      operation,
      method: "POST",
      path: `/orders/pay/authenticate/${encodeURIComponent(payment.paymentId)}`,
      authenticated: false,
      body: () => ({ otp: Redacted.value(otp), action }),
      schema: Wire.OrderAuthenticateEntity,
      resource: { name: "payment", id: payment.paymentId }
    })
    const status = response.body.authenticate_status
    const accepted = yield* orInvalid(operation, response.body, { mutating: true })(
      Object.hasOwn(authenticateStatuses, status)
        ? Either.right(authenticateStatuses[status as keyof typeof authenticateStatuses])
        : Either.left(`unknown authenticate_status ${JSON.stringify(status)}`)
    )
    if (action === "SUBMIT_OTP" && !accepted) {
      return yield* new PaymentDeclined({
        provider: PROVIDER,
        operation,
        requestId: response.requestId,
        decline: Decline.of("authentication_failed", { providerCode: "otp_invalid" }),
        raw: Redaction.raw(JSON.stringify(response.body))
      })
    }
    return yield* readPayment(client, operation, payment, {
      action: { _tag: "Otp", resendable: action === "SUBMIT_OTP" || accepted }
    })
  })

/**
 * The Cashfree driver of the `OtpAuthentication` port.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeDriver = (client: CashfreeClient.Service): OtpAuthentication.OtpAuthentication.Driver => ({
  provider: PROVIDER,
  submit: (input) => authenticate(client, "OtpAuthentication.submit", input.payment, "SUBMIT_OTP", input.otp),
  resend: (payment) =>
    authenticate(client, "OtpAuthentication.resend", payment, "RESEND_OTP", Redacted.make(RESEND_PLACEHOLDER))
})

/**
 * The `OtpAuthentication` service over the `CashfreeClient`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<OtpAuthentication.OtpAuthentication.Service, never, CashfreeClient> = Effect.map(
  CashfreeClient,
  (client) => OtpAuthentication.make(makeDriver(client))
)

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<OtpAuthentication.OtpAuthentication, never, CashfreeClient> = Layer.effect(
  OtpAuthentication.OtpAuthentication,
  make
)
