/**
 * Processor details (issue 17 point 5): every payment entity in the Cashfree documents — the
 * three OpenAPI versions, the 2025-01-01 examples file and the SDK seed documents — decodes into a
 * core payment whose `processor` record carries the entity's approval code, bank reference,
 * completion time, message and gateway ids.
 */
import { assert, describe, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { readdirSync, readFileSync } from "node:fs"
import * as Processor from "@payport/core/Processor"
import * as Mapping from "../src/internal/mapping.js"
import * as Wire from "../src/internal/wire.js"
import { responseExamples } from "./support/OpenApi.js"

type Json = null | boolean | number | string | ReadonlyArray<Json> | { readonly [key: string]: Json }
type Obj = { readonly [key: string]: Json }

const shared = process.env.PAYPORT_SHARED_DIR ?? ""
const now = DateTime.unsafeMake(0)

/** The core payment of a payment entity as Cashfree sends it, failing the test when it does not map. */
const paymentOf = (input: unknown, context: Partial<Mapping.PaymentContext> = {}) => {
  const mapped = Mapping.paymentFromEntity(Schema.decodeUnknownSync(Wire.PaymentEntity)(input), { now, ...context })
  if (Either.isLeft(mapped)) return assert.fail(mapped.left)
  return mapped.right
}

const isObj = (value: Json | undefined): value is Obj =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/** Every object under `node` that is a payment entity example (a string `payment_status` and an id). */
const paymentEntities = (node: Json, path: string, found: Array<readonly [string, Obj]> = []) => {
  if (Array.isArray(node)) {
    for (const [i, item] of (node as ReadonlyArray<Json>).entries()) paymentEntities(item, `${path}/${i}`, found)
  } else if (isObj(node)) {
    if (typeof node.payment_status === "string" && node.cf_payment_id !== undefined) found.push([path, node])
    for (const [key, value] of Object.entries(node)) paymentEntities(value, `${path}/${key}`, found)
  }
  return found
}

/** The JSON blocks of a seed document (lines `{`/`[` … `}`/`]` that parse). */
const jsonBlocks = (text: string): ReadonlyArray<Json> => {
  const lines = text.split("\n")
  const blocks: Array<Json> = []
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== "{" && lines[i] !== "[") continue
    for (let j = i + 1; j < lines.length; j++) {
      if (lines[j] !== "}" && lines[j] !== "]") continue
      try {
        blocks.push(JSON.parse(lines.slice(i, j + 1).join("\n")) as Json)
        i = j
        break
      } catch {
        // not closed yet: a nested `}` line
      }
    }
  }
  return blocks
}

const documents: ReadonlyArray<readonly [string, Json]> = [
  ...["2022-09-01", "2023-08-01", "2025-01-01"].map(
    (version) =>
      [
        `cashfree-pg-${version}.openapi.json`,
        JSON.parse(readFileSync(`${shared}/specs/cashfree-pg-${version}.openapi.json`, "utf8")) as Json
      ] as const
  ),
  [
    "cashfree-examples-2025-01-01.json",
    JSON.parse(readFileSync(`${shared}/providers/cashfree-examples-2025-01-01.json`, "utf8")) as Json
  ],
  ...readdirSync(`${shared}/seeds`).map(
    (name) => [`seeds/${name}`, jsonBlocks(readFileSync(`${shared}/seeds/${name}`, "utf8"))] as const
  )
]

const text = (value: Json | undefined): string | undefined =>
  typeof value === "string" && value.trim().length > 0 ? value : typeof value === "number" ? String(value) : undefined

describe("processor details from every documented payment entity", () => {
  // Subscription payments are another product's entity (no order, a string `payment_method`).
  const all = documents
    .flatMap(([name, doc]) => paymentEntities(doc, name))
    .filter(([path]) => !/Subscription/.test(path))

  it("the documents hold payment entities to check (specs, examples file, seeds)", () => {
    const sources = new Set(all.map(([path]) => path.split("/")[0]))
    for (const source of ["cashfree-pg-2022-09-01.openapi.json", "cashfree-pg-2025-01-01.openapi.json", "seeds"]) {
      assert.isTrue(sources.has(source), `no payment entity found in ${source}`)
    }
    assert.isAtLeast(all.length, 12)
  })

  for (const [path, example] of all) {
    it(path, () => {
      const payment = paymentOf(example, { currency: "INR" })
      const processor = payment.processor
      assert.isDefined(processor, "an entity with processor fields maps to a processor record")
      assert.strictEqual(processor?.approvalCode, text(example.auth_id))
      assert.strictEqual(processor?.retrievalReference, text(example.bank_reference))
      const error = isObj(example.error_details) ? example.error_details : {}
      assert.strictEqual(processor?.responseMessage, text(error.error_description_raw) ?? text(example.payment_message))
      assert.strictEqual(processor?.responseCode, text(error.error_code_raw))
      const completion = text(example.payment_completion_time)
      assert.strictEqual(
        processor?.completedAt?.epochMillis,
        completion === undefined ? undefined : Date.parse(completion)
      )
      const gateway = isObj(example.payment_gateway_details) ? example.payment_gateway_details : undefined
      assert.strictEqual(processor?.name, text(gateway?.gateway_name))
      const gatewayId = text(gateway?.gateway_payment_id)
      assert.strictEqual(processor?.transactionId, gatewayId === payment.ref.paymentId ? undefined : gatewayId)
      // Nothing of the card itself: the masked number stays in the method summary.
      const card =
        isObj(example.payment_method) && isObj(example.payment_method.card) ? example.payment_method.card : {}
      const recorded = JSON.stringify(processor === undefined ? {} : Schema.encodeSync(Processor.Processor)(processor))
      if (typeof card.card_number === "string") assert.notInclude(recorded, card.card_number)
    })
  }

  it("SPEC25's list example: the documented values, field by field", () => {
    const examples = responseExamples("GET", "/orders/{order_id}/payments")[0]?.value
    const [success] = Array.isArray(examples) ? examples : assert.fail("no example")
    const processor = paymentOf(success).processor
    assert.strictEqual(processor?.approvalCode, "A898101")
    assert.strictEqual(processor?.retrievalReference, "P78112898712")
    assert.strictEqual(processor?.name, "CASHFREE")
    assert.strictEqual(processor?.transactionId, "XABDJ2213")
    assert.strictEqual(processor?.responseMessage, "Transaction successful")
    assert.strictEqual(processor?.completedAt?.epochMillis, Date.parse("2021-07-23T06:48:59Z"))
    assert.isUndefined(processor?.responseCode)
  })
})

