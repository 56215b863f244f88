/**
 * Hostile input: every decoder an untrusted party can reach, fuzzed with fast-check.
 *
 * - Provider responses: the testkit's `HostileResponseSuite` over the example-driven fake, for
 *   every operation (one request of it answered with hostility at a random status; a typed error
 *   or a valid result, never a defect, a hang, or success from a garbage 2xx to a mutation).
 * - Webhooks: random headers, bodies and signature formats; genuine events re-signed with hostile
 *   fields; forged signatures never verify.
 * - User input: invalid input at every port is a preflight error and sends nothing.
 *
 * `PAYPORT_FUZZ_RUNS` sets the runs per property (default 15).
 */
import * as Authorization from "@payport/core/Authorization"
import * as Cryptograms from "@payport/core/Cryptograms"
import * as Customers from "@payport/core/Customers"
import { PaymentId, PaymentRef, RefundId, RefundRef } from "@payport/core/Ids"
import * as Money from "@payport/core/Money"
import * as OtpAuthentication from "@payport/core/OtpAuthentication"
import { PaymentError } from "@payport/core/PaymentError"
import * as PaymentMethod from "@payport/core/PaymentMethod"
import * as Payments from "@payport/core/Payments"
import * as Vault from "@payport/core/Vault"
import * as Webhooks from "@payport/core/Webhooks"
import { WebhookEvent } from "@payport/core/WebhookEvent"
import { assert, describe, it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as FastCheck from "effect/FastCheck"
import * as Arbitraries from "@payport/testkit/Arbitraries"
import * as HostileResponses from "@payport/testkit/HostileResponses"
import * as HostileResponseSuite from "@payport/testkit/HostileResponseSuite"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Cashfree from "../src/Cashfree.js"
import * as CashfreeWebhooks from "../src/CashfreeWebhooks.js"
import * as Fake from "./support/Fake.js"
import { CLIENT_SECRET, options } from "./support/Layers.js"
import * as Stub from "./support/Stub.js"

const RUNS = Number(process.env.PAYPORT_FUZZ_RUNS ?? 15)
const TEST_TIMEOUT = 60_000 + RUNS * 2_000

const { corrupt, corruption, junkBody } = HostileResponses
const { hostileResponseSuite } = HostileResponseSuite

const decoder = new TextDecoder()

const fastTiming = {
  attemptTimeout: "2 seconds",
  deadline: "4 seconds",
  retries: 1,
  baseDelay: "1 millis",
  maxDelay: "2 millis"
} as const

// ---------------------------------------------------------------------------------------------
// Operations
// ---------------------------------------------------------------------------------------------

const inr = (minor: number) => Money.unsafeMake(minor, "INR")
const card = PaymentMethod.card({ number: "4111111111111111", expiry: { month: 12, year: 2030 }, cvv: "987" })
let n = 0
const fresh = (label: string) => `${label}_${++n}`

type Ports = Layer.Layer.Success<ReturnType<typeof Cashfree.layer>>

type Operation = HostileResponseSuite.Operation<Ports>

const hold = Effect.suspend(() =>
  Authorization.authorize({ reference: fresh("hold"), amount: inr(10_000), method: card })
)
const sale = Effect.suspend(() =>
  Payments.create({ reference: fresh("sale"), amount: inr(10_000), method: card, idempotencyKey: fresh("key-sale") })
)
const instrument = { customerId: "cus_fuzz_1", instrumentId: "inst_fuzz_1" }

const operations: ReadonlyArray<Operation> = [
  { name: "Payments.create", mutates: true, setup: Effect.succeed(sale) },
  { name: "Authorization.authorize", mutates: true, setup: Effect.succeed(hold) },
  {
    name: "Authorization.capture",
    mutates: true,
    setup: Effect.map(hold, (p) => Authorization.capture({ payment: p.ref, amount: inr(4_000) }))
  },
  { name: "Authorization.void", mutates: true, setup: Effect.map(hold, (p) => Authorization.void({ payment: p.ref })) },
  {
    name: "Payments.refund",
    mutates: true,
    setup: Effect.map(sale, (p) =>
      Payments.refund({ payment: p.ref, amount: inr(1_000), reference: fresh("refund"), idempotencyKey: fresh("rkey") })
    )
  },
  { name: "Payments.get", mutates: false, setup: Effect.map(sale, (p) => Payments.get(p.ref)) },
  { name: "Payments.list", mutates: false, setup: Effect.map(sale, (p) => Payments.list(p.reference)) },
  { name: "Payments.listRefunds", mutates: false, setup: Effect.map(sale, (p) => Payments.listRefunds(p.ref)) },
  {
    name: "Payments.getRefund",
    mutates: false,
    setup: Effect.map(sale, (p) =>
      Payments.getRefund(
        RefundRef.make({ provider: "cashfree", refundId: RefundId.make("refund_fuzz"), payment: p.ref })
      )
    )
  },
  {
    name: "OtpAuthentication.submit",
    mutates: true,
    setup: Effect.map(sale, (p) => OtpAuthentication.submit({ payment: p.ref, otp: "111000" }))
  },
  { name: "OtpAuthentication.resend", mutates: true, setup: Effect.map(sale, (p) => OtpAuthentication.resend(p.ref)) },
  { name: "Vault.list", mutates: false, setup: Effect.succeed(Vault.list({ customerId: instrument.customerId })) },
  { name: "Vault.get", mutates: false, setup: Effect.succeed(Vault.get(instrument)) },
  // A delete returns nothing from the body: a 2xx that is JSON says the instrument is gone, whatever it echoes.
  // (A 2xx that is not JSON at all still fails, as `OutcomeUnknown`.)
  { name: "Vault.delete", mutates: false, setup: Effect.succeed(Vault.delete(instrument)) },
  { name: "Cryptograms.fetch", mutates: false, setup: Effect.succeed(Cryptograms.fetch(instrument)) },
  {
    name: "Customers.create",
    mutates: true,
    setup: Effect.succeed(
      Customers.create({ reference: fresh("cus"), name: "Fuzz Payer", phone: "9876543210", email: "f@example.com" })
    )
  }
]

const isPaymentError = Schema.is(PaymentError)

hostileResponseSuite({
  inner: () => Stub.make(Fake.routes({ statusAfterPay: "SUCCESS" })).layer,
  layer: (client) => Cashfree.layer(options({ timing: fastTiming })).pipe(Layer.provide(client)),
  operations
})

// ---------------------------------------------------------------------------------------------
// Webhooks
// ---------------------------------------------------------------------------------------------

const webhookTags = new Set([
  "SignatureInvalid",
  "TimestampOutOfTolerance",
  "UnknownEvent",
  "ProviderResponseInvalid",
  "ConfigurationError"
])
const isEvent = Schema.is(WebhookEvent)

const paymentBody = JSON.stringify({
  data: {
    order: { order_id: "order_OsUwzV9K", order_amount: 170.0, order_currency: "INR", order_tags: null },
    payment: {
      cf_payment_id: 5114910432645,
      payment_status: "SUCCESS",
      payment_amount: 170.0,
      payment_currency: "INR",
      payment_message: "00::Transaction success",
      payment_time: "2025-01-15T11:16:03+05:30",
      payment_group: "credit_card",
      payment_method: {
        card: { channel: "link", card_number: "470613XXXXXX2123", card_network: "visa", card_type: "debit_card" }
      }
    },
    customer_details: { customer_id: "cus_1", customer_phone: "9876543210" },
    payment_gateway_details: { gateway_name: "CASHFREE" }
  },
  event_time: "2025-01-15T11:16:10+05:30",
  type: "PAYMENT_SUCCESS_WEBHOOK"
})
const refundBody = JSON.stringify({
  data: {
    refund: {
      cf_refund_id: 11325632,
      cf_payment_id: 5114910432645,
      refund_id: "refund_sampleorder0413",
      order_id: "order_OsUwzV9K",
      refund_amount: 2.0,
      refund_currency: "INR",
      entity: "Refund",
      refund_type: "MERCHANT_INITIATED",
      refund_arn: "205907014017",
      refund_status: "SUCCESS",
      status_description: "Refund processed successfully",
      created_at: "2025-01-15T11:16:03+05:30",
      processed_at: "2025-01-15T11:17:03+05:30",
      refund_charge: 0,
      refund_speed: { requested: "STANDARD", accepted: "STANDARD", processed: "STANDARD" }
    }
  },
  event_time: "2025-01-15T11:17:10+05:30",
  type: "REFUND_STATUS_WEBHOOK"
})

const sign = (secret: string, timestamp: string, body: string) =>
  CashfreeWebhooks.sign(Redacted.make(secret), timestamp, body)

/** Verifies through the port and checks the outcome's type; returns the exit. */
const verifyJudged = (request: Webhooks.RequestInput) =>
  Effect.gen(function* () {
    const exit = yield* Effect.exit(Webhooks.verify(request).pipe(Effect.timeout("5 seconds")))
    if (Exit.isFailure(exit)) {
      const failure = Cause.failureOption(exit.cause)
      assert.isTrue(failure._tag === "Some", `not a typed failure: ${Cause.pretty(exit.cause)}`)
      if (failure._tag === "Some") {
        const tag = (failure.value as { readonly _tag?: unknown })._tag
        assert.isTrue(typeof tag === "string" && webhookTags.has(tag), `unexpected failure ${String(tag)}`)
        assert.isTrue(isPaymentError(failure.value))
      }
    } else {
      assert.isTrue(isEvent(exit.value), "the verified event is not a valid WebhookEvent")
    }
    return exit
  })

const headerValue = FastCheck.oneof(
  FastCheck.string({ maxLength: 80 }),
  FastCheck.base64String({ maxLength: 64 }),
  FastCheck.constantFrom("", " ", "sha256=", "v1,abc", "t=1,v1=abc", "=".repeat(44), "\u0000\u0001")
)

const webhookLayer = () =>
  Cashfree.layer(options({ timing: fastTiming })).pipe(Layer.provide(Stub.make(Fake.routes()).layer))

describe("webhooks", () => {
  it(
    "random headers and bodies fail closed with a webhook error",
    () =>
      FastCheck.assert(
        FastCheck.asyncProperty(
          FastCheck.dictionary(
            FastCheck.oneof(
              FastCheck.constantFrom("x-webhook-signature", "x-webhook-timestamp", "x-webhook-version", "content-type"),
              FastCheck.string({ minLength: 1, maxLength: 20 })
            ),
            headerValue
          ),
          FastCheck.oneof(junkBody, FastCheck.constantFrom(paymentBody, refundBody)),
          async (headers, body) => {
            const exit = await Effect.runPromise(verifyJudged({ headers, body }).pipe(Effect.provide(webhookLayer())))
            assert.isTrue(Exit.isFailure(exit), "an unsigned request verified")
          }
        ),
        { numRuns: RUNS * 4 }
      ),
    TEST_TIMEOUT
  )

  it(
    "re-signed events with hostile fields verify into valid events or fail typed",
    () =>
      FastCheck.assert(
        FastCheck.asyncProperty(FastCheck.constantFrom(paymentBody, refundBody), corruption, async (genuine, c) => {
          const { body } = corrupt(JSON.parse(genuine), c)
          const text = typeof body === "string" ? body : decoder.decode(body)
          await Effect.runPromise(
            Effect.gen(function* () {
              const timestamp = String(Date.now())
              const signature = yield* sign(CLIENT_SECRET, timestamp, text)
              yield* verifyJudged({
                headers: { "x-webhook-signature": signature, "x-webhook-timestamp": timestamp },
                body: text
              })
            }).pipe(Effect.provide(webhookLayer()))
          )
        }),
        { numRuns: RUNS * 4 }
      ),
    TEST_TIMEOUT
  )

  it(
    "forged, tampered, replayed-stale and wrongly-keyed signatures never verify",
    () =>
      FastCheck.assert(
        FastCheck.asyncProperty(
          FastCheck.constantFrom(paymentBody, refundBody),
          FastCheck.oneof(
            FastCheck.record({ kind: FastCheck.constant("forged" as const), signature: headerValue }),
            FastCheck.record({
              kind: FastCheck.constant("other-secret" as const),
              secret: FastCheck.string({ minLength: 1 })
            }),
            FastCheck.record({ kind: FastCheck.constant("tampered" as const), at: FastCheck.nat() }),
            FastCheck.record({
              kind: FastCheck.constant("stale" as const),
              ageSeconds: FastCheck.integer({ min: 301, max: 10_000_000 })
            })
          ),
          async (body, attack) => {
            const exit = await Effect.runPromise(
              Effect.gen(function* () {
                const now = Date.now()
                switch (attack.kind) {
                  case "forged":
                    return yield* verifyJudged({
                      headers: { "x-webhook-signature": attack.signature, "x-webhook-timestamp": String(now) },
                      body
                    })
                  case "other-secret": {
                    const secret = attack.secret === CLIENT_SECRET ? `${attack.secret}x` : attack.secret
                    const signature = yield* sign(secret, String(now), body)
                    return yield* verifyJudged({
                      headers: { "x-webhook-signature": signature, "x-webhook-timestamp": String(now) },
                      body
                    })
                  }
                  case "tampered": {
                    const signature = yield* sign(CLIENT_SECRET, String(now), body)
                    const i = attack.at % body.length
                    const flipped = body.charAt(i) === "1" ? "2" : "1"
                    return yield* verifyJudged({
                      headers: { "x-webhook-signature": signature, "x-webhook-timestamp": String(now) },
                      body: `${body.slice(0, i)}${flipped}${body.slice(i + 1)}`
                    })
                  }
                  case "stale": {
                    // a genuine delivery replayed after the tolerance window
                    const then = String(now - attack.ageSeconds * 1000)
                    const signature = yield* sign(CLIENT_SECRET, then, body)
                    return yield* verifyJudged({
                      headers: { "x-webhook-signature": signature, "x-webhook-timestamp": then },
                      body
                    })
                  }
                }
              }).pipe(Effect.provide(webhookLayer()))
            )
            assert.isTrue(Exit.isFailure(exit), `a ${attack.kind} signature verified`)
          }
        ),
        { numRuns: RUNS * 4 }
      ),
    TEST_TIMEOUT
  )
})

// ---------------------------------------------------------------------------------------------
// User input
// ---------------------------------------------------------------------------------------------

const { badCardNumber, badCvv, badExpiry, badReference, preflightTags } = Arbitraries

type BadInput =
  | { readonly field: "reference"; readonly value: string }
  | { readonly field: "number"; readonly value: string }
  | { readonly field: "expiry"; readonly value: { readonly month: number; readonly year: number } }
  | { readonly field: "cvv"; readonly value: string }
  | { readonly field: "idempotencyKey"; readonly value: string }
  | { readonly field: "amount"; readonly value: number }
  | { readonly field: "returnUrl"; readonly value: string }

const badInput: FastCheck.Arbitrary<BadInput> = FastCheck.oneof(
  badReference.map((value) => ({ field: "reference" as const, value })),
  badCardNumber.map((value) => ({ field: "number" as const, value })),
  badExpiry.map((value) => ({ field: "expiry" as const, value })),
  badCvv.map((value) => ({ field: "cvv" as const, value })),
  FastCheck.oneof(FastCheck.string({ maxLength: 7 }), FastCheck.string({ minLength: 65, maxLength: 90 })).map(
    (value) => ({ field: "idempotencyKey" as const, value })
  ),
  FastCheck.constant({ field: "amount" as const, value: 0 }),
  FastCheck.string({ maxLength: 30 })
    .filter((s) => !/^https?:\/\/\S+$/.test(s))
    .map((value) => ({ field: "returnUrl" as const, value }))
)

const createInput = (bad: BadInput) => ({
  reference: bad.field === "reference" ? bad.value : fresh("ref"),
  amount: inr(bad.field === "amount" ? bad.value : 10_000),
  method: PaymentMethod.card({
    number: bad.field === "number" ? bad.value : "4111111111111111",
    expiry: bad.field === "expiry" ? bad.value : { month: 12, year: 2030 },
    cvv: bad.field === "cvv" ? bad.value : "987"
  }),
  ...(bad.field === "idempotencyKey" ? { idempotencyKey: bad.value } : {}),
  ...(bad.field === "returnUrl" ? { returnUrl: bad.value } : {})
})

const ref = PaymentRef.make({ provider: "cashfree", paymentId: PaymentId.make("12376123"), orderId: "order_8123" })

describe("user input at every port", () => {
  it("Money.fromMinor and fromDecimal never throw: a Money in range or a ValidationError", () =>
    FastCheck.assert(
      FastCheck.property(
        FastCheck.oneof(FastCheck.double(), FastCheck.integer(), FastCheck.constantFrom(2 ** 63, -1, 0.5, 1e308)),
        FastCheck.oneof(FastCheck.string(), FastCheck.constantFrom("INR", "inr", "XXX", "", "JPY")),
        (amount, currency) => {
          for (const result of [Money.fromMinor(amount, currency), Money.fromDecimal(amount, currency)]) {
            if (result._tag === "Left") assert.strictEqual(result.left._tag, "ValidationError")
            else assert.isTrue(Number.isSafeInteger(result.right.amount) && result.right.amount >= 0)
          }
        }
      ),
      { numRuns: RUNS * 20 }
    ))

  it(
    "an invalid sale, hold, capture, void, refund or OTP is a preflight error and sends nothing",
    () =>
      FastCheck.assert(
        FastCheck.asyncProperty(badInput, FastCheck.constantFrom("create", "authorize"), async (bad, port) => {
          const stub = Stub.make(Fake.routes())
          const layer = Cashfree.layer(options({ timing: fastTiming })).pipe(Layer.provide(stub.layer))
          const input = createInput(bad)
          const run: Effect.Effect<unknown, unknown, Ports> =
            port === "create" ? Payments.create(input) : Authorization.authorize(input)
          const exit = await Effect.runPromise(Effect.exit(run).pipe(Effect.provide(layer)))
          assert.isTrue(Exit.isFailure(exit), `${bad.field} was accepted`)
          if (Exit.isFailure(exit)) {
            const failure = Cause.failureOption(exit.cause)
            assert.isTrue(
              failure._tag === "Some" && isPaymentError(failure.value) && preflightTags.has(failure.value._tag),
              Cause.pretty(exit.cause)
            )
          }
          assert.strictEqual(stub.log.length, 0, "a request was sent for invalid input")
        }),
        { numRuns: RUNS * 4 }
      ),
    TEST_TIMEOUT
  )

  it(
    "bad amounts, keys, refs and OTPs at capture, void, refund and OTP are preflight errors and send nothing",
    () =>
      FastCheck.assert(
        FastCheck.asyncProperty(
          FastCheck.oneof(FastCheck.string({ maxLength: 7 }), FastCheck.string({ minLength: 65, maxLength: 90 })),
          FastCheck.constantFrom("USD", "EUR", "JPY"),
          FastCheck.constantFrom("capture", "void", "refund", "refund-zero", "otp", "foreign-ref"),
          async (badKey, currency, which) => {
            const stub = Stub.make(Fake.routes())
            const layer = Cashfree.layer(options({ timing: fastTiming })).pipe(Layer.provide(stub.layer))
            const foreign = PaymentRef.make({
              provider: "cybersource",
              paymentId: PaymentId.make("7000000000000000000001")
            })
            const run: Effect.Effect<unknown, unknown, Ports> =
              which === "capture"
                ? Authorization.capture({ payment: ref, amount: inr(100), idempotencyKey: badKey })
                : which === "void"
                  ? Authorization.void({ payment: ref, idempotencyKey: badKey })
                  : which === "refund"
                    ? Payments.refund({ payment: ref, amount: inr(100), idempotencyKey: badKey })
                    : which === "refund-zero"
                      ? Payments.refund({ payment: ref, amount: Money.zero(currency === "JPY" ? "JPY" : "INR") })
                      : which === "otp"
                        ? OtpAuthentication.submit({ payment: ref, otp: badKey.length === 0 ? "" : `${badKey}!` })
                        : Payments.get(foreign)
            const exit = await Effect.runPromise(Effect.exit(run).pipe(Effect.provide(layer)))
            assert.isTrue(Exit.isFailure(exit), `${which} was accepted`)
            if (Exit.isFailure(exit)) {
              const failure = Cause.failureOption(exit.cause)
              assert.isTrue(
                failure._tag === "Some" && isPaymentError(failure.value) && preflightTags.has(failure.value._tag),
                `${which}: ${Cause.pretty(exit.cause)}`
              )
            }
            assert.strictEqual(stub.log.length, 0, `${which} sent a request for invalid input`)
          }
        ),
        { numRuns: RUNS * 2 }
      ),
    TEST_TIMEOUT
  )
})
