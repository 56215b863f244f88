/**
 * `npm start`: run the checkout against every provider (or the one `PAYPORT_PROVIDER` names) and
 * print the report. Exit code 0 only if every step behaved as expected.
 *
 * Configuration errors print one line naming the variable and exit 2, without a stack trace.
 */
import { Provider } from "@payport/core"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { run } from "./Checkout.js"
import * as Environments from "./Environments.js"
import * as Report from "./Report.js"

const environments: { readonly [K in Provider.ProviderName]: Environments.Environment } = {
  cashfree: Environments.cashfree,
  cybersource: Environments.cybersource,
  memory: Environments.memory
}

/** Every provider, or the one `PAYPORT_PROVIDER` names (a bad value is a `ConfigurationError`). */
const chosen =
  process.env[Provider.PROVIDER_VARIABLE] === undefined
    ? Effect.succeed(Object.values(environments))
    : Effect.map(Provider.fromConfig, (name) => [environments[name]])

const program = Effect.gen(function* () {
  const environments = yield* chosen
  const stamp = Date.now().toString(36)
  const rows = []
  for (const environment of environments) {
    const result = yield* run(`demo-${stamp}-${environment.name}`).pipe(Effect.provide(Layer.orDie(environment.layer)))
    rows.push(...result)
  }
  console.log(Report.table(rows))
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
