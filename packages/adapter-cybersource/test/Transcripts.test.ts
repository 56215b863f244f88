/**
 * Every real response in cybersource-sandbox-transcripts.md decodes through the adapter to the
 * right core status, amount and error.
 */
import * as Authorization from "@payport/core/Authorization"
import * as Money from "@payport/core/Money"
import * as PaymentMethod from "@payport/core/PaymentMethod"
import * as Payments from "@payport/core/Payments"
import * as Processor from "@payport/core/Processor"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as CyberSourcePayments from "../src/CyberSourcePayments.js"
import { provider, type Recorded, ref, type Reply, tss } from "./support/Stub.js"
import * as T from "./support/Transcripts.js"

const card = PaymentMethod.card({ number: "4111111111111111", expiry: { month: 12, year: 2031 }, cvv: "987" })
const usd = (minor: number) => Money.unsafeMake(minor, "USD")
const json = (text: string): unknown => JSON.parse(text)

const route =
  (routes: ReadonlyArray<readonly [string, (r: Recorded) => Reply]>) =>
  (request: Recorded): Reply => {
    const hit = routes.find(([key]) => `${request.method} ${request.path}`.startsWith(key))
    return hit === undefined
      ? { status: 599, body: { unexpected: `${request.method} ${request.path}` } }
      : hit[1](request)
  }

