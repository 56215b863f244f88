import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import * as HttpBody from "@effect/platform/HttpBody"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { assert, describe, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Stream from "effect/Stream"
import * as Tracer from "effect/Tracer"
import * as HttpPolicy from "@payport/core/HttpPolicy"
import { NodeTransport } from "@payport/http-node"

/** What the test server saw of one request. */
interface Seen {
  readonly method: string
  readonly url: string
  readonly headers: Http.IncomingHttpHeaders
  readonly body: string
  readonly remotePort: number
}

interface Env {
  readonly base: string
  readonly seen: Array<Seen>
  readonly closed: Array<string>
}

/** A loopback server whose handler is chosen per path; every request is recorded. */
const server = Effect.acquireRelease(
  Effect.async<Env & { readonly server: Http.Server }>((resume) => {
    const seen: Array<Seen> = []
    const closed: Array<string> = []
    const s = Http.createServer((req, res) => {
      const chunks: Array<Buffer> = []
      req.on("data", (c: Buffer) => chunks.push(c))
      req.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8")
        seen.push({
          method: req.method ?? "",
          url: req.url ?? "",
          headers: req.headers,
          body,
          remotePort: req.socket.remotePort ?? 0
        })
        const path = (req.url ?? "").split("?")[0]
        res.on("close", () => {
          if (!res.writableFinished) closed.push(path ?? "")
        })
        switch (path) {
          case "/json":
            res.writeHead(201, {
              "content-type": "application/json",
              "x-request-id": "abc",
              "set-cookie": ["a=1", "b=2"]
            })
            res.end(JSON.stringify({ ok: true, echo: body }))
            return
          case "/empty":
            res.writeHead(204)
            res.end()
            return
          case "/big":
            res.writeHead(200, { "content-type": "text/plain" })
            res.end("x".repeat(4096))
            return
          case "/cut":
            // Promise 100 bytes, send 10, then drop the connection.
            res.writeHead(200, { "content-length": "100" })
            res.write("0123456789")
            setTimeout(() => req.socket.destroy(), 10)
            return
          case "/reset":
            req.socket.destroy()
            return
          case "/hang":
            return
          default:
            res.writeHead(404)
            res.end("no")
        }
      })
    })
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as AddressInfo
      resume(Effect.succeed({ base: `http://127.0.0.1:${port}`, seen, closed, server: s }))
    })
  }),
  ({ server }) =>
    Effect.async<void>((resume) => {
      server.closeAllConnections()
      server.close(() => resume(Effect.void))
    })
)

/**
 * Every behaviour holds on both of the client's paths: with the tracer on (the platform's
 * constructor, a client span per request) and with it disabled for the request (the adapters'
 * default: no span, no abort controller, no response wrapper).
 */
const modes = {
  traced: (client: HttpClient.HttpClient) => client,
  untraced: (client: HttpClient.HttpClient) => HttpClient.withTracerDisabledWhen(client, () => true)
} as const

