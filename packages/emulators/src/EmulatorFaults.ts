/**
 * The fault model shared by Payport's provider emulators (`CashfreeEmulator`, `CyberSourceEmulator`).
 *
 * A fault is a rule that matches requests by method and path and, when it fires, changes what the
 * emulator does with the request:
 *
 * | kind             | what the client sees                                                            |
 * |------------------|---------------------------------------------------------------------------------|
 * | `latency`        | the normal answer, `latencyMs` later (latency rules add up and do not stop others) |
 * | `error`          | the provider's documented 5xx body with `status` (default 500); no state change  |
 * | `rateLimit`      | the provider's documented 429 with its rate-limit headers; no state change       |
 * | `reset`          | the connection is destroyed before the request is handled; no state change      |
 * | `commitThenDrop` | the request is handled (state changes, idempotency stored), then the connection is destroyed without an answer |
 *
 * Rules fire in order: every firing `latency` rule adds its delay, and the first firing rule of
 * another kind decides the outcome. `probability` (default 1) is drawn from the emulator's seeded
 * generator, so a run is reproducible from its `seed`; `times` bounds how often a rule fires.
 *
 * @example
 * ```ts
 * import * as CashfreeEmulator from "@payport/emulators/CashfreeEmulator"
 * import * as EmulatorFaults from "@payport/emulators/EmulatorFaults"
 * import * as Effect from "effect/Effect"
 * import { strictEqual } from "node:assert"
 *
 * const program = Effect.gen(function* () {
 *   // Rules can be given at start, seeded for a reproducible run…
 *   const emulator = yield* CashfreeEmulator.start({
 *     seed: 7,
 *     faults: [EmulatorFaults.error(503, { match: { path: /^\/pg\/orders\// }, probability: 0.1 })]
 *   })
 *   // …or added while it runs: the next order creation is handled, then its connection is
 *   // destroyed without an answer, so the client cannot know the order exists.
 *   emulator.faults.add(EmulatorFaults.commitThenDrop({ match: { method: "POST", path: "/pg/orders" }, times: 1 }))
 *   return emulator.faults.rules().map((rule) => rule.kind)
 * }).pipe(Effect.scoped)
 *
 * Effect.runPromise(program).then((kinds) => strictEqual(kinds.join(), "error,commitThenDrop"))
 * ```
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"

/**
 * What a fault does.
 *
 * @since 0.1.0
 * @category models
 */
export type Kind = "latency" | "error" | "rateLimit" | "reset" | "commitThenDrop"

/**
 * The kinds, in documentation order.
 *
 * @since 0.1.0
 * @category constants
 */
export const kinds: ReadonlyArray<Kind> = ["latency", "error", "rateLimit", "reset", "commitThenDrop"]

/**
 * Which requests a rule applies to. `method` is compared case-insensitively; a string `path` must
 * equal the request path as received (query excluded, base path included, e.g. `/pg/orders`); a
 * `RegExp` is tested against it. An absent field matches everything.
 *
 * @since 0.1.0
 * @category models
 */
export interface Match {
  readonly method?: string
  readonly path?: string | RegExp
}

/**
 * A fault rule.
 *
 * @since 0.1.0
 * @category models
 */
export interface Rule {
  readonly kind: Kind
  readonly match?: Match
  /** Chance (0–1) that a matching request triggers the rule; default 1. */
  readonly probability?: number
  /** How many times the rule may fire; default unlimited. */
  readonly times?: number
  /** For `latency`: the delay in milliseconds. */
  readonly latencyMs?: number
  /** For `error`: the HTTP status (500–599); default 500. */
  readonly status?: number
  /** For `rateLimit`: the seconds the client is told to wait; default 1. */
  readonly retryAfterSeconds?: number
}

/**
 * A fault that fired, for assertions (`controller.applied()`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Applied {
  readonly kind: Kind
  readonly method: string
  readonly path: string
}

/**
 * Changes an emulator's faults while it runs. Methods act at once (the emulator is in-process test
 * tooling); `rules()` shows the rules still able to fire, with `times` counting down.
 *
 * @since 0.1.0
 * @category models
 */
export interface Controller {
  readonly add: (rule: Rule) => void
  readonly clear: () => void
  readonly rules: () => ReadonlyArray<Rule>
  readonly applied: () => ReadonlyArray<Applied>
}

type Options = Omit<Rule, "kind">

/**
 * Delay matching requests by `latencyMs`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const latency = (latencyMs: number, options: Omit<Options, "latencyMs"> = {}): Rule => ({
  ...options,
  kind: "latency",
  latencyMs
})

/**
 * Answer matching requests with the provider's 5xx error body.
 *
 * @since 0.1.0
 * @category constructors
 */
