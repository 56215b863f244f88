/**
 * A lean `HttpClient` for Payport on Node: `node:http` / `node:https` over keep-alive agents, each
 * response body read in full before the response is handed back.
 *
 * Why it exists: provider APIs answer small JSON bodies, and on this path the transport is most of
 * a port call's client CPU. Measured in steady state on the bench machine (one GET of a saved-card
 * list against the Cashfree emulator, `bench/README.md`), `node:http` itself costs about what raw
 * undici does and less than half of `fetch`; this client keeps that, where the general-purpose
 * clients add one fiber hop for the headers and another for the body, a stream adapter, and the
 * response wrapper's cached body effect.
 *
 * What it does and does not do:
 * - Everything `@effect/platform` layers on a client works unchanged (`mapRequest`, retries,
 *   interruption, `withTracerDisabledWhen`…). A request the tracer is on for goes through
 *   `HttpClient.make`, so it gets the platform's client span (redacted header names) and trace
 *   propagation; any other request skips that constructor's abort controller and response
 *   wrapper, which only matter for bodies still streaming (none here). `withScope` ties nothing
 *   to the scope for the same reason: the body is already read.
 * - Interrupting a request destroys its socket at once, so a timed-out attempt never leaves a
 *   request running; a body still in flight is dropped with it.
 * - Bodies are buffered (up to `maxBodyBytes`, 16 MiB by default): `stream` replays the buffer.
 *   It is meant for API calls, not downloads.
 * - Transport failures are `RequestError{reason: "Transport"}` carrying Node's error, whose `code`
 *   (`ECONNREFUSED`, `ECONNRESET`, …) the adapters read to tell "never sent" from "may have been
 *   applied". A body cut off after the headers arrived is a `ResponseError{reason: "Decode"}` from
 *   `text`/`json`/…, as with the platform's clients.
 * - It enforces attempt deadlines (`HttpPolicy.currentDeadline`) itself and says so
 *   (`HttpPolicy.DeadlineAware`): a request still running at its attempt's deadline is cut (its
 *   socket destroyed) and fails as a transport failure, so the call policy times attempts out
 *   without forking a fiber per attempt.
 * - No decompression (no `accept-encoding` is sent unless you send it), no redirects (Payport's
 *   providers answer API calls directly; `HttpClient.followRedirects` adds them).
 *
 * Runtime dependencies: `effect`, `@effect/platform`, `@payport/core` (for the deadline), and
 * Node's built-in modules.
 *
 * @since 0.1.0
 */
import * as Cookies from "@effect/platform/Cookies"
import * as HttpPolicy from "@payport/core/HttpPolicy"
import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as HttpIncomingMessage from "@effect/platform/HttpIncomingMessage"
import * as UrlParams from "@effect/platform/UrlParams"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as FiberRef from "effect/FiberRef"
import * as Inspectable from "effect/Inspectable"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as Http from "node:http"
import * as Https from "node:https"

/**
 * Agent and body options.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Most sockets per origin (default: unbounded, as Node's default agent). */
  readonly maxSockets?: number | undefined
  /** Idle keep-alive sockets kept per origin (default 256). */
  readonly maxFreeSockets?: number | undefined
  /** Largest response body read; a longer one fails its `text`/`json`/… with a `ResponseError`. Default 16 MiB. */
  readonly maxBodyBytes?: number | undefined
  /** Extra `node:https` agent options (a CA, client certificates…). */
  readonly tls?: Https.AgentOptions | undefined
}

/** The default `maxBodyBytes`. */
const DEFAULT_MAX_BODY = 16 * 1024 * 1024

/** What a response's body came to: its bytes, or why they could not all be read. */
type Body = { readonly _tag: "Bytes"; readonly bytes: Buffer } | { readonly _tag: "Failed"; readonly cause: unknown }

const headersOf = (incoming: Http.IncomingHttpHeaders): Headers.Headers => {
  const out: Record<string, string> = {}
  for (const name in incoming) {
    const value = incoming[name]
    if (value !== undefined) out[name] = typeof value === "string" ? value : value.join(", ")
  }
  return Headers.unsafeFromRecord(out)
}

