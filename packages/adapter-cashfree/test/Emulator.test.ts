/**
 * Adapter ↔ emulator over loopback HTTP, for what the contract suite does not pin down: the
 * points where the two readings of Cashfree's documents disagreed, each with the document that
 * settled it.
 */
import * as Authorization from "@payport/core/Authorization"
import * as Cryptograms from "@payport/core/Cryptograms"
import * as Customers from "@payport/core/Customers"
import * as Money from "@payport/core/Money"
import * as PaymentMethod from "@payport/core/PaymentMethod"
import * as Payments from "@payport/core/Payments"
import * as Vault from "@payport/core/Vault"
import * as Webhooks from "@payport/core/Webhooks"
import * as CashfreeEmulator from "@payport/emulators/CashfreeEmulator"
import * as CashfreeFixtures from "@payport/testkit/CashfreeFixtures"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Cashfree from "../src/Cashfree.js"
import { type Exchange, httpClient, options } from "./support/Loopback.js"

const inr = (minor: number) => Money.unsafeMake(minor, "INR")
const card = PaymentMethod.card({ number: "4111111111111111", expiry: { month: 12, year: 2030 }, cvv: "123" })
const otpCard = PaymentMethod.card({ number: "4706131211212123", expiry: { month: 12, year: 2030 }, cvv: "123" })
const run = globalThis.crypto.randomUUID().slice(0, 8)
let n = 0
const ref = (label: string) => `${label}_${run}_${++n}`

/** The adapter (its own ports, no stand-ins) over `emulator`. */
const adapterOn = (
  emulator: CashfreeEmulator.CashfreeEmulator,
  overrides?: Parameters<typeof options>[1],
  log?: Array<Exchange>
) => Cashfree.layer(options(emulator, overrides)).pipe(Layer.provide(httpClient(log)))

