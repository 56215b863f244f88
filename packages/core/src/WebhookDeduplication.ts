/**
 * De-duplication of webhook deliveries by the provider's event id.
 *
 * Providers deliver at least once: the same event may arrive twice, or after a later one. A
 * `Deduplicator` remembers the ids it has seen (bounded in count and age, time from `Clock`) so a
 * handler processes each event once; the state machine's monotone merge makes out-of-order
 * deliveries harmless on top of that. For several processes, implement the same interface over a
 * shared store.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as SynchronizedRef from "effect/SynchronizedRef"
import type { WebhookEvent } from "./WebhookEvent.js"

/**
 * @since 0.1.0
 * @category models
 */
export interface Deduplicator {
  /** True the first time an id is seen (within the window), false for a repeat. Records the id. */
  readonly firstSeen: (eventId: string) => Effect.Effect<boolean>
}

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
    return {
      firstSeen: (eventId) =>
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
    }
  })

/**
 * Runs `handle` for an event only the first time its id is seen; repeats return `undefined`.
 *
 * @since 0.1.0
 * @category combinators
 */
export const once = <A, E, R>(
  deduplicator: Deduplicator,
  event: WebhookEvent,
  handle: (event: WebhookEvent) => Effect.Effect<A, E, R>
): Effect.Effect<A | undefined, E, R> =>
  Effect.flatMap(deduplicator.firstSeen(`${event.provider}:${event.eventId}`), (first) =>
    first ? handle(event) : Effect.succeed(undefined)
  )
