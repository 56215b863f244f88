/**
 * Rate limits and outages, as one suite any adapter runs in one line against its emulator over
 * loopback:
 *
 * - a 429 with the provider's retry hint is waited out (a real-clock lower bound, never an upper
 *   one) and the call then succeeds, once;
 * - a provider answering 503 to everything ends every call in `ProviderUnavailable` (or
 *   `OutcomeUnknown` for a mutation that may have run) within the deadline, after retrying — the
 *   test fails if a call never returns;
 * - a provider slower than the attempt timeout has each attempt cut at its timeout
 *   (`SlowProvider.check`).
 *
 * ```ts
 * import * as CashfreeEmulator from "@payport/emulators/CashfreeEmulator"
 * import { Cashfree } from "@payport/adapter-cashfree"
 * import { NodeTransport } from "@payport/http-node"
 * import { outageSuite } from "@payport/testkit/OutageSuite"
 * import * as Money from "@payport/core/Money"
 * import * as PaymentMethod from "@payport/core/PaymentMethod"
 * import * as Effect from "effect/Effect"
 * import * as Layer from "effect/Layer"
 * import * as Redacted from "effect/Redacted"
 *
 * outageSuite({
 *   name: "Cashfree",
 *   amount: (minor) => Money.unsafeMake(minor, "INR"),
 *   method: PaymentMethod.card({ number: "4111111111111111", expiry: { month: 12, year: 2030 }, cvv: "123" }),
 *   start: Effect.map(CashfreeEmulator.start(), (emulator) => ({
 *     emulator,
 *     layer: (timing) =>
 *       Cashfree.layer({
 *         baseUrl: emulator.baseUrl,
 *         clientId: emulator.clientId,
 *         clientSecret: Redacted.make(emulator.clientSecret),
 *         environment: "sandbox",
 *         timing
 *       }).pipe(Layer.provide(NodeTransport.layer), Layer.orDie)
 *   }))
 * })
 * ```
 *
 * @since 0.1.0
 */
import * as Authorization from "@payport/core/Authorization"
import type { Timing } from "@payport/core/HttpPolicy"
import type * as Money from "@payport/core/Money"
import type { OperationError } from "@payport/core/PaymentError"
import type { PaymentMethod } from "@payport/core/PaymentMethod"
import * as Payments from "@payport/core/Payments"
import * as EmulatorFaults from "@payport/emulators/EmulatorFaults"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import type * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import * as SlowProvider from "./SlowProvider.js"

/**
 * What the suite needs of a running emulator: its fault controller and its truth about charges.
 *
 * @since 0.1.0
 * @category models
 */
export interface Emulator {
  readonly faults: EmulatorFaults.Controller
  readonly truth: { readonly chargesFor: (reference: string) => number }
}

/**
 * An adapter under test: how to start its emulator and build the adapter over it with a given
 * timing, an amount in a currency the provider takes, and a method it approves.
 *
 * @since 0.1.0
 * @category models
 */
export interface Subject {
  readonly name: string
  readonly start: Effect.Effect<
    {
      readonly emulator: Emulator
      readonly layer: (timing: Timing) => Layer.Layer<Payments.Payments | Authorization.Authorization>
    },
    never,
    Scope.Scope
  >
  readonly amount: (minor: number) => Money.Money
  readonly method: PaymentMethod
}

/** Retries quickly within a budget long enough to wait out a one-second hint. */
const timing: Timing = {
  attemptTimeout: "2 seconds",
  deadline: "10 seconds",
  retries: 2,
  baseDelay: "5 millis",
  maxDelay: "20 millis"
}

/** Fails the test instead of hanging. */
const returns = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  effect.pipe(
    Effect.timeoutFail({ duration: "60 seconds", onTimeout: () => new Error("the call never returned") }),
    Effect.orDie
  )

/**
 * Registers the suite for `subject`.
 *
 * @since 0.1.0
 * @category suites
 */
export const outageSuite = (subject: Subject): void => {
  const run = globalThis.crypto.randomUUID().slice(0, 8)
  let n = 0
  const ref = (label: string) => `${label}-${run}-${++n}`

  describe(`${subject.name}: rate limits`, () => {
    it.live("a 429 with a one-second retry hint is waited out, then the sale succeeds once", () =>
      Effect.gen(function* () {
        const { emulator, layer } = yield* subject.start
        emulator.faults.add(EmulatorFaults.rateLimit(1, { times: 1, match: { method: "POST" } }))
        const reference = ref("limited")
        const started = Date.now()
        const sale = yield* returns(
          Effect.either(Payments.create({ reference, amount: subject.amount(10_000), method: subject.method })).pipe(
            Effect.provide(layer(timing))
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

  describe(`${subject.name}: outages longer than the retry budget`, () => {
    it.live("every request 503: reads are ProviderUnavailable, mutations ProviderUnavailable or OutcomeUnknown", () =>
      Effect.gen(function* () {
        const { emulator, layer } = yield* subject.start
        const adapter = layer(timing)
        const held = yield* Authorization.authorize({
          reference: ref("hold"),
          amount: subject.amount(5_000),
          method: subject.method
        }).pipe(Effect.provide(adapter))
        emulator.faults.add(EmulatorFaults.error(503))
        const calls: Record<
          string,
          Effect.Effect<unknown, OperationError, Payments.Payments | Authorization.Authorization>
        > = {
          get: Payments.get(held.ref),
          list: Payments.list(held.reference),
          create: Payments.create({ reference: ref("down"), amount: subject.amount(10_000), method: subject.method }),
          capture: Authorization.capture({ payment: held.ref }),
          refund: Payments.refund({ payment: held.ref, amount: subject.amount(100) })
        }
        for (const [name, call] of Object.entries(calls)) {
          const error = yield* returns(Effect.flip(call).pipe(Effect.provide(adapter)))
          const allowed =
            name === "get" || name === "list" ? ["ProviderUnavailable"] : ["ProviderUnavailable", "OutcomeUnknown"]
          assert.include(allowed, error._tag, `${name}: ${error._tag}`)
        }
        assert.isAbove(emulator.faults.applied().length, Object.keys(calls).length, "no call was retried")
      }).pipe(Effect.scoped)
    )
  })

  describe(`${subject.name}: a provider slower than the attempt timeout`, () => {
    it.live(
      "each attempt is cut at its timeout: a read is ProviderUnavailable, a sale OutcomeUnknown, long before the answers",
      () =>
        Effect.gen(function* () {
          const { emulator, layer } = yield* subject.start
          const held = yield* Authorization.authorize({
            reference: ref("hold"),
            amount: subject.amount(5_000),
            method: subject.method
          }).pipe(Effect.provide(layer(timing)))
          emulator.faults.add(EmulatorFaults.latency(SlowProvider.answerMillis))
          yield* SlowProvider.check(
            layer(SlowProvider.timing),
            Payments.get(held.ref),
            Payments.create({ reference: ref("slow"), amount: subject.amount(10_000), method: subject.method })
          )
        }).pipe(Effect.scoped)
    )
  })
}
