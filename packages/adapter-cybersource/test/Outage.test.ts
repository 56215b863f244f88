/**
 * Rate limits and outages against `CyberSourceEmulator` over loopback: the testkit's `OutageSuite`
 * (a 429 with `retry-after` waited out, a provider answering 503 to everything, a provider slower
 * than the attempt timeout).
 */
import * as Money from "@payport/core/Money"
import * as PaymentMethod from "@payport/core/PaymentMethod"
import * as CyberSourceEmulator from "@payport/emulators/CyberSourceEmulator"
import { outageSuite } from "@payport/testkit/OutageSuite"
import * as Effect from "effect/Effect"
import { providerFor } from "./support/Live.js"

outageSuite({
  name: "CyberSource",
  amount: (minor) => Money.unsafeMake(minor, "USD"),
  method: PaymentMethod.card({ number: "4111111111111111", expiry: { month: 12, year: 2031 }, cvv: "987" }),
  start: Effect.map(CyberSourceEmulator.start(), (emulator) => ({
    emulator,
    layer: (timing) => providerFor(emulator, timing)
  }))
})
