/**
 * The HTTP truth endpoint (`GET /__payport/truth`) of both emulators, over real loopback HTTP:
 * money moved through each provider's own wire API is counted per reference, the answer has
 * exactly the documented fields (integer minor units, nothing secret), no fault rule reaches it,
 * and it lives outside the provider's API paths.
 */
import { createHash, createHmac } from "node:crypto"
import { assert, describe, it } from "@effect/vitest"
import * as CashfreeEmulator from "@payport/emulators/CashfreeEmulator"
import * as CyberSourceEmulator from "@payport/emulators/CyberSourceEmulator"
import * as EmulatorFaults from "@payport/emulators/EmulatorFaults"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"

// ---------------------------------------------------------------------------------------------
// The documented answer, decoded strictly: an extra field (a card number, a token) fails the
// decode, and amounts must be integers.
// ---------------------------------------------------------------------------------------------

const Attempt = Schema.Struct({
  id: Schema.String,
  status: Schema.String,
  kind: Schema.Literal("sale", "authorization"),
  approved: Schema.Boolean,
  currency: Schema.String,
  amount: Schema.Int,
  authorized: Schema.Int,
  captures: Schema.Int,
  captured: Schema.Int,
  refunds: Schema.Int,
  refunded: Schema.Int
})

const totalsFields = {
  currency: Schema.NullOr(Schema.String),
  charges: Schema.Int,
  captures: Schema.Int,
  captured: Schema.NullOr(Schema.Int),
  refunds: Schema.Int,
  refunded: Schema.NullOr(Schema.Int)
}
const entryFields = { reference: Schema.String, ...totalsFields, payments: Schema.Array(Attempt) }

const Provider = Schema.Literal("cashfree", "cybersource")
const Answer = Schema.Struct({ provider: Provider, ...entryFields })
const Summary = Schema.Struct({
  provider: Provider,
  ...totalsFields,
  references: Schema.Array(Schema.Struct(entryFields))
})

const strict = { onExcessProperty: "error" } as const
const decodeAnswer = Schema.decodeUnknownSync(Answer, strict)
const decodeSummary = Schema.decodeUnknownSync(Summary, strict)

// ---------------------------------------------------------------------------------------------
// Plain HTTP, as another process would do it: no credentials, no emulator object.
// ---------------------------------------------------------------------------------------------

interface Got {
  readonly status: number
  readonly headers: Headers
  readonly text: string
}

const request = (url: string, init: RequestInit = {}): Effect.Effect<Got> =>
  Effect.promise(async () => {
    const response = await fetch(url, init)
    return { status: response.status, headers: response.headers, text: await response.text() }
  })

/** The answer for one reference, with its raw text (for the "nothing secret" checks). */
const truthFor = (truthUrl: string, reference: string) =>
  Effect.map(request(`${truthUrl}?reference=${encodeURIComponent(reference)}`), (got) => {
    assert.strictEqual(got.status, 200, got.text)
    assert.match(got.headers.get("content-type") ?? "", /^application\/json/)
    return { answer: decodeAnswer(JSON.parse(got.text)), text: got.text }
  })

const summaryOf = (truthUrl: string) =>
  Effect.map(request(truthUrl), (got) => {
    assert.strictEqual(got.status, 200, got.text)
    return { summary: decodeSummary(JSON.parse(got.text)), text: got.text }
  })

/** Every key and leaf value of parsed JSON, as text. */
const tokensOf = (value: unknown): ReadonlyArray<string> =>
  Array.isArray(value)
    ? value.flatMap(tokensOf)
    : typeof value === "object" && value !== null
      ? Object.entries(value).flatMap(([key, item]) => [key, ...tokensOf(item)])
      : [String(value)]

/**
 * No key or value of the answer contains a secret, equals a short secret (a CVV, which could occur
 * inside a long random id by chance), or names a sensitive field.
 */
