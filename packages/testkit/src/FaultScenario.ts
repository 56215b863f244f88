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

export const RUNS = Number(process.env.PAYPORT_EXACTLY_ONCE_RUNS ?? 10)
export const OPS = Number(process.env.PAYPORT_EXACTLY_ONCE_OPS ?? 8)
export const SEED = process.env.PAYPORT_EXACTLY_ONCE_SEED

/** Short timings: the emulator's latency fault outlasts an attempt; retries stay bounded. */
export const ATTEMPT_MS = 300
export const LATENCY_MS = 500
/** Long enough for a request the emulator delayed to have been handled. */
export const SETTLE_MS = LATENCY_MS + 300
export const timing = {
  attemptTimeout: `${ATTEMPT_MS} millis`,
  deadline: "8 seconds",
  retries: 3,
  baseDelay: "2 millis",
  maxDelay: "20 millis"
} as const

export const clientFaults: ReadonlyArray<EmulatorFaults.Rule> = [
  EmulatorFaults.reset({ probability: 0.05 }),
  EmulatorFaults.rateLimit(0, { probability: 0.04 }),
  EmulatorFaults.error(503, { probability: 0.04 }),
  EmulatorFaults.commitThenDrop({ probability: 0.08 })
]
export const providerFaults: ReadonlyArray<EmulatorFaults.Rule> = [
  EmulatorFaults.latency(LATENCY_MS, { probability: 0.02 }),
  EmulatorFaults.error(500, { probability: 0.04 }),
  EmulatorFaults.rateLimit(0, { probability: 0.04 }),
  EmulatorFaults.reset({ probability: 0.04 }),
  EmulatorFaults.commitThenDrop({ probability: 0.08 })
]

/** Errors that say no money moved. */
export const DEFINITE: ReadonlyArray<ErrorGroup> = ["preflight", "declined", "rejected", "transient"]
/** The smallest amount an operation uses, in minor units (₹1, $1). */
export const MIN = 100

export type Step =
  | { readonly _tag: "Create"; readonly sale: boolean; readonly amount: number }
  | { readonly _tag: "Capture" | "Refund"; readonly target: number; readonly share: number }

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
export const plan = FastCheck.record({
  seed: FastCheck.integer({ min: 1, max: 0x7fff_ffff }),
  steps: FastCheck.array(step, { minLength: Math.ceil(OPS / 2), maxLength: OPS })
})