class Response extends Inspectable.Class implements HttpClientResponse.HttpClientResponse {
  readonly [HttpIncomingMessage.TypeId]: HttpIncomingMessage.TypeId = HttpIncomingMessage.TypeId
  readonly [HttpClientResponse.TypeId]: HttpClientResponse.TypeId = HttpClientResponse.TypeId
  readonly headers: Headers.Headers
  private textCache: string | undefined
  private cookiesCache: Cookies.Cookies | undefined

  constructor(
    readonly request: HttpClientRequest.HttpClientRequest,
    readonly status: number,
    private readonly incoming: Http.IncomingHttpHeaders,
    private readonly body: Body
  ) {
    super()
    this.headers = headersOf(incoming)
  }

  get remoteAddress(): Option.Option<string> {
    return Option.none()
  }

  get cookies(): Cookies.Cookies {
    if (this.cookiesCache !== undefined) return this.cookiesCache
    const header = this.incoming["set-cookie"]
    this.cookiesCache = header === undefined ? Cookies.empty : Cookies.fromSetCookie(header)
    return this.cookiesCache
  }

  private decodeError(cause: unknown): HttpClientError.ResponseError {
    return new HttpClientError.ResponseError({ request: this.request, response: this, reason: "Decode", cause })
  }

  private bytes(): Effect.Effect<Buffer, HttpClientError.ResponseError> {
    return this.body._tag === "Bytes" ? Effect.succeed(this.body.bytes) : Effect.fail(this.decodeError(this.body.cause))
  }

  get text(): Effect.Effect<string, HttpClientError.ResponseError> {
    if (this.body._tag === "Failed") return Effect.fail(this.decodeError(this.body.cause))
    this.textCache ??= this.body.bytes.toString("utf8")
    return Effect.succeed(this.textCache)
  }

  get json(): Effect.Effect<unknown, HttpClientError.ResponseError> {
    return Effect.flatMap(this.text, (text) =>
      Effect.try({ try: () => (text === "" ? null : JSON.parse(text)), catch: (cause) => this.decodeError(cause) })
    )
  }

  get urlParamsBody(): Effect.Effect<UrlParams.UrlParams, HttpClientError.ResponseError> {
    return Effect.flatMap(this.text, (text) =>
      Effect.try({
        try: () => UrlParams.fromInput(new URLSearchParams(text)),
        catch: (cause) => this.decodeError(cause)
      })
    )
  }

  get arrayBuffer(): Effect.Effect<ArrayBuffer, HttpClientError.ResponseError> {
    return Effect.map(this.bytes(), (bytes) => {
      const copy = new ArrayBuffer(bytes.byteLength)
      new Uint8Array(copy).set(bytes)
      return copy
    })
  }

  get formData(): Effect.Effect<FormData, HttpClientError.ResponseError> {
    return Effect.flatMap(this.bytes(), (bytes) =>
      Effect.tryPromise({
        try: () =>
          new globalThis.Response(new Uint8Array(bytes), {
            headers: { "content-type": this.headers["content-type"] ?? "" }
          }).formData(),
        catch: (cause) => this.decodeError(cause)
      })
    )
  }

  get stream(): Stream.Stream<Uint8Array, HttpClientError.ResponseError> {
    return Stream.flatMap(Stream.fromEffect(this.bytes()), (bytes) => Stream.succeed(new Uint8Array(bytes)))
  }

  override toJSON(): unknown {
    return HttpIncomingMessage.inspect(this, {
      _id: "@effect/platform/HttpClientResponse",
      request: this.request.toJSON(),
      status: this.status
    })
  }
}

const transportError = (request: HttpClientRequest.HttpClientRequest, cause: unknown) =>
  new HttpClientError.RequestError({ request, reason: "Transport", cause })

/** Why a request was cut: its attempt's deadline passed (`code` `ETIMEDOUT`, as Node's own timeouts). */
class DeadlinePassed extends Error {
  readonly code = "ETIMEDOUT"
  constructor() {
    super("the attempt's deadline passed before the response was read")
    this.name = "DeadlinePassed"
  }
}