describe("sandbox transcripts decode through the adapter", () => {
  it.effect("§1 authorization 201 AUTHORIZED → Authorized, 102.21 USD, ref = id", () => {
    const p = provider(route([["POST /pts/v2/payments", () => ({ status: 201, body: json(T.exchanges[0] ?? "") })]]))
    return Effect.gen(function* () {
      const payment = yield* Authorization.authorize({
        reference: "b8779865d140125036016a0f85db907f",
        amount: usd(10221),
        method: card
      })
      assert.strictEqual(payment.status._tag, "Authorized")
      assert.strictEqual(payment.ref.paymentId, "6750124114786780104953")
      assert.strictEqual(payment.ref.provider, "cybersource")
      assert.deepStrictEqual(payment.ledger.authorized, usd(10221))
      assert.strictEqual(payment.ledger.captured.amount, 0)
      assert.strictEqual(payment.method.display, "•••• 1111")
      assert.strictEqual(payment.captureMode, "manual")
      const processor = payment.processor
      assert.strictEqual(processor?.approvalCode, "888888")
      assert.strictEqual(processor?.networkTransactionId, "123456789619999")
      assert.strictEqual(processor?.transactionId, "123456789619999")
      assert.strictEqual(processor?.responseCode, "100")
      assert.deepStrictEqual(
        processor?.avs === undefined ? undefined : Schema.encodeSync(Processor.Verification)(processor.avs),
        { code: "X", raw: "I1", result: "match" }
      )
      assert.isUndefined(processor?.cvv)
      assert.strictEqual(processor?.completedAt?.epochMillis, Date.parse("2023-01-29T17:13:31Z"))
    }).pipe(Effect.provide(p.layer))
  })

  it.effect("§1 network-token authorization 201 AUTHORIZED → Authorized", () => {
    const p = provider(route([["POST /pts/v2/payments", () => ({ status: 201, body: json(T.exchanges[1] ?? "") })]]))
    return Effect.gen(function* () {
      const payment = yield* Authorization.authorize({
        reference: "ba20ae354e25edd1a5ab27158c0a2955",
        amount: usd(10221),
        method: PaymentMethod.networkToken({
          tokenPan: "4111111111111111",
          cryptogram: "EHuWW9PiBkWvqE5juRwDzAUFBAk=",
          expiry: { month: 9, year: 2031 }
        })
      })
      assert.strictEqual(payment.status._tag, "Authorized")
      assert.strictEqual(payment.ref.paymentId, "7145981349676498704951")
      assert.strictEqual(payment.method.kind, "NetworkToken")
      const sent = JSON.parse(p.recorded[0]?.body ?? "{}") as {
        paymentInformation: { tokenizedCard: Record<string, string> }
      }
      assert.strictEqual(sent.paymentInformation.tokenizedCard.cryptogram, "EHuWW9PiBkWvqE5juRwDzAUFBAk=")
      assert.strictEqual(sent.paymentInformation.tokenizedCard.transactionType, "3")
      const processor = payment.processor
      assert.strictEqual(processor?.approvalCode, "831000")
      assert.strictEqual(processor?.networkTransactionId, "016150703802094")
      assert.strictEqual(processor?.responseCode, "00")
      assert.strictEqual(processor?.avs?.result, "match")
      // The token requestor id and the merchant number are not processor details; nothing secret is.
      const recorded = JSON.stringify(processor === undefined ? {} : Schema.encodeSync(Processor.Processor)(processor))
      for (const value of ["4111111111111111", "EHuWW9PiBkWvqE5juRwDzAUFBAk=", "12121212121", "000123456789012"]) {
        assert.notInclude(recorded, value)
      }
    }).pipe(Effect.provide(p.layer))
  })

  it.effect("§2 purchase response (with a misspelt extra field) → a sale is Captured", () => {
    const body = T.fixtures.successful_purchase_response ?? ""
    assert.include(body, "networkTransactiDDDonId")
    const p = provider(route([["POST /pts/v2/payments", () => ({ status: 201, body: json(body) })]]))
    return Effect.gen(function* () {
      const payment = yield* Payments.create({
        reference: "b8779865d140125036016a0f85db907f",
        amount: usd(10221),
        method: card
      })
      assert.strictEqual(payment.status._tag, "Captured")
      assert.strictEqual(payment.captureMode, "automatic")
      assert.deepStrictEqual(payment.ledger.captured, usd(10221))
      // The misspelt network id is left out; the rest of processorInformation is read.
      assert.strictEqual(payment.processor?.approvalCode, "888888")
      assert.strictEqual(payment.processor?.transactionId, "123456789619999")
      assert.isUndefined(payment.processor?.networkTransactionId)
    }).pipe(Effect.provide(p.layer))
  })

  it.effect("§2 capture response PENDING → the payment is captured by the amount", () => {
    const p = provider(
      route([
        [
          "GET /tss/v2/transactions/6750124114786780104953",
          () => ({ status: 200, body: tss({ id: "6750124114786780104953", status: "AUTHORIZED" }) })
        ],
        [
          "POST /pts/v2/payments/6750124114786780104953/captures",
          () => ({ status: 201, body: json(T.fixtures.successful_capture_response ?? "") })
        ]
      ])
    )
    return Effect.gen(function* () {
      const held = yield* Payments.get(ref("6750124114786780104953"))
      const captured = yield* Authorization.capture({ payment: held.ref, amount: usd(10221) })
      assert.strictEqual(captured.status._tag, "Captured")
      assert.deepStrictEqual(captured.ledger.captured, usd(10221))
      const sent = JSON.parse(p.recorded.at(-1)?.body ?? "{}") as {
        readonly clientReferenceInformation?: { readonly comments?: string }
        readonly orderInformation?: unknown
      }
      assert.deepStrictEqual(sent.orderInformation, { amountDetails: { totalAmount: "102.21", currency: "USD" } })
      // the capture's idempotency key, echoed by TSS so a replay finds this capture
      assert.match(sent.clientReferenceInformation?.comments ?? "", /^payport-idempotency [0-9a-f]{30}$/)
    }).pipe(Effect.provide(p.layer))
  })

  it.effect("§2 credit response (lowercase currency, creditAmountDetails) → a Pending refund of 200.00 USD", () => {
    const p = provider(
      route([
        [
          "GET /tss/v2/transactions/6799499091686234304951",
          () => ({
            status: 200,
            body: tss({
              id: "6799499091686234304951",
              status: "PENDING",
              amount: "200.00",
              applications: ["ics_auth", "ics_bill"]
            })
          })
        ],
        [
          "POST /pts/v2/payments/6799499091686234304951/refunds",
          () => ({ status: 201, body: json(T.fixtures.successful_credit_response ?? "") })
        ]
      ])
    )
    return Effect.gen(function* () {
      const refund = yield* Payments.refund({
        payment: ref("6799499091686234304951"),
        amount: usd(20000)
      })
      assert.strictEqual(refund.status._tag, "Pending")
      assert.deepStrictEqual(refund.amount, usd(20000))
      assert.strictEqual(refund.ref.refundId, "6799499091686234304951")
    }).pipe(Effect.provide(p.layer))
  })

  it.effect("§2 void response (ACCEPTED, JOD 6.400, three decimals) → Voided", () => {
    const p = provider(
      route([
        [
          "GET /tss/v2/transactions/123",
          () => ({ status: 200, body: tss({ id: "123", status: "AUTHORIZED", amount: "6.400", currency: "JOD" }) })
        ],
        [
          "POST /pts/v2/payments/123/reversals",
          () => ({ status: 201, body: json(T.fixtures.successful_void_response ?? "") })
        ]
      ])
    )
    return Effect.gen(function* () {
      const voided = yield* Authorization.void({ payment: ref("123") })
      assert.strictEqual(voided.status._tag, "Voided")
      assert.deepStrictEqual(voided.amount, Money.unsafeMake(6400, "JOD"))
      const sent = JSON.parse(p.recorded.at(-1)?.body ?? "{}") as { reversalInformation: { amountDetails: unknown } }
      assert.deepStrictEqual(sent.reversalInformation.amountDetails, { totalAmount: "6.400", currency: "JOD" })
    }).pipe(Effect.provide(p.layer))
  })

  it.effect("§3 400 INVALID_DATA naming a field → InvalidRequest with the reason", () => {
    const body = {
      ...(json(T.quoted[0] ?? "") as object),
      details: [{ field: "orderInformation", reason: "INVALID_DATA" }]
    }
    const p = provider(route([["POST /pts/v2/payments", () => ({ status: 400, body })]]))
    return Effect.gen(function* () {
      const error = yield* Effect.flip(Payments.create({ reference: "dup-1", amount: usd(100), method: card }))
      assert.strictEqual(error._tag, "InvalidRequest")
      assert.strictEqual(error.httpStatus, 400)
      assert.include(error.message, "INVALID_DATA")
    }).pipe(Effect.provide(p.layer))
  })

  it.effect("§3 400 INVALID_DATA without details (a repeated transactionId), nothing found → OutcomeUnknown", () => {
    const p = provider(
      route([
        ["POST /pts/v2/payments", () => ({ status: 400, body: json(T.quoted[0] ?? "") })],
        ["POST /tss/v2/searches", () => ({ status: 201, body: { count: 0, _embedded: { transactionSummaries: [] } } })]
      ])
    )
    return Effect.gen(function* () {
      const idempotencyKey = "transcript-repeat-key-1"
      const error = yield* Effect.flip(
        Payments.create({ reference: "dup-2", amount: usd(100), method: card, idempotencyKey })
      )
      assert.strictEqual(error._tag, "OutcomeUnknown")
      if (error._tag === "OutcomeUnknown") assert.strictEqual(error.idempotencyKey, idempotencyKey)
      assert.isAbove(p.recorded.filter((r) => r.url.pathname === "/tss/v2/searches").length, 0, "looked up first")
    }).pipe(Effect.provide(p.layer))
  })

  it.effect("§3 404 with the trailing-space reason → NotFound", () => {
    const p = provider(route([["GET /tss/v2/transactions/", () => ({ status: 404, body: json(T.quoted[1] ?? "") })]]))
    return Effect.gen(function* () {
      const error = yield* Effect.flip(Payments.get(ref("999")))
      assert.strictEqual(error._tag, "NotFound")
      if (error._tag === "NotFound") assert.strictEqual(error.id, "999")
    }).pipe(Effect.provide(p.layer))
  })

  it.effect(
    "§3 502 SYSTEM_ERROR with an id → OutcomeUnknown carrying that id for a capture; ProviderUnavailable for a read",
    () => {
      const p = provider(
        route([
          ["GET /tss/v2/transactions/77", () => ({ status: 200, body: tss({ id: "77", status: "AUTHORIZED" }) })],
          ["GET /tss/v2/transactions/", () => ({ status: 502, body: json(T.quoted[2] ?? "") })],
          ["POST /pts/v2/payments/77/captures", () => ({ status: 502, body: json(T.quoted[2] ?? "") })]
        ])
      )
      return Effect.gen(function* () {
        const capture = yield* Effect.flip(Authorization.capture({ payment: ref("77"), amount: usd(100) }))
        assert.strictEqual(capture._tag, "OutcomeUnknown")
        if (capture._tag === "OutcomeUnknown") assert.strictEqual(capture.providerRef, "758083*******3867")
        const read = yield* Effect.flip(Payments.get(ref("78")))
        assert.strictEqual(read._tag, "ProviderUnavailable")
      }).pipe(Effect.provide(p.layer))
    }
  )

  it.effect("§3 an empty search answered 404 count:0 → an empty list", () => {
    const p = provider(route([["POST /tss/v2/searches", () => ({ status: 404, body: { count: 0, totalCount: 0 } })]]))
    return Effect.gen(function* () {
      assert.deepStrictEqual(yield* Payments.list("order-none"), [])
    }).pipe(Effect.provide(p.layer))
  })

  it.effect("§3 the truncated sale body → OutcomeUnknown, nothing thrown", () => {
    const p = provider(route([["POST /pts/v2/payments", () => ({ status: 201, body: T.quoted[3] ?? "" })]]))
    return Effect.gen(function* () {
      const error = yield* Effect.flip(
        Payments.create({ reference: "ref_000987654321", amount: usd(499), method: card })
      )
      assert.strictEqual(error._tag, "OutcomeUnknown")
    }).pipe(Effect.provide(p.layer))
  })

  it.effect("401 {response:{rmsg}} → Unauthenticated with the message", () => {
    const p = provider(
      route([["GET ", () => ({ status: 401, body: { response: { rmsg: "Authentication Failed" } } })]])
    )
    return Effect.gen(function* () {
      const error = yield* Effect.flip(Payments.get(ref("1")))
      assert.strictEqual(error._tag, "Unauthenticated")
      assert.include(error.message, "Authentication Failed")
    }).pipe(Effect.provide(p.layer))
  })

  it.effect("refund of one capture goes to /pts/v2/captures/{id}/refunds", () => {
    const p = provider(
      route([
        [
          "POST /pts/v2/captures/6799471903876585704951/refunds",
          () => ({ status: 201, body: json(T.fixtures.successful_credit_response ?? "") })
        ]
      ])
    )
    return Effect.gen(function* () {
      const refund = yield* CyberSourcePayments.refundCapture({
        captureId: "6799471903876585704951",
        payment: ref("6750124114786780104953"),
        amount: usd(20000),
        idempotencyKey: "refund-key-1"
      })
      assert.strictEqual(refund.status._tag, "Pending")
      assert.strictEqual(refund.ref.payment.paymentId, "6750124114786780104953")
    }).pipe(Effect.provide(p.layer))
  })
})
