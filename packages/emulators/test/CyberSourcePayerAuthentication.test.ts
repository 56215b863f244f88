/**
 * Payer Authentication (3-D Secure 2.x) at the CyberSource emulator, over loopback HTTP with
 * HTTP Signature-signed requests: setup → Check Enrollment → the challenge page → Validate
 * Authentication → an authorization carrying the issued values, for each documented test-card
 * outcome; the combined flow (`CONSUMER_AUTHENTICATION` / `VALIDATE_CONSUMER_AUTHENTICATION` in
 * `processingInformation.actionList`); and the refusals of authorizations without, or with
 * someone else's, authentication values.
 */
import { assert, describe, it } from "@effect/vitest"
import * as CyberSourceEmulator from "@payport/emulators/CyberSourceEmulator"
import * as Effect from "effect/Effect"
import { digestOf, hmacBase64 } from "../src/internal/cybersource/HttpSignature.js"

type Emulator = CyberSourceEmulator.CyberSourceEmulator

interface Answer {
  readonly status: number
  readonly json: unknown
}

/** A signed request (host, date, request-target, digest on bodies, v-c-merchant-id), answered as JSON. */
const request = (
  em: Emulator,
  method: "GET" | "POST",
  path: string,
  body: unknown,
  signed = true
): Effect.Effect<Answer> =>
  Effect.promise(async () => {
    const text = body === undefined ? undefined : JSON.stringify(body)
    const values: Record<string, string> = {
      host: new URL(em.baseUrl).host,
      date: new Date().toUTCString(),
      "request-target": `${method.toLowerCase()} ${path}`,
      ...(text === undefined ? {} : { digest: digestOf(text) }),
      "v-c-merchant-id": em.merchantId
    }
    const names = Object.keys(values)
    const signature = hmacBase64(em.sharedSecret, names.map((n) => `${n}: ${values[n]}`).join("\n"))
    const response = await fetch(`${em.baseUrl}${path}`, {
      method,
      headers: {
        ...(text === undefined ? {} : { "content-type": "application/json", digest: values.digest ?? "" }),
        date: values.date ?? "",
        "v-c-merchant-id": em.merchantId,
        ...(signed
          ? {
              signature: `keyid="${em.keyId}", algorithm="HmacSHA256", headers="${names.join(" ")}", signature="${signature}"`
            }
          : {})
      },
      ...(text === undefined ? {} : { body: text })
    })
    const raw = await response.text()
    return { status: response.status, json: raw === "" ? undefined : (JSON.parse(raw) as unknown) }
  })

/** A signed POST. */
const post = (em: Emulator, path: string, body: unknown, signed = true): Effect.Effect<Answer> =>
  request(em, "POST", path, body, signed)

/** A signed GET. */
const get = (em: Emulator, path: string): Effect.Effect<Answer> => request(em, "GET", path, undefined)

/** A browser form POST (no credentials). */
const form = (url: string, fields: Readonly<Record<string, string>>): Effect.Effect<{ status: number; html: string }> =>
  Effect.promise(async () => {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields).toString()
    })
    return { status: response.status, html: await response.text() }
  })

const at = (value: unknown, path: string): unknown =>
  path
    .split(".")
    .reduce<unknown>(
      (current, key) =>
        typeof current === "object" && current !== null ? (current as Record<string, unknown>)[key] : undefined,
      value
    )

const str = (value: unknown, path: string): string => {
  const found = at(value, path)
  assert.isString(found, `${path} should be a string`)
  return found as string
}

const cai = (answer: Answer, member: string): unknown => at(answer.json, `consumerAuthenticationInformation.${member}`)

let sequence = 0
const code = (prefix: string) => `${prefix}-${++sequence}`

const card = (number: string) => ({
  number,
  expirationMonth: "01",
  expirationYear: String(new Date().getUTCFullYear() + 3),
  type: number.startsWith("5") ? "002" : "001"
})

