/**
 * The Cashfree emulator's request pipeline, in the order a request meets it:
 *
 * 1. apply what is due (`Lifecycle.advance`); serve the payer pages under `/pg/view/gateway/`;
 * 2. find the route under `/pg` (none: 400 "bad URL");
 * 3. count the request for rate limits (headers on every answer; 429 only when enforced);
 * 4. check `x-client-id`/`x-client-secret` on routes that need them (401 `authentication_error`);
 * 5. check `x-api-version` (400 `version_missing` unless one of `Versions.supported`);
 * 6. parse the JSON body (400 `request_invalid` when it is not JSON);
 * 7. on authenticated POSTs with `x-idempotency-key`: replay the stored answer, or 422 when the
 *    request differs; otherwise run the handler and store its answer (success or error);
 * 8. answer with `x-api-version`, `x-request-id` (echoed), `x-idempotency-key`,
 *    `x-idempotency-replayed` and the `x-ratelimit-*` headers.
 */
import * as Http from "../emulator/Http.js"
import * as Json from "../emulator/Json.js"
import type * as Server from "../emulator/Server.js"
import * as Errors from "./Errors.js"
import * as GatewayPage from "./GatewayPage.js"
import * as Guards from "./Guards.js"
import * as Lifecycle from "./Lifecycle.js"
import * as OrderPay from "./OrderPay.js"
import * as Orders from "./Orders.js"
import * as Payments from "./Payments.js"
import * as Refunds from "./Refunds.js"
import { type Context, limits, type Result, type Route, type Settings, type World } from "./Route.js"
import * as State from "./State.js"
import * as Vault from "./Vault.js"
import * as Versions from "./Versions.js"
import type * as WebhookEvents from "./WebhookEvents.js"

/** Every route the emulator serves (relative to `/pg`). */
export const routes: ReadonlyArray<Route> = [
  ...Orders.routes,
  ...OrderPay.routes,
  ...Payments.routes,
  ...Refunds.routes,
  ...Vault.routes
]

/** What the pipeline needs. */
export interface Options {
  readonly clientId: string
  readonly clientSecret: string
  readonly seed: number
  readonly now: () => number
  readonly refundProcessingMs: number
  readonly upiCollectAutoCompleteMs: number | undefined
  readonly enforceRateLimits: boolean
  readonly events: WebhookEvents.Emitter
}

/** The running emulator's core: state, handler and fault replies. */
export interface App {
  readonly world: World
  readonly handler: Http.Handler
  readonly faultReplies: Server.FaultReplies
  /** Sets the origin once the server listens (URLs in responses use it). */
  readonly setOrigin: (origin: string) => void
  /** Stops scheduled timers. */
  readonly close: () => void
}

const decodeParams = (match: RegExpExecArray): ReadonlyArray<string> =>
  match.slice(1).map((p) => {
    try {
      return decodeURIComponent(p)
    } catch {
      return p
    }
  })

