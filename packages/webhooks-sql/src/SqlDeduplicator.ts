/**
 * Core's `Deduplicator` over `@effect/sql`: one table of event ids shared by every replica.
 *
 * - **Atomic.** `firstSeen` is a single statement, `INSERT … ON CONFLICT (event_id) DO UPDATE …
 *   WHERE <expired> RETURNING event_id`: the row comes back only to the caller that inserted the
 *   id (or took over an expired one), so of concurrent deliveries of one event exactly one gets
 *   `true`. There is no read-then-write window.
 * - **Transactional.** `run` (and core's `WebhookDeduplication.once`) records the id, runs the
 *   handler and commits in one transaction on the same `SqlClient`: the handler's own writes to
 *   that database commit together with the id or not at all. A process killed mid-handler leaves
 *   nothing behind (the database rolls the transaction back), so the provider's next delivery is
 *   handled; a concurrent delivery of the same event waits on the row lock and then sees the
 *   committed id. Effects outside the database (an email, an HTTP call) are at least once across a
 *   crash: make them idempotent, or write an outbox row in the handler.
 * - **Retention.** An id is remembered for `window` (default 24 hours, longer than Cashfree's or
 *   CyberSource's retry schedules); an older row counts as unseen and is taken over atomically.
 *   `cleanup` deletes expired rows; the layer runs it every `cleanupInterval` (default 1 hour).
 * - **Migration.** The table is created by a migration this module ships, run by the
 *   `@effect/sql` migrator with its own bookkeeping table (`<table>_migrations`), so it never
 *   collides with the application's own migrations.
 *
 * Dialects: PostgreSQL (`@effect/sql-pg`) and SQLite ≥ 3.35 (`@effect/sql-sqlite-node`, …);
 * any other dialect fails the layer with `DeduplicationUnavailable`. Time comes from `Clock`.
 *
 * @since 0.1.0
 */
import { DeduplicationUnavailable, type Deduplicator, WebhookDeduplicator } from "@payport/core/WebhookDeduplication"
import * as Migrator from "@effect/sql/Migrator"
import * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schedule from "effect/Schedule"
import type * as Scope from "effect/Scope"

/**
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** The table of event ids. Default `payport_webhook_events`. */
  readonly table?: string
  /** How long an id is remembered. Default 24 hours. */
  readonly window?: Duration.DurationInput
  /** How often the layer deletes expired ids. Default 1 hour. */
  readonly cleanupInterval?: Duration.DurationInput
}

/**
 * The default table name.
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULT_TABLE = "payport_webhook_events"

/**
 * The migrator's bookkeeping table for the migrations of `table`: `<table>_migrations`.
 *
 * @since 0.1.0
 * @category migrations
 */
export const migrationsTable = (table: string = DEFAULT_TABLE): string => `${table}_migrations`

const unavailable = (operation: string, reason: string) => new DeduplicationUnavailable({ operation, reason })

/** The driver's message (e.g. `relation "…" does not exist`), which carries no parameters. */
const fromSqlError =
  (operation: string) =>
  (error: SqlError): DeduplicationUnavailable =>
    unavailable(
      operation,
      error.cause instanceof Error ? `${error.message}: ${error.cause.message.slice(0, 200)}` : error.message
    )

/**
 * The migrations that create `table` and its index on `seen_at`, for `@effect/sql`'s migrator.
 *
 * @since 0.1.0
 * @category migrations
 */
export const migrations = (table: string = DEFAULT_TABLE): Migrator.Loader =>
  Migrator.fromRecord({
    "1_create_webhook_events": Effect.flatMap(SqlClient.SqlClient, (sql) =>
      Effect.zipRight(
        sql`CREATE TABLE IF NOT EXISTS ${sql(table)} (event_id TEXT PRIMARY KEY, seen_at BIGINT NOT NULL)`,
        sql`CREATE INDEX IF NOT EXISTS ${sql(`${table}_seen_at`)} ON ${sql(table)} (seen_at)`
      )
    )
  })

/**
 * Runs the migrations (idempotent; several replicas may start at once: a lost race is retried).
 *
 * @since 0.1.0
 * @category migrations
 */
