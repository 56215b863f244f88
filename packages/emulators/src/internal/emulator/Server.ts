/**
 * The emulators' HTTP server: raw `node:http` on loopback, started as an Effect resource.
 *
 * Raw `node:http` rather than `HttpRouter` because faults need the socket: "connection reset"
 * destroys it before the request is handled, and "commit then drop" handles the request (state
 * changes, idempotency record stored) and then destroys it without answering — the case where a
 * client cannot know whether its request took effect.
 *
 * Per request: read the whole body (raw bytes kept for signature checks) → a path under
 * `/__payport/` is the emulator's own (`TruthEndpoint`) and is answered at once, never seen by the
 * fault engine or the provider's handler → otherwise ask the fault engine for a decision → wait any
 * injected latency → answer with a fault reply, or run the handler and write its reply (or drop
 * the connection after running it). A handler that throws is answered with the provider's 500 body.
 *
 * Provider-neutral and stable: the Cashfree and CyberSource emulators both use it.
 *
 * @example
 * ```ts
 * const running = yield* Server.start({
 *   port: 0,
 *   handler: (request) => Http.json(200, { path: request.path }),
 *   faults: Faults.make(seed, rules),
 *   truth: { provider: "example", references: () => [], attempts: () => [] },
 *   faultReplies: { error: (status) => Http.json(status, {...}), rateLimit: (retry) => Http.json(429, {...}) }
 * })
 * // running.origin === "http://127.0.0.1:PORT"; the server closes when the scope closes
 * ```
 */
import * as NodeHttp from "node:http"
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import type * as Faults from "../../FaultEngine.js"
import type * as Http from "./Http.js"
import * as TruthEndpoint from "./TruthEndpoint.js"

/** The provider's answers for injected `error` and `rateLimit` faults (and for handler crashes). */
export interface FaultReplies {
  readonly error: (status: number, request: Http.Request) => Http.Reply
  readonly rateLimit: (retryAfterSeconds: number, request: Http.Request) => Http.Reply
}

/** Server options. */
export interface Options {
  /** Port to listen on; 0 (default) picks a free one. */
  readonly port?: number
  /** Interface to bind; default `127.0.0.1` (loopback only). */
  readonly host?: string
  readonly handler: Http.Handler
  readonly faults?: Faults.Engine
  readonly faultReplies: FaultReplies
  /** What `GET /__payport/truth` reports; that endpoint is always served and never faulted. */
  readonly truth: TruthEndpoint.Source
  /** Larger bodies are refused with 413; default 1 MiB. */
  readonly maxBodyBytes?: number
}

/** A listening server. */
export interface Running {
  readonly host: string
  readonly port: number
  /** `http://HOST:PORT`, no trailing slash. */
  readonly origin: string
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

const headersOf = (req: NodeHttp.IncomingMessage): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value
  }
  return out
}

const write = (res: NodeHttp.ServerResponse, reply: Http.Reply): void => {
  if (res.destroyed || res.headersSent) return
  const body = typeof reply.body === "string" ? Buffer.from(reply.body, "utf8") : Buffer.from(reply.body)
  res.writeHead(reply.status, { ...reply.headers, "content-length": String(body.byteLength) })
  res.end(body)
}

const serve = async (options: Options, req: NodeHttp.IncomingMessage, res: NodeHttp.ServerResponse) => {
  const limit = options.maxBodyBytes ?? 1024 * 1024
  const chunks: Array<Buffer> = []
  let size = 0
  for await (const chunk of req) {
    const buffer = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer)
    size += buffer.byteLength
    if (size > limit) {
      write(res, { status: 413, headers: { "content-type": "text/plain" }, body: "request body too large" })
      return
    }
    chunks.push(buffer)
  }
  const body = new Uint8Array(Buffer.concat(chunks))
  const url = new URL(req.url ?? "/", "http://emulator.invalid")
  const headers = headersOf(req)
  const request: Http.Request = {
    method: (req.method ?? "GET").toUpperCase(),
    path: url.pathname,
    query: url.searchParams,
    headers,
    host: headers.host ?? "",
    body,
    text: new TextDecoder().decode(body),
    remoteAddress: req.socket.remoteAddress ?? ""
  }
  // Checked before the fault engine so that no rule (not even one matching every path) reaches the
  // emulator's own endpoints, and a truth read leaves the seeded fault schedule untouched.
  if (TruthEndpoint.owns(request.path)) return write(res, TruthEndpoint.handle(options.truth, request))
  const decision = options.faults?.decide(request.method, request.path) ?? { latencyMs: 0, action: undefined }
  if (decision.latencyMs > 0) await sleep(decision.latencyMs)
  const action = decision.action
  if (action?._tag === "reset") {
    req.socket.destroy()
    return
  }
  if (action?._tag === "error") return write(res, options.faultReplies.error(action.status, request))
  if (action?._tag === "rateLimit") return write(res, options.faultReplies.rateLimit(action.retryAfterSeconds, request))
  let reply: Http.Reply
  try {
    reply = await options.handler(request)
  } catch {
    reply = options.faultReplies.error(500, request)
  }
  if (action?._tag === "commitThenDrop") {
    req.socket.destroy()
    return
  }
  write(res, reply)
}

/**
 * Starts the server; it stops (open connections closed) when the scope closes. Failing to bind
 * (e.g. the port is taken) is a defect: an emulator that cannot listen is unusable.
 */
export const start = (options: Options): Effect.Effect<Running, never, Scope.Scope> => {
  const host = options.host ?? "127.0.0.1"
  return Effect.acquireRelease(
    Effect.async<NodeHttp.Server, Error>((resume) => {
      const server = NodeHttp.createServer((req, res) => {
        serve(options, req, res).catch(() => {
          if (!res.headersSent) write(res, { status: 500, headers: {}, body: "" })
        })
      })
      server.once("error", (error) => resume(Effect.fail(error)))
      server.listen(options.port ?? 0, host, () => resume(Effect.succeed(server)))
    }).pipe(Effect.orDie),
    (server) =>
      Effect.async<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  ).pipe(
    Effect.map((server) => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : (options.port ?? 0)
      return { host, port, origin: `http://${host.includes(":") ? `[${host}]` : host}:${port}` }
    })
  )
}
