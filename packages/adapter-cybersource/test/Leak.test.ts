/**
 * No card number, CVV, shared secret, signature or webhook key appears in any log line, span
 * attribute, span event or error message while paying by card — including when the provider
 * answers with a body that echoes the card back.
 */
import * as Authorization from "@payport/core/Authorization"
import * as Money from "@payport/core/Money"
import * as PaymentMethod from "@payport/core/PaymentMethod"
import * as Payments from "@payport/core/Payments"
import { assert, describe, it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Inspectable from "effect/Inspectable"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Tracer from "effect/Tracer"
import { provider, type Recorded, type Reply, SECRET, WEBHOOK_KEY } from "./support/Stub.js"

const PAN = "4111111111111111"
const CVV = "739"
const card = PaymentMethod.card({ number: PAN, expiry: { month: 12, year: 2031 }, cvv: CVV })
const amount = Money.unsafeMake(1000, "USD")

const answer = (r: Recorded): Reply => {
  const body = JSON.parse(r.body || "{}") as { clientReferenceInformation?: { code?: string } }
  switch (body.clientReferenceInformation?.code) {
    case "leak-ok":
      return {
        status: 201,
        body: {
          id: "P1",
          status: "AUTHORIZED",
          orderInformation: { amountDetails: { authorizedAmount: "10.00", currency: "USD" } }
        }
      }
    case "leak-declined":
      return {
        status: 201,
        body: {
          id: "P2",
          status: "DECLINED",
          errorInformation: { reason: "INVALID_CVN", message: `Declined - CVN ${CVV} invalid` }
        }
      }
    case "leak-echo":
      return {
        status: 400,
        body: {
          status: "INVALID_REQUEST",
          reason: "INVALID_DATA",
          message: `Declined - card ${PAN} is invalid`,
          details: [{ field: "paymentInformation.card.number", reason: "INVALID_DATA" }],
          paymentInformation: { card: { number: PAN, securityCode: CVV } }
        }
      }
    default:
      return { status: 201, body: `{"id":"P4","paymentInformation":{"card":{"number":"${PAN}"}},"stat` }
  }
}

describe("no secret leaks", () => {
  it.effect("logs, spans and errors of card payments never contain the PAN, CVV, secret or signature", () => {
    const p = provider(answer, { httpSpans: true })
    const lines: Array<string> = []
    const spans: Array<Tracer.Span> = []
    const logger = Logger.make(({ message, annotations, cause }) => {
      lines.push(Inspectable.format(message), Inspectable.format(annotations), Cause.pretty(cause))
    })
    return Effect.gen(function* () {
      const base = yield* Effect.tracer
      const tracer = Tracer.make({
        span: (...args) => {
          const span = base.span(...args)
          spans.push(span)
          return span
        },
        context: base.context
      })
      const errors: Array<unknown> = []
      const run = <A, E>(effect: Effect.Effect<A, E, Payments.Payments | Authorization.Authorization>) =>
        effect.pipe(
          Effect.tap((a) => Effect.logInfo("result", a)),
          Effect.tapErrorCause((cause) => Effect.logError("failed", cause)),
          Effect.exit,
          Effect.tap((exit) => {
            if (Exit.isFailure(exit)) errors.push(Cause.squash(exit.cause))
          }),
          Effect.withTracer(tracer)
        )
      yield* run(Authorization.authorize({ reference: "leak-ok", amount, method: card }))
      yield* run(Payments.create({ reference: "leak-declined", amount, method: card }))
      yield* run(Payments.create({ reference: "leak-echo", amount, method: card }))
      yield* run(Payments.create({ reference: "leak-garbage", amount, method: card }))
      assert.strictEqual(errors.length, 3)

      const spanText = spans.map((s) => {
        const attributes = Object.fromEntries(s.attributes)
        // what exporters record: attributes, events, and the failure of a failed span (never a success value)
        const exit = s.status._tag === "Ended" && Exit.isFailure(s.status.exit) ? Cause.pretty(s.status.exit.cause) : ""
        const events = "events" in s ? Inspectable.format((s as { readonly events: unknown }).events) : ""
        return `${s.name} ${Inspectable.format(attributes)} ${events} ${exit}`
      })
      const errorText = errors.map(
        (e) => `${String(e)} ${e instanceof Error ? e.message : ""} ${JSON.stringify(e)} ${Inspectable.format(e)}`
      )
      const everything = [...lines, ...spanText, ...errorText].join("\n")
      assert.isAbove(spans.length, 4)
      assert.include(everything, "Authorization.authorize")
      assert.include(everything, "incorrect_cvc")
      const signatures = p.recorded.map((r) => /signature="([^"]+)"/.exec(r.headers.signature ?? "")?.[1] ?? "")
      for (const secret of [PAN, "411111111111", SECRET, WEBHOOK_KEY, `"${CVV}"`, `CVN ${CVV}`, ...signatures]) {
        assert.isFalse(everything.includes(secret), `leaked: ${secret.slice(0, 6)}…`)
      }
      // the PAN did go to the provider — the test would notice if nothing was sent
      assert.isTrue(p.recorded.some((r) => r.body.includes(PAN)))
    }).pipe(
      Effect.provide(p.layer),
      Effect.provide(Logger.replace(Logger.defaultLogger, logger)),
      Logger.withMinimumLogLevel(LogLevel.All)
    )
  })
})