export const migrate = (options?: Options): Effect.Effect<void, DeduplicationUnavailable, SqlClient.SqlClient> =>
  Migrator.make({})({ loader: migrations(options?.table), table: migrationsTable(options?.table) }).pipe(
    Effect.sandbox,
    Effect.mapError((cause) => {
      const failure = Cause.failureOption(cause)
      return unavailable(
        "migrate",
        failure._tag === "Some" ? failure.value.message : "the migration of the webhook events table failed"
      )
    }),
    Effect.retry({ times: 5, schedule: Schedule.exponential("20 millis") }),
    Effect.asVoid
  )

/** A handler's own failure, kept apart from the transaction's `SqlError`s. */
class HandlerFailure<E> {
  constructor(readonly error: E) {}
}

/**
 * A deduplicator on the ambient `SqlClient`; the table must exist (`migrate`).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options?: Options): Effect.Effect<Deduplicator, DeduplicationUnavailable, SqlClient.SqlClient> =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* sql.onDialectOrElse({
      pg: () => Effect.void,
      sqlite: () => Effect.void,
      orElse: () => Effect.fail(unavailable("make", "only PostgreSQL and SQLite are supported"))
    })
    const table = options?.table ?? DEFAULT_TABLE
    const window = Duration.toMillis(options?.window ?? "24 hours")

    const firstSeen = (eventId: string): Effect.Effect<boolean, DeduplicationUnavailable> =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        sql<{ readonly event_id: string }>`INSERT INTO ${sql(table)} (event_id, seen_at) VALUES (${eventId}, ${now})
ON CONFLICT (event_id) DO UPDATE SET seen_at = excluded.seen_at WHERE ${sql(table)}.seen_at <= ${now - window}
RETURNING event_id`.pipe(
          Effect.map((rows) => rows.length === 1),
          Effect.mapError(fromSqlError("firstSeen"))
        )
      )

    const run = <A, E, R>(
      eventId: string,
      handle: Effect.Effect<A, E, R>
    ): Effect.Effect<A | undefined, E | DeduplicationUnavailable, R> =>
      sql
        .withTransaction(
          Effect.flatMap(firstSeen(eventId), (first) =>
            first
              ? Effect.mapError(handle, (error) => new HandlerFailure(error))
              : Effect.succeed<A | undefined>(undefined)
          )
        )
        .pipe(
          Effect.mapError((error): E | DeduplicationUnavailable =>
            error instanceof HandlerFailure
              ? (error.error as E)
              : error instanceof DeduplicationUnavailable
                ? error
                : fromSqlError("run")(error)
          )
        )

    return { firstSeen, run }
  })

/**
 * Deletes the ids older than the window; returns how many.
 *
 * @since 0.1.0
 * @category maintenance
 */
export const cleanup = (options?: Options): Effect.Effect<number, DeduplicationUnavailable, SqlClient.SqlClient> =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const now = yield* Clock.currentTimeMillis
    const cutoff = now - Duration.toMillis(options?.window ?? "24 hours")
    const deleted = yield* sql<{
      readonly event_id: string
    }>`DELETE FROM ${sql(options?.table ?? DEFAULT_TABLE)} WHERE seen_at <= ${cutoff} RETURNING event_id`.pipe(
      Effect.mapError(fromSqlError("cleanup"))
    )
    return deleted.length
  })

/**
 * Migrates, then builds the deduplicator and keeps deleting expired ids in the background for
 * the life of the scope.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeScoped = (
  options?: Options
): Effect.Effect<Deduplicator, DeduplicationUnavailable, SqlClient.SqlClient | Scope.Scope> =>
  Effect.gen(function* () {
    yield* migrate(options)
    const deduplicator = yield* make(options)
    yield* cleanup(options).pipe(
      Effect.catchAll((error) => Effect.logWarning(error.message)),
      Effect.repeat(Schedule.spaced(options?.cleanupInterval ?? "1 hour")),
      Effect.forkScoped
    )
    return deduplicator
  })

/**
 * Core's `WebhookDeduplicator` on the `SqlClient` it is given: `PgClient.layer`, `SqliteClient.layer`, ….
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options?: Options
): Layer.Layer<WebhookDeduplicator, DeduplicationUnavailable, SqlClient.SqlClient> =>
  Layer.scoped(WebhookDeduplicator, makeScoped(options))
