/**
 * Hostile provider responses for fuzzing an adapter's decoders: arbitraries for a whole junk body
 * (empty, random JSON, deep nesting, HTML error pages, invalid UTF-8), for a corruption of a
 * genuine body (a field replaced by a wrong type or a number JSON cannot hold, a truncation, a
 * replacement) and for which request of an operation gets it at which HTTP status; `corrupt`
 * applies a corruption to a genuine body and says whether the result is garbage (not a JSON
 * object), so a test can demand that a mutation never reports success from garbage. `client`
 * serves one hostile answer over any `HttpClient` and `judge` says whether an outcome is right;
 * `HostileResponseSuite` runs them against every operation of an adapter.
 *
 * @since 0.1.0
 */
import { Payment } from "@payport/core/Payment"
import { PaymentError } from "@payport/core/PaymentError"
import { Refund } from "@payport/core/Refund"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as FastCheck from "effect/FastCheck"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"

/**
 * A JSON value, or raw JSON text spliced in verbatim (numbers `JSON.stringify` cannot write).
 *
 * @since 0.1.0
 * @category models
 */
export type Value = { readonly raw: string } | { readonly json: unknown }

/**
 * A value to put where a genuine field was: as raw text, numbers at or beyond the limits of a
 * double or a 64-bit integer, with more digits than a double keeps, and `-0`; as JSON, `null`,
 * booleans, empty, numeric-looking and markup strings, a NUL, empty containers, random numbers,
 * strings and JSON, and a 100 000-character string.
 *
 * @since 0.1.0
 * @category arbitraries
 */
export const hostileValue: FastCheck.Arbitrary<Value> = FastCheck.oneof(
  FastCheck.constantFrom(
    "1e308",
    "-1e308",
    "1e999",
    "9223372036854775808",
    "-9223372036854775809",
    "123456789012345678901234567890.123456789",
    "0.000000000000000000001",
    "-0",
    "-1",
    "0.1"
  ).map((raw) => ({ raw })),
  FastCheck.oneof(
    FastCheck.constantFrom(null, true, false, "", "NaN", "Infinity", "-1", "1e308", "<b>x</b>", "\u0000", [], {}),
    FastCheck.integer(),
    FastCheck.double(),
    FastCheck.string({ maxLength: 40 }),
    FastCheck.json().map((text) => JSON.parse(text) as unknown),
    FastCheck.constant("x".repeat(100_000))
  ).map((json) => ({ json }))
)

const deep = (depth: number, open: string, leaf: string, close: string) =>
  `${open.repeat(depth)}${leaf}${close.repeat(depth)}`

/**
 * A whole hostile body, bytes or text: empty, random JSON or text, arrays and objects nested up to
 * 20 000 deep, HTML error pages, JSON that is not an object (`null`, `[]`, a string, `1e999`), a
 * byte-order mark, and bytes that are never valid UTF-8.
 *
 * @since 0.1.0
 * @category arbitraries
 */
export const junkBody: FastCheck.Arbitrary<string | Uint8Array> = FastCheck.oneof(
  FastCheck.constant(""),
  FastCheck.json(),
  FastCheck.string({ maxLength: 200 }),
  FastCheck.integer({ min: 1, max: 20_000 }).map((d) => deep(d, "[", "1", "]")),
  FastCheck.integer({ min: 1, max: 20_000 }).map((d) => deep(d, '{"a":', "1", "}")),
  FastCheck.constantFrom(
    "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>",
    "<html><body>Service Temporarily Unavailable</body></html>",
    "null",
    "[]",
    '"ok"',
    "1e999",
    "\uFEFF{}"
  ),
  FastCheck.uint8Array({ minLength: 1, maxLength: 64 }).map(
    // a lone continuation byte, an overlong start and 0xff: never valid UTF-8
    (bytes) => new Uint8Array([0x7b, 0x22, 0x80, 0xc0, 0xff, ...bytes, 0xed, 0xa0, 0x80])
  )
)

/**
 * What is done to a genuine body: `mutate` replaces the value at path number `at` (modulo the
 * number of paths) with `value`; `truncate` keeps the first `fraction` of its text; `replace`
 * sends `body` instead.
 *
 * @since 0.1.0
 * @category models
 */
