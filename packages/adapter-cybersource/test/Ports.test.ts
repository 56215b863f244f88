/**
 * Port behaviour over scripted CyberSource answers: statuses, ledgers from TSS, vault paging and
 * ETags, customers, preflight, configuration, and garbage bodies as typed errors.
 */
import * as Authorization from "@payport/core/Authorization"
import * as Customers from "@payport/core/Customers"
import * as Money from "@payport/core/Money"
import type { OperationError } from "@payport/core/PaymentError"
import * as PaymentMethod from "@payport/core/PaymentMethod"
import * as Payments from "@payport/core/Payments"
import * as Vault from "@payport/core/Vault"
import * as VaultEnrollment from "@payport/core/VaultEnrollment"
import { assert, describe, it } from "@effect/vitest"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as CyberSource from "../src/CyberSource.js"
import * as CyberSourceClient from "../src/CyberSourceClient.js"
import { provider, type Recorded, type Reply, ref, SECRET, stub, tss } from "./support/Stub.js"

const usd = (minor: number) => Money.unsafeMake(minor, "USD")
const card = PaymentMethod.card({ number: "4111111111111111", expiry: { month: 12, year: 2031 }, cvv: "987" })
const at = (routes: Record<string, Reply | ((r: Recorded) => Reply)>) =>
  provider((r) => {
    const key = Object.keys(routes).find((k) => `${r.method} ${r.url.pathname}${r.url.search}`.startsWith(k))
    const reply = key === undefined ? undefined : routes[key]
    return reply === undefined ? { status: 599, body: {} } : typeof reply === "function" ? reply(r) : reply
  })
const pi = (id: string, extra: object = {}) => ({
  id,
  state: "ACTIVE",
  card: { expirationMonth: "12", expirationYear: "2031", type: "002" },
  _embedded: { instrumentIdentifier: { card: { number: "555555XXXXXX4444" } } },
  ...extra
})

describe("payment statuses", () => {
  const created = (body: object) => at({ "POST /pts/v2/payments": { status: 201, body: { id: "P1", ...body } } })

  it.effect("PENDING_AUTHENTICATION → RequiresAction ThreeDs with the step-up URL, token and the payment as MD", () => {
    const p = created({
      status: "PENDING_AUTHENTICATION",
      consumerAuthenticationInformation: { stepUpUrl: "https://acs.example/step", accessToken: "jwt-1" }
    })
    return Effect.gen(function* () {
      const payment = yield* Authorization.authorize({ reference: "o-3ds", amount: usd(1000), method: card })
      assert.deepStrictEqual(payment.status, {
        _tag: "RequiresAction",
        action: { _tag: "ThreeDs", url: "https://acs.example/step", form: { JWT: "jwt-1", MD: payment.ref.paymentId } }
      })
    }).pipe(Effect.provide(p.layer))
  })

  it.effect("an authorization answered under an id no later call could name is OutcomeUnknown, never a defect", () => {
    const p = created({ id: "9".repeat(200), status: "AUTHORIZED" })
    return Effect.gen(function* () {
      const exit = yield* Effect.exit(Authorization.authorize({ reference: "o-long", amount: usd(1000), method: card }))
      assert.isTrue(Exit.isFailure(exit) && exit.cause._tag === "Fail")
      if (Exit.isFailure(exit) && exit.cause._tag === "Fail") {
        assert.strictEqual(exit.cause.error._tag, "OutcomeUnknown")
        assert.include(exit.cause.error.message, "the payment id is not usable")
      }
    }).pipe(Effect.provide(p.layer))
  })

  it.effect("PARTIAL_AUTHORIZED → Authorized for the partial amount", () => {
    const p = created({
      status: "PARTIAL_AUTHORIZED",
      orderInformation: { amountDetails: { totalAmount: "10.00", authorizedAmount: "4.00", currency: "USD" } }
    })
    return Effect.gen(function* () {
      const payment = yield* Authorization.authorize({ reference: "o-part", amount: usd(1000), method: card })
      assert.strictEqual(payment.status._tag, "Authorized")
      assert.deepStrictEqual(payment.ledger.authorized, usd(400))
    }).pipe(Effect.provide(p.layer))
  })

  it.effect("AUTHORIZED_PENDING_REVIEW → Processing; DECLINED INVALID_ACCOUNT → PaymentDeclined invalid_account", () =>
    Effect.gen(function* () {
      const review = yield* Authorization.authorize({ reference: "o-rev", amount: usd(1000), method: card }).pipe(
        Effect.provide(
          created({ status: "AUTHORIZED_PENDING_REVIEW", errorInformation: { reason: "AVS_FAILED" } }).layer
        )
      )
      assert.strictEqual(review.status._tag, "Processing")
      const declined = yield* Effect.flip(
        Payments.create({ reference: "o-dec", amount: usd(1000), method: card }).pipe(
          Effect.provide(
            created({
              status: "DECLINED",
              errorInformation: { reason: "INVALID_ACCOUNT", message: "Decline - Invalid account number" }
            }).layer
          )
        )
      )
      assert.strictEqual(declined._tag, "PaymentDeclined")
      if (declined._tag === "PaymentDeclined") {
        assert.strictEqual(declined.code, "invalid_account")
        assert.strictEqual(declined.decline.providerCode, "INVALID_ACCOUNT")
      }
    })
  )

  it.effect("methods CyberSource cannot take fail UnsupportedMethod before any request", () => {
    const p = at({})
    return Effect.gen(function* () {
      const error = yield* Effect.flip(
        Payments.create({ reference: "o-upi", amount: usd(1000), method: PaymentMethod.upiCollect("payer@okbank") })
      )
      assert.strictEqual(error._tag, "UnsupportedMethod")
      assert.strictEqual(p.recorded.length, 0)
    }).pipe(Effect.provide(p.layer))
  })
})

