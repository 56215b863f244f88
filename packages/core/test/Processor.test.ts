import { assert, describe, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as FastCheck from "effect/FastCheck"
import * as Schema from "effect/Schema"
import { Ids, Ledger, Money, Payment, Processor, StateMachine } from "@payport/core"

const usd = (amount: number) => Money.unsafeMake(amount, "USD")

const payment = (status: Payment.PaymentStatus, processor?: Processor.Processor) =>
  Payment.Payment.make({
    ref: Ids.PaymentRef.make({ provider: "test", paymentId: Ids.PaymentId.make("p1") }),
    reference: Ids.OrderReference.make("order-1"),
    amount: usd(1000),
    ledger:
      status._tag === "Captured"
        ? Ledger.captured(usd(1000))
        : status._tag === "Authorized"
          ? Ledger.authorized(usd(1000))
          : Ledger.empty("USD"),
    captureMode: "automatic",
    method: Payment.MethodSummary.make({ kind: "Card" }),
    status,
    ...(processor === undefined ? {} : { processor }),
    createdAt: DateTime.unsafeMake(0)
  })

const approval = Processor.Processor.make({
  approvalCode: "831000",
  networkTransactionId: "016150703802094",
  responseCode: "00",
  avs: Processor.Verification.make({ code: "Y", raw: "Y", result: "match" })
})

describe("Processor", () => {
  it("fromParts leaves out missing and blank fields, and is undefined when nothing is left", () => {
    assert.isUndefined(Processor.fromParts({}))
    assert.isUndefined(Processor.fromParts({ approvalCode: "", responseCode: "  ", responseMessage: undefined }))
    const parts = Processor.fromParts({ approvalCode: "A898101", retrievalReference: "", responseMessage: "ok" })
    assert.deepStrictEqual(parts === undefined ? undefined : Schema.encodeSync(Processor.Processor)(parts), {
      approvalCode: "A898101",
      responseMessage: "ok"
    })
  })

  it("verification keeps the code and raw code, and reads only the codes the table lists", () => {
    const table = { Y: "match", N: "no_match" } as const
    const known = Processor.verification("y", "Y1", table)
    assert.strictEqual(known?.code, "y")
    assert.strictEqual(known?.raw, "Y1")
    assert.strictEqual(known?.result, "match")
    const unknown = Processor.verification("ARM", undefined, table)
    assert.strictEqual(unknown?.code, "ARM")
    assert.isUndefined(unknown?.result)
    assert.isUndefined(unknown?.raw)
    assert.isUndefined(Processor.verification("", "M", table))
    assert.isUndefined(Processor.verification(undefined, undefined, table))
  })

  it("merge prefers the preferred observation field by field and keeps the other's fields", () => {
    const later = Processor.Processor.make({ responseCode: "100", responseMessage: "settled" })
    const merged = Processor.merge(approval, later)
    assert.strictEqual(merged?.approvalCode, "831000")
    assert.strictEqual(merged?.networkTransactionId, "016150703802094")
    assert.strictEqual(merged?.responseCode, "100")
    assert.strictEqual(merged?.responseMessage, "settled")
    assert.strictEqual(merged?.avs?.result, "match")
    assert.strictEqual(Processor.merge(undefined, approval), approval)
    assert.strictEqual(Processor.merge(approval, undefined), approval)
    assert.isUndefined(Processor.merge(undefined, undefined))
  })
})

describe("mergePayment keeps processor details", () => {
  it("a later observation without them does not erase them", () => {
    const merged = StateMachine.mergePayment(payment({ _tag: "Authorized" }, approval), payment({ _tag: "Captured" }))
    assert.strictEqual(merged.status._tag, "Captured")
    assert.strictEqual(merged.processor?.approvalCode, "831000")
  })

  it("a stale observation fills what the current one lacks but does not overwrite it", () => {
    const current = payment({ _tag: "Captured" }, Processor.Processor.make({ responseCode: "100" }))
    const merged = StateMachine.mergePayment(current, payment({ _tag: "Processing" }, approval))
    assert.strictEqual(merged.status._tag, "Captured")
    assert.strictEqual(merged.processor?.responseCode, "100")
    assert.strictEqual(merged.processor?.approvalCode, "831000")
  })

  it("a payment without processor details on either side stays without", () => {
    const merged = StateMachine.mergePayment(payment({ _tag: "Authorized" }), payment({ _tag: "Captured" }))
    assert.isUndefined(merged.processor)
  })

  it.prop(
    "no field present in either observation is lost by a merge, in either order",
    [FastCheck.boolean(), FastCheck.boolean()],
    ([firstHas, secondHas]) => {
      const a = payment({ _tag: "Authorized" }, firstHas ? approval : undefined)
      const b = payment(
        { _tag: "Captured" },
        secondHas ? Processor.Processor.make({ responseMessage: "ok" }) : undefined
      )
      for (const merged of [StateMachine.mergePayment(a, b), StateMachine.mergePayment(b, a)]) {
        assert.strictEqual(merged.processor?.approvalCode, firstHas ? "831000" : undefined)
        assert.strictEqual(merged.processor?.responseMessage, secondHas ? "ok" : undefined)
      }
    }
  )
})

describe("Payment with processor details", () => {
  it("encodes and decodes, completion time included", () => {
    const completed = Processor.Processor.make({
      approvalCode: "A898101",
      completedAt: DateTime.unsafeMake("2021-07-23T06:48:59Z")
    })
    const original = payment({ _tag: "Captured" }, completed)
    const encoded = Schema.encodeSync(Payment.Payment)(original)
    assert.deepStrictEqual(encoded.processor, { approvalCode: "A898101", completedAt: "2021-07-23T06:48:59.000Z" })
    const decoded = Schema.decodeUnknownSync(Payment.Payment)(encoded)
    assert.strictEqual(decoded.processor?.approvalCode, "A898101")
    assert.strictEqual(decoded.processor?.completedAt?.epochMillis, Date.parse("2021-07-23T06:48:59Z"))
  })
})
