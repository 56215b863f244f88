/**
 * The call policy every adapter applies to provider requests: per-attempt and total timeouts,
 * bounded retries of transient failures with exponential back-off and jitter that honours the
 * provider's retry hint, and the rule that decides when a failure means "money may have moved".
 *
 * The contract with adapters: an adapter reports a transient error (`RateLimited`,
 * `ProviderUnavailable`, `ConnectFailed`) only when repeating the request is safe — the request
 * did not execute, or the provider de-duplicates by idempotency key. Anything else ambiguous it
 * reports as `OutcomeUnknown` itself. The policy then:
 *
 * - retries transient errors at most `retries` times, never past `deadline`;
 * - treats a per-attempt timeout of a read as transient; of a mutating call, as transient when the
 *   provider honours idempotency keys (the retry replays the stored result) and as `OutcomeUnknown`
 *   otherwise;
 * - reports `OutcomeUnknown` when a mutating call that may have executed ends without a definite
 *   answer (retries exhausted after an ambiguous attempt, or the deadline passed mid-flight).
 *
 * Provider-neutral: it knows nothing of HTTP libraries, only of core's errors and `Clock`.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as DateTime from "effect/DateTime"
import * as DefaultServices from "effect/DefaultServices"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as FiberRef from "effect/FiberRef"
import { globalValue } from "effect/GlobalValue"
import * as Option from "effect/Option"
import * as Random from "effect/Random"
import * as Tracer from "effect/Tracer"
import * as Ambiguity from "./Ambiguity.js"
import { Deadlines } from "./internal/timer.js"
import { isTransient, type OperationError, type OutcomeUnknown, ProviderUnavailable } from "./PaymentError.js"

/**
 * Timeouts and retry budget.
 *
 * @since 0.1.0
 * @category models
 */
export interface Timing {
  /** Longest wait for one attempt. */
  readonly attemptTimeout: Duration.DurationInput
  /** Longest wait for the whole call, retries and back-off included. */
  readonly deadline: Duration.DurationInput
  /** Most retries after the first attempt. */
  readonly retries: number
  /** First back-off; doubles per retry, with full jitter. */
  readonly baseDelay: Duration.DurationInput
  /** Back-off ceiling (a provider's retry hint may ask for longer, within the deadline). */
  readonly maxDelay: Duration.DurationInput
  /**
   * At a provider without idempotency keys: how long after a mutation's attempt started it may
   * still land (network delay, the provider's own processing, its search index catching up).
   * Until then a same-key retry sends nothing. Default: the `deadline`.
   */
  readonly inDoubtWindow?: Duration.DurationInput | undefined
}

/**
 * Sensible defaults: 15 s per attempt, 45 s in all, 3 retries from 200 ms up to 5 s.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultTiming: Timing = {
  attemptTimeout: "15 seconds",
  deadline: "45 seconds",
  retries: 3,
  baseDelay: "200 millis",
  maxDelay: "5 seconds"
}

/**
 * One call's policy.
 *
 * @since 0.1.0
 * @category models
 */
export interface Policy extends Timing {
  readonly provider: string
  readonly operation: string
  /** Whether the call changes state at the provider (may move money). */
  readonly mutating: boolean
  /** Whether the provider de-duplicates this call by idempotency key. */
  readonly idempotent: boolean
  /** The call's idempotency key, reported in `OutcomeUnknown`. */
  readonly idempotencyKey?: string
  /** The merchant reference a sync looks the result up by, named in `OutcomeUnknown`. */
  readonly reference?: string | undefined
  /**
   * Every wait of an attempt is a request on a transport that enforces `currentDeadline`
   * (`enforcesDeadlines`): the attempt timeout is then the transport's, with no fiber forked.
   */
  readonly transportDeadlines?: boolean
  /** The client's registry of keys in doubt (`Ambiguity.makeInDoubt`); used when `idempotent` is false. */
  readonly inDoubt?: Ambiguity.InDoubt | undefined
}

