import { spawnSync } from "node:child_process"
import { fileURLToPath } from "node:url"
import { assert, describe, it } from "@effect/vitest"
import * as Processes from "@payport/testkit/Processes"
import * as CashfreeEmulator from "@payport/emulators/CashfreeEmulator"
import * as CyberSourceEmulator from "@payport/emulators/CyberSourceEmulator"
import * as Effect from "effect/Effect"
import { run } from "../src/Checkout.js"
import * as Environments from "../src/Environments.js"
import * as Report from "../src/Report.js"

const main = fileURLToPath(new URL("../src/main.ts", import.meta.url))
const tsx = fileURLToPath(new URL("../../../node_modules/.bin/tsx", import.meta.url))

/** The test's environment without any Payport or provider configuration a developer may have set. */
const clean = (env: Record<string, string>) => ({
  ...Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(PAYPORT_PROVIDER|CASHFREE_|CYBERSOURCE_)/.test(name))
  ),
  ...env
})

const start = (env: Record<string, string>) =>
  spawnSync(tsx, ["--conditions=@payport/source", main], { env: clean(env), encoding: "utf8", timeout: 60_000 })

/** `npm start` in a child process, asynchronously, so an emulator in this process keeps serving. */
const startAsync = (env: Record<string, string>) =>
  Processes.run(tsx, ["--conditions=@payport/source", main], { env: clean(env) })

/** The report's rows for one provider: step → [outcome, status]. */
const rowsOf = (stdout: string, provider: string) =>
  new Map(
    stdout
      .split("\n")
      .filter((line) => line.startsWith(`${provider} `))
      .map((line) => {
        const [step = "", outcome = "", status = ""] = line
          .slice(provider.length)
          .trim()
          .split(/\s{2,}/)
        return [step, [outcome, status]] as const
      })
  )

