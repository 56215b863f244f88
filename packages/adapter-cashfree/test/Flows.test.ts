import * as Authorization from "@payport/core/Authorization"
import * as Cryptograms from "@payport/core/Cryptograms"
import * as Customers from "@payport/core/Customers"
import * as Money from "@payport/core/Money"
import * as OtpAuthentication from "@payport/core/OtpAuthentication"
import type { Payment } from "@payport/core/Payment"
import * as PaymentMethod from "@payport/core/PaymentMethod"
import * as Payments from "@payport/core/Payments"
import * as Vault from "@payport/core/Vault"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { requestSchema, validate } from "./support/OpenApi.js"
import { problemsOf } from "./support/Requests.js"
import { CLIENT_ID, CLIENT_SECRET, fake } from "./support/Layers.js"
import type { Recorded } from "./support/Stub.js"

const inr = (minor: number) => Money.unsafeMake(minor, "INR")
const card = PaymentMethod.card({
  number: "4111111111111111",
  expiry: { month: 12, year: 2030 },
  cvv: "987",
  holder: "Test Holder"
})
let n = 0
const ref = (label: string) => `${label}_${++n}`

const expected = { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, apiVersion: "2025-01-01" }

const assertValid = (log: ReadonlyArray<Recorded>) => {
  assert.isAbove(log.length, 0)
  assert.deepStrictEqual(
    log.flatMap((request) => problemsOf(request, expected)),
    []
  )
}

describe("the request validator", () => {
  it("rejects what SPEC25 rejects", () => {
    const schema = requestSchema("POST", "/orders/sessions")
    const good = {
      payment_session_id: "s",
      payment_method: { card: { channel: "link", card_number: "4111111111111111" } }
    }
    assert.deepStrictEqual(validate(schema, good), [])
    assert.isNotEmpty(validate(schema, { ...good, payment_method: { card: { channel: "redirect" } } }))
    assert.isNotEmpty(
      validate(schema, { ...good, payment_method: { card: { channel: "link", card_expiry_year: "26" } } })
    )
    assert.isNotEmpty(validate(schema, { payment_method: good.payment_method }))
    const order = requestSchema("POST", "/orders")
    const minimum = {
      order_amount: 10.5,
      order_currency: "INR",
      customer_details: { customer_id: "cus_1", customer_phone: "9876543210" }
    }
    assert.deepStrictEqual(validate(order, minimum), [])
    assert.isNotEmpty(validate(order, { ...minimum, order_amount: "10.50" }))
    assert.isNotEmpty(validate(order, { ...minimum, order_amount: 0.5 }))
    assert.isNotEmpty(
      validate(order, { ...minimum, customer_details: { customer_id: "cus_1", customer_phone: "98765" } })
    )
  })
})

