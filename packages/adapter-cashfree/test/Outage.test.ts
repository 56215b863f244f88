/**
 * Rate limits and outages against `CashfreeEmulator` over loopback: the testkit's `OutageSuite`
 * (a 429 with `x-ratelimit-retry` waited out, a provider answering 503 to everything, a provider
 * slower than the attempt timeout).
 */
import * as Money from "@payport/core/Money"
import * as PaymentMethod from "@payport/core/PaymentMethod"
import * as CashfreeEmulator from "@payport/emulators/CashfreeEmulator"
import { outageSuite } from "@payport/testkit/OutageSuite"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Cashfree from "../src/Cashfree.js"
import { httpClient, options } from "./support/Loopback.js"

outageSuite({
  name: "Cashfree",
  amount: (minor) => Money.unsafeMake(minor, "INR"),
  method: PaymentMethod.card({ number: "4111111111111111", expiry: { month: 12, year: 2030 }, cvv: "123" }),
  start: Effect.map(CashfreeEmulator.start(), (emulator) => ({
    emulator,
    layer: (timing) => Cashfree.layer(options(emulator, { timing })).pipe(Layer.provide(httpClient()), Layer.orDie)
  }))
})