const assertNothingSecret = (
  text: string,
  secrets: { readonly contained: ReadonlyArray<string>; readonly whole: ReadonlyArray<string> }
) => {
  const tokens = tokensOf(JSON.parse(text))
  for (const token of tokens) {
    for (const secret of secrets.contained) assert.notInclude(token, secret, "the truth answer holds a secret")
    assert.notInclude(secrets.whole, token, "the truth answer holds a secret")
    assert.notMatch(token, /cvv|securityCode|cryptogram|card_?number|token|secret|pan$/i)
  }
}

/** The totals of an entry without its per-attempt records. */
const totals = (entry: {
  readonly currency: string | null
  readonly charges: number
  readonly captures: number
  readonly captured: number | null
  readonly refunds: number
  readonly refunded: number | null
}) => ({
  currency: entry.currency,
  charges: entry.charges,
  captures: entry.captures,
  captured: entry.captured,
  refunds: entry.refunds,
  refunded: entry.refunded
})

const nothing = { currency: null, charges: 0, captures: 0, captured: 0, refunds: 0, refunded: 0 }

/** What a provider request suffered: its status, or `dropped` when the connection was destroyed. */
const probe = (url: string): Effect.Effect<number | "dropped"> =>
  Effect.promise(() =>
    fetch(url).then(
      async (response) => {
        await response.arrayBuffer()
        return response.status
      },
      () => "dropped" as const
    )
  )

const LATENCY_MS = 600

/**
 * With a latency rule and one rule of every other kind matching every path (plus one aimed at the
 * endpoint itself), truth reads answer at once and use up nothing, while the same rules do hit a
 * provider path, in order.
 */
const faultsDoNotReach = (
  emulator: { readonly truthUrl: string; readonly faults: EmulatorFaults.Controller },
  providerUrl: string,
  reference: string,
  expected: ReturnType<typeof totals>
) =>
  Effect.gen(function* () {
    const aimed = EmulatorFaults.error(500, { match: { path: "/__payport/truth" }, times: 1 })
    const rules = [
      aimed,
      EmulatorFaults.latency(LATENCY_MS),
      EmulatorFaults.error(503, { times: 1 }),
      EmulatorFaults.rateLimit(7, { times: 1 }),
      EmulatorFaults.reset({ times: 1 }),
      EmulatorFaults.commitThenDrop({ times: 1 }),
      EmulatorFaults.error(502, { match: { path: /.*/ }, times: 1 })
    ]
    for (const rule of rules) emulator.faults.add(rule)
    const before = emulator.faults.rules()

    for (let i = 0; i < 3; i++) {
      const started = performance.now()
      const { answer } = yield* truthFor(emulator.truthUrl, reference)
      const { summary } = yield* summaryOf(emulator.truthUrl)
      assert.isBelow(performance.now() - started, LATENCY_MS, "a truth read waited for injected latency")
      assert.deepStrictEqual(totals(answer), expected)
      assert.isTrue(summary.references.some((entry) => entry.reference === reference))
    }
    assert.deepStrictEqual(emulator.faults.applied(), [], "a fault fired on a truth read")
    assert.deepStrictEqual(emulator.faults.rules(), before, "a truth read used up a rule's times")

    // The same rules are live for the provider's paths: the latency, then each kind once, in order.
    const path = new URL(providerUrl).pathname
    const outcomes: Array<number | "dropped"> = []
    for (let i = 0; i < 5; i++) {
      const started = performance.now()
      outcomes.push(yield* probe(providerUrl))
      assert.isAtLeast(performance.now() - started, LATENCY_MS - 50)
      // A read between faulted requests still answers.
      assert.deepStrictEqual(totals((yield* truthFor(emulator.truthUrl, reference)).answer), expected)
    }
    assert.deepStrictEqual(outcomes, [503, 429, "dropped", "dropped", 502])
    assert.deepStrictEqual(
      emulator.faults.applied().map((a) => a.path),
      Array.from({ length: 10 }, () => path)
    )
    assert.deepStrictEqual(emulator.faults.rules(), [aimed, EmulatorFaults.latency(LATENCY_MS)])
    emulator.faults.clear()
  })

