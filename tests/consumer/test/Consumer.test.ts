/**
 * Payport as a user gets it: every public package packed with `npm pack`, installed from the
 * tarballs into a fresh project outside the repository together with Effect 3 from the registry,
 * exactly as the root README's install line says; the README's quick start (read from the README
 * now, not copied here) compiled with `tsc` under a user's settings and under the strictest ones,
 * then run with plain `node` against emulators started from the installed `payport-emulator` bin;
 * each tarball checked by `publint` and `attw` and against the file whitelist.
 *
 * Needs the packages built (`npm run build`; `npm test` builds first). One install serves every
 * check; npm's cache is reused (`--prefer-offline`).
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process"
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"

const root = fileURLToPath(new URL("../../../", import.meta.url))
const bin = (name: string) => join(root, "node_modules", ".bin", name)

/** The public packages, by directory under packages/. */
const packages = [
  "core",
  "http-node",
  "adapter-cashfree",
  "adapter-cybersource",
  "client",
  "emulators",
  "testkit",
  "webhooks-sql"
] as const
type Package = (typeof packages)[number]

interface Packed {
  readonly filename: string
  readonly size: number
  readonly files: ReadonlyArray<{ readonly path: string }>
}

const work = mkdtempSync(join(tmpdir(), "payport-consumer-"))
const tarballs = join(work, "tarballs")
const app = join(work, "app")
const packed = new Map<Package, Packed>()
const tarball = (name: Package) => join(tarballs, packed.get(name)?.filename ?? `missing-${name}.tgz`)

const run = (command: string, args: ReadonlyArray<string>, cwd: string, env: NodeJS.ProcessEnv = process.env) => {
  const result = spawnSync(command, args, { cwd, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 })
  return { status: result.status, stdout: result.stdout ?? "", stderr: result.stderr ?? "" }
}

const must = (command: string, args: ReadonlyArray<string>, cwd: string) => {
  const result = run(command, args, cwd)
  assert.strictEqual(result.status, 0, `${command} ${args.join(" ")}\n${result.stdout}\n${result.stderr}`)
  return result.stdout
}

const readme = readFileSync(join(root, "README.md"), "utf8")

/** The root README's install line: `npm install @payport/core … effect@^3.…`. */
const installLine = (): ReadonlyArray<string> => {
  const line = readme.match(/^npm install (@payport\/core .*)$/m)?.[1]
  assert.isDefined(line, "the README has an `npm install @payport/core …` line")
  return (line ?? "").split(/\s+/)
}

/** The first ```ts block after `heading` in the README. */
const blockAfter = (heading: string): string => {
  const at = readme.indexOf(heading)
  assert.isAtLeast(at, 0, `the README has "${heading}"`)
  const code = readme.slice(at).match(/^```ts\n([\s\S]*?)^```$/m)?.[1]
  assert.isDefined(code, `the README has a \`\`\`ts block after "${heading}"`)
  return code ?? ""
}

/** The README's quick starts: the Effect program and the async/await one. */
const quickStarts = { effect: "## Quick start", promise: "### With async/await" } as const

/** A `package.json` spec for each of our packages: its tarball, standing in for the registry. */
const fromTarball = (spec: string): string => {
  const name = packages.find((p) => spec === `@payport/${p}`)
  return name === undefined ? spec : tarball(name)
}

const npmInstall = (cwd: string, specs: ReadonlyArray<string>) =>
  must("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", ...specs], cwd)

