/**
 * The `Payments` port on CyberSource: sales (`capture: true`), reads through Transaction Search
 * (details by id, search by merchant reference), and refunds of a payment or of a capture.
 *
 * @since 0.1.0
 */
import * as HttpPolicy from "@payport/core/HttpPolicy"
import { type PaymentRef, RefundRef } from "@payport/core/Ids"
import type * as Money from "@payport/core/Money"
import { NotFound, type OperationError, ProviderResponseInvalid } from "@payport/core/PaymentError"
import type * as PaymentRequest from "@payport/core/PaymentRequest"
import type * as StateMachine from "@payport/core/StateMachine"
import * as Payments from "@payport/core/Payments"
import { Refund } from "@payport/core/Refund"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { type Call, CyberSourceClient, invalid, PROVIDER, type Service } from "./CyberSourceClient.js"
import { currencies } from "./CyberSourceCurrencies.js"
import * as Tx from "./internal/transactions.js"
import { ownedInstrument } from "./internal/ownership.js"

const refundAt = (
  client: Service,
  path: string,
  payment: PaymentRef,
  request: {
    readonly amount: Money.Money
    readonly reference?: string | undefined
    readonly idempotencyKey: string
  },
  operation: string,
  tag: string
): Effect.Effect<Refund, OperationError> => {
  const call: Call = {
    operation,
    method: "POST",
    path,
    api: "pts",
    mutating: true,
    resource: "payment",
    resourceId: payment.paymentId,
    idempotencyKey: request.idempotencyKey,
    body: {
      clientReferenceInformation: Tx.clientReference(tag, request.reference),
      orderInformation: { amountDetails: Tx.amountDetails(request.amount) }
    }
  }
  const refunded = (r: Tx.PaymentRecord) => Tx.refundedBefore(r, tag, request.amount, operation, request.idempotencyKey)
  const execute = Tx.executeWith(client, Tx.reconcileWith(client, payment.paymentId, operation, refunded))
  return execute(call, (response) =>
    Effect.flatMap(Tx.followOn(call, response), ({ body }) =>
      Effect.gen(function* () {
        const details = body.refundAmountDetails
        const amount = Option.getOrElse(
          Tx.money(
            details?.refundAmount ?? body.orderInformation?.amountDetails?.totalAmount,
            details?.currency ?? request.amount.currency
          ),
          () => request.amount
        )
        // A refund was made (the status decoded), so an id that is no usable refund id leaves the
        // outcome unknown rather than throwing.
        if (!Tx.isRefundId(body.id)) return yield* Effect.fail(invalid(call, response, "the refund id is not usable"))
        return Refund.make({
          ref: RefundRef.make({
            provider: PROVIDER,
            refundId: body.id,
            payment: Tx.paymentRef(payment.paymentId)
          }),
          amount,
          status: Tx.refundStatus(body.status, body.errorInformation?.reason),
          ...(request.reference === undefined ? {} : { reference: request.reference }),
          createdAt: yield* Tx.createdAt(body.submitTimeUtc)
        })
      })
    )
  )
}

/**
 * Refunds (part of) one capture of a payment (`POST /pts/v2/captures/{id}/refunds`), for merchants
 * who refund per capture. `payment` is the payment the capture belongs to.
 *
 * @since 0.1.0
 * @category provider operations
 */
export const refundCapture = (input: {
  readonly captureId: string
  readonly payment: PaymentRef
  readonly amount: Money.Money
  readonly reference?: string
  readonly idempotencyKey: string
}): Effect.Effect<Refund, OperationError, CyberSourceClient> =>
  Effect.flatMap(Effect.zip(CyberSourceClient, Tx.keyTag(input.idempotencyKey)), ([client, tag]) =>
    refundAt(
      client,
      `/pts/v2/captures/${encodeURIComponent(input.captureId)}/refunds`,
      input.payment,
      input,
      "CyberSource.refundCapture",
      tag
    )
  )

/**
 * The `Payments` service over the `CyberSourceClient`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Payments.Payments.Service, never, CyberSourceClient> = Effect.gen(function* () {
  const client = yield* CyberSourceClient

  const refund = (request: PaymentRequest.Refund, guard: StateMachine.Guard) =>
    Effect.gen(function* () {
      const operation = "Payments.refund"
      const tag = yield* Tx.keyTag(request.idempotencyKey)
      const key = request.idempotencyKey
      const record = yield* Tx.readBefore(client, request.payment.paymentId, operation, key)
      const payment = record.payment
      // A replayed key: answer the refund it made; nothing is sent again.
      const earlier = Tx.refundedBefore(record, tag, request.amount, operation, key)
      if (Option.isSome(earlier)) return yield* earlier.value
      // Core's rule, before anything is sent: the currency, the status, and what is still refundable.
      yield* guard(payment)
      return yield* refundAt(
        client,
        `/pts/v2/payments/${encodeURIComponent(record.authorization)}/refunds`,
        payment.ref,
        request,
        operation,
        tag
      )
    })

  const refundsOf = (ref: PaymentRef, operation: string) =>
    Effect.gen(function* () {
      const { payment, related } = yield* Tx.readResolved(client, ref.paymentId, operation)
      // Every related refund is listed, or the list fails: a refund record without a usable id or
      // amount is a response that does not make sense, not one to leave out.
      return yield* Effect.forEach(
        related.filter((r) => r.kind === "refund"),
        (r) =>
          Effect.flatMap(Tx.refundFromRecord(r, payment.ref, payment.amount.currency), (refund) =>
            Option.match(refund, {
              onNone: () =>
                Effect.fail(
                  new ProviderResponseInvalid({
                    provider: PROVIDER,
                    operation,
                    reason: `refund ${r.details.id} of payment ${ref.paymentId} has no usable id or amount`
                  })
                ),
              onSome: Effect.succeed
            })
          )
      )
    })

  // Each operation spans several requests (reads, the mutation, reconciles): one deadline for all.
  const once = HttpPolicy.withOperationDeadline(client.timing.deadline)
  return Payments.make({
    provider: PROVIDER,
    currencies,
    create: (request) =>
      once(
        Effect.zipRight(
          ownedInstrument(client, request, "Payments.create"),
          Tx.createOnce(client, request, "Payments.create")
        )
      ),
    get: (ref) => once(Effect.map(Tx.readResolved(client, ref.paymentId, "Payments.get"), (r) => r.payment)),
    list: (reference) => once(Tx.listResolved(client, reference, "Payments.list")),
    refund: (request, guard) => once(refund(request, guard)),
    getRefund: (ref) =>
      Effect.gen(function* () {
        const operation = "Payments.getRefund"
        const record = yield* Tx.transaction(client, ref.refundId, operation, "refund")
        const notFound = new NotFound({ provider: PROVIDER, operation, resource: "refund", id: ref.refundId })
        if (record.kind !== undefined && record.kind !== "refund") return yield* notFound
        const refund = yield* Tx.refundFromRecord(record, Tx.paymentRef(ref.payment.paymentId), undefined)
        return yield* Option.match(refund, { onNone: () => Effect.fail(notFound), onSome: Effect.succeed })
      }),
    listRefunds: (payment) => refundsOf(payment, "Payments.listRefunds")
  })
})

/**
 * The `Payments` port; requires the `CyberSourceClient`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Payments.Payments, never, CyberSourceClient> = Layer.effect(Payments.Payments, make)
