import { assert, describe, it } from "@effect/vitest"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as FiberRef from "effect/FiberRef"
import * as Random from "effect/Random"
import * as Ref from "effect/Ref"
import * as TestClock from "effect/TestClock"
import { HttpPolicy, PaymentError } from "@payport/core"

const ctx = { provider: "test", operation: "op" }
const unavailable = new PaymentError.ProviderUnavailable({ ...ctx, reason: "503" })
const rejected = new PaymentError.InvalidRequest({ ...ctx, details: "bad" })

const policy = (overrides: Partial<HttpPolicy.Policy> = {}): HttpPolicy.Policy => ({
  ...HttpPolicy.defaultTiming,
  ...ctx,
  attemptTimeout: "1 second",
  deadline: "30 seconds",
  retries: 3,
  baseDelay: "100 millis",
  maxDelay: "1 second",
  mutating: false,
  idempotent: true,
  idempotencyKey: "key-00000001",
  ...overrides
})

type Step = "ok" | "hang" | PaymentError.OperationError

/** Runs the policy over a scripted sequence of attempt outcomes; returns the exit and the attempt count. */
const run = (p: HttpPolicy.Policy, script: ReadonlyArray<Step>, advance: Duration.DurationInput = "5 minutes") =>
  Effect.gen(function* () {
    const attempts = yield* Ref.make(0)
    const fiber = yield* Effect.fork(
      HttpPolicy.execute(p, (n) =>
        Effect.flatMap(
          Ref.updateAndGet(attempts, (k) => k + 1),
          () => {
            const step = script[Math.min(n, script.length - 1)] ?? "ok"
            return step === "ok"
              ? Effect.succeed(`done on attempt ${n}`)
              : step === "hang"
                ? Effect.never
                : Effect.fail(step)
          }
        )
      )
    )
    yield* TestClock.adjust(advance)
    const exit = yield* Fiber.await(fiber)
    return { exit, attempts: yield* Ref.get(attempts) }
  })

