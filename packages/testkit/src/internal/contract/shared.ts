/**
 * Helpers shared by the contract suite's groups.
 */
import { assert } from "@effect/vitest"
import * as Effect from "effect/Effect"

// A per-process token keeps references unique across runs against a provider that keeps state
// (a shared emulator or a real sandbox), where a reused order id would be refused.
const runToken = globalThis.crypto.randomUUID().replace(/-/g, "").slice(0, 8)
let counter = 0

/** A reference or key no other test in any run uses. */
export const unique = (label: string): string => `${label}-${runToken}-${++counter}`

/** Asserts that `effect` fails with `tag`, and answers the result for further checks. */
export const failsWith = <A, E extends { readonly _tag: string }, R>(effect: Effect.Effect<A, E, R>, tag: E["_tag"]) =>
  Effect.gen(function* () {
    const result = yield* Effect.either(effect)
    assert.isTrue(result._tag === "Left", `expected ${tag}, but the call succeeded`)
    if (result._tag === "Left") assert.strictEqual(result.left._tag, tag)
    return result
  })
