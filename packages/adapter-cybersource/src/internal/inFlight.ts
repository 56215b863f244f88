/**
 * Keyed mutations in flight. CyberSource has no idempotency keys, so a capture, reversal or refund
 * whose attempt timed out may still be processed; sending it again on a same-key retry could act
 * twice. A keyed mutation is therefore sent by a daemon fiber that keeps reading its answer past the
 * attempt timeout, up to the in-doubt window: the caller's attempt gives up at its timeout, and a
 * same-key retry in this process joins the request still in flight instead of sending again.
 */
import * as Ambiguity from "@payport/core/Ambiguity"
import * as HttpPolicy from "@payport/core/HttpPolicy"
import { IdempotencyConflict, type OperationError } from "@payport/core/PaymentError"
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"

/** What the registry needs to know of a call. */
export interface Keyed {
  readonly operation: string
  readonly body?: unknown
}

/** The registry of one client. */
export interface InFlight<C extends Keyed, R> {
  /** Sends `call` detached; the answer of the request, however long the caller waits for it. */
  readonly send: (call: C, key: string) => Effect.Effect<R, OperationError>
  /**
   * For a same-key retry: the answer of the request still in flight under `key` (within one
   * attempt timeout, else `OutcomeUnknown` with the key's `inDoubtUntil`), or `undefined` when none
   * is in flight.
   */
  readonly join: (call: C, key: string) => Effect.Effect<R, OperationError> | undefined
}

interface Pending<R> {
  readonly body: string
  readonly answer: Deferred.Deferred<R, OperationError>
}

/** A registry over `send`, sharing the client's `inDoubt` registry. */
export const make = <C extends Keyed, R>(options: {
  readonly provider: string
  readonly send: (call: C) => Effect.Effect<R, OperationError>
  readonly inDoubt: Ambiguity.InDoubt
  readonly attemptMillis: number
  readonly windowMillis: number
}): InFlight<C, R> => {
  const pending = new Map<string, Pending<R>>()
  const { attemptMillis, inDoubt, windowMillis } = options
  const unknownFor = (call: C, key: string): Ambiguity.Call => ({
    provider: options.provider,
    operation: call.operation,
    mutating: true,
    idempotent: false,
    idempotencyKey: key
  })

  const send = (call: C, key: string): Effect.Effect<R, OperationError> =>
    Effect.flatMap(Deferred.make<R, OperationError>(), (answer) => {
      pending.set(key, { body: JSON.stringify(call.body ?? null), answer })
      const run = options.send(call).pipe(
        // Not cut at the caller's attempt deadline: only the window bounds it.
        Effect.locally(HttpPolicy.currentDeadline, undefined),
        Effect.timeoutFail({
          duration: Duration.millis(windowMillis),
          onTimeout: () =>
            Ambiguity.errorFor(
              { _tag: "Lost", reason: `no response within ${Duration.format(Duration.millis(windowMillis))}` },
              unknownFor(call, key)
            )
        }),
        Effect.exit,
        Effect.flatMap((exit) => {
          pending.delete(key)
          // A definite answer (success or refusal) ends the doubt: a later retry may rely on a sync.
          if (Exit.isSuccess(exit) || !Ambiguity.isMayHaveApplied(Cause.squash(exit.cause) as OperationError)) {
            inDoubt.clear(key)
          }
          return Deferred.done(answer, exit)
        })
      )
      return Effect.zipRight(Effect.forkDaemon(run), Deferred.await(answer))
    })

  const join = (call: C, key: string): Effect.Effect<R, OperationError> | undefined => {
    const inFlight = pending.get(key)
    if (inFlight === undefined) return undefined
    if (inFlight.body !== JSON.stringify(call.body ?? null)) {
      return Effect.fail(
        new IdempotencyConflict({ provider: options.provider, operation: call.operation, idempotencyKey: key })
      )
    }
    return Effect.flatMap(Clock.currentTimeMillis, (now) =>
      HttpPolicy.timeoutFail(Deferred.await(inFlight.answer), attemptMillis, () =>
        Ambiguity.unknown(
          unknownFor(call, key),
          "the earlier request with this key is still in flight",
          inDoubt.until(key, now) ?? now + windowMillis
        )
      )
    )
  }

  return { send, join }
}
