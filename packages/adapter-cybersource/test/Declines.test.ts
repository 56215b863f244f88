/**
 * The emulator's amount triggers that go with the contract fixtures (`amountDeclines`, documented
 * processor-simulator amounts) decline through the adapter with the expected core codes, for a
 * sale and for a hold.
 */
import * as Authorization from "@payport/core/Authorization"
import * as Money from "@payport/core/Money"
import * as Payments from "@payport/core/Payments"
import { assert, describe, layer } from "@effect/vitest"
import * as CyberSourceFixtures from "@payport/testkit/CyberSourceFixtures"
import * as Effect from "effect/Effect"
import { live } from "./support/Live.js"

const run = globalThis.crypto.randomUUID().slice(0, 8)

describe("amount triggers", () => {
  layer(live(), { excludeTestServices: true })("through the adapter", (it) => {
    for (const decline of CyberSourceFixtures.amountDeclines) {
      it.effect(`${decline.amount} → ${decline.trigger.reason} → ${decline.code}`, () =>
        Effect.gen(function* () {
          const amount = yield* Money.fromDecimal(decline.amount, "USD")
          const method = CyberSourceFixtures.fixtures.card
          const tag = decline.amount.replace(".", "-")
          const sale = yield* Effect.flip(Payments.create({ reference: `amt-${run}-sale-${tag}`, amount, method }))
          const hold = yield* Effect.flip(
            Authorization.authorize({ reference: `amt-${run}-hold-${tag}`, amount, method })
          )
          for (const error of [sale, hold]) {
            assert.strictEqual(error._tag, "PaymentDeclined")
            if (error._tag === "PaymentDeclined") assert.strictEqual(error.code, decline.code)
          }
          // the same card at another amount is approved: the amount decided
          const paid = yield* Payments.create({
            reference: `amt-${run}-ok-${tag}`,
            amount: Money.unsafeMake(amount.amount + 1, "USD"),
            method
          })
          assert.strictEqual(paid.status._tag, "Captured")
        })
      )
    }
  })
})
