/**
 * Choosing a provider, and what each choice can do.
 *
 * Capabilities are types: an adapter's layer provides exactly the port tags it supports, so a
 * program that needs `VaultEnrollment` does not compile against a layer without it. Choosing the
 * provider at run time from `PAYPORT_PROVIDER` gives the ports every provider has (`CommonPorts`);
 * choosing it in code gives the adapter's full set.
 *
 * @since 0.1.0
 */
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import type * as Redacted from "effect/Redacted"
import type { Authorization } from "./Authorization.js"
import type { Customers } from "./Customers.js"
import { ConfigurationError } from "./PaymentError.js"
import type { Payments } from "./Payments.js"
import type { Vault } from "./Vault.js"
import type { Webhooks } from "./Webhooks.js"

/**
 * The providers Payport can be configured with.
 *
 * @since 0.1.0
 * @category models
 */
export const providerNames = ["cashfree", "cybersource", "memory"] as const
/**
 * @since 0.1.0
 * @category models
 */
export type ProviderName = (typeof providerNames)[number]

/**
 * The ports every provider implements: what a program may use when the provider is chosen by
 * configuration.
 *
 * @since 0.1.0
 * @category capabilities
 */
export type CommonPorts = Payments | Authorization | Vault | Customers | Webhooks

/**
 * The variable that selects the provider.
 *
 * @since 0.1.0
 * @category configuration
 */
export const PROVIDER_VARIABLE = "PAYPORT_PROVIDER"

const explain = (variable: string, error: ConfigError.ConfigError): ConfigurationError =>
  new ConfigurationError({
    operation: "configure",
    variable,
    reason: (function describe(e: ConfigError.ConfigError): string {
      switch (e._op) {
        case "MissingData":
          return "is not set"
        case "InvalidData":
        case "SourceUnavailable":
        case "Unsupported":
          return e.message
        case "And":
        case "Or":
          return describe(e.left)
      }
    })(error)
  })

/**
 * Reads a configuration value, reporting a missing or invalid one as a `ConfigurationError` that
 * names the variable.
 *
 * @since 0.1.0
 * @category configuration
 */
export const read = <A>(variable: string, config: Config.Config<A>): Effect.Effect<A, ConfigurationError> =>
  Effect.mapError(config, (error) => explain(variable, error))

/**
 * A required string setting.
 *
 * @since 0.1.0
 * @category configuration
 */
export const string = (variable: string): Effect.Effect<string, ConfigurationError> =>
  read(variable, Config.nonEmptyString(variable))

/**
 * A required secret setting, kept `Redacted`.
 *
 * @since 0.1.0
 * @category configuration
 */
export const secret = (variable: string): Effect.Effect<Redacted.Redacted<string>, ConfigurationError> =>
  read(variable, Config.redacted(Config.nonEmptyString(variable)))

/**
 * An optional string setting.
 *
 * @since 0.1.0
 * @category configuration
 */
export const optional = (variable: string): Effect.Effect<string | undefined, ConfigurationError> =>
  read(variable, Config.option(Config.nonEmptyString(variable))).pipe(
    Effect.map((option) => (option._tag === "Some" ? option.value : undefined))
  )

/**
 * Several settings read together: every one that is missing or invalid is named in one
 * `ConfigurationError` (`CASHFREE_CLIENT_ID, CASHFREE_CLIENT_SECRET: are not set`), so a
 * misconfigured deployment is fixed in one go rather than one variable per restart.
 *
 * @since 0.1.0
 * @category configuration
 */
export const all = <Settings extends Readonly<Record<string, Effect.Effect<unknown, ConfigurationError>>>>(
  settings: Settings
): Effect.Effect<{ readonly [K in keyof Settings]: Effect.Effect.Success<Settings[K]> }, ConfigurationError> =>
  Effect.gen(function* () {
    const values: Record<string, unknown> = {}
    const errors: Array<ConfigurationError> = []
    for (const [key, setting] of Object.entries(settings)) {
      const result = yield* Effect.either(setting)
      if (Either.isLeft(result)) errors.push(result.left)
      else values[key] = result.right
    }
    const [first] = errors
    if (first === undefined) return values as { readonly [K in keyof Settings]: Effect.Effect.Success<Settings[K]> }
    if (errors.length === 1) return yield* first
    return yield* new ConfigurationError({
      provider: first.provider,
      operation: first.operation,
      variable: errors.map((error) => error.variable).join(", "),
      reason: errors.every((error) => error.reason === "is not set")
        ? "are not set"
        : errors.map((error) => `${error.variable} ${error.reason}`).join("; ")
    })
  })

/**
 * The provider named by `PAYPORT_PROVIDER`. A missing or unknown value fails with a
 * `ConfigurationError` naming the variable and the accepted values.
 *
 * @since 0.1.0
 * @category configuration
 */
export const fromConfig: Effect.Effect<ProviderName, ConfigurationError> = Effect.flatMap(
  optional(PROVIDER_VARIABLE),
  (value) => {
    const accepted = `one of ${providerNames.join(", ")}`
    if (value === undefined) {
      return Effect.fail(
        new ConfigurationError({
          operation: "configure",
          variable: PROVIDER_VARIABLE,
          reason: `is not set; set it to ${accepted}`
        })
      )
    }
    const name = value.trim().toLowerCase()
    return (providerNames as ReadonlyArray<string>).includes(name)
      ? Effect.succeed(name as ProviderName)
      : Effect.fail(
          new ConfigurationError({
            operation: "configure",
            variable: PROVIDER_VARIABLE,
            reason: `${JSON.stringify(value.slice(0, 40))} is not a provider; use ${accepted}`
          })
        )
  }
)

/**
 * The common ports of the provider `PAYPORT_PROVIDER` names, from a layer per provider the
 * program supports. Only the chosen layer is built, so the others' credentials need not be
 * configured; naming a provider the program does not offer is a `ConfigurationError`.
 *
 * @since 0.1.0
 * @category configuration
 */
export const layerFromConfig = <E, R>(
  layers: {
    readonly [K in ProviderName]?: Layer.Layer<CommonPorts, E, R>
  }
): Layer.Layer<CommonPorts, E | ConfigurationError, R> =>
  Layer.unwrapEffect(
    Effect.flatMap(fromConfig, (name) => {
      const layer = layers[name]
      return layer === undefined
        ? Effect.fail(
            new ConfigurationError({
              operation: "configure",
              variable: PROVIDER_VARIABLE,
              reason: `${name} is not available in this program; use one of ${Object.keys(layers).join(", ")}`
            })
          )
        : Effect.succeed(layer)
    })
  )
