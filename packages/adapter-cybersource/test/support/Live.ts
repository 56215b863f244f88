/**
 * The adapter wired to a testkit `CyberSourceEmulator` over real loopback HTTP: the emulator
 * verifies every HTTP Signature strictly (no lenient mode), and the adapter verifies the
 * emulator's signed webhooks with the emulator's key.
 */
import { NodeTransport } from "@payport/http-node"
import type * as HttpClient from "@effect/platform/HttpClient"
import type { CommonPorts } from "@payport/core/Provider"
import * as CyberSourceEmulator from "@payport/emulators/CyberSourceEmulator"
import * as CyberSourceFixtures from "@payport/testkit/CyberSourceFixtures"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as CyberSource from "../../src/CyberSource.js"
import type * as CyberSourceClient from "../../src/CyberSourceClient.js"

/** Short timings so fault-injected runs stay fast; retries are still bounded by the policy. */
export const fastTiming: CyberSourceClient.Options["timing"] = {
  retries: 3,
  baseDelay: "2 millis",
  maxDelay: "20 millis",
  attemptTimeout: "3 seconds",
  deadline: "20 seconds"
}

/** The adapter's options for an emulator. */
export const optionsFor = (
  emulator: CyberSourceEmulator.CyberSourceEmulator,
  timing: CyberSourceClient.Options["timing"] = fastTiming,
  overrides: Partial<CyberSourceClient.Options> = {}
): CyberSourceClient.Options => ({
  merchantId: emulator.merchantId,
  keyId: emulator.keyId,
  sharedSecret: Redacted.make(emulator.sharedSecret),
  baseUrl: emulator.baseUrl,
  webhook: { key: Redacted.make(emulator.webhooks.key), keyId: emulator.webhooks.keyId },
  timing,
  // The contract suite's page size: small, so listing a reference reads several search pages.
  searchPageSize: CyberSourceFixtures.SEARCH_PAGE_SIZE,
  // HTTP spans on over the emulator, so the leak checks cover their (redacted) headers too.
  httpSpans: true,
  ...overrides
})

/** The CyberSource layer talking to `emulator` through `@payport/http-node` (or `client`). */
export const providerFor = (
  emulator: CyberSourceEmulator.CyberSourceEmulator,
  timing?: CyberSourceClient.Options["timing"],
  client: Layer.Layer<HttpClient.HttpClient> = NodeTransport.layer,
  overrides: Partial<CyberSourceClient.Options> = {}
): Layer.Layer<CyberSource.Provides> =>
  CyberSource.layer(optionsFor(emulator, timing, overrides)).pipe(Layer.provide(client), Layer.orDie)

/** The common ports over a fresh emulator, for the model harness (3-D Secure on, as the contract suite runs). */
export const commonPortsFor = (emulator: CyberSourceEmulator.CyberSourceEmulator): Layer.Layer<CommonPorts> =>
  providerFor(emulator, undefined, undefined, { payerAuthentication: true })

/**
 * A fresh emulator (with the fixtures' options plus `options`) and the adapter over it; `onStart`
 * sees the emulator (to keep a handle on it for assertions after the layer is gone).
 */
export const live = (
  options: CyberSourceEmulator.Options = {},
  onStart: (emulator: CyberSourceEmulator.CyberSourceEmulator) => void = () => undefined,
  client?: Layer.Layer<HttpClient.HttpClient>,
  overrides: Partial<CyberSourceClient.Options> = {}
): Layer.Layer<CyberSource.Provides | CyberSourceEmulator.Emulator> =>
  Layer.unwrapScoped(
    Effect.map(CyberSourceEmulator.start({ ...CyberSourceFixtures.fixtureOptions, ...options }), (emulator) => {
      onStart(emulator)
      return Layer.merge(
        providerFor(emulator, undefined, client, overrides),
        Layer.succeed(CyberSourceEmulator.Emulator, emulator)
      )
    })
  )
