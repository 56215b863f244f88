/**
 * Load tests against an emulator running in its own process: start one with the
 * `payport-emulator` CLI (`spawnEmulator`), then `drive` many operations at a fixed concurrency and
 * get a `Report` — throughput, latency percentiles, peak RSS of this process, failures by tag,
 * unhandled promise rejections and fibers still running afterwards (a leak).
 *
 * Reports are for printing; a test asserts correctness (every operation succeeded exactly once at
 * the provider, no leak), never speed.
 *
 * @since 0.1.0
 */
import { type ChildProcess, spawn } from "node:child_process"
import { createRequire } from "node:module"
import { dirname, join } from "node:path"
import type { CurrencyCode } from "@payport/core/Currency"
import * as Money from "@payport/core/Money"
import type { OperationError } from "@payport/core/PaymentError"
import * as PaymentMethod from "@payport/core/PaymentMethod"
import * as Payments from "@payport/core/Payments"
import * as Effect from "effect/Effect"
import * as Supervisor from "effect/Supervisor"
import type * as Scope from "effect/Scope"

/**
 * What the CLI prints when listening: the base URL and the credentials.
 *
 * @since 0.1.0
 * @category models
 */
export type EmulatorInfo =
  | {
      readonly provider: "cashfree"
      readonly baseUrl: string
      readonly clientId: string
      readonly clientSecret: string
    }
  | {
      readonly provider: "cybersource"
      readonly baseUrl: string
      readonly merchantId: string
      readonly keyId: string
      readonly sharedSecret: string
    }

/** `@payport/emulators`' `payport-emulator` bin, which runs the emulators' built JavaScript on plain Node. */
const cli = join(
  dirname(createRequire(import.meta.url).resolve("@payport/emulators/package.json")),
  "bin",
  "payport-emulator.mjs"
)

const stop = (child: ChildProcess) =>
  Effect.async<void>((resume) => {
    if (child.exitCode !== null || child.signalCode !== null) return resume(Effect.void)
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000)
    child.once("exit", () => {
      clearTimeout(timer)
      resume(Effect.void)
    })
    child.kill("SIGTERM")
  })

/**
 * Starts `payport-emulator <provider> --port 0 …args` as a child process and waits for its JSON line;
 * the process is stopped when the scope closes.
 *
 * @since 0.1.0
 * @category emulators
 */
export const spawnEmulator = <P extends EmulatorInfo["provider"]>(
  provider: P,
  args: ReadonlyArray<string> = []
): Effect.Effect<Extract<EmulatorInfo, { readonly provider: P }>, Error, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.async<
      { readonly child: ChildProcess; readonly info: Extract<EmulatorInfo, { readonly provider: P }> },
      Error
    >((resume) => {
      const child = spawn(process.execPath, [cli, provider, "--port", "0", ...args], {
        stdio: ["ignore", "pipe", "pipe"]
      })
      let out = ""
      let err = ""
      const timer = setTimeout(() => {
        child.kill("SIGKILL")
        resume(Effect.fail(new Error(`payport-emulator ${provider} did not start within 30 s: ${err}`)))
      }, 30_000)
      child.stderr?.on("data", (chunk: Buffer) => {
        err += chunk.toString("utf8")
      })
      child.stdout?.on("data", (chunk: Buffer) => {
        out += chunk.toString("utf8")
        const newline = out.indexOf("\n")
        if (newline < 0) return
        clearTimeout(timer)
        try {
          const info = JSON.parse(out.slice(0, newline)) as Extract<EmulatorInfo, { readonly provider: P }>
          resume(Effect.succeed({ child, info }))
        } catch {
          child.kill("SIGKILL")
          resume(Effect.fail(new Error(`payport-emulator printed something other than JSON: ${out.slice(0, 200)}`)))
        }
      })
      child.once("exit", (code) => {
        clearTimeout(timer)
        resume(Effect.fail(new Error(`payport-emulator ${provider} exited with ${code}: ${err}`)))
      })
    }),
    ({ child }) => stop(child)
  ).pipe(Effect.map(({ info }) => info))

/**
 * @since 0.1.0
 * @category models
 */
export interface Report {
  readonly operations: number
  readonly concurrency: number
  readonly seconds: number
  readonly perSecond: number
  readonly p50Millis: number
  readonly p99Millis: number
  readonly peakRssMb: number
  /** Failures by error tag (`Defect` for a defect). */
  readonly failures: Readonly<Record<string, number>>
  readonly unhandledRejections: number
  /** Fibers forked during the run that were still running after it. */
  readonly leakedFibers: number
}

