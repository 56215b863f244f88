import { createHmac } from "node:crypto"
import * as NodeHttp from "node:http"
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Scope from "effect/Scope"
import * as CashfreeEmulator from "../src/CashfreeEmulator.js"
import * as EmulatorFaults from "../src/EmulatorFaults.js"

// ------------------------------------------------------------------------------------------------
// Helpers: a plain fetch client, the way any Cashfree client would talk to the emulator.
// ------------------------------------------------------------------------------------------------

interface Started {
  readonly em: CashfreeEmulator.CashfreeEmulator
  readonly close: () => Promise<void>
}

const startEmulator = async (options?: CashfreeEmulator.Options): Promise<Started> => {
  const scope = Effect.runSync(Scope.make())
  const em = await Effect.runPromise(Scope.extend(CashfreeEmulator.start(options), scope))
  return { em, close: () => Effect.runPromise(Scope.close(scope, Exit.void)) }
}

interface Res {
  readonly status: number
  readonly headers: Headers
  readonly text: string
  readonly body: unknown
}

interface CallOptions {
  readonly body?: unknown
  /** `null` sends no x-api-version. */
  readonly version?: string | null
  /** false: no credentials; an object: these credentials. */
  readonly auth?: boolean | { readonly id: string; readonly secret: string }
  readonly headers?: Readonly<Record<string, string>>
}

const call = async (
  em: CashfreeEmulator.CashfreeEmulator,
  method: string,
  path: string,
  options: CallOptions = {}
): Promise<Res> => {
  const headers: Record<string, string> = { accept: "application/json" }
  const version = options.version === undefined ? "2025-01-01" : options.version
  if (version !== null) headers["x-api-version"] = version
  const auth = options.auth ?? true
  if (auth !== false) {
    headers["x-client-id"] = auth === true ? em.clientId : auth.id
    headers["x-client-secret"] = auth === true ? em.clientSecret : auth.secret
  }
  let body: string | undefined
  if (options.body !== undefined) {
    headers["content-type"] = "application/json"
    body = typeof options.body === "string" ? options.body : JSON.stringify(options.body)
  }
  const response = await fetch(`${em.baseUrl}${path}`, {
    method,
    headers: { ...headers, ...options.headers },
    ...(body === undefined ? {} : { body }),
    redirect: "manual"
  })
  const text = await response.text()
  let parsed: unknown
  try {
    parsed = text === "" ? undefined : JSON.parse(text)
  } catch {
    parsed = undefined
  }
  return { status: response.status, headers: response.headers, text, body: parsed }
}

/** `at(body, "data.payload.default")`, `at(list, "0.payment_status")`. */
const at = (value: unknown, path: string): unknown => {
  let current = value
  for (const key of path.split(".")) {
    if (typeof current !== "object" || current === null) return undefined
    current = (current as Record<string, unknown>)[key]
  }
  return current
}

const str = (value: unknown, path: string): string => {
  const v = at(value, path)
  assert.isString(v, `${path} should be a string`)
  return v as string
}

let counter = 0
const uniqueId = (label: string) => `${label}_${Date.now().toString(36)}_${++counter}`

const orderBody = (overrides: Record<string, unknown> = {}) => ({
  order_id: uniqueId("ord"),
  order_amount: 100.5,
  order_currency: "INR",
  customer_details: { customer_id: "cust_001", customer_phone: "9999999999", customer_email: "a@example.com" },
  ...overrides
})

const createOrder = async (
  em: CashfreeEmulator.CashfreeEmulator,
  overrides: Record<string, unknown> = {},
  version = "2025-01-01"
) => {
  const res = await call(em, "POST", "/orders", { body: orderBody(overrides), version })
  assert.strictEqual(res.status, 200, res.text)
  return { orderId: str(res.body, "order_id"), session: str(res.body, "payment_session_id"), body: res.body }
}

const card = (number: string, channel = "link", extra: Record<string, unknown> = {}) => ({
  card: {
    channel,
    card_number: number,
    card_holder_name: "Test Payer",
    card_expiry_mm: "12",
    card_expiry_yy: "31",
    card_cvv: "123",
    ...extra
  }
})

const pay = (
  em: CashfreeEmulator.CashfreeEmulator,
  session: string,
  method: unknown,
  extra: Record<string, unknown> = {},
  version = "2025-01-01"
) =>
  call(em, "POST", "/orders/sessions", {
    auth: false,
    version,
    body: { payment_session_id: session, payment_method: method, ...extra }
  })

const getPayments = async (em: CashfreeEmulator.CashfreeEmulator, orderId: string): Promise<ReadonlyArray<unknown>> => {
  const res = await call(em, "GET", `/orders/${orderId}/payments`)
  assert.strictEqual(res.status, 200, res.text)
  assert.isArray(res.body)
  return res.body as ReadonlyArray<unknown>
}

const assertError = (res: Res, status: number, code: string, type: string) => {
  assert.strictEqual(res.status, status, res.text)
  assert.strictEqual(at(res.body, "code"), code, res.text)
  assert.strictEqual(at(res.body, "type"), type, res.text)
  assert.isString(at(res.body, "message"))
}

// A webhook receiver on loopback that keeps the raw body.
interface Received {
  readonly headers: NodeHttp.IncomingHttpHeaders
  readonly body: string
}
const startReceiver = async () => {
  const received: Array<Received> = []
  const server = NodeHttp.createServer((req, res) => {
    const chunks: Array<Buffer> = []
    req.on("data", (c: Buffer) => chunks.push(c))
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") })
      res.writeHead(200).end("ok")
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const address = server.address()
  const port = typeof address === "object" && address !== null ? address.port : 0
  return {
    url: `http://127.0.0.1:${port}/webhooks/cashfree`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve()))
  }
}

// ------------------------------------------------------------------------------------------------

