import { assert, describe, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as TestClock from "effect/TestClock"
import {
  Authorization,
  Customer,
  Customers,
  Ids,
  Ledger,
  Money,
  OtpAuthentication,
  Payment,
  PaymentError,
  PaymentMethod,
  type PaymentRequest,
  Payments,
  ThreeDsAuthentication,
  Vault,
  VaultEnrollment,
  Webhooks
} from "@payport/core"

const PAN = "4111111111111111"
const CVV = "737"

interface Recorded {
  readonly operation: string
  readonly input: unknown
  readonly span: string
  readonly attributes: ReadonlyMap<string, unknown>
}

/** The input of the n-th recorded driver call. */
const inputOf = <A>(calls: ReadonlyArray<Recorded>, n: number): A => {
  const call = calls[n]
  if (call === undefined) throw new Error(`no driver call #${n}`)
  return call.input as A
}

/** A driver for every port that records what reached it, including the span it ran in. */
const recorder = () => {
  const calls: Array<Recorded> = []
  const record = <A>(operation: string, input: unknown, result: A) =>
    Effect.gen(function* () {
      const span = yield* Effect.orDie(Effect.currentSpan)
      calls.push({ operation, input, span: span.name, attributes: span.attributes })
      return result
    })
  const paymentFor = (reference: string, amount: Money.Money) =>
    Payment.Payment.make({
      ref: Ids.PaymentRef.make({ provider: "test", paymentId: Ids.PaymentId.make("pay_1"), orderId: reference }),
      reference: Ids.OrderReference.make(reference),
      amount,
      ledger: Ledger.captured(amount),
      captureMode: "automatic",
      method: Payment.MethodSummary.make({ kind: "Card", display: PaymentMethod.mask(PAN) }),
      status: { _tag: "Captured" },
      createdAt: DateTime.unsafeMake(0)
    })
  const payment = paymentFor("order_1", Money.unsafeMake(1000, "INR"))
  const customer = Customer.Customer.make({ id: Ids.CustomerId.make("cus_1"), provider: "test" })
  const payments = Payments.make({
    provider: "test",
    create: (r) => record("create", r, paymentFor(r.reference, r.amount)),
    get: (r) => record("get", r, payment),
    list: (r) => record("list", r, [payment]),
    refund: (r) => record("refund", r, Effect.die("unused")).pipe(Effect.zipRight(Effect.die("not implemented"))),
    getRefund: (r) => record("getRefund", r, undefined).pipe(Effect.zipRight(Effect.die("not implemented"))),
    listRefunds: (r) => record("listRefunds", r, [])
  })
  const authorization = Authorization.make({
    provider: "test",
    authorize: (r) => record("authorize", r, payment),
    capture: (r) => record("capture", r, payment),
    void: (r) => record("void", r, payment),
    get: (r) => record("authorization.get", r, payment)
  })
  const vault = Vault.make({
    provider: "test",
    list: (r) => record("vault.list", r, { items: [] }),
    get: (r) => record("vault.get", r, Effect.die("unused")).pipe(Effect.zipRight(Effect.die("not implemented"))),
    delete: (r) => record("vault.delete", r, undefined)
  })
  const enrollment = VaultEnrollment.make({
    provider: "test",
    create: (r) => record("enroll", r, undefined).pipe(Effect.zipRight(Effect.die("not implemented"))),
    update: (r) => record("update", r, undefined).pipe(Effect.zipRight(Effect.die("not implemented"))),
    setDefault: (r) => record("setDefault", r, undefined).pipe(Effect.zipRight(Effect.die("not implemented")))
  })
  const otp = OtpAuthentication.make({
    provider: "test",
    submit: (r) => record("otp.submit", r, payment),
    resend: (r) => record("otp.resend", r, payment)
  })
  const threeDs = ThreeDsAuthentication.make({
    provider: "test",
    complete: (r) => record("threeDs.complete", r, payment)
  })
  const customers = Customers.make({
    provider: "test",
    create: (r) => record("customers.create", r, customer),
    get: (r) => record("customers.get", r, customer)
  })
  const layer = Layer.mergeAll(
    Layer.succeed(Payments.Payments, payments),
    Layer.succeed(Authorization.Authorization, authorization),
    Layer.succeed(Vault.Vault, vault),
    Layer.succeed(VaultEnrollment.VaultEnrollment, enrollment),
    Layer.succeed(OtpAuthentication.OtpAuthentication, otp),
    Layer.succeed(ThreeDsAuthentication.ThreeDsAuthentication, threeDs),
    Layer.succeed(Customers.Customers, customers)
  )
  return { calls, layer, payment }
}

const sale = (overrides: Partial<PaymentRequest.CreatePaymentInput> = {}): PaymentRequest.CreatePaymentInput => ({
  reference: "order_1",
  amount: Money.unsafeMake(1000, "INR"),
  method: PaymentMethod.card({ number: PAN, expiry: { month: 12, year: 2030 }, cvv: CVV }),
  customer: { id: "cus_1", email: "asha@example.com", phone: "9999999999" },
  ...overrides
})

const setup = Effect.gen(function* () {
  yield* TestClock.setTime(Date.UTC(2026, 10, 22))
  return recorder()
})

describe("Ports: what make(driver) adds", () => {
  it.effect("a valid sale reaches the driver validated, with a derived idempotency key, inside a safe span", () =>
    Effect.gen(function* () {
      const { calls, layer } = yield* setup
      const payment = yield* Payments.create(sale()).pipe(Effect.provide(layer))
      assert.strictEqual(payment.status._tag, "Captured")
      const call = calls[0]
      assert.isDefined(call)
      const request = call?.input as PaymentRequest.CreatePayment
      assert.strictEqual(request.captureMode, "automatic")
      assert.match(request.idempotencyKey, /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
      assert.strictEqual(call?.span, "Payments.create")
      assert.strictEqual(call?.attributes.get("payport.provider"), "test")
      assert.strictEqual(call?.attributes.get("payport.amount"), 1000)
      assert.strictEqual(call?.attributes.get("payport.currency"), "INR")
      const shown = JSON.stringify([...(call?.attributes ?? new Map()).entries()])
      assert.notInclude(shown, PAN)
      assert.notInclude(shown, CVV)
    })
  )

  it.effect("the derived key is the same for a retried call and differs for a different one", () =>
    Effect.gen(function* () {
      const { calls, layer } = yield* setup
      yield* Payments.create(sale()).pipe(Effect.provide(layer))
      yield* Payments.create(sale()).pipe(Effect.provide(layer))
      yield* Payments.create(sale({ amount: Money.unsafeMake(1001, "INR") })).pipe(Effect.provide(layer))
      yield* Authorization.authorize(sale()).pipe(Effect.provide(layer))
      const keys = calls.map((c) => (c.input as PaymentRequest.CreatePayment).idempotencyKey)
      assert.strictEqual(keys[0], keys[1])
      assert.notStrictEqual(keys[0], keys[2])
      assert.notStrictEqual(keys[0], keys[3])
      assert.strictEqual(inputOf<PaymentRequest.CreatePayment>(calls, 3).captureMode, "manual")
    })
  )

  it.effect("the caller's idempotency key is used as given, and a malformed one is refused", () =>
    Effect.gen(function* () {
      const { calls, layer } = yield* setup
      yield* Payments.create(sale({ idempotencyKey: "checkout-42-attempt-1" })).pipe(Effect.provide(layer))
      assert.strictEqual(inputOf<PaymentRequest.CreatePayment>(calls, 0).idempotencyKey, "checkout-42-attempt-1")
      const error = yield* Effect.flip(Payments.create(sale({ idempotencyKey: "short" })).pipe(Effect.provide(layer)))
      assert.isTrue(error._tag === "ValidationError" && error.field === "idempotencyKey")
    })
  )

  const { customer: _, ...withoutCustomer } = sale()
  const invalidSales: ReadonlyArray<readonly [string, PaymentRequest.CreatePaymentInput, string]> = [
    ["an empty reference", sale({ reference: "" }), "reference"],
    ["a reference with spaces", sale({ reference: "order 1" }), "reference"],
    ["a reference too long", sale({ reference: "x".repeat(46) }), "reference"],
    ["a zero amount", sale({ amount: Money.unsafeMake(0, "INR") }), "amount"],
    [
      "a card failing Luhn",
      sale({ method: PaymentMethod.card({ number: "4111111111111112", expiry: { month: 1, year: 2030 } }) }),
      "method.number"
    ],
    [
      "an expired card",
      sale({ method: PaymentMethod.card({ number: PAN, expiry: { month: 1, year: 2020 } }) }),
      "method.expiry"
    ],
    ["a bad customer email", sale({ customer: { id: "cus_1", email: "nope" } }), "customer.email"],
    ["an empty customer id", sale({ customer: { id: " " } }), "customer.id"],
    ["saving without a customer", { ...withoutCustomer, saveInstrument: true }, "customer"],
    [
      "paying with a saved card without its customer",
      { ...withoutCustomer, method: PaymentMethod.savedCard("pi_1") },
      "customer"
    ],
    ["a return URL that is not http(s)", sale({ returnUrl: "javascript:alert(1)" }), "returnUrl"]
  ]
  for (const [name, input, field] of invalidSales) {
    it.effect(`${name} fails with ValidationError(${field}) before the driver is called`, () =>
      Effect.gen(function* () {
        const { calls, layer } = yield* setup
        const error = yield* Effect.flip(Payments.create(input).pipe(Effect.provide(layer)))
        assert.strictEqual(error._tag, "ValidationError")
        assert.isTrue(error._tag === "ValidationError" && error.field === field)
        assert.strictEqual(error.provider, "test")
        assert.strictEqual(error.operation, "Payments.create")
        assert.notInclude(error.message, PAN)
        assert.strictEqual(calls.length, 0)
      })
    )
  }

  it.effect("a ref from another provider is refused before any I/O", () =>
    Effect.gen(function* () {
      const { calls, layer } = yield* setup
      const foreign = Ids.PaymentRef.make({ provider: "cashfree", paymentId: Ids.PaymentId.make("123") })
      const attempts: ReadonlyArray<
        Effect.Effect<
          unknown,
          PaymentError.OperationError,
          | Payments.Payments
          | Authorization.Authorization
          | OtpAuthentication.OtpAuthentication
          | ThreeDsAuthentication.ThreeDsAuthentication
        >
      > = [
        Payments.get(foreign),
        Payments.listRefunds(foreign),
        Payments.refund({ payment: foreign, amount: Money.unsafeMake(1, "INR") }),
        Authorization.capture({ payment: foreign }),
        Authorization.void({ payment: foreign }),
        OtpAuthentication.resend(foreign),
        ThreeDsAuthentication.complete({ payment: foreign })
      ]
      for (const attempt of attempts) {
        const error = yield* Effect.flip(attempt.pipe(Effect.provide(layer)))
        assert.isTrue(error._tag === "ValidationError" && error.field === "payment")
      }
      assert.strictEqual(calls.length, 0)
    })
  )

  it.effect("capture, void and refund derive distinct keys; a refund reference separates equal refunds", () =>
    Effect.gen(function* () {
      const { calls, layer, payment } = yield* setup
      const half = Money.unsafeMake(500, "INR")
      yield* Authorization.capture({ payment: payment.ref, amount: half }).pipe(Effect.provide(layer))
      yield* Authorization.capture({ payment: payment.ref }).pipe(Effect.provide(layer))
      yield* Authorization.void({ payment: payment.ref }).pipe(Effect.provide(layer))
      const keys = calls.map((c) => (c.input as { idempotencyKey: string }).idempotencyKey)
      assert.strictEqual(new Set(keys).size, 3)
      assert.strictEqual(calls[0]?.span, "Authorization.capture")
      assert.strictEqual(calls[2]?.span, "Authorization.void")
      const refunds = [
        Payments.refund({ payment: payment.ref, amount: half, reference: "r1" }),
        Payments.refund({ payment: payment.ref, amount: half, reference: "r2" }),
        Payments.refund({ payment: payment.ref, amount: half, reference: "r2" })
      ]
      for (const refund of refunds) yield* Effect.exit(refund.pipe(Effect.provide(layer)))
      const refundKeys = calls.slice(3).map((c) => (c.input as { idempotencyKey: string }).idempotencyKey)
      assert.notStrictEqual(refundKeys[0], refundKeys[1])
      assert.strictEqual(refundKeys[1], refundKeys[2])
      const bad = yield* Effect.flip(
        Payments.refund({ payment: payment.ref, amount: half, reference: "has space" }).pipe(Effect.provide(layer))
      )
      assert.isTrue(bad._tag === "ValidationError" && bad.field === "reference")
    })
  )

  it.effect("OTP is checked and handed to the driver redacted", () =>
    Effect.gen(function* () {
      const { calls, layer, payment } = yield* setup
      const bad = yield* Effect.flip(
        OtpAuthentication.submit({ payment: payment.ref, otp: "12ab" }).pipe(Effect.provide(layer))
      )
      assert.isTrue(bad._tag === "ValidationError" && bad.field === "otp")
      yield* OtpAuthentication.submit({ payment: payment.ref, otp: "111000" }).pipe(Effect.provide(layer))
      const submitted = calls[0]?.input as OtpAuthentication.Submit
      assert.isTrue(Redacted.isRedacted(submitted.otp))
      assert.strictEqual(Redacted.value(submitted.otp), "111000")
    })
  )

  it.effect("3-D Secure completion derives one key per payment, so a repeated completion is the same request", () =>
    Effect.gen(function* () {
      const { calls, layer, payment } = yield* setup
      const other = Ids.PaymentRef.make({ provider: "test", paymentId: Ids.PaymentId.make("pay_2") })
      yield* ThreeDsAuthentication.complete({ payment: payment.ref }).pipe(Effect.provide(layer))
      yield* ThreeDsAuthentication.complete({ payment: payment.ref }).pipe(Effect.provide(layer))
      yield* ThreeDsAuthentication.complete({ payment: other }).pipe(Effect.provide(layer))
      const requests = calls.map((c) => c.input as ThreeDsAuthentication.Complete)
      assert.strictEqual(requests[0]?.idempotencyKey, requests[1]?.idempotencyKey)
      assert.notStrictEqual(requests[0]?.idempotencyKey, requests[2]?.idempotencyKey)
      assert.strictEqual(calls[0]?.span, "ThreeDsAuthentication.complete")
      const bad = yield* Effect.flip(
        ThreeDsAuthentication.complete({ payment: payment.ref, idempotencyKey: "" }).pipe(Effect.provide(layer))
      )
      assert.isTrue(bad._tag === "ValidationError" && bad.field === "idempotencyKey")
      assert.strictEqual(calls.length, 3)
    })
  )

  it.effect("vault, enrollment and customer inputs are validated", () =>
    Effect.gen(function* () {
      const { calls, layer } = yield* setup
      const run = <A>(
        effect: Effect.Effect<
          A,
          PaymentError.OperationError,
          Vault.Vault | VaultEnrollment.VaultEnrollment | Customers.Customers
        >
      ) => Effect.flip(effect.pipe(Effect.provide(layer)))
      const fields = [
        yield* run(Vault.list({ customerId: "" })),
        yield* run(Vault.list({ customerId: "cus_1", limit: 0 })),
        yield* run(Vault.delete({ customerId: "cus_1", instrumentId: "" })),
        yield* run(VaultEnrollment.update({ customerId: "cus_1", instrumentId: "pi_1", etag: "e1" })),
        yield* run(
          VaultEnrollment.create({
            customerId: "cus_1",
            card: PaymentMethod.card({ number: "1234567890123", expiry: { month: 1, year: 2030 } })
          })
        ),
        yield* run(Customers.create({ email: "not-an-email" })),
        yield* run(Customers.create({ phone: "12" })),
        yield* run(Customers.get(""))
      ].map((e) => (e._tag === "ValidationError" ? e.field : e._tag))
      assert.deepStrictEqual(fields, [
        "customerId",
        "limit",
        "instrumentId",
        "changes",
        "card.number",
        "email",
        "phone",
        "customerId"
      ])
      assert.strictEqual(calls.length, 0)
      const page = yield* Vault.list({ customerId: "cus_1" }).pipe(Effect.provide(layer))
      assert.deepStrictEqual(page.items, [])
      assert.strictEqual(inputOf<Vault.List>(calls, 0).limit, 20)
    })
  )

  it.effect("enrollment derives its key from a hash of the card, never the digits", () =>
    Effect.gen(function* () {
      const { calls, layer } = yield* setup
      const card = PaymentMethod.card({ number: PAN, expiry: { month: 1, year: 2030 }, cvv: CVV })
      yield* Effect.exit(VaultEnrollment.create({ customerId: "cus_1", card }).pipe(Effect.provide(layer)))
      const request = calls[0]?.input as VaultEnrollment.Create
      assert.notInclude(request.idempotencyKey, "1111")
      assert.match(request.idempotencyKey, /^[0-9a-f-]{36}$/)
    })
  )
})

describe("Webhooks", () => {
  it("normalises headers to lowercase single values and keeps the raw body", () => {
    const request = Webhooks.normalize({
      headers: { "X-Webhook-Signature": "sig", "X-Webhook-Timestamp": ["1", "2"], Missing: undefined },
      body: '{"amount":170.00}'
    })
    assert.deepStrictEqual(request.headers, { "x-webhook-signature": "sig", "x-webhook-timestamp": "1" })
    assert.strictEqual(request.text, '{"amount":170.00}')
    assert.strictEqual(request.body.length, 17)
  })

  it.effect("timestamps outside the tolerance fail closed", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(1_000_000_000)
      yield* Webhooks.checkTimestamp("test", 1_000_000_000 - 299_000)
      yield* Webhooks.checkTimestamp("test", 1_000_000_000 + 299_000)
      const stale = yield* Effect.flip(Webhooks.checkTimestamp("test", 1_000_000_000 - 301_000))
      assert.strictEqual(stale._tag, "TimestampOutOfTolerance")
      const nan = yield* Effect.flip(Webhooks.checkTimestamp("test", Number.NaN))
      assert.strictEqual(nan._tag, "TimestampOutOfTolerance")
      yield* Webhooks.checkTimestamp("test", 1_000_000_000 - 10_000, 10)
    })
  )

  it.effect("verify runs the driver on the normalised request inside a span", () =>
    Effect.gen(function* () {
      let seen: Webhooks.Request | undefined
      const service = Webhooks.make({
        provider: "test",
        verify: (request) => {
          seen = request
          return Effect.fail(
            new PaymentError.SignatureInvalid({ provider: "test", operation: "Webhooks.verify", reason: "mismatch" })
          )
        }
      })
      const error = yield* Effect.flip(service.verify({ headers: { A: "1" }, body: new Uint8Array([123, 125]) }))
      assert.strictEqual(error._tag, "SignatureInvalid")
      assert.strictEqual(seen?.text, "{}")
      assert.deepStrictEqual(seen?.headers, { a: "1" })
    })
  )
})
