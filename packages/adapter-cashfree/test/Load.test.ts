/**
 * Load: many card payments at high concurrency through the adapter against the Cashfree emulator
 * running in its own process. Asserts correctness only — every payment succeeded, each order has
 * exactly one payment at the provider (read back through the provider's own API), no unhandled
 * rejections, no leaked fibers — and prints throughput and peak RSS.
 *
 * `npm test` runs a reduced size; the full size is
 * `PAYPORT_LOAD_PAYMENTS=5000 PAYPORT_LOAD_CONCURRENCY=256 npx vitest run test/Load.test.ts`
 * (or `npm run load` at the repository root).
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { LoadTest } from "@payport/testkit"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Cashfree from "../src/Cashfree.js"

const payments = Number(process.env.PAYPORT_LOAD_PAYMENTS ?? 200)
const concurrency = Number(process.env.PAYPORT_LOAD_CONCURRENCY ?? 64)

describe("load against the Cashfree emulator in a separate process", () => {
  it.live(
    `${payments} card payments at concurrency ${concurrency}: each charged exactly once`,
    () =>
      Effect.scoped(
        Effect.gen(function* () {
          const emulator = yield* LoadTest.spawnEmulator("cashfree")
          const ports = Cashfree.layer({
            clientId: emulator.clientId,
            clientSecret: Redacted.make(emulator.clientSecret),
            environment: "sandbox",
            baseUrl: emulator.baseUrl,
            guestCustomer: { id: "guest_load", phone: "9876543210" }
          }).pipe(Layer.provide(FetchHttpClient.layer))
          const { report, notOnce } = yield* LoadTest.sales({ count: payments, concurrency, currency: "INR" }).pipe(
            Effect.provide(ports)
          )
          console.log(LoadTest.format("cashfree", report))
          assert.deepStrictEqual(report.failures, {})
          assert.strictEqual(report.unhandledRejections, 0)
          assert.strictEqual(report.leakedFibers, 0)
          assert.deepStrictEqual(notOnce, [])
        })
      ),
    600_000
  )
})