export const error = (status = 500, options: Omit<Options, "status"> = {}): Rule => ({
  ...options,
  kind: "error",
  status
})

/**
 * Answer matching requests with the provider's 429.
 *
 * @since 0.1.0
 * @category constructors
 */
export const rateLimit = (retryAfterSeconds = 1, options: Omit<Options, "retryAfterSeconds"> = {}): Rule => ({
  ...options,
  kind: "rateLimit",
  retryAfterSeconds
})

/**
 * Destroy the connection of matching requests before handling them.
 *
 * @since 0.1.0
 * @category constructors
 */
export const reset = (options: Options = {}): Rule => ({ ...options, kind: "reset" })

/**
 * Handle matching requests, then destroy the connection without answering.
 *
 * @since 0.1.0
 * @category constructors
 */
export const commitThenDrop = (options: Options = {}): Rule => ({ ...options, kind: "commitThenDrop" })

/**
 * Why a rule is unusable, or `undefined` when it is fine.
 *
 * @since 0.1.0
 * @category validation
 */
export const validate = (rule: Rule): string | undefined => {
  if (!kinds.includes(rule.kind)) return `unknown fault kind ${JSON.stringify(rule.kind)}`
  if (rule.probability !== undefined && !(rule.probability >= 0 && rule.probability <= 1))
    return "probability must be between 0 and 1"
  if (rule.times !== undefined && !(Number.isInteger(rule.times) && rule.times >= 0))
    return "times must be a non-negative integer"
  if (rule.kind === "latency" && !(typeof rule.latencyMs === "number" && rule.latencyMs >= 0))
    return "latency needs latencyMs >= 0"
  if (rule.status !== undefined && !(Number.isInteger(rule.status) && rule.status >= 500 && rule.status <= 599))
    return "status must be a 5xx code"
  if (
    rule.retryAfterSeconds !== undefined &&
    !(Number.isInteger(rule.retryAfterSeconds) && rule.retryAfterSeconds >= 0 && rule.retryAfterSeconds <= 59)
  )
    return "retryAfterSeconds must be an integer from 0 to 59"
  return undefined
}

const numberField = (value: string): number | undefined => {
  const n = Number(value)
  return value.trim() !== "" && Number.isFinite(n) ? n : undefined
}

/**
 * Parses a rule from its command-line form: `kind[:key=value,...]` with keys `method`, `path`
 * (a leading `~` makes it a regular expression), `probability`, `times`, `latencyMs` (or `ms`),
 * `status` and `retryAfterSeconds` (or `retry`). Examples: `error:status=503,times=2`,
 * `commitThenDrop:method=POST,path=/pg/orders`, `latency:ms=200,path=~^/pg/orders/`.
 *
 * @since 0.1.0
 * @category parsing
 */
export const parse = (spec: string): Either.Either<Rule, string> => {
  const colon = spec.indexOf(":")
  const kind = (colon < 0 ? spec : spec.slice(0, colon)).trim()
  if (!(kinds as ReadonlyArray<string>).includes(kind)) return Either.left(`unknown fault kind ${JSON.stringify(kind)}`)
  const rule: {
    kind: Kind
    match?: Match
    probability?: number
    times?: number
    latencyMs?: number
    status?: number
    retryAfterSeconds?: number
  } = { kind: kind as Kind }
  const match: { method?: string; path?: string | RegExp } = {}
  const body = colon < 0 ? "" : spec.slice(colon + 1)
  for (const part of body.split(",")) {
    if (part.trim() === "") continue
    const eq = part.indexOf("=")
    if (eq < 0) return Either.left(`expected key=value, got ${JSON.stringify(part)}`)
    const key = part.slice(0, eq).trim()
    const value = part.slice(eq + 1).trim()
    if (key === "method") match.method = value
    else if (key === "path") {
      if (value.startsWith("~")) {
        try {
          match.path = new RegExp(value.slice(1))
        } catch {
          return Either.left(`invalid path pattern ${JSON.stringify(value)}`)
        }
      } else match.path = value
    } else {
      const n = numberField(value)
      if (n === undefined) return Either.left(`${key} must be a number`)
      if (key === "probability") rule.probability = n
      else if (key === "times") rule.times = n
      else if (key === "latencyMs" || key === "ms") rule.latencyMs = n
      else if (key === "status") rule.status = n
      else if (key === "retryAfterSeconds" || key === "retry") rule.retryAfterSeconds = n
      else return Either.left(`unknown fault option ${JSON.stringify(key)}`)
    }
  }
  if (match.method !== undefined || match.path !== undefined) rule.match = match
  const problem = validate(rule)
  return problem === undefined ? Either.right(rule) : Either.left(problem)
}
