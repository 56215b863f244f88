/**
 * Lists never return a silent prefix (issue 17 point 4): Transaction Search is read page after
 * page, a reference with more transactions than the adapter lists fails `InvalidRequest`, and a
 * listed instrument or refund the adapter cannot use fails the list instead of vanishing from it.
 */
import * as Money from "@payport/core/Money"
import * as PaymentMethod from "@payport/core/PaymentMethod"
import * as Payments from "@payport/core/Payments"
import * as Vault from "@payport/core/Vault"
import { NodeTransport } from "@payport/http-node"
import * as CyberSourceEmulator from "@payport/emulators/CyberSourceEmulator"
import { TestData } from "@payport/testkit"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as CyberSource from "../src/CyberSource.js"
import { MAX_SEARCH_RESULTS } from "../src/internal/search.js"
import { optionsFor } from "./support/Live.js"
import { options, provider, type Recorded, ref, tss } from "./support/Stub.js"

const id = (n: number) => `70000000000000000${String(n).padStart(5, "0")}`

const summary = (n: number) => ({
  id: id(n),
  clientReferenceInformation: { code: "order-1" },
  applicationInformation: { applications: [{ name: "ics_auth" }] }
})

interface SearchBody {
  readonly offset: number
  readonly limit: number
}

/** A Transaction Search over `total` authorizations of `order-1`, answering the page asked for. */
const searchOver =
  (total: number, reportTotal = true) =>
  (r: Recorded) => {
    if (r.method === "POST" && r.url.pathname === "/tss/v2/searches") {
      const { offset, limit } = JSON.parse(r.body) as SearchBody
      const page = Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, i) => summary(offset + i))
      return {
        status: 201,
        body: {
          offset,
          limit,
          count: page.length,
          ...(reportTotal ? { totalCount: total } : {}),
          _embedded: { transactionSummaries: page }
        }
      }
    }
    const txId = r.url.pathname.split("/").at(-1) ?? ""
    return { status: 200, body: tss({ id: txId, status: "AUTHORIZED" }) }
  }

const searches = (recorded: ReadonlyArray<Recorded>) =>
  recorded.filter((r) => r.url.pathname === "/tss/v2/searches").map((r) => (JSON.parse(r.body) as SearchBody).offset)

/**
 * The field of the `InvalidRequest` a list fails with, or a short description of what happened
 * instead (never the listed payments themselves: a long list would flood the report).
 */
const refusedField = <R>(list: Effect.Effect<ReadonlyArray<unknown>, { readonly _tag: string }, R>) =>
  Effect.map(Effect.either(list), (result) =>
    result._tag === "Right"
      ? `listed ${result.right.length} payments`
      : result.left._tag === "InvalidRequest" && "field" in result.left
        ? result.left.field
        : result.left._tag
  )

describe("Payments.list reads every Transaction Search page", () => {
  it.effect("five payments at two per page: offsets 0, 2, 4, each payment once", () => {
    const p = provider(searchOver(5), { searchPageSize: 2 })
    return Effect.gen(function* () {
      const listed = yield* Payments.list("order-1")
      assert.deepStrictEqual(
        listed.map((payment) => payment.ref.paymentId),
        [0, 1, 2, 3, 4].map(id)
      )
      assert.deepStrictEqual(searches(p.recorded), [0, 2, 4])
    }).pipe(Effect.provide(p.layer))
  })

  it.effect("without a reported total, pages until a short page", () => {
    const p = provider(searchOver(4, false), { searchPageSize: 2 })
    return Effect.gen(function* () {
      assert.strictEqual((yield* Payments.list("order-1")).length, 4)
      assert.deepStrictEqual(searches(p.recorded), [0, 2, 4])
    }).pipe(Effect.provide(p.layer))
  })

  it.effect(
    `more than ${MAX_SEARCH_RESULTS} transactions fail InvalidRequest on the first page, reading no payment`,
    () => {
      const p = provider(searchOver(MAX_SEARCH_RESULTS + 1))
      return Effect.gen(function* () {
        const field = yield* refusedField(Payments.list("order-1"))
        assert.strictEqual(field, "reference")
        assert.deepStrictEqual(searches(p.recorded), [0])
        assert.strictEqual(p.recorded.length, 1)
      }).pipe(Effect.provide(p.layer))
    }
  )

  it.effect("a search whose pages never end fails InvalidRequest instead of looping", () => {
    const p = provider(searchOver(Number.MAX_SAFE_INTEGER, false), { searchPageSize: 500 })
    return Effect.gen(function* () {
      assert.strictEqual(yield* refusedField(Payments.list("order-1")), "reference")
      assert.deepStrictEqual(searches(p.recorded), [0, 500, 1000])
    }).pipe(Effect.provide(p.layer))
  })

  it.effect("a search page size outside 1–2000 is a ConfigurationError", () =>
    Effect.gen(function* () {
      for (const searchPageSize of [0, 2001, 1.5]) {
        const error = yield* Effect.flip(
          Layer.build(CyberSource.layer(options({ searchPageSize }))).pipe(
            Effect.provide(NodeTransport.layer),
            Effect.scoped
          )
        )
        assert.strictEqual(error._tag, "ConfigurationError")
      }
    })
  )
})