const percentile = (sorted: ReadonlyArray<number>, p: number): number =>
  sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0)

/**
 * Runs `operation(0 … count-1)` with at most `concurrency` at once and reports. Failures are
 * counted, not raised.
 *
 * @since 0.1.0
 * @category load
 */
export const drive = <E extends { readonly _tag: string }, R>(
  count: number,
  concurrency: number,
  operation: (index: number) => Effect.Effect<unknown, E, R>
): Effect.Effect<Report, never, R> =>
  Effect.gen(function* () {
    let unhandled = 0
    const onUnhandled = () => {
      unhandled += 1
    }
    process.on("unhandledRejection", onUnhandled)
    const supervisor = yield* Supervisor.track
    const latencies: Array<number> = []
    const failures: Record<string, number> = {}
    const started = performance.now()
    yield* Effect.forEach(
      Array.from({ length: count }, (_, i) => i),
      (i) =>
        Effect.suspend(() => {
          const t0 = performance.now()
          return Effect.exit(operation(i)).pipe(
            Effect.flatMap((exit) =>
              Effect.sync(() => {
                latencies.push(performance.now() - t0)
                if (exit._tag === "Failure") {
                  const cause = exit.cause
                  const tag = cause._tag === "Fail" ? cause.error._tag : "Defect"
                  failures[tag] = (failures[tag] ?? 0) + 1
                }
              })
            )
          )
        }),
      { concurrency, discard: true }
    ).pipe(Effect.supervised(supervisor))
    const seconds = (performance.now() - started) / 1000
    // Give finalizers a turn, then count what is still alive.
    yield* Effect.yieldNow()
    const alive = (yield* supervisor.value).filter((fiber) => fiber.unsafePoll() === null)
    process.off("unhandledRejection", onUnhandled)
    const sorted = latencies.sort((a, b) => a - b)
    return {
      operations: count,
      concurrency,
      seconds,
      perSecond: count / Math.max(seconds, 1e-9),
      p50Millis: percentile(sorted, 50),
      p99Millis: percentile(sorted, 99),
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      failures,
      unhandledRejections: unhandled,
      leakedFibers: alive.length
    }
  })

/**
 * One line for a report: `5000 ops at 256: 812/s, p50 210 ms, p99 480 ms, peak RSS 180 MB`.
 *
 * @since 0.1.0
 * @category load
 */
export const format = (name: string, report: Report): string =>
  `${name}: ${report.operations} ops at concurrency ${report.concurrency}: ${Math.round(report.perSecond)}/s, ` +
  `p50 ${report.p50Millis.toFixed(1)} ms, p99 ${report.p99Millis.toFixed(1)} ms, peak RSS ${Math.round(report.peakRssMb)} MB, ` +
  `failures ${JSON.stringify(report.failures)}, unhandled rejections ${report.unhandledRejections}, leaked fibers ${report.leakedFibers}`

/**
 * `count` card sales through the `Payments` port at `concurrency`, each with its own reference,
 * then every reference read back through the provider (`Payments.list`): the report, and each
 * reference that does not have exactly one payment at the provider (`"ref: n"`).
 *
 * @since 0.1.0
 * @category load
 */
export const sales = (options: {
  readonly count: number
  readonly concurrency: number
  readonly currency: CurrencyCode
}): Effect.Effect<
  { readonly report: Report; readonly notOnce: ReadonlyArray<string> },
  OperationError,
  Payments.Payments
> =>
  Effect.gen(function* () {
    const run = `load${Date.now().toString(36)}`
    const card = PaymentMethod.card({ number: "4111111111111111", expiry: { month: 12, year: 2031 }, cvv: "123" })
    const report = yield* drive(options.count, options.concurrency, (i) =>
      Payments.create({
        reference: `${run}-${i}`,
        amount: Money.unsafeMake(100 + i, options.currency),
        method: card
      })
    )
    const counts = yield* Effect.forEach(
      Array.from({ length: options.count }, (_, i) => `${run}-${i}`),
      (reference) => Effect.map(Payments.list(reference), (found) => found.length),
      { concurrency: 16 }
    )
    return { report, notOnce: counts.flatMap((n, i) => (n === 1 ? [] : [`${run}-${i}: ${n}`])) }
  })
