import { HttpClient, HttpClientRequest, type HttpClientResponse } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { assert, describe, it, vi } from "@effect/vitest"
import * as InMemory from "@payport/testkit/InMemory"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Server from "../src/Server.js"

const PAN = "4111111111111111"

// The server over the in-memory provider, on a real loopback port; the client is pointed at it.
const TestServer = Server.layer.pipe(Layer.provideMerge(InMemory.layer()), Layer.provideMerge(NodeHttpServer.layerTest))

interface Body {
  readonly id?: string
  readonly payment?: {
    readonly status: { readonly _tag: string }
    readonly ledger: { readonly captured: { readonly amount: number } }
  }
  readonly error?: {
    readonly tag: string
    readonly field?: string
    readonly decline?: string
    readonly message: string
  }
  readonly received?: string
  readonly duplicate?: boolean
}

const json = (response: HttpClientResponse.HttpClientResponse) =>
  Effect.map(response.json, (body) => ({ status: response.status, body: body as Body }))

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  Effect.flatMap(HttpClient.HttpClient, (client) =>
    client.execute(
      HttpClientRequest.post(path).pipe(HttpClientRequest.bodyUnsafeJson(body), HttpClientRequest.setHeaders(headers))
    )
  ).pipe(Effect.flatMap(json))

const get = (path: string) =>
  Effect.flatMap(HttpClient.HttpClient, (client) => client.get(path)).pipe(Effect.flatMap(json))

const card = (number = PAN) => ({ _tag: "Card", number, expiry: { month: 12, year: 2030 }, cvv: "123" })