/** Builds the pipeline. */
export const make = (options: Options): App => {
  let origin = "http://127.0.0.1"
  const settings: Settings = {
    get origin() {
      return origin
    },
    get apiBase() {
      return `${origin}/pg`
    },
    refundProcessingMs: options.refundProcessingMs,
    upiCollectAutoCompleteMs: options.upiCollectAutoCompleteMs
  }
  const state = State.make(options.seed)
  const lifecycle = Lifecycle.make({ state, events: options.events })
  const timers = new Set<ReturnType<typeof setTimeout>>()
  let closed = false
  const schedule = (at: number): void => {
    lifecycle.due(at)
    const delay = Math.max(0, at - options.now())
    // Far-off changes (order expiry) are applied by the next request instead of a timer.
    if (closed || delay > 60 * 60 * 1000) return
    const timer = setTimeout(() => {
      timers.delete(timer)
      if (!closed) lifecycle.advance(options.now())
    }, delay + 1)
    timer.unref()
    timers.add(timer)
  }
  const world: World = { state, lifecycle, settings, schedule }
  const idempotency = Guards.idempotencyStore()
  const rates = Guards.rateLimiter()

  const baseHeaders = (request: Http.Request): Record<string, string> => {
    const headers: Record<string, string> = {
      "x-api-version": request.headers["x-api-version"] ?? Versions.latest
    }
    const requestId = request.headers["x-request-id"]
    if (requestId !== undefined) headers["x-request-id"] = requestId
    const key = request.headers["x-idempotency-key"]
    if (key !== undefined) headers["x-idempotency-key"] = key
    return headers
  }

  const rateHeaders = (decision: Guards.RateDecision, type: string): Record<string, string> => ({
    "x-ratelimit-limit": String(decision.limit),
    "x-ratelimit-remaining": String(decision.remaining),
    "x-ratelimit-retry": String(decision.retry),
    "x-ratelimit-type": type
  })

  const failure = (error: Errors.ApiFailure, headers: Record<string, string>): Http.Reply =>
    Http.json(error.status, error.body, headers)

  const api = (request: Http.Request, now: number): Http.Reply => {
    const headers = baseHeaders(request)
    const sub = request.path.slice("/pg".length)
    let route: Route | undefined
    let match: RegExpExecArray | null = null
    for (const candidate of routes) {
      if (candidate.method !== request.method) continue
      match = candidate.pattern.exec(sub)
      if (match !== null) {
        route = candidate
        break
      }
    }
    const bucket = route?.rateLimit ?? limits.other
    const authenticated = route?.auth ?? true
    const caller = authenticated ? (request.headers["x-client-id"] ?? request.remoteAddress) : request.remoteAddress
    const decision = rates.hit(bucket.name, caller, bucket.limit, now, options.enforceRateLimits)
    Object.assign(headers, rateHeaders(decision, bucket.type))
    if (route === undefined || match === null) return failure(Errors.badUrl(), headers)
    if (
      route.auth &&
      (request.headers["x-client-id"] !== options.clientId ||
        request.headers["x-client-secret"] !== options.clientSecret)
    )
      return failure(Errors.authentication(), headers)
    const version = request.headers["x-api-version"]
    if (!Versions.isSupported(version)) return failure(Errors.versionMissing(Versions.supported), headers)
    if (decision.exceeded) return failure(Errors.rateLimited(), headers)
    let body: unknown
    if (request.method === "POST" || request.method === "PATCH") {
      const parsed = request.text.trim() === "" ? { ok: true as const, value: undefined } : Json.parse(request.text)
      if (!parsed.ok) return failure(Errors.requestInvalid("request body is not valid JSON"), headers)
      body = parsed.value
    }
    const key = request.headers["x-idempotency-key"]
    const idempotent = route.auth && request.method === "POST" && key !== undefined && key !== ""
    const print = idempotent ? Guards.fingerprint(request.method, request.path, request.text) : ""
    if (idempotent) {
      const stored = idempotency.get(key)
      if (stored !== undefined) {
        if (stored.fingerprint !== print) return failure(Errors.idempotency(), headers)
        return {
          status: stored.status,
          headers: { "content-type": "application/json", ...headers, "x-idempotency-replayed": "true" },
          body: stored.body
        }
      }
    }
    const context: Context = { request, version, body, params: decodeParams(match), now, world }
    let result: Result
    try {
      result = route.handle(context)
    } catch (error) {
      if (!(error instanceof Errors.ApiFailure)) throw error
      result = { status: error.status, body: error.body }
    }
    const text = Json.stringify(result.body)
    if (idempotent) {
      idempotency.put(key, { fingerprint: print, status: result.status, body: text })
      headers["x-idempotency-replayed"] = "false"
    }
    return { status: result.status, headers: { "content-type": "application/json", ...headers }, body: text }
  }

  const handler: Http.Handler = (request) => {
    const now = options.now()
    lifecycle.advance(now)
    if (GatewayPage.handles(request.path)) return GatewayPage.handle(world, request, now)
    if (request.path !== "/pg" && !request.path.startsWith("/pg/")) {
      return failure(Errors.badUrl(), baseHeaders(request))
    }
    return api(request, now)
  }

  const faultHeaders = (request: Http.Request, retry: number): Record<string, string> => ({
    ...baseHeaders(request),
    "x-ratelimit-limit": String(limits.other.limit),
    "x-ratelimit-remaining": retry > 0 ? "0" : String(limits.other.limit - 1),
    "x-ratelimit-retry": String(retry),
    "x-ratelimit-type": request.headers["x-client-id"] === undefined ? "ip" : "app_id"
  })

  return {
    world,
    handler,
    faultReplies: {
      error: (status, request) => failure(Errors.server(status), faultHeaders(request, 0)),
      rateLimit: (retry, request) => failure(Errors.rateLimited(), faultHeaders(request, retry))
    },
    setOrigin: (value) => {
      origin = value
    },
    close: () => {
      closed = true
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
    }
  }
}
