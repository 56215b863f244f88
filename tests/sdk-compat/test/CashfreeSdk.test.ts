/**
 * The official Cashfree Node SDK (`cashfree-pg`), unchanged, against Payport's Cashfree emulator.
 *
 * The SDK is configured the way a merchant configures it — `new Cashfree(CFEnvironment.SANDBOX,
 * clientId, clientSecret, …)` — and pointed at the emulator with its public `basePath` field
 * (every generated call is `request(this.axios, this.basePath)`, cashfree-pg 6.0.6 `api.ts`). The
 * 7th constructor argument turns off the SDK's bundled Sentry reporting, which would otherwise
 * send errors to Cashfree's Sentry project (no network but loopback here).
 */
import * as CashfreeEmulator from "@payport/emulators/CashfreeEmulator"
import { Cashfree, CFEnvironment, type CreateOrderRequest, type PayOrderRequest } from "cashfree-pg"
import * as ManagedRuntime from "effect/ManagedRuntime"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { failureOf, field } from "./support/SdkError.js"
import * as WebhookReceiver from "./support/WebhookReceiver.js"

const runtime = ManagedRuntime.make(CashfreeEmulator.layer())
let emulator: CashfreeEmulator.CashfreeEmulator
let receiver: WebhookReceiver.WebhookReceiver
let cashfree: Cashfree

/** Unique per run, so ids never collide with another test's. */
const run = globalThis.crypto.randomUUID().slice(0, 8)
let sequence = 0
const nextId = (prefix: string) => `${prefix}_${run}_${++sequence}`

/** A merchant's SDK client for the emulator (what README.md tells users to write). */
const client = (clientSecret: string = emulator.clientSecret): Cashfree => {
  const sdk = new Cashfree(
    CFEnvironment.SANDBOX,
    emulator.clientId,
    clientSecret,
    undefined,
    undefined,
    undefined,
    false
  )
  sdk.basePath = emulator.baseUrl
  return sdk
}

const customer = { customer_id: "sdk_customer_1", customer_phone: "9999999999", customer_email: "payer@example.com" }

const orderRequest = (amount: number, extra: Partial<CreateOrderRequest> = {}): CreateOrderRequest => ({
  order_id: nextId("order"),
  order_amount: amount,
  order_currency: "INR",
  customer_details: customer,
  order_meta: { notify_url: receiver.url, return_url: "https://merchant.example/return?order_id={order_id}" },
  ...extra
})

const card = (cardNumber: string, channel: "link" | "post" = "link") => ({
  card: {
    channel,
    card_number: cardNumber,
    card_holder_name: "Test Payer",
    card_expiry_mm: "03",
    card_expiry_yy: "28",
    card_cvv: "123"
  }
})

/** Creates an order and pays it with `method`; returns the order id and the Order Pay answer. */
const createAndPay = async (
  sdk: Cashfree,
  amount: number,
  method: PayOrderRequest["payment_method"],
  options: { readonly order?: Partial<CreateOrderRequest>; readonly saveInstrument?: boolean } = {}
) => {
  const order = await sdk.PGCreateOrder(orderRequest(amount, options.order))
  const orderId = order.data.order_id ?? ""
  const sessionId = order.data.payment_session_id ?? ""
  const pay = await sdk.PGPayOrder({
    payment_session_id: sessionId,
    payment_method: method,
    ...(options.saveInstrument === undefined ? {} : { save_instrument: options.saveInstrument })
  })
  return { orderId, order: order.data, pay: pay.data, cfPaymentId: String(pay.data.cf_payment_id) }
}

beforeAll(async () => {
  emulator = await runtime.runPromise(CashfreeEmulator.Emulator)
  receiver = await WebhookReceiver.start()
  cashfree = client()
})

afterAll(async () => {
  await receiver.close()
  await runtime.dispose()
})

