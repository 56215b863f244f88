/**
 * The Express example over HTTP, against each provider's emulator through its adapter: pay, hold
 * and capture part, refund part, a decline, bad input, and a webhook verified from its raw bytes.
 */
import type { AddressInfo } from "node:net"
import { Cashfree } from "@payport/adapter-cashfree"
import { CyberSource } from "@payport/adapter-cybersource"
import { Payport } from "@payport/client"
import type { Provider } from "@payport/core"
import * as CashfreeEmulator from "@payport/emulators/CashfreeEmulator"
import * as CyberSourceEmulator from "@payport/emulators/CyberSourceEmulator"
import { NodeTransport } from "@payport/http-node"
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Scope from "effect/Scope"
import { app } from "../src/app.js"

interface Answer {
  readonly status: number
  readonly body: Readonly<Record<string, unknown>>
}

const card = (number: string) => ({ _tag: "Card", number, expiry: { month: 12, year: 2030 }, cvv: "123" })

/** Starts the app over `layer` on a free port; `call` speaks JSON to it. */
const serve = async (layer: Layer.Layer<Provider.CommonPorts, unknown>) => {
  const payport = Payport.make(layer)
  const server = app(payport).listen(0, "127.0.0.1")
  await new Promise((resolve) => server.once("listening", resolve))
  const base = () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const call = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {}
  ): Promise<Answer> => {
    const response = await fetch(`${base()}${path}`, {
      method,
      headers: { "content-type": "application/json", ...headers },
      ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) })
    })
    return { status: response.status, body: (await response.json()) as Record<string, unknown> }
  }
  const raw = (path: string, headers: Readonly<Record<string, string>>, body: string) =>
    fetch(`${base()}${path}`, { method: "POST", headers, body }).then(async (r) => ({
      status: r.status,
      body: (await r.json()) as Record<string, unknown>
    }))
  const close = async () => {
    await new Promise((resolve) => server.close(resolve))
    await payport.close()
  }
  return { call, raw, close }
}

const emulatorScope = Effect.runSync(Scope.make())
afterAll(() => Effect.runPromise(Scope.close(emulatorScope, Exit.void)))
const started = <A>(effect: Effect.Effect<A, never, Scope.Scope>) =>
  Effect.runPromise(Scope.extend(effect, emulatorScope))

const providers = [
  {
    name: "cashfree",
    currency: "INR",
    customer: { id: "customer-1", phone: "9999999999" },
    layer: async () => {
      const emulator = await started(CashfreeEmulator.start())
      return Cashfree.layer({
        baseUrl: emulator.baseUrl,
        clientId: emulator.clientId,
        clientSecret: Redacted.make(emulator.clientSecret),
        environment: "sandbox"
      }).pipe(Layer.provide(NodeTransport.layer))
    }
  },
  {
    name: "cybersource",
    currency: "USD",
    customer: { id: "customer-1", phone: "9999999999" },
    layer: async () => {
      const emulator = await started(CyberSourceEmulator.start())
      return CyberSource.layer({
        baseUrl: emulator.baseUrl,
        merchantId: emulator.merchantId,
        keyId: emulator.keyId,
        sharedSecret: Redacted.make(emulator.sharedSecret),
        webhook: { key: Redacted.make(emulator.webhooks.key), keyId: emulator.webhooks.keyId }
      }).pipe(Layer.provide(NodeTransport.layer))
    }
  }
] as const