describe("requests validate against the 2025-01-01 request schemas", () => {
  const pending = fake()
  it.layer(pending.layer)("every payment method through Order Pay", (it) => {
    it.effect("each method's action becomes the right RequiresAction variant", () =>
      Effect.gen(function* () {
        const pay = (method: PaymentMethod.PaymentMethod, extra: Partial<Parameters<typeof Payments.create>[0]> = {}) =>
          Payments.create({ reference: ref("sale"), amount: inr(10_050), method, ...extra })
        const actionOf = (p: Payment) => (p.status._tag === "RequiresAction" ? p.status.action._tag : p.status._tag)
        assert.strictEqual(actionOf(yield* pay(card)), "Redirect")
        assert.strictEqual(actionOf(yield* pay(card, { providerOptions: { cashfree: { channel: "post" } } })), "Otp")
        assert.strictEqual(
          actionOf(
            yield* pay(PaymentMethod.savedCard("54deabb4-ba45-4a60-9e6a-9c016fe7ab10", "987"), {
              customer: { id: "cus_1", phone: "9876543210" }
            })
          ),
          "Redirect"
        )
        assert.strictEqual(
          actionOf(
            yield* pay(
              PaymentMethod.networkToken({
                tokenPan: "4242424242424242",
                cryptogram: "AQBBBBBBZatIlaIAmWKSghwBBBB=",
                expiry: { month: 6, year: 2030 },
                tokenRequestorId: "22457512314"
              })
            )
          ),
          "Redirect"
        )
        const collect = yield* pay(PaymentMethod.upiCollect("testsuccess@gocash"))
        assert.deepStrictEqual(collect.status, {
          _tag: "RequiresAction",
          action: { _tag: "UpiCollect", vpa: "testsuccess@gocash" }
        })
        const intent = yield* pay(PaymentMethod.upiIntent)
        assert.strictEqual(actionOf(intent), "UpiIntent")
        if (intent.status._tag === "RequiresAction" && intent.status.action._tag === "UpiIntent") {
          assert.strictEqual(intent.status.action.uris.default, "upi://pay?pa=cf@axis&am=10.00")
        }
        const qr = yield* pay(PaymentMethod.upiQr)
        assert.deepStrictEqual(qr.status, {
          _tag: "RequiresAction",
          action: { _tag: "QrCode", payload: "data:image/png;base64,iVBORw0KGgo=" }
        })
        assert.strictEqual(actionOf(yield* pay({ _tag: "Netbanking", bankCode: "3021" })), "Redirect")
        assert.strictEqual(actionOf(yield* pay({ _tag: "Netbanking", bankCode: "TESTR" })), "Redirect")
        assert.strictEqual(
          actionOf(yield* pay({ _tag: "Wallet", provider: "phonepe", phone: "+919876543210" })),
          "Redirect"
        )
        assert.strictEqual(
          actionOf(yield* pay({ _tag: "PayLater", provider: "simpl", phone: "8714268343" })),
          "Redirect"
        )
        assert.strictEqual(
          actionOf(yield* pay({ _tag: "CardlessEmi", provider: "flexmoney", phone: "8714268343" })),
          "Redirect"
        )
        const emi: PaymentMethod.CardEmi = { ...card, _tag: "CardEmi", bank: "HDFC", tenureMonths: 3 }
        assert.strictEqual(actionOf(yield* pay(emi)), "Redirect")
        const redirect = (yield* pay(card)).status
        if (redirect._tag === "RequiresAction" && redirect.action._tag === "Redirect") {
          assert.strictEqual(redirect.action.method, "POST")
          assert.isTrue(redirect.action.url.startsWith("https://sandbox.cashfree.com/pg/view/gateway/"))
          assert.deepStrictEqual(redirect.action.form, { name: "card" })
        }
        assertValid(pending.log)
      })
    )

    it.effect("preflight: methods and values Cashfree does not take fail before any I/O", () =>
      Effect.gen(function* () {
        const before = pending.log.length
        const fail = (method: PaymentMethod.PaymentMethod, reference = ref("bad")) =>
          Effect.flip(Payments.create({ reference, amount: inr(1_000), method }))
        assert.strictEqual(
          (yield* fail({ _tag: "Wallet", provider: "venmo", phone: "9876543210" }))._tag,
          "ValidationError"
        )
        assert.strictEqual((yield* fail({ _tag: "Netbanking", bankCode: "hdfc" }))._tag, "ValidationError")
        assert.strictEqual((yield* fail(card, "ab"))._tag, "ValidationError")
        const hold = yield* Effect.flip(
          Authorization.authorize({
            reference: ref("hold"),
            amount: inr(1_000),
            method: { _tag: "Netbanking", bankCode: "3021" }
          })
        )
        assert.strictEqual(hold._tag, "UnsupportedMethod")
        // Order Pay always has the payer present: a merchant-initiated payment is refused, not sent as a checkout.
        const merchantInitiated = yield* Effect.flip(
          Payments.create({
            reference: ref("mit"),
            amount: inr(1_000),
            method: card,
            customer: { id: "cust_1", phone: "9876543210" },
            initiator: { _tag: "Merchant", reason: "recurring", previousNetworkTransactionId: "100212023061229" }
          })
        )
        assert.strictEqual(merchantInitiated._tag, "UnsupportedMethod")
        if (merchantInitiated._tag === "UnsupportedMethod") {
          assert.strictEqual(merchantInitiated.method, "merchant-initiated payment")
        }
        assert.strictEqual(pending.log.length, before, "nothing was sent")
        // A customer-initiated stored-credential use is what Cashfree's checkout is: accepted.
        const customerInitiated = yield* Payments.create({
          reference: ref("cit"),
          amount: inr(1_000),
          method: card,
          customer: { id: "cust_1", phone: "9876543210" },
          initiator: { _tag: "Customer", storedCredential: "first" }
        })
        assert.strictEqual(customerInitiated.ref.provider, "cashfree")
      })
    )
  })

  const settled = fake({ statusAfterPay: "SUCCESS" })
  it.layer(settled.layer)("sales, holds, refunds, OTP, customers and the vault", (it) => {
    it.effect("sale, get, list, refund, get refund, list refunds", () =>
      Effect.gen(function* () {
        const reference = ref("order")
        const paid = yield* Payments.create({
          reference,
          amount: inr(10_050),
          method: card,
          description: "a test order"
        })
        assert.strictEqual(paid.status._tag, "Captured")
        assert.strictEqual(paid.ref.orderId, reference)
        assert.strictEqual(paid.ledger.captured.amount, 10_050)
        assert.strictEqual(paid.method.display, "•••• 1111")
        const read = yield* Payments.get(paid.ref)
        assert.strictEqual(read.ref.paymentId, paid.ref.paymentId)
        assert.deepStrictEqual(
          (yield* Payments.list(reference)).map((p) => p.ref.paymentId),
          [paid.ref.paymentId]
        )
        assert.deepStrictEqual(yield* Payments.list(ref("none")), [])
        const refund = yield* Payments.refund({ payment: paid.ref, amount: inr(1_001), reason: "partial refund" })
        assert.strictEqual(refund.amount.amount, 1_001)
        assert.strictEqual(refund.status._tag, "Pending")
        assert.strictEqual((yield* Payments.getRefund(refund.ref)).ref.refundId, refund.ref.refundId)
        assert.deepStrictEqual(
          (yield* Payments.listRefunds(paid.ref)).map((r) => r.ref.refundId),
          [refund.ref.refundId]
        )
        assert.strictEqual((yield* Payments.get(paid.ref)).ledger.refunded.amount, 1_001)
        const over = yield* Effect.flip(
          Payments.refund({ payment: paid.ref, amount: inr(20_000), reference: "rf_over" })
        )
        assert.strictEqual(over._tag, "InvalidState")
        assertValid(settled.log)
      })
    )

    it.effect("a replayed create returns the payment already made instead of paying again", () =>
      Effect.gen(function* () {
        const input = { reference: ref("idem"), amount: inr(5_000), method: card, idempotencyKey: ref("key-idem") }
        const first = yield* Payments.create(input)
        const sessions = settled.log.filter((r) => r.path === "/orders/sessions").length
        const second = yield* Payments.create(input)
        assert.strictEqual(second.ref.paymentId, first.ref.paymentId)
        assert.strictEqual(settled.log.filter((r) => r.path === "/orders/sessions").length, sessions)
      })
    )

    it.effect("hold, partial capture, second capture fails InvalidState; hold, void", () =>
      Effect.gen(function* () {
        const held = yield* Authorization.authorize({ reference: ref("hold"), amount: inr(10_000), method: card })
        assert.strictEqual(held.status._tag, "Authorized")
        assert.strictEqual(held.captureMode, "manual")
        const captured = yield* Authorization.capture({ payment: held.ref, amount: inr(4_000) })
        assert.strictEqual(captured.status._tag, "PartiallyCaptured")
        assert.strictEqual(captured.ledger.captured.amount, 4_000)
        const again = yield* Effect.flip(Authorization.capture({ payment: held.ref, amount: inr(3_000) }))
        assert.strictEqual(again._tag, "InvalidState")
        const other = yield* Authorization.authorize({
          reference: ref("hold"),
          amount: inr(2_500),
          method: PaymentMethod.upiCollect("testsuccess@gocash")
        })
        const voided = yield* Authorization.void({ payment: other.ref })
        assert.strictEqual(voided.status._tag, "Voided")
        const full = yield* Authorization.authorize({ reference: ref("hold"), amount: inr(2_500), method: card })
        const all = yield* Authorization.capture({ payment: full.ref })
        assert.strictEqual(all.status._tag, "Captured")
        assert.strictEqual(all.ledger.captured.amount, 2_500)
        assertValid(settled.log)
      })
    )

    it.effect("OTP submit, wrong OTP, resend", () =>
      Effect.gen(function* () {
        const payment = yield* Payments.create({
          reference: ref("otp"),
          amount: inr(3_000),
          method: card,
          providerOptions: { cashfree: { channel: "post" } }
        })
        const wrong = yield* Effect.flip(OtpAuthentication.submit({ payment: payment.ref, otp: "000111" }))
        assert.strictEqual(wrong._tag, "PaymentDeclined")
        if (wrong._tag === "PaymentDeclined") assert.strictEqual(wrong.code, "authentication_failed")
        yield* OtpAuthentication.resend(payment.ref)
        const done = yield* OtpAuthentication.submit({ payment: payment.ref, otp: Redacted.make("111000") })
        assert.strictEqual(done.status._tag, "Captured")
        assertValid(settled.log)
      })
    )

    it.effect("customers, saving a card, the vault and cryptograms", () =>
      Effect.gen(function* () {
        const customer = yield* Customers.create({
          reference: "merchant-cus-1",
          phone: "9999999999",
          email: "prasun@example.com",
          name: "Prasun"
        })
        assert.strictEqual(customer.id, "cfcustom_78364873648723")
        assert.strictEqual(customer.reference, "merchant-cus-1")
        assert.strictEqual((yield* Effect.flip(Customers.get(customer.id)))._tag, "UnsupportedMethod")
        const saved = yield* Payments.create({
          reference: ref("save"),
          amount: inr(1_000),
          method: card,
          customer: { id: "siddhesh_desai", phone: "9876543210", email: "s@example.com" },
          saveInstrument: true
        })
        assert.strictEqual(saved.savedInstrumentId, "54deabb4-ba45-4a60-9e6a-9c016fe7ab10")
        const key = { customerId: "siddhesh_desai", instrumentId: "54deabb4-ba45-4a60-9e6a-9c016fe7ab10" }
        const page = yield* Vault.list({ customerId: key.customerId })
        assert.deepStrictEqual(
          page.items.map((i) => i.id),
          [key.instrumentId]
        )
        assert.isUndefined(page.next)
        const instrument = yield* Vault.get(key)
        assert.strictEqual(instrument.display, "•••• 4375")
        assert.strictEqual(instrument.status, "Active")
        assert.deepStrictEqual(instrument.expiry, { month: 12, year: 2023 })
        const cryptogram = yield* Cryptograms.fetch(key)
        assert.strictEqual(Redacted.value(cryptogram.tokenPan), "4491365621601472")
        assert.strictEqual(Redacted.value(cryptogram.cryptogram), "AQBBBBBBZatIlaIAmWKSghwBBBB=")
        assert.deepStrictEqual(cryptogram.expiry, { month: 6, year: 2025 })
        assert.isFalse(String(cryptogram.tokenPan).includes("4491365621601472"))
        yield* Vault.delete(key)
        assertValid(settled.log)
      })
    )
  })
})
