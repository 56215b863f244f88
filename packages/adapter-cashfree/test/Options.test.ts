/**
 * Every option a caller sets is honoured or refused before any I/O (issue 17 point 9): the UPI
 * collect expiry, the cardless EMI tenure, the billing address, the Cashfree offer id, the card
 * channel, and provider options the adapter does not know. Honoured options are read back from
 * what the emulator received; refused ones leave no request at all.
 */
import * as Authorization from "@payport/core/Authorization"
import { Address } from "@payport/core/Customer"
import * as Money from "@payport/core/Money"
import type { PaymentError } from "@payport/core/PaymentError"
import * as PaymentMethod from "@payport/core/PaymentMethod"
import type * as PaymentRequest from "@payport/core/PaymentRequest"
import * as Payments from "@payport/core/Payments"
import * as CashfreeEmulator from "@payport/emulators/CashfreeEmulator"
import { TestData } from "@payport/testkit"
import { assert, describe, it, layer as layerSuite } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { adapter, type Exchange } from "./support/Loopback.js"
import { problemsOf } from "./support/Requests.js"

const log: Array<Exchange> = []
const layer = CashfreeEmulator.layerWith(adapter({}, log))

const inr = (minor: number) => Money.unsafeMake(minor, "INR")
const run = globalThis.crypto.randomUUID().slice(0, 8)
let n = 0
const reference = () => `opt-${run}-${++n}`
const card = PaymentMethod.card({ number: TestData.successCards.visa, expiry: TestData.expiry, cvv: "123" })

/** The JSON bodies the adapter sent for `reference` to `path` (`/orders` or `/orders/sessions`). */
const sent = (path: string, since: number) =>
  log
    .slice(since)
    .filter((e) => e.method === "POST" && e.path === path && e.body !== undefined)
    .map((e) => JSON.parse(e.body ?? "{}") as Record<string, unknown>)

const pay = (
  method: PaymentMethod.PaymentMethod,
  extra: Partial<PaymentRequest.CreatePaymentInput> = {}
): Effect.Effect<{ readonly order: unknown; readonly pay: unknown }, PaymentError, Payments.Payments> =>
  Effect.gen(function* () {
    const since = log.length
    yield* Payments.create({ reference: reference(), amount: inr(10_000), method, ...extra })
    return { order: sent("/orders", since).at(-1), pay: sent("/orders/sessions", since).at(-1) }
  })

/** Fails unless `effect` fails with `tag` on `field` and sent nothing. */
const refused = <R>(effect: Effect.Effect<unknown, PaymentError, R>, tag: string, field: string) =>
  Effect.gen(function* () {
    const since = log.length
    const error = yield* Effect.flip(effect)
    assert.strictEqual(error._tag, tag)
    if (error._tag === "ValidationError") assert.strictEqual(error.field, field)
    assert.deepStrictEqual(log.slice(since), [], "a refused request reached Cashfree")
  })

