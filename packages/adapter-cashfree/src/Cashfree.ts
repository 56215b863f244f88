/**
 * Every Cashfree port in one layer: `Payments`, `Authorization`, `Vault`, `Cryptograms`,
 * `OtpAuthentication`, `Customers`, `Webhooks` — and the `CashfreeClient` tag for provider-only
 * calls. Not `VaultEnrollment`: Cashfree saves cards by paying with `saveInstrument`, so code that
 * needs enrollment does not compile against this layer.
 *
 * ```ts
 * Cashfree.layer({ clientId, clientSecret: Redacted.make(secret), environment: "sandbox" })
 *   .pipe(Layer.provide(FetchHttpClient.layer))
 * ```
 *
 * @since 0.1.0
 */
import * as Authorization from "@payport/core/Authorization"
import * as Cryptograms from "@payport/core/Cryptograms"
import * as Customers from "@payport/core/Customers"
import * as OtpAuthentication from "@payport/core/OtpAuthentication"
import type { ConfigurationError } from "@payport/core/PaymentError"
import * as Payments from "@payport/core/Payments"
import * as Vault from "@payport/core/Vault"
import * as Webhooks from "@payport/core/Webhooks"
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as CashfreeAuthorization from "./CashfreeAuthorization.js"
import * as CashfreeClient from "./CashfreeClient.js"
import * as CashfreeCryptograms from "./CashfreeCryptograms.js"
import * as CashfreeCustomers from "./CashfreeCustomers.js"
import * as CashfreeOtp from "./CashfreeOtp.js"
import * as CashfreePayments from "./CashfreePayments.js"
import * as CashfreeVault from "./CashfreeVault.js"
import * as CashfreeWebhooks from "./CashfreeWebhooks.js"

/**
 * The ports the Cashfree layer provides.
 *
 * @since 0.1.0
 * @category models
 */
export type Ports =
  | Payments.Payments
  | Authorization.Authorization
  | Vault.Vault
  | Cryptograms.Cryptograms
  | OtpAuthentication.OtpAuthentication
  | Customers.Customers
  | Webhooks.Webhooks

/**
 * The ports over an existing `CashfreeClient`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerPorts: Layer.Layer<Ports, never, CashfreeClient.CashfreeClient> = Layer.effectContext(
  Effect.gen(function* () {
    return Context.make(Payments.Payments, yield* CashfreePayments.make).pipe(
      Context.add(Authorization.Authorization, yield* CashfreeAuthorization.make),
      Context.add(Vault.Vault, yield* CashfreeVault.make),
      Context.add(Cryptograms.Cryptograms, yield* CashfreeCryptograms.make),
      Context.add(OtpAuthentication.OtpAuthentication, yield* CashfreeOtp.make),
      Context.add(Customers.Customers, yield* CashfreeCustomers.make),
      Context.add(Webhooks.Webhooks, yield* CashfreeWebhooks.make)
    )
  })
)

/**
 * Every Cashfree port and the `CashfreeClient`, over an `HttpClient`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: CashfreeClient.Options
): Layer.Layer<Ports | CashfreeClient.CashfreeClient, never, HttpClient.HttpClient> =>
  layerPorts.pipe(Layer.provideMerge(CashfreeClient.layer(options)))

/**
 * Every Cashfree port and the `CashfreeClient`, configured from the environment
 * (`CASHFREE_CLIENT_ID`, `CASHFREE_CLIENT_SECRET`, `CASHFREE_ENVIRONMENT`, `CASHFREE_BASE_URL`,
 * `CASHFREE_API_VERSION`); a missing or invalid variable is a `ConfigurationError` naming it.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  extra?: Parameters<typeof CashfreeClient.layerConfig>[0]
): Layer.Layer<Ports | CashfreeClient.CashfreeClient, ConfigurationError, HttpClient.HttpClient> =>
  layerPorts.pipe(Layer.provideMerge(CashfreeClient.layerConfig(extra)))