export type Corruption =
  | { readonly _tag: "mutate"; readonly at: number; readonly value: Value }
  | { readonly _tag: "truncate"; readonly fraction: number }
  | { readonly _tag: "replace"; readonly body: string | Uint8Array }

/**
 * Any `Corruption`.
 *
 * @since 0.1.0
 * @category arbitraries
 */
export const corruption: FastCheck.Arbitrary<Corruption> = FastCheck.oneof(
  FastCheck.record({ at: FastCheck.nat(), value: hostileValue }).map(({ at, value }) => ({
    _tag: "mutate" as const,
    at,
    value
  })),
  FastCheck.double({ min: 0, max: 0.999, noNaN: true }).map((fraction) => ({ _tag: "truncate" as const, fraction })),
  junkBody.map((body) => ({ _tag: "replace" as const, body }))
)

/**
 * One hostile answer within an operation: which of its requests gets it, at which status, and how
 * the genuine body is corrupted.
 *
 * @since 0.1.0
 * @category models
 */
export interface Hostile {
  /** Which request of the operation (0-based) is answered with hostility. */
  readonly target: number
  /** The status sent with it; `undefined` keeps the genuine one. */
  readonly status: number | undefined
  readonly corruption: Corruption
}

/**
 * Any `Hostile`: one of the first five requests, at the genuine status or one of the 2xx, 3xx, 4xx
 * and 5xx statuses providers send.
 *
 * @since 0.1.0
 * @category arbitraries
 */
export const hostile: FastCheck.Arbitrary<Hostile> = FastCheck.record({
  target: FastCheck.nat({ max: 4 }),
  status: FastCheck.option(
    FastCheck.constantFrom(200, 201, 202, 204, 301, 400, 401, 403, 404, 409, 422, 429, 500, 502, 503, 504),
    { nil: undefined }
  ),
  corruption
})

const PLACEHOLDER = "__payport_fuzz_raw__"

/** Every path to a value inside `json`. */
const paths = (json: unknown, prefix: ReadonlyArray<string | number> = []): Array<ReadonlyArray<string | number>> => {
  if (Array.isArray(json)) return json.flatMap((item, i) => [[...prefix, i], ...paths(item, [...prefix, i])])
  if (typeof json === "object" && json !== null) {
    return Object.entries(json).flatMap(([key, value]) => [[...prefix, key], ...paths(value, [...prefix, key])])
  }
  return []
}

const setAt = (json: unknown, path: ReadonlyArray<string | number>, value: unknown): unknown => {
  if (path.length === 0) return value
  const [head, ...rest] = path
  if (Array.isArray(json)) return json.map((item, i) => (i === head ? setAt(item, rest, value) : item))
  if (typeof json === "object" && json !== null && head !== undefined) {
    const record = json as Record<string, unknown>
    return { ...record, [head]: setAt(record[head], rest, value) }
  }
  return json
}

const write = (value: Value): { readonly json: unknown; readonly raw?: string } =>
  "raw" in value ? { json: PLACEHOLDER, raw: value.raw } : { json: value.json }

/**
 * The hostile body for a genuine one, and whether it is garbage (not a JSON object at all).
 *
 * @since 0.1.0
 * @category corruption
 */
export const corrupt = (
  genuine: unknown,
  c: Corruption
): { readonly body: string | Uint8Array; readonly garbage: boolean } => {
  const text = typeof genuine === "string" ? genuine : genuine === undefined ? "" : JSON.stringify(genuine)
  switch (c._tag) {
    case "truncate":
      return { body: text.slice(0, Math.floor(text.length * c.fraction)), garbage: true }
    case "replace":
      return { body: c.body, garbage: !isJsonObject(c.body) }
    case "mutate": {
      const all = paths(genuine)
      const path = all[c.at % Math.max(all.length, 1)] ?? []
      const { json, raw } = write(c.value)
      const mutated = JSON.stringify(setAt(genuine, path, json)) ?? ""
      const body = raw === undefined ? mutated : mutated.replace(JSON.stringify(PLACEHOLDER), raw)
      return { body, garbage: !isJsonObject(body) }
    }
  }
}

const isJsonObject = (body: string | Uint8Array): boolean => {
  if (typeof body !== "string") return false
  try {
    const value: unknown = JSON.parse(body)
    return typeof value === "object" && value !== null && !Array.isArray(value)
  } catch {
    return false
  }
}