describe("reads through TSS", () => {
  const routes = {
    "GET /tss/v2/transactions/A1": {
      status: 200,
      body: tss({ id: "A1", status: "AUTHORIZED", amount: "10.00", related: ["C1", "C2", "F1", "C3"] })
    },
    "GET /tss/v2/transactions/C1": {
      status: 200,
      body: tss({ id: "C1", rootId: "A1", status: "TRANSMITTED", amount: "3.00", applications: ["ics_bill"] })
    },
    "GET /tss/v2/transactions/C2": {
      status: 200,
      body: tss({ id: "C2", rootId: "A1", status: "PENDING", amount: "2.00", applications: ["ics_bill"] })
    },
    "GET /tss/v2/transactions/C3": {
      status: 200,
      body: tss({ id: "C3", rootId: "A1", status: "VOIDED", amount: "5.00", applications: ["ics_bill"] })
    },
    "GET /tss/v2/transactions/F1": {
      status: 200,
      body: tss({ id: "F1", rootId: "A1", status: "PENDING", amount: "1.50", applications: ["ics_credit"] })
    },
    "GET /tss/v2/transactions/V1": {
      status: 200,
      body: tss({ id: "V1", status: "AUTHORIZED", amount: "10.00", related: ["R1"] })
    },
    "GET /tss/v2/transactions/R1": {
      status: 200,
      body: tss({ id: "R1", rootId: "V1", status: "REVERSED", amount: "10.00", applications: ["ics_auth_reversal"] })
    }
  } as const

  it.effect("get builds the ledger from related captures (voided ones excluded) and refunds", () => {
    const p = at(routes)
    return Effect.gen(function* () {
      const payment = yield* Payments.get(ref("A1"))
      assert.strictEqual(payment.status._tag, "PartiallyCaptured")
      assert.deepStrictEqual(
        [payment.ledger.authorized.amount, payment.ledger.captured.amount, payment.ledger.refunded.amount],
        [1000, 500, 150]
      )
      assert.strictEqual(payment.method.display, "•••• 1111")
      assert.strictEqual(payment.method.network, "visa")
      const refunds = yield* Payments.listRefunds(payment.ref)
      assert.deepStrictEqual(
        refunds.map((r) => [r.ref.refundId, r.amount.amount, r.status._tag]),
        [["F1", 150, "Pending"]]
      )
      const first = refunds[0]
      assert.isDefined(first)
      if (first === undefined) return
      const refund = yield* Payments.getRefund(first.ref)
      assert.strictEqual(refund.amount.amount, 150)
      // a capture id is not a payment
      assert.strictEqual((yield* Effect.flip(Payments.get(ref("C1"))))._tag, "NotFound")
    }).pipe(Effect.provide(p.layer))
  })

  it.effect("a reversed authorization reads Voided; capture and void on it fail InvalidState without a POST", () => {
    const p = at(routes)
    return Effect.gen(function* () {
      assert.strictEqual((yield* Payments.get(ref("V1"))).status._tag, "Voided")
      assert.strictEqual(
        (yield* Effect.flip(Authorization.capture({ payment: ref("V1"), amount: usd(100) })))._tag,
        "InvalidState"
      )
      assert.strictEqual((yield* Effect.flip(Authorization.void({ payment: ref("V1") })))._tag, "InvalidState")
      assert.strictEqual((yield* Effect.flip(Authorization.void({ payment: ref("A1") })))._tag, "InvalidState")
      assert.strictEqual(
        (yield* Effect.flip(Authorization.capture({ payment: ref("A1"), amount: usd(501) })))._tag,
        "InvalidState"
      )
      assert.strictEqual(
        (yield* Effect.flip(Payments.refund({ payment: ref("A1"), amount: usd(351) })))._tag,
        "InvalidState"
      )
      assert.isFalse(p.recorded.some((r) => r.method === "POST"))
    }).pipe(Effect.provide(p.layer))
  })

  it.effect("garbage bodies on reads are ProviderResponseInvalid with a redacted raw body, never a defect", () => {
    const p = at({
      "GET /tss/v2/transactions/G1": { status: 200, body: "<html>oops</html>" },
      "GET /tss/v2/transactions/G2": {
        status: 200,
        body: {
          id: "G2",
          applicationInformation: { status: "WHO_KNOWS" },
          orderInformation: { amountDetails: { totalAmount: "1.00", currency: "USD" } },
          clientReferenceInformation: { code: "x" }
        }
      },
      "GET /tss/v2/transactions/G3": {
        status: 200,
        body: {
          id: "G3",
          applicationInformation: { status: "AUTHORIZED" },
          orderInformation: { amountDetails: { totalAmount: "1.0.0", currency: "USD" } },
          clientReferenceInformation: { code: "x" }
        }
      },
      "GET /tss/v2/transactions/G4": { status: 200, body: tss({ id: "4".repeat(200), status: "AUTHORIZED" }) },
      "GET /tms/v2/customers/C/payment-instruments": {
        status: 200,
        body: { _embedded: { paymentInstruments: "nope" } }
      },
      "GET /tms/v2/customers/C": { status: 200, body: [1, 2] }
    })
    return Effect.gen(function* () {
      const effects: ReadonlyArray<
        Effect.Effect<unknown, OperationError, Payments.Payments | Vault.Vault | Customers.Customers>
      > = [
        Payments.get(ref("G1")),
        Payments.get(ref("G2")),
        Payments.get(ref("G3")),
        Payments.get(ref("G4")),
        Vault.list({ customerId: "C" }),
        Customers.get("C")
      ]
      for (const effect of effects) {
        const exit = yield* Effect.exit(effect)
        assert.isTrue(Exit.isFailure(exit))
        if (Exit.isFailure(exit)) {
          assert.strictEqual(exit.cause._tag, "Fail")
          if (exit.cause._tag === "Fail") {
            assert.strictEqual(exit.cause.error._tag, "ProviderResponseInvalid")
            assert.strictEqual(String(exit.cause.error.raw), "<redacted>")
          }
        }
      }
    }).pipe(Effect.provide(p.layer))
  })
})

