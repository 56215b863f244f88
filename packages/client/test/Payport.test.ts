import { Cashfree } from "@payport/adapter-cashfree"
import { CyberSource } from "@payport/adapter-cybersource"
import { Payport } from "@payport/client"
import { Money, PaymentMethod, Provider } from "@payport/core"
import { ConfigurationError, OutcomeUnknown, PaymentDeclined, ValidationError } from "@payport/core/PaymentError"
import * as CashfreeEmulator from "@payport/emulators/CashfreeEmulator"
import * as CyberSourceEmulator from "@payport/emulators/CyberSourceEmulator"
import * as EmulatorFaults from "@payport/emulators/EmulatorFaults"
import { NodeTransport } from "@payport/http-node"
import * as InMemory from "@payport/testkit/InMemory"
import { afterAll, assert, beforeAll, describe, expectTypeOf, it } from "@effect/vitest"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Scope from "effect/Scope"

const card = (number: string) => PaymentMethod.card({ number, expiry: { month: 12, year: 2030 }, cvv: "123" })
const sale = (reference: string, number = "4111111111111111", minor = 149_900) => ({
  reference,
  amount: Money.unsafeMake(minor, "INR"),
  method: card(number)
})

/** The typed failure a promise rejected with. */
const rejected = async (promise: Promise<unknown>): Promise<unknown> => {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error("the call succeeded")
}

describe("Payport.make over the in-memory provider", () => {
  const payport = Payport.make(InMemory.layer())
  afterAll(() => payport.close())

  it("pays, captures and refunds with async/await", async () => {
    const payment = await payport.payments.create(sale("order-1"))
    assert.strictEqual(payment.status._tag, "Captured")
    const refund = await payport.payments.refund({ payment: payment.ref, amount: Money.unsafeMake(50_000, "INR") })
    assert.strictEqual(refund.amount.amount, 50_000)
    const again = await payport.payments.get(payment.ref)
    assert.strictEqual(again.ledger.refunded.amount, 50_000)
    const hold = await payport.authorization.authorize(sale("order-2"))
    const captured = await payport.authorization.capture({
      payment: hold.ref,
      amount: Money.unsafeMake(100_000, "INR")
    })
    assert.strictEqual(captured.ledger.captured.amount, 100_000)
  })

  it("a decline rejects with core's PaymentDeclined itself, not a wrapper", async () => {
    const error = await rejected(payport.payments.create(sale("order-3", "42423482938483873")))
    assert.instanceOf(error, PaymentDeclined)
    assert.strictEqual((error as PaymentDeclined)._tag, "PaymentDeclined")
    assert.strictEqual((error as PaymentDeclined).code, "invalid_account")
    assert.strictEqual((error as PaymentDeclined).group, "declined")
  })

  it("bad input rejects with ValidationError before any I/O", async () => {
    const error = await rejected(payport.payments.create({ ...sale("order-4"), reference: "" }))
    assert.instanceOf(error, ValidationError)
  })

  it("has every port the layer provides", () => {
    expectTypeOf(payport).toHaveProperty("cryptograms")
    expectTypeOf(payport).toHaveProperty("vaultEnrollment")
    expectTypeOf(payport.payments.create).returns.resolves.toHaveProperty("ref")
  })
})