/**
 * What a hostile client served: the request's method, the status it answered, whether the body
 * was garbage, and how many requests the adapter sent after it (a reconciling read, a retry).
 *
 * @since 0.1.0
 * @category client
 */
export interface Served {
  readonly method: string
  readonly status: number
  readonly garbage: boolean
  readonly after: number
}

/**
 * An `HttpClient` over `inner` (a stub, or real HTTP to an emulator) whose answer number
 * `hostile.target`, counted from `arm`, is replaced by the corrupted body at `hostile.status` (or
 * the genuine status); `served` says what the hostile answer was.
 *
 * @since 0.1.0
 * @category client
 */
export const client = (inner: Layer.Layer<HttpClient.HttpClient>) => {
  let armed: { readonly hostile: Hostile; count: number } | undefined
  let served: { method: string; status: number; garbage: boolean; after: number } | undefined
  const layer = Layer.effect(
    HttpClient.HttpClient,
    Effect.map(HttpClient.HttpClient, (genuine) =>
      HttpClient.transform(genuine, (response, request) =>
        Effect.flatMap(response, (res) => {
          if (served !== undefined) served.after++
          if (armed === undefined || armed.count++ !== armed.hostile.target) return Effect.succeed(res)
          const { corruption: c, status: hostileStatus } = armed.hostile
          return Effect.map(res.text, (text) => {
            let parsed: unknown = text
            try {
              parsed = text.length === 0 ? undefined : (JSON.parse(text) as unknown)
            } catch {
              parsed = text
            }
            const bad = corrupt(parsed, c)
            const status = hostileStatus ?? res.status
            served = { method: request.method, status, garbage: bad.garbage, after: 0 }
            const noBody = status === 204 || status === 304
            const headers: Record<string, string> = { "content-type": "application/json" }
            if (!noBody) {
              for (const [name, value] of Object.entries(res.headers)) {
                if (name !== "content-length" && name !== "content-encoding" && name !== "content-type")
                  headers[name] = value
              }
            }
            const payload: BodyInit | null = noBody
              ? null
              : typeof bad.body === "string"
                ? bad.body
                : new Blob([new Uint8Array(bad.body)])
            return HttpClientResponse.fromWeb(request, new Response(payload, { status, headers }))
          })
        })
      )
    )
  ).pipe(Layer.provide(inner))
  return {
    layer,
    arm: (hostile: Hostile): void => {
      armed = { hostile, count: 0 }
      served = undefined
    },
    served: (): Served | undefined => served
  }
}

const isPaymentError = Schema.is(PaymentError)
// A class schema's `is` only checks `instanceof`; encoding also checks every field.
const isPayment = (value: Payment) => Either.isRight(Schema.encodeEither(Payment)(value))
const isRefund = (value: Refund) => Either.isRight(Schema.encodeEither(Refund)(value))

/**
 * Why an operation's outcome under a hostile answer is wrong, or `undefined` when it is right: a
 * failure must be one of core's typed errors; a success must hold valid values, and a mutation
 * answered 2xx with garbage must not report success from that answer (a later read — a
 * reconcile — may establish it).
 *
 * @since 0.1.0
 * @category client
 */
export const judge = (
  exit: Exit.Exit<unknown, unknown>,
  served: Served | undefined,
  mutates: boolean
): string | undefined => {
  if (Exit.isFailure(exit)) {
    const failure = Cause.failureOption(exit.cause)
    if (failure._tag === "None") return `not a typed failure: ${Cause.pretty(exit.cause)}`
    if (!isPaymentError(failure.value)) return `not a core error: ${String(failure.value)}`
    return undefined
  }
  if (mutates && served?.garbage === true && served.status >= 200 && served.status < 300) {
    if (served.method !== "GET" && served.after === 0) {
      return `a ${served.method} answered ${served.status} with garbage reported success`
    }
  }
  const value = exit.value
  const values: ReadonlyArray<unknown> = Array.isArray(value) ? value : [value]
  for (const v of values) {
    if (v instanceof Payment && !isPayment(v)) return "an invalid Payment"
    if (v instanceof Refund && !isRefund(v)) return "an invalid Refund"
  }
  return undefined
}
