/**
 * The official CyberSource Node SDK (`cybersource-rest-client`), unchanged, against Payport's
 * CyberSource emulator, with HTTP Signature authentication verified on every request.
 *
 * The SDK is configured as CyberSource's samples configure it (`Data/Configuration.js`), plus one
 * documented option: `intermediateHost`. `ApiClient.setConfiguration` (0.0.83 `src/ApiClient.js`
 * ~L559) uses an `intermediateHost` that starts with `http://` as the base URL verbatim, while
 * `callAuthenticationHeader` keeps signing — and sending as the `host` header — `runEnvironment`.
 * So requests travel over plain HTTP to 127.0.0.1:PORT, yet carry `host: apitest.cybersource.com`
 * and a signature over it, exactly what the emulator checks (against the received `Host`).
 */
import * as CyberSourceEmulator from "@payport/emulators/CyberSourceEmulator"
import cybersource from "cybersource-rest-client"
import * as Effect from "effect/Effect"
import * as ManagedRuntime from "effect/ManagedRuntime"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { failureOf, field } from "./support/SdkError.js"

// Strict verification (the default, spelled out): no legacy `(request-target)`, RFC 1123 dates only.
const runtime = ManagedRuntime.make(CyberSourceEmulator.layer({ lenientSignatures: false }))
let emulator: CyberSourceEmulator.CyberSourceEmulator

/** What README.md tells users to write, with the emulator's (default: public sample) credentials. */
const merchantConfig = (
  target: CyberSourceEmulator.CyberSourceEmulator,
  secret: string = target.sharedSecret
): cybersource.MerchantConfig => ({
  authenticationType: "http_signature",
  runEnvironment: "apitest.cybersource.com",
  merchantID: target.merchantId,
  merchantKeyId: target.keyId,
  merchantsecretKey: secret,
  intermediateHost: target.baseUrl,
  logConfiguration: { enableLog: false }
})

/** The SDK's API objects for one configuration, each on its own `ApiClient` like the samples. */
const apis = (config: cybersource.MerchantConfig) => ({
  payments: new cybersource.PaymentsApi(config, new cybersource.ApiClient()),
  captures: new cybersource.CaptureApi(config, new cybersource.ApiClient()),
  reversals: new cybersource.ReversalApi(config, new cybersource.ApiClient()),
  voids: new cybersource.VoidApi(config, new cybersource.ApiClient()),
  refunds: new cybersource.RefundApi(config, new cybersource.ApiClient()),
  transactions: new cybersource.TransactionDetailsApi(config, new cybersource.ApiClient()),
  searches: new cybersource.SearchTransactionsApi(config, new cybersource.ApiClient()),
  customers: new cybersource.CustomerApi(config, new cybersource.ApiClient()),
  instruments: new cybersource.CustomerPaymentInstrumentApi(config, new cybersource.ApiClient()),
  identifiers: new cybersource.InstrumentIdentifierApi(config, new cybersource.ApiClient())
})
let sdk: ReturnType<typeof apis>

/** How many SDK calls the tests made. */
let calls = 0

/** A callback-style SDK call as a promise of its data and HTTP response. */
const call = <T>(
  invoke: (callback: cybersource.Callback<T>) => void
): Promise<{ readonly data: T; readonly response: cybersource.HttpResponse }> =>
  new Promise((resolve, reject) =>
    invoke((error, data, response) => {
      calls++
      if (error !== null && error !== undefined) reject(error)
      else resolve({ data, response })
    })
  )

const run = globalThis.crypto.randomUUID().slice(0, 8)
let sequence = 0
const nextCode = (prefix: string) => `${prefix}-${run}-${++sequence}`

const visa = {
  number: "4111111111111111",
  expirationMonth: "12",
  expirationYear: "2031",
  securityCode: "123",
  type: "001"
}
const billTo = {
  firstName: "John",
  lastName: "Doe",
  address1: "1 Market St",
  locality: "San Francisco",
  administrativeArea: "CA",
  postalCode: "94105",
  country: "US",
  email: "test@cybs.com"
}

const paymentRequest = (
  code: string,
  totalAmount: string,
  capture: boolean,
  paymentInformation: object = { card: visa }
) => ({
  clientReferenceInformation: { code },
  processingInformation: { capture, commerceIndicator: "internet" },
  paymentInformation,
  orderInformation: { amountDetails: { totalAmount, currency: "USD" }, billTo }
})

const authorize = async (totalAmount: string) => {
  const code = nextCode("auth")
  const { data } = await call<cybersource.PtsResponse>((cb) =>
    sdk.payments.createPayment(paymentRequest(code, totalAmount, false), cb)
  )
  return { code, id: data.id ?? "", data }
}