describe("CashfreeEmulator", () => {
  let started: Started
  let em: CashfreeEmulator.CashfreeEmulator
  beforeAll(async () => {
    started = await startEmulator({ seed: 42 })
    em = started.em
  })
  afterAll(() => started.close())

  describe("transport", () => {
    it("refuses wrong or missing credentials with 401 authentication_error, with rate-limit headers and the request id", async () => {
      const wrong = await call(em, "GET", "/orders/whatever", {
        auth: { id: em.clientId, secret: "not-the-secret" },
        headers: { "x-request-id": "req-123" }
      })
      assert.strictEqual(wrong.status, 401)
      assert.deepStrictEqual(wrong.body, {
        message: "authentication Failed",
        code: "request_failed",
        type: "authentication_error"
      })
      assert.strictEqual(wrong.headers.get("x-request-id"), "req-123")
      for (const h of ["x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-retry", "x-ratelimit-type"]) {
        assert.isNotNull(wrong.headers.get(h), h)
      }
      const none = await call(em, "POST", "/orders", { auth: false, body: orderBody() })
      assertError(none, 401, "request_failed", "authentication_error")
    })

    it("requires a supported x-api-version (400 version_missing)", async () => {
      assertError(
        await call(em, "GET", "/orders/x", { version: null }),
        400,
        "version_missing",
        "invalid_request_error"
      )
      assertError(
        await call(em, "GET", "/orders/x", { version: "2021-05-21" }),
        400,
        "version_missing",
        "invalid_request_error"
      )
      // Order Pay takes no credentials, but still needs the version.
      assertError(
        await call(em, "POST", "/orders/sessions", { auth: false, version: null, body: {} }),
        400,
        "version_missing",
        "invalid_request_error"
      )
      for (const version of CashfreeEmulator.apiVersions) {
        const res = await call(em, "GET", "/orders/missing-order", { version })
        assertError(res, 404, "order_not_found", "invalid_request_error")
        assert.strictEqual(res.headers.get("x-api-version"), version)
      }
    })

    it("answers an unknown route with the documented bad URL error, and rate-limit headers count down", async () => {
      assertError(await call(em, "GET", "/nothing/here"), 400, "request_failed", "invalid_request_error")
      const first = await call(em, "GET", "/orders/none-1")
      const second = await call(em, "GET", "/orders/none-2")
      assert.strictEqual(first.headers.get("x-ratelimit-limit"), "400")
      assert.strictEqual(first.headers.get("x-ratelimit-type"), "app_id")
      assert.strictEqual(
        Number(second.headers.get("x-ratelimit-remaining")),
        Number(first.headers.get("x-ratelimit-remaining")) - 1
      )
      assert.strictEqual(second.headers.get("x-ratelimit-retry"), "0")
    })
  })

  describe("orders", () => {
    it("validates the create-order request per the spec", async () => {
      const noPhone = orderBody({ customer_details: { customer_id: "cust_001" } })
      assertError(
        await call(em, "POST", "/orders", { body: noPhone }),
        400,
        "customer_details.customer_phone_missing",
        "invalid_request_error"
      )
      assertError(
        await call(em, "POST", "/orders", { body: orderBody({ order_amount: 10.123 }) }),
        400,
        "order_amount_invalid",
        "invalid_request_error"
      )
      assertError(
        await call(em, "POST", "/orders", { body: orderBody({ order_amount: 0.5 }) }),
        400,
        "order_amount_invalid",
        "invalid_request_error"
      )
      // ISO 4217 codes Cashfree has not enabled for the account: a fund code, and KWD.
      for (const currency of ["BOV", "KWD"]) {
        const refused = await call(em, "POST", "/orders", { body: orderBody({ order_currency: currency }) })
        assertError(refused, 400, "order_currency_invalid", "invalid_request_error")
        assert.include(str(refused.body, "message"), currency)
      }
      assert.strictEqual(
        (await call(em, "POST", "/orders", { body: orderBody({ order_currency: "USD", order_id: "order_usd_1" }) }))
          .status,
        200
      )
      const { order_currency: _c, ...noCurrency } = orderBody()
      assertError(
        await call(em, "POST", "/orders", { body: noCurrency }),
        400,
        "order_currency_missing",
        "invalid_request_error"
      )
      assertError(
        await call(em, "POST", "/orders", { body: orderBody({ order_meta: { payment_methods: "cc,bitcoin" } }) }),
        400,
        "order_meta.payment_methods_invalid",
        "invalid_request_error"
      )
      assertError(
        await call(em, "POST", "/orders", { body: "{not json" }),
        400,
        "request_invalid",
        "invalid_request_error"
      )
    })

    it("creates an ACTIVE order with a payment session, generates order_id when absent, and refuses a duplicate id with 409", async () => {
      const { order_id: _id, ...withoutId } = orderBody()
      const created = await call(em, "POST", "/orders", { body: withoutId })
      assert.strictEqual(created.status, 200, created.text)
      assert.match(str(created.body, "order_id"), /^order_/)
      assert.strictEqual(at(created.body, "order_status"), "ACTIVE")
      assert.strictEqual(at(created.body, "entity"), "order")
      assert.strictEqual(at(created.body, "order_amount"), 100.5)
      assert.match(str(created.body, "payment_session_id"), /^session_/)
      const body = orderBody()
      assert.strictEqual((await call(em, "POST", "/orders", { body })).status, 200)
      assertError(await call(em, "POST", "/orders", { body }), 409, "order_already_exists", "invalid_request_error")
      const fetched = await call(em, "GET", `/orders/${body.order_id}`)
      assert.strictEqual(at(fetched.body, "order_id"), body.order_id)
      assert.strictEqual(at(fetched.body, "customer_details.customer_phone"), "9999999999")
    })
  })

  describe("Order Pay and payments", () => {
    it("card that needs no authentication: SUCCESS at once, order PAID, and a second attempt is orderpay_not_found", async () => {
      const { orderId, session } = await createOrder(em)
      const res = await pay(em, session, card("4111111111111111"))
      assert.strictEqual(res.status, 200, res.text)
      assert.strictEqual(at(res.body, "payment_method"), "card")
      assert.strictEqual(at(res.body, "action"), "custom")
      assert.strictEqual(at(res.body, "payment_amount"), 100.5)
      const cfPaymentId = str(res.body, "cf_payment_id")
      const one = await call(em, "GET", `/orders/${orderId}/payments/${cfPaymentId}`)
      assert.strictEqual(at(one.body, "payment_status"), "SUCCESS")
      assert.strictEqual(at(one.body, "is_captured"), true)
      assert.strictEqual(at(one.body, "payment_method.card.card_number"), "411111XXXXXX1111")
      assert.strictEqual(at(one.body, "error_details"), null)
      assert.strictEqual(at((await call(em, "GET", `/orders/${orderId}`)).body, "order_status"), "PAID")
      assertError(await pay(em, session, card("4111111111111111")), 404, "orderpay_not_found", "invalid_request_error")
      assert.strictEqual(em.truth.chargesFor(orderId), 1)
    })

    it("a successful card payment carries the processor's details: auth_id, bank_reference, network reference, completion time; its webhook too", async () => {
      const { orderId, session } = await createOrder(em)
      const cfPaymentId = str((await pay(em, session, card("4111111111111111"))).body, "cf_payment_id")
      const one = await call(em, "GET", `/orders/${orderId}/payments/${cfPaymentId}`)
      assert.match(String(at(one.body, "auth_id")), /^A\d{6}$/)
      assert.match(String(at(one.body, "bank_reference")), /^\d{12}$/)
      assert.match(String(at(one.body, "payment_method.card.card_network_reference_id")), /^\d{15}$/)
      assert.isString(at(one.body, "payment_completion_time"))
      assert.strictEqual(at(one.body, "payment_gateway_details.gateway_payment_id"), cfPaymentId)
      const webhook = await em.webhooks.wait(
        (d) => d.event === "PAYMENT_SUCCESS_WEBHOOK" && d.body.includes(`"order_id":"${orderId}"`)
      )
      const data = (JSON.parse(webhook.body) as { readonly data: unknown }).data
      assert.strictEqual(at(data, "payment.auth_id"), at(one.body, "auth_id"))
      assert.strictEqual(at(data, "payment.payment_completion_time"), at(one.body, "payment_completion_time"))
      assert.strictEqual(
        at(data, "payment.payment_method.card.card_network_reference_id"),
        at(one.body, "payment_method.card.card_network_reference_id")
      )
    })

    it("card needing authentication on the link channel: the payer page at data.url approves it", async () => {
      const { orderId, session } = await createOrder(em, {
        order_meta: { return_url: "https://merchant.example/return?order_id={order_id}" }
      })
      const res = await pay(em, session, card("4706131211212123", "link"))
      assert.strictEqual(at(res.body, "action"), "link")
      assert.strictEqual(at(res.body, "data.method"), "post")
      assert.deepStrictEqual(at(res.body, "data.payload"), { name: "card" })
      const url = str(res.body, "data.url")
      assert.isTrue(url.startsWith(`${em.baseUrl}/view/gateway/`))
      const page = await fetch(url, {
        method: "POST",
        body: "name=card",
        headers: { "content-type": "application/x-www-form-urlencoded" }
      })
      const html = await page.text()
      assert.include(html, 'id="approve"')
      assert.include(html, 'id="decline"')
      assert.include(html, orderId)
      const pending = await getPayments(em, orderId)
      assert.strictEqual(at(pending, "0.payment_status"), "PENDING")
      const approved = await fetch(`${url}/approve`, { method: "POST", redirect: "manual" })
      assert.strictEqual(approved.status, 303)
      assert.strictEqual(approved.headers.get("location"), `https://merchant.example/return?order_id=${orderId}`)
      assert.strictEqual(at(await getPayments(em, orderId), "0.payment_status"), "SUCCESS")
    })

    it("the payer page's Decline fails the payment with TRANSACTION_DECLINED", async () => {
      const { orderId, session } = await createOrder(em)
      const res = await pay(em, session, { netbanking: { channel: "link", netbanking_bank_name: "TESTR" } })
      assert.strictEqual(at(res.body, "action"), "link")
      await fetch(`${str(res.body, "data.url")}/decline`, { method: "POST", redirect: "manual" })
      const [payment] = await getPayments(em, orderId)
      assert.strictEqual(at(payment, "payment_status"), "FAILED")
      assert.strictEqual(at(payment, "error_details.error_code"), "TRANSACTION_DECLINED")
      assert.strictEqual(at(payment, "payment_method.netbanking.netbanking_bank_code"), 3333)
    })

    it("a declining card fails with documented error_details and the order stays ACTIVE", async () => {
      const { orderId, session } = await createOrder(em)
      const res = await pay(em, session, card("4000000000000002"))
      assert.strictEqual(res.status, 200, res.text)
      const [payment] = await getPayments(em, orderId)
      assert.strictEqual(at(payment, "payment_status"), "FAILED")
      assert.deepStrictEqual(
        [
          at(payment, "error_details.error_code"),
          at(payment, "error_details.error_reason"),
          at(payment, "error_details.error_source")
        ],
        ["TRANSACTION_DECLINED", "auth_declined", "customer"]
      )
      assert.strictEqual(at(payment, "is_captured"), false)
      assert.strictEqual(at((await call(em, "GET", `/orders/${orderId}`)).body, "order_status"), "ACTIVE")
      assert.strictEqual(em.truth.chargesFor(orderId), 0)
      const insufficient = await createOrder(em)
      await pay(em, insufficient.session, card("4000000000009995"))
      assert.strictEqual(
        at((await getPayments(em, insufficient.orderId))[0], "error_details.error_reason"),
        "insufficient_funds"
      )
    })

    it("validates Order Pay requests with the documented codes", async () => {
      const { session } = await createOrder(em)
      assertError(
        await pay(em, "session_unknown", card("4111111111111111")),
        400,
        "payment_session_id_invalid",
        "invalid_request_error"
      )
      assertError(
        await pay(em, session, { card: { card_number: "4111111111111111" } }),
        400,
        "channel_missing",
        "invalid_request_error"
      )
      assertError(
        await pay(em, session, card("4111111111111111", "link", { card_cvv: undefined })),
        400,
        "card_cvv_missing",
        "invalid_request_error"
      )
      assertError(
        await pay(em, session, card("4111111111111111", "link", { card_cvv: "12" })),
        400,
        "card_cvv_invalid",
        "invalid_request_error"
      )
      assertError(
        await pay(em, session, { card: { channel: "link", card_cvv: "123" } }),
        400,
        "card_invalid",
        "invalid_request_error"
      )
      assertError(await pay(em, session, card("4111111111111112")), 400, "card_number_invalid", "invalid_request_error")
      assertError(
        await pay(em, session, { app: { channel: "link", phone: "9999999999" } }),
        400,
        "provider_missing",
        "invalid_request_error"
      )
      assertError(
        await pay(em, session, { app: { channel: "link", provider: "gpay", phone: "123" } }),
        400,
        "phone_invalid",
        "invalid_request_error"
      )
      assertError(
        await pay(em, session, { app: { channel: "link", provider: "gpay" } }),
        400,
        "phone_missing",
        "invalid_request_error"
      )
      assertError(
        await pay(em, session, { banktransfer: { channel: "link" } }),
        400,
        "payment_method_unsupported",
        "invalid_request_error"
      )
      // No card data in any error message.
      const res = await pay(em, session, card("4111111111111111", "link", { card_cvv: "98" }))
      assert.notInclude(res.text, '98"')
      assert.notInclude(res.text, "4111111111111111")
    })

    it("OTP on the post channel: wrong OTP fails, RESEND keeps it waiting, 111000 completes it; then it is already processed", async () => {
      const { orderId, session } = await createOrder(em)
      const res = await pay(em, session, card("4706131211212123", "post"))
      assert.strictEqual(at(res.body, "action"), "post")
      const cfPaymentId = str(res.body, "cf_payment_id")
      assert.strictEqual(at(res.body, "data.url"), `${em.baseUrl}/orders/pay/authenticate/${cfPaymentId}`)
      const otp = (body: unknown) => call(em, "POST", `/orders/pay/authenticate/${cfPaymentId}`, { auth: false, body })
      const wrong = await otp({ action: "SUBMIT_OTP", otp: "000000" })
      assert.deepStrictEqual(wrong.body, {
        cf_payment_id: cfPaymentId,
        action: "SUBMIT_OTP",
        authenticate_status: "FAILED",
        payment_message: "otp is invalid"
      })
      assert.strictEqual(at((await otp({ action: "RESEND_OTP", otp: "" })).body, "authenticate_status"), "SUCCESS")
      assert.strictEqual(at(await getPayments(em, orderId), "0.payment_status"), "PENDING")
      const right = await otp({ action: "SUBMIT_OTP", otp: "111000" })
      assert.strictEqual(at(right.body, "authenticate_status"), "SUCCESS")
      assert.strictEqual(at(right.body, "payment_message"), "payment successful")
      assert.strictEqual(at(await getPayments(em, orderId), "0.payment_status"), "SUCCESS")
      assertError(await otp({ action: "SUBMIT_OTP", otp: "111000" }), 400, "request_invalid", "invalid_request_error")
    })

    it("UPI collect: testsuccess@gocash approves, testfailure@gocash fails, testinvalid@gocash is refused", async () => {
      const ok = await createOrder(em)
      const collect = await pay(em, ok.session, { upi: { channel: "collect", upi_id: "testsuccess@gocash" } })
      assert.strictEqual(at(collect.body, "channel"), "collect")
      assert.strictEqual(at(collect.body, "data.url"), null)
      assert.strictEqual(at(await getPayments(em, ok.orderId), "0.payment_status"), "PENDING")
      assert.strictEqual(em.payer.approve(str(collect.body, "cf_payment_id")).status, "SUCCESS")
      assert.strictEqual(at(await getPayments(em, ok.orderId), "0.payment_method.upi.upi_id"), "testsuccess@gocash")

      const bad = await createOrder(em)
      const failing = await pay(em, bad.session, { upi: { channel: "collect", upi_id: "testfailure@gocash" } })
      em.payer.approve(str(failing.body, "cf_payment_id"))
      const [failed] = await getPayments(em, bad.orderId)
      assert.strictEqual(at(failed, "payment_status"), "FAILED")
      assert.strictEqual(at(failed, "error_details.error_reason"), "bank_rejected")

      assertError(
        await pay(em, bad.session, { upi: { channel: "collect", upi_id: "testinvalid@gocash" } }),
        400,
        "upi.vpa_invalid",
        "invalid_request_error"
      )
    })

    it("UPI intent returns deep links; /simulate completes a pending attempt and can be fetched", async () => {
      const { orderId, session } = await createOrder(em)
      const intent = await pay(em, session, { upi: { channel: "link" } })
      assert.strictEqual(at(intent.body, "action"), "custom")
      assert.match(str(intent.body, "data.payload.default"), /^upi:\/\/pay\?/)
      for (const app of ["gpay", "phonepe", "paytm", "bhim"]) assert.isString(at(intent.body, `data.payload.${app}`))
      const cfPaymentId = str(intent.body, "cf_payment_id")
      const sim = await call(em, "POST", "/simulate", {
        body: {
          entity: "PAYMENTS",
          entity_id: cfPaymentId,
          entity_simulation: { payment_status: "FAILED", payment_error_code: "ISSUER_NOT_AVAILABLE" }
        }
      })
      assert.strictEqual(sim.status, 200, sim.text)
      assert.strictEqual(at(sim.body, "entity_id"), cfPaymentId)
      const [payment] = await getPayments(em, orderId)
      assert.strictEqual(at(payment, "payment_status"), "FAILED")
      assert.strictEqual(at(payment, "error_details.error_code"), "ISSUER_NOT_AVAILABLE")
      const fetched = await call(em, "GET", `/simulate/${str(sim.body, "simulation_id")}`)
      assert.deepStrictEqual(fetched.body, sim.body)
      assertError(
        await call(em, "POST", "/simulate", {
          body: { entity: "PAYMENTS", entity_id: cfPaymentId, entity_simulation: { payment_status: "SUCCESS" } }
        }),
        400,
        "request_invalid",
        "invalid_request_error"
      )
    })

    it("wallet, card EMI, pay later and cardless EMI answer with a link to the payer page", async () => {
      const methods: ReadonlyArray<readonly [unknown, string]> = [
        [{ app: { channel: "link", provider: "phonepe", phone: "8714268343" } }, "wallet"],
        [
          {
            emi: {
              channel: "link",
              card_number: "4111111111111111",
              card_expiry_mm: "12",
              card_expiry_yy: "31",
              card_cvv: "123",
              card_bank_name: "ICICI",
              emi_tenure: 3
            }
          },
          "credit_card_emi"
        ],
        [{ paylater: { channel: "link", provider: "lazypay", phone: "8714268343" } }, "pay_later"],
        [{ cardless_emi: { channel: "link", provider: "flexmoney", phone: "8714268343" } }, "cardless_emi"]
      ]
      for (const [method, group] of methods) {
        const { orderId, session } = await createOrder(em)
        const res = await pay(em, session, method)
        assert.strictEqual(res.status, 200, res.text)
        assert.strictEqual(at(res.body, "action"), "link")
        // SPEC25 PayOrderEntity.payment_method has no "emi": card EMI is a card payment.
        const key = Object.keys(method as object)[0]
        assert.strictEqual(at(res.body, "payment_method"), key === "emi" ? "card" : key)
        em.payer.approve(str(res.body, "cf_payment_id"))
        const [payment] = await getPayments(em, orderId)
        assert.strictEqual(at(payment, "payment_group"), group)
        assert.strictEqual(at(payment, "payment_status"), "SUCCESS")
      }
    })
  })

  describe("pre-authorisation", () => {
    const held = async () => {
      const { orderId, session } = await createOrder(em, { order_note: "preauth_transaction", order_amount: 200 })
      await pay(em, session, card("4111111111111111"))
      const [payment] = await getPayments(em, orderId)
      assert.strictEqual(at(payment, "payment_status"), "SUCCESS")
      assert.strictEqual(at(payment, "is_captured"), false)
      assert.match(str(payment, "payment_message"), /^PRE_AUTH\|/)
      return orderId
    }
    const authorize = (orderId: string, body: unknown) => call(em, "POST", `/orders/${orderId}/authorization`, { body })

    it("captures part of the hold once; a second capture or a void afterwards is refused", async () => {
      const orderId = await held()
      const captured = await authorize(orderId, { action: "CAPTURE", amount: 120.25 })
      assert.strictEqual(captured.status, 200, captured.text)
      assert.strictEqual(at(captured.body, "authorization.action"), "CAPTURE")
      assert.strictEqual(at(captured.body, "authorization.status"), "SUCCESS")
      assert.strictEqual(at(captured.body, "authorization.captured_amount"), 120.25)
      assert.strictEqual(at(captured.body, "is_captured"), true)
      assertError(
        await authorize(orderId, { action: "CAPTURE", amount: 10 }),
        400,
        "request_invalid",
        "invalid_request_error"
      )
      assertError(await authorize(orderId, { action: "VOID" }), 400, "request_invalid", "invalid_request_error")
      assert.strictEqual(em.truth.payments(orderId)[0]?.capturedAmount, 12_025)
    })

    it("voids a hold; capture after void, capture above the hold and capture of a sale are refused", async () => {
      const orderId = await held()
      assertError(
        await authorize(orderId, { action: "CAPTURE", amount: 200.01 }),
        400,
        "amount_invalid",
        "invalid_request_error"
      )
      const voided = await authorize(orderId, { action: "VOID" })
      assert.strictEqual(at(voided.body, "payment_status"), "VOID")
      assert.strictEqual(at(voided.body, "authorization.action"), "VOID")
      assertError(await authorize(orderId, { action: "CAPTURE" }), 400, "request_invalid", "invalid_request_error")
      assertError(await authorize(orderId, { action: "SETTLE" }), 400, "action_invalid", "invalid_request_error")
      const sale = await createOrder(em)
      await pay(em, sale.session, card("4111111111111111"))
      assertError(await authorize(sale.orderId, { action: "CAPTURE" }), 400, "request_invalid", "invalid_request_error")
    })
  })

  describe("refunds", () => {
    it("are bounded by what was captured, start PENDING and become SUCCESS; refund ids are unique per order", async () => {
      const { orderId, session } = await createOrder(em, { order_amount: 100 })
      assertError(
        await call(em, "POST", `/orders/${orderId}/refunds`, { body: { refund_id: "r_early", refund_amount: 1 } }),
        400,
        "request_invalid",
        "invalid_request_error"
      )
      await pay(em, session, card("4111111111111111"))
      const first = await call(em, "POST", `/orders/${orderId}/refunds`, {
        body: { refund_id: "r_1", refund_amount: 60, refund_note: "partial refund", refund_speed: "INSTANT" }
      })
      assert.strictEqual(first.status, 200, first.text)
      assert.strictEqual(at(first.body, "refund_status"), "PENDING")
      assert.strictEqual(at(first.body, "refund_amount"), 60)
      assert.strictEqual(at(first.body, "refund_speed.requested"), "INSTANT")
      assertError(
        await call(em, "POST", `/orders/${orderId}/refunds`, { body: { refund_id: "r_2", refund_amount: 40.01 } }),
        400,
        "refund_amount_invalid",
        "invalid_request_error"
      )
      assertError(
        await call(em, "POST", `/orders/${orderId}/refunds`, { body: { refund_id: "r_1", refund_amount: 1 } }),
        409,
        "refund_already_exists",
        "invalid_request_error"
      )
      assert.strictEqual(
        (await call(em, "POST", `/orders/${orderId}/refunds`, { body: { refund_id: "r_2", refund_amount: 40 } }))
          .status,
        200
      )
      const one = await call(em, "GET", `/orders/${orderId}/refunds/r_1`)
      assert.strictEqual(at(one.body, "refund_status"), "SUCCESS")
      const all = await call(em, "GET", `/orders/${orderId}/refunds`)
      assert.deepStrictEqual(
        (all.body as ReadonlyArray<unknown>).map((r) => at(r, "refund_id")),
        ["r_1", "r_2"]
      )
      assertError(
        await call(em, "GET", `/orders/${orderId}/refunds/r_9`),
        404,
        "refund_not_found",
        "invalid_request_error"
      )
      const webhook = await em.webhooks.wait(
        (d) => d.event === "REFUND_STATUS_WEBHOOK" && d.body.includes('"refund_id":"r_1"')
      )
      assert.include(webhook.body, '"refund_status":"SUCCESS"')
    })
  })

  describe("idempotency", () => {
    it("replays the first answer with x-idempotency-replayed: true and refuses a different body with 422", async () => {
      const key = `idem-${uniqueId("k")}`
      const body = orderBody()
      const first = await call(em, "POST", "/orders", { body, headers: { "x-idempotency-key": key } })
      assert.strictEqual(first.status, 200)
      assert.strictEqual(first.headers.get("x-idempotency-replayed"), "false")
      assert.strictEqual(first.headers.get("x-idempotency-key"), key)
      const again = await call(em, "POST", "/orders", { body, headers: { "x-idempotency-key": key } })
      assert.strictEqual(again.status, 200)
      assert.strictEqual(again.headers.get("x-idempotency-replayed"), "true")
      assert.strictEqual(again.text, first.text)
      assert.strictEqual(em.truth.orders().filter((o) => o.orderId === body.order_id).length, 1)
      const different = await call(em, "POST", "/orders", {
        body: { ...body, order_amount: 5 },
        headers: { "x-idempotency-key": key }
      })
      assertError(different, 422, "request_invalid", "idempotency_error")
      // Errors are stored too: the same bad request replays its 400.
      const badKey = `idem-${uniqueId("bad")}`
      const bad = await call(em, "POST", "/orders", {
        body: { order_amount: 1 },
        headers: { "x-idempotency-key": badKey }
      })
      const badAgain = await call(em, "POST", "/orders", {
        body: { order_amount: 1 },
        headers: { "x-idempotency-key": badKey }
      })
      assert.strictEqual(bad.status, 400)
      assert.strictEqual(badAgain.status, 400)
      assert.strictEqual(badAgain.headers.get("x-idempotency-replayed"), "true")
    })
  })

  describe("token vault", () => {
    it("saves a card through Order Pay, lists, gets, pays with it, fetches a cryptogram and deletes it", async () => {
      const customerId = uniqueId("vault")
      const customer = { customer_id: customerId, customer_phone: "9999999999" }
      const first = await createOrder(em, { customer_details: customer })
      await pay(em, first.session, card("5105105105105100"), { save_instrument: true })
      const list = await call(em, "GET", `/customers/${customerId}/instruments?instrument_type=card`)
      assert.strictEqual(list.status, 200, list.text)
      assert.lengthOf(list.body as ReadonlyArray<unknown>, 1)
      const instrumentId = str(list.body, "0.instrument_id")
      assert.strictEqual(at(list.body, "0.instrument_status"), "ACTIVE")
      assert.strictEqual(at(list.body, "0.instrument_display"), "xxxxxxxxxxxx5100")
      assert.strictEqual(at(list.body, "0.instrument_meta.card_network"), "MASTERCARD")
      assert.strictEqual(
        at(list.body, "0.afa_reference"),
        str((await getPayments(em, first.orderId))[0], "cf_payment_id")
      )

      const one = await call(em, "GET", `/customers/${customerId}/instruments/${instrumentId}`)
      assert.deepStrictEqual(one.body, at(list.body, "0"))

      const crypto = await call(em, "GET", `/customers/${customerId}/instruments/${instrumentId}/cryptogram`)
      assert.strictEqual(crypto.status, 200, crypto.text)
      assert.strictEqual(at(crypto.body, "instrument_id"), instrumentId)
      assert.strictEqual(at(crypto.body, "card_display"), "5100")
      assert.match(str(crypto.body, "card_number"), /^559423\d{10}$/)
      assert.match(str(crypto.body, "card_expiry_yy"), /^\d{4}$/)
      assert.match(str(crypto.body, "cryptogram"), /^[A-Za-z0-9+/]{27}=$/)
      assert.isString(at(crypto.body, "token_requestor_id"))

      const second = await createOrder(em, { customer_details: customer })
      const saved = await pay(em, second.session, {
        card: { channel: "link", instrument_id: instrumentId, card_cvv: "123" }
      })
      assert.strictEqual(saved.status, 200, saved.text)
      const [payment] = await getPayments(em, second.orderId)
      assert.strictEqual(at(payment, "payment_status"), "SUCCESS")
      assert.strictEqual(at(payment, "payment_method.card.instrument_id"), instrumentId)

      const deleted = await call(em, "DELETE", `/customers/${customerId}/instruments/${instrumentId}`)
      assert.strictEqual(at(deleted.body, "instrument_status"), "INACTIVE")
      assertError(
        await call(em, "GET", `/customers/${customerId}/instruments/${instrumentId}`),
        404,
        "instrument_not_found",
        "invalid_request_error"
      )
      assert.deepStrictEqual(
        (await call(em, "GET", `/customers/${customerId}/instruments?instrument_type=card`)).body,
        []
      )
      assertError(
        await call(em, "GET", `/customers/${customerId}/instruments`),
        400,
        "instrument_type_missing",
        "invalid_request_error"
      )
    })

    it("creates customers", async () => {
      const res = await call(em, "POST", "/customers", {
        body: { customer_phone: "9999999999", customer_name: "Prasun" }
      })
      assert.strictEqual(res.status, 200, res.text)
      assert.match(str(res.body, "customer_uid"), /^cfcustom_/)
      assert.strictEqual(at(res.body, "customer_name"), "Prasun")
      assertError(
        await call(em, "POST", "/customers", { body: { customer_name: "x" } }),
        400,
        "customer_phone_missing",
        "invalid_request_error"
      )
    })
  })

  describe("webhooks", () => {
    it("the documented test vector (providers/cashfree.md §4) reproduces", () => {
      const body =
        '{"data":{"order":{"order_id":"order_1"}},"event_time":"2025-01-15T11:16:10+05:30","type":"PAYMENT_SUCCESS_WEBHOOK"}'
      assert.strictEqual(
        CashfreeEmulator.signWebhook("cfsk_ma_test_dummysecret", "1746427759733", body),
        "sRBLS5CC3frJa8w+sUW5lYHBq4z9l2b//urpgouEKw0="
      )
    })

    it("POSTs signed payment webhooks to notify_url that verify with HMAC-SHA256(secret, timestamp + raw body)", async () => {
      const receiver = await startReceiver()
      try {
        const { orderId, session } = await createOrder(em, {
          order_amount: 170,
          order_meta: { notify_url: receiver.url }
        })
        await pay(em, session, card("4111111111111111"))
        const delivery = await em.webhooks.wait(
          (d) => d.event === "PAYMENT_SUCCESS_WEBHOOK" && d.body.includes(orderId)
        )
        assert.strictEqual(delivery.state, "delivered")
        const got = receiver.received.find((r) => r.body.includes(orderId))
        assert.isDefined(got)
        if (got === undefined) return
        const timestamp = String(got.headers["x-webhook-timestamp"])
        assert.match(timestamp, /^\d{13}$/)
        const expected = createHmac("sha256", em.clientSecret)
          .update(timestamp + got.body)
          .digest("base64")
        assert.strictEqual(got.headers["x-webhook-signature"], expected)
        assert.strictEqual(got.headers["x-webhook-version"], "2025-01-01")
        assert.isString(got.headers["x-idempotency-key"])
        assert.strictEqual(got.headers["x-webhook-attempt"], "1")
        // Amounts keep their fraction digits, as Cashfree signs them.
        assert.include(got.body, '"payment_amount":170.00')
        const parsed: unknown = JSON.parse(got.body)
        assert.strictEqual(at(parsed, "type"), "PAYMENT_SUCCESS_WEBHOOK")
        assert.strictEqual(at(parsed, "data.order.order_id"), orderId)
        assert.strictEqual(at(parsed, "data.payment.payment_status"), "SUCCESS")
        assert.strictEqual(at(parsed, "data.customer_details.customer_id"), "cust_001")
      } finally {
        await receiver.close()
      }
    })

    it("sends PAYMENT_FAILED_WEBHOOK with error_details and PAYMENT_USER_DROPPED_WEBHOOK", async () => {
      const failed = await createOrder(em)
      await pay(em, failed.session, card("4000000000000002"))
      const failure = await em.webhooks.wait(
        (d) => d.event === "PAYMENT_FAILED_WEBHOOK" && d.body.includes(failed.orderId)
      )
      assert.strictEqual(at(JSON.parse(failure.body), "data.error_details.error_code"), "TRANSACTION_DECLINED")
      assert.strictEqual(failure.state, "skipped")
      const dropped = await createOrder(em)
      const res = await pay(em, dropped.session, { upi: { channel: "collect", upi_id: "testuserdropped@gocash" } })
      em.payer.approve(str(res.body, "cf_payment_id"))
      const drop = await em.webhooks.wait(
        (d) => d.event === "PAYMENT_USER_DROPPED_WEBHOOK" && d.body.includes(dropped.orderId)
      )
      assert.strictEqual(at(JSON.parse(drop.body), "data.payment.payment_status"), "USER_DROPPED")
    })
  })

  describe("versions", () => {
    it("cf_* ids are integers under 2022-09-01 and strings under 2025-01-01", async () => {
      const old = await createOrder(em, {}, "2022-09-01")
      assert.isNumber(at(old.body, "cf_order_id"))
      assert.isString(at(old.body, "payments.url"))
      const oldPay = await pay(em, old.session, card("4111111111111111"), {}, "2022-09-01")
      assert.isNumber(at(oldPay.body, "cf_payment_id"))
      const oldPayment = await call(em, "GET", `/orders/${old.orderId}/payments`, { version: "2022-09-01" })
      assert.isNumber(at(oldPayment.body, "0.cf_payment_id"))
      assert.isUndefined(at(oldPayment.body, "0.payment_gateway_details"))
      const refund = await call(em, "POST", `/orders/${old.orderId}/refunds`, {
        version: "2022-09-01",
        body: { refund_id: "r_v22", refund_amount: 1 }
      })
      assert.isNumber(at(refund.body, "cf_payment_id"))
      assert.match(str(refund.body, "cf_refund_id"), /^refund_\d+$/)
      const webhook = await em.webhooks.wait(
        (d) => d.event === "PAYMENT_SUCCESS_WEBHOOK" && d.body.includes(old.orderId)
      )
      assert.isNumber(at(JSON.parse(webhook.body), "data.payment.cf_payment_id"))
      assert.strictEqual(webhook.headers["x-webhook-version"], "2022-09-01")
      assert.isUndefined(webhook.headers["x-idempotency-key"])

      const current = await createOrder(em)
      assert.isString(at(current.body, "cf_order_id"))
      assert.isUndefined(at(current.body, "payments"))
      const currentPay = await pay(em, current.session, card("4111111111111111"))
      assert.isString(at(currentPay.body, "cf_payment_id"))
      const currentPayment = await call(em, "GET", `/orders/${current.orderId}/payments`)
      assert.isString(at(currentPayment.body, "0.cf_payment_id"))
      assert.strictEqual(at(currentPayment.body, "0.payment_gateway_details.gateway_name"), "CASHFREE")
      // The same payment read with the old version is an integer again.
      const reread = await call(
        em,
        "GET",
        `/orders/${current.orderId}/payments/${str(currentPay.body, "cf_payment_id")}`,
        { version: "2022-09-01" }
      )
      assert.isNumber(at(reread.body, "cf_payment_id"))
    })
  })
})