describe("nothing listed vanishes", () => {
  it.effect("a refund record without an amount fails listRefunds with ProviderResponseInvalid", () => {
    const p = provider((r) => {
      const txId = r.url.pathname.split("/").at(-1) ?? ""
      if (txId === id(1))
        return { status: 200, body: tss({ id: id(1), status: "TRANSMITTED", related: [id(2), id(3)] }) }
      const refund = tss({ id: txId, status: "TRANSMITTED", applications: ["ics_credit"], amount: "1.00" })
      if (txId === id(3)) return { status: 200, body: { ...refund, orderInformation: {} } }
      return { status: 200, body: refund }
    })
    return Effect.gen(function* () {
      const error = yield* Effect.flip(Payments.listRefunds(ref(id(1))))
      assert.strictEqual(error._tag, "ProviderResponseInvalid")
    }).pipe(Effect.provide(p.layer))
  })

  it.effect("an instrument whose id is not usable fails Vault.list with ProviderResponseInvalid", () => {
    const instrument = (piId: string) => ({
      id: piId,
      state: "ACTIVE",
      card: { expirationMonth: "12", expirationYear: "2031", type: "001" }
    })
    const p = provider(() => ({
      status: 200,
      body: {
        offset: 0,
        limit: 20,
        count: 2,
        total: 2,
        _embedded: { paymentInstruments: [instrument("PI1"), instrument("x".repeat(300))] }
      }
    }))
    return Effect.gen(function* () {
      assert.strictEqual((yield* Effect.flip(Vault.list({ customerId: "CUST1" })))._tag, "ProviderResponseInvalid")
    }).pipe(Effect.provide(p.layer))
  })
})

describe("against the emulator, at the default page size", () => {
  it.live("150 payments under one reference (two pages of 100) are listed, each once", () =>
    Effect.gen(function* () {
      const emulator = yield* CyberSourceEmulator.start()
      const layer = CyberSource.layer({ ...optionsFor(emulator), searchPageSize: undefined }).pipe(
        Layer.provide(NodeTransport.layer),
        Layer.orDie
      )
      const reference = `many-${globalThis.crypto.randomUUID().slice(0, 8)}`
      const card = PaymentMethod.card({ number: TestData.successCards.visa, expiry: TestData.expiry, cvv: "123" })
      yield* Effect.gen(function* () {
        const created = yield* Effect.forEach(
          Array.from({ length: 150 }, (_, i) => i),
          (i) =>
            Payments.create({
              reference,
              amount: Money.unsafeMake(100 + i, "USD"),
              method: card,
              idempotencyKey: `${reference}-${i}`
            }),
          { concurrency: 8 }
        )
        const listed = yield* Payments.list(reference)
        assert.strictEqual(emulator.truth.paymentsFor(reference), 150)
        assert.deepStrictEqual(listed.map((p) => p.ref.paymentId).sort(), created.map((p) => p.ref.paymentId).sort())
      }).pipe(Effect.provide(layer))
    }).pipe(Effect.scoped)
  )
})
