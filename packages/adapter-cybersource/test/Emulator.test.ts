/**
 * One end-to-end run against the testkit's CyberSource emulator over loopback HTTP: the
 * emulator verifies every HTTP Signature, so this also proves the signer against an independent
 * reading of the documents.
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as Authorization from "@payport/core/Authorization"
import * as Customers from "@payport/core/Customers"
import * as Money from "@payport/core/Money"
import * as PaymentMethod from "@payport/core/PaymentMethod"
import * as Payments from "@payport/core/Payments"
import * as Vault from "@payport/core/Vault"
import * as VaultEnrollment from "@payport/core/VaultEnrollment"
import * as CyberSourceEmulator from "@payport/emulators/CyberSourceEmulator"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as CyberSource from "../src/CyberSource.js"

const live = Layer.unwrapScoped(
  Effect.map(CyberSourceEmulator.start(), (emulator) =>
    Layer.merge(
      CyberSource.layer({
        merchantId: emulator.merchantId,
        keyId: emulator.keyId,
        sharedSecret: Redacted.make(emulator.sharedSecret),
        baseUrl: emulator.baseUrl,
        timing: {
          retries: 1,
          baseDelay: "5 millis",
          maxDelay: "20 millis",
          attemptTimeout: "5 seconds",
          deadline: "15 seconds"
        }
      }),
      Layer.succeed(CyberSourceEmulator.Emulator, emulator)
    )
  )
).pipe(Layer.provide(FetchHttpClient.layer), Layer.orDie)

const usd = (minor: number) => Money.unsafeMake(minor, "USD")
const run = globalThis.crypto.randomUUID().slice(0, 8)
const card = PaymentMethod.card({ number: "4111111111111111", expiry: { month: 12, year: 2031 }, cvv: "987" })

describe("against the CyberSource emulator", () => {
  it.live("hold → partial capture → refund, a void, a decline, and the vault, over signed HTTP", () =>
    Effect.gen(function* () {
      const emulator = yield* CyberSourceEmulator.Emulator
      const held = yield* Authorization.authorize({ reference: `hold-${run}`, amount: usd(5000), method: card })
      assert.strictEqual(held.status._tag, "Authorized")
      const partial = yield* Authorization.capture({ payment: held.ref, amount: usd(2000) })
      assert.strictEqual(partial.status._tag, "PartiallyCaptured")
      const read = yield* Payments.get(held.ref)
      assert.strictEqual(read.ledger.captured.amount, 2000)
      const refund = yield* Payments.refund({ payment: held.ref, amount: usd(500) })
      assert.strictEqual(refund.amount.amount, 500)

      const other = yield* Authorization.authorize({ reference: `void-${run}`, amount: usd(3000), method: card })
      const voided = yield* Authorization.void({ payment: other.ref })
      assert.strictEqual(voided.status._tag, "Voided")
      assert.strictEqual(
        (yield* Effect.flip(Authorization.capture({ payment: other.ref, amount: usd(100) })))._tag,
        "InvalidState"
      )

      const declined = yield* Effect.flip(
        Payments.create({
          reference: `decline-${run}`,
          amount: usd(1000),
          method: PaymentMethod.card({ number: "42423482938483873", expiry: { month: 12, year: 2031 } })
        })
      )
      assert.strictEqual(declined._tag, "PaymentDeclined")
      if (declined._tag === "PaymentDeclined") assert.strictEqual(declined.code, "invalid_account")

      const listed = yield* Payments.list(`hold-${run}`)
      assert.deepStrictEqual(
        listed.map((p) => p.ref.paymentId),
        [held.ref.paymentId]
      )

      const customer = yield* Customers.create({ reference: `cust-${run}`, email: "jane@example.com" })
      const saved = yield* VaultEnrollment.create({ customerId: customer.id, card })
      const page = yield* Vault.list({ customerId: customer.id })
      assert.deepStrictEqual(
        page.items.map((i) => i.id),
        [saved.id]
      )
      const got = yield* Vault.get({ customerId: customer.id, instrumentId: saved.id })
      const updated = yield* VaultEnrollment.update({
        customerId: customer.id,
        instrumentId: saved.id,
        etag: got.etag ?? "",
        expiry: { month: 1, year: 2033 }
      })
      assert.deepStrictEqual(updated.expiry, { month: 1, year: 2033 })
      const stale = yield* Effect.flip(
        VaultEnrollment.update({
          customerId: customer.id,
          instrumentId: saved.id,
          etag: got.etag ?? "",
          expiry: { month: 2, year: 2033 }
        })
      )
      assert.strictEqual(stale._tag, "PreconditionFailed")

      assert.strictEqual(emulator.truth.chargesFor(`hold-${run}`), 1)
      assert.deepStrictEqual(emulator.truth.authFailures(), [])
    }).pipe(Effect.provide(live))
  )
})
