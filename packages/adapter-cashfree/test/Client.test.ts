import * as Money from "@payport/core/Money"
import * as PaymentMethod from "@payport/core/PaymentMethod"
import * as Payments from "@payport/core/Payments"
import { PaymentId, PaymentRef } from "@payport/core/Ids"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as ConfigProvider from "effect/ConfigProvider"
import * as TestClock from "effect/TestClock"
import * as Cashfree from "../src/Cashfree.js"
import { idempotencyHeader } from "../src/CashfreeClient.js"
import { materialise, schema } from "./support/OpenApi.js"
import { CLIENT_SECRET, withRoutes } from "./support/Layers.js"
import * as Stub from "./support/Stub.js"
import { type Reply, type Route, sequence } from "./support/Stub.js"

const inr = (minor: number) => Money.unsafeMake(minor, "INR")
const ref = PaymentRef.make({ provider: "cashfree", paymentId: PaymentId.make("12376123"), orderId: "order_8123" })
const paymentExample = materialise(schema("PaymentEntity").example ?? null)
const refundExample = materialise(schema("RefundEntity").example ?? null)
const getPayment = (reply: () => Reply): Route => ["GET", /^\/orders\/[^/]+\/payments\/[^/]+$/, reply]
const postRefund = (reply: () => Reply): Route => ["POST", /^\/orders\/[^/]+\/refunds$/, reply]
const noRefunds: Route = ["GET", /^\/orders\/[^/]+\/refunds$/, () => ({ body: [] })]
/** The settled payment a refund reads before it is sent, with no refunds yet. */
const refundable: ReadonlyArray<Route> = [getPayment(() => ({ body: paymentExample })), noRefunds]
const posts = (log: ReadonlyArray<Stub.Recorded>) => log.filter((r) => r.method === "POST")
const serverError = {
  status: 500,
  body: { message: "internal Server Error", code: "internal_error", type: "api_error" }
}
const refund = () =>
  Payments.refund({ payment: ref, amount: inr(100), reference: "REF-123", idempotencyKey: "refund-key-0001" })

/** Lets the stub's real promises settle between virtual clock steps. */
const tick = Effect.promise(() => new Promise<void>((resolve) => setTimeout(resolve, 5)))

describe("headers", () => {
  it("maps a Payport key to a stable UUID and keeps a UUID key", () =>
    Effect.runPromise(
      Effect.gen(function* () {
        const a = yield* idempotencyHeader("refund-key-0001")
        assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
        assert.strictEqual(yield* idempotencyHeader("refund-key-0001"), a)
        assert.notStrictEqual(yield* idempotencyHeader("refund-key-0002"), a)
        assert.strictEqual(
          yield* idempotencyHeader("47BF8872-46FE-11EE-BE56-0242AC120002"),
          "47bf8872-46fe-11ee-be56-0242ac120002"
        )
      })
    ))

  const v22 = withRoutes([getPayment(() => ({ body: paymentExample })), noRefunds], {
    apiVersion: "2022-09-01",
    baseUrl: "http://127.0.0.1:9/pg/"
  })
  it.effect("the configured version and base URL are used; GETs carry no idempotency key", () =>
    Effect.gen(function* () {
      yield* Payments.get(ref)
      const sent = v22.log[0]
      assert.isDefined(sent)
      if (sent === undefined) return
      assert.strictEqual(sent.url.toString(), "http://127.0.0.1:9/pg/orders/order_8123/payments/12376123")
      assert.strictEqual(sent.headers["x-api-version"], "2022-09-01")
      assert.strictEqual(sent.headers["x-client-secret"], CLIENT_SECRET)
      assert.isUndefined(sent.headers["x-idempotency-key"])
    }).pipe(Effect.provide(v22.layer))
  )
})

