/**
 * A provider slower than the attempt timeout: every attempt must end at its timeout, not when the
 * provider finally answers. `check` runs a read and a mutation through an adapter layer configured
 * with a short attempt timeout (`timing`) against an emulator whose every answer comes late
 * (`EmulatorFaults.latency(answerMillis)`), and asserts the read ends `ProviderUnavailable` and the
 * mutation `OutcomeUnknown` (it was sent, no answer came), each after its attempts' timeouts and
 * long before the first answer. Every adapter's `Outage` test runs it on `@payport/http-node`,
 * where the transport itself cuts a request at its attempt's deadline.
 *
 * @since 0.1.0
 */
import type { OperationError } from "@payport/core/PaymentError"
import { assert } from "@effect/vitest"
import * as Effect from "effect/Effect"
import type * as Layer from "effect/Layer"

/**
 * The timing `check` expects the layer to use: 150 ms attempts, one retry, a 2 s deadline.
 *
 * @since 0.1.0
 * @category constants
 */
export const timing = {
  attemptTimeout: "150 millis",
  deadline: "2 seconds",
  retries: 1,
  baseDelay: "5 millis",
  maxDelay: "20 millis"
} as const

/**
 * How late the emulator answers (set it with `EmulatorFaults.latency(answerMillis)`).
 *
 * @since 0.1.0
 * @category constants
 */
export const answerMillis = 3_000

const timed = <A, R>(
  call: Effect.Effect<A, OperationError, R>,
  layer: Layer.Layer<R>,
  what: string
): Effect.Effect<{ readonly error: OperationError; readonly millis: number }> =>
  Effect.suspend(() => {
    const started = Date.now()
    return Effect.map(Effect.either(Effect.provide(call, layer)), (ended) => {
      if (ended._tag === "Right") return assert.fail(`the ${what} succeeded although every answer came too late`)
      return { error: ended.left, millis: Date.now() - started }
    })
  })

/**
 * Runs `read` and `mutation` over `layer` (built with `timing`, against an emulator answering
 * `answerMillis` late) and checks how each ended, and when.
 *
 * @since 0.1.0
 * @category checks
 */
export const check = <R>(
  layer: Layer.Layer<R>,
  read: Effect.Effect<unknown, OperationError, R>,
  mutation: Effect.Effect<unknown, OperationError, R>
): Effect.Effect<void> =>
  Effect.gen(function* () {
    const reading = yield* timed(read, layer, "read")
    assert.strictEqual(reading.error._tag, "ProviderUnavailable", reading.error.message)
    assert.isAtLeast(reading.millis, 280, "the read ended before its two attempts of 150 ms")
    assert.isBelow(reading.millis, answerMillis - 500, "an attempt outlived its timeout")
    const mutating = yield* timed(mutation, layer, "mutation")
    assert.strictEqual(mutating.error._tag, "OutcomeUnknown", mutating.error.message)
    assert.isBelow(mutating.millis, answerMillis - 500, "an attempt outlived its timeout")
  })
