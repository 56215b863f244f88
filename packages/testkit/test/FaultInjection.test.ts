import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { assert, describe, it } from "@effect/vitest"
import * as EmulatorFaults from "@payport/emulators/EmulatorFaults"
import { FaultInjection } from "@payport/testkit"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as TestClock from "effect/TestClock"

/** A provider that answers 200 and counts what reached it. */
const provider = () => {
  const delivered: Array<string> = []
  const client = HttpClient.make((request) =>
    Effect.sync(() => {
      delivered.push(`${request.method} ${new URL(request.url).pathname}`)
      return HttpClientResponse.fromWeb(request, new Response("{}", { status: 200 }))
    })
  )
  return { delivered, layer: Layer.succeed(HttpClient.HttpClient, client) }
}

const faulty = (options: FaultInjection.Options) => {
  const p = provider()
  return { delivered: p.delivered, layer: FaultInjection.layer(options).pipe(Layer.provide(p.layer)) }
}

const call = (path = "/pg/orders", method: "GET" | "POST" = "POST") =>
  Effect.flatMap(HttpClient.HttpClient, (client) =>
    client.execute(HttpClientRequest.make(method)(`http://provider.test${path}`))
  )

describe("FaultInjection", () => {
  it.effect("answers with a 5xx without reaching the provider, as often as told", () => {
    const { delivered, layer } = faulty({ rules: [EmulatorFaults.error(503, { times: 1 })] })
    return Effect.gen(function* () {
      assert.strictEqual((yield* call()).status, 503)
      assert.strictEqual(delivered.length, 0)
      assert.strictEqual((yield* call()).status, 200)
      assert.strictEqual(delivered.length, 1)
      assert.deepStrictEqual(
        (yield* FaultInjection.FaultInjector).applied().map((a) => a.kind),
        ["error"]
      )
    }).pipe(Effect.provide(layer))
  })

  it.effect("answers 429 with the retry hints providers send", () => {
    const { delivered, layer } = faulty({ rules: [EmulatorFaults.rateLimit(3, { times: 1 })] })
    return Effect.gen(function* () {
      const response = yield* call()
      assert.strictEqual(response.status, 429)
      assert.strictEqual(response.headers["retry-after"], "3")
      assert.strictEqual(response.headers["x-ratelimit-retry"], "3")
      assert.strictEqual(delivered.length, 0)
    }).pipe(Effect.provide(layer))
  })

  it.effect("a reset fails with a transport error before anything is sent", () => {
    const { delivered, layer } = faulty({ rules: [EmulatorFaults.reset()] })
    return Effect.gen(function* () {
      const error = yield* Effect.flip(call())
      assert.strictEqual(error._tag, "RequestError")
      assert.isTrue(error._tag === "RequestError" && error.reason === "Transport")
      assert.strictEqual(delivered.length, 0)
    }).pipe(Effect.provide(layer))
  })

  it.effect("commit-then-drop delivers the request, then loses the answer", () => {
    const { delivered, layer } = faulty({ rules: [EmulatorFaults.commitThenDrop({ times: 1 })] })
    return Effect.gen(function* () {
      const error = yield* Effect.flip(call())
      assert.isTrue(error._tag === "RequestError" && error.reason === "Transport")
      assert.include(error.message, "response lost")
      assert.deepStrictEqual(delivered, ["POST /pg/orders"])
    }).pipe(Effect.provide(layer))
  })

  it.effect("latency delays the request by the rule's milliseconds", () => {
    const { delivered, layer } = faulty({ rules: [EmulatorFaults.latency(500)] })
    return Effect.gen(function* () {
      const fiber = yield* Effect.fork(call())
      yield* TestClock.adjust("499 millis")
      assert.strictEqual(delivered.length, 0)
      yield* TestClock.adjust("1 millis")
      assert.strictEqual((yield* Fiber.join(fiber)).status, 200)
      assert.strictEqual(delivered.length, 1)
    }).pipe(Effect.provide(layer))
  })

  it.effect("rules match by method and path", () => {
    const { delivered, layer } = faulty({
      rules: [EmulatorFaults.error(500, { match: { method: "POST", path: /^\/pg\/orders\/[^/]+\/refunds$/ } })]
    })
    return Effect.gen(function* () {
      assert.strictEqual((yield* call("/pg/orders/o1/refunds")).status, 500)
      assert.strictEqual((yield* call("/pg/orders/o1/refunds", "GET")).status, 200)
      assert.strictEqual((yield* call("/pg/orders")).status, 200)
      assert.strictEqual(delivered.length, 2)
    }).pipe(Effect.provide(layer))
  })

  it.effect("probabilities are drawn from the seed: the same seed gives the same faults", () =>
    Effect.gen(function* () {
      const pattern = (seed: number) => {
        const { layer } = faulty({ seed, rules: [EmulatorFaults.error(502, { probability: 0.1 })] })
        return Effect.gen(function* () {
          const statuses: Array<number> = []
          for (let i = 0; i < 200; i++) statuses.push((yield* call()).status)
          return statuses
        }).pipe(Effect.provide(layer))
      }
      const a = yield* pattern(42)
      const b = yield* pattern(42)
      const c = yield* pattern(43)
      assert.deepStrictEqual(a, b)
      assert.notDeepEqual(a, c)
      const failures = a.filter((s) => s === 502).length
      assert.isAbove(failures, 5)
      assert.isBelow(failures, 45)
    })
  )

  it.effect("rules can be changed while the test runs", () => {
    const { layer } = faulty({ rules: [] })
    return Effect.gen(function* () {
      assert.strictEqual((yield* call()).status, 200)
      const injector = yield* FaultInjection.FaultInjector
      injector.add(EmulatorFaults.error(504))
      assert.strictEqual((yield* call()).status, 504)
      injector.clear()
      assert.strictEqual((yield* call()).status, 200)
    }).pipe(Effect.provide(layer))
  })
})