// ---------------------------------------------------------------------------------------------
// Cashfree: the reference is the order_id.
// ---------------------------------------------------------------------------------------------

describe("Cashfree truth endpoint", () => {
  const cashfree = (
    em: CashfreeEmulator.CashfreeEmulator,
    method: string,
    path: string,
    body?: unknown,
    credentials = true
  ) =>
    Effect.map(
      request(`${em.baseUrl}${path}`, {
        method,
        headers: {
          "x-api-version": "2025-01-01",
          ...(credentials ? { "x-client-id": em.clientId, "x-client-secret": em.clientSecret } : {}),
          ...(body === undefined ? {} : { "content-type": "application/json" })
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) })
      }),
      (got) => ({ ...got, json: got.text === "" ? undefined : (JSON.parse(got.text) as Record<string, unknown>) })
    )

  const CARD = "4111111111111111"
  const DECLINING_CARD = "4000000000000002"
  const CVV = "987"

  /** Creates an order and pays it by card through Order Pay; returns the `cf_payment_id`. */
  const orderPaidBy = (
    em: CashfreeEmulator.CashfreeEmulator,
    orderId: string,
    amount: number,
    cardNumber: string,
    note?: string
  ) =>
    Effect.gen(function* () {
      const order = yield* cashfree(em, "POST", "/orders", {
        order_id: orderId,
        order_amount: amount,
        order_currency: "INR",
        ...(note === undefined ? {} : { order_note: note }),
        customer_details: { customer_id: "truth_customer", customer_phone: "9999999999" }
      })
      assert.strictEqual(order.status, 200, order.text)
      const paid = yield* cashfree(
        em,
        "POST",
        "/orders/sessions",
        {
          payment_session_id: order.json?.payment_session_id,
          payment_method: {
            card: {
              channel: "link",
              card_number: cardNumber,
              card_holder_name: "Truth Payer",
              card_expiry_mm: "12",
              card_expiry_yy: "31",
              card_cvv: CVV
            }
          }
        },
        false
      )
      assert.strictEqual(paid.status, 200, paid.text)
      return String(paid.json?.cf_payment_id)
    })

  it.scopedLive("counts a sale and its refund, a partly captured hold and a decline per order_id", () =>
    Effect.gen(function* () {
      const em = yield* CashfreeEmulator.start({ seed: 11 })
      assert.strictEqual(em.truthUrl, `${em.origin}/__payport/truth`)

      const saleId = yield* orderPaidBy(em, "truth_sale", 100.5, CARD)
      const refund = yield* cashfree(em, "POST", "/orders/truth_sale/refunds", {
        refund_id: "truth_refund_1",
        refund_amount: 40.25
      })
      assert.strictEqual(refund.status, 200, refund.text)

      const holdId = yield* orderPaidBy(em, "truth_hold", 200, CARD, "preauth_transaction")
      const capture = yield* cashfree(em, "POST", "/orders/truth_hold/authorization", {
        action: "CAPTURE",
        amount: 120.25
      })
      assert.strictEqual(capture.status, 200, capture.text)

      const declinedId = yield* orderPaidBy(em, "truth_declined", 10, DECLINING_CARD)

      const sale = yield* truthFor(em.truthUrl, "truth_sale")
      assert.deepStrictEqual(sale.answer, {
        provider: "cashfree",
        reference: "truth_sale",
        currency: "INR",
        charges: 1,
        captures: 1,
        captured: 10_050,
        refunds: 1,
        refunded: 4_025,
        payments: [
          {
            id: saleId,
            status: "SUCCESS",
            kind: "sale",
            approved: true,
            currency: "INR",
            amount: 10_050,
            authorized: 10_050,
            captures: 1,
            captured: 10_050,
            refunds: 1,
            refunded: 4_025
          }
        ]
      })
      // The amounts are written as JSON integers (minor units), never as decimals.
      assert.include(sale.text, `"captured":10050,`)

      const hold = yield* truthFor(em.truthUrl, "truth_hold")
      assert.deepStrictEqual(totals(hold.answer), {
        currency: "INR",
        charges: 1,
        captures: 1,
        captured: 12_025,
        refunds: 0,
        refunded: 0
      })
      assert.deepStrictEqual(
        hold.answer.payments.map((p) => [p.id, p.kind, p.amount, p.authorized, p.captured]),
        [[holdId, "authorization", 20_000, 20_000, 12_025]]
      )

      const declined = yield* truthFor(em.truthUrl, "truth_declined")
      assert.deepStrictEqual(totals(declined.answer), { ...nothing, currency: "INR" })
      assert.deepStrictEqual(
        declined.answer.payments.map((p) => [p.id, p.status, p.approved, p.authorized]),
        [[declinedId, "FAILED", false, 0]]
      )

      // The endpoint agrees with the in-process truth API.
      for (const reference of ["truth_sale", "truth_hold", "truth_declined"]) {
        const { answer } = yield* truthFor(em.truthUrl, reference)
        assert.strictEqual(answer.charges, em.truth.chargesFor(reference))
        assert.deepStrictEqual(
          answer.payments.map((p) => [p.id, p.status, p.captured]),
          em.truth.payments(reference).map((p) => [String(p.cfPaymentId), p.status, p.capturedAmount])
        )
      }

      // Unknown references are zeros; the summary lists every order, in creation order.
      assert.deepStrictEqual((yield* truthFor(em.truthUrl, "never_sent")).answer, {
        provider: "cashfree",
        reference: "never_sent",
        ...nothing,
        payments: []
      })
      const { summary, text } = yield* summaryOf(em.truthUrl)
      assert.strictEqual(summary.provider, "cashfree")
      assert.deepStrictEqual(totals(summary), {
        currency: "INR",
        charges: 2,
        captures: 2,
        captured: 10_050 + 12_025,
        refunds: 1,
        refunded: 4_025
      })
      assert.deepStrictEqual(
        summary.references.map((entry) => [entry.reference, entry.charges, entry.captured, entry.refunded]),
        [
          ["truth_sale", 1, 10_050, 4_025],
          ["truth_hold", 1, 12_025, 0],
          ["truth_declined", 0, 0, 0]
        ]
      )

      // Nothing secret: no card number, credential or payer-page token in any answer.
      const pageTokens = em.truth.payments().map((p) => new URL(p.pageUrl).pathname.split("/").at(-1) ?? "")
      assert.lengthOf(pageTokens, 3)
      const secrets = { contained: [CARD, DECLINING_CARD, em.clientSecret, em.clientId, ...pageTokens], whole: [CVV] }
      for (const answerText of [sale.text, hold.text, declined.text, text]) assertNothingSecret(answerText, secrets)
    })
  )

  it.scopedLive("needs no credentials, is served only at /__payport/truth and never under /pg", () =>
    Effect.gen(function* () {
      const em = yield* CashfreeEmulator.start()
      yield* orderPaidBy(em, "truth_open", 5, CARD)
      // The provider API refuses a request without credentials; the endpoint answers it.
      assert.strictEqual((yield* cashfree(em, "GET", "/orders/truth_open", undefined, false)).status, 401)
      assert.strictEqual((yield* truthFor(em.truthUrl, "truth_open")).answer.charges, 1)
      // Under the provider's base path it is just an unknown Cashfree URL.
      const underApi = yield* request(`${em.baseUrl}/__payport/truth?reference=truth_open`)
      assert.strictEqual(underApi.status, 400)
      assert.notInclude(underApi.text, "truth_open")
      // Other methods, other paths under the prefix, and an empty reference are refused in JSON.
      const post = yield* request(em.truthUrl, { method: "POST", body: "{}" })
      assert.strictEqual(post.status, 405)
      assert.strictEqual(post.headers.get("allow"), "GET")
      const other = yield* request(`${em.origin}/__payport/orders`)
      assert.strictEqual(other.status, 404)
      assert.deepStrictEqual(Object.keys(JSON.parse(other.text) as object), ["error"])
      assert.strictEqual((yield* request(`${em.truthUrl}?reference=`)).status, 400)
    })
  )

  it.scopedLive("faults configured for every path never reach the endpoint", () =>
    Effect.gen(function* () {
      const em = yield* CashfreeEmulator.start({ seed: 5 })
      yield* orderPaidBy(em, "truth_faults", 75.5, CARD)
      yield* faultsDoNotReach(em, `${em.baseUrl}/orders/truth_faults`, "truth_faults", {
        currency: "INR",
        charges: 1,
        captures: 1,
        captured: 7_550,
        refunds: 0,
        refunded: 0
      })
    })
  )
})

