/** Minimal "pay by card" with the official `cybersource-rest-client` SDK (bundled for the size figure, never run). */
import cybersource from "cybersource-rest-client"

const payments = new cybersource.PaymentsApi(
  {
    authenticationType: "http_signature",
    runEnvironment: "apitest.cybersource.com",
    merchantID: process.env.CYBERSOURCE_MERCHANT_ID ?? "",
    merchantKeyId: process.env.CYBERSOURCE_KEY_ID ?? "",
    merchantsecretKey: process.env.CYBERSOURCE_SHARED_SECRET ?? "",
    logConfiguration: { enableLog: false }
  },
  new cybersource.ApiClient()
)
payments.createPayment(
  {
    clientReferenceInformation: { code: `order-${Date.now()}` },
    processingInformation: { capture: true },
    paymentInformation: {
      card: { number: "4111111111111111", expirationMonth: "12", expirationYear: "2031", securityCode: "123" }
    },
    orderInformation: { amountDetails: { totalAmount: "102.21", currency: "USD" } }
  },
  (error, data) => console.log(error === null ? data.id : "failed")
)
