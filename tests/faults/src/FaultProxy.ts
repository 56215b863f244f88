/**
 * An HTTP fault proxy on `node:http`, between a client and one upstream server on loopback. It
 * knows nothing about the client or the upstream beyond HTTP: each request arriving is given at
 * most one fault, drawn from this proxy's own seeded generator, and then forwarded (or not)
 * accordingly. Faults that forward let the upstream commit before the client learns anything,
 * which is what an exactly-once client must survive.
 *
 * Bounded: it listens on 127.0.0.1 only, forwards only to 127.0.0.1, closes itself after
 * `maxRequests` requests or `lifetimeMs`, whichever comes first, and every delay is at most
 * `maxDelayMs`.
 */
import * as http from "node:http"
import type { Socket } from "node:net"
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import * as Prng from "./Prng.js"

/**
 * The faults, in the order the generator's draw is mapped onto them.
 *
 * - `drop`: forward, let the upstream answer, then destroy the client's connection (committed, answer lost)
 * - `reset`: reset the client's connection (TCP RST) after reading the request; nothing forwarded
 * - `delay-pre`: wait, then forward even if the client has given up (a late commit), answer if it is still there
 * - `delay-post`: forward, then wait before answering (committed, answer late)
 * - `5xx`: answer 502, 503 or 504 with a gateway page; nothing forwarded
 * - `429`: answer 429 with `Retry-After`; nothing forwarded
 * - `garbled`: forward, then answer 200 with the upstream's body corrupted so that it is not JSON
 * - `truncated`: forward, then answer 200 with part of the upstream's body (short, or cut off mid-body)
 * - `html`: forward, then answer 200 with an HTML page
 * - `duplicate`: forward the same request twice, one after the other, and answer with one of the two answers
 */
export const kinds = [
  "drop",
  "reset",
  "delay-pre",
  "delay-post",
  "5xx",
  "429",
  "garbled",
  "truncated",
  "html",
  "duplicate"
] as const

/** One kind of fault. */
export type FaultKind = (typeof kinds)[number]

/** Per-request probabilities; 18% of requests fault in all. */
export const defaultRates: Readonly<Record<FaultKind, number>> = {
  drop: 0.025,
  reset: 0.025,
  "delay-pre": 0.02,
  "delay-post": 0.02,
  "5xx": 0.025,
  "429": 0.02,
  garbled: 0.01,
  truncated: 0.01,
  html: 0.01,
  duplicate: 0.015
}

/** How to start a proxy. */
export interface Options {
  /** The upstream origin, `http://127.0.0.1:PORT`. */
  readonly upstream: string
  /** Seeds the fault schedule: the n-th request to arrive gets the same fault for the same seed. */
  readonly seed: number
  /** Overrides of `defaultRates`. */
  readonly rates?: Partial<Record<FaultKind, number>>
  /** Shortest and longest delay of `delay-pre` and `delay-post`; default 100 ms and 3 s. */
  readonly minDelayMs?: number
  readonly maxDelayMs?: number
  /** After this many requests the proxy closes itself (later requests are refused). */
  readonly maxRequests: number
  /** The proxy closes itself this long after starting. */
  readonly lifetimeMs: number
}

/** One injected fault, recorded under the label that was current when its request arrived. */
export interface FaultEvent {
  readonly label: string
  readonly kind: FaultKind
  readonly method: string
  readonly path: string
  /** The fault's parameters: the status, the delay, which answer of a duplicate was returned… */
  readonly detail: string
}

/** A running proxy. */
export interface FaultProxy {
  /** `http://127.0.0.1:PORT`: point the client here instead of at the upstream. */
  readonly origin: string
  readonly port: number
  /** Sets the label later faults are recorded under (e.g. the operation the client is running). */
  readonly setLabel: (label: string) => void
  readonly events: () => ReadonlyArray<FaultEvent>
  /** Requests received so far. */
  readonly requests: () => number
  /** Resolves `true` once no request is being handled (late forwards included), `false` after `timeoutMs`. */
  readonly drained: (timeoutMs: number) => Promise<boolean>
  readonly close: () => Promise<void>
}

/** An upstream answer, read in full. */
interface Answer {
  readonly status: number
  readonly headers: http.OutgoingHttpHeaders
  readonly body: Buffer
}

/** What one request gets: a fault (or none) and the two draws its parameters come from. */
interface Plan {
  readonly kind: FaultKind | undefined
  readonly a: number
  readonly b: number
}

/** Headers that describe one connection, not the message, so they are not passed on. */
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "upgrade",
  "te",
  "trailer",
  "content-length"
])

/** An upstream that has not answered after this long is treated as unreachable. */
const UPSTREAM_TIMEOUT_MS = 15_000

const LOOPBACK = "127.0.0.1"

const passOn = (headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders => {
  const out: http.OutgoingHttpHeaders = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value
  }
  return out
}

const isJson = (body: Buffer): boolean => {
  try {
    JSON.parse(body.toString("utf8"))
    return true
  } catch {
    return false
  }
}

