import { spawnSync } from "node:child_process"
import { fileURLToPath } from "node:url"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { run } from "../src/Checkout.js"
import * as Environments from "../src/Environments.js"
import * as Report from "../src/Report.js"

const main = fileURLToPath(new URL("../src/main.ts", import.meta.url))
const tsx = fileURLToPath(new URL("../../../node_modules/.bin/tsx", import.meta.url))

const start = (env: Record<string, string>) =>
  spawnSync(tsx, [main], { env: { ...process.env, ...env }, encoding: "utf8", timeout: 60_000 })

describe("the checkout", () => {
  it.live("every step behaves as expected against the in-memory provider", () =>
    Effect.gen(function* () {
      const rows = yield* run("test-checkout").pipe(Effect.provide(Environments.memory.layer), Effect.orDie)
      assert.deepStrictEqual(
        rows.map((r) => [r.step, r.outcome]),
        [
          ["create customer", "ok"],
          ["pay by card and save it", "ok"],
          ["list saved cards", "ok"],
          ["network-token cryptogram", "ok"],
          ["hold", "ok"],
          ["capture part of the hold", "ok"],
          ["refund part of the capture", "ok"],
          ["hold, then void", "ok"],
          ["UPI collect", "ok"],
          ["declined card", "ok"],
          ["webhook verified, tampered copy rejected", "ok"]
        ]
      )
      const byStep = new Map(rows.map((r) => [r.step, r]))
      assert.strictEqual(byStep.get("capture part of the hold")?.status, "PartiallyCaptured")
      assert.strictEqual(byStep.get("hold, then void")?.status, "Voided")
      assert.include(byStep.get("declined card")?.result ?? "", "invalid_account")
      assert.include(byStep.get("network-token cryptogram")?.result ?? "", "<redacted>")
      assert.isTrue(Report.allPassed(rows))
    })
  )

  it("the report is a table with a row per step", () => {
    const row = {
      step: "hold",
      provider: "memory",
      outcome: "ok",
      result: "10.00 held",
      status: "Authorized",
      elapsedMs: 3
    } as const
    const lines = Report.table([row, { ...row, outcome: "FAILED" }]).split("\n")
    assert.strictEqual(lines.length, 4)
    assert.match(lines[0] ?? "", /^provider\s+step\s+outcome\s+status\s+time\s+result$/)
    assert.isFalse(Report.allPassed([row, { ...row, outcome: "FAILED" }]))
    assert.isTrue(Report.allPassed([row, { ...row, outcome: "not supported" }]))
  })
})

describe("npm start", () => {
  it("runs the checkout and exits 0 when every step passes", () => {
    const result = start({ PAYPORT_PROVIDER: "memory" })
    assert.strictEqual(result.status, 0, result.stderr)
    assert.include(result.stdout, "Every step behaved as expected.")
    assert.match(result.stdout, /memory\s+declined card\s+ok/)
  })

  it("an unknown provider prints one line naming the variable and exits non-zero, without a stack trace", () => {
    const result = start({ PAYPORT_PROVIDER: "stripe" })
    assert.strictEqual(result.status, 2)
    assert.strictEqual(result.stdout, "")
    const lines = result.stderr.split("\n").filter((l) => l.trim() !== "")
    assert.deepStrictEqual(lines, [
      'Configuration error: PAYPORT_PROVIDER: "stripe" is not a provider; use one of cashfree, cybersource, memory'
    ])
  })
})
