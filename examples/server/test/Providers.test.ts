import { HttpClient, HttpClientRequest, type HttpClientResponse } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import * as CyberSourceEmulator from "@payport/emulators/CyberSourceEmulator"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Providers from "../src/Providers.js"
import * as Server from "../src/Server.js"

interface Body {
  readonly id?: string
  readonly payment?: {
    readonly status: { readonly _tag: string }
    readonly ledger: { readonly captured: { readonly amount: number } }
  }
  readonly received?: string
  readonly duplicate?: boolean
}

const json = (response: HttpClientResponse.HttpClientResponse) =>
  Effect.map(response.json, (body) => ({ status: response.status, body: body as Body }))

/** The variables, exactly as `main.ts` would read them from the environment. */
const environment = (variables: Record<string, string>) =>
  Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(variables))))

// The server as `main.ts` wires it, its provider chosen only by configuration: a CyberSource
// emulator on loopback stands in for the account the variables point at.
const AgainstCyberSource = Layer.unwrapScoped(
  Effect.map(CyberSourceEmulator.start(), (emulator) =>
    Server.layer.pipe(
      Layer.provide(Providers.layer),
      Layer.provide(
        environment({
          PAYPORT_PROVIDER: "cybersource",
          CYBERSOURCE_MERCHANT_ID: emulator.merchantId,
          CYBERSOURCE_KEY_ID: emulator.keyId,
          CYBERSOURCE_SHARED_SECRET: emulator.sharedSecret,
          CYBERSOURCE_BASE_URL: emulator.baseUrl,
          CYBERSOURCE_WEBHOOK_KEY: emulator.webhooks.key,
          CYBERSOURCE_WEBHOOK_KEY_ID: emulator.webhooks.keyId
        })
      ),
      Layer.provideMerge(NodeHttpServer.layerTest),
      Layer.merge(Layer.succeed(CyberSourceEmulator.Emulator, emulator))
    )
  )
)

const card = { _tag: "Card", number: "4111111111111111", expiry: { month: 12, year: 2031 }, cvv: "987" }

describe("examples/server, provider chosen by configuration", () => {
  it.live("PAYPORT_PROVIDER=cybersource and CYBERSOURCE_*: pays, holds and captures, and takes the webhook", () =>
    Effect.gen(function* () {
      const client = yield* HttpClient.HttpClient
      const post = (path: string, body: unknown) =>
        client
          .execute(HttpClientRequest.post(path).pipe(HttpClientRequest.bodyUnsafeJson(body)))
          .pipe(Effect.flatMap(json))

      const sale = yield* post("/payments", {
        reference: "srv-cs-sale",
        amount: "10.00",
        currency: "USD",
        method: card
      })
      assert.strictEqual(sale.status, 201)
      assert.strictEqual(sale.body.payment?.status._tag, "Captured")
      const read = yield* client.get(`/payments/${sale.body.id}`).pipe(Effect.flatMap(json))
      assert.strictEqual(read.body.payment?.ledger.captured.amount, 1000)

      const hold = yield* post("/payments", {
        reference: "srv-cs-hold",
        amount: "10.00",
        currency: "USD",
        method: card,
        capture: "manual"
      })
      assert.strictEqual(hold.body.payment?.status._tag, "Authorized")
      const captured = yield* post(`/payments/${hold.body.id}/capture`, { amount: "6.00" })
      assert.strictEqual(captured.status, 200)
      assert.strictEqual(captured.body.payment?.ledger.captured.amount, 600)

      // The emulator's own signed notification, delivered to the server as CyberSource would.
      const emulator = yield* CyberSourceEmulator.Emulator
      const delivery = emulator.webhooks.deliveries().at(-1)
      assert.isDefined(delivery)
      const received = yield* client
        .execute(
          HttpClientRequest.post("/webhooks/cybersource").pipe(
            HttpClientRequest.setHeaders(delivery?.headers ?? {}),
            HttpClientRequest.bodyText(delivery?.body ?? "", "application/json")
          )
        )
        .pipe(Effect.flatMap(json))
      assert.strictEqual(received.status, 200)
      assert.isFalse(received.body.duplicate)
      assert.strictEqual(emulator.truth.authFailures().length, 0)
    }).pipe(Effect.provide(AgainstCyberSource))
  )

  it.effect("a missing credential fails the server's start with a ConfigurationError naming it", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        Layer.build(
          Providers.layer.pipe(
            Layer.provide(environment({ PAYPORT_PROVIDER: "cashfree", CASHFREE_CLIENT_ID: "client" }))
          )
        ).pipe(Effect.scoped)
      )
      assert.strictEqual(error._tag, "ConfigurationError")
      assert.strictEqual(error.variable, "CASHFREE_CLIENT_SECRET")
      assert.strictEqual(error.message, "CASHFREE_CLIENT_SECRET: is not set")
    })
  )
})
