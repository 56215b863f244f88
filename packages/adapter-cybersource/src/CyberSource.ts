/**
 * The CyberSource provider in one layer: the seven ports it supports — `Payments`,
 * `Authorization`, `Vault`, `VaultEnrollment`, `Customers`, `Webhooks`, `ThreeDsAuthentication`
 * (not `Cryptograms`, not `OtpAuthentication`) — plus the `CyberSourceClient` for provider-only
 * operations. `ThreeDsAuthentication` is always provided: payments ask for 3-D Secure when the
 * client's `payerAuthentication` option is on, and completing one that never did fails
 * `InvalidState`.
 *
 * ```ts
 * const live = CyberSource.layerConfig().pipe(Layer.provide(FetchHttpClient.layer))
 * ```
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type { Authorization } from "@payport/core/Authorization"
import type { Customers } from "@payport/core/Customers"
import type { ConfigurationError } from "@payport/core/PaymentError"
import type { Payments } from "@payport/core/Payments"
import type { ThreeDsAuthentication } from "@payport/core/ThreeDsAuthentication"
import type { Vault } from "@payport/core/Vault"
import type { VaultEnrollment } from "@payport/core/VaultEnrollment"
import type { Webhooks } from "@payport/core/Webhooks"
import * as Layer from "effect/Layer"
import * as CyberSourceAuthorization from "./CyberSourceAuthorization.js"
import * as CyberSourceClient from "./CyberSourceClient.js"
import * as CyberSourceCustomers from "./CyberSourceCustomers.js"
import * as CyberSourcePayments from "./CyberSourcePayments.js"
import * as CyberSourceThreeDs from "./CyberSourceThreeDs.js"
import * as CyberSourceVault from "./CyberSourceVault.js"
import * as CyberSourceVaultEnrollment from "./CyberSourceVaultEnrollment.js"
import * as CyberSourceWebhooks from "./CyberSourceWebhooks.js"

/**
 * Everything the CyberSource layer provides.
 *
 * @since 0.1.0
 * @category models
 */
export type Provides =
  | Payments
  | Authorization
  | Vault
  | VaultEnrollment
  | Customers
  | Webhooks
  | ThreeDsAuthentication
  | CyberSourceClient.CyberSourceClient

/**
 * The seven ports, over a `CyberSourceClient`.
 *
 * @since 0.1.0
 * @category layers
 */
export const ports: Layer.Layer<
  Payments | Authorization | Vault | VaultEnrollment | Customers | Webhooks | ThreeDsAuthentication,
  never,
  CyberSourceClient.CyberSourceClient
> = Layer.mergeAll(
  CyberSourcePayments.layer,
  CyberSourceAuthorization.layer,
  CyberSourceVault.layer,
  CyberSourceVaultEnrollment.layer,
  CyberSourceCustomers.layer,
  CyberSourceWebhooks.layer,
  CyberSourceThreeDs.layer
)

/**
 * The ports and the client from options.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: CyberSourceClient.Options
): Layer.Layer<Provides, ConfigurationError, HttpClient.HttpClient> =>
  Layer.provideMerge(ports, CyberSourceClient.layer(options))

/**
 * The ports and the client from `CYBERSOURCE_*` configuration (see
 * `CyberSourceClient.optionsFromConfig`), with optional overrides.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  overrides?: Parameters<typeof CyberSourceClient.layerConfig>[0]
): Layer.Layer<Provides, ConfigurationError, HttpClient.HttpClient> =>
  Layer.provideMerge(ports, CyberSourceClient.layerConfig(overrides))
