/**
 * `payport-emulator`: runs a provider emulator as a standalone process.
 *
 * `payport-emulator cashfree|cybersource [flags]`; every flag is in `usage` below and in the
 * package README. Once listening it prints exactly one JSON line on stdout (the provider, `baseUrl`,
 * `truthUrl` and the credentials to use) and runs until SIGINT/SIGTERM, then exits 0. `--help` /
 * `-h` prints the usage on stdout and exits 0; a usage error prints the problem and the usage on
 * stderr and exits 2; an emulator that fails (e.g. the port is taken) exits 1.
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
  fault: { type: "string", multiple: true },
  "webhook-url": { type: "string" },
  help: { type: "boolean", short: "h" }
} as const

/** The usage text: every flag of every provider. Kept beside the parsers so the two agree. */
const usage = `usage: payport-emulator <cashfree|cybersource> [flags]
       payport-emulator --help

Runs a Payport provider emulator on HTTP until SIGINT or SIGTERM. Once it listens it prints one
JSON line on stdout: the provider, baseUrl, truthUrl and the credentials to use, e.g.
  {"provider":"cashfree","baseUrl":"http://127.0.0.1:8080/pg","truthUrl":"…","clientId":"…","clientSecret":"…"}
What money moved per reference: GET <truthUrl>?reference=REF (Cashfree: the order_id; CyberSource:
clientReferenceInformation.code); without reference, the totals and every reference. Always on, no
credentials, never hit by --fault.

Every provider:
  --port N            port to listen on; 0 (default) picks a free one
  --host H            interface to bind; default 127.0.0.1 (loopback only)
  --seed N            seeds ids, tokens and fault probabilities; default 1
  --fault SPEC        inject a fault; repeatable, rules apply in order. SPEC is KIND[:KEY=VALUE,...]
                        KIND  ${EmulatorFaults.kinds.join(", ")}
                        KEY   method; path (exact, base path included: /pg/orders; ~REGEX for a
                              pattern); probability (0-1, default 1); times (default unlimited);
                              latencyMs or ms (latency); status (5xx, default 500, error);
                              retryAfterSeconds or retry (0-59, default 1, rateLimit)
                      e.g. error:status=503,times=2
                           latency:ms=200,path=~^/pg/orders
                           commitThenDrop:method=POST,path=/pts/v2/payments,probability=0.1
  --webhook-url URL   send every webhook here (Cashfree: instead of each order's notify_url;
                      CyberSource: without it webhooks are recorded but not sent)
  -h, --help          print this text and exit

cashfree (baseUrl ends in /pg):
  --client-id ID                    x-client-id to accept; default ${CashfreeEmulator.DEFAULT_CLIENT_ID}
  --client-secret SECRET            x-client-secret to accept; default ${CashfreeEmulator.DEFAULT_CLIENT_SECRET}
  --refund-processing-ms N          a refund stays PENDING for N ms before SUCCESS; default 0
  --upi-collect-auto-complete-ms N  a UPI collect request completes itself after N ms (default: it
                                    waits for the payer page or /simulate)
  --enforce-rate-limits             answer 429 past Cashfree's per-minute limits (default: the
                                    x-ratelimit-* headers only)

cybersource (HTTP Signature authentication):
  --merchant-id ID       v-c-merchant-id to accept; default ${CyberSourceEmulator.sampleCredentials.merchantId}
  --key-id ID            the API key serial (keyid); default ${CyberSourceEmulator.sampleCredentials.keyId}
  --shared-secret S      the base64 shared secret; default the public sample secret
  --lenient-signatures   also accept the legacy (request-target) form and non-RFC 1123 dates
  --search-lag-ms N      a new transaction appears in Transaction Search N ms after it was made
                         (its details by id at once); default 0

Exit status: 0 after SIGINT/SIGTERM or --help; 2 for a usage error; 1 when the emulator fails.
More: the README of @payport/emulators (node_modules/@payport/emulators/README.md).
`

class UsageError extends Error {}

const integer = (name: string, value: string | undefined, max = Number.MAX_SAFE_INTEGER): number | undefined => {
  if (value === undefined) return undefined
  const n = Number(value)
  if (value.trim() === "" || !Number.isInteger(n) || n < 0 || n > max)
    throw new UsageError(`--${name} must be an integer from 0 to ${max}`)
  return n
}

const faultRules = (specs: ReadonlyArray<string> | undefined): ReadonlyArray<EmulatorFaults.Rule> =>
  (specs ?? []).map((spec) => {
    const parsed = EmulatorFaults.parse(spec)
    if (Either.isLeft(parsed)) throw new UsageError(`--fault ${spec}: ${parsed.left}`)
    return parsed.right
  })

