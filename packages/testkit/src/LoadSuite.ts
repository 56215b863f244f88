/**
 * Load, as one suite any adapter runs in one line: many card sales at high concurrency through the
 * adapter against its emulator running in its own process (`LoadTest.spawnEmulator`). Asserts
 * correctness only — every sale succeeded, each reference has exactly one payment at the provider
 * (read back through the provider's own API), no unhandled rejections, no leaked fibers — and
 * prints throughput and peak RSS.
 *
 * `PAYPORT_LOAD_PAYMENTS` (default 200) and `PAYPORT_LOAD_CONCURRENCY` (default 64) set the size;
 * the repository's `npm run load` runs 5,000 at 256.
 *
 * ```ts
 * import { CyberSource } from "@payport/adapter-cybersource"
 * import { loadSuite } from "@payport/testkit/LoadSuite"
 * import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
 * import * as Layer from "effect/Layer"
 * import * as Redacted from "effect/Redacted"
 *
 * loadSuite({
 *   provider: "cybersource",
 *   currency: "USD",
 *   layer: (emulator) =>
 *     CyberSource.layer({
 *       merchantId: emulator.merchantId,
 *       keyId: emulator.keyId,
 *       sharedSecret: Redacted.make(emulator.sharedSecret),
 *       baseUrl: emulator.baseUrl
 *     }).pipe(Layer.provide(FetchHttpClient.layer))
 * })
 * ```
 *
 * @since 0.1.0
 */
import type { CurrencyCode } from "@payport/core/Currency"
import type * as Payments from "@payport/core/Payments"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import type * as Layer from "effect/Layer"
import * as LoadTest from "./LoadTest.js"

/**
 * An adapter under load: the emulator to spawn, a currency it takes, and the adapter over the
 * spawned emulator.
 *
 * @since 0.1.0
 * @category models
 */
export interface Subject<P extends LoadTest.EmulatorInfo["provider"]> {
  readonly provider: P
  readonly currency: CurrencyCode
  readonly layer: (
    emulator: Extract<LoadTest.EmulatorInfo, { readonly provider: P }>
  ) => Layer.Layer<Payments.Payments, unknown>
}

/**
 * Registers the suite for `subject`.
 *
 * @since 0.1.0
 * @category suites
 */
export const loadSuite = <P extends LoadTest.EmulatorInfo["provider"]>(subject: Subject<P>): void => {
  const payments = Number(process.env.PAYPORT_LOAD_PAYMENTS ?? 200)
  const concurrency = Number(process.env.PAYPORT_LOAD_CONCURRENCY ?? 64)
  describe(`load against the ${subject.provider} emulator in a separate process`, () => {
    it.live(
      `${payments} card sales at concurrency ${concurrency}: each charged exactly once`,
      () =>
        Effect.scoped(
          Effect.gen(function* () {
            const emulator = yield* LoadTest.spawnEmulator(subject.provider)
            const { report, notOnce } = yield* LoadTest.sales({
              count: payments,
              concurrency,
              currency: subject.currency
            }).pipe(Effect.provide(subject.layer(emulator)))
            console.log(LoadTest.format(subject.provider, report))
            assert.deepStrictEqual(report.failures, {})
            assert.strictEqual(report.unhandledRejections, 0)
            assert.strictEqual(report.leakedFibers, 0)
            assert.deepStrictEqual(notOnce, [])
          })
        ),
      600_000
    )
  })
}