const order = (total: string, extra: Record<string, unknown> = {}) => ({
  amountDetails: { totalAmount: total, currency: "USD" },
  billTo: {
    firstName: "John",
    lastName: "Doe",
    address1: "1 Market St",
    locality: "san francisco",
    administrativeArea: "CA",
    postalCode: "94105",
    country: "US",
    email: "test@cybs.com"
  },
  ...extra
})

const enrollment = (ref: string, number: string, total: string, auth: Record<string, unknown> = {}) => ({
  clientReferenceInformation: { code: ref },
  orderInformation: order(total),
  paymentInformation: { card: card(number) },
  consumerAuthenticationInformation: auth
})

const validation = (ref: string, number: string, total: string, authId: string) => ({
  clientReferenceInformation: { code: ref },
  orderInformation: { amountDetails: { totalAmount: total, currency: "USD" } },
  paymentInformation: { card: card(number) },
  consumerAuthenticationInformation: { authenticationTransactionId: authId }
})

const authorization = (
  ref: string,
  number: string,
  total: string,
  auth: Record<string, unknown> = {},
  processing: Record<string, unknown> = {}
) => ({
  clientReferenceInformation: { code: ref },
  processingInformation: { capture: false, ...processing },
  paymentInformation: { card: { ...card(number), securityCode: "123" } },
  orderInformation: order(total),
  ...(Object.keys(auth).length === 0 ? {} : { consumerAuthenticationInformation: auth })
})

/** The values the guide says to add to a separately requested authorization, from a risk answer. */
const issuedValues = (answer: Answer): Record<string, unknown> => {
  const pick = (member: string) => cai(answer, member)
  const values: Record<string, unknown> = {
    cavv: pick("cavv"),
    ucafAuthenticationData: pick("ucafAuthenticationData"),
    ucafCollectionIndicator: pick("ucafCollectionIndicator"),
    xid: pick("xid"),
    eciRaw: pick("eciRaw"),
    directoryServerTransactionId: pick("directoryServerTransactionId"),
    paSpecificationVersion: pick("specificationVersion")
  }
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined))
}

const withEmulator = <A>(f: (em: Emulator) => Effect.Effect<A>) =>
  Effect.flatMap(CyberSourceEmulator.start({ seed: 18 }), f)

