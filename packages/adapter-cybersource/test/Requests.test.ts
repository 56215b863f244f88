/**
 * Every request the adapter sends carries exactly the documented headers, a digest of the exact
 * body bytes and a signature that verifies, and a body that validates against the documented
 * request shape in the CyberSource swagger (fields, types, lengths, enums, required).
 */
import * as Authorization from "@payport/core/Authorization"
import { Address } from "@payport/core/Customer"
import * as Customers from "@payport/core/Customers"
import * as Money from "@payport/core/Money"
import * as PaymentMethod from "@payport/core/PaymentMethod"
import * as Payments from "@payport/core/Payments"
import * as ThreeDsAuthentication from "@payport/core/ThreeDsAuthentication"
import * as Vault from "@payport/core/Vault"
import * as VaultEnrollment from "@payport/core/VaultEnrollment"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as HttpSignature from "../src/HttpSignature.js"
import { KEY_ID, provider, type Recorded, type Reply, ref, SECRET, tss } from "./support/Stub.js"
import { bodySchema, headerNames, validate } from "./support/Swagger.js"

const usd = (minor: number) => Money.unsafeMake(minor, "USD")
const card = PaymentMethod.card({ number: "4111 1111 1111 1111", expiry: { month: 3, year: 2031 }, cvv: "987" })
const billing = Address.make({
  firstName: "John",
  lastName: "Doe",
  line1: "1 Market St",
  city: "san francisco",
  region: "CA",
  postalCode: "94105",
  country: "US",
  email: "test@cybs.com"
})

const PI = {
  id: "D9F3439F0448C901E053A2598D0AA1CC",
  object: "paymentInstrument",
  default: true,
  state: "ACTIVE",
  card: { expirationMonth: "03", expirationYear: "2031", type: "001" },
  instrumentIdentifier: { id: "7010000000016241111" },
  _embedded: { instrumentIdentifier: { id: "7010000000016241111", card: { number: "411111XXXXXX1111" } } }
}

const templates: ReadonlyArray<readonly [RegExp, string]> = [
  [/^\/pts\/v2\/payments$/, "/pts/v2/payments"],
  [/^\/pts\/v2\/payments\/[^/]+\/captures$/, "/pts/v2/payments/{id}/captures"],
  [/^\/pts\/v2\/payments\/[^/]+\/reversals$/, "/pts/v2/payments/{id}/reversals"],
  [/^\/pts\/v2\/payments\/[^/]+\/refunds$/, "/pts/v2/payments/{id}/refunds"],
  [/^\/tss\/v2\/searches$/, "/tss/v2/searches"],
  [/^\/tss\/v2\/transactions\/[^/]+$/, "/tss/v2/transactions/{id}"],
  [/^\/tms\/v2\/customers$/, "/tms/v2/customers"],
  [/^\/tms\/v2\/customers\/[^/]+$/, "/tms/v2/customers/{customerTokenId}"],
  [/^\/tms\/v1\/instrumentidentifiers$/, "/tms/v1/instrumentidentifiers"],
  [/^\/tms\/v2\/customers\/[^/]+\/payment-instruments$/, "/tms/v2/customers/{customerTokenId}/payment-instruments"],
  [
    /^\/tms\/v2\/customers\/[^/]+\/payment-instruments\/[^/]+$/,
    "/tms/v2/customers/{customerTokenId}/payment-instruments/{paymentInstrumentTokenId}"
  ]
]
const template = (path: string) => templates.find(([re]) => re.test(path.split("?")[0] ?? ""))?.[1]