for (const [mode, wrap] of Object.entries(modes)) {
  const withClient = <A, E>(f: (client: HttpClient.HttpClient, env: Env) => Effect.Effect<A, E>) =>
    Effect.gen(function* () {
      const env = yield* server
      const client = wrap(yield* NodeTransport.make({ maxBodyBytes: 1024 }))
      return yield* f(client, env)
    }).pipe(Effect.scoped)

  describe(`NodeTransport (${mode})`, () => {
    it.live("sends method, path, query, headers and a text body; reads status, headers, cookies and JSON", () =>
      withClient((client, { base, seen }) =>
        Effect.gen(function* () {
          const request = HttpClientRequest.post(`${base}/json`).pipe(
            HttpClientRequest.setUrlParams({ a: "1", b: "x y" }),
            HttpClientRequest.setHeader("x-custom", "yes"),
            HttpClientRequest.bodyText('{"amount":"10.50"}', "application/json")
          )
          const response = yield* client.execute(request)
          assert.strictEqual(response.status, 201)
          assert.strictEqual(response.headers["x-request-id"], "abc")
          assert.deepStrictEqual(Object.keys(response.cookies.cookies), ["a", "b"])
          assert.deepStrictEqual(yield* response.json, { ok: true, echo: '{"amount":"10.50"}' })
          // The body can be read again, in any form.
          assert.strictEqual(JSON.parse(yield* response.text).ok, true)
          const streamed = yield* Stream.runCollect(response.stream)
          assert.strictEqual(Buffer.concat(Chunk.toArray(streamed)).toString("utf8"), yield* response.text)
          assert.strictEqual((yield* response.arrayBuffer).byteLength, (yield* response.text).length)
          const request0 = seen[0]
          assert.isDefined(request0)
          assert.strictEqual(request0?.method, "POST")
          assert.strictEqual(request0?.url, "/json?a=1&b=x+y")
          assert.strictEqual(request0?.headers["x-custom"], "yes")
          assert.strictEqual(request0?.headers["content-type"], "application/json")
          assert.strictEqual(request0?.headers["content-length"], String('{"amount":"10.50"}'.length))
          assert.strictEqual(request0?.body, '{"amount":"10.50"}')
        })
      )
    )

    it.live("sends raw and streamed bodies as their bytes", () =>
      withClient((client, { base, seen }) =>
        Effect.gen(function* () {
          const raw = HttpClientRequest.post(`${base}/json`).pipe(HttpClientRequest.setBody(HttpBody.raw("raw text")))
          yield* client.execute(raw)
          const bytes = new TextEncoder().encode("streamed")
          const streamed = HttpClientRequest.post(`${base}/json`).pipe(
            HttpClientRequest.bodyStream(Stream.make(bytes.subarray(0, 3), bytes.subarray(3)))
          )
          yield* client.execute(streamed)
          assert.deepStrictEqual(
            seen.map((s) => s.body),
            ["raw text", "streamed"]
          )
        })
      )
    )

    it.live("keeps the connection alive across requests", () =>
      withClient((client, { base, seen }) =>
        Effect.gen(function* () {
          for (let i = 0; i < 5; i++) {
            const response = yield* client.execute(HttpClientRequest.get(`${base}/json`))
            yield* response.text
          }
          assert.strictEqual(seen.length, 5)
          assert.strictEqual(new Set(seen.map((s) => s.remotePort)).size, 1)
        })
      )
    )

    it.live("an empty body reads as empty text and null JSON", () =>
      withClient((client, { base }) =>
        Effect.gen(function* () {
          const response = yield* client.execute(HttpClientRequest.del(`${base}/empty`))
          assert.strictEqual(response.status, 204)
          assert.strictEqual(yield* response.text, "")
          assert.strictEqual(yield* response.json, null)
        })
      )
    )

    it.live("a refused connection is a Transport RequestError carrying ECONNREFUSED", () =>
      Effect.gen(function* () {
        // Bind and close a port, so nothing listens on it.
        const port = yield* Effect.async<number>((resume) => {
          const s = Http.createServer()
          s.listen(0, "127.0.0.1", () => {
            const { port } = s.address() as AddressInfo
            s.close(() => resume(Effect.succeed(port)))
          })
        })
        const client = wrap(yield* NodeTransport.make())
        const error = yield* Effect.flip(client.execute(HttpClientRequest.get(`http://127.0.0.1:${port}/x`)))
        assert.strictEqual(error._tag, "RequestError")
        assert.isTrue(error._tag === "RequestError" && error.reason === "Transport")
        assert.strictEqual((error.cause as { readonly code?: string }).code, "ECONNREFUSED")
      }).pipe(Effect.scoped)
    )

    it.live("a connection reset before any answer is a Transport RequestError", () =>
      withClient((client, { base }) =>
        Effect.gen(function* () {
          const error = yield* Effect.flip(client.execute(HttpClientRequest.post(`${base}/reset`)))
          assert.isTrue(error._tag === "RequestError" && error.reason === "Transport")
          assert.strictEqual((error.cause as { readonly code?: string }).code, "ECONNRESET")
        })
      )
    )

    it.live("a body cut off after the headers fails text with a Decode ResponseError", () =>
      withClient((client, { base }) =>
        Effect.gen(function* () {
          const response = yield* client.execute(HttpClientRequest.get(`${base}/cut`))
          assert.strictEqual(response.status, 200)
          const error = yield* Effect.flip(response.text)
          assert.isTrue(error._tag === "ResponseError" && error.reason === "Decode")
          assert.isTrue((yield* Effect.exit(response.json))._tag === "Failure")
        })
      )
    )

    it.live("a body longer than maxBodyBytes fails to read instead of filling memory", () =>
      withClient((client, { base }) =>
        Effect.gen(function* () {
          const response = yield* client.execute(HttpClientRequest.get(`${base}/big`))
          const error = yield* Effect.flip(response.text)
          assert.isTrue(error._tag === "ResponseError" && error.reason === "Decode")
        })
      )
    )

    it.live("interrupting a request in flight closes its connection", () =>
      withClient((client, { base, closed }) =>
        Effect.gen(function* () {
          const fiber = yield* Effect.fork(client.execute(HttpClientRequest.get(`${base}/hang`)))
          yield* Effect.sleep("50 millis")
          yield* Fiber.interrupt(fiber)
          assert.isTrue(Exit.isInterrupted(yield* Fiber.await(fiber)))
          // The server sees the socket go.
          for (let i = 0; i < 50 && closed.length === 0; i++) yield* Effect.sleep("10 millis")
          assert.deepStrictEqual(closed, ["/hang"])
        })
      )
    )

    it.live("a timeout around a hanging request ends it, and the next request still works", () =>
      withClient((client, { base }) =>
        Effect.gen(function* () {
          const timedOut = yield* Effect.exit(
            client.execute(HttpClientRequest.get(`${base}/hang`)).pipe(Effect.timeout("50 millis"))
          )
          assert.isTrue(Exit.isFailure(timedOut))
          const response = yield* client.execute(HttpClientRequest.get(`${base}/json`))
          assert.strictEqual(response.status, 201)
        })
      )
    )

    it.live("says it enforces attempt deadlines, and cuts a request at its attempt's deadline without a fork", () =>
      Effect.gen(function* () {
        const env = yield* server
        const raw = yield* NodeTransport.make()
        assert.isTrue(HttpPolicy.enforcesDeadlines(raw))
        assert.isFalse(HttpPolicy.enforcesDeadlines(HttpClient.withTracerDisabledWhen(raw, () => true)))
        const client = wrap(raw)
        const late = () => "late" as const
        const started = Date.now()
        const error = yield* Effect.flip(
          HttpPolicy.timeoutFail(client.execute(HttpClientRequest.get(`${env.base}/hang`)), 80, late, {
            transport: true
          })
        )
        const elapsed = Date.now() - started
        assert.strictEqual(error, "late")
        assert.isAtLeast(elapsed, 75)
        assert.isBelow(elapsed, 2_000)
        // The connection was dropped, so nothing keeps running at the provider's end.
        for (let i = 0; i < 50 && env.closed.length === 0; i++) yield* Effect.sleep("10 millis")
        assert.deepStrictEqual(env.closed, ["/hang"])
        // A request that ends in time is untouched, and its own failures pass through as they are.
        const ok = yield* HttpPolicy.timeoutFail(
          client.execute(HttpClientRequest.get(`${env.base}/json`)),
          5_000,
          late,
          {
            transport: true
          }
        )
        assert.strictEqual(ok.status, 201)
        const refused = yield* Effect.flip(
          HttpPolicy.timeoutFail(client.execute(HttpClientRequest.get("http://127.0.0.1:1/")), 5_000, late, {
            transport: true
          })
        )
        assert.notStrictEqual(refused, "late")
      }).pipe(Effect.scoped)
    )

    it.live("a deadline bounds every request of the attempt, and an enclosing deadline bounds an inner one", () =>
      Effect.gen(function* () {
        const env = yield* server
        const client = wrap(yield* NodeTransport.make())
        const get = (path: string) => client.execute(HttpClientRequest.get(`${env.base}${path}`))
        // Two requests in one attempt: the second, still hanging at the deadline, is cut.
        const two = yield* Effect.flip(
          HttpPolicy.timeoutFail(Effect.zipRight(get("/json"), get("/hang")), 100, () => "attempt", {
            transport: true
          })
        )
        assert.strictEqual(two, "attempt")
        // An inner timeout longer than the enclosing one is cut at the enclosing deadline: both expire.
        const started = Date.now()
        const outer = yield* Effect.flip(
          HttpPolicy.timeoutFail(
            HttpPolicy.timeoutFail(get("/hang"), 10_000, () => "inner", { transport: true }),
            80,
            () => "outer",
            { transport: true }
          )
        )
        assert.strictEqual(outer, "outer")
        assert.isBelow(Date.now() - started, 2_000)
        // A shorter inner timeout expires alone: the enclosing attempt sees the inner's failure.
        const inner = yield* Effect.flip(
          HttpPolicy.timeoutFail(
            HttpPolicy.timeoutFail(get("/hang"), 50, () => "inner", { transport: true }),
            10_000,
            () => "outer",
            { transport: true }
          )
        )
        assert.strictEqual(inner, "inner")
      }).pipe(Effect.scoped)
    )

    it.live("a request started after its attempt's deadline fails at once and sends nothing", () =>
      Effect.gen(function* () {
        const env = yield* server
        const client = wrap(yield* NodeTransport.make())
        const error = yield* Effect.flip(
          HttpPolicy.timeoutFail(
            Effect.zipRight(Effect.sleep("60 millis"), client.execute(HttpClientRequest.get(`${env.base}/json`))),
            20,
            () => "late" as const,
            { transport: true }
          )
        )
        assert.strictEqual(error, "late")
        assert.strictEqual(env.seen.length, 0)
      }).pipe(Effect.scoped)
    )

    it.live("a URL that does not parse is an InvalidUrl RequestError, and nothing is sent", () =>
      withClient((client, { seen }) =>
        Effect.gen(function* () {
          const error = yield* Effect.flip(client.execute(HttpClientRequest.get("not a url")))
          assert.isTrue(error._tag === "RequestError" && error.reason === "InvalidUrl")
          assert.strictEqual(seen.length, 0)
        })
      )
    )

    it.live("works as the HttpClient layer", () =>
      Effect.gen(function* () {
        const { base } = yield* server
        const response = yield* HttpClient.get(`${base}/json`)
        assert.strictEqual(response.status, 201)
      }).pipe(Effect.scoped, Effect.provide(NodeTransport.layer))
    )
  })
}

describe("NodeTransport spans", () => {
  it.live("a client span per request while the tracer is on; none when it is off or disabled for the request", () =>
    Effect.gen(function* () {
      const { base, seen } = yield* server
      const client = yield* NodeTransport.make()
      const native = yield* Effect.tracer
      const names: Array<string> = []
      const recording = Tracer.make({
        span: (...args) => {
          names.push(args[0])
          return native.span(...args)
        },
        context: native.context
      })
      const get = (c: HttpClient.HttpClient) => c.execute(HttpClientRequest.get(`${base}/json`))
      yield* get(client).pipe(Effect.withTracer(recording))
      yield* get(HttpClient.withTracerDisabledWhen(client, () => true)).pipe(Effect.withTracer(recording))
      yield* get(client).pipe(Effect.withTracer(recording), Effect.withTracerEnabled(false))
      assert.deepStrictEqual(names, ["http.client GET"])
      assert.strictEqual(seen.length, 3)
      // The traced request carries the trace context; the others do not.
      assert.isString(seen[0]?.headers.traceparent)
      assert.isUndefined(seen[1]?.headers.traceparent)
      assert.isUndefined(seen[2]?.headers.traceparent)
    }).pipe(Effect.scoped)
  )
})
