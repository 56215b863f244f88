import { assert, describe, it } from "@effect/vitest"
import { PaymentError } from "@payport/core"
import { LoadTest } from "@payport/testkit"
import * as Effect from "effect/Effect"

describe("LoadTest.drive", () => {
  it.live("counts operations, failures by tag, and defects", () =>
    Effect.gen(function* () {
      const report = yield* LoadTest.drive(30, 8, (i) =>
        i % 10 === 0
          ? Effect.fail(new PaymentError.ProviderUnavailable({ reason: "down" }))
          : i % 10 === 1
            ? Effect.die("boom")
            : Effect.void
      )
      assert.strictEqual(report.operations, 30)
      assert.deepStrictEqual(report.failures, { ProviderUnavailable: 3, Defect: 3 })
      assert.strictEqual(report.leakedFibers, 0)
      assert.isAbove(report.peakRssMb, 0)
      assert.include(LoadTest.format("test", report), "30 ops at concurrency 8")
    })
  )

  it.live("reports fibers an operation leaves running, and unhandled rejections", () =>
    Effect.gen(function* () {
      const report = yield* LoadTest.drive(5, 5, () =>
        Effect.fork(Effect.never).pipe(
          Effect.zipRight(
            Effect.sync(() => {
              void Promise.reject(new Error("nobody handles this"))
            })
          ),
          Effect.zipRight(Effect.sleep("20 millis"))
        )
      )
      assert.strictEqual(report.leakedFibers, 5)
      assert.isAtLeast(report.unhandledRejections, 1)
    })
  )

  it.live("starts an emulator in its own process from the CLI and stops it with the scope", () =>
    Effect.gen(function* () {
      const info = yield* Effect.scoped(LoadTest.spawnEmulator("cybersource"))
      assert.match(info.baseUrl, /^http:\/\/127\.0\.0\.1:\d+$/)
      assert.strictEqual(info.merchantId, "testrest")
      const after = yield* Effect.either(Effect.tryPromise(() => fetch(`${info.baseUrl}/tss/v2/transactions/1`)))
      assert.strictEqual(after._tag, "Left")
    })
  )
})