const answer = (r: Recorded): Reply => {
  const key = `${r.method} ${r.url.pathname}`
  if (key === "POST /pts/v2/payments") {
    // A zero-amount verification with TOKEN_CREATE answers the tokens it made.
    const verification = r.body.includes('"totalAmount":"0.00"')
    return {
      status: 201,
      body: {
        id: "7000000000000000000001",
        status: "AUTHORIZED",
        orderInformation: {
          amountDetails: { authorizedAmount: verification ? "0.00" : "10.00", currency: "USD" }
        },
        ...(verification ? { tokenInformation: { paymentInstrument: { id: PI.id } } } : {})
      }
    }
  }
  if (key.startsWith("GET /tss/v2/transactions/")) {
    const id = r.url.pathname.split("/").pop() ?? ""
    return {
      status: 200,
      body: tss({
        id,
        status: id === "SALE1" ? "PENDING" : "AUTHORIZED",
        amount: "10.00",
        applications: id === "SALE1" ? ["ics_auth", "ics_bill"] : ["ics_auth"]
      })
    }
  }
  if (key.endsWith("/captures")) return { status: 201, body: { id: "C1", status: "PENDING" } }
  if (key.endsWith("/reversals")) return { status: 201, body: { id: "R1", status: "REVERSED" } }
  if (key.endsWith("/refunds"))
    return {
      status: 201,
      body: { id: "F1", status: "PENDING", refundAmountDetails: { refundAmount: "1.00", currency: "USD" } }
    }
  if (key === "POST /tss/v2/searches")
    return { status: 201, body: { count: 0, _embedded: { transactionSummaries: [] } } }
  if (
    key === "POST /tms/v2/customers" ||
    (key.startsWith("GET /tms/v2/customers/CUST1") && !key.includes("payment-instruments"))
  ) {
    return {
      status: key.startsWith("POST") ? 201 : 200,
      body: { id: "CUST1", buyerInformation: { merchantCustomerID: "m-1", email: "a@b.co" } }
    }
  }
  if (key === "POST /tms/v1/instrumentidentifiers")
    return { status: 200, body: { id: "7010000000016241111", state: "ACTIVE" } }
  if (key.includes("/payment-instruments")) {
    if (r.method === "DELETE") return { status: 204 }
    if (r.method === "GET" && key.endsWith("/payment-instruments")) {
      return {
        status: 200,
        body: { offset: 0, limit: 20, count: 1, total: 1, _embedded: { paymentInstruments: [PI] } }
      }
    }
    return { status: r.method === "POST" ? 201 : 200, body: PI, headers: { etag: '"e2"' } }
  }
  return { status: 599, body: { unexpected: key } }
}

const run = () => {
  const p = provider(answer, { profileId: "93B32398-AD51-4CC2-A682-EA3E93614EB1" })
  const program = Effect.gen(function* () {
    yield* Authorization.authorize({ reference: "order-1", amount: usd(1000), method: card, billing })
    yield* Payments.create({
      reference: "order-2",
      amount: usd(1000),
      method: PaymentMethod.savedCard("D9F3439F0448C901E053A2598D0AA1CC", "987"),
      customer: { id: "CUST1" }
    })
    yield* Payments.create({
      reference: "order-3",
      amount: usd(1000),
      method: card,
      customer: { id: "CUST1", email: "a@b.co" },
      saveInstrument: true
    })
    yield* Payments.create({
      reference: "order-4",
      amount: usd(1000),
      method: PaymentMethod.networkToken({
        tokenPan: "4111111111111111",
        cryptogram: "EHuWW9PiBkWvqE5juRwDzAUFBAk=",
        expiry: { month: 9, year: 2031 },
        tokenRequestorId: "12121212121"
      })
    })
    yield* Payments.create({
      reference: "order-5",
      amount: usd(1000),
      method: PaymentMethod.savedCard("D9F3439F0448C901E053A2598D0AA1CC"),
      customer: { id: "CUST1" },
      initiator: { _tag: "Merchant", reason: "resubmission", previousNetworkTransactionId: "016150703802094" }
    })
    yield* Authorization.capture({ payment: ref("AUTH1"), amount: usd(400) })
    yield* Authorization.void({ payment: ref("AUTH2") })
    yield* Payments.refund({ payment: ref("SALE1"), amount: usd(100), reference: "refund-1" })
    yield* Payments.list("order-9")
    yield* Customers.create({ reference: "m-1", email: "a@b.co", name: "Jane Doe" })
    yield* Customers.get("CUST1")
    yield* VaultEnrollment.create({ customerId: "CUST1", card, billing, makeDefault: true })
    yield* VaultEnrollment.update({
      customerId: "CUST1",
      instrumentId: PI.id,
      etag: '"e1"',
      expiry: { month: 4, year: 2032 }
    })
    yield* VaultEnrollment.setDefault({ customerId: "CUST1", instrumentId: PI.id, etag: '"e2"' })
    yield* Vault.list({ customerId: "CUST1", limit: 20 })
    yield* Vault.get({ customerId: "CUST1", instrumentId: PI.id })
    yield* Vault.delete({ customerId: "CUST1", instrumentId: PI.id })
  })
  return { p, program: program.pipe(Effect.provide(p.layer)) }
}

