/**
 * Contract case for request options: an option the caller sets is honoured or refused, never
 * ignored. An option under the provider's own `providerOptions` key that its adapter does not
 * read fails `ValidationError` before anything is sent.
 */
import * as Payments from "@payport/core/Payments"
import { assert } from "@effect/vitest"
import * as Effect from "effect/Effect"
import type { Context } from "./context.js"
import { failsWith } from "./shared.js"

/**
 * Registers the options case.
 */
export const registerOptions = <R>(ctx: Context<R>): void => {
  const { f, it, money, unique } = ctx
  it.effect(
    "options: an unknown option under the provider's own key fails ValidationError before anything is sent",
    () =>
      Effect.gen(function* () {
        const { provider } = yield* Payments.Payments
        const reference = unique("opt")
        const result = yield* failsWith(
          Payments.create({
            reference,
            amount: money(1_000),
            method: f.card,
            providerOptions: { [provider]: { "payport-unknown-option": true } },
            idempotencyKey: unique("key")
          }),
          "ValidationError"
        )
        if (result._tag === "Left" && result.left._tag === "ValidationError") {
          assert.strictEqual(result.left.field, `providerOptions.${provider}.payport-unknown-option`)
        }
        assert.deepStrictEqual(yield* Payments.list(reference), [], "the refused payment reached the provider")
      })
  )
}
