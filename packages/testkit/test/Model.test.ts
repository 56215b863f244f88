import { assert, describe, it } from "@effect/vitest"
import type { Payment } from "@payport/core/Payment"
import * as Payments from "@payport/core/Payments"
import { InMemory, Model } from "@payport/testkit"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"

const fails = async (run: Promise<void>): Promise<string> => {
  try {
    await run
  } catch (error) {
    return String(error)
  }
  return "passed"
}

/** A provider whose `get` keeps answering with the first thing it saw: a stale cache. */
const staleSync = Layer.effect(
  Payments.Payments,
  Effect.gen(function* () {
    const real = yield* Payments.Payments
    const seen = new Map<string, Payment>()
    return Payments.Payments.of({
      ...real,
      get: (ref) =>
        Effect.map(real.get(ref), (payment) => {
          const first = seen.get(ref.paymentId) ?? payment
          seen.set(ref.paymentId, first)
          return first
        })
    })
  })
)

describe("model-based properties against the in-memory provider", () => {
  it(
    "random command sequences agree with the model (multiple captures)",
    () => Model.check(InMemory.harness(), { numRuns: 200, maxCommands: 16 }),
    60_000
  )

  it(
    "random command sequences agree with the model (one capture per hold)",
    () => Model.check(InMemory.harness({ multipleCaptures: false }), { numRuns: 200, maxCommands: 16 }),
    60_000
  )

  it(
    "random command sequences agree with the model (3-D Secure completed, and completed again)",
    () => Model.check(InMemory.threeDsHarness(), { numRuns: 200, maxCommands: 16 }),
    60_000
  )

  it("catches a provider whose sync returns stale payments", async () => {
    const broken: Model.Harness<InMemory.Simulator> = {
      ...InMemory.harness(),
      layer: () => Layer.provideMerge(staleSync, InMemory.layer())
    }
    const outcome = await fails(Model.check(broken, { numRuns: 200, maxCommands: 16, seed: 1 }))
    assert.include(outcome, "Counterexample")
  }, 60_000)

  it("catches a harness that claims multiple captures on a provider that allows one", async () => {
    const wrong = { ...InMemory.harness({ multipleCaptures: false }), multipleCaptures: true }
    const outcome = await fails(Model.check(wrong, { numRuns: 200, maxCommands: 16, seed: 1 }))
    assert.include(outcome, "should succeed but failed with InvalidState")
  }, 60_000)
})