describe("HttpPolicy", () => {
  it.effect("retries a transient failure with the same call and succeeds", () =>
    Effect.gen(function* () {
      const { exit, attempts } = yield* run(policy(), [unavailable, unavailable, "ok"])
      assert.deepStrictEqual(exit._tag === "Success" ? exit.value : exit, "done on attempt 2")
      assert.strictEqual(attempts, 3)
    })
  )

  it.effect("gives up after the retry budget with the last transient error", () =>
    Effect.gen(function* () {
      const { exit, attempts } = yield* run(policy({ retries: 2 }), [unavailable])
      assert.strictEqual(attempts, 3)
      assert.isTrue(exit._tag === "Failure")
      const error = yield* Effect.flip(exit)
      assert.strictEqual(error._tag, "ProviderUnavailable")
    })
  )

  it.effect("never retries a definite rejection", () =>
    Effect.gen(function* () {
      const { exit, attempts } = yield* run(policy(), [rejected, "ok"])
      assert.strictEqual(attempts, 1)
      assert.strictEqual((yield* Effect.flip(exit))._tag, "InvalidRequest")
    })
  )

  it.effect("waits as long as the provider's retry hint says, then succeeds", () =>
    Effect.gen(function* () {
      const attempts = yield* Ref.make(0)
      const limited = new PaymentError.RateLimited({ ...ctx, retryAfterMillis: 3_000 })
      const fiber = yield* Effect.fork(
        HttpPolicy.execute(policy(), () =>
          Effect.flatMap(
            Ref.updateAndGet(attempts, (k) => k + 1),
            (k) => (k === 1 ? Effect.fail(limited) : Effect.succeed(k))
          )
        )
      )
      yield* TestClock.adjust("2999 millis")
      assert.strictEqual(yield* Ref.get(attempts), 1)
      yield* TestClock.adjust("1 millis")
      assert.strictEqual(yield* Fiber.join(fiber), 2)
    })
  )

  it.effect("a hint beyond the deadline fails at once instead of hanging", () =>
    Effect.gen(function* () {
      const limited = new PaymentError.RateLimited({ ...ctx, retryAfterMillis: 60_000 })
      const { exit, attempts } = yield* run(policy({ deadline: "10 seconds" }), [limited], "0 millis")
      assert.strictEqual(attempts, 1)
      assert.strictEqual((yield* Effect.flip(exit))._tag, "RateLimited")
    })
  )

  it.effect("a read that times out is retried; the caller sees ProviderUnavailable if it never answers", () =>
    Effect.gen(function* () {
      const { exit, attempts } = yield* run(policy({ retries: 2 }), ["hang"])
      assert.strictEqual(attempts, 3)
      assert.strictEqual((yield* Effect.flip(exit))._tag, "ProviderUnavailable")
    })
  )

  it.effect("a mutating call without idempotency that times out is OutcomeUnknown, never retried", () =>
    Effect.gen(function* () {
      const { exit, attempts } = yield* run(policy({ mutating: true, idempotent: false }), ["hang", "ok"])
      assert.strictEqual(attempts, 1)
      const error = yield* Effect.flip(exit)
      assert.strictEqual(error._tag, "OutcomeUnknown")
      assert.isTrue(error._tag === "OutcomeUnknown" && error.idempotencyKey === "key-00000001")
    })
  )

  it.effect("an idempotent mutating call that timed out is retried with the same key and can succeed", () =>
    Effect.gen(function* () {
      const { exit, attempts } = yield* run(policy({ mutating: true, idempotent: true }), ["hang", "ok"])
      assert.strictEqual(attempts, 2)
      assert.isTrue(exit._tag === "Success")
    })
  )

  it.effect("an idempotent mutating call that never gets a definite answer ends OutcomeUnknown", () =>
    Effect.gen(function* () {
      const { exit } = yield* run(policy({ mutating: true, idempotent: true, retries: 2 }), ["hang", unavailable])
      assert.strictEqual((yield* Effect.flip(exit))._tag, "OutcomeUnknown")
    })
  )

  it.effect("a mutating call whose attempts all failed definitely keeps the transient error", () =>
    Effect.gen(function* () {
      const { exit } = yield* run(policy({ mutating: true, idempotent: true, retries: 1 }), [unavailable])
      assert.strictEqual((yield* Effect.flip(exit))._tag, "ProviderUnavailable")
    })
  )

  it.effect("the deadline bounds the whole call: a read gets ProviderUnavailable, a mutation OutcomeUnknown", () =>
    Effect.gen(function* () {
      const slow = { attemptTimeout: "1 minute", deadline: "5 seconds" } as const
      const read = yield* run(policy(slow), ["hang"])
      assert.strictEqual((yield* Effect.flip(read.exit))._tag, "ProviderUnavailable")
      const write = yield* run(policy({ ...slow, mutating: true, idempotent: false }), ["hang"])
      assert.strictEqual((yield* Effect.flip(write.exit))._tag, "OutcomeUnknown")
    })
  )

  it.effect("back-off grows exponentially with full jitter, is capped, and honours hints", () =>
    Effect.gen(function* () {
      const timing = { ...HttpPolicy.defaultTiming, baseDelay: "100 millis", maxDelay: "1 second" } as const
      for (let retry = 0; retry < 8; retry++) {
        const delay = yield* HttpPolicy.backoff(timing, retry)
        assert.isAtLeast(delay, 0)
        assert.isAtMost(delay, Math.min(1000, 100 * 2 ** retry))
      }
      assert.isAtLeast(yield* HttpPolicy.backoff(timing, 0, 7_000), 7_000)
    })
  )

  it.effect("request ids are version-4 UUIDs", () =>
    Effect.gen(function* () {
      const ids = new Set<string>()
      for (let i = 0; i < 50; i++) ids.add(yield* HttpPolicy.requestId)
      assert.strictEqual(ids.size, 50)
      for (const id of ids) assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    })
  )

  it.effect("a request id is recorded on the current span, and needs none", () =>
    Effect.gen(function* () {
      const span = yield* Effect.makeSpanScoped("call")
      const id = yield* Effect.withParentSpan(HttpPolicy.requestId, span)
      assert.strictEqual(span.attributes.get("payport.request_id"), id)
      // Outside any span there is nothing to record on; the id is still made.
      assert.match(yield* HttpPolicy.requestId, /^[0-9a-f]{8}-/)
    }).pipe(Effect.scoped)
  )

  it.effect("under a Random of your own, request ids come from it: the same seed, the same ids", () =>
    Effect.gen(function* () {
      const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
      const three = Effect.all([HttpPolicy.requestId, HttpPolicy.requestId, HttpPolicy.requestId])
      const first = yield* Effect.withRandom(three, Random.make("seed-1"))
      const again = yield* Effect.withRandom(three, Random.make("seed-1"))
      const other = yield* Effect.withRandom(three, Random.make("seed-2"))
      assert.deepStrictEqual(again, first)
      assert.notDeepEqual(other, first)
      assert.strictEqual(new Set([...first, ...other]).size, 6)
      for (const id of [...first, ...other]) assert.match(id, uuid)
      // Recorded on the span on this path too.
      const span = yield* Effect.makeSpanScoped("call")
      const id = yield* Effect.withParentSpan(Effect.withRandom(HttpPolicy.requestId, Random.make("seed-3")), span)
      assert.strictEqual(span.attributes.get("payport.request_id"), id)
    }).pipe(Effect.scoped)
  )

  describe("timeoutFail on the live clock (one fork and a shared timer, or the transport)", () => {
    const late = () => new PaymentError.ProviderUnavailable({ ...ctx, reason: "late" })

    it.live("returns the value of an attempt that ends in time", () =>
      Effect.gen(function* () {
        assert.strictEqual(yield* HttpPolicy.timeoutFail(Effect.succeed(7), 1_000, late), 7)
        const slow = Effect.as(Effect.sleep("20 millis"), "slow")
        assert.strictEqual(yield* HttpPolicy.timeoutFail(slow, 1_000, late), "slow")
      })
    )

    it.live("passes an attempt's own failure through", () =>
      Effect.gen(function* () {
        const error = yield* Effect.flip(HttpPolicy.timeoutFail(Effect.fail(rejected), 1_000, late))
        assert.strictEqual(error, rejected)
      })
    )

    it.live("fails with onTimeout after the limit and interrupts the attempt first", () =>
      Effect.gen(function* () {
        const cleaned = yield* Ref.make(false)
        const hanging = Effect.never.pipe(Effect.onInterrupt(() => Ref.set(cleaned, true)))
        const started = Date.now()
        const error = yield* Effect.flip(HttpPolicy.timeoutFail(hanging, 50, late))
        assert.strictEqual(error._tag, "ProviderUnavailable")
        assert.isAtLeast(Date.now() - started, 45)
        assert.isTrue(yield* Ref.get(cleaned))
      })
    )

    it.live("interrupting the caller interrupts the attempt", () =>
      Effect.gen(function* () {
        const cleaned = yield* Ref.make(false)
        const hanging = Effect.never.pipe(Effect.onInterrupt(() => Ref.set(cleaned, true)))
        const fiber = yield* Effect.fork(HttpPolicy.timeoutFail(hanging, 60_000, late))
        yield* Effect.sleep("20 millis")
        yield* Fiber.interrupt(fiber)
        assert.isTrue(yield* Ref.get(cleaned))
      })
    )

    it.live("onDeadline runs each expiry at its time, in order, and never a cancelled one", () =>
      Effect.gen(function* () {
        const fired: Array<string> = []
        const started = Date.now()
        const at: Record<string, number> = {}
        const add = (name: string, millis: number) =>
          HttpPolicy.onDeadline(started + millis, () => {
            at[name] = Date.now() - started
            fired.push(name)
          })
        add("c", 90)
        add("a", 30)
        const cancelled = add("x", 10)
        add("b", 60)
        cancelled()
        yield* Effect.sleep("150 millis")
        assert.deepStrictEqual(fired, ["a", "b", "c"])
        assert.isAtLeast(at.a ?? 0, 29)
        assert.isAtLeast(at.b ?? 0, 59)
        assert.isAtLeast(at.c ?? 0, 89)
      })
    )

    /** A transport that enforces the attempt's deadline, as `@payport/http-node` does: it hangs until cut. */
    const enforcing = (cut: Ref.Ref<number>): Effect.Effect<never, PaymentError.OperationError> =>
      Effect.flatMap(
        FiberRef.get(HttpPolicy.currentDeadline),
        (deadline): Effect.Effect<never, PaymentError.OperationError> =>
          deadline === undefined
            ? Effect.fail(rejected)
            : Effect.async<never, PaymentError.ProviderUnavailable>((resume) => {
                const cancel = HttpPolicy.onDeadline(deadline.at, () => {
                  HttpPolicy.expire(deadline)
                  Effect.runSync(Ref.update(cut, (n) => n + 1))
                  resume(Effect.fail(new PaymentError.ProviderUnavailable({ ...ctx, reason: "cut" })))
                })
                return Effect.sync(cancel)
              })
      )

    it.live("with the transport enforcing the deadline: no fork, the cut becomes onTimeout", () =>
      Effect.gen(function* () {
        const cut = yield* Ref.make(0)
        const started = Date.now()
        const error = yield* Effect.flip(HttpPolicy.timeoutFail(enforcing(cut), 50, late, { transport: true }))
        assert.strictEqual(error._tag === "ProviderUnavailable" ? error.reason : error._tag, "late")
        assert.isAtLeast(Date.now() - started, 45)
        assert.strictEqual(yield* Ref.get(cut), 1)
        // A failure of its own (no deadline passed) goes through as it is; so does a value.
        assert.strictEqual(
          yield* Effect.flip(HttpPolicy.timeoutFail(Effect.fail(rejected), 50, late, { transport: true })),
          rejected
        )
        assert.strictEqual(yield* HttpPolicy.timeoutFail(Effect.succeed(3), 50, late, { transport: true }), 3)
        // Outside such a call there is no deadline.
        assert.isUndefined(yield* FiberRef.get(HttpPolicy.currentDeadline))
      })
    )

    it.live("an enclosing deadline bounds an inner one: both time out when the outer ends first", () =>
      Effect.gen(function* () {
        const cut = yield* Ref.make(0)
        const outer = () => new PaymentError.ProviderUnavailable({ ...ctx, reason: "outer" })
        const error = yield* Effect.flip(
          HttpPolicy.timeoutFail(HttpPolicy.timeoutFail(enforcing(cut), 10_000, late, { transport: true }), 40, outer, {
            transport: true
          })
        )
        assert.strictEqual(error._tag === "ProviderUnavailable" ? error.reason : error._tag, "outer")
        const inner = yield* Effect.flip(
          HttpPolicy.timeoutFail(HttpPolicy.timeoutFail(enforcing(cut), 40, late, { transport: true }), 10_000, outer, {
            transport: true
          })
        )
        assert.strictEqual(inner._tag === "ProviderUnavailable" ? inner.reason : inner._tag, "late")
      })
    )

    it.live("the policy leaves attempt timeouts to a transport that enforces them", () =>
      Effect.gen(function* () {
        const cut = yield* Ref.make(0)
        const error = yield* Effect.flip(
          HttpPolicy.execute(
            policy({ attemptTimeout: "30 millis", retries: 1, baseDelay: "1 millis", transportDeadlines: true }),
            () => enforcing(cut)
          )
        )
        assert.strictEqual(error._tag === "ProviderUnavailable" ? error.reason : error._tag, "no response within 30ms")
        assert.strictEqual(yield* Ref.get(cut), 2, "each attempt was cut by the transport")
        assert.isTrue(HttpPolicy.enforcesDeadlines({ [HttpPolicy.DeadlineAware]: true }))
        assert.isFalse(HttpPolicy.enforcesDeadlines({}))
        assert.isFalse(HttpPolicy.enforcesDeadlines(undefined))
      })
    )

    it.live("an attempt under the policy times out on the live clock too", () =>
      Effect.gen(function* () {
        const error = yield* Effect.flip(
          HttpPolicy.execute(
            policy({ attemptTimeout: "30 millis", retries: 1, baseDelay: "1 millis" }),
            () => Effect.never
          )
        )
        assert.strictEqual(error._tag, "ProviderUnavailable")
      })
    )
  })
})

describe("HttpPolicy.withOperationDeadline", () => {
  it.effect("calls inside one operation share its deadline, whatever their own", () =>
    Effect.gen(function* () {
      const read = policy({ attemptTimeout: "10 seconds", deadline: "30 seconds", retries: 0 })
      const operation = Effect.gen(function* () {
        yield* HttpPolicy.execute(read, () => Effect.as(Effect.sleep("3 seconds"), "first"))
        return yield* HttpPolicy.execute(read, () => Effect.never)
      }).pipe(HttpPolicy.withOperationDeadline("5 seconds"))
      const fiber = yield* Effect.fork(Effect.flip(operation))
      yield* TestClock.adjust("3 seconds")
      yield* TestClock.adjust("2 seconds")
      const error = yield* Fiber.join(fiber)
      assert.strictEqual(error._tag, "ProviderUnavailable")
      assert.include(error.message, "deadline of 2s passed")
    })
  )
})