layerSuite(Layer.orDie(layer), { excludeTestServices: true })("Cashfree options", (it) => {
  it.effect("UPI collect expiry becomes upi_expiry_minutes; outside Cashfree's 5–15 it is refused", () =>
    Effect.gen(function* () {
      const { pay: body } = yield* pay(PaymentMethod.upiCollect(TestData.upiSuccessVpa, 10))
      assert.deepInclude(body, {
        payment_method: { upi: { channel: "collect", upi_id: TestData.upiSuccessVpa, upi_expiry_minutes: 10 } }
      })
      yield* refused(
        Payments.create({
          reference: reference(),
          amount: inr(10_000),
          method: PaymentMethod.upiCollect(TestData.upiSuccessVpa, 30)
        }),
        "ValidationError",
        "method.collectExpiryMinutes"
      )
    })
  )

  it.effect("cardless EMI tenure becomes emi_tenure; a provider that needs one refuses a request without", () =>
    Effect.gen(function* () {
      const method = { _tag: "CardlessEmi", provider: "icici", phone: TestData.testPhone, tenureMonths: 6 } as const
      const { pay: body } = yield* pay(method)
      assert.deepInclude(body, {
        payment_method: {
          cardless_emi: { channel: "link", provider: "icici", phone: TestData.testPhone, emi_tenure: 6 }
        }
      })
      const { tenureMonths: _, ...untenured } = method
      yield* refused(
        Payments.create({ reference: reference(), amount: inr(10_000), method: untenured }),
        "ValidationError",
        "method.tenureMonths"
      )
    })
  )

  it.effect("billing becomes the order's cart_details.customer_billing_address", () =>
    Effect.gen(function* () {
      const billing = Address.make({
        firstName: "Asha",
        lastName: "Rao",
        line1: "12 MG Road",
        city: "Bengaluru",
        region: "KA",
        postalCode: "560001",
        country: "IN"
      })
      const { order } = yield* pay(card, { billing })
      assert.deepInclude(order, {
        cart_details: {
          customer_billing_address: {
            full_name: "Asha Rao",
            address_1: "12 MG Road",
            city: "Bengaluru",
            state: "KA",
            pincode: "560001",
            country: "IN"
          }
        }
      })
    })
  )

  it.effect("an offer id goes to Order Pay's offer_id; a malformed one is refused", () =>
    Effect.gen(function* () {
      const offer = "faa6cc05-d1e2-401c-b0cf-0c9db3ff0f0b"
      const { pay: body } = yield* pay(card, { providerOptions: { cashfree: { offer_id: offer } } })
      assert.deepInclude(body, { offer_id: offer })
      yield* refused(
        Payments.create({
          reference: reference(),
          amount: inr(10_000),
          method: card,
          providerOptions: { cashfree: { offer_id: 42 } }
        }),
        "ValidationError",
        "providerOptions.cashfree.offer_id"
      )
    })
  )

  it.effect("card channel: post or link for an entered card; anything else, or on a hold's post, is refused", () =>
    Effect.gen(function* () {
      const { pay: body } = yield* pay(card, { providerOptions: { cashfree: { channel: "post" } } })
      assert.strictEqual(
        (body as { payment_method: { card: { channel: string } } }).payment_method.card.channel,
        "post"
      )
      const field = "providerOptions.cashfree.channel"
      const input = { amount: inr(10_000), method: card }
      yield* refused(
        Payments.create({ ...input, reference: reference(), providerOptions: { cashfree: { channel: "redirect" } } }),
        "ValidationError",
        field
      )
      yield* refused(
        Payments.create({
          reference: reference(),
          amount: inr(10_000),
          method: PaymentMethod.upiCollect(TestData.upiSuccessVpa),
          providerOptions: { cashfree: { channel: "post" } }
        }),
        "ValidationError",
        field
      )
      yield* refused(
        Authorization.authorize({
          ...input,
          reference: reference(),
          providerOptions: { cashfree: { channel: "post" } }
        }),
        "ValidationError",
        field
      )
    })
  )

  it.effect(
    "an unknown Cashfree option, or malformed order tags, are refused; other providers' options are left alone",
    () =>
      Effect.gen(function* () {
        yield* refused(
          Payments.create({
            reference: reference(),
            amount: inr(10_000),
            method: card,
            providerOptions: { cashfree: { emi_tenure: 3 } }
          }),
          "ValidationError",
          "providerOptions.cashfree.emi_tenure"
        )
        yield* refused(
          Payments.create({
            reference: reference(),
            amount: inr(10_000),
            method: card,
            providerOptions: { cashfree: { order_tags: { batch: 7 } } }
          }),
          "ValidationError",
          "providerOptions.cashfree.order_tags"
        )
        const { order } = yield* pay(card, {
          providerOptions: { cashfree: { order_tags: { batch: "7" } }, cybersource: { anything: true } }
        })
        assert.deepInclude(order, { order_tags: { batch: "7" } })
      })
  )
})

describe("what the options sent", () => {
  it("every request validates against SPEC25's request schemas (cart_details, upi_expiry_minutes, offer_id…)", () => {
    const on2025 = log.filter((e) => e.headers["x-api-version"] === "2025-01-01")
    assert.isAbove(on2025.length, 10)
    const expected = {
      clientId: CashfreeEmulator.DEFAULT_CLIENT_ID,
      clientSecret: CashfreeEmulator.DEFAULT_CLIENT_SECRET,
      apiVersion: "2025-01-01"
    }
    assert.deepStrictEqual(
      on2025.flatMap((request) => problemsOf(request, expected)),
      []
    )
  })
})
