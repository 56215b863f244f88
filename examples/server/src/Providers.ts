/**
 * The provider, chosen by configuration: `PAYPORT_PROVIDER` names it and each adapter reads its
 * own variables (`CASHFREE_*`, `CYBERSOURCE_*`). Only the chosen provider's layer is built, so
 * the others need no credentials; a missing or invalid variable is a `ConfigurationError` naming
 * it. The server gets the common ports, whichever provider it is.
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { Cashfree } from "@payport/adapter-cashfree"
import { CyberSource } from "@payport/adapter-cybersource"
import { Provider } from "@payport/core"
import type { ConfigurationError } from "@payport/core/PaymentError"
import * as InMemory from "@payport/testkit/InMemory"
import * as Layer from "effect/Layer"

/** The common ports of the configured provider, over `fetch`. */
export const layer: Layer.Layer<Provider.CommonPorts, ConfigurationError> = Provider.layerFromConfig({
  cashfree: Cashfree.layerConfig(),
  cybersource: CyberSource.layerConfig(),
  // The in-memory provider from the testkit: for trying the server without any account.
  memory: InMemory.layerCommon()
}).pipe(Layer.provide(FetchHttpClient.layer))
