import * as Cryptograms from "@payport/core/Cryptograms"
import * as Money from "@payport/core/Money"
import * as OtpAuthentication from "@payport/core/OtpAuthentication"
import * as PaymentMethod from "@payport/core/PaymentMethod"
import * as Payments from "@payport/core/Payments"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Tracer from "effect/Tracer"
import { CLIENT_SECRET, fake, withRoutes } from "./support/Layers.js"

const PAN = "4111111111111111"
const CVV = "987"
const OTP = "111000"
const TOKEN_PAN = "4491365621601472"
const CRYPTOGRAM = "AQBBBBBBZatIlaIAmWKSghwBBBB="
const SECRETS = [PAN, "4111111111111112", CLIENT_SECRET, TOKEN_PAN, CRYPTOGRAM, `"card_cvv":"${CVV}"`, `cvv=${CVV}`]

/** Every log line and span (name and attributes) produced while the layer is in use. */
const capture = () => {
  const lines: Array<string> = []
  const spans: Array<{ readonly name: string; readonly attributes: Map<string, unknown> }> = []
  const logger = Logger.make(({ message, annotations, cause }) => {
    lines.push(JSON.stringify({ message, annotations: Object.fromEntries(annotations), cause: String(cause) }))
  })
  const recording = (base: Tracer.Tracer) =>
    Tracer.make({
      span: (name, parent, context, links, startTime, kind, options) => {
        const span = base.span(name, parent, context, links, startTime, kind, options)
        spans.push(span as unknown as { name: string; attributes: Map<string, unknown> })
        return span
      },
      context: base.context
    })
  const layer = Layer.mergeAll(
    Logger.replace(Logger.defaultLogger, logger),
    Logger.minimumLogLevel(LogLevel.All),
    Layer.unwrapEffect(Effect.map(Effect.tracer, (base) => Layer.setTracer(recording(base))))
  )
  const text = () =>
    [
      ...lines,
      ...spans.map(
        (s) => `${s.name} ${JSON.stringify(Object.fromEntries([...s.attributes].map(([k, v]) => [k, String(v)])))}`
      )
    ].join("\n")
  return { lines, spans, layer, text }
}

const card = PaymentMethod.card({ number: PAN, expiry: { month: 12, year: 2030 }, cvv: CVV, holder: "Test Holder" })

describe("no secret, card number, CVV, OTP or cryptogram leaks", () => {
  it.effect("through logs, spans and error messages of a card payment, its failures, OTP and a cryptogram", () => {
    const seen = capture()
    // HTTP spans on: their headers must show the secret redacted.
    const ok = fake({ statusAfterPay: "PENDING" }, { httpSpans: true })
    const failing = withRoutes([
      [
        "POST",
        /^\/orders$/,
        () => ({
          body: {
            order_id: "ord_leak_1",
            order_status: "ACTIVE",
            payment_session_id: "session_1",
            order_amount: 10,
            order_currency: "INR"
          }
        })
      ],
      // A provider that echoes the request in its error message, the worst case.
      [
        "POST",
        /^\/orders\/sessions$/,
        (request) => ({
          status: 400,
          body: {
            message: `invalid value for parameter: card_cvv in ${request.body}`,
            code: "card_cvv_invalid",
            type: "invalid_request_error"
          }
        })
      ]
    ])
    const errors: Array<string> = []
    const record = (e: { readonly message: string; readonly _tag: string }) => {
      errors.push(e.message, JSON.stringify(e), String(e))
      return Effect.void
    }
    return Effect.gen(function* () {
      const payment = yield* Payments.create({
        reference: "ord_leak_0",
        amount: Money.unsafeMake(1_000, "INR"),
        method: card
      }).pipe(Effect.provide(ok.layer))
      assert.strictEqual(payment.status._tag, "RequiresAction")
      yield* Payments.create({
        reference: "ord_leak_2",
        amount: Money.unsafeMake(1_000, "INR"),
        method: card,
        providerOptions: { cashfree: { channel: "post" } }
      }).pipe(
        Effect.flatMap((p) => OtpAuthentication.submit({ payment: p.ref, otp: OTP })),
        Effect.provide(ok.layer)
      )
      yield* Cryptograms.fetch({
        customerId: "siddhesh_desai",
        instrumentId: "54deabb4-ba45-4a60-9e6a-9c016fe7ab10"
      }).pipe(Effect.provide(ok.layer))
      yield* Payments.create({ reference: "ord_leak_1", amount: Money.unsafeMake(1_000, "INR"), method: card }).pipe(
        Effect.provide(failing.layer),
        Effect.flip,
        Effect.flatMap(record)
      )
      yield* Payments.create({
        reference: "ord_leak_3",
        amount: Money.unsafeMake(1_000, "INR"),
        method: PaymentMethod.card({ number: "4111111111111112", expiry: { month: 12, year: 2030 }, cvv: CVV })
      }).pipe(Effect.provide(ok.layer), Effect.flip, Effect.flatMap(record))

      // The capture works: the secret did travel, and spans and logs were recorded.
      assert.isTrue(ok.log.some((r) => r.headers["x-client-secret"] === CLIENT_SECRET))
      assert.isTrue(ok.log.some((r) => r.body?.includes(PAN) === true))
      assert.isAbove(seen.lines.length, 0)
      assert.isTrue(seen.spans.some((s) => s.name === "Payments.create"))
      assert.isTrue(seen.spans.some((s) => [...s.attributes.keys()].includes("http.request.header.x-client-secret")))
      assert.strictEqual(errors.length, 6)

      const everything = [seen.text(), ...errors].join("\n")
      for (const secret of SECRETS) assert.isFalse(everything.includes(secret), `${secret} leaked`)
      assert.isFalse(seen.text().includes(`"${OTP}"`), "the OTP leaked")
    }).pipe(Effect.provide(seen.layer))
  })
})
