/**
 * CyberSource has no idempotency key, so a payment is created at most once by reconciling before
 * any retry: after an ambiguous failure the adapter searches TSS by `clientReferenceInformation.code`
 * and returns what it finds; only when nothing exists does it POST again.
 */
import * as Money from "@payport/core/Money"
import * as PaymentMethod from "@payport/core/PaymentMethod"
import * as Payments from "@payport/core/Payments"
import * as Authorization from "@payport/core/Authorization"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { provider, type Recorded, ref, type Reply, tss } from "./support/Stub.js"

const card = PaymentMethod.card({ number: "4111111111111111", expiry: { month: 12, year: 2031 }, cvv: "987" })
const amount = Money.unsafeMake(1000, "USD")
const timing = {
  retries: 2,
  baseDelay: "1 millis",
  maxDelay: "2 millis",
  attemptTimeout: "300 millis",
  deadline: "10 seconds"
} as const

const created = {
  status: 201,
  body: {
    id: "P2",
    status: "AUTHORIZED",
    orderInformation: { amountDetails: { authorizedAmount: "10.00", currency: "USD" } }
  }
} as const
const summaries = (ids: ReadonlyArray<string>, code: string) => ({
  status: 201,
  body: {
    count: ids.length,
    _embedded: { transactionSummaries: ids.map((id) => ({ id, clientReferenceInformation: { code } })) }
  }
})

interface Script {
  readonly posts: ReadonlyArray<Reply>
  readonly found: (postsSoFar: number) => ReadonlyArray<string>
  readonly details?: (id: string) => Reply
}

const scripted = (code: string, script: Script) => {
  let posts = 0
  return provider(
    (r: Recorded): Reply => {
      if (r.method === "POST" && r.url.pathname === "/pts/v2/payments") return script.posts[posts++] ?? created
      if (r.url.pathname === "/tss/v2/searches") return summaries(script.found(posts), code)
      if (r.url.pathname.startsWith("/tss/v2/transactions/")) {
        const id = r.url.pathname.split("/").pop() ?? ""
        return (
          script.details?.(id) ?? {
            status: 200,
            body: tss({ id, code, status: "AUTHORIZED", amount: "10.00", applications: ["ics_auth", "ics_bill"] })
          }
        )
      }
      return { status: 599 }
    },
    { timing }
  )
}

const count = (recorded: ReadonlyArray<Recorded>, method: string, path: string) =>
  recorded.filter((r) => r.method === method && r.url.pathname === path).length