/** Bytes that break JSON wherever they land (or, inside a string, are caught by the check below). */
const JUNK = Buffer.from([0x00, 0xff, 0x7b, 0x22, 0x5d, 0x3a, 0x2c, 0xfe])

/** The body with about one byte in sixteen replaced by junk; never valid JSON. */
const garble = (body: Buffer, draw: number): Buffer => {
  if (body.length === 0) return Buffer.from("\u0000garbled")
  const out = Buffer.from(body)
  const g = Prng.make(Math.floor(draw * 0x1_0000_0000))
  const count = Math.max(1, Math.floor(out.length / 16))
  for (let i = 0; i < count; i++) out[g.int(0, out.length - 1)] = JUNK[g.int(0, JUNK.length - 1)] ?? 0
  // A junk byte inside a JSON string leaves valid JSON with altered data, which no client could
  // detect; a leading junk byte makes the body undecodable, as this fault promises.
  return isJson(out) ? Buffer.concat([Buffer.from([0x00]), out]) : out
}

/** The first part of the body (at least one byte short); never valid JSON. */
const truncate = (body: Buffer, draw: number): Buffer => {
  if (body.length < 2) return Buffer.from("{")
  const cut = body.subarray(0, 1 + Math.floor(draw * (body.length - 1)))
  return isJson(cut) ? Buffer.concat([cut, Buffer.from("{")]) : cut
}

const HTML_PAGE = Buffer.from(
  "<!DOCTYPE html><html><head><title>OK</title></head><body><p>Your request has been processed.</p></body></html>"
)