/**
 * The back-off before retry number `retry` (0-based): full jitter over `baseDelay · 2^retry`,
 * capped at `maxDelay`, and never shorter than the provider's hint.
 *
 * @since 0.1.0
 * @category retries
 */
export const backoff = (timing: Timing, retry: number, hintMillis?: number): Effect.Effect<number> =>
  Effect.map(Random.next, (r) => {
    const ceiling = Math.min(Duration.toMillis(timing.maxDelay), Duration.toMillis(timing.baseDelay) * 2 ** retry)
    const jittered = Math.floor(r * ceiling)
    return Math.max(jittered, hintMillis ?? 0)
  })

const hint = (error: OperationError): number | undefined =>
  error._tag === "RateLimited" ? error.retryAfterMillis : undefined

/**
 * The deadline of the attempt in progress, as a transport that enforces it reads it (see
 * `currentDeadline`). `expired` is set by the transport when it gave up on a request at `at`, on
 * this deadline and on every enclosing one that ends no later.
 *
 * @since 0.1.0
 * @category deadlines
 */
export interface Deadline {
  /** Epoch milliseconds (`Date.now()`'s clock) by which the attempt must have ended. */
  readonly at: number
  /** The deadline of an enclosing attempt, if any. */
  readonly parent: Deadline | undefined
  expired: boolean
}

/**
 * The deadline of the attempt the current fiber is in, when its timeout is left to the transport
 * (`timeoutFail` with `transport: true`); `undefined` otherwise.
 *
 * A transport that enforces it (and says so with `DeadlineAware`) fails a request still running at
 * `at` (and one started after it) as a transport failure, drops its connection, and marks the
 * deadline `expired` with `expire`.
 *
 * @since 0.1.0
 * @category deadlines
 */
export const currentDeadline: FiberRef.FiberRef<Deadline | undefined> = globalValue(
  Symbol.for("@payport/core/HttpPolicy/currentDeadline"),
  () => FiberRef.unsafeMake<Deadline | undefined>(undefined)
)

/**
 * Marks an `HttpClient` (or any transport) whose requests enforce `currentDeadline`: set it as a
 * property of the client object (`[DeadlineAware]: true`).
 *
 * @since 0.1.0
 * @category deadlines
 */
export const DeadlineAware: unique symbol = Symbol.for("@payport/core/HttpPolicy/DeadlineAware")

/**
 * Whether a transport enforces `currentDeadline` (it carries `DeadlineAware`). An adapter checks
 * the client it was given, before wrapping it, and sets `Policy.transportDeadlines` accordingly.
 *
 * @since 0.1.0
 * @category deadlines
 */
export const enforcesDeadlines = (transport: unknown): boolean =>
  typeof transport === "object" &&
  transport !== null &&
  (transport as { readonly [DeadlineAware]?: unknown })[DeadlineAware] === true

/**
 * For a transport: marks `deadline` expired, and every enclosing deadline that ends no later (the
 * request was cut at the earliest of them, so each of those attempts has timed out too).
 *
 * @since 0.1.0
 * @category deadlines
 */
export const expire = (deadline: Deadline): void => {
  for (let d: Deadline | undefined = deadline; d !== undefined; d = d.parent) {
    if (d.at <= deadline.at) d.expired = true
  }
}

const deadlines = new Deadlines()

/**
 * Runs `expire` at `at` (`Date.now()` milliseconds) unless the returned function is called first.
 * One timer serves every pending deadline, rather than arming and clearing a Node timer per
 * request: this adds to and removes from a set, and re-arms
 * its one timer only when an earlier deadline arrives or it fires. The timer never keeps the
 * process alive. For transports enforcing `currentDeadline`, and the policy's own timeouts.
 *
 * @since 0.1.0
 * @category deadlines
 */
export const onDeadline = (at: number, expire: () => void): (() => void) => {
  const entry = { at, expire }
  deadlines.add(entry)
  return () => deadlines.delete(entry)
}

/** The live clock: on it, attempt timeouts use a plain timer (or the transport's) instead of a raced fiber. */
const liveClock = Context.get(DefaultServices.liveServices, Clock.Clock)