describe("payment creation reconciles before any retry", () => {
  it.live("a 502 SERVER_TIMEOUT, then a search that finds the payment: returned without a second POST", () => {
    const p = scripted("order-a", {
      posts: [{ status: 502, body: { status: "SERVER_ERROR", reason: "SERVER_TIMEOUT", message: "Error - timeout" } }],
      found: () => ["P1"]
    })
    return Effect.gen(function* () {
      const payment = yield* Payments.create({ reference: "order-a", amount, method: card })
      assert.strictEqual(payment.ref.paymentId, "P1")
      assert.strictEqual(payment.status._tag, "Captured")
      assert.strictEqual(count(p.recorded, "POST", "/pts/v2/payments"), 1)
      assert.strictEqual(count(p.recorded, "POST", "/tss/v2/searches"), 1)
    }).pipe(Effect.provide(p.layer))
  })

  it.live("a reset after sending, then a search that finds nothing: the POST is repeated once", () => {
    const p = scripted("order-b", { posts: ["reset"], found: () => [] })
    return Effect.gen(function* () {
      const payment = yield* Authorization.authorize({ reference: "order-b", amount, method: card })
      assert.strictEqual(payment.ref.paymentId, "P2")
      assert.strictEqual(payment.status._tag, "Authorized")
      assert.strictEqual(count(p.recorded, "POST", "/pts/v2/payments"), 2)
      assert.strictEqual(count(p.recorded, "POST", "/tss/v2/searches"), 1)
      // the repeated POST is byte-identical
      const bodies = p.recorded.filter((r) => r.url.pathname === "/pts/v2/payments").map((r) => r.body)
      assert.strictEqual(bodies[0], bodies[1])
    }).pipe(Effect.provide(p.layer))
  })

  it.live("a timeout (the provider committed, the answer never came): found by the search, one POST", () => {
    const p = scripted("order-c", { posts: ["hang"], found: (posts) => (posts >= 1 ? ["P1"] : []) })
    return Effect.gen(function* () {
      const payment = yield* Payments.create({ reference: "order-c", amount, method: card })
      assert.strictEqual(payment.ref.paymentId, "P1")
      assert.strictEqual(count(p.recorded, "POST", "/pts/v2/payments"), 1)
    }).pipe(Effect.provide(p.layer))
  })

  it.live("a success that does not decode is ambiguous too: reconciled, not re-sent", () => {
    const p = scripted("order-d", { posts: [{ status: 201, body: '{"id":"P1","stat' }], found: () => ["P1"] })
    return Effect.gen(function* () {
      const payment = yield* Payments.create({ reference: "order-d", amount, method: card })
      assert.strictEqual(payment.ref.paymentId, "P1")
      assert.strictEqual(count(p.recorded, "POST", "/pts/v2/payments"), 1)
    }).pipe(Effect.provide(p.layer))
  })

  it.live("a payment found declined is re-raised as PaymentDeclined, not re-sent", () => {
    const p = scripted("order-e", {
      posts: ["reset"],
      found: () => ["P1"],
      details: (id) => ({
        status: 200,
        body: {
          ...tss({ id, code: "order-e", status: "DECLINED", amount: "10.00" }),
          errorInformation: { reason: "INSUFFICIENT_FUND" }
        }
      })
    })
    return Effect.gen(function* () {
      const error = yield* Effect.flip(Payments.create({ reference: "order-e", amount, method: card }))
      assert.strictEqual(error._tag, "PaymentDeclined")
      if (error._tag === "PaymentDeclined") assert.strictEqual(error.code, "insufficient_funds")
      assert.strictEqual(count(p.recorded, "POST", "/pts/v2/payments"), 1)
    }).pipe(Effect.provide(p.layer))
  })

  it.live("a payment for the same reference with another amount is not taken for this one", () => {
    const p = scripted("order-f", {
      posts: ["reset"],
      found: () => ["OLD"],
      details: (id) => ({ status: 200, body: tss({ id, code: "order-f", status: "AUTHORIZED", amount: "99.00" }) })
    })
    return Effect.gen(function* () {
      const payment = yield* Payments.create({ reference: "order-f", amount, method: card })
      assert.strictEqual(payment.ref.paymentId, "P2")
      assert.strictEqual(count(p.recorded, "POST", "/pts/v2/payments"), 2)
    }).pipe(Effect.provide(p.layer))
  })

  it.live("a refused connection (never sent) is retried without a search", () => {
    const p = scripted("order-g", { posts: ["refused"], found: () => [] })
    return Effect.gen(function* () {
      const payment = yield* Payments.create({ reference: "order-g", amount, method: card })
      assert.strictEqual(payment.ref.paymentId, "P2")
      assert.strictEqual(count(p.recorded, "POST", "/pts/v2/payments"), 2)
      assert.strictEqual(count(p.recorded, "POST", "/tss/v2/searches"), 0)
    }).pipe(Effect.provide(p.layer))
  })

  it.live("ambiguous every time and never found: OutcomeUnknown after the budget, one search before each retry", () => {
    const p = scripted("order-h", { posts: ["reset", "reset", "reset"], found: () => [] })
    return Effect.gen(function* () {
      const error = yield* Effect.flip(Payments.create({ reference: "order-h", amount, method: card }))
      assert.strictEqual(error._tag, "OutcomeUnknown")
      assert.include(error.message, "order-h")
      assert.strictEqual(count(p.recorded, "POST", "/pts/v2/payments"), 3)
      assert.strictEqual(count(p.recorded, "POST", "/tss/v2/searches"), 2)
    }).pipe(Effect.provide(p.layer))
  })

  it.live("captures are never blindly repeated: an ambiguous capture is OutcomeUnknown after one POST", () => {
    const p = provider(
      (r) =>
        r.method === "GET" ? { status: 200, body: tss({ id: "A1", status: "AUTHORIZED", amount: "10.00" }) } : "reset",
      { timing }
    )
    return Effect.gen(function* () {
      const payment = yield* Payments.get(ref("A1"))
      const error = yield* Effect.flip(
        Authorization.capture({ payment: payment.ref, amount: Money.unsafeMake(500, "USD") })
      )
      assert.strictEqual(error._tag, "OutcomeUnknown")
      assert.strictEqual(count(p.recorded, "POST", "/pts/v2/payments/A1/captures"), 1)
    }).pipe(Effect.provide(p.layer))
  })
})
