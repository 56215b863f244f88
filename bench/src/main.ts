/**
 * `npm run bench [-- --quick] [--ops N] [--warmup N] [--reps N] [--concurrency 1,64] [--only op,op]
 *   [--profile] [--out FILE]`
 *
 * Starts both emulators in their own processes, bundles the three client programs, then runs
 * one client process per contender × operation × concurrency × repetition, sequentially; then
 * cold starts, bundle sizes and (with `--profile`) a CPU profile of Payport's client. Prints the
 * tables and writes the JSON (default `results/latest.json`).
 */
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs"
import { availableParallelism, cpus, totalmem } from "node:os"
import { dirname, join, resolve } from "node:path"
import { parseArgs } from "node:util"
import { benchRoot, buildClients, bundleSizes, type Form } from "./Build.js"
import { startEmulators } from "./Emulator.js"
import { coldStart, measure } from "./Measure.js"
import * as Profile from "./Profile.js"
import {
  type Contender,
  coldContenders,
  contendersFor,
  type Measurement,
  type Operation,
  operations
} from "./Protocol.js"
import { type ColdStart, type Results, ratios, render, rows } from "./Report.js"
import { summarize } from "./Stats.js"

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    ops: { type: "string" },
    warmup: { type: "string" },
    reps: { type: "string" },
    concurrency: { type: "string" },
    only: { type: "string" },
    profile: { type: "boolean", default: false },
    out: { type: "string" }
  }
})

const count = (name: string, value: string | undefined, fallback: number, max: number): number => {
  if (value === undefined) return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1 || n > max) {
    process.stderr.write(`--${name} must be an integer from 1 to ${max}\n`)
    process.exit(2)
  }
  return n
}

const quick = values.quick === true
/**
 * Cold starts: everything in one file (as deployed to serverless), then (full runs only, to keep
 * `--quick` short) loading from node_modules.
 */
const forms: ReadonlyArray<Form> = quick ? ["bundled"] : ["bundled", "node_modules"]
const ops = count("ops", values.ops, quick ? 64 : 600, 20_000)
const warmup = count("warmup", values.warmup, quick ? 40 : 1000, 5_000)
const reps = count("reps", values.reps, quick ? 1 : 3, 20)
const concurrency = (values.concurrency ?? "1,64").split(",").map((c) => count("concurrency", c, 1, 256))
const only = values.only?.split(",").map((name) => {
  const operation = operations.find((o) => o === name)
  if (operation === undefined) {
    process.stderr.write(`--only takes operations among ${operations.join(", ")}\n`)
    process.exit(2)
  }
  return operation
})
const selected: ReadonlyArray<Operation> = only ?? operations
const out = resolve(values.out ?? join(benchRoot, "results", "latest.json"))

/** The operation each contender's cold start sends first. */
const coldOperations: ReadonlyArray<Operation> = ["cashfree.createPay", "cybersource.authorize"]

const log = (text: string) => process.stderr.write(`${text}\n`)

const run = async (): Promise<Results> => {
  const started = Date.now()
  const [bundles, emulators] = await Promise.all([buildClients(), startEmulators()])
  const measurements: Array<Measurement> = []
  for (let rep = 0; rep < reps; rep++) {
    for (const operation of selected) {
      for (const c of concurrency) {
        for (const contender of contendersFor(operation)) {
          const m = await measure(bundles.node_modules[contender], {
            mode: "measure",
            contender,
            operation,
            concurrency: c,
            ops,
            warmup,
            emulators
          })
          measurements.push(m)
          log(
            `rep ${rep + 1}/${reps} ${operation} c=${c} ${contender}: ${m.cpuUsPerOp.toFixed(0)} µs CPU/op, p50 ${m.p50Ms.toFixed(2)} ms`
          )
        }
      }
    }
  }
  const cold: Array<ColdStart> = []
  for (const operation of coldOperations.filter((o) => selected.includes(o))) {
    for (const form of forms) {
      for (const contender of coldContenders) {
        const samples: Array<number> = []
        for (let rep = 0; rep < reps; rep++)
          samples.push(await coldStart(bundles[form][contender], contender, operation, emulators))
        cold.push({ contender: contender as Contender, operation, form, ms: summarize(samples), samples })
      }
    }
  }
  const profiles: Array<Profile.ProfileSummary> = []
  if (values.profile === true) {
    const dir = join(benchRoot, "results", "profiles")
    rmSync(dir, { recursive: true, force: true })
    mkdirSync(dir, { recursive: true })
    for (const operation of only ?? coldOperations) {
      const before = new Set(readdirSync(dir))
      // Run from TypeScript sources (tsx) so frames name Payport's files, not the bundle.
      const m = await measure(
        join(benchRoot, "src", "entries", "payport.ts"),
        {
          mode: "measure",
          contender: "payport",
          operation,
          concurrency: 1,
          ops: ops * 2,
          warmup,
          emulators
        },
        ["--conditions=@payport/source", "--import", "tsx", "--cpu-prof", "--cpu-prof-dir", dir]
      )
      // One profile per thread (tsx's loader runs in a worker); the main thread's id is 0.
      const file = readdirSync(dir).find((f) => !before.has(f) && /^CPU\.\d+\.\d+\.\d+\.0\.\d+\.cpuprofile$/.test(f))
      if (file !== undefined) {
        const named = join(dir, `${operation}.cpuprofile`)
        renameSync(join(dir, file), named)
        profiles.push(Profile.summarize(named, m.loopUs))
      }
    }
  }
  const sizes = await bundleSizes()
  const all = rows(measurements)
  log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  return {
    date: new Date().toISOString(),
    machine: {
      nproc: availableParallelism(),
      memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
      cpu: cpus()[0]?.model.trim() ?? "unknown",
      node: process.version
    },
    settings: { quick, ops, warmup, reps, concurrency },
    rows: all,
    ratios: ratios(all),
    coldStart: cold,
    bundles: sizes,
    profiles
  }
}

run().then(
  (results) => {
    mkdirSync(dirname(out), { recursive: true })
    writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`)
    process.stdout.write(`${render(results)}\n\nwrote ${out}\n`)
    process.exit(0)
  },
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`)
    process.exit(1)
  }
)
