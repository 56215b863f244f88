/**
 * Mutations whose answer never arrives, driven through the public ports as the README shows them,
 * with the emulator's faults on the wire and its truth API as the judge. CyberSource honours no
 * idempotency key, so a caller that follows the documented discipline (`OutcomeUnknown` → sync →
 * retry with the same key) must never make a capture or refund twice, and a sale that went
 * through is never reported as an invalid response.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Authorization from "@payport/core/Authorization"
import * as Money from "@payport/core/Money"
import * as PaymentMethod from "@payport/core/PaymentMethod"
import * as Payments from "@payport/core/Payments"
import * as CyberSourceEmulator from "@payport/emulators/CyberSourceEmulator"
import * as EmulatorFaults from "@payport/emulators/EmulatorFaults"
import { NodeTransport } from "@payport/http-node"
import * as CyberSourceFixtures from "@payport/testkit/CyberSourceFixtures"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as CyberSource from "../src/CyberSource.js"
import { optionsFor } from "./support/Live.js"

const run = globalThis.crypto.randomUUID().slice(0, 8)
const card = PaymentMethod.card({ number: "4111111111111111", expiry: { month: 12, year: 2031 }, cvv: "123" })
const usd = (minor: number) => Money.unsafeMake(minor, "USD")

/** A 500 ms attempt timeout: the emulator's 1.5 s latency outlives the attempt, not the request. */
const timing = {
  attemptTimeout: "500 millis",
  deadline: "5 seconds",
  retries: 2,
  baseDelay: "2 millis",
  maxDelay: "20 millis"
} as const

const LATE_MS = 1500

const start = CyberSourceEmulator.start(CyberSourceFixtures.fixtureOptions)

const adapterOver = (
  emulator: CyberSourceEmulator.CyberSourceEmulator,
  client: Layer.Layer<HttpClient.HttpClient> = NodeTransport.layer
) => CyberSource.layer(optionsFor(emulator, timing)).pipe(Layer.provide(client), Layer.orDie)

/** The transport with every Transaction Search answered by a cut-off 200 body. */
const garbledSearches: Layer.Layer<HttpClient.HttpClient> = Layer.effect(
  HttpClient.HttpClient,
  Effect.map(HttpClient.HttpClient, (client) =>
    HttpClient.transform(client, (response, request) =>
      new URL(request.url).pathname.endsWith("/tss/v2/searches")
        ? Effect.flatMap(response, (res) =>
            Effect.as(
              Effect.orElseSucceed(res.text, () => ""),
              HttpClientResponse.fromWeb(
                request,
                new Response('{"_embedded":{"transactionSummaries":[{"id":"7', {
                  status: 200,
                  headers: { "content-type": "application/hal+json" }
                })
              )
            )
          )
        : response
    )
  )
).pipe(Layer.provide(NodeTransport.layer))

describe("CyberSource: a mutation that lands after its attempt timed out", () => {
  it.live(
    "a refund retried with the same key after OutcomeUnknown and an empty sync is made once",
    () =>
      Effect.gen(function* () {
        const emulator = yield* start
        yield* Effect.gen(function* () {
          const sale = yield* Payments.create({ reference: `late-refund-${run}`, amount: usd(10_000), method: card })
          emulator.faults.add(EmulatorFaults.latency(LATE_MS, { match: { path: /refunds$/ }, times: 1 }))
          const request = { payment: sale.ref, amount: usd(3_000), idempotencyKey: `late-refund-key-${run}` }

          const first = yield* Effect.flip(Payments.refund(request))
          assert.strictEqual(first._tag, "OutcomeUnknown")
          if (first._tag === "OutcomeUnknown") assert.strictEqual(first.idempotencyKey, request.idempotencyKey)
          // The sync shows nothing yet: the refund is still on its way.
          const synced = yield* Payments.get(sale.ref)
          assert.strictEqual(synced.ledger.refunded.amount, 0)

          // The documented discipline: nothing there, so retry with the same key.
          const second = yield* Effect.either(Payments.refund(request))
          if (Either.isLeft(second)) assert.strictEqual(second.left._tag, "OutcomeUnknown")
          else assert.strictEqual(second.right.amount.amount, 3_000)

          yield* Effect.sleep(`${LATE_MS + 300} millis`)
          const truth = emulator.truth.payment(sale.ref.paymentId)
          assert.strictEqual(truth?.refundIds.length, 1, "one refund at the provider")
          assert.strictEqual(truth?.refunded, 3_000)

          // Once the first request has landed, the same key answers the refund it made.
          const third = yield* Payments.refund(request)
          assert.strictEqual(third.amount.amount, 3_000)
          assert.strictEqual(emulator.truth.payment(sale.ref.paymentId)?.refundIds.length, 1)
          assert.strictEqual((yield* Payments.get(sale.ref)).ledger.refunded.amount, 3_000)
        }).pipe(Effect.provide(adapterOver(emulator)))
      }).pipe(Effect.scoped),
    20_000
  )

  it.live(
    "a partial capture retried with the same key after OutcomeUnknown and an empty sync is made once",
    () =>
      Effect.gen(function* () {
        const emulator = yield* start
        yield* Effect.gen(function* () {
          const hold = yield* Authorization.authorize({
            reference: `late-capture-${run}`,
            amount: usd(10_000),
            method: card
          })
          emulator.faults.add(EmulatorFaults.latency(LATE_MS, { match: { path: /captures$/ }, times: 1 }))
          const request = { payment: hold.ref, amount: usd(4_000), idempotencyKey: `late-capture-key-${run}` }

          const first = yield* Effect.flip(Authorization.capture(request))
          assert.strictEqual(first._tag, "OutcomeUnknown")
          const synced = yield* Payments.get(hold.ref)
          assert.strictEqual(synced.ledger.captured.amount, 0)

          const second = yield* Effect.either(Authorization.capture(request))
          if (Either.isLeft(second)) assert.strictEqual(second.left._tag, "OutcomeUnknown")
          else assert.strictEqual(second.right.ledger.captured.amount, 4_000)

          yield* Effect.sleep(`${LATE_MS + 300} millis`)
          const truth = emulator.truth.payment(hold.ref.paymentId)
          assert.strictEqual(truth?.captureIds.length, 1, "one capture at the provider")
          assert.strictEqual(truth?.captured, 4_000)

          const third = yield* Authorization.capture(request)
          assert.strictEqual(third.ledger.captured.amount, 4_000)
          assert.strictEqual(emulator.truth.payment(hold.ref.paymentId)?.captureIds.length, 1)
        }).pipe(Effect.provide(adapterOver(emulator)))
      }).pipe(Effect.scoped),
    20_000
  )
})