describe("requests match the documented shapes", () => {
  it.effect("every request body validates against the swagger and every header is documented", () => {
    const { p, program } = run()
    return Effect.gen(function* () {
      yield* program
      assert.isAtLeast(p.recorded.length, 20)
      const seen = new Set<string>()
      for (const r of p.recorded) {
        const path = template(r.url.pathname)
        assert.isDefined(path, `undocumented path ${r.url.pathname}`)
        if (path === undefined) continue
        seen.add(`${r.method} ${path}`)
        const withBody = HttpSignature.hasDigest(r.method)
        const expected = [
          "accept",
          ...(withBody ? ["content-length", "content-type", "digest"] : []),
          "date",
          "host",
          ...(r.headers["if-match"] === undefined ? [] : ["if-match"]),
          ...(path.startsWith("/tms") ? ["profile-id"] : []),
          "signature",
          "user-agent",
          "v-c-merchant-id"
        ].sort()
        assert.deepStrictEqual(Object.keys(r.headers).sort(), expected, `${r.method} ${path}`)
        for (const name of ["profile-id", "if-match"]) {
          if (r.headers[name] !== undefined) assert.include(headerNames(r.method, path), name, `${name} on ${path}`)
        }
        assert.strictEqual(
          r.headers.accept,
          path.startsWith("/tms") ? "application/json;charset=utf-8" : "application/hal+json;charset=utf-8"
        )
        if (withBody) {
          assert.strictEqual(r.headers["content-type"], "application/json;charset=utf-8")
          assert.strictEqual(r.headers["content-length"], String(new TextEncoder().encode(r.body).length))
          const problems = validate(bodySchema(r.method, path), JSON.parse(r.body))
          assert.deepStrictEqual(problems, [], `${r.method} ${path}: ${r.body.slice(0, 200)}`)
          assert.strictEqual(r.headers.digest, yield* HttpSignature.digest(r.body))
        }
        // the signature verifies independently over what was sent
        const resigned = yield* HttpSignature.sign({
          method: r.method,
          host: r.headers.host ?? "",
          target: `${r.url.pathname}${r.url.search}`,
          date: r.headers.date ?? "",
          merchantId: "testrest",
          keyId: KEY_ID,
          sharedSecret: Redacted.make(SECRET),
          body: r.body
        })
        assert.strictEqual(r.headers.signature, resigned.signature)
      }
      for (const op of [
        "POST /pts/v2/payments",
        "POST /pts/v2/payments/{id}/captures",
        "POST /pts/v2/payments/{id}/reversals",
        "POST /pts/v2/payments/{id}/refunds",
        "POST /tss/v2/searches",
        "GET /tss/v2/transactions/{id}",
        "POST /tms/v2/customers",
        "GET /tms/v2/customers/{customerTokenId}/payment-instruments/{paymentInstrumentTokenId}",
        "PATCH /tms/v2/customers/{customerTokenId}/payment-instruments/{paymentInstrumentTokenId}",
        "GET /tms/v2/customers/{customerTokenId}/payment-instruments",
        "DELETE /tms/v2/customers/{customerTokenId}/payment-instruments/{paymentInstrumentTokenId}"
      ]) {
        assert.isTrue(seen.has(op), `not exercised: ${op}`)
      }
    })
  })

  it.effect("payment bodies carry the documented field values", () => {
    const { p, program } = run()
    return Effect.gen(function* () {
      yield* program
      const bodies = p.recorded
        .filter((r) => r.method === "POST" && r.url.pathname === "/pts/v2/payments")
        .map((r) => JSON.parse(r.body))
      // The idempotency key travels as a 30-hex tag in transactionId (≤ 30 chars) and in comments.
      const reference = bodies[0].clientReferenceInformation
      assert.strictEqual(reference.code, "order-1")
      assert.match(reference.transactionId, /^[0-9a-f]{30}$/)
      assert.strictEqual(reference.comments, `payport-idempotency ${reference.transactionId}`)
      assert.notStrictEqual(bodies[1].clientReferenceInformation.transactionId, reference.transactionId)
      assert.deepStrictEqual(bodies[0], {
        clientReferenceInformation: reference,
        processingInformation: { capture: false, commerceIndicator: "internet" },
        paymentInformation: {
          card: {
            number: "4111111111111111",
            expirationMonth: "03",
            expirationYear: "2031",
            securityCode: "987",
            type: "001"
          }
        },
        orderInformation: {
          amountDetails: { totalAmount: "10.00", currency: "USD" },
          billTo: {
            firstName: "John",
            lastName: "Doe",
            address1: "1 Market St",
            locality: "san francisco",
            administrativeArea: "CA",
            postalCode: "94105",
            country: "US",
            email: "test@cybs.com"
          }
        }
      })
      assert.strictEqual(bodies[1].processingInformation.capture, true)
      assert.deepStrictEqual(bodies[1].paymentInformation, {
        paymentInstrument: { id: "D9F3439F0448C901E053A2598D0AA1CC" },
        card: { securityCode: "987" },
        customer: { id: "CUST1" }
      })
      assert.deepStrictEqual(bodies[2].processingInformation.actionList, ["TOKEN_CREATE"])
      assert.strictEqual(bodies[3].paymentInformation.tokenizedCard.requestorId, "12121212121")
      const patch = p.recorded.find((r) => r.method === "PATCH")
      assert.strictEqual(patch?.headers["if-match"], '"e1"')
      const list = p.recorded.find((r) => r.method === "GET" && r.url.pathname.endsWith("/payment-instruments"))
      assert.strictEqual(list?.url.search, "?offset=0&limit=20")
    })
  })

  it("the validator rejects what the documents do not allow", () => {
    const schema = bodySchema("POST", "/pts/v2/payments")
    assert.deepStrictEqual(validate(schema, { orderInformation: { amountDetails: { totalAmount: "1.00" } } }), [])
    assert.isNotEmpty(validate(schema, { orderInformation: { amountDetails: { totalAmount: 1.0 } } }))
    assert.isNotEmpty(validate(schema, { processingInformation: { capture: "true" } }))
    assert.isNotEmpty(validate(schema, { paymentInformation: { card: { cardNumber: "4111" } } }))
    assert.isNotEmpty(validate(schema, { clientReferenceInformation: { code: "x".repeat(51) } }))
  })
})

