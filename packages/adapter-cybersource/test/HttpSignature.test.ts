import { readFileSync } from "node:fs"
import { assert, describe, it } from "@effect/vitest"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Effect from "effect/Effect"

import * as Redacted from "effect/Redacted"
import * as TestClock from "effect/TestClock"
import * as CyberSourceClient from "../src/CyberSourceClient.js"
import * as HttpSignature from "../src/HttpSignature.js"
import { KEY_ID, options, SECRET, stub } from "./support/Stub.js"

interface Case {
  readonly signingString: string
  readonly signatureHeader: string
  readonly digest?: string
}
const vectors = JSON.parse(
  readFileSync(
    `${process.env.PAYPORT_SHARED_DIR}/providers/cybersource-vectors/cybersource_httpsig_vectors.out.json`,
    "utf8"
  )
) as {
  readonly body: string
  readonly post: Case
  readonly get: Case
  readonly getWithQuery: Case
  readonly patch: Case
  readonly delete: Case
  readonly emptyBodyDigest: string
  readonly emptyObjectDigest: string
}

const DATE = "Thu, 01 Jan 2026 00:00:00 GMT"
const EPOCH = Date.parse(DATE)
const base = {
  host: "apitest.cybersource.com",
  date: DATE,
  merchantId: "testrest",
  keyId: KEY_ID,
  sharedSecret: Redacted.make(SECRET)
}

/** Method, target and body of each vector, read back from its own signing string. */
const requestOf = (c: Case, body?: string) => {
  const line = c.signingString.split("\n").find((l) => l.startsWith("request-target: ")) ?? ""
  const [method = "", target = ""] = line.slice("request-target: ".length).split(" ")
  return { method: method.toUpperCase(), target, body }
}

const cases: ReadonlyArray<readonly [string, Case, string | undefined]> = [
  ["post", vectors.post, vectors.body],
  ["get", vectors.get, undefined],
  ["getWithQuery", vectors.getWithQuery, undefined],
  ["patch", vectors.patch, '{"default":true}'],
  ["delete", vectors.delete, undefined]
]

describe("HttpSignature", () => {
  for (const [name, vector, body] of cases) {
    it.effect(`reproduces the ${name} vector bit for bit`, () =>
      Effect.gen(function* () {
        const request = requestOf(vector, body)
        const signed = yield* HttpSignature.sign({ ...base, ...request })
        const text = HttpSignature.signingString({ ...base, ...request, digest: signed.digest })
        assert.strictEqual(text, vector.signingString)
        assert.strictEqual(signed.signature, vector.signatureHeader)
        assert.strictEqual(signed.digest, vector.digest)
        assert.strictEqual(signed.date, DATE)
        assert.strictEqual(signed["v-c-merchant-id"], "testrest")
      })
    )
  }

  it.effect("digests the empty body and the empty object as documented", () =>
    Effect.gen(function* () {
      assert.strictEqual(yield* HttpSignature.digest(""), vectors.emptyBodyDigest)
      assert.strictEqual(yield* HttpSignature.digest(undefined), vectors.emptyBodyDigest)
      assert.strictEqual(yield* HttpSignature.digest("{}"), vectors.emptyObjectDigest)
    })
  )

  it("formats RFC 1123 dates", () => {
    assert.strictEqual(HttpSignature.formatDate(EPOCH), DATE)
  })

  it.effect("a secret that is not base64 is a ConfigurationError naming the variable, without the secret", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        HttpSignature.sign({ ...base, sharedSecret: Redacted.make("not base64!!"), method: "GET", target: "/" })
      )
      assert.strictEqual(error._tag, "ConfigurationError")
      assert.strictEqual(error.variable, "CYBERSOURCE_SHARED_SECRET")
      assert.notInclude(error.message, "not base64!!")
    })
  )

  it.effect("changing one body byte changes digest and signature", () =>
    Effect.gen(function* () {
      const request = requestOf(vectors.post, `${vectors.body.slice(0, -1)} }`)
      const signed = yield* HttpSignature.sign({ ...base, ...request })
      assert.notStrictEqual(signed.digest, vectors.post.digest)
      assert.notStrictEqual(signed.signature, vectors.post.signatureHeader)
    })
  )
})