const writeJson = (path: string, value: unknown) => writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`)

/**
 * The registry does not have our packages: `overrides` points a dependency of an installed tarball
 * at its own tarball, where the registry would have served it.
 */
const overrides = (names: ReadonlyArray<Package>) =>
  Object.fromEntries(names.map((p) => [`@payport/${p}`, `file:${tarball(p)}`]))

beforeAll(() => {
  assert.isTrue(
    packages.every((p) => existsSync(join(root, "packages", p, "dist", "index.js"))),
    "the packages are built (npm run build)"
  )
  mkdirSync(tarballs, { recursive: true })
  for (const name of packages) {
    const out = must("npm", ["pack", "--json", "--pack-destination", tarballs], join(root, "packages", name))
    const [info] = JSON.parse(out) as ReadonlyArray<Packed>
    assert.isDefined(info)
    if (info !== undefined) packed.set(name, info)
  }
  mkdirSync(join(app, "src"), { recursive: true })
  writeJson(join(app, "package.json"), { name: "consumer-app", private: true, type: "module" })
  // The README's line, plus the emulators and testkit a user adds for tests, plus Node's types.
  npmInstall(app, [
    ...installLine().map(fromTarball),
    tarball("client"),
    tarball("emulators"),
    tarball("testkit"),
    // the SQL deduplicator, whose peer @effect/sql npm installs from the registry
    tarball("webhooks-sql"),
    "@types/node@^20.19.0"
  ])
  for (const [name, heading] of Object.entries(quickStarts)) {
    writeFileSync(join(app, "src", `quickstart-${name}.ts`), blockAfter(heading))
  }
}, 300_000)

afterAll(() => {
  rmSync(work, { recursive: true, force: true })
})

describe("the tarballs", () => {
  it("each ships its build, sources for the maps, README, LICENSE and package.json, and nothing else", () => {
    for (const name of packages) {
      const files = (packed.get(name)?.files ?? []).map((f) => f.path)
      for (const required of [
        "package.json",
        "README.md",
        "LICENSE",
        "CHANGELOG.md",
        "dist/index.js",
        "dist/index.d.ts"
      ]) {
        assert.include(files, required, `${name} ships ${required}`)
      }
      assert.include(files, "dist/index.d.ts.map", `${name} ships declaration maps`)
      assert.include(files, "dist/index.js.map", `${name} ships source maps`)
      for (const file of files) {
        assert.match(
          file,
          /^(dist\/|src\/|bin\/|README\.md$|LICENSE$|CHANGELOG\.md$|package\.json$)/,
          `${name}: ${file} is outside the whitelist`
        )
        assert.notMatch(
          file,
          /(^|\/)test\/|\.test\.ts$|tsconfig|vitest\.config|docgen\.json|\.tsbuildinfo$/,
          `${name}: ${file}`
        )
      }
    }
  })

  it("declare what a registry needs: public access, repository, engines, semver ranges between our packages", () => {
    for (const name of packages) {
      const manifest = JSON.parse(
        readFileSync(join(app, "node_modules", "@payport", name, "package.json"), "utf8")
      ) as {
        readonly publishConfig?: { readonly access?: string }
        readonly repository?: { readonly url?: string }
        readonly engines?: { readonly node?: string }
        readonly license?: string
        readonly dependencies?: Readonly<Record<string, string>>
        readonly peerDependencies?: Readonly<Record<string, string>>
      }
      assert.strictEqual(manifest.publishConfig?.access, "public", name)
      assert.isString(manifest.repository?.url, name)
      assert.strictEqual(manifest.engines?.node, ">=20.19", name)
      assert.strictEqual(manifest.license, "MIT", name)
      for (const [dep, range] of Object.entries(manifest.dependencies ?? {})) {
        assert.match(range, /^\^\d+\.\d+\.\d+$/, `${name} depends on ${dep}@${range}`)
      }
      assert.match(manifest.peerDependencies?.effect ?? "", /^\^3\./, `${name} peers on Effect 3`)
    }
  })

  it("publint finds nothing, warnings included", () => {
    for (const name of packages) {
      const result = run(bin("publint"), ["run", tarball(name), "--strict"], work)
      assert.strictEqual(result.status, 0, `${name}\n${result.stdout}${result.stderr}`)
      assert.include(result.stdout, "All good!", name)
    }
  }, 120_000)

  it("attw: every entry point resolves to types and ESM under node16 and bundler resolution", () => {
    for (const name of packages) {
      // attw does not expand `./*`; name each public module (dist/*.js outside internal/).
      const modules = (packed.get(name)?.files ?? [])
        .map((f) => f.path.match(/^dist\/([A-Za-z]\w*)\.js$/)?.[1])
        .filter((m): m is string => m !== undefined && m !== "index")
      assert.isNotEmpty(modules, name)
      const result = run(
        bin("attw"),
        [
          tarball(name),
          "--profile",
          "esm-only",
          "--format",
          "json",
          "--include-entrypoints",
          ...modules.map((m) => `./${m}`)
        ],
        work
      )
      const report = JSON.parse(result.stdout) as {
        readonly problems?: Readonly<
          Record<string, ReadonlyArray<{ readonly entrypoint: string; readonly resolutionKind?: string }>>
        >
      }
      const problems = Object.entries(report.problems ?? {}).flatMap(([kind, list]) =>
        list
          .filter((p) => p.resolutionKind !== "node10" && p.resolutionKind !== "node16-cjs")
          .map((p) => `${kind} ${p.entrypoint} (${p.resolutionKind})`)
      )
      assert.deepStrictEqual(problems, [], name)
      assert.strictEqual(result.status, 0, `${name}\n${result.stderr}`)
    }
  }, 180_000)
})

describe("the README's quick start in a fresh project", () => {
  const tsc = (config: Record<string, unknown>, file: string) => {
    writeJson(join(app, file), { compilerOptions: config, include: ["src"] })
    return run(bin("tsc"), ["-p", file], app)
  }

  it("type-checks and compiles under a user's settings (NodeNext, strict)", () => {
    const result = tsc(
      {
        target: "ES2022",
        module: "NodeNext",
        moduleResolution: "NodeNext",
        strict: true,
        outDir: "dist",
        rootDir: "src"
      },
      "tsconfig.json"
    )
    assert.strictEqual(result.status, 0, result.stdout)
    assert.isTrue(existsSync(join(app, "dist", "quickstart-effect.js")))
    assert.isTrue(existsSync(join(app, "dist", "quickstart-promise.js")))
  }, 120_000)

  it("type-checks under the strictest settings, library declarations included", () => {
    const result = tsc(
      {
        target: "ES2022",
        module: "NodeNext",
        moduleResolution: "NodeNext",
        noEmit: true,
        // @tsconfig/strictest, plus the flags it leaves out that users turn on.
        strict: true,
        allowUnusedLabels: false,
        allowUnreachableCode: false,
        exactOptionalPropertyTypes: true,
        noFallthroughCasesInSwitch: true,
        noImplicitOverride: true,
        noImplicitReturns: true,
        noPropertyAccessFromIndexSignature: true,
        noUncheckedIndexedAccess: true,
        noUnusedLocals: true,
        noUnusedParameters: true,
        isolatedModules: true,
        checkJs: true,
        esModuleInterop: true,
        skipLibCheck: false,
        forceConsistentCasingInFileNames: true,
        verbatimModuleSyntax: true,
        erasableSyntaxOnly: true
      },
      "tsconfig.strictest.json"
    )
    assert.strictEqual(result.status, 0, result.stdout)
  }, 120_000)

  /**
   * Starts the installed `payport-emulator` in a process group of its own and resolves with the
   * JSON line it prints; the whole group is stopped afterwards (`npx` runs the bin as a child).
   */
  const emulators: Array<ChildProcess> = []
  const startEmulator = (cwd: string, command: string, args: ReadonlyArray<string>) =>
    new Promise<Readonly<Record<string, string>>>((resolve, reject) => {
      const child = spawn(command, args, { cwd, stdio: ["ignore", "pipe", "pipe"], detached: true })
      emulators.push(child)
      let out = ""
      let err = ""
      child.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString("utf8")
        const line = out.split("\n")[0]
        if (out.includes("\n") && line !== undefined) resolve(JSON.parse(line) as Record<string, string>)
      })
      child.stderr.on("data", (chunk: Buffer) => {
        err += chunk.toString("utf8")
      })
      child.on("exit", (code) => reject(new Error(`payport-emulator exited with ${code}: ${err}`)))
    })
  afterAll(() => {
    for (const child of emulators) {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, "SIGTERM")
      } catch {
        // The group has already exited.
      }
    }
  })

  const runQuickStart = (env: Record<string, string>, which: keyof typeof quickStarts = "effect") =>
    run(process.execPath, [join(app, "dist", `quickstart-${which}.js`)], app, {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      ...env
    })

  /** What the emulator counted, through its HTTP truth endpoint. */
  const truth = async (baseUrl: string) => {
    const response = await fetch(new URL("/__payport/truth", baseUrl))
    assert.strictEqual(response.status, 200)
    return (await response.json()) as { readonly charges?: number }
  }

  for (const which of ["effect", "promise"] as const) {
    it(`the ${which} quick start runs with plain node against the Cashfree emulator from the installed bin, configured by the README's variables`, async () => {
      const emulator = await startEmulator(app, join(app, "node_modules", ".bin", "payport-emulator"), [
        "cashfree",
        "--port",
        "0"
      ])
      const result = runQuickStart(
        {
          PAYPORT_PROVIDER: "cashfree",
          CASHFREE_BASE_URL: emulator.baseUrl ?? "",
          CASHFREE_CLIENT_ID: emulator.clientId ?? "",
          CASHFREE_CLIENT_SECRET: emulator.clientSecret ?? ""
        },
        which
      )
      assert.strictEqual(result.status, 0, result.stderr)
      assert.match(result.stdout, /^Captured: INR 1499\.00 \(\S+\)$/m)
      assert.strictEqual((await truth(emulator.baseUrl ?? "")).charges, 1)
    }, 60_000)

    it(`the ${which} quick start runs with plain node against the CyberSource emulator from the installed bin`, async () => {
      const emulator = await startEmulator(app, join(app, "node_modules", ".bin", "payport-emulator"), [
        "cybersource",
        "--port",
        "0"
      ])
      const result = runQuickStart(
        {
          PAYPORT_PROVIDER: "cybersource",
          CYBERSOURCE_BASE_URL: emulator.baseUrl ?? "",
          CYBERSOURCE_MERCHANT_ID: emulator.merchantId ?? "",
          CYBERSOURCE_KEY_ID: emulator.keyId ?? "",
          CYBERSOURCE_SHARED_SECRET: emulator.sharedSecret ?? ""
        },
        which
      )
      assert.strictEqual(result.status, 0, result.stderr)
      assert.match(result.stdout, /^Captured: INR 1499\.00 \(\S+\)$/m)
      assert.strictEqual((await truth(emulator.baseUrl ?? "")).charges, 1)
    }, 60_000)

    it(`the ${which} quick start fails naming a missing credential`, () => {
      const result = runQuickStart({ PAYPORT_PROVIDER: "cashfree" }, which)
      assert.strictEqual(result.status, 1)
      assert.include(result.stderr, "CASHFREE_CLIENT_ID")
    })
  }

  it("`npx payport-emulator cashfree` works in an app that installed only @payport/emulators", async () => {
    const emulatorsOnly = join(work, "emulators-only")
    mkdirSync(emulatorsOnly, { recursive: true })
    writeJson(join(emulatorsOnly, "package.json"), {
      name: "emulators-only",
      private: true,
      overrides: overrides(["core"])
    })
    npmInstall(emulatorsOnly, ["--save-dev", tarball("emulators")])
    const installed = JSON.parse(readFileSync(join(emulatorsOnly, "package.json"), "utf8")) as {
      readonly devDependencies?: Readonly<Record<string, string>>
    }
    assert.deepStrictEqual(Object.keys(installed.devDependencies ?? {}), ["@payport/emulators"])
    for (const absent of ["vitest", "tsx", "vite", "esbuild", "rollup", "@effect/platform-node"]) {
      assert.isFalse(existsSync(join(emulatorsOnly, "node_modules", absent)), `${absent} is not installed`)
    }
    const emulator = await startEmulator(emulatorsOnly, "npx", [
      "--no-install",
      "payport-emulator",
      "cashfree",
      "--port",
      "0"
    ])
    const response = await fetch(`${emulator.baseUrl}/orders/nope`, {
      headers: {
        "x-api-version": "2025-01-01",
        "x-client-id": emulator.clientId ?? "",
        "x-client-secret": emulator.clientSecret ?? ""
      }
    })
    assert.strictEqual(response.status, 404)
    assert.strictEqual(((await response.json()) as { readonly code?: string }).code, "order_not_found")
  }, 180_000)
})