describe("examples/server", () => {
  it.layer(TestServer)((it) => {
    it.effect("takes a card payment, and reads it back by its id", () =>
      Effect.gen(function* () {
        const created = yield* post("/payments", {
          reference: "srv-sale-1",
          amount: "10.00",
          currency: "INR",
          method: card()
        })
        assert.strictEqual(created.status, 201)
        assert.strictEqual(created.body.payment?.status._tag, "Captured")
        const read = yield* get(`/payments/${created.body.id}`)
        assert.strictEqual(read.status, 200)
        assert.strictEqual(read.body.payment?.ledger.captured.amount, 1000)
      })
    )

    it.effect("holds, then captures part of the hold", () =>
      Effect.gen(function* () {
        const hold = yield* post("/payments", {
          reference: "srv-hold-1",
          amount: "10.00",
          currency: "INR",
          method: card(),
          capture: "manual"
        })
        assert.strictEqual(hold.body.payment?.status._tag, "Authorized")
        const captured = yield* post(`/payments/${hold.body.id}/capture`, { amount: "6.00" })
        assert.strictEqual(captured.status, 200)
        assert.strictEqual(captured.body.payment?.status._tag, "PartiallyCaptured")
        assert.strictEqual(captured.body.payment?.ledger.captured.amount, 600)
        // The same capture again is a replay (same derived idempotency key): nothing more captured.
        const again = yield* post(`/payments/${hold.body.id}/capture`, { amount: "6.00" })
        assert.strictEqual(again.status, 200)
        assert.strictEqual(again.body.payment?.ledger.captured.amount, 600)
        const over = yield* post(`/payments/${hold.body.id}/capture`, { amount: "5.00" })
        assert.strictEqual(over.status, 409)
        assert.strictEqual(over.body.error?.tag, "InvalidState")
      })
    )

    it.effect("a declined card is 402 with its decline code", () =>
      Effect.gen(function* () {
        const declined = yield* post("/payments", {
          reference: "srv-decline-1",
          amount: "10.00",
          currency: "INR",
          method: card("42423482938483873")
        })
        assert.strictEqual(declined.status, 402)
        assert.strictEqual(declined.body.error?.decline, "invalid_account")
      })
    )

    it.effect("bad input is 400 naming the field, and never echoes card data", () =>
      Effect.gen(function* () {
        const luhn = yield* post("/payments", {
          reference: "srv-bad-1",
          amount: "10.00",
          currency: "INR",
          method: card("4111111111111112")
        })
        assert.strictEqual(luhn.status, 400)
        assert.strictEqual(luhn.body.error?.field, "method.number")
        assert.notInclude(JSON.stringify(luhn.body), "4111111111111112")
        const amount = yield* post("/payments", {
          reference: "srv-bad-2",
          amount: "10.001",
          currency: "INR",
          method: card()
        })
        assert.strictEqual(amount.body.error?.field, "amount")
        const malformed = yield* post("/payments", {
          reference: "srv-bad-3",
          currency: "INR",
          method: { _tag: "Card", number: PAN }
        })
        assert.strictEqual(malformed.status, 400)
        assert.notInclude(JSON.stringify(malformed.body), PAN)
        // A hostile body nested 20,000 levels deep: sent as text (the client's JSON.stringify would overflow).
        const deep = yield* Effect.flatMap(HttpClient.HttpClient, (client) =>
          client.execute(
            HttpClientRequest.post("/payments").pipe(
              HttpClientRequest.bodyText(
                `{"reference":"srv-bad-4","amount":"10.00","currency":"INR","method":${"[".repeat(20000)}1${"]".repeat(20000)}}`,
                "application/json"
              )
            )
          )
        ).pipe(Effect.flatMap(json))
        assert.strictEqual(deep.status, 400)
        const unknownId = yield* get("/payments/not-a-token")
        assert.strictEqual(unknownId.status, 400)
      })
    )

    it.effect(
      "bad input table: oversized, malformed JSON, bad amount, bad currency (each answered before any payment)",
      () =>
        Effect.gen(function* () {
          const text = (body: string) =>
            Effect.flatMap(HttpClient.HttpClient, (client) =>
              client.execute(
                HttpClientRequest.post("/payments").pipe(HttpClientRequest.bodyText(body, "application/json"))
              )
            ).pipe(Effect.flatMap(json))
          const oversized = yield* text(`{"reference":"${"x".repeat(Server.MAX_BODY_BYTES)}"}`)
          assert.strictEqual(oversized.status, 413)
          assert.strictEqual(oversized.body.error?.tag, "BodyTooLarge")
          const malformed = yield* text("{ not json")
          assert.deepStrictEqual([malformed.status, malformed.body.error?.field], [400, "body"])
          const amount = yield* post("/payments", {
            reference: "srv-table-1",
            amount: "ten",
            currency: "INR",
            method: card()
          })
          assert.deepStrictEqual([amount.status, amount.body.error?.field], [400, "amount"])
          const currency = yield* post("/payments", {
            reference: "srv-table-2",
            amount: "10.00",
            currency: "XYZ",
            method: card()
          })
          assert.deepStrictEqual([currency.status, currency.body.error?.field], [400, "currency"])
        })
    )

    it.effect("its log lines carry no card number, CVV or body", () =>
      Effect.gen(function* () {
        const lines: Array<string> = []
        const capture = (...args: ReadonlyArray<unknown>) => {
          lines.push(args.map(String).join(" "))
        }
        const log = vi.spyOn(console, "log").mockImplementation(capture)
        const error = vi.spyOn(console, "error").mockImplementation(capture)
        yield* Effect.ensuring(
          Effect.gen(function* () {
            yield* post("/payments", { reference: "srv-log-1", amount: "10.00", currency: "INR", method: card() })
            yield* post("/payments", { reference: "srv-log-2", amount: "10.001", currency: "INR", method: card() })
            yield* post("/payments", { reference: "srv-log-3", currency: "INR", method: { _tag: "Card", number: PAN } })
          }),
          Effect.sync(() => {
            log.mockRestore()
            error.mockRestore()
          })
        )
        assert.isAtLeast(lines.length, 3)
        for (const line of lines) {
          assert.notInclude(line, PAN)
          assert.notInclude(line, "cvv")
          assert.notInclude(line, "srv-log")
        }
      })
    )

    it.effect("the same Idempotency-Key twice is one payment", () =>
      Effect.gen(function* () {
        const request = { reference: "srv-idem-1", amount: "10.00", currency: "INR", method: card() }
        const first = yield* post("/payments", request, { "idempotency-key": "srv-idem-key-0001" })
        const second = yield* post("/payments", request, { "idempotency-key": "srv-idem-key-0001" })
        assert.strictEqual(first.body.id, second.body.id)
        assert.strictEqual(yield* Effect.flatMap(InMemory.Simulator, (s) => s.charges("srv-idem-1")), 1)
        const conflict = yield* post(
          "/payments",
          { ...request, amount: "11.00" },
          { "idempotency-key": "srv-idem-key-0001" }
        )
        assert.strictEqual(conflict.status, 409)
        assert.strictEqual(conflict.body.error?.tag, "IdempotencyConflict")
      })
    )

    it.effect("webhooks are verified, de-duplicated, and tampered ones refused", () =>
      Effect.gen(function* () {
        const created = yield* post("/payments", {
          reference: "srv-hook-1",
          amount: "10.00",
          currency: "INR",
          method: card()
        })
        const event = yield* Effect.flatMap(InMemory.Simulator, (s) => s.events).pipe(
          Effect.map((events) => events.filter((e) => e._tag === "PaymentUpdated").at(-1))
        )
        assert.isDefined(event)
        const simulator = yield* InMemory.Simulator
        const signed = yield* simulator.sign(event!)
        const client = yield* HttpClient.HttpClient
        const deliver = (body: string) =>
          client
            .execute(
              HttpClientRequest.post("/webhooks/memory").pipe(
                HttpClientRequest.setHeaders(signed.headers as Record<string, string>),
                HttpClientRequest.bodyText(body, "application/json")
              )
            )
            .pipe(Effect.flatMap(json))
        const text = typeof signed.body === "string" ? signed.body : new TextDecoder().decode(signed.body)
        const first = yield* deliver(text)
        assert.strictEqual(first.status, 200)
        assert.isFalse(first.body.duplicate)
        const again = yield* deliver(text)
        assert.isTrue(again.body.duplicate)
        const tampered = yield* deliver(text.replace("srv-hook-1", "srv-hook-2"))
        assert.strictEqual(tampered.status, 401)
        assert.strictEqual(tampered.body.error?.tag, "SignatureInvalid")
        const other = yield* deliver(text).pipe(Effect.zipRight(get(`/payments/${created.body.id}`)))
        assert.strictEqual(other.status, 200)
      })
    )
  })
})