describe("CyberSource: a same-key retry while the first request is in flight", () => {
  it.live(
    "joins the request still in flight and answers its refund, without sending again",
    () =>
      Effect.gen(function* () {
        const emulator = yield* start
        const joinTiming = { ...timing, attemptTimeout: "800 millis" } as const
        const provider = CyberSource.layer(optionsFor(emulator, joinTiming)).pipe(
          Layer.provide(NodeTransport.layer),
          Layer.orDie
        )
        yield* Effect.gen(function* () {
          const sale = yield* Payments.create({ reference: `join-refund-${run}`, amount: usd(10_000), method: card })
          emulator.faults.add(EmulatorFaults.latency(1_000, { match: { path: /refunds$/ }, times: 1 }))
          const request = { payment: sale.ref, amount: usd(2_000), idempotencyKey: `join-refund-key-${run}` }
          const first = yield* Effect.flip(Payments.refund(request))
          assert.strictEqual(first._tag, "OutcomeUnknown")
          // Sent 800 ms ago and answered at 1 s: the retry gets that answer.
          const second = yield* Payments.refund(request)
          assert.strictEqual(second.amount.amount, 2_000)
          const truth = emulator.truth.payment(sale.ref.paymentId)
          assert.strictEqual(truth?.refundIds.length, 1)
          assert.strictEqual(truth?.refunded, 2_000)
        }).pipe(Effect.provide(provider))
      }).pipe(Effect.scoped),
    20_000
  )
})

describe("CyberSource: a sale whose answer is lost", () => {
  it.live(
    "is OutcomeUnknown with the caller's key when the reconciling search answers garbage",
    () =>
      Effect.gen(function* () {
        const emulator = yield* start
        const reference = `lost-sale-${run}`
        const idempotencyKey = `lost-sale-key-${run}`
        emulator.faults.add(
          EmulatorFaults.commitThenDrop({ match: { method: "POST", path: "/pts/v2/payments" }, times: 1 })
        )
        const result = yield* Effect.flip(
          Payments.create({ reference, idempotencyKey, amount: usd(2_500), method: card })
        ).pipe(Effect.provide(adapterOver(emulator, garbledSearches)))
        assert.strictEqual(result._tag, "OutcomeUnknown")
        if (result._tag === "OutcomeUnknown") assert.strictEqual(result.idempotencyKey, idempotencyKey)
        assert.strictEqual(emulator.truth.chargesFor(reference), 1, "the sale went through once")
      }).pipe(Effect.scoped),
    20_000
  )

  it.live(
    "while Transaction Search lags, a same-key retry sends nothing and answers the sale once it is searchable",
    () =>
      Effect.gen(function* () {
        const lagMs = 1500
        const emulator = yield* CyberSourceEmulator.start({ ...CyberSourceFixtures.fixtureOptions, searchLagMs: lagMs })
        const request = {
          reference: `lagging-sale-${run}`,
          idempotencyKey: `lagging-sale-key-${run}`,
          amount: usd(4_100),
          method: card
        }
        emulator.faults.add(
          EmulatorFaults.commitThenDrop({ match: { method: "POST", path: "/pts/v2/payments" }, times: 1 })
        )
        yield* Effect.gen(function* () {
          const first = yield* Effect.flip(Payments.create(request))
          assert.strictEqual(first._tag, "OutcomeUnknown")
          if (first._tag === "OutcomeUnknown") {
            assert.strictEqual(first.idempotencyKey, request.idempotencyKey)
            assert.isDefined(first.inDoubtUntil)
          }
          // The search does not show the sale yet: nothing proves it absent, so nothing is sent.
          assert.strictEqual((yield* Payments.list(request.reference)).length, 0)
          const second = yield* Effect.flip(Payments.create(request))
          assert.strictEqual(second._tag, "OutcomeUnknown")
          assert.strictEqual(emulator.truth.chargesFor(request.reference), 1)

          yield* Effect.sleep(`${lagMs} millis`)
          const third = yield* Payments.create(request)
          assert.strictEqual(third.status._tag, "Captured")
          assert.strictEqual(third.ledger.captured.amount, 4_100)
          assert.strictEqual(emulator.truth.chargesFor(request.reference), 1)
          assert.strictEqual((yield* Payments.list(request.reference)).length, 1)
        }).pipe(Effect.provide(adapterOver(emulator)))
      }).pipe(Effect.scoped),
    20_000
  )
})
