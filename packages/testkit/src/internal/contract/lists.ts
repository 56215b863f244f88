/**
 * Contract cases for lists: a list longer than one provider page comes back complete, every item
 * exactly once (payments of a reference, refunds of a payment, a customer's saved instruments
 * walked page by page).
 */
import * as Payments from "@payport/core/Payments"
import * as Vault from "@payport/core/Vault"
import { assert } from "@effect/vitest"
import * as Effect from "effect/Effect"
import type { Context } from "./context.js"

const sorted = (ids: ReadonlyArray<string>) => [...ids].sort()

/** Walks `Vault.list` from the first page with `limit`, answering the ids in page order. */
const walk = (customerId: string, limit: number) =>
  Effect.gen(function* () {
    const ids: Array<string> = []
    let cursor: string | undefined
    // A bound on the walk, so a provider whose cursor never ends fails instead of hanging.
    for (let pages = 0; pages < 100; pages++) {
      const page = yield* Vault.list({ customerId, limit, ...(cursor === undefined ? {} : { cursor }) })
      assert.isAtMost(page.items.length, limit, "a page holds more than the limit")
      ids.push(...page.items.map((i) => i.id))
      if (page.next === undefined) return ids
      assert.isAbove(page.items.length, 0, "a page with a next cursor is empty")
      cursor = page.next
    }
    assert.fail("the vault walk did not end after 100 pages")
    return ids
  })

/**
 * Registers the list cases.
 */
export const registerLists = <R>(ctx: Context<R>): void => {
  const { f, it, money, unique } = ctx

  const perPage = f.lists.paymentsPerPage
  if (perPage !== undefined) {
    const count = 2 * perPage + 1
    it.effect(`lists: ${count} payments under one reference (more than two search pages) are listed, each once`, () =>
      Effect.gen(function* () {
        const reference = unique("many")
        const created: Array<string> = []
        for (let i = 0; i < count; i++) {
          const payment = yield* Payments.create({
            reference,
            amount: money(1_000 + i),
            method: f.card,
            idempotencyKey: unique("key")
          })
          created.push(payment.ref.paymentId)
        }
        const listed = (yield* Payments.list(reference)).map((p) => p.ref.paymentId)
        assert.strictEqual(new Set(listed).size, listed.length, "a payment is listed twice")
        assert.deepStrictEqual(sorted(listed), sorted(created))
      })
    )
  }

  it.effect("lists: every refund of a payment is listed, each once", () =>
    Effect.gen(function* () {
      const payment = yield* Payments.create({
        reference: unique("refunds"),
        amount: money(10_000),
        method: f.card,
        idempotencyKey: unique("key")
      })
      const made: Array<string> = []
      for (let i = 0; i < 7; i++) {
        const refund = yield* Payments.refund({
          payment: payment.ref,
          amount: money(100 + i),
          reference: unique("rf"),
          idempotencyKey: unique("key")
        })
        made.push(refund.ref.refundId)
      }
      const listed = (yield* Payments.listRefunds(payment.ref)).map((r) => r.ref.refundId)
      assert.strictEqual(new Set(listed).size, listed.length, "a refund is listed twice")
      assert.deepStrictEqual(sorted(listed), sorted(made))
    })
  )

  it.effect("lists: walking a customer's saved instruments page by page sees each exactly once", () =>
    Effect.gen(function* () {
      const customer = yield* ctx.newCustomer
      const saved: Array<string> = []
      for (const method of [f.card, ...f.lists.moreCards]) {
        const payment = yield* Payments.create({
          reference: unique("save"),
          amount: money(1_000),
          method,
          customer: ctx.customerFor(customer.id),
          saveInstrument: true,
          idempotencyKey: unique("key")
        })
        assert.isDefined(payment.savedInstrumentId, "the payment saved no instrument")
        if (payment.savedInstrumentId !== undefined) saved.push(payment.savedInstrumentId)
      }
      assert.isAtLeast(saved.length, 3, "the walk needs at least three instruments")
      assert.strictEqual(new Set(saved).size, saved.length, "two cards were saved as one instrument")
      for (const limit of [1, 2, 100]) {
        const walked = yield* walk(customer.id, limit)
        assert.strictEqual(new Set(walked).size, walked.length, `limit ${limit}: an instrument on two pages`)
        assert.deepStrictEqual(sorted(walked), sorted(saved), `limit ${limit}`)
      }
      const first = yield* Vault.list({ customerId: customer.id, limit: 1 })
      if (first.total !== undefined) assert.strictEqual(first.total, saved.length)
    })
  )
}