describe("adapter and emulator over loopback HTTP", () => {
  it.live("sale, hold → partial capture → refund, replay, on 2022-09-01 and 2025-01-01", () =>
    Effect.gen(function* () {
      const emulator = yield* CashfreeEmulator.start()
      for (const apiVersion of ["2022-09-01", "2025-01-01"] as const) {
        yield* Effect.gen(function* () {
          const input = { reference: ref("sale"), amount: inr(10_050), method: card, idempotencyKey: ref("key") }
          const sale = yield* Payments.create(input)
          assert.strictEqual(sale.status._tag, "Captured", apiVersion)
          assert.strictEqual(sale.ledger.captured.amount, 10_050)
          const held = yield* Authorization.authorize({ reference: ref("hold"), amount: inr(10_000), method: card })
          assert.strictEqual(held.status._tag, "Authorized", apiVersion)
          const captured = yield* Authorization.capture({ payment: held.ref, amount: inr(4_000) })
          assert.strictEqual(captured.status._tag, "PartiallyCaptured", apiVersion)
          yield* Payments.refund({ payment: held.ref, amount: inr(1_000), reason: "partial refund" })
          const after = yield* Payments.get(held.ref)
          assert.strictEqual(after.ledger.refunded.amount, 1_000)
          const replay = yield* Payments.create(input)
          assert.strictEqual(replay.ref.paymentId, sale.ref.paymentId)
          assert.strictEqual(emulator.truth.chargesFor(sale.reference), 1)
        }).pipe(Effect.provide(adapterOn(emulator, { apiVersion })))
      }
    }).pipe(Effect.scoped)
  )

  // SPEC25 `PaymentWebhook.data.payment` is a PaymentEntity, `is_captured` and `authorization`
  // included; the emulator used to send a subset without them, so the adapter read a held
  // payment's PAYMENT_SUCCESS_WEBHOOK as a capture.
  it.live("a pre-authorisation's PAYMENT_SUCCESS_WEBHOOK reads as Authorized, not Captured", () =>
    Effect.gen(function* () {
      const emulator = yield* CashfreeEmulator.start()
      yield* Effect.gen(function* () {
        const held = yield* Authorization.authorize({ reference: ref("hold"), amount: inr(5_000), method: card })
        const webhook = yield* CashfreeFixtures.webhookFixtures.genuine(held)
        const event = yield* Webhooks.verify(webhook)
        assert.strictEqual(event._tag, "PaymentUpdated")
        if (event._tag === "PaymentUpdated") {
          assert.strictEqual(event.payment.status._tag, "Authorized")
          assert.strictEqual(event.payment.ledger.authorized.amount, 5_000)
          assert.strictEqual(event.payment.ledger.captured.amount, 0)
          assert.strictEqual(event.payment.captureMode, "manual")
        }
        const sale = yield* Payments.create({ reference: ref("sale"), amount: inr(5_000), method: card })
        const saleEvent = yield* Webhooks.verify(yield* CashfreeFixtures.webhookFixtures.genuine(sale))
        assert.strictEqual(saleEvent._tag === "PaymentUpdated" ? saleEvent.payment.status._tag : "", "Captured")
      }).pipe(Effect.provide(adapterOn(emulator)), Effect.provideService(CashfreeEmulator.Emulator, emulator))
    }).pipe(Effect.scoped)
  )

  // SPEC25 `PaymentEntity.payment_method` says how a pending attempt was made (`upi.channel`
  // `collect` with `upi_id`, `card.channel` `post`): what the payer still has to do. The adapter
  // used to show such a payment, read later, as `Processing`.
  it.live("a pending payment read back still shows what the payer must do (UPI collect, OTP)", () =>
    Effect.gen(function* () {
      const emulator = yield* CashfreeEmulator.start()
      yield* Effect.gen(function* () {
        const upi = yield* Payments.create({
          reference: ref("upi"),
          amount: inr(2_000),
          method: PaymentMethod.upiCollect("testsuccess@gocash")
        })
        const readUpi = yield* Payments.get(upi.ref)
        assert.strictEqual(readUpi.status._tag, "RequiresAction")
        if (readUpi.status._tag === "RequiresAction") {
          assert.deepStrictEqual(readUpi.status.action, { _tag: "UpiCollect", vpa: "testsuccess@gocash" })
        }
        const otp = yield* Payments.create({ reference: ref("otp"), amount: inr(2_000), method: otpCard })
        const readOtp = yield* Payments.get(otp.ref)
        assert.strictEqual(readOtp.status._tag === "RequiresAction" ? readOtp.status.action._tag : "", "Otp")
        const intent = yield* Payments.create({
          reference: ref("intent"),
          amount: inr(2_000),
          method: PaymentMethod.upiIntent
        })
        assert.strictEqual(intent.status._tag, "RequiresAction")
        // The deep links are only in Order Pay's answer: read later, the payment is processing.
        assert.strictEqual((yield* Payments.get(intent.ref)).status._tag, "Processing")
      }).pipe(Effect.provide(adapterOn(emulator, { cardChannel: "post" })))
    }).pipe(Effect.scoped)
  )

  // Core's idempotency contract (and Cashfree's own, SPEC22: "saving the resulting status code
  // and body of the first request") is that a replay answers what the first call answered. A
  // checkout is two Cashfree calls, so the adapter keeps its first result per key; a replay from
  // a fresh process, which has none, reads the payment as it stands.
  it.live("a replayed authorize answers the first result; from a fresh process, the payment as it stands", () =>
    Effect.gen(function* () {
      const emulator = yield* CashfreeEmulator.start()
      const input = { reference: ref("hold"), amount: inr(6_000), method: card, idempotencyKey: ref("key") }
      const log: Array<Exchange> = []
      yield* Effect.gen(function* () {
        const held = yield* Authorization.authorize(input)
        yield* Authorization.capture({ payment: held.ref, amount: inr(2_500) })
        const replay = yield* Authorization.authorize(input)
        assert.strictEqual(replay.status._tag, "Authorized")
        assert.strictEqual(replay.ref.paymentId, held.ref.paymentId)
        // Cashfree was still asked, and replayed its stored answer.
        const creates = log.filter((e) => e.method === "POST" && e.path === "/orders")
        assert.strictEqual(creates.length, 2)
        assert.strictEqual(creates[1]?.headers["x-idempotency-key"], creates[0]?.headers["x-idempotency-key"])
        // A different request under the key is still refused by Cashfree.
        const conflict = yield* Effect.flip(Authorization.authorize({ ...input, amount: inr(6_001) }))
        assert.strictEqual(conflict._tag, "IdempotencyConflict")
      }).pipe(Effect.provide(adapterOn(emulator, {}, log)))
      const fresh = yield* Authorization.authorize(input).pipe(Effect.provide(adapterOn(emulator)))
      assert.strictEqual(fresh.status._tag, "PartiallyCaptured")
      assert.strictEqual(fresh.ledger.captured.amount, 2_500)
      assert.strictEqual(emulator.truth.chargesFor(input.reference), 1)
    }).pipe(Effect.scoped)
  )

  // Every 404 SPEC25 documents (`ApiError404`) is a missing resource; the emulator's
  // `instrument_not_found` carries `type: invalid_request_error`, which the adapter used to read
  // as `InvalidRequest` because it looked at the type before the status.
  it.live("an instrument the vault does not have is NotFound (404 instrument_not_found)", () =>
    Effect.gen(function* () {
      const emulator = yield* CashfreeEmulator.start()
      const key = { customerId: "cust_0001", instrumentId: "54deabb4-ba45-4a60-9e6a-9c016fe7ab10" }
      yield* Effect.gen(function* () {
        assert.strictEqual((yield* Effect.flip(Vault.get(key)))._tag, "NotFound")
        assert.strictEqual((yield* Effect.flip(Cryptograms.fetch(key)))._tag, "NotFound")
        assert.strictEqual((yield* Effect.flip(Vault.delete(key)))._tag, "NotFound")
      }).pipe(Effect.provide(adapterOn(emulator)))
    }).pipe(Effect.scoped)
  )

  it.live("Cashfree documents no customer read: Customers.get is UnsupportedMethod before any I/O", () =>
    Effect.gen(function* () {
      const emulator = yield* CashfreeEmulator.start()
      const log: Array<Exchange> = []
      yield* Effect.gen(function* () {
        const created = yield* Customers.create({ name: "Test Payer", phone: "9999999999", email: "payer@example.com" })
        assert.match(created.id, /^cfcustom_/)
        const before = log.length
        const error = yield* Effect.flip(Customers.get(created.id))
        assert.strictEqual(error._tag, "UnsupportedMethod")
        assert.strictEqual(log.length, before)
      }).pipe(Effect.provide(adapterOn(emulator, {}, log)))
    }).pipe(Effect.scoped)
  )
})