describe("payer authentication: separate services", () => {
  it.scopedLive(
    "challenge success: setup → enroll → challenge page → validate → authorize with the issued values",
    () =>
      withEmulator((em) =>
        Effect.gen(function* () {
          const ref = code("challenge")
          const visa = "4000000000002503"
          const setup = yield* post(em, "/risk/v1/authentication-setups", {
            clientReferenceInformation: { code: ref },
            paymentInformation: { card: card(visa) }
          })
          assert.strictEqual(setup.status, 201)
          assert.strictEqual(at(setup.json, "status"), "COMPLETED")
          const referenceId = str(setup.json, "consumerAuthenticationInformation.referenceId")
          const ddcUrl = str(setup.json, "consumerAuthenticationInformation.deviceDataCollectionUrl")
          assert.strictEqual(ddcUrl, `${em.baseUrl}/V1/Cruise/Collect`)
          const collected = yield* form(ddcUrl, {
            JWT: str(setup.json, "consumerAuthenticationInformation.accessToken")
          })
          assert.strictEqual(collected.status, 200)
          assert.include(collected.html, "profile.completed")
          assert.include(collected.html, referenceId)

          const enrolled = yield* post(em, "/risk/v1/authentications", enrollment(ref, visa, "49.00", { referenceId }))
          assert.strictEqual(enrolled.status, 201)
          assert.strictEqual(at(enrolled.json, "status"), "PENDING_AUTHENTICATION")
          assert.strictEqual(at(enrolled.json, "errorInformation.reason"), "CONSUMER_AUTHENTICATION_REQUIRED")
          assert.strictEqual(cai(enrolled, "veresEnrolled"), "Y")
          assert.strictEqual(cai(enrolled, "paresStatus"), "C")
          assert.strictEqual(cai(enrolled, "specificationVersion"), "2.2.0")
          assert.strictEqual(cai(enrolled, "cavv"), undefined)
          const authId = str(enrolled.json, "consumerAuthenticationInformation.authenticationTransactionId")
          assert.match(authId, /^[0-9A-Za-z]{20}$/)
          const stepUpUrl = str(enrolled.json, "consumerAuthenticationInformation.stepUpUrl")
          assert.strictEqual(stepUpUrl, `${em.baseUrl}/V2/Cruise/StepUp`)
          const creq: unknown = JSON.parse(
            Buffer.from(str(enrolled.json, "consumerAuthenticationInformation.pareq"), "base64url").toString()
          )
          assert.deepStrictEqual(creq, {
            messageType: "CReq",
            messageVersion: "2.2.0",
            threeDSServerTransID: cai(enrolled, "threeDSServerTransactionId"),
            acsTransID: cai(enrolled, "acsTransactionId"),
            challengeWindowSize: "02"
          })
          assert.strictEqual(cai(enrolled, "acsUrl"), `${em.baseUrl}/MerchantACSWeb/creq.jsp`)

          // Validating before the payer has finished issues nothing: the challenge is still in
          // flight (PARes C) and the answer hands out the step-up again.
          const early = yield* post(em, "/risk/v1/authentication-results", validation(ref, visa, "49.00", authId))
          assert.strictEqual(at(early.json, "status"), "PENDING_AUTHENTICATION")
          assert.strictEqual(cai(early, "paresStatus"), "C")
          assert.strictEqual(cai(early, "stepUpUrl"), stepUpUrl)
          assert.strictEqual(cai(early, "cavv"), undefined)

          // The payer: the step-up page (the merchant's iframe posts the JWT), then the right code.
          const page = yield* form(stepUpUrl, {
            JWT: str(enrolled.json, "consumerAuthenticationInformation.accessToken")
          })
          assert.strictEqual(page.status, 200)
          assert.include(page.html, 'id="otp"')
          assert.include(page.html, authId)
          assert.notInclude(page.html, visa)
          const acsPage = yield* form(str(enrolled.json, "consumerAuthenticationInformation.acsUrl"), {
            creq: str(enrolled.json, "consumerAuthenticationInformation.pareq")
          })
          assert.include(acsPage.html, authId)
          const done = yield* form(`${em.baseUrl}/MerchantACSWeb/challenge`, {
            TransactionId: authId,
            action: "submit",
            otp: CyberSourceEmulator.challengeCode
          })
          assert.include(done.html, '<dd id="status">success</dd>')
          assert.strictEqual(em.payerAuthentication.authentication(authId)?.challenge, "success")

          const validated = yield* post(em, "/risk/v1/authentication-results", validation(ref, visa, "49.00", authId))
          assert.strictEqual(validated.status, 201)
          assert.strictEqual(at(validated.json, "status"), "AUTHENTICATION_SUCCESSFUL")
          assert.strictEqual(cai(validated, "paresStatus"), "Y")
          assert.strictEqual(cai(validated, "eci"), "05")
          assert.strictEqual(cai(validated, "eciRaw"), "05")
          assert.strictEqual(cai(validated, "indicator"), "vbv")
          assert.isString(cai(validated, "cavv"))
          assert.isString(cai(validated, "xid"))
          assert.isString(cai(validated, "directoryServerTransactionId"))

          const values = issuedValues(validated)
          const authorized = yield* post(
            em,
            "/pts/v2/payments",
            authorization(ref, visa, "49.00", values, { commerceIndicator: "vbv" })
          )
          assert.strictEqual(authorized.status, 201)
          assert.strictEqual(at(authorized.json, "status"), "AUTHORIZED")
          assert.strictEqual(cai(authorized, "eciRaw"), "05")
          assert.strictEqual(cai(authorized, "paresStatus"), "Y")
          const paymentId = str(authorized.json, "id")
          assert.strictEqual(em.payerAuthentication.authentication(authId)?.usedBy, paymentId)

          // The same values cannot authorize a second payment.
          const replay = yield* post(em, "/pts/v2/payments", authorization(code("replay"), visa, "49.00", values))
          assert.strictEqual(replay.status, 400)
          assert.strictEqual(at(replay.json, "reason"), "CONSUMER_AUTHENTICATION_FAILED")
          assert.strictEqual(em.truth.chargesFor(ref), 1)
        })
      )
  )

  it.scopedLive(
    "frictionless: Visa and Mastercard authenticate at enrollment; Mastercard must send version and DS id",
    () =>
      withEmulator((em) =>
        Effect.gen(function* () {
          const ref = code("frictionless")
          const visa = yield* post(em, "/risk/v1/authentications", enrollment(ref, "4000000000002701", "10.00"))
          assert.strictEqual(at(visa.json, "status"), "AUTHENTICATION_SUCCESSFUL")
          assert.strictEqual(cai(visa, "veresEnrolled"), "Y")
          assert.strictEqual(cai(visa, "paresStatus"), "Y")
          assert.strictEqual(cai(visa, "eciRaw"), "05")
          assert.strictEqual(cai(visa, "stepUpUrl"), undefined)
          const paid = yield* post(
            em,
            "/pts/v2/payments",
            authorization(ref, "4000000000002701", "10.00", issuedValues(visa))
          )
          assert.strictEqual(at(paid.json, "status"), "AUTHORIZED")

          const mcRef = code("frictionless-mc")
          const mc = yield* post(em, "/risk/v1/authentications", enrollment(mcRef, "5200000000002235", "10.00"))
          assert.strictEqual(at(mc.json, "status"), "AUTHENTICATION_SUCCESSFUL")
          assert.strictEqual(cai(mc, "eciRaw"), "02")
          assert.strictEqual(cai(mc, "ucafCollectionIndicator"), "2")
          assert.isString(cai(mc, "ucafAuthenticationData"))
          assert.strictEqual(cai(mc, "cavv"), undefined)
          assert.strictEqual(cai(mc, "xid"), undefined)
          const { paSpecificationVersion: _version, ...withoutVersion } = issuedValues(mc)
          const incomplete = yield* post(
            em,
            "/pts/v2/payments",
            authorization(mcRef, "5200000000002235", "10.00", withoutVersion)
          )
          assert.strictEqual(incomplete.status, 400)
          assert.strictEqual(at(incomplete.json, "reason"), "MISSING_FIELD")
          assert.strictEqual(
            at(incomplete.json, "details.0.field"),
            "consumerAuthenticationInformation.paSpecificationVersion"
          )
          const complete = yield* post(
            em,
            "/pts/v2/payments",
            authorization(mcRef, "5200000000002235", "10.00", issuedValues(mc))
          )
          assert.strictEqual(at(complete.json, "status"), "AUTHORIZED")
        })
      )
  )

  it.scopedLive(
    "failed: frictionless refusal, a failed challenge, and a cancelled one; a replayed completion changes nothing",
    () =>
      withEmulator((em) =>
        Effect.gen(function* () {
          const ref = code("failed")
          const refused = yield* post(em, "/risk/v1/authentications", enrollment(ref, "4000000000002925", "10.00"))
          assert.strictEqual(at(refused.json, "status"), "AUTHENTICATION_FAILED")
          assert.strictEqual(cai(refused, "paresStatus"), "N")
          assert.strictEqual(cai(refused, "eciRaw"), "07")
          assert.strictEqual(cai(refused, "cavv"), undefined)
          // Authorizing with a failed authentication's values is declined, not approved.
          const declined = yield* post(
            em,
            "/pts/v2/payments",
            authorization(ref, "4000000000002925", "10.00", issuedValues(refused))
          )
          assert.strictEqual(at(declined.json, "status"), "DECLINED")
          assert.strictEqual(at(declined.json, "errorInformation.reason"), "CONSUMER_AUTHENTICATION_FAILED")

          // 2.10: the payer passes the page, the issuer still refuses.
          const failing = yield* post(em, "/risk/v1/authentications", enrollment(ref, "4000000000002370", "10.00"))
          const failingId = str(failing.json, "consumerAuthenticationInformation.authenticationTransactionId")
          assert.strictEqual(em.payerAuthentication.complete(failingId, "success"), "success")
          const failed = yield* post(
            em,
            "/risk/v1/authentication-results",
            validation(ref, "4000000000002370", "10.00", failingId)
          )
          assert.strictEqual(at(failed.json, "status"), "AUTHENTICATION_FAILED")
          assert.strictEqual(cai(failed, "paresStatus"), "N")

          // A challenge card the payer cancels on the page.
          const cancelled = yield* post(em, "/risk/v1/authentications", enrollment(ref, "4000000000002503", "10.00"))
          const cancelledId = str(cancelled.json, "consumerAuthenticationInformation.authenticationTransactionId")
          const page = yield* form(`${em.baseUrl}/MerchantACSWeb/challenge`, {
            TransactionId: cancelledId,
            action: "cancel"
          })
          assert.include(page.html, '<dd id="status">failure</dd>')
          assert.strictEqual(em.payerAuthentication.complete(cancelledId, "success"), "failure")
          const wrong = yield* post(
            em,
            "/risk/v1/authentication-results",
            validation(ref, "4000000000002503", "10.00", cancelledId)
          )
          assert.strictEqual(at(wrong.json, "status"), "AUTHENTICATION_FAILED")
          assert.strictEqual(cai(wrong, "paresStatus"), "N")
          assert.strictEqual(em.payerAuthentication.complete("unknown-id", "success"), undefined)
        })
      )
  )

  it.scopedLive("unavailable: enrollment error and unavailable step-up authorize without liability shift", () =>
    withEmulator((em) =>
      Effect.gen(function* () {
        const ref = code("unavailable")
        const lookup = yield* post(em, "/risk/v1/authentications", enrollment(ref, "4000000000002990", "10.00"))
        assert.strictEqual(at(lookup.json, "status"), "AUTHENTICATION_SUCCESSFUL")
        assert.strictEqual(cai(lookup, "veresEnrolled"), "U")
        assert.strictEqual(cai(lookup, "directoryServerErrorCode"), "101")
        assert.strictEqual(cai(lookup, "eciRaw"), "07")
        assert.strictEqual(cai(lookup, "ecommerceIndicator"), "internet")
        assert.strictEqual(cai(lookup, "cavv"), undefined)
        const plain = yield* post(em, "/pts/v2/payments", authorization(ref, "4000000000002990", "10.00"))
        assert.strictEqual(at(plain.json, "status"), "AUTHORIZED")

        const stepUp = yield* post(em, "/risk/v1/authentications", enrollment(ref, "4000000000002420", "11.00"))
        assert.strictEqual(at(stepUp.json, "status"), "PENDING_AUTHENTICATION")
        const id = str(stepUp.json, "consumerAuthenticationInformation.authenticationTransactionId")
        em.payerAuthentication.complete(id, "success")
        const validated = yield* post(
          em,
          "/risk/v1/authentication-results",
          validation(ref, "4000000000002420", "11.00", id)
        )
        assert.strictEqual(at(validated.json, "status"), "AUTHENTICATION_SUCCESSFUL")
        assert.strictEqual(cai(validated, "paresStatus"), "U")
        assert.strictEqual(cai(validated, "eciRaw"), "07")
        const paid = yield* post(
          em,
          "/pts/v2/payments",
          authorization(ref, "4000000000002420", "11.00", issuedValues(validated))
        )
        assert.strictEqual(at(paid.json, "status"), "AUTHORIZED")
      })
    )
  )

  it.scopedLive(
    "refused: no authentication, forged values, another amount, another card, another payment's values",
    () =>
      withEmulator((em) =>
        Effect.gen(function* () {
          const ref = code("refused")
          const without = yield* post(em, "/pts/v2/payments", authorization(ref, "4000000000002503", "20.00"))
          assert.strictEqual(without.status, 201)
          assert.strictEqual(at(without.json, "status"), "DECLINED")
          assert.strictEqual(at(without.json, "errorInformation.reason"), "CONSUMER_AUTHENTICATION_REQUIRED")

          const frictionless = yield* post(em, "/risk/v1/authentications", enrollment(ref, "4000000000002701", "20.00"))
          const values = issuedValues(frictionless)
          const forged = yield* post(
            em,
            "/pts/v2/payments",
            authorization(ref, "4000000000002701", "20.00", { ...values, cavv: "AAABBBCCCDDDEEEFFFGGGHHHIII=" })
          )
          assert.strictEqual(forged.status, 400)
          assert.strictEqual(at(forged.json, "reason"), "CONSUMER_AUTHENTICATION_FAILED")
          const otherAmount = yield* post(
            em,
            "/pts/v2/payments",
            authorization(ref, "4000000000002701", "25.00", values)
          )
          assert.strictEqual(at(otherAmount.json, "reason"), "CONSUMER_AUTHENTICATION_FAILED")
          const otherCard = yield* post(em, "/pts/v2/payments", authorization(ref, "4000000000002503", "20.00", values))
          assert.strictEqual(at(otherCard.json, "reason"), "CONSUMER_AUTHENTICATION_FAILED")
          const otherEci = yield* post(
            em,
            "/pts/v2/payments",
            authorization(ref, "4000000000002701", "20.00", { ...values, eciRaw: "06" })
          )
          assert.strictEqual(at(otherEci.json, "reason"), "CONSUMER_AUTHENTICATION_FAILED")
          // None of the refusals used the values up: the payment they were issued for authorizes.
          const first = yield* post(em, "/pts/v2/payments", authorization(ref, "4000000000002701", "20.00", values))
          assert.strictEqual(at(first.json, "status"), "AUTHORIZED")
          const second = yield* post(
            em,
            "/pts/v2/payments",
            authorization(code("second"), "4000000000002701", "20.00", values)
          )
          assert.strictEqual(second.status, 400)
          assert.strictEqual(at(second.json, "reason"), "CONSUMER_AUTHENTICATION_FAILED")
          assert.notInclude(JSON.stringify(second.json), String(values.cavv))
          assert.strictEqual(em.truth.chargesFor(ref), 1)
        })
      )
  )

  it.scopedLive("request validation and authentication of the risk endpoints", () =>
    withEmulator((em) =>
      Effect.gen(function* () {
        const ref = code("validation")
        const { type: _type, ...untyped } = card("4000000000002503")
        const noType = yield* post(em, "/risk/v1/authentications", {
          ...enrollment(ref, "4000000000002503", "10.00"),
          paymentInformation: { card: untyped }
        })
        assert.strictEqual(noType.status, 400)
        assert.strictEqual(at(noType.json, "status"), "INVALID_REQUEST")
        assert.strictEqual(at(noType.json, "reason"), "MISSING_FIELD")
        assert.strictEqual(at(noType.json, "details.0.field"), "paymentInformation.card.type")
        const noAmount = yield* post(em, "/risk/v1/authentications", {
          ...enrollment(ref, "4000000000002503", "10.00"),
          orderInformation: {}
        })
        assert.strictEqual(at(noAmount.json, "reason"), "MISSING_FIELD")
        const unknownReference = yield* post(
          em,
          "/risk/v1/authentications",
          enrollment(ref, "4000000000002503", "10.00", { referenceId: "not-issued" })
        )
        assert.strictEqual(at(unknownReference.json, "reason"), "INVALID_DATA")
        const unknownId = yield* post(
          em,
          "/risk/v1/authentication-results",
          validation(ref, "4000000000002503", "10.00", "AAAAAAAAAAAAAAAAAAAA")
        )
        assert.strictEqual(unknownId.status, 400)
        assert.strictEqual(
          at(unknownId.json, "details.0.field"),
          "consumerAuthenticationInformation.authenticationTransactionId"
        )
        const unsigned = yield* post(
          em,
          "/risk/v1/authentications",
          enrollment(ref, "4000000000002503", "10.00"),
          false
        )
        assert.strictEqual(unsigned.status, 401)
        assert.isTrue(em.truth.authFailures().some((f) => f.path === "/risk/v1/authentications"))
      })
    )
  )
})

