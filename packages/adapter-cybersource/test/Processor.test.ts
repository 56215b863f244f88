/**
 * Processor details (issue 17 point 5): `processorInformation` of every sandbox transcript and
 * every swagger response example decodes into the core `processor` record, through the ports
 * where the body is a payment's answer (201 or TSS details).
 */
import * as Payments from "@payport/core/Payments"
import * as Processor from "@payport/core/Processor"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { readFileSync } from "node:fs"
import * as Mapping from "../src/internal/mapping.js"
import * as Wire from "../src/internal/wire.js"
import { provider, type Recorded, ref, type Reply, tss } from "./support/Stub.js"
import * as T from "./support/Transcripts.js"

type Json = null | boolean | number | string | ReadonlyArray<Json> | { readonly [key: string]: Json }
type Obj = { readonly [key: string]: Json }

const json = (text: string): Obj => JSON.parse(text) as Obj
const isObj = (value: Json | undefined): value is Obj =>
  typeof value === "object" && value !== null && !Array.isArray(value)

const only =
  (key: string, reply: () => Reply) =>
  (request: Recorded): Reply =>
    `${request.method} ${request.path}`.startsWith(key)
      ? reply()
      : { status: 599, body: { unexpected: `${request.method} ${request.path}` } }

const processorOfBody = (body: Obj) => {
  const decoded = Schema.decodeUnknownSync(Wire.PaymentResponse)(body)
  return Mapping.processorOf(decoded.processorInformation, decoded.submitTimeUtc)
}

describe("sandbox transcripts: processorInformation of the follow-on fixtures and the quoted sale", () => {
  // The §1 exchanges and the §2 purchase fixture are checked through the ports in Transcripts.test.ts.
  it("§2 void fixture: retrieval reference number, approval code, network id, AVS Z (partial)", () => {
    const processor = processorOfBody(json(T.fixtures.successful_void_response ?? ""))
    assert.strictEqual(processor?.retrievalReference, "785652341")
    assert.strictEqual(processor?.approvalCode, "7883243")
    assert.strictEqual(processor?.networkTransactionId, "0972342342342353")
    assert.strictEqual(processor?.transactionId, "00012321324232")
    assert.strictEqual(processor?.responseCode, "00")
    assert.strictEqual(processor?.avs?.code, "Z")
    assert.strictEqual(processor?.avs?.result, "partial")
  })

  it("§2 credit fixture: approval and response codes", () => {
    const processor = processorOfBody(json(T.fixtures.successful_credit_response ?? ""))
    assert.strictEqual(processor?.approvalCode, "888888")
    assert.strictEqual(processor?.responseCode, "100")
    assert.strictEqual(processor?.completedAt?.epochMillis, Date.parse("2023-03-27T20:45:09Z"))
  })

  it("§2 capture fixture has no processorInformation: no record", () => {
    assert.isUndefined(processorOfBody(json(T.fixtures.successful_capture_response ?? "")))
  })

  it("§3 the quoted sale's card verification (M, M) reads as a match", () => {
    const fragment = /"cardVerification":(\{[^}]*\})/.exec(T.quoted[3] ?? "")?.[1]
    assert.isDefined(fragment, "the quoted body carries cardVerification")
    const info = Schema.decodeUnknownSync(Wire.ProcessorInformation)({ cardVerification: JSON.parse(fragment ?? "{}") })
    const processor = Mapping.processorOf(info, undefined)
    assert.deepStrictEqual(
      processor?.cvv === undefined ? undefined : Schema.encodeSync(Processor.Verification)(processor.cvv),
      { code: "M", raw: "M", result: "match" }
    )
    assert.isUndefined(processor?.completedAt)
  })
})