describe("module formats", () => {
  it("CommonJS: require() of the packages works on this Node (require(esm), Node ≥ 20.19)", () => {
    const cjs = join(app, "cjs")
    mkdirSync(cjs, { recursive: true })
    writeJson(join(cjs, "package.json"), { type: "commonjs" })
    writeFileSync(
      join(cjs, "main.js"),
      [
        'const { Money } = require("@payport/core")',
        'const { Cashfree } = require("@payport/adapter-cashfree")',
        'const { CashfreeEmulator } = require("@payport/emulators")',
        'const { Payport } = require("@payport/client")',
        "console.log(typeof Money.fromDecimal, typeof Cashfree.layerConfig, typeof CashfreeEmulator.start, typeof Payport.make)"
      ].join("\n")
    )
    const result = run(process.execPath, [join(cjs, "main.js")], cjs)
    assert.strictEqual(result.status, 0, result.stderr)
    assert.strictEqual(result.stdout.trim(), "function function function function")
  })

  it("testkit's in-memory provider loads without vitest; the suites' entry point names what it needs", () => {
    const memory = run(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        'import * as InMemory from "@payport/testkit/InMemory"; console.log(typeof InMemory.layer)'
      ],
      app
    )
    assert.strictEqual(memory.status, 0, memory.stderr)
    assert.strictEqual(memory.stdout.trim(), "function")
    const suites = run(process.execPath, ["--input-type=module", "-e", 'import "@payport/testkit"'], app)
    assert.notStrictEqual(suites.status, 0)
    assert.include(suites.stderr, "@effect/vitest")
  })
})
