/**
 * What a Cashfree emulator route is: method, path pattern (relative to `/pg`), whether it needs the
 * client credentials, its documented per-minute rate limit, and a synchronous handler that reads
 * the request context and returns a JSON result or throws an `ApiFailure`.
 *
 * Handlers are synchronous on purpose: each request's state change happens in one turn of the
 * event loop, so concurrent requests never interleave half-done changes.
 */
import type * as Http from "../emulator/Http.js"
import type * as Json from "../emulator/Json.js"
import type { Lifecycle } from "./Lifecycle.js"
import type { State } from "./State.js"
import type { Version } from "./Versions.js"

/** Emulator-wide settings the handlers read. */
export interface Settings {
  /** `http://127.0.0.1:PORT` */
  readonly origin: string
  /** `http://127.0.0.1:PORT/pg` */
  readonly apiBase: string
  readonly refundProcessingMs: number
  readonly upiCollectAutoCompleteMs: number | undefined
}

/** The emulator as the handlers see it. */
export interface World {
  readonly state: State
  readonly lifecycle: Lifecycle
  readonly settings: Settings
  /** Makes sure `advance` runs at (or soon after) `at`, even without requests. */
  readonly schedule: (at: number) => void
}

/** One request, parsed. */
export interface Context {
  readonly request: Http.Request
  readonly version: Version
  /** The parsed JSON body (`undefined` for requests without one). */
  readonly body: unknown
  /** The path pattern's captures, percent-decoded. */
  readonly params: ReadonlyArray<string>
  readonly now: number
  readonly world: World
}

/** A successful JSON answer. */
export interface Result {
  readonly status: number
  readonly body: Json.Value
}

/** The rate-limit bucket a route counts against. */
export interface RateLimit {
  readonly name: string
  readonly limit: number
  /** `ip` for the unauthenticated calls (Order Pay, OTP), `app_id` otherwise. */
  readonly type: "app_id" | "ip"
}

/** A route. */
export interface Route {
  readonly method: "GET" | "POST" | "PATCH" | "DELETE"
  readonly pattern: RegExp
  readonly auth: boolean
  readonly rateLimit: RateLimit
  readonly handle: (context: Context) => Result
}

/** 200 with `body`. */
export const ok = (body: Json.Value): Result => ({ status: 200, body })

/** The capture at `index` (routes define their captures, so absence is a programming error). */
export const param = (context: Context, index: number): string => {
  const value = context.params[index]
  if (value === undefined) throw new Error(`route has no capture ${index}`)
  return value
}

// Documented defaults per minute (providers/cashfree.md §1); other routes assume 200.
/** Rate-limit buckets. */
export const limits = {
  createOrder: { name: "create_order", limit: 200, type: "app_id" },
  getOrder: { name: "get_order", limit: 400, type: "app_id" },
  payOrder: { name: "pay_order", limit: 100, type: "ip" },
  authenticate: { name: "authenticate", limit: 100, type: "ip" },
  getPayments: { name: "get_payments", limit: 100, type: "app_id" },
  getPayment: { name: "get_payment", limit: 130, type: "app_id" },
  createRefund: { name: "create_refund", limit: 100, type: "app_id" },
  getRefund: { name: "get_refund", limit: 30, type: "app_id" },
  other: { name: "other", limit: 200, type: "app_id" }
} as const satisfies Record<string, RateLimit>
