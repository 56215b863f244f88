/**
 * Load against the CyberSource emulator in its own process, every request HTTP-signed and
 * verified: the testkit's `LoadSuite` (every sale created exactly once, read back through TSS
 * search; no unhandled rejections or leaked fibers). `npm run load` at the repository root runs
 * 5,000 sales at concurrency 256.
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { loadSuite } from "@payport/testkit/LoadSuite"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as CyberSource from "../src/CyberSource.js"

loadSuite({
  provider: "cybersource",
  currency: "USD",
  layer: (emulator) =>
    CyberSource.layer({
      merchantId: emulator.merchantId,
      keyId: emulator.keyId,
      sharedSecret: Redacted.make(emulator.sharedSecret),
      baseUrl: emulator.baseUrl
    }).pipe(Layer.provide(FetchHttpClient.layer))
})