/**
 * `self`, failing with `onTimeout()` if it has not ended after `millis`; `self` is interrupted then.
 *
 * Three ways, by clock and transport:
 * - On any clock but the live one (`TestClock`) it is `Effect.timeoutFail`, so tests drive it with
 *   `TestClock.adjust`.
 * - On the live clock with `transport: true` (every wait of `self` is a request on a transport that
 *   enforces `currentDeadline`), nothing is forked: `self` runs with the deadline set, the
 *   transport cuts a request still running at it, and a failure after the deadline expired becomes
 *   `onTimeout()`. A deadline set by an enclosing call still bounds this one, and no fiber or
 *   timer is spent per request.
 * - Otherwise it forks `self` once and waits on one deadline (`onDeadline`); `Effect.timeoutFail`
 *   forks two fibers (`self` and a sleeper), races them and joins the winner's fiber refs.
 *   Fiber-local changes made inside `self` (log annotations, fiber refs) are not carried back to
 *   the caller: the attempts this runs set none.
 *
 * @since 0.1.0
 * @category execution
 */
export const timeoutFail = <A, E, R, E1>(
  self: Effect.Effect<A, E, R>,
  millis: number,
  onTimeout: () => E1,
  options?: { readonly transport?: boolean | undefined }
): Effect.Effect<A, E | E1, R> =>
  Effect.clockWith((clock) =>
    clock !== liveClock
      ? Effect.timeoutFail(self, { duration: Duration.millis(millis), onTimeout })
      : options?.transport === true
        ? withDeadline(self, clock.unsafeCurrentTimeMillis() + millis, onTimeout)
        : forkWithTimer(self, millis, onTimeout)
  )

const withDeadline = <A, E, R, E1>(
  self: Effect.Effect<A, E, R>,
  at: number,
  onTimeout: () => E1
): Effect.Effect<A, E | E1, R> =>
  FiberRef.getWith(currentDeadline, (parent) => {
    const deadline: Deadline = { at: parent === undefined ? at : Math.min(at, parent.at), parent, expired: false }
    return Effect.catchAll(
      Effect.locally(self, currentDeadline, deadline),
      (error): Effect.Effect<never, E | E1> => Effect.fail(deadline.expired ? onTimeout() : error)
    )
  })

const forkWithTimer = <A, E, R, E1>(
  self: Effect.Effect<A, E, R>,
  millis: number,
  onTimeout: () => E1
): Effect.Effect<A, E | E1, R> =>
  Effect.uninterruptibleMask((restore) =>
    Effect.flatMap(Effect.fork(restore(self)), (child) =>
      Effect.onInterrupt(
        restore(
          Effect.async<A, E | E1>((resume) => {
            let done = false
            const cancel = onDeadline(Date.now() + millis, () => {
              if (done) return
              done = true
              resume(Effect.zipRight(Fiber.interrupt(child), Effect.fail(onTimeout())))
            })
            child.addObserver((exit) => {
              if (done) return
              done = true
              cancel()
              resume(exit)
            })
            return Effect.sync(() => {
              done = true
              cancel()
            })
          })
        ),
        () => Fiber.interrupt(child)
      )
    )
  )

/**
 * What `execute` may do besides retrying.
 *
 * @since 0.1.0
 * @category execution
 */
export interface ExecuteOptions<A, E, R> {
  /**
   * Looks for the result of an attempt that may have applied (e.g. CyberSource's search by
   * merchant reference). Run before any retry that follows such an attempt (and before the first
   * attempt of a key still in doubt): `Some` is the operation's answer; `None` lets the retry go
   * ahead. A failure of the reconcile leaves the outcome unknown. With a reconcile, an
   * `OutcomeUnknown` attempt is retried (after reconciling) while the budget lasts.
   */
  readonly reconcile?: Effect.Effect<Option.Option<A>, E, R> | undefined
}

