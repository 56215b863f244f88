/**
 * The testkit contract suite against the adapter talking to the Cashfree emulator over real
 * loopback HTTP, on every `x-api-version` the emulator serves (entered cards on Cashfree's
 * native-OTP `post` channel, so the OTP group runs), and once more on 2025-01-01 with cards
 * through the bank's page (`link`, the adapter's default).
 *
 * The whole run is watched: every request the adapter sends is recorded (and, on 2025-01-01,
 * validated against SPEC25's request schemas afterwards), and every log line, span and error is
 * captured and scanned for card numbers, CVVs, the OTP, token PANs, cryptograms and the secret.
 */
import * as PaymentMethod from "@payport/core/PaymentMethod"
import * as Webhooks from "@payport/core/Webhooks"
import { ContractSuite } from "@payport/testkit"
import * as CashfreeEmulator from "@payport/emulators/CashfreeEmulator"
import * as CashfreeFixtures from "@payport/testkit/CashfreeFixtures"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as CashfreeWebhooks from "../src/CashfreeWebhooks.js"
import * as Capture from "@payport/testkit/LeakCapture"
import { adapter, type Exchange } from "./support/Loopback.js"
import { type Json, responseSchema, schema, templateOf, validate } from "./support/OpenApi.js"
import { problemsOf } from "./support/Requests.js"

const capture = Capture.make()
const emulators: Array<CashfreeEmulator.CashfreeEmulator> = []
const exchanges = new Map<string, Array<Exchange>>()

const run = (name: string, apiVersion: string, channel: CashfreeFixtures.CardChannel) => {
  const log: Array<Exchange> = []
  exchanges.set(name, log)
  const layer = CashfreeEmulator.layerWith((emulator) => {
    emulators.push(emulator)
    // HTTP spans on, so the leak check below also covers their (redacted) headers.
    return adapter({ apiVersion, cardChannel: channel, httpSpans: true }, log)(emulator)
  }).pipe(Layer.merge(capture.layer))
  ContractSuite.contractSuite(name, layer, CashfreeFixtures.fixturesFor(channel), { excludeTestServices: true })
}

for (const apiVersion of CashfreeEmulator.apiVersions) run(`cashfree ${apiVersion}`, apiVersion, "post")
run("cashfree 2025-01-01, cards through the bank's page", "2025-01-01", "link")

// ---------------------------------------------------------------------------------------------
// What the run sent and showed
// ---------------------------------------------------------------------------------------------

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi

/** Every card number the fixtures pay with. */
const cardNumbers = (): ReadonlySet<string> => {
  const methods = [CashfreeFixtures.fixturesFor("post"), CashfreeFixtures.fixturesFor("link")].flatMap((f) => [
    f.card,
    ...f.declines.map((d) => d.method),
    ...f.actions.map((a) => a.method),
    ...(f.otp === undefined ? [] : [f.otp.card])
  ])
  return new Set(
    methods.flatMap((m) =>
      m._tag === "Card" || m._tag === "CardEmi" ? [Redacted.value(PaymentMethod.normalizeNumber(m.number))] : []
    )
  )
}

/** Token PANs and cryptograms Cashfree returned during the run. */
const tokenSecrets = (): ReadonlySet<string> => {
  const out = new Set<string>()
  for (const emulator of emulators) for (const i of emulator.truth.instruments()) out.add(i.tokenPan)
  for (const log of exchanges.values()) {
    for (const exchange of log) {
      if (!exchange.path.endsWith("/cryptogram") || exchange.status !== 200) continue
      const body = JSON.parse(exchange.response) as { readonly card_number: string; readonly cryptogram: string }
      out.add(body.card_number)
      out.add(body.cryptogram)
    }
  }
  return out
}

/** Everything that must never be seen, as strings and patterns. */
const secrets = (): ReadonlyArray<string | RegExp> => [
  ...cardNumbers(),
  ...tokenSecrets(),
  CashfreeEmulator.DEFAULT_CLIENT_SECRET,
  // The test CVV and OTP are short digit strings: look for them where they would be labelled.
  /cvv\W{0,12}123\b/i,
  /otp\W{0,12}111000/i,
  "111000"
]

