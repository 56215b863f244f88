/**
 * A network that delivers the same POST twice, and reads that come back garbled, between the
 * adapter and the emulator; the emulator's truth is the judge. CyberSource has no idempotency key:
 * every payment, capture, reversal and refund carries its key's tag as
 * `clientReferenceInformation.transactionId`, which CyberSource refuses when repeated (400
 * `INVALID_DATA`), so the second copy cannot apply, and its refusal is answered with what the first
 * copy made, never as `InvalidRequest`/`InvalidState`. A follow-on that may have applied whose
 * reading of the payment is garbled is `OutcomeUnknown` with the caller's key.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Authorization from "@payport/core/Authorization"
import * as Money from "@payport/core/Money"
import type { OperationError } from "@payport/core/PaymentError"
import * as PaymentMethod from "@payport/core/PaymentMethod"
import * as Payments from "@payport/core/Payments"
import * as CyberSourceEmulator from "@payport/emulators/CyberSourceEmulator"
import { NodeTransport } from "@payport/http-node"
import * as CyberSourceFixtures from "@payport/testkit/CyberSourceFixtures"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as CyberSource from "../src/CyberSource.js"
import { optionsFor } from "./support/Live.js"

const run = globalThis.crypto.randomUUID().slice(0, 8)
const card = PaymentMethod.card({ number: "4111111111111111", expiry: { month: 12, year: 2031 }, cvv: "123" })
const usd = (minor: number) => Money.unsafeMake(minor, "USD")

const timing = {
  attemptTimeout: "2 seconds",
  deadline: "8 seconds",
  retries: 2,
  baseDelay: "2 millis",
  maxDelay: "20 millis"
} as const

/** What the network does to the next request that matches. */
type Action = "duplicate, answer the first" | "duplicate, answer the second" | "garble the answer"

interface Rule {
  readonly method: string
  readonly path: RegExp
  readonly action: Action
  times: number
  /** Plays only once this rule has played out. */
  readonly after?: Rule | undefined
}

/** A network between the adapter and the emulator that plays `rules`, each `times` times. */
const network = (rules: Array<Rule>): Layer.Layer<HttpClient.HttpClient> =>
  Layer.effect(
    HttpClient.HttpClient,
    Effect.map(HttpClient.HttpClient, (client) =>
      HttpClient.transform(client, (response, request) => {
        const path = new URL(request.url).pathname
        const rule = rules.find(
          (r) =>
            r.times > 0 &&
            (r.after === undefined || r.after.times === 0) &&
            r.method === request.method &&
            r.path.test(path)
        )
        if (rule === undefined) return response
        rule.times--
        const drained = (res: HttpClientResponse.HttpClientResponse) => Effect.orElseSucceed(res.text, () => "")
        switch (rule.action) {
          case "duplicate, answer the first":
            return Effect.flatMap(response, (first) =>
              Effect.flatMap(client.execute(request), (second) => Effect.as(drained(second), first))
            )
          case "duplicate, answer the second":
            return Effect.flatMap(response, (first) => Effect.zipRight(drained(first), client.execute(request)))
          case "garble the answer":
            return Effect.flatMap(response, (res) =>
              Effect.as(
                drained(res),
                HttpClientResponse.fromWeb(
                  request,
                  new Response('{"id":"7", "status": <html>', {
                    status: 200,
                    headers: { "content-type": "application/hal+json" }
                  })
                )
              )
            )
        }
      })
    )
  ).pipe(Layer.provide(NodeTransport.layer))

const adapterOver = (emulator: CyberSourceEmulator.CyberSourceEmulator, rules: Array<Rule>) =>
  CyberSource.layer(optionsFor(emulator, timing)).pipe(Layer.provide(network(rules)), Layer.orDie)

const start = CyberSourceEmulator.start(CyberSourceFixtures.fixtureOptions)

const rule = (method: string, path: RegExp, action: Action, times = 1, after?: Rule): Rule => ({
  method,
  path,
  action,
  times,
  after
})

