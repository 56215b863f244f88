/**
 * The two cross-cutting rules of Cashfree's API that sit in front of every handler:
 *
 * - Idempotency (SPEC22 text): "saving the resulting status code and body of the first request made
 *   for any given idempotency key, regardless of whether it succeeded or failed. Subsequent requests
 *   with the same key return the same result, including 500 errors. Currently supported on all POST
 *   calls that uses x-client-id & x-client-secret." Same key with a different request (method,
 *   path or body, compared as canonical JSON) is 422 `idempotency_error`. Replays carry
 *   `x-idempotency-replayed: true`. Records never expire (the TTL is undocumented).
 * - Rate limits: a 60-second sliding window per route bucket and caller (client id, or IP for the
 *   unauthenticated calls), reported on every response in `x-ratelimit-limit`, `-remaining`,
 *   `-retry` and `-type`; enforced with 429 only when the emulator is told to (real limits such as
 *   30 refund reads a minute would otherwise fail ordinary test suites).
 */
import * as Json from "../emulator/Json.js"

/** A stored first response. */
export interface StoredResponse {
  readonly fingerprint: string
  readonly status: number
  /** The body text exactly as first sent, so a replay is byte-identical. */
  readonly body: string
}

/** The idempotency records. */
export interface IdempotencyStore {
  readonly get: (key: string) => StoredResponse | undefined
  readonly put: (key: string, response: StoredResponse) => void
  readonly size: () => number
}

/** An empty store. */
export const idempotencyStore = (): IdempotencyStore => {
  const records = new Map<string, StoredResponse>()
  return {
    get: (key) => records.get(key),
    put: (key, response) => {
      if (!records.has(key)) records.set(key, response)
    },
    size: () => records.size
  }
}

/** What makes two requests "the same" for idempotency. */
export const fingerprint = (method: string, path: string, bodyText: string): string => {
  const parsed = Json.parse(bodyText)
  return `${method} ${path} ${parsed.ok ? Json.canonical(parsed.value) : bodyText}`
}

/** One request counted against its bucket. */
export interface RateDecision {
  readonly limit: number
  readonly remaining: number
  /** Seconds to wait: 0 within the limit, 1–59 when breached. */
  readonly retry: number
  readonly exceeded: boolean
}

/** Sliding-window counters. */
export interface RateLimiter {
  readonly hit: (bucket: string, caller: string, limit: number, now: number, enforce: boolean) => RateDecision
}

const WINDOW_MS = 60_000

/** Empty counters. */
export const rateLimiter = (): RateLimiter => {
  const windows = new Map<string, Array<number>>()
  return {
    hit: (bucket, caller, limit, now, enforce) => {
      const key = `${bucket}\u0000${caller}`
      const times = (windows.get(key) ?? []).filter((t) => t > now - WINDOW_MS)
      windows.set(key, times)
      const oldest = times[0]
      if (enforce && times.length >= limit && oldest !== undefined) {
        const retry = Math.min(59, Math.max(1, Math.ceil((oldest + WINDOW_MS - now) / 1000)))
        return { limit, remaining: 0, retry, exceeded: true }
      }
      times.push(now)
      return { limit, remaining: Math.max(0, limit - times.length), retry: 0, exceeded: false }
    }
  }
}
