/**
 * Rate limits and outages (issue 6), against `CyberSourceEmulator` over loopback: a 429 with
 * `retry-after` is waited out (a real-clock lower bound, never an upper one) and the call succeeds;
 * a provider that answers 503 to everything ends every call in `ProviderUnavailable` (or
 * `OutcomeUnknown` for a mutation that may have run) — the test fails if a call never returns; a
 * provider slower than the attempt timeout has each attempt cut at its timeout by the transport.
 */
import * as Authorization from "@payport/core/Authorization"
import * as Money from "@payport/core/Money"
import type { OperationError } from "@payport/core/PaymentError"
import * as PaymentMethod from "@payport/core/PaymentMethod"
import * as Payments from "@payport/core/Payments"
import * as CyberSourceEmulator from "@payport/emulators/CyberSourceEmulator"
import * as EmulatorFaults from "@payport/emulators/EmulatorFaults"
import * as SlowProvider from "@payport/testkit/SlowProvider"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import type * as CyberSource from "../src/CyberSource.js"
import { providerFor } from "./support/Live.js"

const usd = (minor: number) => Money.unsafeMake(minor, "USD")
const card = PaymentMethod.card({ number: "4111111111111111", expiry: { month: 12, year: 2031 }, cvv: "987" })
const run = globalThis.crypto.randomUUID().slice(0, 8)
let n = 0
const ref = (label: string) => `${label}-${run}-${++n}`

const timing = {
  retries: 2,
  baseDelay: "5 millis",
  maxDelay: "20 millis",
  attemptTimeout: "2 seconds",
  deadline: "10 seconds"
} as const

/** Fails the test instead of hanging. */
const returns = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  effect.pipe(
    Effect.timeoutFail({ duration: "60 seconds", onTimeout: () => new Error("the call never returned") }),
    Effect.orDie
  )

describe("rate limits", () => {
  it.live("a 429 with retry-after: 1 is waited out, then the hold succeeds once", () =>
    Effect.gen(function* () {
      const emulator = yield* CyberSourceEmulator.start()
      emulator.faults.add(EmulatorFaults.rateLimit(1, { times: 1, match: { method: "POST" } }))
      const reference = ref("limited")
      const started = Date.now()
      const held = yield* returns(
        Effect.either(Authorization.authorize({ reference, amount: usd(10_000), method: card })).pipe(
          Effect.provide(providerFor(emulator, timing))
        )
      )
      const elapsed = Date.now() - started
      assert.strictEqual(held._tag, "Right", held._tag === "Left" ? held.left.message : "")
      assert.deepStrictEqual(
        emulator.faults.applied().map((a) => a.kind),
        ["rateLimit"]
      )
      assert.isAtLeast(elapsed, 1_000, "retried before retry-after elapsed")
      assert.strictEqual(emulator.truth.chargesFor(reference), 1)
    }).pipe(Effect.scoped)
  )
})

describe("outages longer than the retry budget", () => {
  it.live("every request 503: reads are ProviderUnavailable, mutations ProviderUnavailable or OutcomeUnknown", () =>
    Effect.gen(function* () {
      const emulator = yield* CyberSourceEmulator.start()
      const layer = providerFor(emulator, timing)
      const held = yield* Authorization.authorize({ reference: ref("hold"), amount: usd(5_000), method: card }).pipe(
        Effect.provide(layer)
      )
      emulator.faults.add(EmulatorFaults.error(503))
      const calls: Record<string, Effect.Effect<unknown, OperationError, CyberSource.Provides>> = {
        get: Payments.get(held.ref),
        list: Payments.list(held.reference),
        create: Payments.create({ reference: ref("down"), amount: usd(10_000), method: card }),
        capture: Authorization.capture({ payment: held.ref }),
        void: Authorization.void({ payment: held.ref })
      }
      for (const [name, call] of Object.entries(calls)) {
        const error = yield* returns(Effect.flip(call).pipe(Effect.provide(layer)))
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
    "each attempt is cut at its timeout: a read is ProviderUnavailable, a hold OutcomeUnknown, long before the answers",
    () =>
      Effect.gen(function* () {
        const emulator = yield* CyberSourceEmulator.start()
        const held = yield* Authorization.authorize({ reference: ref("hold"), amount: usd(5_000), method: card }).pipe(
          Effect.provide(providerFor(emulator, timing))
        )
        emulator.faults.add(EmulatorFaults.latency(SlowProvider.answerMillis))
        yield* SlowProvider.check(
          providerFor(emulator, SlowProvider.timing),
          Payments.get(held.ref),
          Authorization.authorize({ reference: ref("slow"), amount: usd(10_000), method: card })
        )
      }).pipe(Effect.scoped)
  )
})
