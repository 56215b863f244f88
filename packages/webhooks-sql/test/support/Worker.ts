/**
 * One replica of a webhook consumer, run as its own process by `MultiProcess.test.ts`.
 *
 * It reads the signed Cashfree deliveries in `PAYPORT_DELIVERIES` (a JSON file), delivers each to
 * itself in a shuffled order with duplicates (seeded by `PAYPORT_SEED`), verifies it with the
 * Cashfree adapter and handles it through `WebhookDeduplication.once` over `SqlDeduplicator` on
 * `PAYPORT_STORE` (`postgres://…` or `sqlite:<file>`). Handling an event is one row in the
 * `handled` table, written in the handler's transaction; the test counts those rows. A delivery
 * whose store is unavailable is retried, as the provider would redeliver it; any other failure
 * ends the process with exit code 1.
 *
 * Prints `progress <n>` every 100 deliveries and a last JSON line with its counts.
 */
import { readFileSync } from "node:fs"
import * as SqlClient from "@effect/sql/SqlClient"
import * as CashfreeWebhooks from "@payport/adapter-cashfree/CashfreeWebhooks"
import * as WebhookDeduplication from "@payport/core/WebhookDeduplication"
import * as Webhooks from "@payport/core/Webhooks"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import { SqlDeduplicator } from "../../src/index.js"
import { sqlLayer } from "./Store.js"

const env = (name: string): string => {
  const value = process.env[name]
  if (value === undefined) throw new Error(`${name} is not set`)
  return value
}

const store = env("PAYPORT_STORE")
const worker = env("PAYPORT_WORKER")
const secret = Redacted.make(env("PAYPORT_SECRET"))
const deliveries = JSON.parse(readFileSync(env("PAYPORT_DELIVERIES"), "utf8")) as ReadonlyArray<Webhooks.RequestInput>

/** mulberry32: a small seeded generator, so a restarted worker replays the same order. */
const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

const next = random(Number(env("PAYPORT_SEED")))
const order = deliveries.map((_, i) => i)
for (let i = order.length - 1; i > 0; i--) {
  const j = Math.floor(next() * (i + 1))
  const a = order[i] as number
  order[i] = order[j] as number
  order[j] = a
}
// a quarter more deliveries, each a duplicate of a random one, anywhere in the sequence
for (let k = 0; k < deliveries.length / 4; k++) {
  order.splice(Math.floor(next() * (order.length + 1)), 0, Math.floor(next() * deliveries.length))
}

// the deliveries are signed once, before the replicas start; replays are tested in the adapters
const webhooks = Webhooks.make(CashfreeWebhooks.makeDriver({ secret, toleranceSeconds: 3_600 }))

const program = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const dedup = yield* WebhookDeduplication.WebhookDeduplicator
  // WAL's recommended durability for SQLite: fsync at checkpoints, not at every commit
  if (store.startsWith("sqlite:")) yield* sql`PRAGMA synchronous = NORMAL`
  let handled = 0
  let duplicates = 0
  let retried = 0
  let done = 0
  const deliver = (index: number) =>
    Effect.gen(function* () {
      const event = yield* webhooks.verify(deliveries[index] as Webhooks.RequestInput)
      const result = yield* WebhookDeduplication.once(dedup, event, (e) =>
        Effect.as(sql`INSERT INTO handled (event_id, worker) VALUES (${e.eventId}, ${worker})`, true)
      )
      if (result === true) handled++
      else duplicates++
      if (++done % 100 === 0) yield* Effect.sync(() => console.log(`progress ${done}`))
    }).pipe(
      Effect.tapError(() => Effect.sync(() => retried++)),
      Effect.retry({
        times: 20,
        schedule: Schedule.spaced("20 millis"),
        while: (error) => error._tag === "DeduplicationUnavailable"
      })
    )
  yield* Effect.forEach(order, deliver, { concurrency: 4, discard: true })
  yield* Effect.sync(() =>
    console.log(JSON.stringify({ worker, deliveries: order.length, handled, duplicates, retried }))
  )
})

const live = Layer.provideMerge(SqlDeduplicator.layer(), sqlLayer(store, 4))

Effect.runPromise(program.pipe(Effect.provide(live), Effect.scoped)).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(String(error))
    process.exit(1)
  }
)
