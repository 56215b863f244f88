/**
 * Stored credentials (issue 17 point 6): the initiator of a payment becomes CyberSource's
 * `processingInformation.authorizationOptions.initiator` and commerce indicator.
 */
import * as Authorization from "@payport/core/Authorization"
import * as Money from "@payport/core/Money"
import * as PaymentMethod from "@payport/core/PaymentMethod"
import type * as PaymentRequest from "@payport/core/PaymentRequest"
import * as Payments from "@payport/core/Payments"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { provider, type Recorded, type Reply } from "./support/Stub.js"

const usd = (minor: number) => Money.unsafeMake(minor, "USD")
const card = PaymentMethod.card({ number: "4111111111111111", expiry: { month: 12, year: 2031 }, cvv: "987" })
const saved = PaymentMethod.savedCard("D9F3439F0448C901E053A2598D0AA1CC")

/** The saved card, read under its customer before paying with it (ownership). */
const instrument: Reply = { status: 200, body: { id: "D9F3439F0448C901E053A2598D0AA1CC", state: "ACTIVE" } }

const authorization: Reply = {
  status: 201,
  body: {
    id: "7000000000000000000001",
    status: "AUTHORIZED",
    orderInformation: { amountDetails: { authorizedAmount: "10.00", currency: "USD" } },
    processorInformation: { approvalCode: "888888", networkTransactionId: "016150703802094", responseCode: "100" }
  }
}

const authorized = (r: Recorded): Reply => (r.method === "GET" ? instrument : authorization)

interface Sent {
  readonly processingInformation: {
    readonly commerceIndicator?: string
    readonly authorizationOptions?: { readonly initiator?: Record<string, unknown> }
  }
}

const sentFor = (input: Omit<PaymentRequest.CreatePaymentInput, "reference" | "amount">) => {
  const p = provider(authorized)
  return Effect.gen(function* () {
    yield* Authorization.authorize({ reference: "order-1", amount: usd(1000), ...input })
    const payment = p.recorded.find((r) => r.method === "POST" && r.path === "/pts/v2/payments")
    return JSON.parse(payment?.body ?? "{}") as Sent
  }).pipe(Effect.provide(p.layer))
}

describe("initiator → processingInformation", () => {
  it.effect("a one-off customer payment sends no stored-credential flags", () =>
    Effect.gen(function* () {
      const sent = yield* sentFor({ method: card })
      assert.isUndefined(sent.processingInformation.authorizationOptions)
      assert.strictEqual(sent.processingInformation.commerceIndicator, "internet")
    })
  )

  it.effect("saving the card: customer-initiated, credential stored on file", () =>
    Effect.gen(function* () {
      const sent = yield* sentFor({ method: card, customer: { id: "CUST1" }, saveInstrument: true })
      assert.deepStrictEqual(sent.processingInformation.authorizationOptions?.initiator, {
        type: "customer",
        credentialStoredOnFile: true
      })
    })
  )

  it.effect("paying with a saved card (by default): customer-initiated, stored credential used", () =>
    Effect.gen(function* () {
      const sent = yield* sentFor({ method: saved, customer: { id: "CUST1" } })
      assert.deepStrictEqual(sent.processingInformation.authorizationOptions?.initiator, {
        type: "customer",
        storedCredentialUsed: true
      })
    })
  )

  it.effect("merchant-initiated recurring: merchant, stored credential used, the first payment's network id", () =>
    Effect.gen(function* () {
      const sent = yield* sentFor({
        method: saved,
        customer: { id: "CUST1" },
        initiator: { _tag: "Merchant", reason: "recurring", previousNetworkTransactionId: "016150703802094" }
      })
      assert.strictEqual(sent.processingInformation.commerceIndicator, "recurring")
      assert.deepStrictEqual(sent.processingInformation.authorizationOptions?.initiator, {
        type: "merchant",
        storedCredentialUsed: true,
        merchantInitiatedTransaction: { previousTransactionId: "016150703802094" }
      })
    })
  )

  it.effect(
    "merchant-initiated follow-ups send the documented reason code (no show → 4) and installments 'install'",
    () =>
      Effect.gen(function* () {
        const noShow = yield* sentFor({
          method: card,
          initiator: { _tag: "Merchant", reason: "no_show", previousNetworkTransactionId: "016150703802094" }
        })
        assert.strictEqual(noShow.processingInformation.commerceIndicator, "internet")
        assert.deepStrictEqual(
          noShow.processingInformation.authorizationOptions?.initiator?.merchantInitiatedTransaction,
          {
            previousTransactionId: "016150703802094",
            reason: "4"
          }
        )
        const installment = yield* sentFor({
          method: card,
          initiator: { _tag: "Merchant", reason: "installment", previousNetworkTransactionId: "016150703802094" }
        })
        assert.strictEqual(installment.processingInformation.commerceIndicator, "install")
      })
  )

  it.effect("the network id of a first payment feeds the merchant-initiated follow-up", () => {
    const p = provider(authorized)
    return Effect.gen(function* () {
      const first = yield* Payments.create({
        reference: "order-1",
        amount: usd(1000),
        method: card,
        customer: { id: "CUST1" },
        saveInstrument: true
      })
      const previous = first.processor?.networkTransactionId ?? assert.fail("no network transaction id")
      yield* Payments.create({
        reference: "order-2",
        amount: usd(1000),
        method: saved,
        customer: { id: "CUST1" },
        initiator: { _tag: "Merchant", reason: "unscheduled", previousNetworkTransactionId: previous }
      })
      const sent = JSON.parse(p.recorded.at(-1)?.body ?? "{}") as Sent
      assert.deepStrictEqual(sent.processingInformation.authorizationOptions?.initiator?.merchantInitiatedTransaction, {
        previousTransactionId: "016150703802094"
      })
    }).pipe(Effect.provide(p.layer))
  })
})
