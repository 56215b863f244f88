/**
 * The fault scenario of the exactly-once property every adapter runs: bounded timings short enough
 * that the emulator's latency fault outlasts an attempt, the client-side and provider-side fault
 * plans (resets, 429 with a zero hint, 5xx, commit-then-drop, latency), the generator of logical
 * operations (sales and holds, then captures and refunds of them), and the error groups that say
 * no money moved. Sizes come from `PAYPORT_EXACTLY_ONCE_RUNS`, `PAYPORT_EXACTLY_ONCE_OPS` and
 * `PAYPORT_EXACTLY_ONCE_SEED` (a failed run prints its seed).
 *
 * @since 0.1.0
 */
import type { ErrorGroup } from "@payport/core/PaymentError"
import * as FastCheck from "effect/FastCheck"
import * as EmulatorFaults from "@payport/emulators/EmulatorFaults"

/**
 * How many runs the property makes: `PAYPORT_EXACTLY_ONCE_RUNS`, default 10.
 *
 * @since 0.1.0
 * @category sizes
 */
export const RUNS = Number(process.env.PAYPORT_EXACTLY_ONCE_RUNS ?? 10)

/**
 * The most operations a run makes (at least half as many): `PAYPORT_EXACTLY_ONCE_OPS`, default 8.
 *
 * @since 0.1.0
 * @category sizes
 */
export const OPS = Number(process.env.PAYPORT_EXACTLY_ONCE_OPS ?? 8)

/**
 * `PAYPORT_EXACTLY_ONCE_SEED`: the fast-check seed to replay a failed run with (it prints its seed);
 * `undefined` for a random one.
 *
 * @since 0.1.0
 * @category sizes
 */
export const SEED = process.env.PAYPORT_EXACTLY_ONCE_SEED

/**
 * Short timings: the emulator's latency fault outlasts an attempt; retries stay bounded.
 * `ATTEMPT_MS` is the per-attempt timeout in milliseconds.
 *
 * @since 0.1.0
 * @category timings
 */
export const ATTEMPT_MS = 300

/**
 * The delay of the provider-side latency fault in milliseconds, longer than `ATTEMPT_MS`.
 *
 * @since 0.1.0
 * @category timings
 */
export const LATENCY_MS = 500

/**
 * Long enough for a request the emulator delayed to have been handled.
 *
 * @since 0.1.0
 * @category timings
 */
export const SETTLE_MS = LATENCY_MS + 300

/**
 * The adapter's call timing for the property: `ATTEMPT_MS` per attempt, 3 retries 2–20 ms apart,
 * 8 seconds for the whole call.
 *
 * @since 0.1.0
 * @category timings
 */
export const timing = {
  attemptTimeout: `${ATTEMPT_MS} millis`,
  deadline: "8 seconds",
  retries: 3,
  baseDelay: "2 millis",
  maxDelay: "20 millis"
} as const

/**
 * Faults injected on the client side (`FaultInjection`): connection resets, 429 with a zero retry
 * hint, 503 and commit-then-drop.
 *
 * @since 0.1.0
 * @category faults
 */
export const clientFaults: ReadonlyArray<EmulatorFaults.Rule> = [
  EmulatorFaults.reset({ probability: 0.05 }),
  EmulatorFaults.rateLimit(0, { probability: 0.04 }),
  EmulatorFaults.error(503, { probability: 0.04 }),
  EmulatorFaults.commitThenDrop({ probability: 0.08 })
]
/**
 * Faults the emulator injects: latency past the attempt timeout, 500, 429 with a zero retry hint,
 * connection resets and commit-then-drop.
 *
 * @since 0.1.0
 * @category faults
 */
export const providerFaults: ReadonlyArray<EmulatorFaults.Rule> = [
  EmulatorFaults.latency(LATENCY_MS, { probability: 0.02 }),
  EmulatorFaults.error(500, { probability: 0.04 }),
  EmulatorFaults.rateLimit(0, { probability: 0.04 }),
  EmulatorFaults.reset({ probability: 0.04 }),
  EmulatorFaults.commitThenDrop({ probability: 0.08 })
]

/**
 * Errors that say no money moved.
 *
 * @since 0.1.0
 * @category errors
 */
export const DEFINITE: ReadonlyArray<ErrorGroup> = ["preflight", "declined", "rejected", "transient"]
/**
 * The smallest amount an operation uses, in minor units (₹1, $1).
 *
 * @since 0.1.0
 * @category operations
 */
export const MIN = 100

/**
 * A logical operation: `Create` a sale (or a hold, `sale: false`) of `amount` minor units, or
 * `Capture`/`Refund` `share` percent (at least `MIN`) of an earlier payment chosen by `target`
 * (modulo the payments that can take it).
 *
 * @since 0.1.0
 * @category operations
 */
export type Step =
  | { readonly _tag: "Create"; readonly sale: boolean; readonly amount: number }
  | { readonly _tag: "Capture" | "Refund"; readonly target: number; readonly share: number }

/**
 * Any `Step`, creations of 1 000–500 000 minor units two times in five.
 *
 * @since 0.1.0
 * @category operations
 */
export const step: FastCheck.Arbitrary<Step> = FastCheck.oneof(
  {
    weight: 2,
    arbitrary: FastCheck.record({
      _tag: FastCheck.constant("Create" as const),
      sale: FastCheck.boolean(),
      amount: FastCheck.integer({ min: 1_000, max: 500_000 })
    })
  },
  {
    weight: 3,
    arbitrary: FastCheck.record({
      _tag: FastCheck.constantFrom("Capture" as const, "Refund" as const),
      target: FastCheck.nat(),
      share: FastCheck.integer({ min: 1, max: 100 })
    })
  }
)
/**
 * One run of the property: the `seed` of its emulator and client-side faults, and between `OPS / 2`
 * and `OPS` steps.
 *
 * @since 0.1.0
 * @category operations
 */
export const plan = FastCheck.record({
  seed: FastCheck.integer({ min: 1, max: 0x7fff_ffff }),
  steps: FastCheck.array(step, { minLength: Math.ceil(OPS / 2), maxLength: OPS })
})
