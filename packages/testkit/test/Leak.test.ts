/**
 * Secrets never leak from the in-memory provider: the whole contract suite runs with every log
 * line (level All), span and span failure captured, and none of the test card numbers, the CVV,
 * the OTP or the webhook secret may appear. (Each adapter has the same test over its emulator.)
 */
import { assert, describe, it } from "@effect/vitest"
import { ContractSuite, InMemory, LeakCapture, TestData } from "@payport/testkit"
import * as Layer from "effect/Layer"

const capture = LeakCapture.make()

ContractSuite.contractSuite(
  "in-memory provider, observed",
  Layer.merge(InMemory.layer(), capture.layer),
  InMemory.fixtures
)

const secrets = [
  ...Object.values(TestData.successCards),
  ...Object.keys(TestData.decliningCards),
  TestData.otpCard,
  TestData.threeDsCard,
  TestData.OTP,
  "memory_webhook_secret",
  /cvv\W{0,12}123\b/i
]

describe("in-memory provider, observed", () => {
  it("logged, traced and failed with no card number, CVV, OTP or secret in sight", () => {
    // The run did produce observable output: spans for every port and failures to render.
    const names = new Set(capture.spans.map((s) => s.name))
    for (const name of [
      "Payments.create",
      "Authorization.capture",
      "Vault.list",
      "Cryptograms.fetch",
      "Webhooks.verify"
    ]) {
      assert.isTrue(names.has(name), `no ${name} span`)
    }
    assert.isAbove(capture.errors().length, 10)
    assert.deepStrictEqual(LeakCapture.leaked(capture.text(), secrets), [])
  })

  it("the scan finds a secret when one is there", () => {
    assert.deepStrictEqual(LeakCapture.leaked(`card ${TestData.otpCard} cvv: 123`, secrets), [
      TestData.otpCard,
      String(/cvv\W{0,12}123\b/i)
    ])
  })
})