describe("retries", () => {
  const flaky = withRoutes([
    postRefund(sequence([serverError, { status: 502, body: "<html>Bad Gateway</html>" }, { body: refundExample }])),
    ...refundable
  ])
  it.effect("5xx on an authenticated POST is retried with the same idempotency key", () =>
    Effect.gen(function* () {
      const fiber = yield* Effect.fork(refund())
      while (fiber.unsafePoll() === null) yield* TestClock.adjust("10 millis").pipe(Effect.zipRight(tick))
      const result = yield* Fiber.join(fiber)
      assert.strictEqual(result.ref.refundId, "REF-123")
      const sent = posts(flaky.log)
      assert.strictEqual(sent.length, 3)
      const keys = new Set(sent.map((r) => r.headers["x-idempotency-key"]))
      assert.strictEqual(keys.size, 1)
      assert.strictEqual([...keys][0], yield* idempotencyHeader("refund-key-0001"))
      assert.strictEqual(new Set(sent.map((r) => r.body)).size, 1)
    }).pipe(Effect.provide(flaky.layer))
  )

  const limited = withRoutes([
    postRefund(
      sequence([
        {
          status: 429,
          headers: { "x-ratelimit-retry": "2", "x-ratelimit-type": "app_id" },
          body: {
            message: "Too many requests from IP. Check headers",
            code: "request_failed",
            type: "rate_limit_error"
          }
        },
        { body: refundExample }
      ])
    ),
    ...refundable
  ])
  it.effect("429 waits the x-ratelimit-retry seconds, then retries with the same key", () =>
    Effect.gen(function* () {
      const fiber = yield* Effect.fork(refund())
      while (posts(limited.log).length < 1) yield* tick
      yield* tick
      yield* TestClock.adjust("1900 millis")
      yield* tick
      assert.strictEqual(posts(limited.log).length, 1, "retried before x-ratelimit-retry elapsed")
      yield* TestClock.adjust("200 millis")
      while (fiber.unsafePoll() === null) yield* tick
      const result = yield* Fiber.join(fiber)
      assert.strictEqual(result.ref.refundId, "REF-123")
      const sent = posts(limited.log)
      assert.strictEqual(sent.length, 2)
      assert.strictEqual(sent[0]?.headers["x-idempotency-key"], sent[1]?.headers["x-idempotency-key"])
    }).pipe(Effect.provide(limited.layer))
  )

  const payFails = withRoutes([
    [
      "POST",
      /^\/orders$/,
      () => ({
        body: {
          ...(materialise(schema("OrderEntity").example ?? null) as object),
          order_id: "ord_pay_5xx",
          order_status: "ACTIVE"
        }
      })
    ],
    [
      "POST",
      /^\/orders\/sessions$/,
      () => ({ status: 502, body: { message: "bank down", code: "bank_processing_failure", type: "api_error" } })
    ]
  ])
  it.effect("a 5xx from Order Pay (no idempotency at Cashfree) is OutcomeUnknown and is not retried", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        Payments.create({
          reference: "ord_pay_5xx",
          amount: inr(1_000),
          method: PaymentMethod.card({ number: "4111111111111111", expiry: { month: 1, year: 2031 }, cvv: "987" })
        })
      )
      assert.strictEqual(error._tag, "OutcomeUnknown")
      assert.strictEqual(payFails.log.filter((r) => r.path === "/orders/sessions").length, 1)
    }).pipe(Effect.provide(payFails.layer))
  )
})

