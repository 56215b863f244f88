/**
 * The testkit's model-based property against the adapter talking to a fresh CyberSource emulator
 * per run over loopback HTTP: random authorize / sale / capture / void / refund / replay / sync /
 * webhook sequences agree with the model and core's state machine; and the same with 3-D Secure
 * as the action (the payer at the challenge page, `ThreeDsAuthentication.complete`, completed again).
 *
 * `npm test` runs 100 sequences of at most 10 commands; set `PAYPORT_PROPERTY_RUNS` (and
 * `PAYPORT_PROPERTY_COMMANDS`) for a bigger run.
 */
import { assert, describe, it } from "@effect/vitest"
import * as CyberSourceFixtures from "@payport/testkit/CyberSourceFixtures"
import * as Model from "@payport/testkit/Model"
import { commonPortsFor, providerFor } from "./support/Live.js"

const numRuns = Number(process.env.PAYPORT_PROPERTY_RUNS ?? "100")
const maxCommands = Number(process.env.PAYPORT_PROPERTY_COMMANDS ?? "10")
const harness = CyberSourceFixtures.harness({ provider: commonPortsFor })
const threeDsHarness = CyberSourceFixtures.threeDsHarness({
  provider: (emulator) => providerFor(emulator, undefined, undefined, { payerAuthentication: true })
})

describe("model-based property against adapter ↔ emulator", () => {
  it(
    "random command sequences agree with the model",
    () => Model.check(harness, { numRuns, maxCommands }),
    Math.max(60_000, numRuns * maxCommands * 200)
  )

  it(
    "random command sequences agree with the model (3-D Secure challenge completed, and completed again)",
    () => Model.check(threeDsHarness, { numRuns: Math.max(1, Math.floor(numRuns / 2)), maxCommands }),
    Math.max(60_000, numRuns * maxCommands * 200)
  )

  it("is able to fail: a harness that misstates the capture rules is caught", async () => {
    let outcome = "passed"
    try {
      await Model.check({ ...harness, multipleCaptures: false }, { numRuns: 100, maxCommands: 10, seed: 1 })
    } catch (error) {
      outcome = String(error)
    }
    assert.include(outcome, "should fail InvalidState but succeeded")
  }, 60_000)
})
