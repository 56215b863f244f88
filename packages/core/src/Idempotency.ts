/**
 * Idempotency keys: every mutating operation carries one. The caller's key is used as given;
 * without one, the key is derived deterministically from the operation and what identifies it
 * (reference, amount…), so a retried call — even from a restarted process — reuses it and the
 * provider moves money once.
 *
 * Derived keys are name-based UUIDs (SHA-256, RFC 9562 version 8 layout), which every provider's
 * key format accepts. Hashing is `Crypto`'s synchronous, portable SHA-256 (Node, Bun, Deno and
 * edge runtimes alike).
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Crypto from "./Crypto.js"
import { IdempotencyKey, validate } from "./Ids.js"
import type { ValidationError } from "./PaymentError.js"

/**
 * A name-based UUID (version 8, variant 10) from the SHA-256 of `name`.
 *
 * @since 0.1.0
 * @category hashing
 */
export const uuidFromName = (name: string): Effect.Effect<string> =>
  Effect.sync(() => {
    const bytes = Crypto.sha256Sync(name).subarray(0, 16)
    bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x80
    bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80
    const h = Crypto.toHex(bytes)
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`
  })

/**
 * The key derived from an operation name and the parts that identify it. Equal inputs give equal
 * keys in any process.
 *
 * @since 0.1.0
 * @category constructors
 */
export const derive = (operation: string, parts: ReadonlyArray<string | number>): Effect.Effect<IdempotencyKey> =>
  Effect.map(uuidFromName(JSON.stringify(["payport", operation, ...parts])), (uuid) => IdempotencyKey.make(uuid))

/**
 * The caller's key, validated, or else the derived one.
 *
 * @since 0.1.0
 * @category constructors
 */
export const resolve = (
  given: string | undefined,
  operation: string,
  parts: ReadonlyArray<string | number>
): Effect.Effect<IdempotencyKey, ValidationError> =>
  given === undefined
    ? derive(operation, parts)
    : Either.match(validate(IdempotencyKey, "idempotencyKey")(given), {
        onLeft: Effect.fail,
        onRight: Effect.succeed
      })