describe("Payport.make over an adapter", () => {
  let scope: Scope.CloseableScope
  let emulator: CyberSourceEmulator.CyberSourceEmulator
  beforeAll(async () => {
    scope = Effect.runSync(Scope.make())
    emulator = await Effect.runPromise(Scope.extend(CyberSourceEmulator.start(), scope))
  })
  afterAll(() => Effect.runPromise(Scope.close(scope, Exit.void)))

  const layer = () =>
    CyberSource.layer({
      baseUrl: emulator.baseUrl,
      merchantId: emulator.merchantId,
      keyId: emulator.keyId,
      sharedSecret: Redacted.make(emulator.sharedSecret)
    }).pipe(Layer.provide(NodeTransport.layer))

  it("CyberSource: pays, and a declined card rejects with PaymentDeclined", async () => {
    await using payport = Payport.make(layer())
    const payment = await payport.payments.create(sale("cs-order-1"))
    assert.strictEqual(payment.status._tag, "Captured")
    assert.strictEqual(emulator.truth.chargesFor("cs-order-1"), 1)
    const error = await rejected(payport.payments.create(sale("cs-order-2", "42423482938483873")))
    assert.instanceOf(error, PaymentDeclined)
  })

  it("the client has only the ports its provider has", () => {
    const payport = Payport.make(layer())
    expectTypeOf(payport).toHaveProperty("vaultEnrollment")
    expectTypeOf(payport).not.toHaveProperty("cryptograms")
    expectTypeOf(payport).not.toHaveProperty("otp")
    const common = Payport.make(Layer.empty as unknown as Layer.Layer<Provider.CommonPorts>)
    expectTypeOf(common).toHaveProperty("payments")
    expectTypeOf(common).not.toHaveProperty("vaultEnrollment")
  })

  it("an AbortSignal cancels a call in flight: it rejects with the signal's reason, long before the answer", async () => {
    await using payport = Payport.make(layer())
    emulator.faults.add(EmulatorFaults.latency(3_000, { match: { path: "/pts/v2/payments" }, times: 1 }))
    const controller = new AbortController()
    const started = Date.now()
    const slow = payport.payments.create(sale("cs-order-4"), { signal: controller.signal })
    setTimeout(() => controller.abort(new Error("the customer left")), 200)
    const error = await rejected(slow)
    assert.instanceOf(error, Error)
    assert.strictEqual((error as Error).message, "the customer left")
    assert.isBelow(Date.now() - started, 2_000)
    assert.notInstanceOf(error, OutcomeUnknown)
  })

  it("a layer that cannot be built rejects every call with its ConfigurationError, naming the variable", async () => {
    const missing = Provider.layerFromConfig({ cybersource: CyberSource.layerConfig() }).pipe(
      Layer.provide(NodeTransport.layer),
      Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map([["PAYPORT_PROVIDER", "cybersource"]]))))
    )
    await using payport = Payport.make(missing)
    const error = await rejected(payport.payments.create(sale("cs-order-5")))
    assert.instanceOf(error, ConfigurationError)
    assert.include(String((error as ConfigurationError).message), "CYBERSOURCE_")
  })
})

describe("one decline rule: a declined card rejects with instanceof PaymentDeclined on every provider", () => {
  let scope: Scope.CloseableScope
  let cashfree: CashfreeEmulator.CashfreeEmulator
  let cybersource: CyberSourceEmulator.CyberSourceEmulator
  beforeAll(async () => {
    scope = Effect.runSync(Scope.make())
    cashfree = await Effect.runPromise(Scope.extend(CashfreeEmulator.start(), scope))
    cybersource = await Effect.runPromise(Scope.extend(CyberSourceEmulator.start(), scope))
  })
  afterAll(() => Effect.runPromise(Scope.close(scope, Exit.void)))

  const customer = { id: "cust-decline-1", phone: "9999999999", email: "payer@example.com" }
  const providers: ReadonlyArray<
    readonly [string, () => Layer.Layer<Provider.CommonPorts, ConfigurationError>, "INR" | "USD", string]
  > = [
    ["memory", () => InMemory.layer(), "INR", "do_not_honor"],
    [
      "cashfree",
      () =>
        Cashfree.layer({
          clientId: cashfree.clientId,
          clientSecret: Redacted.make(cashfree.clientSecret),
          environment: "sandbox",
          baseUrl: cashfree.baseUrl
        }).pipe(Layer.provide(NodeTransport.layer)),
      "INR",
      "do_not_honor"
    ],
    [
      "cybersource",
      () =>
        CyberSource.layer({
          baseUrl: cybersource.baseUrl,
          merchantId: cybersource.merchantId,
          keyId: cybersource.keyId,
          sharedSecret: Redacted.make(cybersource.sharedSecret)
        }).pipe(Layer.provide(NodeTransport.layer)),
      "USD",
      "generic_decline"
    ]
  ]

  for (const [name, layer, currency, code] of providers) {
    it(`${name}: a declined sale and a declined hold reject with PaymentDeclined (${code})`, async () => {
      await using payport = Payport.make(layer())
      const declined = {
        amount: Money.unsafeMake(1_000, currency),
        method: card("4000000000000002"),
        customer
      }
      const sale = await rejected(payport.payments.create({ ...declined, reference: `decline-${name}-sale` }))
      assert.instanceOf(sale, PaymentDeclined)
      assert.strictEqual((sale as PaymentDeclined).code, code)
      const hold = await rejected(payport.authorization.authorize({ ...declined, reference: `decline-${name}-hold` }))
      assert.instanceOf(hold, PaymentDeclined)
      assert.strictEqual((hold as PaymentDeclined).code, code)
    })
  }
})
