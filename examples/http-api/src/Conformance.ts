/**
 * The checkout API's behaviour over real HTTP, as one suite every framework example runs: against
 * each provider's emulator through its adapter, pay, hold and capture part, refund part, the same
 * `Idempotency-Key` paying once, a decline, bad input, an unsigned webhook, an oversized body, and
 * the provider's own signed webhook verified from its raw bytes.
 */
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
import type { Client } from "./CheckoutApi.js"

/** A running app: its base URL, and how to stop it. */
export interface Listening {
  readonly url: string
  readonly close: () => Promise<void>
}

interface Answer {
  readonly status: number
  readonly headers: Headers
  readonly body: Readonly<Record<string, unknown>>
}

const card = (number: string) => ({ _tag: "Card", number, expiry: { month: 12, year: 2030 }, cvv: "123" })

const errorOf = (answer: Answer) => answer.body.error as Readonly<Record<string, unknown>>

interface Emulated {
  readonly layer: Layer.Layer<Provider.CommonPorts, unknown>
  /** The provider's most recent webhook delivery, and a copy of it with signed data changed. */
  readonly lastDelivery: () => { readonly headers: Record<string, string>; readonly body: string } | undefined
  readonly tamper: (body: string) => string
}

/** An emulator's latest delivery, its headers as strings. */
const lastOf = (
  deliveries: ReadonlyArray<{ readonly headers: Readonly<Record<string, unknown>>; readonly body: string }>
) => {
  const delivery = deliveries.at(-1)
  if (delivery === undefined) return undefined
  const headers = Object.fromEntries(
    Object.entries(delivery.headers).filter((entry): entry is [string, string] => typeof entry[1] === "string")
  )
  return { headers, body: delivery.body }
}

const providers = [
  {
    name: "cashfree",
    currency: "INR",
    declining: { card: "4000000000009995", code: "insufficient_funds" },
    start: Effect.map(
      CashfreeEmulator.start(),
      (emulator): Emulated => ({
        layer: Cashfree.layer({
          baseUrl: emulator.baseUrl,
          clientId: emulator.clientId,
          clientSecret: Redacted.make(emulator.clientSecret),
          environment: "sandbox"
        }).pipe(Layer.provide(NodeTransport.layer)),
        lastDelivery: () => lastOf(emulator.webhooks.deliveries()),
        tamper: (body) => body.replace(/"order_amount":\s*([0-9.]+)/, '"order_amount":1$1')
      })
    )
  },
  {
    name: "cybersource",
    currency: "USD",
    declining: { card: "42423482938483873", code: "invalid_account" },
    start: Effect.map(
      CyberSourceEmulator.start(),
      (emulator): Emulated => ({
        layer: CyberSource.layer({
          baseUrl: emulator.baseUrl,
          merchantId: emulator.merchantId,
          keyId: emulator.keyId,
          sharedSecret: Redacted.make(emulator.sharedSecret),
          webhook: { key: Redacted.make(emulator.webhooks.key), keyId: emulator.webhooks.keyId }
        }).pipe(Layer.provide(NodeTransport.layer)),
        lastDelivery: () => lastOf(emulator.webhooks.deliveries()),
        tamper: (body) => {
          const notification = JSON.parse(body) as { payload?: Array<{ data?: { id?: string } }> }
          const signed = notification.payload?.[0]?.data
          if (signed !== undefined) signed.id = `${signed.id ?? ""}0`
          return JSON.stringify(notification)
        }
      })
    )
  }
] as const

/**
 * Runs the suite against `listen`, which starts the framework's app over a client on a free port
 * of 127.0.0.1.
 */
