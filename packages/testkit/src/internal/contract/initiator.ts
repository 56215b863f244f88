/**
 * Contract case for stored credentials: a merchant-initiated payment with a saved card either
 * succeeds carrying the stored-credential flags to the provider, or fails `UnsupportedMethod`
 * before anything is sent, on providers without merchant-initiated payments.
 */
import * as PaymentMethod from "@payport/core/PaymentMethod"
import * as Payments from "@payport/core/Payments"
import { assert } from "@effect/vitest"
import * as Effect from "effect/Effect"
import type { Context } from "./context.js"
import { failsWith } from "./shared.js"

/** A network transaction id in the shape card networks issue, for a first payment that reported none. */
const FALLBACK_NETWORK_ID = "016150703802094"

/**
 * Registers the stored-credential case.
 */
export const registerInitiator = <R>(ctx: Context<R>): void => {
  const { f, it, money, unique } = ctx
  const mit = f.merchantInitiated
  const name = mit.supported
    ? "stored credentials: a merchant-initiated payment with a saved card succeeds, carrying the stored-credential flags"
    : "stored credentials: a merchant-initiated payment fails UnsupportedMethod before anything is sent"
  it.effect(name, () =>
    Effect.gen(function* () {
      const customer = yield* ctx.newCustomer
      const first = yield* Payments.create({
        reference: unique("cof"),
        amount: money(1_000),
        method: f.card,
        customer: ctx.customerFor(customer.id),
        saveInstrument: true,
        idempotencyKey: unique("key")
      })
      const instrumentId = first.savedInstrumentId
      assert.isDefined(instrumentId, "the first payment saved no instrument")
      const previousNetworkTransactionId = first.processor?.networkTransactionId ?? FALLBACK_NETWORK_ID
      const reference = unique("mit")
      const charge = Payments.create({
        reference,
        amount: money(2_500),
        method: PaymentMethod.savedCard(instrumentId ?? ""),
        customer: ctx.customerFor(customer.id),
        initiator: { _tag: "Merchant", reason: "recurring", previousNetworkTransactionId },
        idempotencyKey: unique("key")
      })
      if (!mit.supported) {
        yield* failsWith(charge, "UnsupportedMethod")
        assert.deepStrictEqual(yield* Payments.list(reference), [], "the refused payment reached the provider")
        return
      }
      const payment = yield* charge
      assert.strictEqual(payment.status._tag, "Captured")
      assert.strictEqual(payment.ledger.captured.amount, 2_500)
      if (mit.seen !== undefined) {
        const seen = yield* mit.seen(payment)
        assert.deepStrictEqual(seen, {
          merchantInitiated: true,
          storedCredentialUsed: true,
          previousNetworkTransactionId
        })
      }
    })
  )
}
