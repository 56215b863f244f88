/**
 * The READMEs cannot rot: every ```ts block in them is a complete module that must type-check
 * (illustrative fragments are marked ```typescript instead and are not checked), and the root
 * README's quick start runs, unchanged, against each provider's emulator configured only through
 * the documented environment variables.
 */
import { spawnSync } from "node:child_process"
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { assert, describe, it } from "@effect/vitest"
import * as CashfreeEmulator from "@payport/emulators/CashfreeEmulator"
import * as CyberSourceEmulator from "@payport/emulators/CyberSourceEmulator"
import * as Processes from "@payport/testkit/Processes"
import * as Effect from "effect/Effect"

const root = fileURLToPath(new URL("../../../", import.meta.url))
const here = fileURLToPath(new URL("../", import.meta.url))
const snippets = join(here, "snippets")
const bin = (name: string) => join(root, "node_modules", ".bin", name)

const readmes = [
  "README.md",
  ...["packages", "examples", "tests"].flatMap((dir) =>
    readdirSync(join(root, dir), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => `${dir}/${entry.name}/README.md`)
  )
].filter((path) => {
  try {
    readFileSync(join(root, path))
    return true
  } catch {
    return false
  }
})

/** The ```ts blocks of a markdown file. */
const blocks = (markdown: string): ReadonlyArray<string> =>
  [...markdown.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((match) => match[1] ?? "")

const files = readmes.flatMap((readme) =>
  blocks(readFileSync(join(root, readme), "utf8")).map((code, i) => ({
    readme,
    name: `${readme.replace(/\/?README\.md$/, "").replace(/\//g, "-") || "root"}-${i + 1}.ts`,
    code
  }))
)

rmSync(snippets, { recursive: true, force: true })
mkdirSync(snippets, { recursive: true })
for (const file of files) writeFileSync(join(snippets, file.name), file.code)
writeFileSync(
  join(snippets, "tsconfig.json"),
  JSON.stringify({
    extends: "../../../tsconfig.base.json",
    // Examples may declare a value to show it without using it.
    compilerOptions: { types: ["node"], noUnusedLocals: false, noUnusedParameters: false },
    include: ["*.ts"]
  })
)

const quickStart = files.find((f) => f.readme === "README.md")

/** Runs the quick start in a child process; asynchronously, so an in-process emulator keeps serving. */
const runQuickStart = (env: Record<string, string>) =>
  Processes.run(bin("tsx"), ["--conditions=@payport/source", join(snippets, quickStart?.name ?? "missing.ts")], {
    cwd: here,
    env: { ...process.env, ...env }
  })

describe("README code blocks", () => {
  it("finds the blocks: the root quick start and the package READMEs' examples", () => {
    assert.isDefined(quickStart)
    assert.isAtLeast(files.length, 3)
  })

  it("every ```ts block type-checks as a module, strict", () => {
    const result = spawnSync(bin("tsc"), ["-p", join(snippets, "tsconfig.json"), "--noEmit"], { encoding: "utf8" })
    assert.strictEqual(result.status, 0, `${result.stdout}${result.stderr}`)
  }, 120_000)

  it.live("the quick start pays against the Cashfree emulator, configured only by environment variables", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const emulator = yield* CashfreeEmulator.start()
        const result = yield* runQuickStart({
          PAYPORT_PROVIDER: "cashfree",
          CASHFREE_CLIENT_ID: emulator.clientId,
          CASHFREE_CLIENT_SECRET: emulator.clientSecret,
          CASHFREE_BASE_URL: emulator.baseUrl
        })
        assert.strictEqual(result.status, 0, result.stderr)
        // Cashfree sends an entered card through its payment page first.
        assert.match(result.stdout, /^(RequiresAction|Captured): INR 1499\.00 \(\S+\)$/m)
      })
    )
  )

  it.live("the quick start pays against the CyberSource emulator, configured only by environment variables", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const emulator = yield* CyberSourceEmulator.start()
        const result = yield* runQuickStart({
          PAYPORT_PROVIDER: "cybersource",
          CYBERSOURCE_MERCHANT_ID: emulator.merchantId,
          CYBERSOURCE_KEY_ID: emulator.keyId,
          CYBERSOURCE_SHARED_SECRET: emulator.sharedSecret,
          CYBERSOURCE_BASE_URL: emulator.baseUrl
        })
        assert.strictEqual(result.status, 0, result.stderr)
        assert.match(result.stdout, /^Captured: INR 1499\.00 \(\S+\)$/m)
        assert.strictEqual(emulator.truth.authFailures().length, 0)
      })
    )
  )

  it.live("a bad configuration fails naming the variable", () =>
    Effect.gen(function* () {
      const result = yield* runQuickStart({ PAYPORT_PROVIDER: "cashfree", CASHFREE_CLIENT_ID: "" })
      assert.notStrictEqual(result.status, 0)
      assert.include(`${result.stdout}${result.stderr}`, "CASHFREE_CLIENT_ID")
    })
  )
})
