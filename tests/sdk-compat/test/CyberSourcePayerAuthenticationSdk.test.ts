/**
 * The official CyberSource Node SDK's Payer Authentication calls (`PayerAuthenticationApi`:
 * `payerAuthSetup`, `checkPayerAuthEnrollment`, `validateAuthenticationResults`), unchanged, against
 * the CyberSource emulator — then `PaymentsApi.createPayment` carrying the values the validation
 * returned, and the combined flow (`CONSUMER_AUTHENTICATION` / `VALIDATE_CONSUMER_AUTHENTICATION`).
 * Configured as CyberSourceSdk.test.ts explains (`intermediateHost`), HTTP Signature verified on
 * every request.
 */
import * as CyberSourceEmulator from "@payport/emulators/CyberSourceEmulator"
import cybersource from "cybersource-rest-client"
import * as ManagedRuntime from "effect/ManagedRuntime"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { failureOf, field } from "./support/SdkError.js"

const runtime = ManagedRuntime.make(CyberSourceEmulator.layer())
let emulator: CyberSourceEmulator.CyberSourceEmulator
let payerAuth: cybersource.PayerAuthenticationApi
let payments: cybersource.PaymentsApi

const call = <T>(
  invoke: (callback: cybersource.Callback<T>) => void
): Promise<{ readonly data: T; readonly response: cybersource.HttpResponse }> =>
  new Promise((resolve, reject) =>
    invoke((error, data, response) => {
      if (error !== null && error !== undefined) reject(error)
      else resolve({ data, response })
    })
  )

/** The body as the emulator sent it (the SDK's models drop members they do not declare). */
const raw = (response: cybersource.HttpResponse): { readonly [key: string]: unknown } =>
  JSON.parse(response.text) as { readonly [key: string]: unknown }

const info = (response: cybersource.HttpResponse): Readonly<Record<string, string | undefined>> =>
  (raw(response).consumerAuthenticationInformation ?? {}) as Readonly<Record<string, string | undefined>>

const run = globalThis.crypto.randomUUID().slice(0, 8)
let sequence = 0
const nextCode = (prefix: string) => `${prefix}-${run}-${++sequence}`

const card = (number: string) => ({
  number,
  expirationMonth: "01",
  expirationYear: String(new Date().getUTCFullYear() + 3),
  type: "001"
})
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
const amountDetails = (totalAmount: string) => ({ totalAmount, currency: "USD" })

beforeAll(async () => {
  emulator = await runtime.runPromise(CyberSourceEmulator.Emulator)
  const config: cybersource.MerchantConfig = {
    authenticationType: "http_signature",
    runEnvironment: "apitest.cybersource.com",
    merchantID: emulator.merchantId,
    merchantKeyId: emulator.keyId,
    merchantsecretKey: emulator.sharedSecret,
    intermediateHost: emulator.baseUrl,
    logConfiguration: { enableLog: false }
  }
  payerAuth = new cybersource.PayerAuthenticationApi(config, new cybersource.ApiClient())
  payments = new cybersource.PaymentsApi(config, new cybersource.ApiClient())
})

afterAll(() => runtime.dispose())

