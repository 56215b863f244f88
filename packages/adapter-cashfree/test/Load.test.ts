/**
 * Load against the Cashfree emulator in its own process: the testkit's `LoadSuite` (every sale
 * charged exactly once, read back through Cashfree's API; no unhandled rejections or leaked
 * fibers). `npm run load` at the repository root runs 5,000 payments at concurrency 256.
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { loadSuite } from "@payport/testkit/LoadSuite"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Cashfree from "../src/Cashfree.js"

loadSuite({
  provider: "cashfree",
  currency: "INR",
  layer: (emulator) =>
    Cashfree.layer({
      clientId: emulator.clientId,
      clientSecret: Redacted.make(emulator.clientSecret),
      environment: "sandbox",
      baseUrl: emulator.baseUrl,
      guestCustomer: { id: "guest_load", phone: "9876543210" }
    }).pipe(Layer.provide(FetchHttpClient.layer))
})