const gatewayPage = (status: number): Answer => {
  const title = status === 502 ? "502 Bad Gateway" : status === 503 ? "503 Service Unavailable" : "504 Gateway Timeout"
  return {
    status,
    headers: { "content-type": "text/html" },
    body: Buffer.from(
      `<html><head><title>${title}</title></head><body><center><h1>${title}</h1></center></body></html>`
    )
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

const readBody = (req: http.IncomingMessage): Promise<Buffer | undefined> =>
  new Promise((resolve) => {
    const chunks: Array<Buffer> = []
    req.on("data", (chunk: Buffer) => chunks.push(chunk))
    req.on("end", () => resolve(Buffer.concat(chunks)))
    req.on("error", () => resolve(undefined))
    req.on("aborted", () => resolve(undefined))
  })

const loopbackPort = (upstream: string): number => {
  const url = new URL(upstream)
  if (url.protocol !== "http:" || url.hostname !== LOOPBACK || url.port === "") {
    throw new Error(`the fault proxy forwards only to http://${LOOPBACK}:PORT, not ${upstream}`)
  }
  return Number(url.port)
}

/** Starts a proxy; it runs until `close()`, `maxRequests` or `lifetimeMs`. */
export const listen = (options: Options): Promise<FaultProxy> => {
  const upstreamPort = loopbackPort(options.upstream)
  const rates = { ...defaultRates, ...options.rates }
  const minDelay = options.minDelayMs ?? 100
  const maxDelay = options.maxDelayMs ?? 3_000
  const prng = Prng.make(options.seed)
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 })
  const sockets = new Set<Socket>()
  const events: Array<FaultEvent> = []
  const idle: Array<() => void> = []
  let label = ""
  let received = 0
  let inFlight = 0
  let closed = false

  // Three draws per request whatever its fault, so one fault's parameters never shift the
  // schedule of the requests after it.
  const plan = (): Plan => {
    const r = prng.next()
    const a = prng.next()
    const b = prng.next()
    let cumulative = 0
    for (const kind of kinds) {
      cumulative += rates[kind]
      if (r < cumulative) return { kind, a, b }
    }
    return { kind: undefined, a, b }
  }

  const delayOf = (draw: number) => minDelay + Math.floor(draw * (maxDelay - minDelay))

  const forward = (req: http.IncomingMessage, body: Buffer): Promise<Answer | undefined> =>
    new Promise((resolve) => {
      const headers = passOn(req.headers)
      if (body.length > 0 || req.headers["content-length"] !== undefined) headers["content-length"] = body.length
      const upstream = http.request(
        { host: LOOPBACK, port: upstreamPort, method: req.method, path: req.url, headers, agent },
        (res) => {
          const chunks: Array<Buffer> = []
          res.on("data", (chunk: Buffer) => chunks.push(chunk))
          res.on("end", () =>
            resolve({ status: res.statusCode ?? 502, headers: passOn(res.headers), body: Buffer.concat(chunks) })
          )
          res.on("error", () => resolve(undefined))
        }
      )
      upstream.setTimeout(UPSTREAM_TIMEOUT_MS, () => upstream.destroy())
      upstream.on("error", () => resolve(undefined))
      upstream.end(body)
    })

  /** Answers the client if it is still listening (a client past its deadline has closed the socket). */
  const reply = (res: http.ServerResponse, answer: Answer) => {
    if (res.destroyed || res.headersSent || res.socket === null || res.socket.destroyed) return
    res.writeHead(answer.status, { ...answer.headers, "content-length": answer.body.length })
    res.end(answer.body)
  }

  const corrupt = (answer: Answer, body: Buffer, contentType: string): Answer => ({
    status: 200,
    headers: { ...answer.headers, "content-type": contentType },
    body
  })

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse, p: Plan): Promise<void> => {
    const body = await readBody(req)
    if (body === undefined) return
    const socket = req.socket
    switch (p.kind) {
      case "reset":
        socket.resetAndDestroy()
        return
      case "5xx":
        return reply(res, gatewayPage(p.a < 1 / 3 ? 502 : p.a < 2 / 3 ? 503 : 504))
      case "429":
        return reply(res, {
          status: 429,
          headers: { "content-type": "application/json", "retry-after": String(Math.floor(p.a * 2)) },
          body: Buffer.from(JSON.stringify({ message: "Too Many Requests" }))
        })
      case "delay-pre": {
        await sleep(delayOf(p.a))
        if (closed) return
        const answer = await forward(req, body)
        return answer === undefined ? void socket.destroy() : reply(res, answer)
      }
      default:
        break
    }
    const answer = await forward(req, body)
    if (answer === undefined) return void socket.destroy()
    switch (p.kind) {
      case "drop":
        return void socket.destroy()
      case "delay-post":
        await sleep(delayOf(p.a))
        return reply(res, answer)
      case "garbled":
        return reply(res, corrupt(answer, garble(answer.body, p.a), "application/json"))
      case "truncated": {
        const part = truncate(answer.body, p.a)
        if (p.b < 0.5) return reply(res, corrupt(answer, part, "application/json"))
        // The headers promise the whole body; the connection closes after part of it.
        if (res.destroyed || socket.destroyed) return
        res.writeHead(200, {
          ...answer.headers,
          "content-type": "application/json",
          "content-length": answer.body.length
        })
        res.write(part, () => socket.destroy())
        return
      }
      case "html":
        return reply(res, corrupt(answer, HTML_PAGE, "text/html; charset=utf-8"))
      case "duplicate": {
        const second = await forward(req, body)
        return reply(res, p.b < 0.5 || second === undefined ? answer : second)
      }
      default:
        return reply(res, answer)
    }
  }

  const detail = (req: http.IncomingMessage, p: Plan): string => {
    switch (p.kind) {
      case "delay-pre":
      case "delay-post":
        return `${delayOf(p.a)} ms`
      case "5xx":
        return String(p.a < 1 / 3 ? 502 : p.a < 2 / 3 ? 503 : 504)
      case "429":
        return `retry-after ${Math.floor(p.a * 2)}`
      case "truncated":
        return p.b < 0.5 ? "short body" : "cut mid-body"
      case "duplicate":
        return p.b < 0.5 ? "first answer" : "second answer"
      default:
        return req.method ?? ""
    }
  }

  const server = http.createServer({ keepAliveTimeout: 60_000 })
  server.on("connection", (socket: Socket) => {
    sockets.add(socket)
    socket.on("close", () => sockets.delete(socket))
    socket.on("error", () => undefined)
  })

  let lifetime: NodeJS.Timeout | undefined
  let closing: Promise<void> | undefined
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      closed = true
      if (lifetime !== undefined) clearTimeout(lifetime)
      server.close(() => resolve())
      for (const socket of sockets) socket.destroy()
      agent.destroy()
    })
    return closing
  }

  server.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
    req.on("error", () => undefined)
    res.on("error", () => undefined)
    received++
    if (closed || received > options.maxRequests) {
      req.socket.destroy()
      void close()
      return
    }
    const p = plan()
    if (p.kind !== undefined) {
      events.push({ label, kind: p.kind, method: req.method ?? "", path: req.url ?? "", detail: detail(req, p) })
    }
    inFlight++
    handle(req, res, p)
      .catch(() => req.socket.destroy())
      .finally(() => {
        inFlight--
        if (inFlight === 0) for (const wake of idle.splice(0)) wake()
      })
  })

  const drained = (timeoutMs: number): Promise<boolean> =>
    inFlight === 0
      ? Promise.resolve(true)
      : new Promise((resolve) => {
          const timer = setTimeout(() => resolve(false), timeoutMs)
          idle.push(() => {
            clearTimeout(timer)
            resolve(true)
          })
        })

  return new Promise((resolve, reject) => {
    server.once("error", reject)
    server.listen(0, LOOPBACK, () => {
      const address = server.address()
      if (address === null || typeof address === "string") return reject(new Error("no TCP address"))
      lifetime = setTimeout(() => void close(), options.lifetimeMs)
      lifetime.unref()
      resolve({
        origin: `http://${LOOPBACK}:${address.port}`,
        port: address.port,
        setLabel: (next) => {
          label = next
        },
        events: () => events,
        requests: () => received,
        drained,
        close
      })
    })
  })
}

/** A proxy for the life of the current scope. */
export const start = (options: Options): Effect.Effect<FaultProxy, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.promise(() => listen(options)),
    (proxy) => Effect.promise(() => proxy.close())
  )
