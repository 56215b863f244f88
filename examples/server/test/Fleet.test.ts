/**
 * Two replicas of the server (two `npm start` processes) behind one PostgreSQL database
 * (`PAYPORT_WEBHOOK_STORE=postgres://…`, a real server started for this test): every webhook an
 * emulator sends is delivered to both replicas at once, and exactly one of them handles it
 * (`duplicate: false`), for CyberSource and for Cashfree.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { fileURLToPath } from "node:url"
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import * as CashfreeEmulator from "@payport/emulators/CashfreeEmulator"
import * as CyberSourceEmulator from "@payport/emulators/CyberSourceEmulator"
import * as Effect from "effect/Effect"
import { type Server, start } from "../../../packages/webhooks-sql/test/support/Postgres.js"

const main = fileURLToPath(new URL("../src/main.ts", import.meta.url))
const tsx = fileURLToPath(new URL("../../../node_modules/.bin/tsx", import.meta.url))

let postgres: Server | undefined
beforeAll(async () => {
  postgres = await start()
}, 60_000)
afterAll(() => postgres?.stop())

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer()
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo
      probe.close(() => resolve(port))
    })
  })

/** A server process; resolves once it prints where it listens. */
const replica = (variables: Record<string, string>) =>
  Effect.acquireRelease(
    Effect.promise(async () => {
      const port = await freePort()
      const child = spawn(tsx, ["--conditions=@payport/source", main], {
        env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", PORT: String(port), ...variables }
      })
      await new Promise<void>((resolve, reject) => {
        let out = ""
        let err = ""
        child.stderr.on("data", (chunk: Buffer) => {
          err += chunk.toString("utf8")
        })
        child.stdout.on("data", (chunk: Buffer) => {
          out += chunk.toString("utf8")
          if (out.includes("listening on")) resolve()
        })
        child.on("exit", (code) => reject(new Error(`the server exited (${code}): ${err}`)))
      })
      return { child, url: `http://127.0.0.1:${port}` }
    }),
    ({ child }: { readonly child: ChildProcess; readonly url: string }) => Effect.sync(() => child.kill("SIGKILL"))
  )

interface Answer {
  readonly status: number
  readonly received?: string
  readonly duplicate?: boolean
}

const deliver = (
  url: string,
  delivery: { readonly headers: Readonly<Record<string, string>>; readonly body: string }
) =>
  Effect.promise(async (): Promise<Answer> => {
    const response = await fetch(url, { method: "POST", headers: delivery.headers, body: delivery.body })
    return { status: response.status, ...((await response.json()) as Omit<Answer, "status">) }
  })

/** Each delivery to both replicas at once: both answer 200, exactly one handles it. */
const deliverToBoth = (
  urls: ReadonlyArray<string>,
  path: string,
  deliveries: ReadonlyArray<{ readonly headers: Readonly<Record<string, string>>; readonly body: string }>
) =>
  Effect.gen(function* () {
    assert.isAbove(deliveries.length, 0)
    const handled = new Set<string>()
    for (const delivery of deliveries) {
      const answers = yield* Effect.all(
        urls.map((url) => deliver(`${url}${path}`, delivery)),
        { concurrency: "unbounded" }
      )
      for (const answer of answers) assert.strictEqual(answer.status, 200, JSON.stringify(answer))
      assert.strictEqual(answers.filter((a) => a.duplicate === false).length, 1, JSON.stringify(answers))
      assert.strictEqual(new Set(answers.map((a) => a.received)).size, 1)
      handled.add(answers[0]?.received ?? "")
      // a provider retry later on: both see a duplicate
      const again = yield* Effect.all(
        urls.map((url) => deliver(`${url}${path}`, delivery)),
        { concurrency: "unbounded" }
      )
      assert.isTrue(again.every((a) => a.status === 200 && a.duplicate === true))
    }
    return handled.size
  })

/**
 * Two replicas configured by `variables` (plus the shared store); one takes a sale, and every
 * webhook the emulator then sent is delivered to both.
 */
const scenario = (options: {
  readonly variables: Record<string, string>
  readonly provider: string
  readonly sale: Record<string, unknown>
  readonly deliveries: () => Promise<
    ReadonlyArray<{ readonly headers: Readonly<Record<string, string>>; readonly body: string }>
  >
}) =>
  Effect.gen(function* () {
    const variables = { ...options.variables, PAYPORT_WEBHOOK_STORE: postgres?.url ?? "" }
    const [a, b] = yield* Effect.all([replica(variables), replica(variables)], { concurrency: "unbounded" })
    const sale = yield* Effect.promise(() =>
      fetch(`${a?.url}/payments`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ amount: "10.00", ...options.sale })
      })
    )
    assert.strictEqual(sale.status, 201)
    const deliveries = yield* Effect.promise(options.deliveries)
    const events = yield* deliverToBoth([a?.url ?? "", b?.url ?? ""], `/webhooks/${options.provider}`, deliveries)
    assert.strictEqual(events, deliveries.length)
  }).pipe(Effect.scoped)

const card = (year: number, cvv: string) => ({
  _tag: "Card",
  number: "4111111111111111",
  expiry: { month: 12, year },
  cvv
})

describe("two server replicas on one PostgreSQL: each webhook handled once", () => {
  it.live(
    "CyberSource",
    () =>
      Effect.flatMap(CyberSourceEmulator.start(), (emulator) =>
        scenario({
          provider: "cybersource",
          variables: {
            PAYPORT_PROVIDER: "cybersource",
            CYBERSOURCE_MERCHANT_ID: emulator.merchantId,
            CYBERSOURCE_KEY_ID: emulator.keyId,
            CYBERSOURCE_SHARED_SECRET: emulator.sharedSecret,
            CYBERSOURCE_BASE_URL: emulator.baseUrl,
            CYBERSOURCE_WEBHOOK_KEY: emulator.webhooks.key,
            CYBERSOURCE_WEBHOOK_KEY_ID: emulator.webhooks.keyId
          },
          sale: { reference: "fleet-cs", currency: "USD", method: card(2031, "987") },
          deliveries: async () => emulator.webhooks.deliveries()
        })
      ).pipe(Effect.scoped),
    120_000
  )

  it.live(
    "Cashfree",
    () =>
      Effect.flatMap(CashfreeEmulator.start(), (emulator) =>
        scenario({
          provider: "cashfree",
          variables: {
            PAYPORT_PROVIDER: "cashfree",
            CASHFREE_CLIENT_ID: emulator.clientId,
            CASHFREE_CLIENT_SECRET: emulator.clientSecret,
            CASHFREE_BASE_URL: emulator.baseUrl
          },
          sale: {
            reference: "fleet_cf",
            currency: "INR",
            method: card(2030, "123"),
            customer: { id: "fleet_customer", phone: "9876543210" }
          },
          deliveries: async () => {
            await emulator.webhooks.wait()
            return emulator.webhooks.deliveries()
          }
        })
      ).pipe(Effect.scoped),
    120_000
  )
})