for (const provider of providers) {
  describe(`Express example on ${provider.name}`, () => {
    let api: Awaited<ReturnType<typeof serve>>
    beforeAll(async () => {
      api = await serve(await provider.layer())
    })
    afterAll(() => api.close())

    const pay = (reference: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
      api.call(
        "POST",
        "/payments",
        {
          reference,
          amount: "10.00",
          currency: provider.currency,
          method: card("4111111111111111"),
          customer: provider.customer,
          ...extra
        },
        headers
      )

    it("pays: 201 with the payment's id, status and decimal amount", async () => {
      const answer = await pay(`${provider.name}-sale-1`)
      assert.strictEqual(answer.status, 201, JSON.stringify(answer.body))
      assert.strictEqual(answer.body.status, "Captured")
      assert.strictEqual(answer.body.amount, "10.00")
      const again = await api.call("GET", `/payments/${String(answer.body.id)}`)
      assert.strictEqual(again.status, 200)
      assert.strictEqual(again.body.captured, "10.00")
    })

    it("holds, captures part, then refunds part of the capture", async () => {
      const hold = await pay(`${provider.name}-hold-1`, { capture: "manual" })
      assert.strictEqual(hold.status, 201, JSON.stringify(hold.body))
      assert.strictEqual(hold.body.status, "Authorized")
      const captured = await api.call("POST", `/payments/${String(hold.body.id)}/capture`, { amount: "6.00" })
      assert.strictEqual(captured.status, 200, JSON.stringify(captured.body))
      assert.strictEqual(captured.body.captured, "6.00")
      const refund = await api.call("POST", `/payments/${String(hold.body.id)}/refunds`, { amount: "2.50" })
      assert.strictEqual(refund.status, 201, JSON.stringify(refund.body))
      assert.deepStrictEqual((refund.body.refund as Record<string, unknown>).amount, "2.50")
    })

    it("the same Idempotency-Key pays once", async () => {
      const key = { "idempotency-key": `${provider.name}-key-1` }
      const first = await pay(`${provider.name}-idem-1`, {}, key)
      const second = await pay(`${provider.name}-idem-1`, {}, key)
      assert.strictEqual(first.status, 201)
      assert.strictEqual(second.status, 201)
      assert.strictEqual(second.body.id, first.body.id)
    })

    it("bad input: malformed JSON, a third decimal, an unknown id", async () => {
      const malformed = await api.call("POST", "/payments", "{ not json")
      assert.strictEqual(malformed.status, 400)
      const precise = await pay(`${provider.name}-bad-1`, { amount: "10.001" })
      assert.strictEqual(precise.status, 400)
      assert.strictEqual((precise.body.error as Record<string, unknown>).tag, "ValidationError")
      const unknown = await api.call("GET", "/payments/not-a-token")
      assert.strictEqual(unknown.status, 400)
    })

    it("a webhook that was never signed is 401; a body over the limit is 413", async () => {
      const forged = await api.raw("/webhooks", { "content-type": "application/json" }, '{"type":"PAYMENT_SUCCESS"}')
      assert.strictEqual(forged.status, 401)
      const big = await api.call("POST", "/payments", { reference: "x".repeat(100_000) })
      assert.strictEqual(big.status, 413)
    })
  })
}

describe("Express example: declines and signed webhooks", () => {
  let api: Awaited<ReturnType<typeof serve>>
  let emulator: CyberSourceEmulator.CyberSourceEmulator
  beforeAll(async () => {
    emulator = await started(CyberSourceEmulator.start())
    api = await serve(
      CyberSource.layer({
        baseUrl: emulator.baseUrl,
        merchantId: emulator.merchantId,
        keyId: emulator.keyId,
        sharedSecret: Redacted.make(emulator.sharedSecret),
        webhook: { key: Redacted.make(emulator.webhooks.key), keyId: emulator.webhooks.keyId }
      }).pipe(Layer.provide(NodeTransport.layer))
    )
  })
  afterAll(() => api.close())

  it("a declined card is 402 with the decline code", async () => {
    const declined = await api.call("POST", "/payments", {
      reference: "declined-1",
      amount: "10.00",
      currency: "USD",
      method: card("42423482938483873")
    })
    assert.strictEqual(declined.status, 402)
    assert.strictEqual((declined.body.error as Record<string, unknown>).decline, "invalid_account")
  })

  it("the provider's own webhook verifies from the raw body; a changed transaction id is 401", async () => {
    const paid = await api.call("POST", "/payments", {
      reference: "webhook-1",
      amount: "10.00",
      currency: "USD",
      method: card("4111111111111111")
    })
    assert.strictEqual(paid.status, 201)
    const delivery = emulator.webhooks.deliveries().at(-1)
    assert.isDefined(delivery)
    const headers = Object.fromEntries(
      Object.entries(delivery?.headers ?? {}).filter((entry): entry is [string, string] => typeof entry[1] === "string")
    )
    const verified = await api.raw("/webhooks", headers, delivery?.body ?? "")
    assert.strictEqual(verified.status, 200, JSON.stringify(verified.body))
    assert.isString(verified.body.eventId)
    const notification = JSON.parse(delivery?.body ?? "{}") as { payload?: Array<{ data?: { id?: string } }> }
    const signed = notification.payload?.[0]?.data
    assert.isString(signed?.id)
    if (signed !== undefined) signed.id = `${signed.id ?? ""}0`
    const tampered = await api.raw("/webhooks", headers, JSON.stringify(notification))
    assert.strictEqual(tampered.status, 401)
  })
})
