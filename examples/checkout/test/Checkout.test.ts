import { spawnSync } from "node:child_process"
import { fileURLToPath } from "node:url"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { run } from "../src/Checkout.js"
import * as Environments from "../src/Environments.js"
import * as Report from "../src/Report.js"

const main = fileURLToPath(new URL("../src/main.ts", import.meta.url))
const tsx = fileURLToPath(new URL("../../../node_modules/.bin/tsx", import.meta.url))

const start = (env: Record<string, string>) => {
  const { PAYPORT_PROVIDER: _, ...inherited } = process.env
  return spawnSync(tsx, [main], { env: { ...inherited, ...env }, encoding: "utf8", timeout: 60_000 })
}

describe("the checkout", () => {
  const steps = [
    "create customer",
    "pay by card and save it",
    "list saved cards",
    "network-token cryptogram",
    "hold",
    "capture part of the hold",
    "refund part of the capture",
    "hold, then void",
    "UPI collect",
    "declined card",
    "webhook verified, tampered copy rejected"
  ]

  /** What each provider cannot do, by its capabilities: those steps say so instead of running. */
  const unsupported: Record<string, ReadonlyArray<string>> = {
    memory: [],
    cashfree: [],
    cybersource: ["network-token cryptogram", "UPI collect"]
  }

  for (const environment of [Environments.memory, Environments.cashfree, Environments.cybersource]) {
    it.live(`every step behaves as expected against ${environment.target}`, () =>
      Effect.gen(function* () {
        const rows = yield* run(`test-${environment.name}`).pipe(Effect.provide(environment.layer), Effect.orDie)
        assert.deepStrictEqual(
          rows.map((r) => [r.step, r.outcome]),
          steps.map((step) => [step, unsupported[environment.name]?.includes(step) === true ? "not supported" : "ok"])
        )
        const byStep = new Map(rows.map((r) => [r.step, r]))
        assert.strictEqual(byStep.get("pay by card and save it")?.status, "Captured")
        assert.strictEqual(byStep.get("hold")?.status, "Authorized")
        assert.strictEqual(byStep.get("capture part of the hold")?.status, "PartiallyCaptured")
        assert.strictEqual(byStep.get("hold, then void")?.status, "Voided")
        assert.include(byStep.get("declined card")?.result ?? "", "PaymentDeclined")
        assert.include(
          byStep.get("webhook verified, tampered copy rejected")?.result ?? "",
          "tampered: SignatureInvalid"
        )
        assert.notInclude(JSON.stringify(rows), "4111111111111111")
        assert.isTrue(Report.allPassed(rows))
      })
    )
  }

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
  it("runs the checkout against every provider and exits 0 when every step passes", () => {
    const result = start({})
    assert.strictEqual(result.status, 0, result.stderr)
    assert.include(result.stdout, "Every step behaved as expected.")
    for (const provider of ["cashfree", "cybersource", "memory"]) {
      assert.match(result.stdout, new RegExp(`${provider}\\s+declined card\\s+ok`))
    }
  })

  it("PAYPORT_PROVIDER runs one provider", () => {
    const result = start({ PAYPORT_PROVIDER: "cybersource" })
    assert.strictEqual(result.status, 0, result.stderr)
    assert.notMatch(result.stdout, /^(cashfree|memory) /m)
    assert.match(result.stdout, /^cybersource\s+hold\s+ok/m)
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