/** The options every provider shares, from their flags. */
const commonOptions = (values: {
  readonly port?: string | undefined
  readonly host?: string | undefined
  readonly seed?: string | undefined
  readonly fault?: ReadonlyArray<string> | undefined
  readonly "webhook-url"?: string | undefined
}) => {
  const port = integer("port", values.port, 65_535)
  const seed = integer("seed", values.seed)
  return {
    ...(port === undefined ? {} : { port }),
    ...(values.host === undefined ? {} : { host: values.host }),
    ...(seed === undefined ? {} : { seed }),
    ...(values["webhook-url"] === undefined ? {} : { webhookUrl: values["webhook-url"] }),
    faults: faultRules(values.fault)
  }
}

/** What the arguments ask for: the usage, or a started emulator and the line to print. */
type Command =
  | { readonly _tag: "help" }
  | { readonly _tag: "start"; readonly start: Effect.Effect<Readonly<Record<string, unknown>>, never, Scope.Scope> }

/** Parses one provider's arguments; throws on a usage error. Nothing starts until `start` runs. */
type Launcher = (args: ReadonlyArray<string>) => Command

const help: Command = { _tag: "help" }

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
      "enforce-rate-limits": { type: "boolean" }
    }
  })
  if (values.help === true) return help
  const refund = integer("refund-processing-ms", values["refund-processing-ms"])
  const upi = integer("upi-collect-auto-complete-ms", values["upi-collect-auto-complete-ms"])
  const options: CashfreeEmulator.Options = {
    ...commonOptions(values),
    ...(values["client-id"] === undefined ? {} : { clientId: values["client-id"] }),
    ...(values["client-secret"] === undefined ? {} : { clientSecret: values["client-secret"] }),
    ...(refund === undefined ? {} : { refundProcessingMs: refund }),
    ...(upi === undefined ? {} : { upiCollectAutoCompleteMs: upi }),
    ...(values["enforce-rate-limits"] === true ? { enforceRateLimits: true } : {})
  }
  return {
    _tag: "start",
    start: CashfreeEmulator.start(options).pipe(
      Effect.map((emulator) => ({
        provider: "cashfree",
        baseUrl: emulator.baseUrl,
        truthUrl: emulator.truthUrl,
        clientId: emulator.clientId,
        clientSecret: emulator.clientSecret
      }))
    )
  }
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
      "lenient-signatures": { type: "boolean" },
      "search-lag-ms": { type: "string" }
    }
  })
  if (values.help === true) return help
  const searchLag = integer("search-lag-ms", values["search-lag-ms"])
  const options: CyberSourceEmulator.Options = {
    ...commonOptions(values),
    ...(values["merchant-id"] === undefined ? {} : { merchantId: values["merchant-id"] }),
    ...(values["key-id"] === undefined ? {} : { keyId: values["key-id"] }),
    ...(values["shared-secret"] === undefined ? {} : { sharedSecret: values["shared-secret"] }),
    ...(values["lenient-signatures"] === true ? { lenientSignatures: true } : {}),
    ...(searchLag === undefined ? {} : { searchLagMs: searchLag })
  }
  return {
    _tag: "start",
    start: CyberSourceEmulator.start(options).pipe(
      Effect.map((emulator) => ({
        provider: "cybersource",
        baseUrl: emulator.baseUrl,
        truthUrl: emulator.truthUrl,
        merchantId: emulator.merchantId,
        keyId: emulator.keyId,
        sharedSecret: emulator.sharedSecret
      }))
    )
  }
}

/** Providers by command name (the usage text lists the same names). */
const launchers: Readonly<Record<string, Launcher>> = {
  cashfree,
  cybersource
}

const usageError = (message: string): void => {
  process.stderr.write(`payport-emulator: ${message}\n\n${usage}`)
  process.exitCode = 2
}

const main = (argv: ReadonlyArray<string>): void => {
  const [provider, ...rest] = argv
  if (provider === "--help" || provider === "-h") {
    process.stdout.write(usage)
    return
  }
  if (provider === undefined) {
    usageError("missing the provider")
    return
  }
  // Own keys only, so `toString` and friends are unknown providers, not Object.prototype methods.
  const launcher = Object.hasOwn(launchers, provider) ? launchers[provider] : undefined
  if (launcher === undefined) {
    usageError(`unknown provider ${JSON.stringify(provider)}`)
    return
  }
  let command: Command
  try {
    command = launcher(rest)
  } catch (error) {
    // Only argument parsing runs here (`parseArgs`, the integer and fault checks), so whatever
    // it throws is about the arguments.
    usageError(error instanceof Error ? error.message : String(error))
    return
  }
  if (command._tag === "help") {
    process.stdout.write(usage)
    return
  }
  const start = command.start
  const program = Effect.gen(function* () {
    const line = yield* start
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