describe("CashfreeEmulator faults", () => {
  let started: Started
  let em: CashfreeEmulator.CashfreeEmulator
  beforeAll(async () => {
    started = await startEmulator({ seed: 7 })
    em = started.em
  })
  afterAll(() => started.close())

  it("error answers the documented 5xx body and changes nothing", async () => {
    em.faults.add(EmulatorFaults.error(500, { match: { method: "POST", path: "/pg/orders" }, times: 1 }))
    const body = orderBody()
    const res = await call(em, "POST", "/orders", { body })
    assertError(res, 500, "internal_error", "api_error")
    assert.isNotNull(res.headers.get("x-ratelimit-limit"))
    assert.isUndefined(em.truth.order(body.order_id))
    assert.strictEqual((await call(em, "POST", "/orders", { body })).status, 200)
    em.faults.add(EmulatorFaults.error(502, { match: { path: "/pg/orders/sessions" }, times: 1 }))
    assertError(await pay(em, "session_x", card("4111111111111111")), 502, "bank_processing_failure", "api_error")
  })

  it("rateLimit answers the documented 429 with x-ratelimit-retry", async () => {
    em.faults.add(EmulatorFaults.rateLimit(7, { match: { method: "GET" }, times: 1 }))
    const res = await call(em, "GET", "/orders/anything")
    assertError(res, 429, "request_failed", "rate_limit_error")
    assert.strictEqual(res.headers.get("x-ratelimit-retry"), "7")
    assert.strictEqual(res.headers.get("x-ratelimit-remaining"), "0")
    assert.strictEqual((await call(em, "GET", "/orders/anything")).status, 404)
  })

  it("reset destroys the connection before the request is handled", async () => {
    em.faults.add(EmulatorFaults.reset({ match: { path: "/pg/orders" }, times: 1 }))
    const body = orderBody()
    let failed = false
    try {
      await call(em, "POST", "/orders", { body })
    } catch {
      failed = true
    }
    assert.isTrue(failed)
    assert.isUndefined(em.truth.order(body.order_id))
  })

  it("commitThenDrop applies the change, drops the answer, and a retry with the same key replays it", async () => {
    em.faults.add(EmulatorFaults.commitThenDrop({ match: { method: "POST", path: "/pg/orders" }, times: 1 }))
    const body = orderBody()
    const key = `drop-${uniqueId("k")}`
    let failed = false
    try {
      await call(em, "POST", "/orders", { body, headers: { "x-idempotency-key": key } })
    } catch {
      failed = true
    }
    assert.isTrue(failed)
    assert.strictEqual(em.truth.order(body.order_id)?.status, "ACTIVE")
    const retry = await call(em, "POST", "/orders", { body, headers: { "x-idempotency-key": key } })
    assert.strictEqual(retry.status, 200)
    assert.strictEqual(retry.headers.get("x-idempotency-replayed"), "true")
    assert.strictEqual(em.truth.orders().filter((o) => o.orderId === body.order_id).length, 1)
  })

  it("latency delays without changing the answer, and every applied fault is recorded", async () => {
    em.faults.add(EmulatorFaults.latency(20, { match: { path: /^\/pg\/orders\/slow-/ }, times: 1 }))
    const res = await call(em, "GET", "/orders/slow-1")
    assertError(res, 404, "order_not_found", "invalid_request_error")
    const kinds = em.faults.applied().map((a) => a.kind)
    assert.includeMembers(kinds, ["error", "rateLimit", "reset", "commitThenDrop", "latency"])
    assert.deepStrictEqual(em.faults.rules(), [])
  })

  it("probabilistic faults are reproducible from the seed", async () => {
    const outcomes = async (seed: number) => {
      const s = await startEmulator({ seed, faults: [EmulatorFaults.error(503, { probability: 0.5 })] })
      try {
        const statuses: Array<number> = []
        for (let i = 0; i < 12; i++) statuses.push((await call(s.em, "GET", "/orders/x")).status)
        return statuses
      } finally {
        await s.close()
      }
    }
    const a = await outcomes(99)
    assert.deepStrictEqual(await outcomes(99), a)
    assert.includeMembers(a, [503, 404])
  })

  it("parses command-line fault specs", () => {
    const parsed = EmulatorFaults.parse("error:status=503,times=2,method=POST,path=~^/pg/orders")
    assert.strictEqual(parsed._tag, "Right")
    if (parsed._tag === "Right") {
      assert.strictEqual(parsed.right.kind, "error")
      assert.strictEqual(parsed.right.status, 503)
      assert.strictEqual(parsed.right.times, 2)
      assert.instanceOf(parsed.right.match?.path, RegExp)
    }
    assert.strictEqual(EmulatorFaults.parse("teleport")._tag, "Left")
    assert.strictEqual(EmulatorFaults.parse("error:status=404")._tag, "Left")
  })
})