/** Runs `body` against a fresh emulator, through the adapter over a network that plays `rules`. */
const over = <E>(
  body: (
    emulator: CyberSourceEmulator.CyberSourceEmulator,
    rules: Array<Rule>
  ) => Effect.Effect<void, E, CyberSource.Provides>
) =>
  Effect.scoped(
    Effect.flatMap(start, (emulator) => {
      const rules: Array<Rule> = []
      return body(emulator, rules).pipe(Effect.provide(adapterOver(emulator, rules)))
    })
  )

const assertUnknownWithKey = (error: OperationError, key: string) => {
  assert.strictEqual(error._tag, "OutcomeUnknown", error.message)
  if (error._tag === "OutcomeUnknown") assert.strictEqual(error.idempotencyKey, key)
}

describe("CyberSource: a POST the network delivers twice applies once", () => {
  for (const action of ["duplicate, answer the second", "duplicate, answer the first"] as const) {
    it.live(
      `a partial capture (${action})`,
      () =>
        over((emulator, rules) =>
          Effect.gen(function* () {
            const hold = yield* Authorization.authorize({
              reference: `dup-capture-${run}-${action.length}`,
              amount: usd(10_000),
              method: card
            })
            rules.push(rule("POST", /\/captures$/, action))
            const captured = yield* Authorization.capture({
              payment: hold.ref,
              amount: usd(4_000),
              idempotencyKey: `dup-capture-key-${run}-${action.length}`
            })
            assert.strictEqual(captured.ledger.captured.amount, 4_000)
            assert.strictEqual(captured.status._tag, "PartiallyCaptured")
            const truth = emulator.truth.payment(hold.ref.paymentId)
            assert.strictEqual(truth?.captureIds.length, 1, "one capture at the provider")
            assert.strictEqual(truth?.captured, 4_000)
            assert.strictEqual(rules[0]?.times, 0, "the capture was delivered twice")
          })
        ),
      20_000
    )

    it.live(
      `a partial refund (${action})`,
      () =>
        over((emulator, rules) =>
          Effect.gen(function* () {
            const sale = yield* Payments.create({
              reference: `dup-refund-${run}-${action.length}`,
              amount: usd(10_000),
              method: card
            })
            rules.push(rule("POST", /\/refunds$/, action))
            const refund = yield* Payments.refund({
              payment: sale.ref,
              amount: usd(3_000),
              idempotencyKey: `dup-refund-key-${run}-${action.length}`
            })
            assert.strictEqual(refund.amount.amount, 3_000)
            const truth = emulator.truth.payment(sale.ref.paymentId)
            assert.strictEqual(truth?.refundIds.length, 1, "one refund at the provider")
            assert.strictEqual(truth?.refunded, 3_000)
            assert.strictEqual(refund.ref.refundId, truth?.refundIds[0])
            assert.strictEqual(rules[0]?.times, 0, "the refund was delivered twice")
          })
        ),
      20_000
    )
  }

  it.live(
    "a sale whose second copy's refusal is the answer received",
    () =>
      Effect.gen(function* () {
        const emulator = yield* start
        const reference = `dup-sale-${run}`
        const rules = [rule("POST", /\/pts\/v2\/payments$/, "duplicate, answer the second")]
        const sale = yield* Payments.create({
          reference,
          amount: usd(2_500),
          method: card,
          idempotencyKey: `dup-sale-key-${run}`
        }).pipe(Effect.provide(adapterOver(emulator, rules)))
        assert.strictEqual(sale.status._tag, "Captured")
        assert.strictEqual(sale.ledger.captured.amount, 2_500)
        assert.strictEqual(emulator.truth.chargesFor(reference), 1)
        assert.strictEqual(rules[0]?.times, 0)
      }).pipe(Effect.scoped),
    20_000
  )

  it.live(
    "a void (authorization reversal) whose second copy's refusal is the answer received",
    () =>
      over((emulator, rules) =>
        Effect.gen(function* () {
          const hold = yield* Authorization.authorize({
            reference: `dup-void-${run}`,
            amount: usd(5_000),
            method: card
          })
          rules.push(rule("POST", /\/reversals$/, "duplicate, answer the second"))
          const voided = yield* Authorization.void({ payment: hold.ref, idempotencyKey: `dup-void-key-${run}` })
          assert.strictEqual(voided.status._tag, "Voided")
          assert.isDefined(emulator.truth.payment(hold.ref.paymentId)?.reversalId)
          assert.strictEqual(rules[0]?.times, 0)
        })
      ),
    20_000
  )
})

