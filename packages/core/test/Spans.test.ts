import { assert, describe, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Tracer from "effect/Tracer"
import { Ids, Ledger, Money, Payment, PaymentMethod, Payments } from "@payport/core"
import { operation } from "../src/internal/port.js"

/** A tracer that keeps every span it makes (over Effect's own spans). */
const recordingTracer = (base: Tracer.Tracer) => {
  const spans: Array<Tracer.Span> = []
  const tracer = Tracer.make({
    span: (name, parent, context, links, startTime, kind, options) => {
      const span = base.span(name, parent, context, links, startTime, kind, options)
      spans.push(span)
      return span
    },
    context: base.context
  })
  return { spans, tracer }
}

const amount = Money.unsafeMake(1050, "INR")

/** A port whose driver reports the span it ran in (none when the port made none). */
const payments = () => {
  const seen: Array<Option.Option<Tracer.Span>> = []
  const service = Payments.make({
    provider: "test",
    create: (request) =>
      Effect.map(Effect.option(Effect.currentSpan), (span) => {
        seen.push(span)
        return Payment.Payment.make({
          ref: Ids.PaymentRef.make({ provider: "test", paymentId: Ids.PaymentId.make("pay_1") }),
          reference: request.reference,
          amount: request.amount,
          ledger: Ledger.captured(request.amount),
          captureMode: "automatic",
          method: Payment.MethodSummary.make({ kind: "Card", display: PaymentMethod.mask("4111111111111111") }),
          status: { _tag: "Captured" },
          createdAt: DateTime.unsafeMake(0)
        })
      }),
    get: () => Effect.die("unused"),
    list: () => Effect.die("unused"),
    refund: () => Effect.die("unused"),
    getRefund: () => Effect.die("unused"),
    listRefunds: () => Effect.die("unused")
  })
  const sale = service.create({
    reference: "order_1",
    amount,
    method: PaymentMethod.card({ number: "4111111111111111", expiry: { month: 12, year: 2030 }, cvv: "737" })
  })
  return { seen, sale }
}

describe("port spans", () => {
  it.effect("with a tracer installed, a port call runs in its span with the operation's attributes", () =>
    Effect.gen(function* () {
      const { spans, tracer } = recordingTracer(yield* Effect.tracer)
      const { seen, sale } = payments()
      yield* sale.pipe(Effect.withTracer(tracer))
      const span = spans.find((s) => s.name === "Payments.create")
      assert.isDefined(span)
      assert.strictEqual(span?.kind, "client")
      assert.deepStrictEqual(Object.fromEntries(span?.attributes ?? []), {
        "payport.provider": "test",
        "payport.operation": "Payments.create",
        "payport.amount": 1050,
        "payport.currency": "INR",
        "payport.method": "Card"
      })
      assert.deepStrictEqual(
        seen.map((inside) => Option.getOrUndefined(inside)?.name),
        ["Payments.create"]
      )
      assert.isTrue(span?.status._tag === "Ended")
    })
  )

  it.effect("with a tracer installed, the span's attributes are built once per call", () =>
    Effect.gen(function* () {
      const { spans, tracer } = recordingTracer(yield* Effect.tracer)
      let built = 0
      const traced = operation("Test", "call", "test", () => {
        built++
        return { "test.attribute": 1 }
      })
      yield* traced(Effect.void).pipe(Effect.withTracer(tracer))
      yield* traced(Effect.void).pipe(Effect.withTracer(tracer))
      assert.strictEqual(built, 2)
      assert.deepStrictEqual(
        spans.map((s) => [s.name, s.attributes.get("test.attribute")]),
        [
          ["Test.call", 1],
          ["Test.call", 1]
        ]
      )
    })
  )

  it.effect("with Effect's default tracer, no span is made and the attributes are never built", () =>
    Effect.gen(function* () {
      let built = 0
      const traced = operation("Test", "call", "test", () => {
        built++
        return { "test.attribute": 1 }
      })
      const inside = yield* traced(Effect.option(Effect.currentSpan))
      assert.isTrue(Option.isNone(inside))
      assert.strictEqual(built, 0)

      const { seen, sale } = payments()
      const payment = yield* sale
      assert.strictEqual(payment.amount.amount, 1050)
      assert.strictEqual(seen.length, 1)
      assert.isTrue(seen.every(Option.isNone))
    })
  )

  it.effect("with tracing disabled, no span is made even under a tracer of one's own", () =>
    Effect.gen(function* () {
      const { spans, tracer } = recordingTracer(yield* Effect.tracer)
      let built = 0
      const traced = operation("Test", "call", "test", () => {
        built++
        return {}
      })
      yield* traced(Effect.void).pipe(Effect.withTracerEnabled(false), Effect.withTracer(tracer))
      assert.strictEqual(built, 0)
      assert.strictEqual(spans.length, 0)
    })
  )

  it.effect("a port call under an outer span of the caller's runs inside it as its child", () =>
    Effect.gen(function* () {
      const { spans, tracer } = recordingTracer(yield* Effect.tracer)
      const { sale } = payments()
      yield* sale.pipe(Effect.withSpan("checkout"), Effect.withTracer(tracer))
      const outer = spans.find((s) => s.name === "checkout")
      const port = spans.find((s) => s.name === "Payments.create")
      assert.strictEqual(Option.getOrUndefined(port?.parent ?? Option.none())?.spanId, outer?.spanId)
    })
  )
})