describe("undecodable answers", () => {
  const garbage: ReadonlyArray<readonly [string, Reply]> = [
    [
      "an HTML page",
      { body: "<html><body>Service Unavailable</body></html>", headers: { "content-type": "text/html" } }
    ],
    ["an empty body", { body: "" }],
    ["truncated JSON", { body: '{"cf_payment_id":"12376123","payment_status":"SUC' }],
    ["wrong types", { body: { cf_payment_id: true, payment_status: 7 } }],
    ["an unknown status", { body: { ...(paymentExample as object), payment_status: "TELEPORTED" } }],
    ["an amount with too many decimals", { body: { ...(paymentExample as object), order_amount: 10.015 } }]
  ]
  for (const [name, reply] of garbage) {
    const read = withRoutes([getPayment(() => reply), noRefunds])
    it.effect(`a read answered with ${name} fails ProviderResponseInvalid with the body kept, redacted`, () =>
      Effect.gen(function* () {
        const error = yield* Effect.flip(Payments.get(ref))
        assert.strictEqual(error._tag, "ProviderResponseInvalid")
        assert.strictEqual(error.provider, "cashfree")
        assert.isDefined(error.raw)
        assert.isFalse(String(error.raw).includes("Service"))
      }).pipe(Effect.provide(read.layer))
    )
    const write = withRoutes([postRefund(() => reply), ...refundable])
    it.effect(`a refund answered with ${name} fails OutcomeUnknown`, () =>
      Effect.gen(function* () {
        const error = yield* Effect.flip(refund())
        assert.strictEqual(error._tag, "OutcomeUnknown")
        if (error._tag === "OutcomeUnknown") assert.strictEqual(error.idempotencyKey, "refund-key-0001")
      }).pipe(Effect.provide(write.layer))
    )
  }

  const garbledRead = withRoutes([
    getPayment(() => ({ body: '{"cf_payment_id":"12376123","payment_status":"SUC' })),
    noRefunds,
    postRefund(() => ({ body: refundExample }))
  ])
  it.effect("a refund whose payment read (before sending) is garbled sends nothing and is retryable", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(refund())
      assert.strictEqual(error._tag, "ProviderUnavailable")
      assert.strictEqual(error.retry, "same-key")
      assert.strictEqual(posts(garbledRead.log).length, 0)
    }).pipe(Effect.provide(garbledRead.layer))
  )

  const html404 = withRoutes([getPayment(() => ({ status: 404, body: "<html>Not Found</html>" }))])
  it.effect("an error status with an undecodable body still maps by status", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(Payments.get(ref))
      assert.strictEqual(error._tag, "NotFound")
      assert.strictEqual(error.httpStatus, 404)
    }).pipe(Effect.provide(html404.layer))
  )

  const unauthorized = withRoutes([
    getPayment(() => ({
      status: 401,
      body: { message: "authentication Failed", code: "request_failed", type: "authentication_error" }
    }))
  ])
  it.effect("401 is Unauthenticated and its message names no secret", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(Payments.get(ref))
      assert.strictEqual(error._tag, "Unauthenticated")
      assert.isFalse(error.message.includes(CLIENT_SECRET))
      assert.isFalse(JSON.stringify(error).includes(CLIENT_SECRET))
    }).pipe(Effect.provide(unauthorized.layer))
  )
})

describe("configuration", () => {
  const http = Stub.make([]).layer
  const build = (entries: ReadonlyArray<readonly [string, string]>) =>
    Layer.build(
      Cashfree.layerConfig().pipe(
        Layer.provide(http),
        Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map(entries))))
      )
    ).pipe(Effect.scoped)

  it.effect("layerConfig fails with a ConfigurationError naming the missing or invalid variable", () =>
    Effect.gen(function* () {
      const missing = yield* Effect.flip(build([["CASHFREE_CLIENT_ID", "id"]]))
      assert.strictEqual(missing.variable, "CASHFREE_CLIENT_SECRET")
      const noId = yield* Effect.flip(build([["CASHFREE_CLIENT_SECRET", "s"]]))
      assert.strictEqual(noId.variable, "CASHFREE_CLIENT_ID")
      // Nothing set: both credentials are named at once.
      const none = yield* Effect.flip(build([]))
      assert.strictEqual(none.message, "CASHFREE_CLIENT_ID, CASHFREE_CLIENT_SECRET: are not set")
      const wrong = yield* Effect.flip(
        build([
          ["CASHFREE_CLIENT_ID", "id"],
          ["CASHFREE_CLIENT_SECRET", "s"],
          ["CASHFREE_ENVIRONMENT", "staging"]
        ])
      )
      assert.strictEqual(wrong.variable, "CASHFREE_ENVIRONMENT")
      const ok = yield* Effect.either(
        build([
          ["CASHFREE_CLIENT_ID", "id"],
          ["CASHFREE_CLIENT_SECRET", "s"]
        ])
      )
      assert.strictEqual(ok._tag, "Right")
    })
  )
})
