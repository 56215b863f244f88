/**
 * The `Webhooks` port: turn a provider's HTTP notification (headers and the raw body, exactly as
 * received) into a verified `WebhookEvent`, or fail closed with a `WebhookError`.
 *
 * Verification must run over the raw bytes: re-serialised JSON (`170.00` → `170`) no longer
 * matches the signature. Signatures are compared in constant time and timestamps are checked
 * against `Clock` with a tolerance (default 5 minutes).
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import { utf8 } from "./Crypto.js"
import { operation } from "./internal/port.js"
import {
  type ConfigurationError,
  type ProviderResponseInvalid,
  TimestampOutOfTolerance,
  type WebhookError
} from "./PaymentError.js"
import type { WebhookEvent } from "./WebhookEvent.js"

/**
 * An incoming notification as a web framework hands it over.
 *
 * @since 0.1.0
 * @category requests
 */
export interface RequestInput {
  readonly headers: Readonly<Record<string, string | ReadonlyArray<string> | undefined>>
  /** The body exactly as received. */
  readonly body: string | Uint8Array
}

/**
 * The normalised request drivers receive: lowercase header names with one value each, and the
 * body both as bytes and as text.
 *
 * @since 0.1.0
 * @category requests
 */
export interface Request {
  readonly headers: Readonly<Record<string, string>>
  readonly body: Uint8Array
  readonly text: string
}

/**
 * The default timestamp tolerance: 5 minutes.
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULT_TOLERANCE_SECONDS = 300

/**
 * @since 0.1.0
 * @category tags
 */
export class Webhooks extends Context.Tag("@payport/core/Webhooks")<Webhooks, Webhooks.Service>() {}

/**
 * What verification can fail with.
 *
 * @since 0.1.0
 * @category models
 */
export type VerifyError = WebhookError | ProviderResponseInvalid | ConfigurationError

/**
 * @since 0.1.0
 * @category models
 */
export declare namespace Webhooks {
  /** @since 0.1.0 */
  export interface Service {
    readonly provider: string
    readonly verify: (request: RequestInput) => Effect.Effect<WebhookEvent, VerifyError>
  }
  /** @since 0.1.0 */
  export interface Driver {
    readonly provider: string
    readonly verify: (request: Request) => Effect.Effect<WebhookEvent, VerifyError>
  }
}

const decoder = new TextDecoder("utf-8", { fatal: false })

/**
 * Lowercases header names and keeps the first value of each.
 *
 * @since 0.1.0
 * @category requests
 */
export const normalize = (input: RequestInput): Request => {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(input.headers)) {
    const first = typeof value === "string" ? value : value?.[0]
    if (first !== undefined) headers[name.toLowerCase()] = first
  }
  const body = typeof input.body === "string" ? utf8(input.body) : input.body
  return { headers, body, text: typeof input.body === "string" ? input.body : decoder.decode(input.body) }
}

/**
 * Fails with `TimestampOutOfTolerance` unless `timestampMillis` is within `toleranceSeconds` of
 * `Clock` (either side).
 *
 * @since 0.1.0
 * @category verification
 */
export const checkTimestamp = (
  provider: string,
  timestampMillis: number,
  toleranceSeconds: number = DEFAULT_TOLERANCE_SECONDS
): Effect.Effect<void, TimestampOutOfTolerance> =>
  Effect.flatMap(Clock.currentTimeMillis, (now) =>
    Number.isFinite(timestampMillis) && Math.abs(now - timestampMillis) <= toleranceSeconds * 1000
      ? Effect.void
      : Effect.fail(
          new TimestampOutOfTolerance({
            provider,
            operation: "Webhooks.verify",
            timestamp: String(timestampMillis),
            toleranceSeconds
          })
        )
  )

/**
 * Builds the service from a driver.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (driver: Webhooks.Driver): Webhooks.Service =>
  Webhooks.of({
    provider: driver.provider,
    verify: (input) =>
      Effect.suspend(() => driver.verify(normalize(input))).pipe(operation("Webhooks", "verify", driver.provider))
  })

/**
 * @since 0.1.0
 * @category accessors
 */
export const verify = Effect.serviceFunctionEffect(Webhooks, (s) => s.verify)