describe("CashfreeEmulator clock", () => {
  it("expires orders, releases holds after seven days and settles refunds, by the injected clock", async () => {
    let now = Date.UTC(2025, 0, 15, 6, 0, 0)
    const s = await startEmulator({ clock: () => now, refundProcessingMs: 60_000 })
    const em = s.em
    try {
      const expiring = await createOrder(em, { order_expiry_time: new Date(now + 3_600_000).toISOString() })
      const hold = await createOrder(em, { order_note: "preauth_transaction" })
      await pay(em, hold.session, card("4111111111111111"))
      const sale = await createOrder(em)
      await pay(em, sale.session, card("4111111111111111"))
      const refund = await call(em, "POST", `/orders/${sale.orderId}/refunds`, {
        body: { refund_id: "r_clock", refund_amount: 1 }
      })
      assert.strictEqual(at(refund.body, "refund_status"), "PENDING")
      now += 30_000
      assert.strictEqual(
        at((await call(em, "GET", `/orders/${sale.orderId}/refunds/r_clock`)).body, "refund_status"),
        "PENDING"
      )
      now += 31_000
      const settled = await call(em, "GET", `/orders/${sale.orderId}/refunds/r_clock`)
      assert.strictEqual(at(settled.body, "refund_status"), "SUCCESS")
      assert.isString(at(settled.body, "refund_arn"))

      now += 2 * 3_600_000
      assert.strictEqual(at((await call(em, "GET", `/orders/${expiring.orderId}`)).body, "order_status"), "EXPIRED")
      assertError(
        await pay(em, expiring.session, card("4111111111111111")),
        404,
        "orderpay_not_found",
        "invalid_request_error"
      )

      now += 7 * 24 * 3_600_000
      const [released] = await getPayments(em, hold.orderId)
      assert.strictEqual(at(released, "payment_status"), "VOID")
      assertError(
        await call(em, "POST", `/orders/${hold.orderId}/authorization`, { body: { action: "CAPTURE" } }),
        400,
        "request_invalid",
        "invalid_request_error"
      )
    } finally {
      await s.close()
    }
  })
})

