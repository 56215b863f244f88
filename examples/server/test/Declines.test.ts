/**
 * One decline rule on every provider: the same declined card through the server answers 402 with
 * the decline code, whichever provider `PAYPORT_PROVIDER` names — the in-memory provider, and the
 * Cashfree and CyberSource adapters each against its emulator on loopback.
 */
import { HttpClient, HttpClientRequest, type HttpClientResponse } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import * as CashfreeEmulator from "@payport/emulators/CashfreeEmulator"
import * as CyberSourceEmulator from "@payport/emulators/CyberSourceEmulator"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import * as Providers from "../src/Providers.js"
import * as Server from "../src/Server.js"

interface Body {
  readonly payment?: { readonly status: { readonly _tag: string } }
  readonly error?: { readonly tag: string; readonly decline?: string; readonly hard?: boolean }
}

/** The server as `main.ts` wires it, its provider chosen only by these variables. */
const serverWith = (variables: Record<string, string>) =>
  Server.layer.pipe(
    Layer.provide(Providers.layer),
    Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(variables))))),
    Layer.provideMerge(NodeHttpServer.layerTest)
  )

const AgainstMemory = serverWith({ PAYPORT_PROVIDER: "memory" })

/** The server against an emulator started for it, configured from the emulator's address and credentials. */
const against = <E>(start: Effect.Effect<E, never, Scope.Scope>, variables: (emulator: E) => Record<string, string>) =>
  Layer.unwrapScoped(Effect.map(start, (emulator) => serverWith(variables(emulator))))

const AgainstCashfree = against(CashfreeEmulator.start(), (emulator) => ({
  PAYPORT_PROVIDER: "cashfree",
  CASHFREE_CLIENT_ID: emulator.clientId,
  CASHFREE_CLIENT_SECRET: emulator.clientSecret,
  CASHFREE_BASE_URL: emulator.baseUrl
}))

const AgainstCyberSource = against(CyberSourceEmulator.start(), (emulator) => ({
  PAYPORT_PROVIDER: "cybersource",
  CYBERSOURCE_MERCHANT_ID: emulator.merchantId,
  CYBERSOURCE_KEY_ID: emulator.keyId,
  CYBERSOURCE_SHARED_SECRET: emulator.sharedSecret,
  CYBERSOURCE_BASE_URL: emulator.baseUrl,
  CYBERSOURCE_WEBHOOK_KEY: emulator.webhooks.key,
  CYBERSOURCE_WEBHOOK_KEY_ID: emulator.webhooks.keyId
}))

const pay = (body: unknown) =>
  Effect.flatMap(HttpClient.HttpClient, (client) =>
    client.execute(HttpClientRequest.post("/payments").pipe(HttpClientRequest.bodyUnsafeJson(body)))
  ).pipe(
    Effect.flatMap((response: HttpClientResponse.HttpClientResponse) =>
      Effect.map(response.json, (json) => ({ status: response.status, body: json as Body }))
    )
  )

const declinedCard = { _tag: "Card", number: "4000000000000002", expiry: { month: 12, year: 2031 }, cvv: "123" }

/** Provider, server, currency, and the code the provider's decline of that card maps to. */
const cases = [
  ["memory", AgainstMemory, "INR", "do_not_honor"],
  ["cashfree", AgainstCashfree, "INR", "do_not_honor"],
  ["cybersource", AgainstCyberSource, "USD", "generic_decline"]
] as const

const customer = { id: "cust-decline-1", email: "payer@example.com", phone: "9999999999", name: "Test Payer" }

describe("examples/server: a declined card is 402 on every provider", () => {
  for (const [provider, layer, currency, code] of cases) {
    it.live(`PAYPORT_PROVIDER=${provider}: a declined sale and a declined hold are 402 ${code}`, () =>
      Effect.gen(function* () {
        for (const capture of ["automatic", "manual"]) {
          const declined = yield* pay({
            reference: `srv-decline-${provider}-${capture}`,
            amount: "10.00",
            currency,
            method: declinedCard,
            capture,
            customer
          })
          assert.strictEqual(declined.status, 402, JSON.stringify(declined.body))
          assert.strictEqual(declined.body.error?.tag, "PaymentDeclined")
          assert.strictEqual(declined.body.error?.decline, code)
        }
      }).pipe(Effect.provide(layer))
    )
  }
})
