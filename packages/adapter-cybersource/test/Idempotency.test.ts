/**
 * Idempotency keys at a provider without an idempotency header, against the emulator: the key's
 * tag in `transactionId`/`comments` makes every replay answer what the key did, and a different
 * request under the same key fail `IdempotencyConflict`, without a second request reaching money.
 */
import * as Authorization from "@payport/core/Authorization"
import * as Money from "@payport/core/Money"
import * as PaymentMethod from "@payport/core/PaymentMethod"
import * as Payments from "@payport/core/Payments"
import { assert, describe, layer } from "@effect/vitest"
import * as CyberSourceEmulator from "@payport/emulators/CyberSourceEmulator"
import * as Effect from "effect/Effect"
import { live } from "./support/Live.js"

const usd = (minor: number) => Money.unsafeMake(minor, "USD")
const card = (number: string) => PaymentMethod.card({ number, expiry: { month: 12, year: 2031 }, cvv: "123" })
const run = globalThis.crypto.randomUUID().slice(0, 8)
let n = 0
const unique = (label: string) => `${label}-${run}-${++n}`

describe("idempotency keys against the emulator", () => {
  layer(live(), { excludeTestServices: true })("replays", (it) => {
    it.effect("a declined payment's key replays the decline; nothing new reaches the emulator", () =>
      Effect.gen(function* () {
        const emulator = yield* CyberSourceEmulator.Emulator
        const input = {
          reference: unique("dec"),
          amount: usd(700),
          method: card("42423482938483873"),
          idempotencyKey: unique("key")
        }
        const first = yield* Effect.flip(Payments.create(input))
        const again = yield* Effect.flip(Payments.create(input))
        assert.strictEqual(first._tag, "PaymentDeclined")
        assert.strictEqual(again._tag, "PaymentDeclined")
        if (again._tag === "PaymentDeclined") assert.strictEqual(again.code, "invalid_account")
        assert.strictEqual(emulator.truth.paymentsFor(input.reference), 1)
      })
    )

    it.effect(
      "a replayed hold answers Authorized even after it was captured; a sale key reused for a hold conflicts",
      () =>
        Effect.gen(function* () {
          const input = {
            reference: unique("hold"),
            amount: usd(900),
            method: card("4111111111111111"),
            idempotencyKey: unique("key")
          }
          const held = yield* Authorization.authorize(input)
          yield* Authorization.capture({ payment: held.ref, amount: usd(900) })
          const replayed = yield* Authorization.authorize(input)
          assert.strictEqual(replayed.ref.paymentId, held.ref.paymentId)
          assert.strictEqual(replayed.status._tag, "Authorized")
          const conflict = yield* Effect.flip(Payments.create(input))
          assert.strictEqual(conflict._tag, "IdempotencyConflict")
        })
    )

    it.effect("capture, void and refund keys replay what they did and conflict on another amount", () =>
      Effect.gen(function* () {
        const emulator = yield* CyberSourceEmulator.Emulator
        const held = yield* Authorization.authorize({
          reference: unique("c"),
          amount: usd(5_000),
          method: card("4111111111111111")
        })
        const captureKey = unique("key")
        yield* Authorization.capture({ payment: held.ref, amount: usd(1_000), idempotencyKey: captureKey })
        const again = yield* Authorization.capture({
          payment: held.ref,
          amount: usd(1_000),
          idempotencyKey: captureKey
        })
        assert.strictEqual(again.ledger.captured.amount, 1_000)
        const other = yield* Effect.flip(
          Authorization.capture({ payment: held.ref, amount: usd(2_000), idempotencyKey: captureKey })
        )
        assert.strictEqual(other._tag, "IdempotencyConflict")
        assert.strictEqual(emulator.truth.payment(held.ref.paymentId)?.captured, 1_000)

        const refundKey = unique("key")
        const refund = yield* Payments.refund({ payment: held.ref, amount: usd(300), idempotencyKey: refundKey })
        const otherRefund = yield* Effect.flip(
          Payments.refund({ payment: held.ref, amount: usd(400), idempotencyKey: refundKey })
        )
        assert.strictEqual(otherRefund._tag, "IdempotencyConflict")
        assert.strictEqual((yield* Payments.listRefunds(held.ref)).length, 1)
        assert.strictEqual(emulator.truth.payment(held.ref.paymentId)?.refunded, refund.amount.amount)

        const hold = yield* Authorization.authorize({
          reference: unique("v"),
          amount: usd(800),
          method: card("4111111111111111")
        })
        const voidKey = unique("key")
        yield* Authorization.void({ payment: hold.ref, idempotencyKey: voidKey })
        const voidAgain = yield* Authorization.void({ payment: hold.ref, idempotencyKey: voidKey })
        assert.strictEqual(voidAgain.status._tag, "Voided")
        const fresh = yield* Effect.flip(Authorization.void({ payment: hold.ref, idempotencyKey: unique("key") }))
        assert.strictEqual(fresh._tag, "InvalidState")
      })
    )
  })
})