export const describeCheckoutApi = (framework: string, listen: (payport: Client) => Promise<Listening>): void => {
  const emulators = Effect.runSync(Scope.make())
  afterAll(() => Effect.runPromise(Scope.close(emulators, Exit.void)))

  for (const provider of providers) {
    describe(`${framework} checkout API on ${provider.name}`, () => {
      let emulated: Emulated
      let payport: Client
      let app: Listening
      beforeAll(async () => {
        emulated = await Effect.runPromise(Scope.extend(provider.start, emulators))
        payport = Payport.make(emulated.layer)
        app = await listen(payport)
      })
      afterAll(async () => {
        await app.close()
        await payport.close()
      })

      const call = async (
        method: string,
        path: string,
        body?: unknown,
        headers: Readonly<Record<string, string>> = { "content-type": "application/json" }
      ): Promise<Answer> => {
        const response = await fetch(`${app.url}${path}`, {
          method,
          headers,
          ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) })
        })
        return {
          status: response.status,
          headers: response.headers,
          body: (await response.json()) as Record<string, unknown>
        }
      }

      const pay = (reference: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
        call(
          "POST",
          "/payments",
          {
            reference,
            amount: "10.00",
            currency: provider.currency,
            method: card("4111111111111111"),
            customer: { id: "customer-1", phone: "9999999999" },
            ...extra
          },
          { "content-type": "application/json", ...headers }
        )

      it("pays: 201 with the payment's id, status and decimal amount; GET reads it back", async () => {
        const answer = await pay(`${framework}-${provider.name}-sale-1`)
        assert.strictEqual(answer.status, 201, JSON.stringify(answer.body))
        assert.strictEqual(answer.body.status, "Captured")
        assert.strictEqual(answer.body.amount, "10.00")
        const again = await call("GET", `/payments/${String(answer.body.id)}`)
        assert.strictEqual(again.status, 200)
        assert.strictEqual(again.body.captured, "10.00")
      })

      it("holds, captures part, then refunds part of the capture", async () => {
        const hold = await pay(`${framework}-${provider.name}-hold-1`, { capture: "manual" })
        assert.strictEqual(hold.status, 201, JSON.stringify(hold.body))
        assert.strictEqual(hold.body.status, "Authorized")
        const captured = await call("POST", `/payments/${String(hold.body.id)}/capture`, { amount: "6.00" })
        assert.strictEqual(captured.status, 200, JSON.stringify(captured.body))
        assert.strictEqual(captured.body.captured, "6.00")
        const refund = await call("POST", `/payments/${String(hold.body.id)}/refunds`, { amount: "2.50" })
        assert.strictEqual(refund.status, 201, JSON.stringify(refund.body))
        assert.strictEqual((refund.body.refund as Record<string, unknown>).amount, "2.50")
      })

      it("the same Idempotency-Key pays once", async () => {
        const key = { "idempotency-key": `${framework}-${provider.name}-key-1` }
        const first = await pay(`${framework}-${provider.name}-idem-1`, {}, key)
        const second = await pay(`${framework}-${provider.name}-idem-1`, {}, key)
        assert.strictEqual(first.status, 201)
        assert.strictEqual(second.status, 201)
        assert.strictEqual(second.body.id, first.body.id)
      })

      it("bad input is 400: malformed JSON, a third decimal, an unknown currency, an unknown id", async () => {
        const malformed = await call("POST", "/payments", "{ not json")
        assert.strictEqual(malformed.status, 400)
        const precise = await pay(`${framework}-${provider.name}-bad-1`, { amount: "10.001" })
        assert.strictEqual(precise.status, 400)
        assert.strictEqual(errorOf(precise).tag, "ValidationError")
        const currency = await pay(`${framework}-${provider.name}-bad-2`, { currency: "XYZ" })
        assert.strictEqual(currency.status, 400)
        const unknown = await call("GET", "/payments/not-a-token")
        assert.strictEqual(unknown.status, 400)
        assert.strictEqual(errorOf(unknown).tag, "ValidationError")
      })

      it("an unsigned webhook is 401; a JSON body over the limit is 413", async () => {
        const forged = await call("POST", "/webhooks", '{"type":"PAYMENT_SUCCESS"}')
        assert.strictEqual(forged.status, 401)
        const big = await call("POST", "/payments", { reference: "x".repeat(100_000) })
        assert.strictEqual(big.status, 413)
      })

      it("the provider's own webhook verifies from the raw body; a copy with changed data is 401", async () => {
        const paid = await pay(`${framework}-${provider.name}-webhook-1`)
        assert.strictEqual(paid.status, 201, JSON.stringify(paid.body))
        const delivery = emulated.lastDelivery()
        assert.isDefined(delivery)
        if (delivery === undefined) return
        const verified = await call("POST", "/webhooks", delivery.body, delivery.headers)
        assert.strictEqual(verified.status, 200, JSON.stringify(verified.body))
        assert.isString(verified.body.eventId)
        const tampered = emulated.tamper(delivery.body)
        assert.notStrictEqual(tampered, delivery.body)
        const refused = await call("POST", "/webhooks", tampered, delivery.headers)
        assert.strictEqual(refused.status, 401)
      })

      it("a declined card is 402 with the decline code", async () => {
        const declined = await pay(`${framework}-${provider.name}-declined-1`, {
          method: card(provider.declining.card)
        })
        assert.strictEqual(declined.status, 402, JSON.stringify(declined.body))
        assert.strictEqual(errorOf(declined).decline, provider.declining.code)
      })
    })
  }
}
