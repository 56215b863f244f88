/**
 * Rate limits and outages (issue 6), against `CashfreeEmulator` over loopback: a 429 with
 * `x-ratelimit-retry` is waited out (a real-clock lower bound, never an upper one) and the call
 * succeeds; a provider that answers 503 to everything ends every call in `ProviderUnavailable` (or
 * `OutcomeUnknown` for a mutation that may have run) — the test fails if a call never returns; a
 * provider slower than the attempt timeout has each attempt cut at its timeout by the transport.
 */
import * as Authorization from "@payport/core/Authorization"
import * as Money from "@payport/core/Money"
import type { OperationError } from "@payport/core/PaymentError"
import * as PaymentMethod from "@payport/core/PaymentMethod"
import * as Payments from "@payport/core/Payments"
import * as CashfreeEmulator from "@payport/emulators/CashfreeEmulator"
import * as EmulatorFaults from "@payport/emulators/EmulatorFaults"
import * as SlowProvider from "@payport/testkit/SlowProvider"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Cashfree from "../src/Cashfree.js"
import { httpClient, options } from "./support/Loopback.js"

const inr = (minor: number) => Money.unsafeMake(minor, "INR")
const card = PaymentMethod.card({ number: "4111111111111111", expiry: { month: 12, year: 2030 }, cvv: "123" })
const run = globalThis.crypto.randomUUID().slice(0, 8)
let n = 0
const ref = (label: string) => `${label}_${run}_${++n}`

const timing = {
  attemptTimeout: "2 seconds",
  deadline: "10 seconds",
  retries: 2,
  baseDelay: "5 millis",
  maxDelay: "20 millis"
} as const

const adapterOn = (emulator: CashfreeEmulator.CashfreeEmulator) =>
  Cashfree.layer(options(emulator, { timing })).pipe(Layer.provide(httpClient()))

/** Fails the test instead of hanging. */
const returns = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  effect.pipe(
    Effect.timeoutFail({ duration: "60 seconds", onTimeout: () => new Error("the call never returned") }),
    Effect.orDie
  )

describe("rate limits", () => {
  it.live("a 429 with x-ratelimit-retry: 1 is waited out, then the sale succeeds once", () =>
    Effect.gen(function* () {
      const emulator = yield* CashfreeEmulator.start()
      emulator.faults.add(EmulatorFaults.rateLimit(1, { times: 1, match: { method: "POST" } }))
      const reference = ref("limited")
      const started = Date.now()
      const sale = yield* returns(
        Effect.either(Payments.create({ reference, amount: inr(10_000), method: card })).pipe(
          Effect.provide(adapterOn(emulator))
        )
      )
      const elapsed = Date.now() - started
      assert.strictEqual(sale._tag, "Right", sale._tag === "Left" ? sale.left.message : "")
      assert.deepStrictEqual(
        emulator.faults.applied().map((a) => a.kind),
        ["rateLimit"]
      )
      assert.isAtLeast(elapsed, 1_000, "retried before the retry hint elapsed")
      assert.strictEqual(emulator.truth.chargesFor(reference), 1)
    }).pipe(Effect.scoped)
  )
})

describe("outages longer than the retry budget", () => {
  it.live("every request 503: reads are ProviderUnavailable, mutations ProviderUnavailable or OutcomeUnknown", () =>
    Effect.gen(function* () {
      const emulator = yield* CashfreeEmulator.start()
      const held = yield* Authorization.authorize({ reference: ref("hold"), amount: inr(5_000), method: card }).pipe(
        Effect.provide(adapterOn(emulator))
      )
      emulator.faults.add(EmulatorFaults.error(503))
      const calls: Record<string, Effect.Effect<unknown, OperationError, Cashfree.Ports>> = {
        get: Payments.get(held.ref),
        list: Payments.list(held.reference),
        create: Payments.create({ reference: ref("down"), amount: inr(10_000), method: card }),
        capture: Authorization.capture({ payment: held.ref }),
        refund: Payments.refund({ payment: held.ref, amount: inr(100) })
      }
      for (const [name, call] of Object.entries(calls)) {
        const error = yield* returns(Effect.flip(call).pipe(Effect.provide(adapterOn(emulator))))
        const allowed =
          name === "get" || name === "list" ? ["ProviderUnavailable"] : ["ProviderUnavailable", "OutcomeUnknown"]
        assert.include(allowed, error._tag, `${name}: ${error._tag}`)
      }
      assert.isAbove(emulator.faults.applied().length, Object.keys(calls).length, "no call was retried")
    }).pipe(Effect.scoped)
  )
})

describe("a provider slower than the attempt timeout", () => {
  it.live(
    "each attempt is cut at its timeout: a read is ProviderUnavailable, a sale OutcomeUnknown, long before the answers",
    () =>
      Effect.gen(function* () {
        const emulator = yield* CashfreeEmulator.start()
        const held = yield* Authorization.authorize({ reference: ref("hold"), amount: inr(5_000), method: card }).pipe(
          Effect.provide(adapterOn(emulator))
        )
        emulator.faults.add(EmulatorFaults.latency(SlowProvider.answerMillis))
        yield* SlowProvider.check(
          Cashfree.layer(options(emulator, { timing: SlowProvider.timing })).pipe(Layer.provide(httpClient())),
          Payments.get(held.ref),
          Payments.create({ reference: ref("slow"), amount: inr(10_000), method: card })
        )
      }).pipe(Effect.scoped)
  )
})