describe("CyberSource: a follow-on that may have applied, then a garbled read, is OutcomeUnknown", () => {
  it.live(
    "a capture whose answer and whose retry's read of the payment are garbled",
    () =>
      over((emulator, rules) =>
        Effect.gen(function* () {
          const hold = yield* Authorization.authorize({
            reference: `garbled-capture-${run}`,
            amount: usd(10_000),
            method: card
          })
          const request = { payment: hold.ref, amount: usd(6_000), idempotencyKey: `garbled-capture-key-${run}` }
          rules.push(rule("POST", /\/captures$/, "garble the answer"))
          const first = yield* Effect.flip(Authorization.capture(request))
          assertUnknownWithKey(first, request.idempotencyKey)
          assert.strictEqual(emulator.truth.payment(hold.ref.paymentId)?.captured, 6_000, "the capture applied")

          // The same-key retry reads the payment first; that read comes back garbled.
          rules.push(rule("GET", /\/tss\/v2\/transactions\//, "garble the answer"))
          const second = yield* Effect.flip(Authorization.capture(request))
          assertUnknownWithKey(second, request.idempotencyKey)

          // A clean read answers the capture the key made, and nothing is sent again.
          const third = yield* Authorization.capture(request)
          assert.strictEqual(third.ledger.captured.amount, 6_000)
          assert.strictEqual(emulator.truth.payment(hold.ref.paymentId)?.captureIds.length, 1)
        })
      ),
    20_000
  )

  it.live(
    "a refund delivered twice whose reconciling reads are all garbled",
    () =>
      over((emulator, rules) =>
        Effect.gen(function* () {
          const sale = yield* Payments.create({ reference: `garbled-refund-${run}`, amount: usd(8_000), method: card })
          const request = { payment: sale.ref, amount: usd(1_000), idempotencyKey: `garbled-refund-key-${run}` }
          const post = rule("POST", /\/refunds$/, "duplicate, answer the second")
          // Every read after the refund's POST: the reconcile cannot see what the first copy made.
          rules.push(post, rule("GET", /\/tss\/v2\/transactions\//, "garble the answer", 50, post))
          const first = yield* Effect.flip(Payments.refund(request))
          assertUnknownWithKey(first, request.idempotencyKey)
          const truth = emulator.truth.payment(sale.ref.paymentId)
          assert.strictEqual(truth?.refundIds.length, 1)
          assert.strictEqual(truth?.refunded, 1_000)
        })
      ),
    20_000
  )

  it.live(
    "a void delivered twice (the second copy refused AUTH_ALREADY_REVERSED) whose reconciling reads are garbled",
    () =>
      over((emulator, rules) =>
        Effect.gen(function* () {
          const hold = yield* Authorization.authorize({
            reference: `garbled-void-${run}`,
            amount: usd(3_000),
            method: card
          })
          const post = rule("POST", /\/reversals$/, "duplicate, answer the second")
          rules.push(post, rule("GET", /\/tss\/v2\/transactions\//, "garble the answer", 50, post))
          const key = `garbled-void-key-${run}`
          const first = yield* Effect.flip(Authorization.void({ payment: hold.ref, idempotencyKey: key }))
          assertUnknownWithKey(first, key)
          assert.isDefined(emulator.truth.payment(hold.ref.paymentId)?.reversalId, "the hold was released")
        })
      ),
    20_000
  )
})