describe("swagger examples: every response example with processorInformation decodes", () => {
  const swagger = JSON.parse(
    readFileSync(`${process.env.PAYPORT_SHARED_DIR}/specs/cybersource-rest-2020.swagger.json`, "utf8")
  ) as { readonly paths: Readonly<Record<string, Readonly<Record<string, Json>>>> }
  const examples = Object.entries(swagger.paths).flatMap(([path, operations]) =>
    Object.entries(operations).flatMap(([method, operation]) => {
      const responses = isObj(operation) && isObj(operation.responses) ? operation.responses : {}
      return Object.entries(responses).flatMap(([status, response]) => {
        const schema = isObj(response) && isObj(response.schema) ? response.schema : {}
        const example = isObj(schema.example) ? schema.example : undefined
        return example !== undefined && isObj(example.processorInformation)
          ? [[`${method.toUpperCase()} ${path} ${status}`, example] as const]
          : []
      })
    })
  )

  it("the swagger has such examples (payments, reversals, payouts, TSS details)", () => {
    const names = examples.map(([name]) => name)
    assert.include(names, "POST /pts/v2/payments 201")
    assert.include(names, "GET /tss/v2/transactions/{id} 200")
    assert.isAtLeast(examples.length, 5)
  })

  for (const [name, example] of examples) {
    it(name, () => {
      const source = example.processorInformation as Obj
      const text = (value: Json | undefined) => (typeof value === "string" && value.trim() !== "" ? value : undefined)
      const info = Schema.decodeUnknownSync(Wire.ProcessorInformation)(source)
      const processor = Mapping.processorOf(info, text(example.submitTimeUtc) ?? text(example.submitTimeUTC))
      assert.isDefined(processor)
      assert.strictEqual(processor?.approvalCode, text(source.approvalCode))
      assert.strictEqual(processor?.responseCode, text(source.responseCode))
      assert.strictEqual(processor?.transactionId, text(source.transactionId))
      assert.strictEqual(processor?.networkTransactionId, text(source.networkTransactionId))
      const avs = isObj(source.avs) ? source.avs : {}
      assert.strictEqual(processor?.avs?.code, text(avs.code))
      assert.strictEqual(processor?.avs?.raw, text(avs.codeRaw))
      const cvn = isObj(source.cardVerification) ? source.cardVerification : {}
      assert.strictEqual(processor?.cvv?.code, text(cvn.resultCode))
    })
  }

  it("the payment 201 example: 888888, 100, AVS X/I1 a match, the blank CVN result left out", () => {
    const example = examples.find(([name]) => name === "POST /pts/v2/payments 201")?.[1]
    const processor = Mapping.processorOf(
      Schema.decodeUnknownSync(Wire.ProcessorInformation)(example?.processorInformation),
      undefined
    )
    assert.strictEqual(processor?.approvalCode, "888888")
    assert.strictEqual(processor?.responseCode, "100")
    assert.strictEqual(processor?.avs?.result, "match")
    assert.isUndefined(processor?.cvv)
  })

  it("the TSS example: processor name, ids; an undocumented AVS code keeps no neutral reading", () => {
    const example = examples.find(([name]) => name === "GET /tss/v2/transactions/{id} 200")?.[1]
    const processor = Mapping.processorOf(
      Schema.decodeUnknownSync(Wire.ProcessorInformation)(example?.processorInformation),
      "2018-07-31T17:26:14Z"
    )
    assert.strictEqual(processor?.name, "paymentProcessor1234")
    assert.strictEqual(processor?.transactionId, "processortransactionid123")
    assert.strictEqual(processor?.networkTransactionId, "networktransactionid67890")
    assert.strictEqual(processor?.approvalCode, "authcode1234567")
    assert.strictEqual(processor?.avs?.code, "ARM")
    assert.isUndefined(processor?.avs?.result)
    assert.strictEqual(processor?.completedAt?.epochMillis, Date.parse("2018-07-31T17:26:14Z"))
  })
})

describe("TSS details: a payment read back carries its processor details", () => {
  it.effect("GET /tss/v2/transactions/{id} with processorInformation → payment.processor", () => {
    const details = {
      ...tss({ id: "6750124114786780104953", status: "AUTHORIZED" }),
      processorInformation: {
        processor: { name: "vdcpaymentech" },
        approvalCode: "888888",
        networkTransactionId: "123456789619999",
        transactionId: "123456789619999",
        responseCode: "100",
        avs: { code: "N", codeRaw: "N" },
        cardVerification: { resultCode: "N" }
      }
    }
    const p = provider(only("GET /tss/v2/transactions/6750124114786780104953", () => ({ status: 200, body: details })))
    return Effect.gen(function* () {
      const payment = yield* Payments.get(ref("6750124114786780104953"))
      assert.strictEqual(payment.status._tag, "Authorized")
      assert.strictEqual(payment.processor?.name, "vdcpaymentech")
      assert.strictEqual(payment.processor?.approvalCode, "888888")
      assert.strictEqual(payment.processor?.networkTransactionId, "123456789619999")
      assert.strictEqual(payment.processor?.avs?.result, "no_match")
      assert.strictEqual(payment.processor?.cvv?.result, "no_match")
      assert.strictEqual(payment.processor?.completedAt?.epochMillis, Date.parse("2026-01-01T00:00:00Z"))
    }).pipe(Effect.provide(p.layer))
  })

  it.effect("a TSS record without processorInformation → no processor record", () => {
    const p = provider(
      only("GET /tss/v2/transactions/1", () => ({ status: 200, body: tss({ id: "1", status: "AUTHORIZED" }) }))
    )
    return Effect.gen(function* () {
      const payment = yield* Payments.get(ref("1"))
      assert.isUndefined(payment.processor)
    }).pipe(Effect.provide(p.layer))
  })

  it("a numeric code (outside the documented text) is read, not a failed decode", () => {
    const info = Schema.decodeUnknownSync(Wire.ProcessorInformation)({ responseCode: 0, approvalCode: 123456 })
    const processor = Mapping.processorOf(info, undefined)
    assert.strictEqual(processor?.responseCode, "0")
    assert.strictEqual(processor?.approvalCode, "123456")
  })
})

describe("AVS and CVN tables", () => {
  it("cover every code of the AVS and CVN references, each with a reading", () => {
    const avs = "ABCDEFGHIJKLMNOPQRSTUVWXYZ1234".split("")
    assert.deepStrictEqual(Object.keys(Mapping.avsResults).sort(), [...avs].sort())
    assert.deepStrictEqual(Object.keys(Mapping.cvnResults).sort(), [
      "1",
      "2",
      "3",
      "D",
      "I",
      "M",
      "N",
      "P",
      "S",
      "U",
      "X"
    ])
  })
})