/**
 * Runs `attempt` under the policy. `attempt` receives the attempt number (0-based).
 *
 * Each failure is judged by `Ambiguity`: transient errors are retried within the budget; an
 * attempt that may have applied makes the call's outcome unknown unless a later attempt (replayed
 * by key) or the reconcile gives a definite answer. For a mutation at a provider without
 * idempotency keys (`idempotent: false`) with an `inDoubt` registry, every `OutcomeUnknown` says
 * until when the request may still land (`inDoubtUntil`: the may-have-applied attempt's start plus
 * `inDoubtWindow`), and a call with a key still in doubt sends nothing: it reconciles when it can,
 * else answers `OutcomeUnknown` again.
 *
 * One timer per attempt: its limit is the attempt timeout or what is left of the deadline,
 * whichever is shorter, so the deadline needs no timer of its own; the reconcile runs within the
 * same deadline. The first attempt reads the clock once; everything past it only runs after a
 * failure.
 *
 * @since 0.1.0
 * @category execution
 */
export const execute = <A, E extends OperationError, R>(
  policy: Policy,
  attempt: (n: number) => Effect.Effect<A, E, R>,
  options?: ExecuteOptions<A, E, R>
): Effect.Effect<A, E | OutcomeUnknown | ProviderUnavailable, R> =>
  Effect.clockWith((clock) =>
    FiberRef.getWith(currentOperationDeadline, (operationAt) => {
      const start = clock.unsafeCurrentTimeMillis()
      const attemptMillis = Duration.toMillis(policy.attemptTimeout)
      const ownMillis = Duration.toMillis(policy.deadline)
      // Within an operation of several requests, this call also ends by the operation's deadline.
      const deadlineMillis = operationAt === undefined ? ownMillis : Math.min(ownMillis, operationAt - start)
      const windowMillis = Duration.toMillis(policy.inDoubtWindow ?? policy.deadline)
      const context = { provider: policy.provider, operation: policy.operation }
      const call: Ambiguity.Call = {
        ...context,
        mutating: policy.mutating,
        idempotent: policy.idempotent,
        idempotencyKey: policy.idempotencyKey,
        reference: policy.reference
      }
      const key = policy.idempotencyKey
      const registry = policy.mutating && !policy.idempotent && key !== undefined ? policy.inDoubt : undefined
      const reconcile = policy.mutating ? options?.reconcile : undefined
      let started = false
      let ambiguous = false
      let deadlinePassed = false
      let attemptStart = 0
      let appliedAt = 0

      /** The outcome is unknown: say until when, and keep the key in doubt until then. */
      const stamp = (error: OutcomeUnknown): OutcomeUnknown => {
        if (registry === undefined || key === undefined) return error
        const until =
          error.inDoubtUntil === undefined ? appliedAt + windowMillis : DateTime.toEpochMillis(error.inDoubtUntil)
        registry.mark(key, until)
        return error.inDoubtUntil === undefined
          ? Ambiguity.unknown({ ...call, ...fieldsOf(error) }, error.reason, until)
          : error
      }
      const unknown = (reason: string) => stamp(Ambiguity.unknown(call, reason))

      const pastDeadline = (): OutcomeUnknown | ProviderUnavailable => {
        deadlinePassed = true
        const reason = `deadline of ${Duration.format(Duration.millis(Math.max(0, deadlineMillis)))} passed`
        return policy.mutating && (ambiguous || started)
          ? unknown(reason)
          : new ProviderUnavailable({ ...context, reason })
      }

      const attemptTimedOut = (): OperationError => {
        const reason = `no response within ${Duration.format(policy.attemptTimeout)}`
        return Ambiguity.errorFor({ _tag: "Lost", reason }, call)
      }

      const transport = { transport: policy.transportDeadlines === true }

      const settle = (error: E | OperationError): Effect.Effect<never, E | OutcomeUnknown | ProviderUnavailable> => {
        if (error._tag === "OutcomeUnknown") return Effect.fail(stamp(error))
        // Where keys are replayed, a later answer is the provider's answer for the key: definite.
        if (ambiguous && policy.mutating && !policy.idempotent) {
          const settled = Ambiguity.afterMayHaveApplied(call, error as OperationError)
          return Effect.fail(settled._tag === "OutcomeUnknown" ? stamp(settled) : (settled as E))
        }
        return Effect.fail(error as E)
      }

      const afterFailure = (
        n: number,
        error: E | OperationError
      ): Effect.Effect<A, E | OutcomeUnknown | ProviderUnavailable, R> =>
        Effect.suspend(() => {
          if (Ambiguity.isMayHaveApplied(error as OperationError) && policy.mutating) {
            ambiguous = true
            appliedAt = attemptStart
          }
          const retryable =
            isTransient(error as OperationError) || (error._tag === "OutcomeUnknown" && reconcile !== undefined)
          if (deadlinePassed || !retryable) return settle(error)
          const at = clock.unsafeCurrentTimeMillis()
          return Effect.flatMap(backoff(policy, n, hint(error as OperationError)), (delay) => {
            if (n >= policy.retries || at - start + delay >= deadlineMillis) {
              return ambiguous && policy.mutating
                ? Effect.fail(
                    unknown(`no definite answer after ${n + 1} attempts: ${(error as OperationError).message}`)
                  )
                : settle(error)
            }
            const next = ambiguous && reconcile !== undefined ? reconciled(n + 1, loop) : loop(n + 1)
            return Effect.zipRight(Effect.sleep(Duration.millis(delay)), next)
          })
        })

      /** Runs the reconcile within the deadline: its answer, or `then(n)` when it found nothing. */
      const reconciled = (
        n: number,
        then: (n: number) => Effect.Effect<A, E | OutcomeUnknown | ProviderUnavailable, R>
      ): Effect.Effect<A, E | OutcomeUnknown | ProviderUnavailable, R> =>
        Effect.suspend(() => {
          if (reconcile === undefined) return then(n)
          const left = deadlineMillis - (clock.unsafeCurrentTimeMillis() - start)
          if (left <= 0) return Effect.fail(pastDeadline())
          return Effect.matchEffect(timeoutFail(reconcile, left, pastDeadline, transport), {
            onFailure: (error) =>
              isTransient(error as OperationError) && !deadlinePassed
                ? afterFailure(n, error)
                : Effect.fail(settled(error as OperationError)),
            onSuccess: (found) => (Option.isSome(found) ? done(found.value) : then(n))
          })
        })

      /** A failed reconcile: a definite answer about the key (a replayed decline) stands; else unknown. */
      const settled = (error: OperationError): E | OutcomeUnknown => {
        const after = Ambiguity.afterMayHaveApplied(
          call,
          error,
          "an earlier attempt may have applied and the reconcile failed"
        )
        return after._tag === "OutcomeUnknown" ? stamp(after) : (after as E)
      }

      const done = (value: A): Effect.Effect<A> => {
        if (registry !== undefined && key !== undefined) registry.clear(key)
        return Effect.succeed(value)
      }

      const loop = (n: number): Effect.Effect<A, E | OutcomeUnknown | ProviderUnavailable, R> => {
        attemptStart = clock.unsafeCurrentTimeMillis()
        const left = deadlineMillis - (attemptStart - start)
        if (left <= 0) return Effect.fail(pastDeadline())
        const cutByDeadline = left < attemptMillis
        started = true
        const run = Effect.catchAll(
          timeoutFail(
            attempt(n),
            cutByDeadline ? left : attemptMillis,
            cutByDeadline ? pastDeadline : attemptTimedOut,
            transport
          ),
          (error) => afterFailure(n, error)
        )
        return registry === undefined ? run : Effect.flatMap(run, done)
      }

      return Effect.suspend(() => {
        if (registry !== undefined && key !== undefined) {
          const until = registry.until(key, start)
          if (until !== undefined) {
            // The key's last request may still land: a search that finds nothing proves nothing yet.
            const inDoubt = Ambiguity.unknown(call, "an earlier request with this key may still land", until)
            return reconcile === undefined ? Effect.fail(inDoubt) : reconciled(0, () => Effect.fail(inDoubt))
          }
        }
        return loop(0)
      })
    })
  )

