import * as Authorization from "@payport/core/Authorization"
import * as Money from "@payport/core/Money"
import * as PaymentMethod from "@payport/core/PaymentMethod"
import * as Payments from "@payport/core/Payments"
import * as CashfreeEmulator from "@payport/testkit/CashfreeEmulator"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Cashfree from "../src/Cashfree.js"

const inr = (minor: number) => Money.unsafeMake(minor, "INR")
const card = PaymentMethod.card({ number: "4111111111111111", expiry: { month: 12, year: 2030 }, cvv: "123" })
const run = globalThis.crypto.randomUUID().slice(0, 8)

describe("against the Cashfree emulator over loopback HTTP", () => {
  // One integration check; the contract suite proper is wired separately.
  it.live("sale, hold → partial capture → refund, on 2022-09-01 and 2025-01-01", () =>
    Effect.gen(function* () {
      const emulator = yield* CashfreeEmulator.start()
      for (const apiVersion of ["2022-09-01", "2025-01-01"] as const) {
        const adapter = Cashfree.layer({
          clientId: emulator.clientId,
          clientSecret: Redacted.make(emulator.clientSecret),
          environment: "sandbox",
          baseUrl: emulator.baseUrl,
          apiVersion,
          guestCustomer: { id: "guest_0001", phone: "9876543210" }
        }).pipe(Layer.provide(FetchHttpClient.layer))
        yield* Effect.gen(function* () {
          const tag = `${run}_${apiVersion.replace(/-/g, "")}`
          const input = { reference: `sale_${tag}`, amount: inr(10_050), method: card, idempotencyKey: `key_${tag}` }
          const sale = yield* Payments.create(input)
          assert.strictEqual(sale.status._tag, "Captured", apiVersion)
          assert.strictEqual(sale.ledger.captured.amount, 10_050)
          assert.deepStrictEqual(
            (yield* Payments.list(sale.reference)).map((p) => p.ref.paymentId),
            [sale.ref.paymentId]
          )
          const held = yield* Authorization.authorize({ reference: `hold_${tag}`, amount: inr(10_000), method: card })
          assert.strictEqual(held.status._tag, "Authorized", apiVersion)
          const captured = yield* Authorization.capture({ payment: held.ref, amount: inr(4_000) })
          assert.strictEqual(captured.status._tag, "PartiallyCaptured", apiVersion)
          const refund = yield* Payments.refund({ payment: held.ref, amount: inr(1_000), reason: "partial refund" })
          assert.strictEqual(refund.amount.amount, 1_000)
          const after = yield* Payments.get(held.ref)
          assert.strictEqual(after.ledger.captured.amount, 4_000)
          assert.strictEqual(after.ledger.refunded.amount, 1_000)
          assert.strictEqual(
            (yield* Effect.flip(Payments.refund({ payment: held.ref, amount: inr(3_001) })))._tag,
            "InvalidState"
          )
          const replay = yield* Payments.create(input)
          assert.strictEqual(replay.ref.paymentId, sale.ref.paymentId)
          assert.strictEqual(emulator.truth.chargesFor(sale.reference), 1)
          assert.strictEqual(emulator.truth.payments(sale.reference).length, 1)
        }).pipe(Effect.provide(adapter))
      }
    }).pipe(Effect.scoped)
  )
})