describe("vault, enrollment, customers", () => {
  it.effect("list pages with offset/limit and returns the next cursor from _links.next, and the total", () => {
    const p = at({
      "GET /tms/v2/customers/CUST1/payment-instruments?offset=0&limit=1": {
        status: 200,
        body: {
          offset: 0,
          limit: 1,
          count: 1,
          total: 2,
          _links: { next: { href: "/tms/v2/customers/CUST1/payment-instruments?offset=1&limit=1" } },
          _embedded: { paymentInstruments: [pi("PI1", { default: true })] }
        }
      },
      "GET /tms/v2/customers/CUST1/payment-instruments?offset=1&limit=1": {
        status: 200,
        body: { offset: 1, limit: 1, count: 1, total: 2, _embedded: { paymentInstruments: [pi("PI2")] } },
        headers: { "x-total-count": "2" }
      }
    })
    return Effect.gen(function* () {
      const first = yield* Vault.list({ customerId: "CUST1", limit: 1 })
      assert.deepStrictEqual([first.items.map((i) => i.id), first.next, first.total], [["PI1"], "1", 2])
      assert.strictEqual(first.items[0]?.isDefault, true)
      assert.strictEqual(first.items[0]?.display, "•••• 4444")
      assert.strictEqual(first.items[0]?.network, "mastercard")
      assert.deepStrictEqual(first.items[0]?.expiry, { month: 12, year: 2031 })
      const second = yield* Vault.list({ customerId: "CUST1", limit: 1, cursor: first.next ?? "" })
      assert.deepStrictEqual([second.items.map((i) => i.id), second.next], [["PI2"], undefined])
      assert.strictEqual(
        (yield* Effect.flip(Vault.list({ customerId: "CUST1", cursor: "../x" })))._tag,
        "ValidationError"
      )
    }).pipe(Effect.provide(p.layer))
  })

  it.effect(
    "get carries the ETag; update with a stale ETag fails PreconditionFailed; delete then get is NotFound",
    () => {
      let deleted = false
      const p = at({
        "GET /tms/v2/customers/CUST1/payment-instruments/PI1": () =>
          deleted
            ? { status: 404, body: { errors: [{ type: "notFound", message: "Token not found" }] } }
            : { status: 200, body: pi("PI1"), headers: { etag: '"v1"' } },
        "PATCH /tms/v2/customers/CUST1/payment-instruments/PI1": (r) =>
          r.headers["if-match"] === '"v1"'
            ? { status: 200, body: pi("PI1", { default: true }), headers: { etag: '"v2"' } }
            : {
                status: 412,
                body: {
                  errors: [
                    {
                      type: "conflict",
                      message: "Action cannot be performed as the if-match header value does not match the token etag"
                    }
                  ]
                }
              },
        "DELETE /tms/v2/customers/CUST1/payment-instruments/PI1": () => {
          deleted = true
          return { status: 204 }
        }
      })
      return Effect.gen(function* () {
        const got = yield* Vault.get({ customerId: "CUST1", instrumentId: "PI1" })
        assert.strictEqual(got.etag, '"v1"')
        const updated = yield* VaultEnrollment.setDefault({
          customerId: "CUST1",
          instrumentId: "PI1",
          etag: got.etag ?? ""
        })
        assert.strictEqual(updated.etag, '"v2"')
        assert.isTrue(updated.isDefault)
        const stale = yield* Effect.flip(
          VaultEnrollment.update({
            customerId: "CUST1",
            instrumentId: "PI1",
            etag: '"v0"',
            expiry: { month: 1, year: 2032 }
          })
        )
        assert.strictEqual(stale._tag, "PreconditionFailed")
        yield* Vault.delete({ customerId: "CUST1", instrumentId: "PI1" })
        assert.strictEqual(
          (yield* Effect.flip(Vault.get({ customerId: "CUST1", instrumentId: "PI1" })))._tag,
          "NotFound"
        )
      }).pipe(Effect.provide(p.layer))
    }
  )

  it.effect(
    "enrollment verifies the card with a zero-amount authorization that creates its tokens, then reads the instrument",
    () => {
      const p = at({
        "POST /pts/v2/payments": {
          status: 201,
          body: {
            id: "7000000000000000000009",
            status: "AUTHORIZED",
            orderInformation: { amountDetails: { authorizedAmount: "0.00", currency: "USD" } },
            tokenInformation: { paymentInstrument: { id: "PI9" }, instrumentIdentifier: { id: "7010000000016241111" } }
          }
        },
        "GET /tms/v2/customers/CUST1/payment-instruments/PI9": {
          status: 200,
          body: {
            id: "PI9",
            state: "ACTIVE",
            card: { expirationMonth: "12", expirationYear: "2031", type: "001" },
            _embedded: { instrumentIdentifier: { id: "7010000000016241111", card: { number: "411111XXXXXX1111" } } }
          },
          headers: { etag: '"e1"' }
        }
      })
      return Effect.gen(function* () {
        const instrument = yield* VaultEnrollment.create({ customerId: "CUST1", card })
        assert.strictEqual(instrument.id, "PI9")
        assert.strictEqual(instrument.display, "•••• 1111")
        assert.strictEqual(instrument.etag, '"e1"')
        const body = JSON.parse(p.recorded[0]?.body ?? "{}") as {
          processingInformation: { capture: boolean; actionList: ReadonlyArray<string> }
          orderInformation: { amountDetails: { totalAmount: string; currency: string } }
          paymentInformation: { customer: { id: string } }
        }
        assert.deepStrictEqual(body.orderInformation.amountDetails, { totalAmount: "0.00", currency: "USD" })
        assert.isFalse(body.processingInformation.capture)
        assert.deepStrictEqual(body.processingInformation.actionList, ["TOKEN_CREATE"])
        assert.strictEqual(body.paymentInformation.customer.id, "CUST1")
        assert.strictEqual(p.recorded[1]?.method, "GET")
        assert.notInclude(p.recorded[1]?.path ?? "", "4111111111111111")
      }).pipe(Effect.provide(p.layer))
    }
  )

  it.effect("customers create and get", () => {
    const customer = {
      id: "D9F340DD3DB9C276E053A2598D0A41A3",
      buyerInformation: { merchantCustomerID: "m-1", email: "a@b.co" },
      objectInformation: { title: "Jane Doe" }
    }
    const p = at({
      "POST /tms/v2/customers": { status: 201, body: customer },
      "GET /tms/v2/customers/": { status: 200, body: customer }
    })
    return Effect.gen(function* () {
      const created = yield* Customers.create({ reference: "m-1", email: "a@b.co", name: "Jane Doe" })
      assert.deepStrictEqual(
        [created.id, created.reference, created.email, created.name],
        [customer.id, "m-1", "a@b.co", "Jane Doe"]
      )
      const read = yield* Customers.get(customer.id)
      assert.strictEqual(read.id, customer.id)
    }).pipe(Effect.provide(p.layer))
  })
})