/**
 * The deadline of the operation in progress (epoch milliseconds on the fiber's `Clock`), when it
 * spans several requests: every `execute` inside it ends by then, whatever its own deadline.
 *
 * @since 0.1.0
 * @category deadlines
 */
export const currentOperationDeadline: FiberRef.FiberRef<number | undefined> = globalValue(
  Symbol.for("@payport/core/HttpPolicy/currentOperationDeadline"),
  () => FiberRef.unsafeMake<number | undefined>(undefined)
)

/**
 * Runs `self` as one operation with one overall `deadline`: every provider call it makes under
 * `execute` (reads, the mutation, read-backs, reconciles) ends by then. Within an enclosing
 * operation, the earlier deadline holds.
 *
 * @since 0.1.0
 * @category deadlines
 */
export const withOperationDeadline =
  (deadline: Duration.DurationInput) =>
  <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.clockWith((clock) =>
      FiberRef.getWith(currentOperationDeadline, (outer) => {
        const at = clock.unsafeCurrentTimeMillis() + Duration.toMillis(deadline)
        return Effect.locally(self, currentOperationDeadline, outer === undefined ? at : Math.min(outer, at))
      })
    )

const fieldsOf = (error: OutcomeUnknown) => ({
  ...(error.httpStatus === undefined ? {} : { httpStatus: error.httpStatus }),
  ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
  ...(error.raw === undefined ? {} : { raw: error.raw }),
  ...(error.providerRef === undefined ? {} : { providerRef: error.providerRef }),
  ...(error.idempotencyKey === "none" ? {} : { idempotencyKey: error.idempotencyKey })
})

