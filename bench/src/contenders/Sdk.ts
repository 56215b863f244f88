/**
 * The official SDKs, configured as tests/sdk-compat/README.md says: `cashfree-pg` with its
 * `basePath` on the emulator and error analytics (Sentry) off; `cybersource-rest-client` with
 * `intermediateHost` on the emulator (signing `apitest.cybersource.com`) and logging off.
 * Each API object is built once.
 */
import { Cashfree, CFEnvironment } from "cashfree-pg"
import cybersource from "cybersource-rest-client"
import type { Operation } from "../Protocol.js"
import { type Seeds, seed } from "./Floor.js"
import { fixture, type Make, runId } from "./Runner.js"

const call = <T>(invoke: (callback: cybersource.Callback<T>) => void): Promise<T> =>
  new Promise((resolve, reject) =>
    invoke((error, data) => {
      if (error !== null && error !== undefined) reject(new Error("CyberSource SDK call failed"))
      else resolve(data)
    })
  )

/** The SDK contender. */
export const make: Make = async (config) => {
  const cf = config.emulators.cashfree
  const sdk = new Cashfree(CFEnvironment.SANDBOX, cf.clientId, cf.clientSecret, undefined, undefined, undefined, false)
  sdk.basePath = cf.baseUrl
  sdk.XApiVersion = "2025-01-01"
  const cs = config.emulators.cybersource
  const merchant: cybersource.MerchantConfig = {
    authenticationType: "http_signature",
    runEnvironment: "apitest.cybersource.com",
    merchantID: cs.merchantId,
    merchantKeyId: cs.keyId,
    merchantsecretKey: cs.sharedSecret,
    intermediateHost: cs.baseUrl,
    logConfiguration: { enableLog: false }
  }
  const payments = new cybersource.PaymentsApi(merchant, new cybersource.ApiClient())
  const captures = new cybersource.CaptureApi(merchant, new cybersource.ApiClient())
  const instruments = new cybersource.CustomerPaymentInstrumentApi(merchant, new cybersource.ApiClient())
  const customer = { customer_id: `bench_${runId}`, customer_phone: fixture.phone }
  const c = fixture.card
  const amount = Number(fixture.inr)
  let seeds: Seeds = { held: [] }
  const runs: { readonly [O in Operation]: (i: number) => Promise<unknown> } = {
    "cashfree.createPay": async (i) => {
      const order = await sdk.PGCreateOrder({
        order_id: `sdk_${runId}_${i}`,
        order_amount: amount,
        order_currency: "INR",
        customer_details: customer
      })
      return sdk.PGPayOrder({
        payment_session_id: order.data.payment_session_id ?? "",
        payment_method: {
          card: {
            channel: "link",
            card_number: c.number,
            card_holder_name: c.holder,
            card_expiry_mm: String(c.month),
            card_expiry_yy: String(c.year % 100),
            card_cvv: c.cvv
          }
        }
      })
    },
    "cashfree.getPayment": () => sdk.PGOrderFetchPayment(seeds.paid?.orderId ?? "", seeds.paid?.cfPaymentId ?? ""),
    "cashfree.listInstruments": () => sdk.PGCustomerFetchInstruments(seeds.customerId ?? "", "card"),
    "cashfree.capture": (i) => sdk.PGAuthorizeOrder(seeds.held[i]?.orderId ?? "", { action: "CAPTURE", amount }),
    "cybersource.authorize": (i) =>
      call((cb) =>
        payments.createPayment(
          {
            clientReferenceInformation: { code: `sdk-${runId}-${i}` },
            processingInformation: { capture: false, commerceIndicator: "internet" },
            paymentInformation: {
              card: {
                number: c.number,
                expirationMonth: String(c.month),
                expirationYear: String(c.year),
                securityCode: c.cvv,
                type: "001"
              }
            },
            orderInformation: { amountDetails: { totalAmount: fixture.usd, currency: "USD" }, billTo: fixture.billTo }
          },
          cb
        )
      ),
    "cybersource.capture": (i) =>
      call((cb) =>
        captures.capturePayment(
          {
            clientReferenceInformation: { code: seeds.held[i]?.code ?? "" },
            orderInformation: { amountDetails: { totalAmount: fixture.usd, currency: "USD" } }
          },
          seeds.held[i]?.paymentId ?? "",
          cb
        )
      ),
    "cybersource.listInstruments": () =>
      call((cb) => instruments.getCustomerPaymentInstrumentsList(seeds.customerId ?? "", { offset: 0, limit: 10 }, cb))
  }
  const run = runs[config.operation]
  return {
    prepare: async (n) => {
      seeds = await seed(config, n)
    },
    run: async (i) => {
      await run(i)
    },
    dispose: async () => {}
  }
}
