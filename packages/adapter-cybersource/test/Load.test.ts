/**
 * Load: many card sales at high concurrency through the adapter against the CyberSource emulator
 * running in its own process, every request HTTP-signed and verified. Asserts correctness only —
 * every sale succeeded, each reference has exactly one payment at the provider (read back through
 * TSS search), no unhandled rejections, no leaked fibers — and prints throughput and peak RSS.
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
import * as CyberSource from "../src/CyberSource.js"

const payments = Number(process.env.PAYPORT_LOAD_PAYMENTS ?? 200)
const concurrency = Number(process.env.PAYPORT_LOAD_CONCURRENCY ?? 64)

describe("load against the CyberSource emulator in a separate process", () => {
  it.live(
    `${payments} card sales at concurrency ${concurrency}: each created exactly once`,
    () =>
      Effect.scoped(
        Effect.gen(function* () {
          const emulator = yield* LoadTest.spawnEmulator("cybersource")
          const ports = CyberSource.layer({
            merchantId: emulator.merchantId,
            keyId: emulator.keyId,
            sharedSecret: Redacted.make(emulator.sharedSecret),
            baseUrl: emulator.baseUrl
          }).pipe(Layer.provide(FetchHttpClient.layer))
          const { report, notOnce } = yield* LoadTest.sales({ count: payments, concurrency, currency: "USD" }).pipe(
            Effect.provide(ports)
          )
          console.log(LoadTest.format("cybersource", report))
          assert.deepStrictEqual(report.failures, {})
          assert.strictEqual(report.unhandledRejections, 0)
          assert.strictEqual(report.leakedFibers, 0)
          assert.deepStrictEqual(notOnce, [])
        })
      ),
    600_000
  )
})