const configurationError = (result: { readonly stdout: string; readonly stderr: string }) => ({
  stdout: result.stdout,
  lines: result.stderr.split("\n").filter((l) => l.trim() !== "" && !l.startsWith("npm warn"))
})

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
    "3-D Secure challenge",
    "webhook verified, tampered copy rejected"
  ]

  /** What each provider cannot do, by its capabilities: those steps say so instead of running. */
  const unsupported: Record<string, ReadonlyArray<string>> = {
    memory: [],
    cashfree: ["3-D Secure challenge"],
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
        if (environment.name !== "cashfree") assert.strictEqual(byStep.get("3-D Secure challenge")?.status, "Captured")
        if (environment.name === "cybersource") {
          assert.include(byStep.get("3-D Secure challenge")?.result ?? "", "/V2/Cruise/StepUp passed")
        }
        assert.notInclude(JSON.stringify(rows), "4111111111111111")
        assert.notInclude(JSON.stringify(rows), "4000000000002503")
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
      // Each step is printed as it ends, before the closing table.
      const live = result.stdout.indexOf(`✓ ${provider}: declined card — ok`)
      assert.isAtLeast(live, 0, `${provider}'s declined card step printed live`)
      assert.isBelow(live, result.stdout.indexOf("\nprovider  "))
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

describe("credentials mode: the same checkout against a provider account, configured only by its variables", () => {
  it.live("Cashfree: CASHFREE_* point it at the account; the payer acts through POST /simulate", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const emulator = yield* CashfreeEmulator.start()
        const result = yield* startAsync({
          PAYPORT_PROVIDER: "cashfree",
          CASHFREE_CLIENT_ID: emulator.clientId,
          CASHFREE_CLIENT_SECRET: emulator.clientSecret,
          CASHFREE_BASE_URL: emulator.baseUrl
        })
        assert.strictEqual(result.status, 0, `${result.stdout}${result.stderr}`)
        assert.include(result.stdout, "cashfree: Cashfree, from CASHFREE_*")
        const rows = rowsOf(result.stdout, "cashfree")
        assert.deepStrictEqual(rows.get("pay by card and save it"), ["ok", "Captured"])
        assert.deepStrictEqual(rows.get("list saved cards"), ["ok", "-"])
        assert.deepStrictEqual(rows.get("network-token cryptogram"), ["ok", "-"])
        assert.deepStrictEqual(rows.get("hold"), ["ok", "Authorized"])
        assert.deepStrictEqual(rows.get("capture part of the hold"), ["ok", "PartiallyCaptured"])
        assert.deepStrictEqual(rows.get("hold, then void"), ["ok", "Voided"])
        assert.deepStrictEqual(rows.get("UPI collect"), ["ok", "Captured"])
        assert.deepStrictEqual(rows.get("declined card"), ["ok", "Failed"])
        assert.deepStrictEqual(rows.get("3-D Secure challenge"), ["not supported", "-"])
        assert.deepStrictEqual(rows.get("webhook verified, tampered copy rejected"), ["not supported", "-"])
        assert.strictEqual(rows.size, 12)
        // The good card waited for the payer, whose bank declined it through POST /simulate (the
        // error code is the one the payer stand-in sends; no card in the emulator's tables gives it).
        const declined = emulator.truth.payments().filter((p) => p.orderId.endsWith("-decline"))
        assert.deepStrictEqual(
          declined.map((p) => [p.status, p.errorCode]),
          [["FAILED", "ISSUER_NOT_AVAILABLE"]]
        )
      })
    )
  )

  it.live("CyberSource: CYBERSOURCE_* point it at the account, every request signed", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const emulator = yield* CyberSourceEmulator.start()
        const result = yield* startAsync({
          PAYPORT_PROVIDER: "cybersource",
          CYBERSOURCE_MERCHANT_ID: emulator.merchantId,
          CYBERSOURCE_KEY_ID: emulator.keyId,
          CYBERSOURCE_SHARED_SECRET: emulator.sharedSecret,
          CYBERSOURCE_BASE_URL: emulator.baseUrl
        })
        assert.strictEqual(result.status, 0, `${result.stdout}${result.stderr}`)
        const rows = rowsOf(result.stdout, "cybersource")
        assert.deepStrictEqual(rows.get("pay by card and save it"), ["ok", "Captured"])
        assert.deepStrictEqual(rows.get("capture part of the hold"), ["ok", "PartiallyCaptured"])
        assert.deepStrictEqual(rows.get("declined card"), ["ok", "Failed"])
        assert.deepStrictEqual(rows.get("UPI collect"), ["not supported", "-"])
        // No payer stands in for a real issuer's challenge page in a sandbox account.
        assert.deepStrictEqual(rows.get("3-D Secure challenge"), ["not supported", "-"])
        assert.deepStrictEqual(rows.get("webhook verified, tampered copy rejected"), ["not supported", "-"])
        assert.strictEqual(rows.size, 12)
        assert.strictEqual(emulator.truth.authFailures().length, 0)
      })
    )
  )

  it("a missing Cashfree credential prints one line naming the variable and exits 2", () => {
    const run = start({ PAYPORT_PROVIDER: "cashfree", CASHFREE_CLIENT_ID: "x" })
    assert.strictEqual(run.status, 2)
    const result = configurationError(run)
    assert.strictEqual(result.stdout, "")
    assert.deepStrictEqual(result.lines, ["Configuration error: CASHFREE_CLIENT_SECRET: is not set"])
  })

  it("a missing CyberSource credential prints one line naming the variable and exits 2", () => {
    const run = start({ PAYPORT_PROVIDER: "cybersource", CYBERSOURCE_MERCHANT_ID: "m", CYBERSOURCE_KEY_ID: "k" })
    assert.strictEqual(run.status, 2)
    const result = configurationError(run)
    assert.strictEqual(result.stdout, "")
    assert.deepStrictEqual(result.lines, ["Configuration error: CYBERSOURCE_SHARED_SECRET: is not set"])
  })

  it("refuses production: the demo creates payments", () => {
    const run = start({
      PAYPORT_PROVIDER: "cashfree",
      CASHFREE_CLIENT_ID: "x",
      CASHFREE_CLIENT_SECRET: "y",
      CASHFREE_ENVIRONMENT: "production"
    })
    assert.strictEqual(run.status, 2)
    assert.match(configurationError(run).lines.join("\n"), /^Configuration error: CASHFREE_ENVIRONMENT: /)
  })
})
