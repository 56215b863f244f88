/**
 * Options a caller sets are checked before any I/O: provider options under the provider's own key
 * must be ones its adapter reads; the UPI collect expiry and the cardless EMI tenure have bounds.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as PaymentMethod from "../src/PaymentMethod.js"
import * as PaymentRequest from "../src/PaymentRequest.js"

const fieldOf = <A>(effect: Effect.Effect<A, { readonly field: string }>) =>
  Effect.map(Effect.either(effect), (result) => (result._tag === "Left" ? result.left.field : "accepted"))

describe("provider options", () => {
  it.effect("an unknown option under the provider's own key is refused; other providers' keys are not read", () =>
    Effect.gen(function* () {
      const check = (options: PaymentRequest.ProviderOptions) =>
        fieldOf(PaymentRequest.validateProviderOptions(options, "cashfree", ["order_tags"]))
      assert.strictEqual(yield* check({ cashfree: { order_tags: {} } }), "accepted")
      assert.strictEqual(yield* check({ cashfree: { emi_tenure: 3 } }), "providerOptions.cashfree.emi_tenure")
      assert.strictEqual(yield* check({ cybersource: { anything: 1 } }), "accepted")
      assert.strictEqual(
        yield* fieldOf(PaymentRequest.validateProviderOptions({ memory: { x: 1 } }, "memory", [])),
        "providerOptions.memory.x"
      )
    })
  )
})

describe("method options", () => {
  it.effect("a UPI collect expiry is whole minutes, 1 to 1440, on a collect request only", () =>
    Effect.gen(function* () {
      const vpa = "success@upi"
      assert.strictEqual(yield* fieldOf(PaymentMethod.validate(PaymentMethod.upiCollect(vpa, 10))), "accepted")
      for (const minutes of [0, 1441, 2.5]) {
        assert.strictEqual(
          yield* fieldOf(PaymentMethod.validate(PaymentMethod.upiCollect(vpa, minutes))),
          "method.collectExpiryMinutes"
        )
      }
      assert.strictEqual(
        yield* fieldOf(PaymentMethod.validate({ ...PaymentMethod.upiIntent, collectExpiryMinutes: 10 })),
        "method.collectExpiryMinutes"
      )
    })
  )

  it.effect("a cardless EMI tenure, when given, is whole months from 1 to 60", () =>
    Effect.gen(function* () {
      const emi = { _tag: "CardlessEmi", provider: "icici", phone: "9999999999" } as const
      assert.strictEqual(yield* fieldOf(PaymentMethod.validate(emi)), "accepted")
      assert.strictEqual(yield* fieldOf(PaymentMethod.validate({ ...emi, tenureMonths: 6 })), "accepted")
      for (const tenureMonths of [0, 61, 1.5]) {
        assert.strictEqual(yield* fieldOf(PaymentMethod.validate({ ...emi, tenureMonths })), "method.tenureMonths")
      }
    })
  )
})