/** What goes on the wire: the body's bytes or text, and headers the encoding adds (form data). */
interface Encoded {
  readonly data: Uint8Array | string | undefined
  readonly headers?: Headers.Headers
}

/**
 * The request body, at once when it is already bytes or text (every Payport call), or as an
 * effect that produces it (streams, form data, a raw body of the wrong type).
 */
const bodyOf = (
  request: HttpClientRequest.HttpClientRequest
): Encoded | Effect.Effect<Encoded, HttpClientError.RequestError> => {
  const body = request.body
  switch (body._tag) {
    case "Empty":
      return { data: undefined }
    case "Uint8Array":
      return { data: body.body }
    case "Raw":
      return typeof body.body === "string" || body.body instanceof Uint8Array
        ? { data: body.body }
        : Effect.fail(
            new HttpClientError.RequestError({
              request,
              reason: "Encode",
              description: "a raw body must be a string or a Uint8Array"
            })
          )
    case "FormData":
      return Effect.tryPromise({
        try: async () => {
          const encoded = new globalThis.Response(body.formData)
          const data = new Uint8Array(await encoded.arrayBuffer())
          return {
            data,
            headers: Headers.unsafeFromRecord({
              "content-type": encoded.headers.get("content-type") ?? "multipart/form-data",
              "content-length": String(data.byteLength)
            })
          }
        },
        catch: (cause) => new HttpClientError.RequestError({ request, reason: "Encode", cause })
      })
    case "Stream":
      return Stream.runCollect(body.stream).pipe(
        Effect.map((chunks) => ({ data: Buffer.concat(Chunk.toArray(chunks)) })),
        Effect.mapError((cause) => new HttpClientError.RequestError({ request, reason: "Encode", cause }))
      )
  }
}

const send = (
  agents: { readonly http: Http.Agent; readonly https: Https.Agent },
  maxBodyBytes: number,
  request: HttpClientRequest.HttpClientRequest,
  url: URL,
  data: Uint8Array | string | undefined,
  extraHeaders: Headers.Headers | undefined,
  deadline: HttpPolicy.Deadline | undefined
): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.RequestError> =>
  Effect.async<HttpClientResponse.HttpClientResponse, HttpClientError.RequestError>((resume) => {
    // Started after its attempt's deadline (an earlier step of the attempt took the time): not sent.
    if (deadline !== undefined && deadline.at <= Date.now()) {
      HttpPolicy.expire(deadline)
      resume(Effect.fail(transportError(request, new DeadlinePassed())))
      return
    }
    const secure = url.protocol === "https:"
    const options: Http.RequestOptions = {
      method: request.method,
      headers: extraHeaders === undefined ? request.headers : { ...request.headers, ...extraHeaders },
      agent: secure ? agents.https : agents.http
    }
    let settled = false
    let cancel: (() => void) | undefined
    const settle = (effect: Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.RequestError>) => {
      if (settled) return
      settled = true
      if (cancel !== undefined) cancel()
      resume(effect)
    }
    const outgoing = secure ? Https.request(url, options) : Http.request(url, options)
    if (deadline !== undefined) {
      cancel = HttpPolicy.onDeadline(deadline.at, () => {
        if (settled) return
        HttpPolicy.expire(deadline)
        settle(Effect.fail(transportError(request, new DeadlinePassed())))
        outgoing.destroy()
      })
    }
    outgoing.on("error", (cause) => settle(Effect.fail(transportError(request, cause))))
    outgoing.on("response", (incoming) => {
      const chunks: Array<Buffer> = []
      let length = 0
      const finish = (body: Body) =>
        settle(Effect.succeed(new Response(request, incoming.statusCode ?? 0, incoming.headers, body)))
      incoming.on("data", (chunk: Buffer) => {
        length += chunk.length
        if (length > maxBodyBytes) {
          finish({ _tag: "Failed", cause: new Error(`response body longer than ${maxBodyBytes} bytes`) })
          outgoing.destroy()
          return
        }
        chunks.push(chunk)
      })
      incoming.on("end", () => {
        if (incoming.complete)
          finish({ _tag: "Bytes", bytes: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, length) })
        else finish({ _tag: "Failed", cause: new Error("the response body was cut off") })
      })
      incoming.on("error", (cause) => finish({ _tag: "Failed", cause }))
      incoming.on("aborted", () => finish({ _tag: "Failed", cause: new Error("the response body was cut off") }))
    })
    if (data === undefined) outgoing.end()
    else outgoing.end(data)
    // Interruption (a timeout, a cancelled caller): drop the socket, so nothing keeps running.
    return Effect.sync(() => {
      settled = true
      if (cancel !== undefined) cancel()
      outgoing.destroy()
    })
  })