describe("cashfree-pg 6.0.6 against the Cashfree emulator", () => {
  it("creates and fetches an order (PGCreateOrder, PGFetchOrder)", async () => {
    const request = orderRequest(10.5)
    const created = await cashfree.PGCreateOrder(request)
    expect(created.status).toBe(200)
    expect(created.data.order_id).toBe(request.order_id)
    expect(created.data.order_amount).toBe(10.5)
    expect(created.data.order_currency).toBe("INR")
    expect(created.data.order_status).toBe("ACTIVE")
    expect(created.data.payment_session_id).toMatch(/\S/)
    expect(typeof created.data.cf_order_id).toBe("string")
    expect(created.data.customer_details?.customer_id).toBe(customer.customer_id)
    // The SDK sends its default version; the emulator answers in it.
    expect(created.headers["x-api-version"]).toBe(cashfree.XApiVersion)

    const fetched = await cashfree.PGFetchOrder(request.order_id ?? "")
    expect(fetched.data.cf_order_id).toBe(created.data.cf_order_id)
    expect(fetched.data.order_status).toBe("ACTIVE")
    expect(emulator.truth.order(request.order_id ?? "")?.amount).toBe(1050)
  })

  it("pays by card and reads the payment back (PGPayOrder, PGOrderFetchPayments, PGOrderFetchPayment)", async () => {
    const { orderId, pay, cfPaymentId } = await createAndPay(cashfree, 249.99, card("4111111111111111"))
    expect(pay.payment_method).toBe("card")
    expect(pay.channel).toBe("link")
    expect(pay.payment_amount).toBe(249.99)
    expect(cfPaymentId).toMatch(/^\d+$/)

    const payments = await cashfree.PGOrderFetchPayments(orderId)
    expect(payments.data).toHaveLength(1)
    const [listed] = payments.data
    expect(listed?.cf_payment_id).toBe(cfPaymentId)
    expect(listed?.payment_status).toBe("SUCCESS")
    expect(listed?.payment_amount).toBe(249.99)
    expect(listed?.is_captured).toBe(true)

    const payment = await cashfree.PGOrderFetchPayment(orderId, cfPaymentId)
    expect(payment.data.order_id).toBe(orderId)
    expect(payment.data.payment_status).toBe("SUCCESS")
    expect(payment.data.payment_currency).toBe("INR")
    expect((await cashfree.PGFetchOrder(orderId)).data.order_status).toBe("PAID")
    expect(emulator.truth.chargesFor(orderId)).toBe(1)
  })

  it("completes a native-OTP card payment (PGOrderAuthenticatePayment)", async () => {
    const { orderId, pay, cfPaymentId } = await createAndPay(cashfree, 100, card("4706131211212123", "post"))
    expect(pay.channel).toBe("post")
    expect((await cashfree.PGOrderFetchPayment(orderId, cfPaymentId)).data.payment_status).toBe("PENDING")

    const wrong = await cashfree.PGOrderAuthenticatePayment(cfPaymentId, { otp: "000000", action: "SUBMIT_OTP" })
    expect(wrong.data.authenticate_status).toBe("FAILED")
    const right = await cashfree.PGOrderAuthenticatePayment(cfPaymentId, { otp: "111000", action: "SUBMIT_OTP" })
    expect(right.data.cf_payment_id).toBe(cfPaymentId)
    expect(right.data.authenticate_status).toBe("SUCCESS")
    expect((await cashfree.PGOrderFetchPayment(orderId, cfPaymentId)).data.payment_status).toBe("SUCCESS")
  })

  it("takes a UPI collect payment to SUCCESS once the payer approves", async () => {
    const { orderId, pay, cfPaymentId } = await createAndPay(cashfree, 42, {
      upi: { channel: "collect", upi_id: "testsuccess@gocash" }
    })
    expect(pay.payment_method).toBe("upi")
    expect(pay.channel).toBe("collect")
    expect((await cashfree.PGOrderFetchPayment(orderId, cfPaymentId)).data.payment_status).toBe("PENDING")

    emulator.payer.approve(cfPaymentId)
    const payment = await cashfree.PGOrderFetchPayment(orderId, cfPaymentId)
    expect(payment.data.payment_status).toBe("SUCCESS")
    expect(payment.data.payment_amount).toBe(42)
    expect(payment.data.payment_group).toBe("upi")
  })

  it("fails a UPI collect to a failing VPA, and drives a pending one with PGSimulatePayment", async () => {
    const failing = await createAndPay(cashfree, 42, { upi: { channel: "collect", upi_id: "testfailure@gocash" } })
    emulator.payer.approve(failing.cfPaymentId)
    const failed = await cashfree.PGOrderFetchPayment(failing.orderId, failing.cfPaymentId)
    expect(failed.data.payment_status).toBe("FAILED")
    expect(failed.data.error_details?.error_code).toMatch(/\S/)

    const pending = await createAndPay(cashfree, 42, { upi: { channel: "collect", upi_id: "testsuccess@gocash" } })
    const simulation = await cashfree.PGSimulatePayment({
      entity: "PAYMENTS",
      entity_id: pending.cfPaymentId,
      entity_simulation: { payment_status: "USER_DROPPED" }
    })
    expect(simulation.data.entity_id).toBe(pending.cfPaymentId)
    const fetched = await cashfree.PGFetchSimulation(simulation.data.simulation_id ?? "")
    expect(fetched.data.simulation_id).toBe(simulation.data.simulation_id)
    expect((await cashfree.PGOrderFetchPayment(pending.orderId, pending.cfPaymentId)).data.payment_status).toBe(
      "USER_DROPPED"
    )
  })

  const redirectMethods: ReadonlyArray<
    readonly [name: string, amount: number, method: PayOrderRequest["payment_method"], group: string]
  > = [
    ["netbanking", 60, { netbanking: { channel: "link", netbanking_bank_name: "TESTR" } }, "net_banking"],
    ["wallet (app)", 61, { app: { channel: "link", provider: "phonepe", phone: "8714268343" } }, "wallet"],
    [
      "card EMI",
      3000,
      {
        emi: {
          channel: "link",
          card_number: "4576238912771450",
          card_expiry_mm: "03",
          card_expiry_yy: "28",
          card_cvv: "123",
          card_bank_name: "hdfc",
          emi_tenure: 3
        }
      },
      "credit_card_emi"
    ],
    ["pay later", 62, { paylater: { channel: "link", provider: "lazypay", phone: "8714268343" } }, "pay_later"],
    [
      "cardless EMI",
      1500,
      { cardless_emi: { channel: "link", provider: "flexmoney", phone: "8714268343", emi_tenure: 3 } },
      "cardless_emi"
    ]
  ]

  it.each(redirectMethods)("pays by %s through the payer page's redirect", async (_name, amount, method, group) => {
    const { orderId, pay, cfPaymentId } = await createAndPay(cashfree, amount, method)
    expect(pay.action).toBe("link")
    expect(pay.data?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//)
    expect((await cashfree.PGOrderFetchPayment(orderId, cfPaymentId)).data.payment_status).toBe("PENDING")
    emulator.payer.approve(cfPaymentId)
    const payment = await cashfree.PGOrderFetchPayment(orderId, cfPaymentId)
    expect(payment.data.payment_status).toBe("SUCCESS")
    expect(payment.data.payment_group).toBe(group)
    expect(payment.data.payment_amount).toBe(amount)
  })

  it("returns UPI intent deep links and a QR code (PGPayOrder upi link / qrcode)", async () => {
    const intent = await createAndPay(cashfree, 30, { upi: { channel: "link" } })
    expect(intent.pay.channel).toBe("link")
    expect(intent.pay.action).toBe("custom")
    expect(intent.pay.data?.payload).toMatchObject({ default: expect.stringMatching(/^upi:\/\/pay\?/) })

    const qr = await createAndPay(cashfree, 31, { upi: { channel: "qrcode" } })
    expect(qr.pay.channel).toBe("qrcode")
    expect(qr.pay.data?.payload).toMatchObject({ qrcode: expect.stringMatching(/\S/) })
  })

  it("terminates an unpaid order (PGTerminateOrder)", async () => {
    const created = await cashfree.PGCreateOrder(orderRequest(12))
    const orderId = created.data.order_id ?? ""
    const terminated = await cashfree.PGTerminateOrder(orderId, { order_status: "TERMINATED" })
    expect(terminated.data.order_id).toBe(orderId)
    expect(["TERMINATED", "TERMINATION_REQUESTED"]).toContain(terminated.data.order_status)
    expect((await cashfree.PGFetchOrder(orderId)).data.order_status).toMatch(/^TERMINAT/)
  })

  it("captures part of a pre-authorised card payment and voids another (PGAuthorizeOrder)", async () => {
    const preauth = { order_note: "preauth_transaction" }
    const held = await createAndPay(cashfree, 500, card("4111111111111111"), { order: preauth })
    const hold = await cashfree.PGOrderFetchPayment(held.orderId, held.cfPaymentId)
    expect(hold.data.payment_status).toBe("SUCCESS")
    expect(hold.data.is_captured).toBe(false)

    const captured = await cashfree.PGAuthorizeOrder(held.orderId, { action: "CAPTURE", amount: 300 })
    expect(captured.data.cf_payment_id).toBe(held.cfPaymentId)
    expect(captured.data.authorization?.action).toBe("CAPTURE")
    expect(captured.data.authorization?.captured_amount).toBe(300)
    expect(emulator.truth.payments(held.orderId)[0]?.capturedAmount).toBe(30000)

    const again = await failureOf(() => cashfree.PGAuthorizeOrder(held.orderId, { action: "VOID" }))
    expect(again.status).toBe(400)

    const released = await createAndPay(cashfree, 500, card("4111111111111111"), { order: preauth })
    const voided = await cashfree.PGAuthorizeOrder(released.orderId, { action: "VOID" })
    expect(voided.data.authorization?.action).toBe("VOID")
    expect(emulator.truth.payments(released.orderId)[0]?.authorizationAction).toBe("VOID")
  })

  it("refunds part of a payment and reads refunds back (PGOrderCreateRefund, PGOrderFetchRefund(s))", async () => {
    const { orderId, cfPaymentId } = await createAndPay(cashfree, 100, card("5105105105105100"))
    const refundId = nextId("refund")
    const created = await cashfree.PGOrderCreateRefund(orderId, {
      refund_amount: 25.5,
      refund_id: refundId,
      refund_note: "partial refund",
      refund_speed: "STANDARD"
    })
    expect(created.data.refund_id).toBe(refundId)
    expect(created.data.order_id).toBe(orderId)
    expect(created.data.cf_payment_id).toBe(cfPaymentId)
    expect(created.data.refund_amount).toBe(25.5)
    expect(created.data.refund_status).toBe("PENDING")

    const fetched = await cashfree.PGOrderFetchRefund(orderId, refundId)
    expect(fetched.data.refund_status).toBe("SUCCESS")
    expect(fetched.data.cf_refund_id).toBe(created.data.cf_refund_id)
    const all = await cashfree.PGOrderFetchRefunds(orderId)
    expect(all.data.map((r) => r.refund_id)).toEqual([refundId])
    expect(emulator.truth.refunds(orderId)[0]?.amount).toBe(2550)

    const tooMuch = await failureOf(() =>
      cashfree.PGOrderCreateRefund(orderId, { refund_amount: 80, refund_id: nextId("refund") })
    )
    expect(tooMuch.status).toBe(400)
  })

  it("saves a card, pays with it, fetches its cryptogram and deletes it (token vault)", async () => {
    const { orderId } = await createAndPay(cashfree, 10, card("4111111111111111"), { saveInstrument: true })
    expect(emulator.truth.chargesFor(orderId)).toBe(1)

    const listed = await cashfree.PGCustomerFetchInstruments(customer.customer_id, "card")
    const saved = listed.data.find((i) => i.instrument_status === "ACTIVE")
    expect(saved?.customer_id).toBe(customer.customer_id)
    expect(saved?.instrument_type).toBe("card")
    const instrumentId = saved?.instrument_id ?? ""
    expect(instrumentId).toMatch(/\S/)

    const one = await cashfree.PGCustomerFetchInstrument(customer.customer_id, instrumentId)
    expect(one.data.instrument_id).toBe(instrumentId)
    expect(one.data.instrument_display).toMatch(/1111$/)

    const cryptogram = await cashfree.PGCustomerInstrumentsFetchCryptogram(customer.customer_id, instrumentId)
    expect(cryptogram.data.instrument_id).toBe(instrumentId)
    expect(cryptogram.data.cryptogram).toMatch(/\S/)
    expect(cryptogram.data.card_number).toMatch(/^\d{16}$/)
    expect(cryptogram.data.card_number).not.toBe("4111111111111111")

    const repeat = await createAndPay(cashfree, 11, {
      card: { channel: "link", instrument_id: instrumentId, card_cvv: "123" }
    })
    expect((await cashfree.PGOrderFetchPayment(repeat.orderId, repeat.cfPaymentId)).data.payment_status).toBe("SUCCESS")

    const deleted = await cashfree.PGCustomerDeleteInstrument(customer.customer_id, instrumentId)
    expect(deleted.data.instrument_id).toBe(instrumentId)
    const gone = await failureOf(() => cashfree.PGCustomerFetchInstrument(customer.customer_id, instrumentId))
    expect(gone.status).toBe(404)
  })

  it("verifies a webhook the emulator delivered (PGVerifyWebhookSignature)", async () => {
    const { orderId } = await createAndPay(cashfree, 77.7, card("4111111111111111"))
    const delivery = await receiver.waitFor(
      (r) => r.rawBody.includes(`"${orderId}"`) && r.rawBody.includes("PAYMENT_SUCCESS")
    )
    const signature = WebhookReceiver.header(delivery, "x-webhook-signature")
    const timestamp = WebhookReceiver.header(delivery, "x-webhook-timestamp")

    const event = cashfree.PGVerifyWebhookSignature(signature, delivery.rawBody, timestamp)
    expect(event.type).toBe("PAYMENT_SUCCESS_WEBHOOK")
    expect(event.raw).toBe(delivery.rawBody)
    expect(JSON.parse(event.raw)).toMatchObject({
      type: "PAYMENT_SUCCESS_WEBHOOK",
      data: { order: { order_id: orderId }, payment: { payment_status: "SUCCESS", payment_amount: 77.7 } }
    })

    expect(() => cashfree.PGVerifyWebhookSignature(signature, `${delivery.rawBody} `, timestamp)).toThrow(
      /did not match/
    )
    expect(() => client("another_secret").PGVerifyWebhookSignature(signature, delivery.rawBody, timestamp)).toThrow(
      /did not match/
    )
    expect(WebhookReceiver.header(delivery, "x-webhook-version")).toBe(cashfree.XApiVersion)

    // Every webhook of the run so far — payments of every method, refunds, saved cards — verifies.
    await receiver.waitFor((r) => r.rawBody.includes("REFUND_STATUS_WEBHOOK"))
    const all = receiver.received()
    for (const received of all) {
      const verified = cashfree.PGVerifyWebhookSignature(
        WebhookReceiver.header(received, "x-webhook-signature"),
        received.rawBody,
        WebhookReceiver.header(received, "x-webhook-timestamp")
      )
      expect(verified.type).toBe(field(JSON.parse(received.rawBody), "type"))
    }
    const types = new Set(all.map((r) => field(JSON.parse(r.rawBody), "type")))
    for (const type of [
      "PAYMENT_SUCCESS_WEBHOOK",
      "PAYMENT_FAILED_WEBHOOK",
      "PAYMENT_USER_DROPPED_WEBHOOK",
      "REFUND_STATUS_WEBHOOK",
      "INSTRUMENT_ACTIVE_WEBHOOK"
    ])
      expect(types).toContain(type)
  })

  it("creates a customer (PGCreateCustomer)", async () => {
    const created = await cashfree.PGCreateCustomer({
      customer_phone: "9876543210",
      customer_email: "sdk@example.com",
      customer_name: "SDK Customer"
    })
    expect(created.data.customer_uid).toMatch(/\S/)
    expect(created.data.customer_phone).toBe("9876543210")
    expect(created.data.customer_name).toBe("SDK Customer")
  })

  it("replays an idempotent request and refuses a changed one (x_idempotency_key)", async () => {
    const key = globalThis.crypto.randomUUID()
    const request = orderRequest(15)
    const first = await cashfree.PGCreateOrder(request, undefined, key)
    const replay = await cashfree.PGCreateOrder(request, undefined, key)
    expect(replay.headers["x-idempotency-replayed"]).toBe("true")
    expect(replay.data.cf_order_id).toBe(first.data.cf_order_id)
    const changed = await failureOf(() => cashfree.PGCreateOrder({ ...request, order_amount: 16 }, undefined, key))
    expect(changed.status).toBe(422)
    expect(field(changed.body, "type")).toBe("idempotency_error")
  })

  it("surfaces documented errors through the SDK's rejection", async () => {
    const unauthorised = await failureOf(() => client("wrong_secret").PGFetchOrder("order_missing"))
    expect(unauthorised.status).toBe(401)
    expect(field(unauthorised.body, "type")).toBe("authentication_error")

    const missing = await failureOf(() => cashfree.PGFetchOrder(nextId("missing")))
    expect(missing.status).toBe(404)
    expect(field(missing.body, "code")).toBe("order_not_found")
  })

  it.each(["2025-01-01", "2023-08-01", "2022-09-01"])("serves the SDK pinned to x-api-version %s", async (version) => {
    const sdk = client()
    sdk.XApiVersion = version
    const { orderId, order, cfPaymentId } = await createAndPay(sdk, 20, card("4111111111111111"))
    expect(order.order_status).toBe("ACTIVE")
    const payment = await sdk.PGOrderFetchPayment(orderId, cfPaymentId)
    expect(payment.headers["x-api-version"]).toBe(version)
    expect(payment.data.payment_status).toBe("SUCCESS")
    // 2022-09-01 sends cf_* ids as integers (the SDK's types say string; it does not coerce).
    expect(String(payment.data.cf_payment_id)).toBe(cfPaymentId)
    expect(typeof order.cf_order_id).toBe(version === "2022-09-01" ? "number" : "string")
    expect(emulator.truth.order(orderId)?.version).toBe(version)
  })

  it("charged no order more than once over the whole run (truth API)", () => {
    const orders = emulator.truth.orders()
    expect(orders.length).toBeGreaterThan(10)
    for (const order of orders) expect(emulator.truth.chargesFor(order.orderId)).toBeLessThanOrEqual(1)
  })
})