describe("processor details beyond the list examples", () => {
  it("a card entry's network reference is the network transaction id (SPEC25 PaymentMethodCardInPaymentsEntity)", () => {
    const payment = paymentOf({
      cf_payment_id: "5114910",
      order_id: "order_1",
      order_amount: 10,
      order_currency: "INR",
      payment_status: "SUCCESS",
      is_captured: true,
      auth_id: "A1",
      payment_method: {
        card: {
          channel: "link",
          card_number: "41111xxxxxx111",
          card_network: "visa",
          card_network_reference_id: "100212023061229"
        }
      }
    })
    assert.strictEqual(payment.processor?.networkTransactionId, "100212023061229")
    assert.strictEqual(payment.processor?.approvalCode, "A1")
  })

  it("a failed payment's response is the issuer's raw answer (SPEC25 ErrorDetailsInPaymentsEntity example)", () => {
    const payment = paymentOf({
      cf_payment_id: "12376124",
      order_id: "order_8123",
      order_amount: 10.01,
      order_currency: "INR",
      payment_status: "FAILED",
      payment_message: "Transaction failed",
      payment_group: "upi",
      error_details: {
        error_code: "TRANSACTION_DECLINED",
        error_description: "issuer bank or payment service provider declined the transaction",
        error_reason: "auth_declined",
        error_source: "customer",
        error_code_raw: "ZM",
        error_description_raw: "INVALID / INCORRECT MPIN",
        error_subcode_raw: ""
      }
    })
    assert.strictEqual(payment.status._tag, "Failed")
    assert.strictEqual(payment.processor?.responseCode, "ZM")
    assert.strictEqual(payment.processor?.responseMessage, "INVALID / INCORRECT MPIN")
  })

  it("a numeric bank_reference (SPEC25 charges webhook example) reads as text", () => {
    const payment = paymentOf({
      cf_payment_id: "1234881617186388204",
      order_id: "order_1",
      order_amount: 1,
      order_currency: "INR",
      payment_status: "SUCCESS",
      bank_reference: 210396
    })
    assert.strictEqual(payment.processor?.retrievalReference, "210396")
  })

  it("a payment webhook's data-level gateway details reach the payment (SPEC25 PaymentWebhook)", () => {
    const data = Schema.decodeUnknownSync(Wire.PaymentWebhookData)({
      order: { order_id: "order_8123", order_amount: 10.01, order_currency: "INR" },
      payment: {
        cf_payment_id: 12376123,
        payment_status: "SUCCESS",
        payment_amount: 10.01,
        payment_currency: "INR",
        payment_message: "Transaction successful",
        bank_reference: "P78112898712",
        auth_id: "A898101",
        payment_group: "credit_card",
        payment_method: { card: { channel: "link", card_number: "xxxxxx1111" } }
      },
      payment_gateway_details: {
        gateway_name: "CASHFREE",
        gateway_order_id: "1234421ABD",
        gateway_payment_id: "XABDJ2213",
        gateway_status_code: "00"
      }
    })
    const mapped = Mapping.paymentFromEntity(data.payment, { orderId: data.order.order_id, currency: "INR", now })
    if (Either.isLeft(mapped)) assert.fail(mapped.left)
    const payment = mapped.right
    assert.strictEqual(payment.processor?.name, "CASHFREE")
    assert.strictEqual(payment.processor?.transactionId, "XABDJ2213")
    assert.strictEqual(payment.processor?.responseCode, "00")
    assert.strictEqual(payment.processor?.approvalCode, "A898101")
  })

  it("an entity without processor fields has no processor record", () => {
    const payment = paymentOf({
      cf_payment_id: "1",
      order_id: "order_1",
      order_amount: 1,
      order_currency: "INR",
      payment_status: "PENDING",
      auth_id: null,
      bank_reference: null,
      payment_completion_time: null,
      payment_gateway_details: { gateway_reference_name: "" }
    })
    assert.isUndefined(payment.processor)
  })
})
