/**
 * The completion of a payment that waits on 3-D Secure: the final authorization, made at most once
 * per payment. Its `transactionId` is derived from the payment's id, so however many completions
 * run (replays, double submits, other processes, other keys), CyberSource accepts one and refuses
 * the others as repeats, which are answered with what the first made (`resolved.ts` reads it).
 */
import { Payment as PaymentClass, type PaymentStatus } from "@payport/core/Payment"
import type { Payment } from "@payport/core/Payment"
import * as Ledger from "@payport/core/Ledger"
import { InvalidRequest, InvalidState, type OperationError } from "@payport/core/PaymentError"
import type * as ThreeDsAuthentication from "@payport/core/ThreeDsAuthentication"
import * as Crypto from "@payport/core/Crypto"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type { Call, Response, Service } from "../CyberSourceClient.js"
import { paymentCall, threeDs } from "./create.js"
import { decode, invalid, PROVIDER } from "./errors.js"
import { executeWith, readBefore } from "./followOns.js"
import { clientReference } from "./keys.js"
import * as Mapping from "./mapping.js"
import * as PayerAuthentication from "./payerAuthentication.js"
import type { PaymentRecord } from "./records.js"
import { isWaiting, readResolved } from "./resolved.js"
import { amountDetails, declineOf } from "./values.js"
import * as Wire from "./wire.js"

/** The `transactionId` tag of the final authorization of payment `id`: one per payment, whatever the key. */
const completionTag = (id: string): Effect.Effect<string> =>
  Effect.map(Crypto.sha256(`payport-3ds-completion:${id}`), (digest) => Crypto.toHex(digest).slice(0, 30))

const invalidState = (operation: string, reason: string) => new InvalidState({ provider: PROVIDER, operation, reason })

/** The `POST /pts/v2/payments` body of the final authorization of the waiting payment `x`. */
const finalBody = (
  x: PaymentRecord,
  tag: string,
  operation: string
): Effect.Effect<Record<string, unknown>, OperationError> => {
  const d = x.details
  const source = PayerAuthentication.sourceOf(d)
  const authenticationTransactionId = d.consumerAuthenticationInformation?.transactionId
  if (Option.isNone(source)) {
    return Effect.fail(invalidState(operation, "the payment records no card to complete it with"))
  }
  if (authenticationTransactionId === undefined) {
    return Effect.fail(invalidState(operation, "the payment shows no payer authentication"))
  }
  const card = d.paymentInformation?.card
  const paymentInformation =
    source.value._tag === "paymentInstrument"
      ? { paymentInstrument: { id: source.value.id } }
      : {
          instrumentIdentifier: { id: source.value.id },
          card: {
            ...(card?.expirationMonth === undefined ? {} : { expirationMonth: card.expirationMonth }),
            ...(card?.expirationYear === undefined ? {} : { expirationYear: card.expirationYear }),
            ...(card?.type === undefined ? {} : { type: card.type })
          }
        }
  const payment = x.payment
  return Effect.succeed({
    clientReferenceInformation: clientReference(tag, payment.reference),
    processingInformation: {
      capture: payment.captureMode === "automatic",
      actionList: ["VALIDATE_CONSUMER_AUTHENTICATION"]
    },
    paymentInformation,
    orderInformation: { amountDetails: amountDetails(payment.amount) },
    consumerAuthenticationInformation: { authenticationTransactionId },
    merchantDefinedInformation: [PayerAuthentication.completesField(payment.ref.paymentId)]
  })
}

/** The payment `x` as the final authorization's 201 leaves it (a decline is a `Failed` payment). */
const answered = (call: Call, x: PaymentRecord, response: Response): Effect.Effect<Payment, OperationError> =>
  Effect.gen(function* () {
    const body = yield* decode(Wire.PaymentResponse, call)(response)
    const klass = Mapping.statusClass(body.status)
    const payment = x.payment
    if (body.status.toUpperCase() === "INVALID_REQUEST") {
      return yield* new InvalidRequest({
        provider: PROVIDER,
        operation: call.operation,
        httpStatus: response.status,
        details: body.errorInformation?.reason ?? body.errorInformation?.message ?? "INVALID_REQUEST"
      })
    }
    const sale = payment.captureMode === "automatic"
    switch (klass) {
      case "approved":
      case "pending":
      case "settled":
        return PaymentClass.make({
          ...payment,
          status: { _tag: sale ? "Captured" : "Authorized" },
          ledger: sale ? Ledger.captured(payment.amount) : Ledger.authorized(payment.amount),
          ...Mapping.processorField(body.processorInformation, body.submitTimeUtc)
        })
      case "declined":
      case "failed":
        return PaymentClass.make({
          ...payment,
          status: { _tag: "Failed", decline: declineOf(body.status, body.errorInformation?.reason) }
        })
      case "challenge":
        // The payer has not finished: the step-up is handed out again, nothing was authorized.
        return PaymentClass.make({
          ...payment,
          status: Option.match(threeDs(body), {
            onNone: (): PaymentStatus => payment.status,
            onSome: (action): PaymentStatus => ({ _tag: "RequiresAction", action })
          })
        })
      case "review":
        return PaymentClass.make({ ...payment, status: { _tag: "Processing" } })
      default:
        return yield* Effect.fail(invalid(call, response, `unexpected status ${body.status}`))
    }
  })

/**
 * Completes a payment that waits on 3-D Secure: the final authorization validates the payer's
 * authentication inside CyberSource and authorizes with its result, paying with the token the
 * payment recorded (nothing is kept between `create` and this call). A payment already completed
 * is answered as it is; one the payer has not finished still waits.
 */
export const completeOnce = (
  client: Service,
  request: ThreeDsAuthentication.Complete
): Effect.Effect<Payment, OperationError> =>
  Effect.gen(function* () {
    const operation = "ThreeDsAuthentication.complete"
    const id = request.payment.paymentId
    const x = yield* readBefore(client, id, operation, request.idempotencyKey)
    // Completed already (by this or another process): the payment as that completion left it.
    if (x.authorization !== id) return x.payment
    if (!isWaiting(x)) return yield* invalidState(operation, "the payment is not waiting on 3-D Secure")
    const tag = yield* completionTag(id)
    const call = paymentCall(operation, yield* finalBody(x, tag, operation), request.idempotencyKey, id)
    // A refused repeat (another completion made the authorization): answer what it made.
    const reconcile = Effect.map(readResolved(client, id, operation), (r) =>
      r.authorization === id ? Option.none<Payment>() : Option.some(r.payment)
    )
    return yield* executeWith(client, reconcile)(call, (response) => answered(call, x, response))
  })
