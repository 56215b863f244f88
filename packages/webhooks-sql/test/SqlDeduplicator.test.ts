/**
 * `SqlDeduplicator` on a real PostgreSQL server (started by the test setup) and on a SQLite file:
 * the atomic insert-if-absent under concurrency, `run`'s transaction (the handler's writes commit
 * with the id, or neither does), retention and cleanup, and migrations run by several clients at
 * once.
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as SqlClient from "@effect/sql/SqlClient"
import { afterAll, assert, describe, inject, it } from "@effect/vitest"
import * as WebhookDeduplication from "@payport/core/WebhookDeduplication"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { SqlDeduplicator } from "../src/index.js"
import { sqlLayer } from "./support/Store.js"

const dir = mkdtempSync(join(tmpdir(), "payport-sqlite-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const stores = [
  ["PostgreSQL", () => inject("postgresUrl")],
  ["SQLite", () => `sqlite:${join(dir, "unit.db")}`]
] as const

let tables = 0
/** A fresh table per test, so tests share the database without sharing ids. */
const fresh = () => ({ table: `events_${process.pid}_${++tables}` })

const withStore = <A, E>(
  store: string,
  options: SqlDeduplicator.Options,
  body: (dedup: WebhookDeduplication.Deduplicator) => Effect.Effect<A, E, SqlClient.SqlClient>
) =>
  Effect.gen(function* () {
    const dedup = yield* WebhookDeduplication.WebhookDeduplicator
    return yield* body(dedup)
  }).pipe(Effect.provide(Layer.provideMerge(SqlDeduplicator.layer(options), sqlLayer(store))), Effect.scoped)

for (const [name, store] of stores) {
  describe(name, () => {
    it.live("the first delivery of an id is first, every later one is not", () =>
      withStore(store(), fresh(), (dedup) =>
        Effect.gen(function* () {
          assert.isTrue(yield* dedup.firstSeen("cashfree:a"))
          assert.isFalse(yield* dedup.firstSeen("cashfree:a"))
          assert.isTrue(yield* dedup.firstSeen("cybersource:a"))
        })
      )
    )

    it.live("of 400 concurrent deliveries of 20 ids, exactly one per id is first", () =>
      withStore(store(), fresh(), (dedup) =>
        Effect.gen(function* () {
          const ids = Array.from({ length: 400 }, (_, i) => `evt-${i % 20}`)
          const results = yield* Effect.forEach(ids, (id) => Effect.map(dedup.firstSeen(id), (first) => [id, first]), {
            concurrency: 16
          })
          const firsts = results.filter(([, first]) => first).map(([id]) => id)
          assert.strictEqual(firsts.length, 20)
          assert.strictEqual(new Set(firsts).size, 20)
        })
      )
    )

    it.live("run: the handler's writes commit with the id; a failed handler leaves neither", () =>
      withStore(store(), fresh(), (dedup) =>
        Effect.gen(function* () {
          const sql = yield* SqlClient.SqlClient
          const side = `side_${process.pid}_${++tables}`
          yield* sql`CREATE TABLE ${sql(side)} (event_id TEXT NOT NULL)`
          const write = (id: string) => sql`INSERT INTO ${sql(side)} (event_id) VALUES (${id})`
          const failed = yield* Effect.flip(dedup.run("e1", Effect.zipRight(write("e1"), Effect.fail("boom" as const))))
          assert.strictEqual(failed, "boom")
          assert.deepStrictEqual(yield* sql`SELECT event_id FROM ${sql(side)}`, [])
          assert.strictEqual(yield* dedup.run("e1", Effect.as(write("e1"), "handled")), "handled")
          assert.isUndefined(yield* dedup.run("e1", Effect.as(write("e1"), "again")))
          const rows = yield* sql<{ readonly event_id: string }>`SELECT event_id FROM ${sql(side)}`
          assert.deepStrictEqual(
            rows.map((r) => r.event_id),
            ["e1"]
          )
        })
      )
    )

    it.live("an id is remembered for the window, then taken over; cleanup deletes expired ids", () =>
      withStore(store(), { ...fresh(), window: "300 millis" }, (dedup) =>
        Effect.gen(function* () {
          const options: SqlDeduplicator.Options = { table: `events_${process.pid}_${tables}`, window: "300 millis" }
          assert.isTrue(yield* dedup.firstSeen("a"))
          assert.isTrue(yield* dedup.firstSeen("b"))
          assert.isFalse(yield* dedup.firstSeen("a"))
          yield* Effect.sleep("400 millis")
          assert.isTrue(yield* dedup.firstSeen("a"))
          assert.strictEqual(yield* SqlDeduplicator.cleanup(options), 1)
          assert.isFalse(yield* dedup.firstSeen("a"))
        })
      )
    )

    it.live("migrations: several clients at once on a fresh table, then again, all succeed", () =>
      Effect.gen(function* () {
        const options = fresh()
        yield* Effect.all(
          Array.from({ length: 4 }, () => SqlDeduplicator.migrate(options).pipe(Effect.provide(sqlLayer(store(), 2)))),
          { concurrency: "unbounded" }
        )
        yield* SqlDeduplicator.migrate(options)
        const dedup = yield* SqlDeduplicator.make(options)
        assert.isTrue(yield* dedup.firstSeen("x"))
      }).pipe(Effect.provide(sqlLayer(store())))
    )
  })
}