describe("3-D Secure requests match the documented shapes", () => {
  const PENDING = "7000000000000000000010"
  const FINAL = "7000000000000000000011"
  let payments = 0
  const answer3ds = (r: Recorded): Reply => {
    const key = `${r.method} ${r.url.pathname}`
    if (key === "POST /tms/v1/instrumentidentifiers")
      return { status: 200, body: { id: "7010000000016241111", state: "ACTIVE" } }
    if (key === "POST /pts/v2/payments") {
      payments += 1
      return payments === 1
        ? {
            status: 201,
            body: {
              id: PENDING,
              status: "PENDING_AUTHENTICATION",
              orderInformation: { amountDetails: { totalAmount: "10.00", currency: "USD" } },
              consumerAuthenticationInformation: {
                stepUpUrl: "https://centinelapistag.cardinalcommerce.com/V2/Cruise/StepUp",
                accessToken: "eyJhbGciOiJIUzI1NiJ9.e30.sig",
                authenticationTransactionId: "OZ9qOjjlvjcL0YSZDUx0"
              }
            }
          }
        : {
            status: 201,
            body: {
              id: FINAL,
              status: "AUTHORIZED",
              orderInformation: { amountDetails: { authorizedAmount: "10.00", currency: "USD" } }
            }
          }
    }
    if (key === `GET /tss/v2/transactions/${PENDING}`) {
      // A sale (`ics_bill`) waiting on the payer: the completion captures too.
      const base = tss({
        id: PENDING,
        status: "PENDING_AUTHENTICATION",
        amount: "10.00",
        code: "order-3ds",
        applications: ["ics_auth", "ics_bill"]
      })
      return {
        status: 200,
        body: {
          ...base,
          paymentInformation: { card: { suffix: "1111", type: "001", expirationMonth: "03", expirationYear: "2031" } },
          consumerAuthenticationInformation: { transactionId: "OZ9qOjjlvjcL0YSZDUx0" },
          merchantDefinedInformation: [{ key: "100", value: "payport-3ds instrumentIdentifier 7010000000016241111" }]
        }
      }
    }
    if (key === "POST /tss/v2/searches")
      return { status: 201, body: { count: 0, _embedded: { transactionSummaries: [] } } }
    return { status: 599, body: { unexpected: key } }
  }

  it.effect(
    "the authorization that asks for payer authentication and the completion validate against the swagger",
    () => {
      const p = provider(answer3ds, { payerAuthentication: true })
      return Effect.gen(function* () {
        const created = yield* Payments.create({
          reference: "order-3ds",
          amount: usd(1000),
          method: card,
          returnUrl: "https://shop.example/3ds/return"
        })
        assert.strictEqual(created.status._tag, "RequiresAction")
        const done = yield* ThreeDsAuthentication.complete({ payment: created.ref })
        assert.strictEqual(done.status._tag, "Captured")
        assert.deepStrictEqual(done.ref, created.ref)
        const posts = p.recorded.filter((r) => r.method === "POST" && r.url.pathname === "/pts/v2/payments")
        assert.strictEqual(posts.length, 2)
        for (const r of p.recorded.filter((r) => r.method === "POST")) {
          const path = template(r.url.pathname) ?? ""
          // `returnUrl` is a Check Enrollment field (documented on /risk/v1/authentications, ≤ 2048)
          // that the combined request carries; the 2020 snapshot's payment schema predates it.
          const problems = validate(bodySchema("POST", path), JSON.parse(r.body)).filter(
            (problem) => problem !== "$.consumerAuthenticationInformation.returnUrl: not documented"
          )
          assert.deepStrictEqual(problems, [], path)
        }
        const [enroll, final] = posts.map((r) => JSON.parse(r.body))
        assert.deepStrictEqual(enroll.processingInformation.actionList, ["CONSUMER_AUTHENTICATION"])
        assert.isUndefined(enroll.processingInformation.commerceIndicator)
        assert.deepStrictEqual(enroll.consumerAuthenticationInformation, {
          returnUrl: "https://shop.example/3ds/return"
        })
        assert.deepStrictEqual(enroll.merchantDefinedInformation, [
          { key: "100", value: "payport-3ds instrumentIdentifier 7010000000016241111" }
        ])
        // The completion names the card by its token, never by its number; no security code.
        assert.notInclude(posts[1]?.body ?? "", "4111111111111111")
        assert.deepStrictEqual(final.paymentInformation, {
          instrumentIdentifier: { id: "7010000000016241111" },
          card: { expirationMonth: "03", expirationYear: "2031", type: "001" }
        })
        assert.deepStrictEqual(final.processingInformation, {
          capture: true,
          actionList: ["VALIDATE_CONSUMER_AUTHENTICATION"]
        })
        assert.deepStrictEqual(final.consumerAuthenticationInformation, {
          authenticationTransactionId: "OZ9qOjjlvjcL0YSZDUx0"
        })
        assert.deepStrictEqual(final.merchantDefinedInformation, [
          { key: "100", value: `payport-3ds completes ${PENDING}` }
        ])
        assert.strictEqual(final.clientReferenceInformation.code, "order-3ds")
        assert.match(final.clientReferenceInformation.transactionId, /^[0-9a-f]{30}$/)
      }).pipe(Effect.provide(p.layer))
    }
  )
})
