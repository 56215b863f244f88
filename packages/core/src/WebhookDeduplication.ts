/**
 * De-duplication of webhook deliveries by the provider's event id.
 *
 * Providers deliver at least once: the same event may arrive twice, or after a later one. A
 * `Deduplicator` remembers the ids it has seen (bounded in age, time from `Clock`) so a handler
 * processes each event once; the state machine's monotone merge makes out-of-order deliveries
 * harmless on top of that.
 *
 * `make` is the in-memory store of one process. Replicas behind a load balancer need one store
 * for all of them: `@payport/webhooks-sql` implements the same interface over `@effect/sql`
 * (PostgreSQL, SQLite), recording the id in the same transaction as the handler's own writes.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import * as SynchronizedRef from "effect/SynchronizedRef"
import type { ErrorGroup, Retry } from "./PaymentError.js"
import type { WebhookEvent } from "./WebhookEvent.js"

/**
 * The de-duplication store could not be read or written (a database that is down, a lock that
 * timed out). Nothing was recorded: answer the provider with a 5xx so it delivers again.
 *
 * @since 0.1.0
 * @category errors
 */
export class DeduplicationUnavailable extends Schema.TaggedError<DeduplicationUnavailable>(
  "@payport/core/DeduplicationUnavailable"
)("DeduplicationUnavailable", {
  provider: Schema.optionalWith(Schema.String, { default: () => "payport" }),
  operation: Schema.String,
  /** What failed, without connection strings or parameters. */
  reason: Schema.String
}) {
  /** @since 0.1.0 */
  get retry(): Retry {
    return "same-key"
  }
  /** @since 0.1.0 */
  get group(): ErrorGroup {
    return "transient"
  }
  /** @since 0.1.0 */
  override get message(): string {
    return `webhook de-duplication store unavailable (${this.operation}): ${this.reason}`
  }
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Deduplicator {
  /**
   * True the first time an id is seen (within the window), false for a repeat. Records the id
   * atomically: of concurrent calls with one id, exactly one gets true.
   */
  readonly firstSeen: (eventId: string) => Effect.Effect<boolean, DeduplicationUnavailable>
  /**
   * Runs `handle` only if `eventId` is new, and keeps the id recorded only if `handle` succeeds;
   * a failed `handle` leaves the id unseen so the provider's next delivery runs it again. A
   * transactional store runs the check, `handle` and the commit as one transaction, so the
   * handler's writes to the same database commit together with the id or not at all.
   */
  readonly run: <A, E, R>(
    eventId: string,
    handle: Effect.Effect<A, E, R>
  ) => Effect.Effect<A | undefined, E | DeduplicationUnavailable, R>
}

/**
 * The deduplicator a service uses; `layerMemory` for one process, `@payport/webhooks-sql` for a
 * fleet.
 *
 * @since 0.1.0
 * @category tags
 */
export class WebhookDeduplicator extends Context.Tag("@payport/core/WebhookDeduplicator")<
  WebhookDeduplicator,
  Deduplicator
>() {}

/**
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Most ids remembered; the oldest are forgotten first. Default 10 000. */
  readonly capacity?: number
  /** How long an id is remembered. Default 24 hours (longer than any provider's retry schedule). */
  readonly window?: Duration.DurationInput
}

/**
 * An in-memory deduplicator.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options?: Options): Effect.Effect<Deduplicator> =>
  Effect.map(SynchronizedRef.make(new Map<string, number>()), (seen) => {
    const capacity = options?.capacity ?? 10_000
    const window = Duration.toMillis(options?.window ?? "24 hours")
    const firstSeen = (eventId: string) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        SynchronizedRef.modify(seen, (ids) => {
          // Map iteration order is insertion order, which is time order: expired ids are at the front.
          for (const [id, at] of ids) {
            if (now - at < window) break
            ids.delete(id)
          }
          if (ids.has(eventId)) return [false, ids]
          for (const id of ids.keys()) {
            if (ids.size < capacity) break
            ids.delete(id)
          }
          ids.set(eventId, now)
          return [true, ids]
        })
      )
    const forget = (eventId: string) =>
      SynchronizedRef.update(seen, (ids) => {
        ids.delete(eventId)
        return ids
      })
    return {
      firstSeen,
      run: <A, E, R>(eventId: string, handle: Effect.Effect<A, E, R>) =>
        Effect.uninterruptibleMask((restore) =>
          Effect.flatMap(firstSeen(eventId), (first) =>
            first ? Effect.onError(restore(handle), () => forget(eventId)) : Effect.succeed(undefined)
          )
        )
    }
  })

/**
 * The in-memory deduplicator as the `WebhookDeduplicator` service.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory = (options?: Options): Layer.Layer<WebhookDeduplicator> =>
  Layer.effect(WebhookDeduplicator, make(options))

/**
 * The id a deduplicator keys an event by: provider and event id.
 *
 * @since 0.1.0
 * @category combinators
 */
export const key = (event: WebhookEvent): string => `${event.provider}:${event.eventId}`

/**
 * Runs `handle` for an event only the first time its id is seen; repeats return `undefined`.
 * If `handle` fails, the id is not kept, so a later delivery handles the event.
 *
 * @since 0.1.0
 * @category combinators
 */
export const once = <A, E, R>(
  deduplicator: Deduplicator,
  event: WebhookEvent,
  handle: (event: WebhookEvent) => Effect.Effect<A, E, R>
): Effect.Effect<A | undefined, E | DeduplicationUnavailable, R> =>
  deduplicator.run(
    key(event),
    Effect.suspend(() => handle(event))
  )
