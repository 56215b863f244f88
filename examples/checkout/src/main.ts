/**
 * `npm start`: run the checkout against every provider (or the one `PAYPORT_PROVIDER` names) and
 * print the report. Exit code 0 only if every step behaved as expected.
 *
 * With no credentials, each provider is its emulator, started in-process. With
 * `PAYPORT_PROVIDER=cashfree` and `CASHFREE_CLIENT_ID` set (or `cybersource` and
 * `CYBERSOURCE_MERCHANT_ID`), the checkout runs against that account instead (credentials mode,
 * see `Sandbox.ts`), configured only by the adapter's variables.
 *
 * Configuration errors (an unknown provider, a missing credential) print one line naming the
 * variable and exit 2, without a stack trace.
 */
import { Provider } from "@payport/core"
import { ConfigurationError } from "@payport/core/PaymentError"
import * as Effect from "effect/Effect"
import { run } from "./Checkout.js"
import * as Environments from "./Environments.js"
import * as Report from "./Report.js"
import * as Sandbox from "./Sandbox.js"

const emulated: { readonly [K in Provider.ProviderName]: Environments.Environment } = {
  cashfree: Environments.cashfree,
  cybersource: Environments.cybersource,
  memory: Environments.memory
}

/** The provider's account when its credential variable is set, else its emulator. */
const environmentOf = (name: Provider.ProviderName): Environments.Environment => {
  const variable = Sandbox.credentialVariables[name]
  const account = Sandbox.environments[name]
  return variable !== undefined && account !== undefined && process.env[variable] !== undefined
    ? account
    : emulated[name]
}

/** Every provider, or the one `PAYPORT_PROVIDER` names (a bad value is a `ConfigurationError`). */
const chosen =
  process.env[Provider.PROVIDER_VARIABLE] === undefined
    ? Effect.succeed(Object.values(emulated))
    : Effect.map(Provider.fromConfig, (name) => [environmentOf(name)])

const program = Effect.gen(function* () {
  const environments = yield* chosen
  const stamp = Date.now().toString(36)
  const rows = []
  for (const environment of environments) {
    // The provider's heading comes with its first step, so a layer that fails to build prints nothing.
    let announced = false
    const onStep = (row: Parameters<typeof Report.progress>[0]) => {
      if (!announced) console.log(`${environment.name}: ${environment.target}`)
      announced = true
      console.log(Report.progress(row))
    }
    const result = yield* run(`demo-${stamp}-${environment.name}`, onStep).pipe(
      Effect.provide(environment.layer),
      // A configuration mistake is the user's to fix; anything else building a layer is a crash.
      Effect.catchAll((error) => (error instanceof ConfigurationError ? Effect.fail(error) : Effect.die(error)))
    )
    rows.push(...result)
  }
  console.log(`\n${Report.table(rows)}`)
  const passed = Report.allPassed(rows)
  console.log(passed ? "\nEvery step behaved as expected." : "\nSome steps FAILED.")
  return passed
})

Effect.runPromise(
  program.pipe(
    Effect.catchAll((error) =>
      Effect.sync(() => {
        console.error(`Configuration error: ${error.message}`)
        process.exitCode = 2
        return true
      })
    )
  )
).then(
  (passed) => {
    if (!passed) process.exitCode = 1
  },
  (defect: unknown) => {
    console.error(`The demo crashed: ${defect instanceof Error ? defect.message : String(defect)}`)
    process.exitCode = 1
  }
)