const hex8 = (fraction: number): string => (Math.floor(fraction * 0x100000000) >>> 0).toString(16).padStart(8, "0")

/** A random UUID from two draws of `Random` (52 random bits each; the words take the top bits of each half). */
const fromDraws = (a: number, b: number): string => {
  const h = hex8(a) + hex8((a * 0x100000000) % 1) + hex8(b) + hex8((b * 0x100000000) % 1)
  const variant = ((Number.parseInt(h[16] ?? "0", 16) & 0x3) | 0x8).toString(16)
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`
}

/** The default `Random`: with it, ids come from the platform's UUID generator. */
const liveRandom = Context.get(DefaultServices.liveServices, Random.Random)

/** Records the id on the fiber's current span, when there is one (outside a span, nothing to record on). */
const annotatedNow = (
  fiber: { readonly currentContext: Context.Context<never> },
  id: string
): Effect.Effect<string> => {
  const span = Context.getOption(fiber.currentContext, Tracer.ParentSpan)
  if (Option.isSome(span) && span.value._tag === "Span") span.value.attribute("payport.request_id", id)
  return Effect.succeed(id)
}

const drawn: Effect.Effect<string> = Effect.flatMap(Effect.zipWith(Random.next, Random.next, fromDraws), (id) =>
  Effect.withFiberRuntime((fiber) => annotatedNow(fiber, id))
)

/**
 * A fresh request id, a random UUID. Adapters send it as the provider's request-id header, record
 * it on the span and in errors.
 *
 * Under a `Random` of your own (`Effect.withRandom`) the id comes from it, so tests are
 * deterministic; under the default one it is `crypto.randomUUID()`, made and recorded on the span
 * in one step (not as two draws, a span look-up and an annotation, each an effect). Outside any
 * span nothing is recorded:
 * `annotateCurrentSpan` would build and drop an exception with its stack trace.
 *
 * @since 0.1.0
 * @category request ids
 */
export const requestId: Effect.Effect<string> = Effect.withFiberRuntime((fiber) =>
  Context.get(fiber.getFiberRef(DefaultServices.currentServices), Random.Random) === liveRandom
    ? annotatedNow(fiber, globalThis.crypto.randomUUID())
    : drawn
)
