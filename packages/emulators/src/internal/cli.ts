/**
 * `payport-emulator`: runs a provider emulator as a standalone process.
 *
 * ```
 * payport-emulator cashfree    [--port N] [--host H] [--client-id X --client-secret Y] [--seed N]
 *                              [--fault SPEC]... [--refund-processing-ms N]
 *                              [--upi-collect-auto-complete-ms N] [--enforce-rate-limits]
 *                              [--webhook-url URL]
 * payport-emulator cybersource [--port N] [--merchant-id M --key-id K --shared-secret S] [--seed N]
 * ```
 *
 * Prints exactly one JSON line on stdout once listening — `{"provider":"cashfree","baseUrl":…,
 * "clientId":…,"clientSecret":…}` — and runs until SIGINT/SIGTERM. `--fault` takes the
 * `EmulatorFaults.parse` form (`error:status=503,times=2`) and may repeat. Usage errors go to
 * stderr with exit code 2.
 */
import { parseArgs } from "node:util"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import type * as Scope from "effect/Scope"
import * as CashfreeEmulator from "../CashfreeEmulator.js"
import * as CyberSourceEmulator from "../CyberSourceEmulator.js"
import * as EmulatorFaults from "../EmulatorFaults.js"

/** Flags every provider understands. */
const commonFlags = {
  port: { type: "string" },
  host: { type: "string" },
  seed: { type: "string" },
  fault: { type: "string", multiple: true }
} as const

class UsageError extends Error {}

const integer = (name: string, value: string | undefined): number | undefined => {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} must be a non-negative integer`)
  return n
}

const faultRules = (specs: ReadonlyArray<string> | undefined): ReadonlyArray<EmulatorFaults.Rule> =>
  (specs ?? []).map((spec) => {
    const parsed = EmulatorFaults.parse(spec)
    if (Either.isLeft(parsed)) throw new UsageError(`--fault ${spec}: ${parsed.left}`)
    return parsed.right
  })

/** Starts one provider from its arguments and returns the line to print. */
type Launcher = (args: ReadonlyArray<string>) => Effect.Effect<Readonly<Record<string, unknown>>, never, Scope.Scope>

const cashfree: Launcher = (args) => {
  const { values } = parseArgs({
    args: [...args],
    strict: true,
    options: {
      ...commonFlags,
      "client-id": { type: "string" },
      "client-secret": { type: "string" },
      "refund-processing-ms": { type: "string" },
      "upi-collect-auto-complete-ms": { type: "string" },
      "enforce-rate-limits": { type: "boolean" },
      "webhook-url": { type: "string" }
    }
  })
  const port = integer("port", values.port)
  const seed = integer("seed", values.seed)
  const refund = integer("refund-processing-ms", values["refund-processing-ms"])
  const upi = integer("upi-collect-auto-complete-ms", values["upi-collect-auto-complete-ms"])
  const options: CashfreeEmulator.Options = {
    ...(port === undefined ? {} : { port }),
    ...(values.host === undefined ? {} : { host: values.host }),
    ...(seed === undefined ? {} : { seed }),
    ...(values["client-id"] === undefined ? {} : { clientId: values["client-id"] }),
    ...(values["client-secret"] === undefined ? {} : { clientSecret: values["client-secret"] }),
    ...(refund === undefined ? {} : { refundProcessingMs: refund }),
    ...(upi === undefined ? {} : { upiCollectAutoCompleteMs: upi }),
    ...(values["enforce-rate-limits"] === true ? { enforceRateLimits: true } : {}),
    ...(values["webhook-url"] === undefined ? {} : { webhookUrl: values["webhook-url"] }),
    faults: faultRules(values.fault)
  }
  return CashfreeEmulator.start(options).pipe(
    Effect.map((emulator) => ({
      provider: "cashfree",
      baseUrl: emulator.baseUrl,
      clientId: emulator.clientId,
      clientSecret: emulator.clientSecret
    }))
  )
}

const cybersource: Launcher = (args) => {
  const { values } = parseArgs({
    args: [...args],
    strict: true,
    options: {
      ...commonFlags,
      "merchant-id": { type: "string" },
      "key-id": { type: "string" },
      "shared-secret": { type: "string" },
      "webhook-url": { type: "string" },
      "lenient-signatures": { type: "boolean" }
    }
  })
  const port = integer("port", values.port)
  const seed = integer("seed", values.seed)
  const options: CyberSourceEmulator.Options = {
    ...(port === undefined ? {} : { port }),
    ...(values.host === undefined ? {} : { host: values.host }),
    ...(seed === undefined ? {} : { seed }),
    ...(values["merchant-id"] === undefined ? {} : { merchantId: values["merchant-id"] }),
    ...(values["key-id"] === undefined ? {} : { keyId: values["key-id"] }),
    ...(values["shared-secret"] === undefined ? {} : { sharedSecret: values["shared-secret"] }),
    ...(values["webhook-url"] === undefined ? {} : { webhookUrl: values["webhook-url"] }),
    ...(values["lenient-signatures"] === true ? { lenientSignatures: true } : {}),
    faults: faultRules(values.fault)
  }
  return CyberSourceEmulator.start(options).pipe(
    Effect.map((emulator) => ({
      provider: "cybersource",
      baseUrl: emulator.baseUrl,
      merchantId: emulator.merchantId,
      keyId: emulator.keyId,
      sharedSecret: emulator.sharedSecret
    }))
  )
}

/**
 * Providers by command name. The CyberSource emulator adds its launcher here:
 * `cybersource: (args) => …` printing `{"provider":"cybersource","baseUrl":…,"merchantId":…,
 * "keyId":…,"sharedSecret":…}`.
 */
const launchers: Readonly<Record<string, Launcher>> = {
  cashfree,
  cybersource
}

const usage = `usage: payport-emulator <${Object.keys(launchers).join("|")}> [--port N] [--seed N] [--fault SPEC]... (see src/internal/cli.ts)`

const main = (argv: ReadonlyArray<string>): void => {
  const [provider, ...rest] = argv
  const launcher = provider === undefined ? undefined : launchers[provider]
  if (launcher === undefined) {
    process.stderr.write(`${usage}\n`)
    process.exitCode = 2
    return
  }
  let started: Effect.Effect<Readonly<Record<string, unknown>>, never, Scope.Scope>
  try {
    started = launcher(rest)
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${usage}\n`)
    process.exitCode = 2
    return
  }
  const program = Effect.gen(function* () {
    const line = yield* started
    process.stdout.write(`${JSON.stringify(line)}\n`)
    return yield* Effect.never
  }).pipe(Effect.scoped)
  runMain(program)
}

/**
 * Runs the emulator until SIGINT/SIGTERM, then closes it (the scope's finalizers stop the server)
 * and exits 0; a defect exits 1. Plain Node: no platform runtime needed for one long-lived fiber.
 */
const runMain = (program: Effect.Effect<never>): void => {
  const fiber = Effect.runFork(program)
  const stop = () => {
    Effect.runFork(Fiber.interrupt(fiber))
  }
  process.once("SIGINT", stop)
  process.once("SIGTERM", stop)
  fiber.addObserver((exit) => {
    process.off("SIGINT", stop)
    process.off("SIGTERM", stop)
    if (Exit.isFailure(exit) && !Exit.isInterrupted(exit))
      process.stderr.write(`payport-emulator: ${String(exit.cause)}\n`)
    process.exit(Exit.isFailure(exit) && !Exit.isInterrupted(exit) ? 1 : 0)
  })
}

main(process.argv.slice(2))