describe("CyberSourceClient signer", () => {
  for (const [name, vector, body] of cases) {
    it.effect(`the public signed client signs the ${name} request like send, matching the vector`, () =>
      Effect.gen(function* () {
        yield* TestClock.setTime(EPOCH)
        const s = stub(() => ({ status: 200, body: {} }))
        const request = requestOf(vector, body)
        const client = yield* CyberSourceClient.make(options()).pipe(Effect.provide(s.layer), Effect.scoped)
        let http = HttpClientRequest.make(request.method as "GET")(request.target)
        if (body !== undefined) http = HttpClientRequest.bodyText(http, body, "application/json")
        yield* client.http.execute(http)
        const sent = s.recorded[0]
        assert.isDefined(sent)
        if (sent === undefined) return
        assert.strictEqual(sent.path, request.target)
        assert.strictEqual(sent.headers.signature, vector.signatureHeader)
        assert.strictEqual(sent.headers.digest, vector.digest)
        assert.strictEqual(sent.headers.date, DATE)
      })
    )

    it.effect(`signs the ${name} request as sent, matching the vector`, () =>
      Effect.gen(function* () {
        yield* TestClock.setTime(EPOCH)
        const s = stub(() => ({ status: 200, body: {} }))
        const request = requestOf(vector, body)
        const client = yield* CyberSourceClient.make(options()).pipe(Effect.provide(s.layer), Effect.scoped)
        yield* client.send({
          operation: "test",
          method: request.method as "GET",
          path: request.target,
          api: "tms",
          mutating: false,
          resource: "test",
          ...(body === undefined ? {} : { body: JSON.parse(body) })
        })
        const sent = s.recorded[0]
        assert.isDefined(sent)
        if (sent === undefined) return
        assert.strictEqual(sent.url.host, "apitest.cybersource.com")
        assert.strictEqual(sent.path, request.target)
        assert.strictEqual(sent.body, body ?? "")
        assert.strictEqual(sent.headers.signature, vector.signatureHeader)
        assert.strictEqual(sent.headers.digest, vector.digest)
        assert.strictEqual(sent.headers.date, DATE)
        assert.strictEqual(sent.headers.host, "apitest.cybersource.com")
        assert.strictEqual(sent.headers["v-c-merchant-id"], "testrest")
      })
    )
  }

  it.effect("signs the base URL's host (with port) when pointed elsewhere, or an explicit signedHost", () =>
    Effect.gen(function* () {
      const s = stub(() => ({ status: 200, body: {} }))
      const call = {
        operation: "test",
        method: "GET",
        path: "/tss/v2/transactions/1",
        api: "tss",
        mutating: false,
        resource: "test"
      } as const
      const local = yield* CyberSourceClient.make(options({ baseUrl: "http://127.0.0.1:8123" })).pipe(
        Effect.provide(s.layer),
        Effect.scoped
      )
      yield* local.send(call)
      const proxied = yield* CyberSourceClient.make(
        options({ baseUrl: "http://127.0.0.1:8123/", signedHost: "apitest.cybersource.com" })
      ).pipe(Effect.provide(s.layer), Effect.scoped)
      yield* proxied.send(call)
      assert.strictEqual(s.recorded[0]?.headers.host, "127.0.0.1:8123")
      assert.include(s.recorded[0]?.url.href ?? "", "http://127.0.0.1:8123/tss/v2/transactions/1")
      assert.strictEqual(s.recorded[1]?.headers.host, "apitest.cybersource.com")
      assert.strictEqual(s.recorded[1]?.url.host, "127.0.0.1:8123")
    })
  )

  it.effect("production uses api.cybersource.com", () =>
    Effect.gen(function* () {
      const client = yield* CyberSourceClient.make(options({ environment: "production" })).pipe(
        Effect.provide(stub(() => ({ status: 200 })).layer),
        Effect.scoped
      )
      assert.strictEqual(client.host, "api.cybersource.com")
      assert.strictEqual(client.baseUrl, "https://api.cybersource.com")
    })
  )
})
