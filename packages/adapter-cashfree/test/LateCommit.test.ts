/**
 * Mutations whose answer is lost or unreadable, driven through the public ports as the README
 * shows them, with faults on the wire and the emulator's truth API as the judge: a payment that
 * may have been made is `OutcomeUnknown` carrying the caller's idempotency key, never
 * `ProviderResponseInvalid` or `NotFound`.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Money from "@payport/core/Money"
import * as PaymentMethod from "@payport/core/PaymentMethod"
import * as Payments from "@payport/core/Payments"
import * as CashfreeEmulator from "@payport/emulators/CashfreeEmulator"
import * as EmulatorFaults from "@payport/emulators/EmulatorFaults"
import { NodeTransport } from "@payport/http-node"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Cashfree from "../src/Cashfree.js"
import { options } from "./support/Loopback.js"

const run = globalThis.crypto.randomUUID().slice(0, 8)
const card = PaymentMethod.card({ number: "4111111111111111", expiry: { month: 12, year: 2031 }, cvv: "123" })
const inr = (minor: number) => Money.unsafeMake(minor, "INR")

const adapterOver = (
  emulator: CashfreeEmulator.CashfreeEmulator,
  client: Layer.Layer<HttpClient.HttpClient> = NodeTransport.layer
) => Cashfree.layer(options(emulator)).pipe(Layer.provide(client))

/** The transport, with `rewrite` deciding the answer to each request. */
const transportWith = (
  rewrite: (
    request: HttpClientRequest.HttpClientRequest,
    client: HttpClient.HttpClient,
    response: Effect.Effect<HttpClientResponse.HttpClientResponse, unknown>
  ) => Effect.Effect<HttpClientResponse.HttpClientResponse, unknown> | undefined
): Layer.Layer<HttpClient.HttpClient> =>
  Layer.effect(
    HttpClient.HttpClient,
    Effect.map(HttpClient.HttpClient, (client) =>
      HttpClient.make((request) => {
        const response = client.execute(request)
        return (rewrite(request, client, response) ?? response) as typeof response
      })
    )
  ).pipe(Layer.provide(NodeTransport.layer))

const pathOf = (request: HttpClientRequest.HttpClientRequest) => new URL(request.url).pathname

/** Reads of an order's payments answered by a cut-off 200 body. */
const garbledPaymentReads = transportWith((request, _client, response) =>
  request.method === "GET" && /\/orders\/[^/]+\/payments/.test(pathOf(request))
    ? Effect.flatMap(response, (res) =>
        Effect.as(
          Effect.orElseSucceed(res.text, () => ""),
          HttpClientResponse.fromWeb(
            request,
            new Response('[{"cf_payment_id":"51', { status: 200, headers: { "content-type": "application/json" } })
          )
        )
      )
    : undefined
)

/** Every Order Pay delivered twice (a duplicating network); the caller sees the second answer. */
const duplicatedOrderPay = transportWith((request, client, response) =>
  request.method === "POST" && pathOf(request).endsWith("/orders/sessions")
    ? Effect.flatMap(response, (res) =>
        Effect.zipRight(
          Effect.orElseSucceed(res.text, () => ""),
          client.execute(request)
        )
      )
    : undefined
)

describe("Cashfree: a payment whose answer is lost or unreadable", () => {
  it.live("an Order Pay whose answer is lost is OutcomeUnknown with the caller's key", () =>
    Effect.gen(function* () {
      const emulator = yield* CashfreeEmulator.start({ seed: 3 })
      const reference = `lost-pay-${run}`
      const idempotencyKey = `lost-pay-key-${run}`
      emulator.faults.add(
        EmulatorFaults.commitThenDrop({ match: { method: "POST", path: "/pg/orders/sessions" }, times: 1 })
      )
      const error = yield* Effect.flip(
        Payments.create({ reference, idempotencyKey, amount: inr(2_500), method: card })
      ).pipe(Effect.provide(adapterOver(emulator)))
      assert.strictEqual(error._tag, "OutcomeUnknown")
      if (error._tag === "OutcomeUnknown") assert.strictEqual(error.idempotencyKey, idempotencyKey)
      assert.strictEqual(emulator.truth.chargesFor(reference), 1)
    }).pipe(Effect.scoped)
  )

  it.live("a same-key retry in another process whose read-back is garbled is OutcomeUnknown", () =>
    Effect.gen(function* () {
      const emulator = yield* CashfreeEmulator.start({ seed: 4 })
      const request = {
        reference: `reread-${run}`,
        idempotencyKey: `reread-key-${run}`,
        amount: inr(3_100),
        method: card
      }
      yield* Payments.create(request).pipe(Effect.provide(adapterOver(emulator)))
      const error = yield* Effect.flip(Payments.create(request)).pipe(
        Effect.provide(adapterOver(emulator, garbledPaymentReads))
      )
      assert.strictEqual(error._tag, "OutcomeUnknown")
      if (error._tag === "OutcomeUnknown") assert.strictEqual(error.idempotencyKey, request.idempotencyKey)
      assert.strictEqual(emulator.truth.chargesFor(request.reference), 1)
    }).pipe(Effect.scoped)
  )

  it.live("a duplicated Order Pay answered orderpay_not_found on a paid order is not NotFound", () =>
    Effect.gen(function* () {
      const emulator = yield* CashfreeEmulator.start({ seed: 5 })
      const reference = `dup-pay-${run}`
      const idempotencyKey = `dup-pay-key-${run}`
      const result = yield* Effect.either(
        Payments.create({ reference, idempotencyKey, amount: inr(4_200), method: card })
      ).pipe(Effect.provide(adapterOver(emulator, duplicatedOrderPay)))
      assert.strictEqual(emulator.truth.chargesFor(reference), 1)
      if (Either.isLeft(result)) {
        assert.strictEqual(result.left._tag, "OutcomeUnknown")
        if (result.left._tag === "OutcomeUnknown") assert.strictEqual(result.left.idempotencyKey, idempotencyKey)
      } else {
        assert.strictEqual(result.right.ledger.captured.amount, 4_200)
      }
    }).pipe(Effect.scoped)
  )
})