// ---------------------------------------------------------------------------------------------
// CyberSource: the reference is clientReferenceInformation.code.
// ---------------------------------------------------------------------------------------------

describe("CyberSource truth endpoint", () => {
  /** An HTTP Signature request (host, date, request-target, digest, v-c-merchant-id). */
  const signed = (em: CyberSourceEmulator.CyberSourceEmulator, method: string, target: string, body?: unknown) => {
    const text = body === undefined ? undefined : JSON.stringify(body)
    const values: Record<string, string> = {
      host: new URL(em.baseUrl).host,
      date: new Date().toUTCString(),
      "request-target": `${method.toLowerCase()} ${target}`,
      ...(text === undefined ? {} : { digest: `SHA-256=${createHash("sha256").update(text).digest("base64")}` }),
      "v-c-merchant-id": em.merchantId
    }
    const names = Object.keys(values)
    const signature = createHmac("sha256", Buffer.from(em.sharedSecret, "base64"))
      .update(names.map((name) => `${name}: ${values[name]}`).join("\n"))
      .digest("base64")
    const { host: _host, "request-target": _target, ...headers } = values
    return Effect.map(
      request(`${em.baseUrl}${target}`, {
        method,
        headers: {
          ...headers,
          ...(text === undefined ? {} : { "content-type": "application/json" }),
          signature: `keyid="${em.keyId}", algorithm="HmacSHA256", headers="${names.join(" ")}", signature="${signature}"`
        },
        ...(text === undefined ? {} : { body: text })
      }),
      (got) => {
        assert.strictEqual(got.status, 201, `${method} ${target}: ${got.text}`)
        return JSON.parse(got.text) as { readonly id: string; readonly status: string }
      }
    )
  }

  const CARD = "4111111111111111"
  const DECLINING_CARD = "42423482938483873"
  const CVV = "9731"

  const payment = (
    em: CyberSourceEmulator.CyberSourceEmulator,
    code: string,
    amount: string,
    options: { readonly sale: boolean; readonly card?: string }
  ) =>
    signed(em, "POST", "/pts/v2/payments", {
      clientReferenceInformation: { code },
      processingInformation: { capture: options.sale },
      paymentInformation: {
        card: { number: options.card ?? CARD, expirationMonth: "12", expirationYear: "2031", securityCode: CVV }
      },
      orderInformation: { amountDetails: { totalAmount: amount, currency: "USD" } }
    })

  const amount = (code: string, totalAmount: string) => ({
    clientReferenceInformation: { code },
    orderInformation: { amountDetails: { totalAmount, currency: "USD" } }
  })

  it.scopedLive(
    "counts sales, partial captures, refunds, voids, reversals, declines and a double charge per code",
    () =>
      Effect.gen(function* () {
        const em = yield* CyberSourceEmulator.start({ seed: 13 })
        assert.strictEqual(em.truthUrl, `${em.baseUrl}/__payport/truth`)

        // A sale, refunded in part.
        const sale = yield* payment(em, "truth-sale", "102.21", { sale: true })
        assert.strictEqual(sale.status, "AUTHORIZED")
        yield* signed(em, "POST", `/pts/v2/payments/${sale.id}/refunds`, amount("truth-sale", "2.21"))

        // An authorization captured twice in part; one capture refunded in part, one voided.
        const auth = yield* payment(em, "truth-auth", "50.00", { sale: false })
        const first = yield* signed(em, "POST", `/pts/v2/payments/${auth.id}/captures`, amount("truth-auth", "20.00"))
        const second = yield* signed(em, "POST", `/pts/v2/payments/${auth.id}/captures`, amount("truth-auth", "10.00"))
        yield* signed(em, "POST", `/pts/v2/captures/${first.id}/refunds`, amount("truth-auth", "5.00"))
        yield* signed(em, "POST", `/pts/v2/captures/${second.id}/voids`, { clientReferenceInformation: { code: "x" } })

        // An authorization reversed: approved once, nothing captured.
        const reversed = yield* payment(em, "truth-reversed", "30.00", { sale: false })
        yield* signed(em, "POST", `/pts/v2/payments/${reversed.id}/reversals`, {
          clientReferenceInformation: { code: "truth-reversed" },
          reversalInformation: { amountDetails: { totalAmount: "30.00" }, reason: "cancelled" }
        })

        // A decline, and the same code charged twice.
        const declined = yield* payment(em, "truth-declined", "12.00", { sale: true, card: DECLINING_CARD })
        assert.strictEqual(declined.status, "DECLINED")
        yield* payment(em, "truth-twice", "9.99", { sale: true })
        yield* payment(em, "truth-twice", "9.99", { sale: true })

        // A sale without a reference: in the summary's totals, under no reference.
        yield* signed(em, "POST", "/pts/v2/payments", {
          processingInformation: { capture: true },
          paymentInformation: { card: { number: CARD, expirationMonth: "12", expirationYear: "2031" } },
          orderInformation: { amountDetails: { totalAmount: "1.00", currency: "USD" } }
        })

        const saleTruth = yield* truthFor(em.truthUrl, "truth-sale")
        assert.deepStrictEqual(saleTruth.answer, {
          provider: "cybersource",
          reference: "truth-sale",
          currency: "USD",
          charges: 1,
          captures: 1,
          captured: 10_221,
          refunds: 1,
          refunded: 221,
          payments: [
            {
              id: sale.id,
              status: "AUTHORIZED",
              kind: "sale",
              approved: true,
              currency: "USD",
              amount: 10_221,
              authorized: 10_221,
              captures: 1,
              captured: 10_221,
              refunds: 1,
              refunded: 221
            }
          ]
        })

        const authTruth = yield* truthFor(em.truthUrl, "truth-auth")
        assert.deepStrictEqual(totals(authTruth.answer), {
          currency: "USD",
          charges: 1,
          captures: 1,
          captured: 2_000,
          refunds: 1,
          refunded: 500
        })
        assert.deepStrictEqual(
          authTruth.answer.payments.map((p) => [p.id, p.kind, p.amount, p.authorized]),
          [[auth.id, "authorization", 5_000, 5_000]]
        )

        const reversedTruth = yield* truthFor(em.truthUrl, "truth-reversed")
        assert.deepStrictEqual(totals(reversedTruth.answer), { ...nothing, currency: "USD", charges: 1 })
        assert.strictEqual(reversedTruth.answer.payments[0]?.status, "REVERSED")

        const declinedTruth = yield* truthFor(em.truthUrl, "truth-declined")
        assert.deepStrictEqual(totals(declinedTruth.answer), { ...nothing, currency: "USD" })
        assert.deepStrictEqual(
          declinedTruth.answer.payments.map((p) => [p.status, p.approved, p.captures]),
          [["DECLINED", false, 0]]
        )

        const twiceTruth = yield* truthFor(em.truthUrl, "truth-twice")
        assert.deepStrictEqual(totals(twiceTruth.answer), {
          currency: "USD",
          charges: 2,
          captures: 2,
          captured: 1_998,
          refunds: 0,
          refunded: 0
        })

        // The endpoint agrees with the in-process truth API.
        for (const code of ["truth-sale", "truth-auth", "truth-reversed", "truth-declined", "truth-twice"]) {
          const { answer } = yield* truthFor(em.truthUrl, code)
          assert.strictEqual(answer.charges, em.truth.chargesFor(code))
          assert.deepStrictEqual(
            answer.payments.map((p) => [p.id, p.status, p.captured, p.refunded]),
            em.truth.payments(code).map((p) => [p.id, p.status, p.captured, p.refunded])
          )
        }

        const { summary, text } = yield* summaryOf(em.truthUrl)
        assert.deepStrictEqual(totals(summary), {
          currency: "USD",
          charges: 6,
          captures: 5,
          captured: 10_221 + 2_000 + 1_998 + 100,
          refunds: 2,
          refunded: 221 + 500
        })
        assert.deepStrictEqual(
          summary.references.map((entry) => [entry.reference, entry.charges]),
          [
            ["truth-sale", 1],
            ["truth-auth", 1],
            ["truth-reversed", 1],
            ["truth-declined", 0],
            ["truth-twice", 2]
          ]
        )
        assert.deepStrictEqual((yield* truthFor(em.truthUrl, "never-sent")).answer, {
          provider: "cybersource",
          reference: "never-sent",
          ...nothing,
          payments: []
        })

        // Nothing secret: no card number, CVV or credential in any answer.
        const secrets = { contained: [CARD, DECLINING_CARD, em.sharedSecret, em.keyId], whole: [CVV] }
        for (const answerText of [saleTruth.text, authTruth.text, declinedTruth.text, text])
          assertNothingSecret(answerText, secrets)
        // The truth reads were not taken for API calls: nothing was refused.
        assert.deepStrictEqual(em.truth.authFailures(), [])
      })
  )

  it.scopedLive("needs no signature, sums amounts only within a currency, and is not served under the API paths", () =>
    Effect.gen(function* () {
      const em = yield* CyberSourceEmulator.start()
      yield* payment(em, "truth-open", "1.00", { sale: true })
      assert.strictEqual((yield* truthFor(em.truthUrl, "truth-open")).answer.charges, 1)
      yield* signed(em, "POST", "/pts/v2/payments", {
        clientReferenceInformation: { code: "truth-open" },
        processingInformation: { capture: true },
        paymentInformation: { card: { number: CARD, expirationMonth: "12", expirationYear: "2031" } },
        orderInformation: { amountDetails: { totalAmount: "2.00", currency: "INR" } }
      })
      const mixed = (yield* truthFor(em.truthUrl, "truth-open")).answer
      assert.deepStrictEqual(totals(mixed), {
        currency: null,
        charges: 2,
        captures: 2,
        captured: null,
        refunds: 0,
        refunded: null
      })
      assert.deepStrictEqual(
        mixed.payments.map((p) => [p.currency, p.captured]),
        [
          ["USD", 100],
          ["INR", 200]
        ]
      )
      for (const product of ["pts/v2", "tss/v2", "tms/v2"]) {
        const underApi = yield* request(`${em.baseUrl}/${product}/__payport/truth?reference=truth-open`)
        assert.strictEqual(underApi.status, 401, `${product}: ${underApi.text}`)
      }
      assert.strictEqual(em.truth.authFailures().length, 3)
    })
  )

  it.scopedLive("faults configured for every path never reach the endpoint", () =>
    Effect.gen(function* () {
      const em = yield* CyberSourceEmulator.start({ seed: 5 })
      const sale = yield* payment(em, "truth-faults", "75.50", { sale: true })
      yield* faultsDoNotReach(em, `${em.baseUrl}/tss/v2/transactions/${sale.id}`, "truth-faults", {
        currency: "USD",
        charges: 1,
        captures: 1,
        captured: 7_550,
        refunds: 0,
        refunded: 0
      })
    })
  )
})