describe("CashfreeEmulator payment webhooks", () => {
  let started: Started
  let em: CashfreeEmulator.CashfreeEmulator
  beforeAll(async () => {
    started = await startEmulator()
    em = started.em
  })
  afterAll(() => started.close())

  const paid = async (method: unknown, overrides: Record<string, unknown> = {}) => {
    const { orderId, session } = await createOrder(em, overrides)
    const res = await pay(em, session, method)
    assert.strictEqual(res.status, 200, res.text)
    return { orderId, cfPaymentId: str(res.body, "cf_payment_id") }
  }

  const webhookPayment = (cfPaymentId: string): unknown => {
    const delivery = em.webhooks.forPayment(cfPaymentId).at(-1)
    assert.isDefined(delivery)
    return at(JSON.parse(delivery?.body ?? "{}"), "data.payment")
  }

  // SPEC25 `PaymentWebhook.data.payment` is a PaymentEntity: a receiver tells a held payment from
  // a captured one by `is_captured` and `authorization`.
  it("a payment webhook carries is_captured and, for a pre-authorisation, its authorization", async () => {
    const hold = await paid(card("4111111111111111"), { order_note: "preauth_transaction" })
    const held = webhookPayment(hold.cfPaymentId)
    assert.strictEqual(at(held, "is_captured"), false)
    assert.isNull(at(held, "authorization.action"))
    assert.isString(at(held, "authorization.end_time"))
    assert.strictEqual(at(held, "payment_message"), "PRE_AUTH|Transaction Success")
    const sale = await paid(card("4111111111111111"))
    assert.strictEqual(at(webhookPayment(sale.cfPaymentId), "is_captured"), true)
    assert.isNull(at(webhookPayment(sale.cfPaymentId), "authorization"))
  })

  it("webhooks.forPayment lists one attempt's payment webhooks, none while it is pending", async () => {
    const upi = await paid({ upi: { channel: "collect", upi_id: "testsuccess@gocash" } })
    const other = await paid(card("4111111111111111"))
    assert.deepStrictEqual(em.webhooks.forPayment(upi.cfPaymentId), [])
    em.payer.approve(upi.cfPaymentId)
    const deliveries = em.webhooks.forPayment(upi.cfPaymentId)
    assert.deepStrictEqual(
      deliveries.map((d) => d.event),
      ["PAYMENT_SUCCESS_WEBHOOK"]
    )
    assert.include(deliveries[0]?.body ?? "", upi.orderId)
    assert.notInclude(deliveries[0]?.body ?? "", other.orderId)
  })
})