describe("cybersource-rest-client 0.0.83 PayerAuthenticationApi against the CyberSource emulator", () => {
  it("setup, check enrollment (challenge), the payer's step-up, validation, then an authorization with the values", async () => {
    const code = nextCode("3ds")
    const number = "4000000000002503"
    const setup = await call<cybersource.RiskResponse>((cb) =>
      payerAuth.payerAuthSetup({ clientReferenceInformation: { code }, paymentInformation: { card: card(number) } }, cb)
    )
    expect(setup.response.status).toBe(201)
    expect(setup.data.status).toBe("COMPLETED")
    const referenceId = setup.data.consumerAuthenticationInformation?.referenceId
    expect(referenceId).toBeTypeOf("string")
    expect(setup.data.consumerAuthenticationInformation?.deviceDataCollectionUrl).toBe(
      `${emulator.baseUrl}/V1/Cruise/Collect`
    )

    const enrollment = await call<cybersource.RiskResponse>((cb) =>
      payerAuth.checkPayerAuthEnrollment(
        {
          clientReferenceInformation: { code },
          orderInformation: { amountDetails: amountDetails("64.00"), billTo },
          paymentInformation: { card: card(number) },
          consumerAuthenticationInformation: { referenceId }
        },
        cb
      )
    )
    expect(enrollment.response.status).toBe(201)
    expect(enrollment.data.status).toBe("PENDING_AUTHENTICATION")
    const pending = info(enrollment.response)
    expect(pending.stepUpUrl).toBe(`${emulator.baseUrl}/V2/Cruise/StepUp`)
    expect(pending.accessToken?.split(".")).toHaveLength(3)
    expect(pending.veresEnrolled).toBe("Y")
    const authenticationTransactionId = pending.authenticationTransactionId ?? ""
    expect(authenticationTransactionId).toMatch(/^[0-9A-Za-z]{20}$/)

    // The payer, in a browser: the step-up page, then the right code.
    const page = await fetch(pending.stepUpUrl ?? "", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ JWT: pending.accessToken ?? "" }).toString()
    })
    expect(await page.text()).toContain(authenticationTransactionId)
    const answered = await fetch(`${emulator.baseUrl}/MerchantACSWeb/challenge`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        TransactionId: authenticationTransactionId,
        action: "submit",
        otp: CyberSourceEmulator.challengeCode
      }).toString()
    })
    expect(await answered.text()).toContain('<dd id="status">success</dd>')

    const validation = await call<cybersource.RiskResponse>((cb) =>
      payerAuth.validateAuthenticationResults(
        {
          clientReferenceInformation: { code },
          orderInformation: { amountDetails: amountDetails("64.00") },
          paymentInformation: { card: card(number) },
          consumerAuthenticationInformation: { authenticationTransactionId }
        },
        cb
      )
    )
    expect(validation.response.status).toBe(201)
    expect(validation.data.status).toBe("AUTHENTICATION_SUCCESSFUL")
    const result = info(validation.response)
    expect(result.paresStatus).toBe("Y")
    expect(result.eci).toBe("05")
    expect(result.cavv).toBeTypeOf("string")

    const authorization = {
      clientReferenceInformation: { code },
      processingInformation: { capture: false, commerceIndicator: result.indicator },
      paymentInformation: { card: { ...card(number), securityCode: "123" } },
      orderInformation: { amountDetails: amountDetails("64.00"), billTo },
      consumerAuthenticationInformation: {
        cavv: result.cavv,
        xid: result.xid,
        eciRaw: result.eciRaw,
        directoryServerTransactionId: result.directoryServerTransactionId,
        paSpecificationVersion: result.specificationVersion
      }
    }
    const authorized = await call<cybersource.PtsResponse>((cb) => payments.createPayment(authorization, cb))
    expect(authorized.data.status).toBe("AUTHORIZED")
    expect(emulator.truth.chargesFor(code)).toBe(1)

    const replay = await failureOf(() =>
      call((cb) =>
        payments.createPayment({ ...authorization, clientReferenceInformation: { code: nextCode("replay") } }, cb)
      )
    )
    expect(replay.status).toBe(400)
    expect(field(replay.body, "reason")).toBe("CONSUMER_AUTHENTICATION_FAILED")
  })

  it("a frictionless card authenticates at enrollment; a failed step-up validates as AUTHENTICATION_FAILED", async () => {
    const code = nextCode("3ds-frictionless")
    const enrollment = (number: string) => ({
      clientReferenceInformation: { code },
      orderInformation: { amountDetails: amountDetails("9.00"), billTo },
      paymentInformation: { card: card(number) }
    })
    const frictionless = await call<cybersource.RiskResponse>((cb) =>
      payerAuth.checkPayerAuthEnrollment(enrollment("4000000000002701"), cb)
    )
    expect(frictionless.data.status).toBe("AUTHENTICATION_SUCCESSFUL")
    expect(info(frictionless.response)).toMatchObject({ veresEnrolled: "Y", paresStatus: "Y", eciRaw: "05" })

    const stepUp = await call<cybersource.RiskResponse>((cb) =>
      payerAuth.checkPayerAuthEnrollment(enrollment("4000000000002370"), cb)
    )
    const authenticationTransactionId = info(stepUp.response).authenticationTransactionId ?? ""
    expect(emulator.payerAuthentication.complete(authenticationTransactionId, "success")).toBe("success")
    const validation = await call<cybersource.RiskResponse>((cb) =>
      payerAuth.validateAuthenticationResults(
        {
          clientReferenceInformation: { code },
          orderInformation: { amountDetails: amountDetails("9.00") },
          paymentInformation: { card: card("4000000000002370") },
          consumerAuthenticationInformation: { authenticationTransactionId }
        },
        cb
      )
    )
    expect(validation.data.status).toBe("AUTHENTICATION_FAILED")
    expect(info(validation.response).paresStatus).toBe("N")
  })

  it("combined: createPayment with CONSUMER_AUTHENTICATION, then VALIDATE_CONSUMER_AUTHENTICATION", async () => {
    const code = nextCode("3ds-combined")
    const request = (processing: object, consumerAuthenticationInformation: object) => ({
      clientReferenceInformation: { code },
      processingInformation: { capture: false, ...processing },
      paymentInformation: { card: { ...card("4000000000002503"), securityCode: "123" } },
      orderInformation: { amountDetails: amountDetails("15.00"), billTo },
      consumerAuthenticationInformation
    })
    const pending = await call<cybersource.PtsResponse>((cb) =>
      payments.createPayment(request({ actionList: ["CONSUMER_AUTHENTICATION"] }, {}), cb)
    )
    expect(pending.response.status).toBe(201)
    expect(pending.data.status).toBe("PENDING_AUTHENTICATION")
    const authenticationTransactionId = info(pending.response).authenticationTransactionId ?? ""
    emulator.payerAuthentication.complete(authenticationTransactionId, "success")
    const authorized = await call<cybersource.PtsResponse>((cb) =>
      payments.createPayment(
        request({ actionList: ["VALIDATE_CONSUMER_AUTHENTICATION"] }, { authenticationTransactionId }),
        cb
      )
    )
    expect(authorized.data.status).toBe("AUTHORIZED")
    expect(info(authorized.response).paresStatus).toBe("Y")
    expect(emulator.truth.chargesFor(code)).toBe(1)
  })
})
