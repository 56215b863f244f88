/**
 * How the client runs a call: the call policy (timing, no idempotency at CyberSource, the keys in
 * doubt), keyed mutations sent detached so a same-key retry joins the one in flight, the lookup of
 * what an earlier request under the key made (`reconcile`), and the memory of the keys this client
 * has sent a mutation under.
 */
import * as Ambiguity from "@payport/core/Ambiguity"
import * as HttpPolicy from "@payport/core/HttpPolicy"
import type { OperationError } from "@payport/core/PaymentError"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import type { Call, Response } from "../CyberSourceClient.js"
import { isRepeatRefusal, PROVIDER } from "./errors.js"
import * as InFlight from "./inFlight.js"

/** What `execute` may do besides sending. */
export interface ExecuteOptions<A> {
  /**
   * Looks up what an earlier request under the call's key made: `Some` is the answer. Run when
   * CyberSource refuses an attempt in a way an earlier request under the key explains
   * (`refusals`): a repeated `transactionId`, and whatever else `refusals` names.
   */
  readonly reconcile?: Effect.Effect<Option.Option<A>, OperationError> | undefined
  /** The refusals that may be CyberSource refusing what an earlier request already did. */
  readonly refusals?: ((error: OperationError) => boolean) | undefined
}

/** The client's execution of calls. */
export interface Execution {
  readonly policy: (call: Call) => HttpPolicy.Policy
  readonly execute: <A>(
    call: Call,
    interpret: (response: Response) => Effect.Effect<A, OperationError>,
    options?: ExecuteOptions<A>
  ) => Effect.Effect<A, OperationError>
  readonly mayHaveApplied: (key: string) => boolean
}

/** How many keys `mayHaveApplied` remembers, oldest first out. */
const REMEMBERED_KEYS = 10_000

/**
 * One attempt's result, or, when CyberSource refused the attempt in a way an earlier request under
 * the key explains (`refusals`, by default a repeated `transactionId`), what that request made. The
 * refusal stands when the lookup finds nothing. When the lookup itself fails without a definite
 * answer about the key, the refusal cannot be told from one of a request that applied: it is
 * `OutcomeUnknown` for `call` (a repeated `transactionId` already is).
 */
export const answerRepeat = <A>(
  attempt: Effect.Effect<A, OperationError>,
  reconcile: Effect.Effect<Option.Option<A>, OperationError> | undefined,
  options: {
    readonly refusals?: ((error: OperationError) => boolean) | undefined
    readonly call?: Ambiguity.Call | undefined
  } = {}
): Effect.Effect<A, OperationError> =>
  reconcile === undefined
    ? attempt
    : Effect.catchIf(attempt, options.refusals ?? isRepeatRefusal, (refusal) =>
        Effect.flatMap(Effect.either(reconcile), (found) =>
          Either.match(found, {
            onLeft: (error) =>
              Effect.fail(
                error._tag === "IdempotencyConflict" || error._tag === "PaymentDeclined"
                  ? error
                  : options.call === undefined
                    ? refusal
                    : Ambiguity.afterMayHaveApplied(
                        options.call,
                        refusal,
                        "CyberSource refused the request and what an earlier request under the key made could not be read"
                      )
              ),
            onRight: Option.match({ onNone: () => Effect.fail(refusal), onSome: Effect.succeed })
          })
        )
      )

/** The execution of a client over `send`. */
export const make = (options: {
  readonly send: (call: Call) => Effect.Effect<Response, OperationError>
  readonly timing: HttpPolicy.Timing
  readonly transportDeadlines: boolean
}): Execution => {
  const { send, timing, transportDeadlines } = options
  // Keys whose last request may still land: CyberSource has no idempotency keys, so a same-key
  // retry in that window must not send again (see `HttpPolicy.execute`).
  const inDoubt = Ambiguity.makeInDoubt()
  const policy = (call: Call): HttpPolicy.Policy => ({
    ...timing,
    provider: PROVIDER,
    operation: call.operation,
    mutating: call.mutating,
    // CyberSource de-duplicates nothing: an ambiguous mutation is never blindly repeated.
    idempotent: false,
    transportDeadlines,
    inDoubt,
    ...(call.idempotencyKey === undefined ? {} : { idempotencyKey: call.idempotencyKey })
  })

  // A same-key retry of a mutation still in flight joins it instead of sending again.
  const inFlight = InFlight.make<Call, Response>({
    provider: PROVIDER,
    send,
    inDoubt,
    attemptMillis: Duration.toMillis(timing.attemptTimeout),
    windowMillis: Duration.toMillis(timing.inDoubtWindow ?? timing.deadline)
  })

  // Keys this client has sent a mutation under: whatever that request did, a later step of the
  // same key that ends without a definite answer cannot say that nothing applied.
  const sent = new Set<string>()
  const remember = (key: string) => {
    sent.delete(key)
    sent.add(key)
    if (sent.size > REMEMBERED_KEYS) {
      const oldest = sent.values().next()
      if (oldest.done !== true) sent.delete(oldest.value)
    }
  }

  const execute = <A>(
    call: Call,
    interpret: (response: Response) => Effect.Effect<A, OperationError>,
    executeOptions?: ExecuteOptions<A>
  ): Effect.Effect<A, OperationError> => {
    const key = call.mutating ? call.idempotencyKey : undefined
    const reconcile = executeOptions?.reconcile
    const refusals = executeOptions?.refusals
    const ambiguity: Ambiguity.Call = {
      provider: PROVIDER,
      operation: call.operation,
      mutating: call.mutating,
      idempotent: false,
      idempotencyKey: call.idempotencyKey
    }
    const interpreted = (response: Effect.Effect<Response, OperationError>) =>
      answerRepeat(Effect.flatMap(response, interpret), reconcile, { refusals, call: ambiguity })
    if (key === undefined) return HttpPolicy.execute(policy(call), () => interpreted(send(call)))
    return Effect.suspend(() => {
      // A retry while the key's request is still in flight waits for that request's answer.
      const joined = inFlight.join(call, key)
      if (joined !== undefined) return interpreted(joined)
      remember(key)
      // The attempt waits on the detached request, so the policy times it out itself.
      return HttpPolicy.execute({ ...policy(call), transportDeadlines: false }, () =>
        interpreted(inFlight.send(call, key))
      )
    })
  }

  return { policy, execute, mayHaveApplied: (key) => sent.has(key) }
}
