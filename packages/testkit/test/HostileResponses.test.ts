/**
 * `HostileResponses.client` serves exactly one hostile answer, at the armed request, over any
 * `HttpClient`; `judge` tells right outcomes from wrong ones.
 */
import { Payment } from "@payport/core/Payment"
import { ProviderUnavailable } from "@payport/core/PaymentError"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as HostileResponses from "../src/HostileResponses.js"

const genuine = Layer.succeed(
  HttpClient.HttpClient,
  HttpClient.make((request) =>
    Effect.succeed(
      HttpClientResponse.fromWeb(
        request,
        new Response(JSON.stringify({ status: "AUTHORIZED", id: "1" }), {
          status: 201,
          headers: { "content-type": "application/json", "x-request-id": "req-1" }
        })
      )
    )
  )
)

describe("HostileResponses.client", () => {
  it.effect("answers the armed request with the corruption, the others genuinely", () =>
    Effect.gen(function* () {
      const hostile = HostileResponses.client(genuine)
      hostile.arm({ target: 1, status: 200, corruption: { _tag: "truncate", fraction: 0.5 } })
      const texts = yield* Effect.forEach([0, 1, 2], () =>
        Effect.flatMap(HttpClient.post("http://127.0.0.1/pts/v2/payments"), (r) =>
          Effect.map(r.text, (text) => ({ status: r.status, text, requestId: r.headers["x-request-id"] }))
        )
      ).pipe(Effect.provide(hostile.layer))
      assert.deepStrictEqual(texts[0], { status: 201, text: '{"status":"AUTHORIZED","id":"1"}', requestId: "req-1" })
      assert.deepStrictEqual(texts[1], { status: 200, text: '{"status":"AUTHO', requestId: "req-1" })
      assert.strictEqual(texts[2]?.status, 201)
      assert.deepStrictEqual(hostile.served(), { method: "POST", status: 200, garbage: true, after: 1 })
    })
  )
})

describe("HostileResponses.judge", () => {
  const garbage = { method: "POST", status: 201, garbage: true, after: 0 }
  const failure = Exit.fail(new ProviderUnavailable({ provider: "p", operation: "o", reason: "down" }))
  it("a typed core error is right; a defect or a foreign error is not", () => {
    assert.isUndefined(HostileResponses.judge(failure, garbage, true))
    assert.match(HostileResponses.judge(Exit.die("boom"), garbage, true) ?? "", /not a typed failure/)
    assert.match(HostileResponses.judge(Exit.fail(new Error("x")), garbage, true) ?? "", /not a core error/)
  })
  it("a mutation may not succeed from a garbage 2xx, unless a later request established it", () => {
    assert.match(HostileResponses.judge(Exit.succeed("ok"), garbage, true) ?? "", /reported success/)
    assert.isUndefined(HostileResponses.judge(Exit.succeed("ok"), { ...garbage, after: 1 }, true))
    assert.isUndefined(HostileResponses.judge(Exit.succeed("ok"), garbage, false))
  })
  it("an invalid Payment is wrong", () => {
    const invalid = Object.create(Payment.prototype) as Payment
    assert.match(HostileResponses.judge(Exit.succeed(invalid), undefined, false) ?? "", /invalid Payment/)
  })
})