/** The response body as the gateway sent it (the SDK's models drop members they do not know). */
const raw = (response: cybersource.HttpResponse): unknown => JSON.parse(response.text)

const amount = (code: string, totalAmount: string) => ({
  clientReferenceInformation: { code },
  orderInformation: { amountDetails: { totalAmount, currency: "USD" } }
})

beforeAll(async () => {
  emulator = await runtime.runPromise(CyberSourceEmulator.Emulator)
  sdk = apis(merchantConfig(emulator))
})

afterAll(() => runtime.dispose())

describe("cybersource-rest-client 0.0.83 against the CyberSource emulator", () => {
  it("authorizes a card (PaymentsApi.createPayment, capture: false)", async () => {
    const code = nextCode("auth")
    const { data, response } = await call<cybersource.PtsResponse>((cb) =>
      sdk.payments.createPayment(paymentRequest(code, "102.21", false), cb)
    )
    expect(response.status).toBe(201)
    expect(data.status).toBe("AUTHORIZED")
    expect(data.id).toMatch(/^\d{22}$/)
    expect(data.clientReferenceInformation?.code).toBe(code)
    expect(data.orderInformation?.amountDetails?.authorizedAmount).toBe("102.21")
    expect(data.orderInformation?.amountDetails?.currency).toBe("USD")
    // The SDK's model keeps `_links.capture` but knows the reversal link only as `reversal` (the
    // SPEC's name); the real gateway sends `authReversal`, as the emulator does, so read it raw.
    expect(data._links?.capture?.href).toBe(`/pts/v2/payments/${data.id}/captures`)
    expect(raw(response)).toMatchObject({
      _links: { authReversal: { href: `/pts/v2/payments/${data.id}/reversals`, method: "POST" } }
    })
    expect(emulator.truth.payment(data.id ?? "")).toMatchObject({ status: "AUTHORIZED", authorized: 10221 })
  })

  it("captures part of an authorization, then voids the capture (CaptureApi, VoidApi.voidCapture)", async () => {
    const auth = await authorize("80.00")
    const capture = await call<cybersource.PtsResponse>((cb) =>
      sdk.captures.capturePayment(amount(auth.code, "50.00"), auth.id, cb)
    )
    expect(capture.response.status).toBe(201)
    expect(capture.data.status).toBe("PENDING")
    expect(capture.data.orderInformation?.amountDetails?.totalAmount).toBe("50.00")
    const captureId = capture.data.id ?? ""
    expect(emulator.truth.payment(auth.id)?.captured).toBe(5000)

    const over = await failureOf(() =>
      call((cb) => sdk.captures.capturePayment(amount(auth.code, "30.01"), auth.id, cb))
    )
    expect(over.status).toBe(400)
    expect(field(over.body, "reason")).toBe("EXCEEDS_AUTH_AMOUNT")

    const voided = await call<cybersource.PtsResponse>((cb) =>
      sdk.voids.voidCapture({ clientReferenceInformation: { code: auth.code } }, captureId, cb)
    )
    expect(voided.data.status).toBe("VOIDED")
    expect(emulator.truth.payment(auth.id)?.captured).toBe(0)
  })

  it("reverses an authorization once (ReversalApi.authReversal)", async () => {
    const auth = await authorize("25.00")
    const reversal = {
      clientReferenceInformation: { code: auth.code },
      reversalInformation: { amountDetails: { totalAmount: "25.00" }, reason: "testing" }
    }
    const reversed = await call<cybersource.PtsResponse>((cb) => sdk.reversals.authReversal(auth.id, reversal, cb))
    expect(reversed.response.status).toBe(201)
    expect(reversed.data.status).toBe("REVERSED")
    expect(emulator.truth.payment(auth.id)?.status).toBe("REVERSED")

    const again = await failureOf(() => call((cb) => sdk.reversals.authReversal(auth.id, reversal, cb)))
    expect(again.status).toBe(400)
    expect(field(again.body, "reason")).toBe("AUTH_ALREADY_REVERSED")
  })

  it("sells, refunds part of the sale and voids the refund (capture: true, RefundApi, VoidApi)", async () => {
    const code = nextCode("sale")
    const sale = await call<cybersource.PtsResponse>((cb) =>
      sdk.payments.createPayment(paymentRequest(code, "60.00", true), cb)
    )
    expect(sale.data.status).toBe("AUTHORIZED")
    expect(sale.data._links?.capture).toBeUndefined()
    expect(raw(sale.response)).toMatchObject({ _links: { void: { href: `/pts/v2/payments/${sale.data.id}/voids` } } })
    const saleId = sale.data.id ?? ""
    expect(emulator.truth.payment(saleId)?.captured).toBe(6000)

    const refund = await call<cybersource.PtsResponse>((cb) =>
      sdk.refunds.refundPayment(amount(code, "20.00"), saleId, cb)
    )
    expect(refund.response.status).toBe(201)
    expect(refund.data.status).toBe("PENDING")
    expect(refund.data.refundAmountDetails?.refundAmount).toBe("20.00")
    expect(emulator.truth.payment(saleId)?.refunded).toBe(2000)

    const voided = await call<cybersource.PtsResponse>((cb) =>
      sdk.voids.voidRefund({ clientReferenceInformation: { code } }, refund.data.id ?? "", cb)
    )
    expect(voided.data.status).toBe("VOIDED")
    expect(emulator.truth.payment(saleId)?.refunded).toBe(0)
  })

  it("voids a sale but not an authorization, and refunds a capture (VoidApi.voidPayment, RefundApi.refundCapture)", async () => {
    const code = nextCode("sale")
    const sale = await call<cybersource.PtsResponse>((cb) =>
      sdk.payments.createPayment(paymentRequest(code, "15.00", true), cb)
    )
    const voided = await call<cybersource.PtsResponse>((cb) =>
      sdk.voids.voidPayment({ clientReferenceInformation: { code } }, sale.data.id ?? "", cb)
    )
    expect(voided.data.status).toBe("VOIDED")
    expect(emulator.truth.payment(sale.data.id ?? "")?.status).toBe("VOIDED")

    // SPEC: a payment void is "only used, if you have requested Authorization and Capture together".
    const auth = await authorize("40.00")
    const notVoidable = await failureOf(() =>
      call((cb) => sdk.voids.voidPayment({ clientReferenceInformation: { code: auth.code } }, auth.id, cb))
    )
    expect(notVoidable.status).toBe(400)
    expect(field(notVoidable.body, "reason")).toBe("NOT_VOIDABLE")

    const capture = await call<cybersource.PtsResponse>((cb) =>
      sdk.captures.capturePayment(amount(auth.code, "40.00"), auth.id, cb)
    )
    const refund = await call<cybersource.PtsResponse>((cb) =>
      sdk.refunds.refundCapture(amount(auth.code, "40.00"), capture.data.id ?? "", cb)
    )
    expect(refund.data.status).toBe("PENDING")
    expect(emulator.truth.payment(auth.id)).toMatchObject({ captured: 4000, refunded: 4000 })
  })

  it("reports a decline as 201 DECLINED (sandbox card 42423482938483873)", async () => {
    const code = nextCode("decline")
    const declined = await call<cybersource.PtsResponse>((cb) =>
      sdk.payments.createPayment(
        paymentRequest(code, "10.00", false, { card: { ...visa, number: "42423482938483873" } }),
        cb
      )
    )
    expect(declined.response.status).toBe(201)
    expect(declined.data.status).toBe("DECLINED")
    expect(declined.data.errorInformation?.reason).toBe("INVALID_ACCOUNT")
    expect(emulator.truth.chargesFor(code)).toBe(0)
    expect(emulator.truth.paymentsFor(code)).toBe(1)
  })

  it("reads a transaction and finds it by merchant reference (TransactionDetailsApi, SearchTransactionsApi)", async () => {
    const auth = await authorize("12.34")
    const details = await call<cybersource.TransactionDetails>((cb) => sdk.transactions.getTransaction(auth.id, cb))
    expect(details.data.id).toBe(auth.id)
    expect(details.data.clientReferenceInformation?.code).toBe(auth.code)
    expect(details.data.orderInformation?.amountDetails?.totalAmount).toBe("12.34")

    const search = await call<cybersource.SearchResponse>((cb) =>
      sdk.searches.createSearch(
        {
          save: false,
          name: "reconcile",
          timezone: "UTC",
          query: `clientReferenceInformation.code:${auth.code}`,
          offset: 0,
          limit: 10,
          sort: "id:asc,submitTimeUtc:asc"
        },
        cb
      )
    )
    expect(search.data.totalCount).toBe(1)
    expect(search.data._embedded?.transactionSummaries?.map((t) => t.id)).toEqual([auth.id])
  })

  it("manages a customer and its payment instruments (CustomerApi, CustomerPaymentInstrumentApi)", async () => {
    const identifier = await call<cybersource.InstrumentIdentifier>((cb) =>
      sdk.identifiers.postInstrumentIdentifier({ card: { number: "4622943127013705" } }, {}, cb)
    )
    expect([200, 201]).toContain(identifier.response.status)
    const identifierId = identifier.data.id ?? ""
    const same = await call<cybersource.InstrumentIdentifier>((cb) =>
      sdk.identifiers.postInstrumentIdentifier({ card: { number: "4622943127013705" } }, {}, cb)
    )
    expect(same.response.status).toBe(200)
    expect(same.data.id).toBe(identifierId)

    // An optional TMS profile (any 36-character id unless the emulator is given a list).
    const profileId = "93B32398-AD51-4CC2-A682-EA3E93614EB1"
    const merchantCustomerID = nextCode("cust")
    const created = await call<cybersource.Customer>((cb) =>
      sdk.customers.postCustomer(
        {
          buyerInformation: { merchantCustomerID, email: "test@cybs.com" },
          clientReferenceInformation: { code: merchantCustomerID }
        },
        {},
        cb
      )
    )
    expect(created.response.status).toBe(201)
    const customerId = created.data.id ?? ""
    expect(customerId).toMatch(/^[0-9A-F]{32}$/)
    const fetched = await call<cybersource.Customer>((cb) => sdk.customers.getCustomer(customerId, { profileId }, cb))
    expect(fetched.data.buyerInformation?.merchantCustomerID).toBe(merchantCustomerID)
    const renamed = await call<cybersource.Customer>((cb) =>
      sdk.customers.patchCustomer(
        customerId,
        { buyerInformation: { merchantCustomerID, email: "renamed@cybs.com" } },
        { ifMatch: fetched.response.header.etag ?? "" },
        cb
      )
    )
    expect(renamed.data.buyerInformation?.email).toBe("renamed@cybs.com")

    const instrument = (month: string) => ({
      card: { expirationMonth: month, expirationYear: "2031", type: "001" },
      billTo,
      instrumentIdentifier: { id: identifierId }
    })
    const first = await call<cybersource.PaymentInstrument>((cb) =>
      sdk.instruments.postCustomerPaymentInstrument(customerId, instrument("12"), {}, cb)
    )
    expect(first.response.status).toBe(201)
    const second = await call<cybersource.PaymentInstrument>((cb) =>
      sdk.instruments.postCustomerPaymentInstrument(customerId, instrument("11"), {}, cb)
    )
    const firstId = first.data.id ?? ""
    const secondId = second.data.id ?? ""
    expect(first.data.instrumentIdentifier?.id).toBe(identifierId)

    const page = await call<cybersource.PaymentInstrumentList>((cb) =>
      sdk.instruments.getCustomerPaymentInstrumentsList(customerId, { offset: 0, limit: 1 }, cb)
    )
    expect(page.data.total).toBe(2)
    expect(page.data.count).toBe(1)
    expect(page.data._embedded?.paymentInstruments?.map((p) => p.id)).toHaveLength(1)
    expect(page.data._links?.next?.href).toContain("offset=1")

    const got = await call<cybersource.PaymentInstrument>((cb) =>
      sdk.instruments.getCustomerPaymentInstrument(customerId, secondId, {}, cb)
    )
    expect(got.data.card?.expirationMonth).toBe("11")
    const etag = got.response.header.etag ?? ""
    expect(etag).toMatch(/\S/)

    const patched = await call<cybersource.PaymentInstrument>((cb) =>
      sdk.instruments.patchCustomersPaymentInstrument(
        customerId,
        secondId,
        { card: { expirationMonth: "10", expirationYear: "2032" } },
        { ifMatch: etag },
        cb
      )
    )
    expect(patched.data.card?.expirationMonth).toBe("10")
    expect(patched.data.card?.expirationYear).toBe("2032")
    const stale = await failureOf(() =>
      call((cb) =>
        sdk.instruments.patchCustomersPaymentInstrument(customerId, secondId, { default: true }, { ifMatch: etag }, cb)
      )
    )
    expect(stale.status).toBe(412)

    const paid = await call<cybersource.PtsResponse>((cb) =>
      sdk.payments.createPayment(
        paymentRequest(nextCode("saved"), "9.99", true, { paymentInstrument: { id: secondId } }),
        cb
      )
    )
    expect(paid.data.status).toBe("AUTHORIZED")
    const byDefault = await call<cybersource.PtsResponse>((cb) =>
      sdk.payments.createPayment(
        paymentRequest(nextCode("default"), "8.88", false, { customer: { id: customerId } }),
        cb
      )
    )
    expect(byDefault.data.status).toBe("AUTHORIZED")

    // Seed 004: the customer's default instrument (the first) cannot go while others remain.
    const isDefault = await failureOf(() =>
      call((cb) => sdk.instruments.deleteCustomerPaymentInstrument(customerId, firstId, {}, cb))
    )
    expect(isDefault.status).toBe(409)
    const removed = await call((cb) => sdk.instruments.deleteCustomerPaymentInstrument(customerId, secondId, {}, cb))
    expect(removed.response.status).toBe(204)
    const gone = await failureOf(() =>
      call((cb) => sdk.instruments.getCustomerPaymentInstrument(customerId, secondId, {}, cb))
    )
    expect([404, 410]).toContain(gone.status)
    const after = await call<cybersource.PaymentInstrumentList>((cb) =>
      sdk.instruments.getCustomerPaymentInstrumentsList(customerId, {}, cb)
    )
    expect(after.data.total).toBe(1)

    const tokensBefore = emulator.truth.tokens().customers
    const customerGone = await call((cb) => sdk.customers.deleteCustomer(customerId, {}, cb))
    expect(customerGone.response.status).toBe(204)
    expect(emulator.truth.tokens().customers).toBe(tokensBefore - 1)
  })

  it("refuses the SDK's requests when it signs with another secret (401, reason kept)", async () => {
    const wrong = apis(merchantConfig(emulator, Buffer.from("not the shared secret").toString("base64")))
    const before = emulator.truth.authFailures().length
    const refused = await failureOf(() =>
      call((cb) => wrong.payments.createPayment(paymentRequest(nextCode("wrong"), "1.00", false), cb))
    )
    expect(refused.status).toBe(401)
    expect(field(field(refused.body, "response"), "rmsg")).toMatch(/\S/)
    expect(
      emulator.truth
        .authFailures()
        .slice(before)
        .map((f) => f.reason)
    ).toEqual(["signatureMismatch"])
  })

  it("refuses the SDK's requests when its clock is more than 5 minutes off the gateway's", async () => {
    const refusal = await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const skewed = yield* CyberSourceEmulator.start({ clock: () => Date.now() + 6 * 60 * 1000 })
          const payments = new cybersource.PaymentsApi(merchantConfig(skewed), new cybersource.ApiClient())
          const failure = yield* Effect.promise(() =>
            failureOf(() => call((cb) => payments.createPayment(paymentRequest(nextCode("skew"), "1.00", false), cb)))
          )
          return { failure, reasons: skewed.truth.authFailures().map((f) => f.reason) }
        })
      )
    )
    expect(refusal.failure.status).toBe(401)
    expect(refusal.reasons).toEqual(["staleDate"])
  })

  it("verified the HTTP Signature of every other request the SDK sent (no lenient mode)", () => {
    expect(calls).toBeGreaterThan(30)
    expect(emulator.truth.authFailures().map((f) => f.reason)).toEqual(["signatureMismatch"])
    expect(emulator.truth.payments().length).toBeGreaterThanOrEqual(9)
  })
})