describe("payer authentication: the payer's pages", () => {
  it.scopedLive("a step-up JWT the emulator did not sign, or one past its hour, opens no challenge", () => {
    let offset = 0
    return Effect.flatMap(CyberSourceEmulator.start({ seed: 18, clock: () => Date.now() + offset }), (em) =>
      Effect.gen(function* () {
        const enrolled = yield* post(
          em,
          "/risk/v1/authentications",
          enrollment(code("jwt"), "4000000000002503", "3.00")
        )
        const stepUpUrl = str(enrolled.json, "consumerAuthenticationInformation.stepUpUrl")
        const token = str(enrolled.json, "consumerAuthenticationInformation.accessToken")
        assert.strictEqual((yield* form(stepUpUrl, { JWT: token })).status, 200)
        const [head, body] = token.split(".")
        assert.strictEqual((yield* form(stepUpUrl, { JWT: `${head}.${body}.forged` })).status, 404)
        offset = 2 * 60 * 60 * 1000
        assert.strictEqual((yield* form(stepUpUrl, { JWT: token })).status, 404)
      })
    )
  })
})

describe("payer authentication: combined with the authorization", () => {
  it.scopedLive(
    "CONSUMER_AUTHENTICATION answers PENDING_AUTHENTICATION; the page returns to returnUrl; VALIDATE authorizes once",
    () =>
      withEmulator((em) =>
        Effect.gen(function* () {
          const ref = code("combined")
          const returnUrl = "https://merchant.example/3ds/return"
          const pending = yield* post(
            em,
            "/pts/v2/payments",
            authorization(ref, "4000000000002503", "30.00", { returnUrl }, { actionList: ["CONSUMER_AUTHENTICATION"] })
          )
          assert.strictEqual(pending.status, 201)
          assert.strictEqual(at(pending.json, "status"), "PENDING_AUTHENTICATION")
          assert.strictEqual(at(pending.json, "errorInformation.reason"), "CONSUMER_AUTHENTICATION_REQUIRED")
          const authId = str(pending.json, "consumerAuthenticationInformation.authenticationTransactionId")
          const stepUpUrl = str(pending.json, "consumerAuthenticationInformation.stepUpUrl")
          assert.strictEqual(stepUpUrl, `${em.baseUrl}/V2/Cruise/StepUp`)
          assert.strictEqual(em.truth.chargesFor(ref), 0)
          assert.strictEqual(em.payerAuthentication.authentication(authId)?.pendingPaymentId, str(pending.json, "id"))

          // VALIDATE before the payer finished: still PENDING_AUTHENTICATION, nothing recorded, and
          // the request's transactionId stays free for the authorization once the payer is done.
          const validate = {
            ...authorization(
              ref,
              "4000000000002503",
              "30.00",
              { authenticationTransactionId: authId },
              { actionList: ["VALIDATE_CONSUMER_AUTHENTICATION"] }
            ),
            clientReferenceInformation: { code: ref, transactionId: "validate-combined-30" },
            merchantDefinedInformation: [{ key: "1", value: "order 30" }]
          }
          const early = yield* post(em, "/pts/v2/payments", validate)
          assert.strictEqual(early.status, 201)
          assert.strictEqual(at(early.json, "status"), "PENDING_AUTHENTICATION")
          assert.strictEqual(cai(early, "paresStatus"), "C")
          assert.strictEqual(cai(early, "authenticationTransactionId"), authId)
          assert.isString(cai(early, "accessToken"))
          const earlyRead = yield* get(em, `/tss/v2/transactions/${str(early.json, "id")}`)
          assert.strictEqual(earlyRead.status, 404)
          // TSS shows what the pending payment waits on.
          const pendingRead = yield* get(em, `/tss/v2/transactions/${str(pending.json, "id")}`)
          assert.strictEqual(at(pendingRead.json, "consumerAuthenticationInformation.transactionId"), authId)

          const page = yield* form(stepUpUrl, {
            JWT: str(pending.json, "consumerAuthenticationInformation.accessToken"),
            MD: "order-30"
          })
          assert.include(page.html, 'name="MD" value="order-30"')
          const done = yield* form(`${em.baseUrl}/MerchantACSWeb/challenge`, {
            TransactionId: authId,
            MD: "order-30",
            action: "submit",
            otp: CyberSourceEmulator.challengeCode
          })
          assert.include(done.html, `action="${returnUrl}"`)
          assert.include(done.html, `name="TransactionId" value="${authId}"`)

          const authorized = yield* post(em, "/pts/v2/payments", validate)
          assert.strictEqual(at(authorized.json, "status"), "AUTHORIZED")
          const read = yield* get(em, `/tss/v2/transactions/${str(authorized.json, "id")}`)
          assert.deepStrictEqual(at(read.json, "merchantDefinedInformation"), [{ key: "1", value: "order 30" }])
          assert.strictEqual(cai(authorized, "paresStatus"), "Y")
          assert.strictEqual(cai(authorized, "eciRaw"), "05")
          assert.isString(cai(authorized, "cavv"))
          const again = yield* post(em, "/pts/v2/payments", {
            ...validate,
            clientReferenceInformation: { code: ref, transactionId: "validate-combined-30b" }
          })
          assert.strictEqual(again.status, 400)
          assert.strictEqual(at(again.json, "reason"), "CONSUMER_AUTHENTICATION_FAILED")
          assert.strictEqual(em.truth.chargesFor(ref), 1)
        })
      )
  )

  it.scopedLive("CONSUMER_AUTHENTICATION authorizes a frictionless card at once and declines a refused one", () =>
    withEmulator((em) =>
      Effect.gen(function* () {
        const ref = code("combined-frictionless")
        const enroll = { actionList: ["CONSUMER_AUTHENTICATION"] }
        const paid = yield* post(em, "/pts/v2/payments", authorization(ref, "4000000000002701", "8.00", {}, enroll))
        assert.strictEqual(at(paid.json, "status"), "AUTHORIZED")
        assert.strictEqual(cai(paid, "paresStatus"), "Y")
        assert.strictEqual(cai(paid, "eciRaw"), "05")
        const refused = yield* post(em, "/pts/v2/payments", authorization(ref, "4000000000002925", "8.00", {}, enroll))
        assert.strictEqual(at(refused.json, "status"), "DECLINED")
        assert.strictEqual(at(refused.json, "errorInformation.reason"), "CONSUMER_AUTHENTICATION_FAILED")
        assert.strictEqual(cai(refused, "paresStatus"), "N")
        // A card that cannot be authenticated goes on to authorization without liability shift.
        const plain = yield* post(em, "/pts/v2/payments", authorization(ref, "4111111111111111", "8.00", {}, enroll))
        assert.strictEqual(at(plain.json, "status"), "AUTHORIZED")
        assert.strictEqual(cai(plain, "veresEnrolled"), "U")
        assert.strictEqual(em.truth.chargesFor(ref), 2)
      })
    )
  )

  it.scopedLive("the simulation API completes a pending payment's challenge by payment id", () =>
    withEmulator((em) =>
      Effect.gen(function* () {
        const ref = code("simulate")
        const pending = yield* post(
          em,
          "/pts/v2/payments",
          authorization(ref, "4000000000003220", "5.00", {}, { actionList: ["CONSUMER_AUTHENTICATION"] })
        )
        assert.strictEqual(at(pending.json, "status"), "PENDING_AUTHENTICATION")
        const authId = str(pending.json, "consumerAuthenticationInformation.authenticationTransactionId")
        assert.strictEqual(em.simulate.completeAuthentication(str(pending.json, "id")), authId)
        const paid = yield* post(
          em,
          "/pts/v2/payments",
          authorization(
            ref,
            "4000000000003220",
            "5.00",
            { authenticationTransactionId: authId },
            { actionList: ["VALIDATE_CONSUMER_AUTHENTICATION"] }
          )
        )
        assert.strictEqual(at(paid.json, "status"), "AUTHORIZED")
        assert.deepStrictEqual(
          em.truth.authentications().map((a) => [a.scenario, a.challenge, a.paresStatus, a.cardSuffix]),
          [["challenge", "success", "Y", "3220"]]
        )
      })
    )
  )
})