describe("over the whole contract run", () => {
  it("every request the adapter sent on 2025-01-01 validates against SPEC25's request schemas", () => {
    const sent = [...exchanges.entries()].filter(([name]) => name.includes("2025-01-01")).flatMap(([, log]) => log)
    const expected = {
      clientId: CashfreeEmulator.DEFAULT_CLIENT_ID,
      clientSecret: CashfreeEmulator.DEFAULT_CLIENT_SECRET,
      apiVersion: "2025-01-01"
    }
    assert.isAbove(sent.length, 100)
    assert.deepStrictEqual(
      sent.flatMap((request) => problemsOf(request, expected)),
      []
    )
    const operations = new Set(sent.map((r) => `${r.method} ${r.path.replace(/\/[^/]*\d[^/]*/g, "/{id}")}`))
    for (const operation of [
      "POST /orders",
      "POST /orders/sessions",
      "POST /orders/pay/authenticate/{id}",
      "GET /orders/{id}/payments",
      "GET /orders/{id}/payments/{id}",
      "POST /orders/{id}/authorization",
      "POST /orders/{id}/refunds",
      "GET /orders/{id}/refunds",
      "GET /orders/{id}/refunds/{id}",
      "POST /customers",
      "GET /customers/{id}/instruments",
      "GET /customers/{id}/instruments/{id}",
      "DELETE /customers/{id}/instruments/{id}",
      "GET /customers/{id}/instruments/{id}/cryptogram"
    ]) {
      assert.isTrue(operations.has(operation), `the run never sent ${operation}`)
    }
  })

  // The other direction: what the emulator answered the adapter is what SPEC25 says Cashfree
  // answers (status documented for the operation, body of its schema; nulls as in Cashfree's examples).
  it("every answer the emulator gave on 2025-01-01 is documented by SPEC25 for its operation and status", () => {
    const answers = [...exchanges.entries()].filter(([name]) => name.includes("2025-01-01")).flatMap(([, log]) => log)
    const problems = new Set<string>()
    for (const answer of answers) {
      const template = templateOf(answer.method, answer.path)
      const where = `${answer.method} ${template ?? answer.path} ${answer.status}`
      const schema = template === undefined ? undefined : responseSchema(answer.method, template, answer.status)
      if (schema === undefined) problems.add(`${where}: not documented`)
      else for (const p of validate(schema, JSON.parse(answer.response) as Json, where, false, true)) problems.add(p)
    }
    assert.deepStrictEqual([...problems], [])
  })

  it("no card number, CVV, OTP, token PAN, cryptogram or client secret in any log line, span or error", () => {
    // The capture saw the run, and the secrets did travel on the wire.
    assert.isAbove(capture.lines.length, 100)
    const names = new Set(capture.spans.map((s) => s.name))
    for (const name of ["Payments.create", "Cryptograms.fetch", "OtpAuthentication.submit", "Webhooks.verify"])
      assert.isTrue(names.has(name), `no ${name} span`)
    assert.isTrue(
      capture.spans.some((s) => s.attributes.get("http.request.header.x-client-secret") === "<redacted>"),
      "no HTTP span showed the (redacted) secret header"
    )
    assert.isAbove(capture.errors().length, 50)
    const wire = [...exchanges.values()].flat()
    assert.isTrue(wire.some((e) => e.body?.includes("4111111111111111") === true))
    assert.isTrue(wire.some((e) => e.body?.includes('"otp":"111000"') === true))
    // Each emulator is seeded alike, so their token PANs and cryptograms repeat across runs.
    assert.isAtLeast(tokenSecrets().size, 3)

    const seen = capture.text().replace(UUID, "<uuid>")
    assert.deepStrictEqual(Capture.leaked(seen, secrets()), [])
  })

  it.live("every webhook the emulators emitted during the run verifies and decodes through the adapter", () =>
    Effect.gen(function* () {
      const kinds: Record<string, string> = {
        PAYMENT_SUCCESS_WEBHOOK: "PaymentUpdated",
        PAYMENT_FAILED_WEBHOOK: "PaymentUpdated",
        PAYMENT_USER_DROPPED_WEBHOOK: "PaymentUpdated",
        REFUND_STATUS_WEBHOOK: "RefundUpdated",
        INSTRUMENT_ACTIVE_WEBHOOK: "InstrumentUpdated"
      }
      const webhookSchemas: Record<string, string> = {
        PAYMENT_SUCCESS_WEBHOOK: "PaymentWebhook",
        PAYMENT_FAILED_WEBHOOK: "PaymentWebhook",
        PAYMENT_USER_DROPPED_WEBHOOK: "PaymentWebhook",
        REFUND_STATUS_WEBHOOK: "RefundWebhook",
        INSTRUMENT_ACTIVE_WEBHOOK: "InstrumentWebhook"
      }
      const seen = new Set<string>()
      for (const emulator of emulators) {
        const verify = CashfreeWebhooks.verify({ secret: Redacted.make(emulator.clientSecret) })
        for (const delivery of emulator.webhooks.deliveries()) {
          const request = Webhooks.normalize({ headers: delivery.headers, body: delivery.body })
          const event = yield* verify(request).pipe(
            Effect.mapError(
              (e) => new Error(`${delivery.event} (${delivery.headers["x-webhook-version"]}): ${e.message}`)
            )
          )
          assert.strictEqual(event._tag, kinds[delivery.event], delivery.event)
          // And the body is what SPEC25's webhook schemas describe.
          const schemaName = webhookSchemas[delivery.event]
          if (delivery.headers["x-webhook-version"] === "2025-01-01" && schemaName !== undefined) {
            const body = JSON.parse(delivery.body) as Json
            assert.deepStrictEqual(validate(schema(schemaName), body, delivery.event, false, true), [])
          }
          seen.add(`${delivery.event} ${delivery.headers["x-webhook-version"]}`)
        }
      }
      for (const version of CashfreeEmulator.apiVersions)
        for (const event of Object.keys(kinds))
          assert.isTrue(seen.has(`${event} ${version}`), `no ${event} on ${version}`)
    })
  )

  it.effect("the leak check finds a card number written to a log line, a span or an error", () =>
    Effect.gen(function* () {
      const probe = Capture.make()
      const pan = "4706131211212123"
      yield* Effect.logDebug(`paying with ${pan}`).pipe(Effect.provide(probe.layer))
      assert.deepStrictEqual(Capture.leaked(probe.text(), secrets()), [pan])
      const spanned = Capture.make()
      yield* Effect.void.pipe(
        Effect.withSpan("probe", { attributes: { "card.cvv": "cvv=123" } }),
        Effect.provide(spanned.layer)
      )
      assert.deepStrictEqual(Capture.leaked(spanned.text(), secrets()), [String(/cvv\W{0,12}123\b/i)])
      const failing = Capture.make()
      yield* Effect.fail(new Error(`token ${CashfreeEmulator.DEFAULT_CLIENT_SECRET}`)).pipe(
        Effect.withSpan("probe"),
        Effect.provide(failing.layer),
        Effect.ignore
      )
      assert.include(Capture.leaked(failing.text(), secrets()), CashfreeEmulator.DEFAULT_CLIENT_SECRET)
    })
  )
})