describe("cybersource-rest-client with JWT authentication against the CyberSource emulator", () => {
  it("pays with a shared-secret JWT (the SDK's recommended mode) and refuses a token signed with another secret", async () => {
    const result = await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const target = yield* CyberSourceEmulator.start()
          const jwt = (secret: string): cybersource.MerchantConfig => ({
            ...merchantConfig(target, secret),
            authenticationType: "jwt",
            jwtKeyType: "SHARED_SECRET"
          })
          const good = new cybersource.PaymentsApi(jwt(target.sharedSecret), new cybersource.ApiClient())
          const { data } = yield* Effect.promise(() =>
            call<cybersource.PtsResponse>((cb) =>
              good.createPayment(paymentRequest(nextCode("jwt"), "5.00", false), cb)
            )
          )
          const forged = new cybersource.PaymentsApi(
            jwt("bm90LXRoZS1zaGFyZWQtc2VjcmV0LW9mLXRoaXMtbWVyY2hhbnQ="),
            new cybersource.ApiClient()
          )
          const failure = yield* Effect.promise(() =>
            failureOf(() => call((cb) => forged.createPayment(paymentRequest(nextCode("jwt"), "5.00", false), cb)))
          )
          return { status: data.status, failure, reasons: target.truth.authFailures().map((f) => f.reason) }
        })
      )
    )
    expect(result.status).toBe("AUTHORIZED")
    expect(result.failure.status).toBe(401)
    expect(result.reasons).toEqual(["signatureMismatch"])
  })
})