/**
 * Builds the client; its agents (and every pooled socket) are destroyed when the scope closes.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options = {}): Effect.Effect<HttpClient.HttpClient, never, Scope.Scope> =>
  Effect.map(
    Effect.acquireRelease(
      Effect.sync(() => {
        const agentOptions: Http.AgentOptions = {
          keepAlive: true,
          maxFreeSockets: options.maxFreeSockets ?? 256,
          ...(options.maxSockets === undefined ? {} : { maxSockets: options.maxSockets })
        }
        return { http: new Http.Agent(agentOptions), https: new Https.Agent({ ...agentOptions, ...options.tls }) }
      }),
      (agents) =>
        Effect.sync(() => {
          agents.http.destroy()
          agents.https.destroy()
        })
    ),
    (agents) => {
      const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY
      const exchange = (
        request: HttpClientRequest.HttpClientRequest,
        url: URL,
        deadline: HttpPolicy.Deadline | undefined
      ) => {
        const body = bodyOf(request)
        return Effect.isEffect(body)
          ? Effect.flatMap(body, (encoded) =>
              send(agents, maxBodyBytes, request, url, encoded.data, encoded.headers, deadline)
            )
          : send(agents, maxBodyBytes, request, url, body.data, body.headers, deadline)
      }
      // The platform's constructor: the per-request client span (method, URL, redacted headers,
      // status) and trace propagation, used whenever the tracer is on for the request.
      const traced = HttpClient.make((request, url) =>
        FiberRef.getWith(HttpPolicy.currentDeadline, (deadline) => exchange(request, url, deadline))
      )
      // Without a span the constructor's remaining work is an `AbortController`, a finalization
      // registry entry and a wrapper around the response, all there to abort a body still
      // streaming: this client reads bodies before answering and destroys the socket on
      // interruption, so none of it applies, and it would cost CPU on every request.
      const client = HttpClient.makeWith<never, never, HttpClientError.HttpClientError, never>(
        (prepared) =>
          Effect.flatMap(prepared, (request) =>
            Effect.withFiberRuntime<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError>((fiber) => {
              const untraced =
                !fiber.getFiberRef(FiberRef.currentTracerEnabled) ||
                fiber.getFiberRef(HttpClient.currentTracerDisabledWhen)(request)
              if (!untraced) return traced.execute(request)
              const url = UrlParams.makeUrl(request.url, request.urlParams, request.hash)
              return Either.isLeft(url)
                ? Effect.fail(new HttpClientError.RequestError({ request, reason: "InvalidUrl", cause: url.left }))
                : exchange(request, url.right, fiber.getFiberRef(HttpPolicy.currentDeadline))
            })
          ),
        Effect.succeed
      )
      // Read by adapters (`HttpPolicy.enforcesDeadlines`) before they wrap the client.
      return Object.assign(client, { [HttpPolicy.DeadlineAware]: true as const })
    }
  )

/**
 * The client as a layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<HttpClient.HttpClient> = Layer.scoped(HttpClient.HttpClient, make())

/**
 * The client with options, as a layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerWith = (options: Options): Layer.Layer<HttpClient.HttpClient> =>
  Layer.scoped(HttpClient.HttpClient, make(options))
