/**
 * The `Authorization` port on CyberSource: authorize (`capture: false`), capture in parts, and
 * void = authorization reversal of a hold nothing was captured from. After a capture the hold is
 * spent, so a void fails `InvalidState` (refund instead); CyberSource's own answers
 * (`EXCEEDS_AUTH_AMOUNT`, `AUTH_ALREADY_REVERSED`, `NOT_VOIDABLE`…) map to `InvalidState` too.
 *
 * @since 0.1.0
 */
import * as Authorization from "@payport/core/Authorization"
import * as HttpPolicy from "@payport/core/HttpPolicy"
import * as Ledger from "@payport/core/Ledger"
import * as Money from "@payport/core/Money"
import { Payment } from "@payport/core/Payment"
import type * as PaymentRequest from "@payport/core/PaymentRequest"
import * as StateMachine from "@payport/core/StateMachine"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { type Call, CyberSourceClient, PROVIDER } from "./CyberSourceClient.js"
import { currencies } from "./CyberSourceCurrencies.js"
import * as Tx from "./internal/transactions.js"
import { ownedInstrument } from "./internal/ownership.js"

/**
 * The `Authorization` service over the `CyberSourceClient`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Authorization.Authorization.Service, never, CyberSourceClient> = Effect.gen(
  function* () {
    const client = yield* CyberSourceClient

    const capture = (request: PaymentRequest.Capture, guard: StateMachine.Guard) =>
      Effect.gen(function* () {
        const operation = "Authorization.capture"
        const tag = yield* Tx.keyTag(request.idempotencyKey)
        const key = request.idempotencyKey
        const record = yield* Tx.readBefore(client, request.payment.paymentId, operation, key)
        const payment = record.payment
        // A replayed key: the capture it made is already in the payment; nothing is sent again.
        const captured = (r: Tx.PaymentRecord) => Tx.capturedBefore(r, tag, request.amount, operation, key)
        const earlier = captured(record)
        if (Option.isSome(earlier)) return yield* earlier.value
        // Core's rule, before anything is sent: the currency, the status, and what is still capturable.
        yield* guard(payment)
        const amount = request.amount ?? Money.unsafeMake(payment.ledger.capturable, payment.amount.currency)
        const ledger = yield* Ledger.capture(payment.ledger, amount, { provider: PROVIDER, operation })
        const call: Call = {
          operation,
          method: "POST",
          path: `/pts/v2/payments/${encodeURIComponent(record.authorization)}/captures`,
          api: "pts",
          mutating: true,
          resource: "payment",
          resourceId: record.authorization,
          idempotencyKey: request.idempotencyKey,
          body: {
            clientReferenceInformation: Tx.clientReference(tag, payment.reference),
            orderInformation: { amountDetails: Tx.amountDetails(amount) }
          }
        }
        const execute = Tx.executeWith(client, Tx.reconcileWith(client, payment.ref.paymentId, operation, captured))
        return yield* execute(call, (response) =>
          Effect.flatMap(Tx.followOn(call, response), ({ body, klass }) =>
            klass === "pending" || klass === "settled" || klass === "approved"
              ? Effect.succeed(
                  Payment.make({ ...payment, ledger, status: { _tag: StateMachine.statusForLedger(ledger) } })
                )
              : Effect.fail(Tx.invalidState(operation, `capture ${body.status}`))
          )
        )
      })

    const reverse = (request: PaymentRequest.Void, guard: StateMachine.Guard) =>
      Effect.gen(function* () {
        const operation = "Authorization.void"
        const tag = yield* Tx.keyTag(request.idempotencyKey)
        const record = yield* Tx.readBefore(client, request.payment.paymentId, operation, request.idempotencyKey)
        const payment = record.payment
        // A replayed key: the reversal it made already released the hold.
        const reversed = (r: Tx.PaymentRecord) => Tx.reversedBefore(r, tag)
        const earlier = reversed(record)
        if (Option.isSome(earlier)) return yield* earlier.value
        // Core's rule, before anything is sent: nothing captured, and the hold still standing.
        yield* guard(payment)
        const call: Call = {
          operation,
          method: "POST",
          path: `/pts/v2/payments/${encodeURIComponent(record.authorization)}/reversals`,
          api: "pts",
          mutating: true,
          resource: "payment",
          resourceId: record.authorization,
          idempotencyKey: request.idempotencyKey,
          body: {
            // The 2020 swagger has no `transactionId` in a reversal's `clientReferenceInformation`.
            clientReferenceInformation: { code: payment.reference, comments: Tx.commentsFor(tag) },
            reversalInformation: { amountDetails: Tx.amountDetails(payment.ledger.authorized), reason: "void" }
          }
        }
        const execute = Tx.executeWith(client, Tx.reconcileWith(client, payment.ref.paymentId, operation, reversed))
        return yield* execute(call, (response) =>
          Effect.flatMap(Tx.followOn(call, response), ({ body, klass }) =>
            klass === "reversed" || klass === "voided" || klass === "pending"
              ? Effect.succeed(Payment.make({ ...payment, status: { _tag: "Voided" } }))
              : Effect.fail(Tx.invalidState(operation, `reversal ${body.status}`))
          )
        )
      })

    // Each operation spans several requests (the payment read, the mutation): one deadline for all.
    const once = HttpPolicy.withOperationDeadline(client.timing.deadline)
    return Authorization.make({
      provider: PROVIDER,
      currencies,
      authorize: (request) =>
        once(
          Effect.zipRight(
            ownedInstrument(client, request, "Authorization.authorize"),
            Tx.createOnce(client, request, "Authorization.authorize")
          )
        ),
      capture: (request, guard) => once(capture(request, guard)),
      void: (request, guard) => once(reverse(request, guard)),
      get: (ref) => once(Effect.map(Tx.readResolved(client, ref.paymentId, "Authorization.get"), (r) => r.payment))
    })
  }
)

/**
 * The `Authorization` port; requires the `CyberSourceClient`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Authorization.Authorization, never, CyberSourceClient> = Layer.effect(
  Authorization.Authorization,
  make
)
