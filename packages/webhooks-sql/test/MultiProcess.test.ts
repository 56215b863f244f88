/**
 * Issue 21: webhooks for a fleet. Four replica processes (`support/Worker.ts`) each receive the
 * same 1,000 signed Cashfree deliveries in their own shuffled order with 250 duplicates, verify
 * them and handle them through `SqlDeduplicator` on one PostgreSQL database or one SQLite file.
 * One replica is killed (SIGKILL) after 300 deliveries and restarted, receiving all 1,000 again.
 * Every event must be handled exactly once in total: 1,000 rows in `handled`, 1,000 distinct,
 * nothing handled twice and nothing lost.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import * as SqlClient from "@effect/sql/SqlClient"
import { afterAll, assert, describe, inject, it } from "@effect/vitest"
import * as CashfreeWebhooks from "@payport/adapter-cashfree/CashfreeWebhooks"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { sqlLayer } from "./support/Store.js"

const EVENTS = 1_000
const REPLICAS = 4
const SECRET = "cfsk_ma_test_fleet"
const tsx = fileURLToPath(new URL("../../../node_modules/.bin/tsx", import.meta.url))
const workerPath = fileURLToPath(new URL("./support/Worker.ts", import.meta.url))
const dir = mkdtempSync(join(tmpdir(), "payport-fleet-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const paymentBody = (i: number) =>
  JSON.stringify({
    data: {
      order: { order_id: `order_fleet_${i}`, order_amount: 10.0, order_currency: "INR" },
      payment: {
        cf_payment_id: 900_000 + i,
        payment_status: "SUCCESS",
        payment_amount: 10.0,
        payment_currency: "INR",
        payment_time: "2026-01-01T10:00:00+05:30",
        payment_group: "upi",
        payment_method: { upi: { channel: "collect", upi_id: "testsuccess@gocash" } }
      }
    },
    event_time: "2026-01-01T10:00:01+05:30",
    type: "PAYMENT_SUCCESS_WEBHOOK"
  })

/** 1,000 genuine deliveries signed now, written to a file the workers read. */
const deliveriesFile = Effect.gen(function* () {
  const timestamp = String(Date.now())
  const deliveries = yield* Effect.forEach(
    Array.from({ length: EVENTS }, (_, i) => paymentBody(i)),
    (body) =>
      Effect.map(CashfreeWebhooks.sign(Redacted.make(SECRET), timestamp, body), (signature) => ({
        headers: {
          "content-type": "application/json",
          "x-webhook-signature": signature,
          "x-webhook-timestamp": timestamp,
          "x-webhook-version": "2025-01-01"
        },
        body
      }))
  )
  const file = join(dir, `deliveries-${Date.now()}.json`)
  writeFileSync(file, JSON.stringify(deliveries))
  return file
})

interface Replica {
  readonly child: ChildProcess
  /** Resolves with the exit code (null when killed) and stdout. */
  readonly done: Promise<{ readonly code: number | null; readonly stdout: string; readonly stderr: string }>
  /** Resolves once the replica has processed at least `n` deliveries. */
  readonly reached: (n: number) => Promise<void>
}

const startReplica = (env: Record<string, string>): Replica => {
  const child = spawn(tsx, ["--conditions=@payport/source", workerPath], {
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env }
  })
  let stdout = ""
  let stderr = ""
  const waiters: Array<{ readonly n: number; readonly resolve: () => void }> = []
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8")
    const progress = [...stdout.matchAll(/progress (\d+)/g)].map((m) => Number(m[1]))
    const latest = Math.max(0, ...progress)
    for (const waiter of waiters.filter((w) => latest >= w.n)) {
      waiters.splice(waiters.indexOf(waiter), 1)
      waiter.resolve()
    }
  })
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8")
  })
  const timer = setTimeout(() => child.kill("SIGKILL"), 240_000)
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on("close", (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  )
  return { child, done, reached: (n) => new Promise((resolve) => waiters.push({ n, resolve })) }
}

interface Summary {
  readonly worker: string
  readonly deliveries: number
  readonly handled: number
  readonly duplicates: number
  readonly retried: number
}

const summaryOf = (stdout: string): Summary => {
  const last = stdout.trim().split("\n").pop() ?? ""
  return JSON.parse(last) as Summary
}

const fleet = (store: string) =>
  Effect.gen(function* () {
    const file = yield* deliveriesFile
    const sql = yield* SqlClient.SqlClient
    yield* sql`CREATE TABLE handled (event_id TEXT NOT NULL, worker TEXT NOT NULL)`
    const env = (i: number) => ({
      PAYPORT_STORE: store,
      PAYPORT_WORKER: `replica-${i}`,
      PAYPORT_SEED: String(1 + i),
      PAYPORT_SECRET: SECRET,
      PAYPORT_DELIVERIES: file
    })
    const replicas = Array.from({ length: REPLICAS }, (_, i) => startReplica(env(i)))
    const victim = replicas[0] as Replica
    yield* Effect.promise(() => victim.reached(300))
    victim.child.kill("SIGKILL")
    const killed = yield* Effect.promise(() => victim.done)
    assert.isNull(killed.code, "the replica was killed before it finished")
    const restarted = startReplica(env(0))
    const finished = yield* Effect.promise(() => Promise.all([...replicas.slice(1), restarted].map((r) => r.done)))
    for (const run of finished) assert.strictEqual(run.code, 0, run.stderr)
    const summaries = finished.map((run) => summaryOf(run.stdout))
    const rows = yield* sql<{ readonly event_id: string; readonly times: number | string }>`
      SELECT event_id, COUNT(*) AS times FROM handled GROUP BY event_id`
    const twice = rows.filter((r) => Number(r.times) > 1)
    assert.strictEqual(twice.length, 0, `handled more than once: ${twice.map((r) => r.event_id).join(", ")}`)
    assert.strictEqual(rows.length, EVENTS, "every event handled")
    const seen = yield* sql<{ readonly n: number | string }>`SELECT COUNT(*) AS n FROM payport_webhook_events`
    assert.strictEqual(Number(seen[0]?.n), EVENTS)
    for (const s of summaries) assert.strictEqual(s.handled + s.duplicates, s.deliveries)
    return summaries
  }).pipe(Effect.provide(sqlLayer(store)), Effect.scoped)

/** A fresh PostgreSQL database for one scenario. */
const postgresDatabase = (name: string) =>
  Effect.gen(function* () {
    const url = inject("postgresUrl")
    const sql = yield* SqlClient.SqlClient
    yield* sql`DROP DATABASE IF EXISTS ${sql(name)}`
    yield* sql`CREATE DATABASE ${sql(name)}`
    const at = new URL(url)
    at.pathname = `/${name}`
    return at.toString()
  }).pipe(Effect.provide(sqlLayer(inject("postgresUrl"), 1)), Effect.scoped)

describe(`${REPLICAS} replicas, ${EVENTS} events delivered to each in shuffled order with duplicates`, () => {
  // One replica is killed mid-run and restarted (receiving every delivery again): the others run
  // undisturbed beside it, so one run checks both the fleet and the crash.
  it.live("PostgreSQL: one replica killed mid-run and restarted; every event handled exactly once in total", () =>
    Effect.flatMap(postgresDatabase("fleet"), (url) => fleet(url))
  )
  it.live("SQLite: one replica killed mid-run and restarted; every event handled exactly once in total", () =>
    fleet(`sqlite:${join(dir, "fleet.db")}`)
  )
})