describe("configuration", () => {
  const config = (map: Record<string, string>) =>
    Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(map))))
  const base = { CYBERSOURCE_MERCHANT_ID: "testrest", CYBERSOURCE_KEY_ID: "k", CYBERSOURCE_SHARED_SECRET: SECRET }

  it.effect("layerConfig reads CYBERSOURCE_* and names a missing or invalid variable", () =>
    Effect.gen(function* () {
      const client = yield* CyberSourceClient.CyberSourceClient.pipe(
        Effect.provide(
          CyberSource.layerConfig().pipe(
            Layer.provide(stub(() => ({ status: 200 })).layer),
            Layer.provide(
              config({
                ...base,
                CYBERSOURCE_ENVIRONMENT: "production",
                CYBERSOURCE_WEBHOOK_KEY: "a2V5",
                CYBERSOURCE_WEBHOOK_KEY_ID: "kid"
              })
            )
          )
        )
      )
      assert.strictEqual(client.host, "api.cybersource.com")
      assert.strictEqual(client.webhook?.keyId, "kid")
      for (const [map, variable] of [
        [{ CYBERSOURCE_KEY_ID: "k", CYBERSOURCE_SHARED_SECRET: SECRET }, "CYBERSOURCE_MERCHANT_ID"],
        // Every missing credential is named at once.
        [{}, "CYBERSOURCE_MERCHANT_ID, CYBERSOURCE_KEY_ID, CYBERSOURCE_SHARED_SECRET"],
        [{ ...base, CYBERSOURCE_ENVIRONMENT: "staging" }, "CYBERSOURCE_ENVIRONMENT"],
        [{ ...base, CYBERSOURCE_SHARED_SECRET: "%%%" }, "CYBERSOURCE_SHARED_SECRET"],
        [{ ...base, CYBERSOURCE_BASE_URL: "not a url" }, "CYBERSOURCE_BASE_URL"]
      ] as const) {
        const error = yield* Effect.flip(
          Effect.provide(
            CyberSourceClient.CyberSourceClient,
            CyberSourceClient.layerConfig().pipe(
              Layer.provide(stub(() => ({ status: 200 })).layer),
              Layer.provide(config(map))
            )
          )
        )
        assert.strictEqual(error._tag, "ConfigurationError")
        assert.strictEqual(error.variable, variable)
        assert.notInclude(error.message, SECRET)
      }
    })
  )
})
