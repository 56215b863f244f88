import { assert, describe, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import * as TestClock from "effect/TestClock"
import { Ambiguity, HttpPolicy, PaymentError } from "@payport/core"

const call = (mutating: boolean, idempotent: boolean): Ambiguity.Call => ({
  provider: "test",
  operation: "op",
  mutating,
  idempotent,
  idempotencyKey: "key-00000001"
})

const verdict = (observation: Ambiguity.Observation, c: Ambiguity.Call) => {
  const { error, verdict } = Ambiguity.classify(observation, c)
  return `${verdict} ${error._tag}`
}

describe("Ambiguity.classify", () => {
  it("a request that never left is retryable for reads and mutations alike", () => {
    for (const c of [call(false, true), call(true, true), call(true, false)]) {
      assert.strictEqual(verdict({ _tag: "NotSent", reason: "refused" }, c), "retryable ConnectFailed")
    }
  })

  it("a lost answer: reads retry; a keyed mutation may have applied but retries; an unkeyed one is unknown", () => {
    const lost = { _tag: "Lost", reason: "reset" } as const
    assert.strictEqual(verdict(lost, call(false, true)), "retryable ProviderUnavailable")
    assert.strictEqual(verdict(lost, call(true, true)), "may-have-applied ProviderUnavailable")
    assert.strictEqual(verdict(lost, call(true, false)), "may-have-applied OutcomeUnknown")
    assert.isTrue(Ambiguity.isMayHaveApplied(Ambiguity.errorFor(lost, call(true, true))))
    assert.isFalse(Ambiguity.isMayHaveApplied(Ambiguity.errorFor(lost, call(false, true))))
  })

  it("an undecodable success is invalid for a read and unknown for any mutation, with the caller's key", () => {
    const garbled = { _tag: "Undecodable", reason: "not JSON" } as const
    assert.strictEqual(verdict(garbled, call(false, true)), "definite ProviderResponseInvalid")
    const error = Ambiguity.errorFor(garbled, call(true, true))
    assert.strictEqual(error._tag, "OutcomeUnknown")
    if (error._tag === "OutcomeUnknown") assert.strictEqual(error.idempotencyKey, "key-00000001")
  })

  it("the never-sent list is read along the cause chain", () => {
    assert.isTrue(Ambiguity.neverSent({ cause: { code: "ECONNREFUSED" } }))
    assert.isFalse(Ambiguity.neverSent({ cause: { code: "ECONNRESET" } }))
    assert.isFalse(Ambiguity.neverSent({ code: "ETIMEDOUT" }))
  })

  it("after a mutation may have applied, not-found and invalid become OutcomeUnknown; a decline stays", () => {
    const c = call(true, true)
    const notFound = new PaymentError.NotFound({ provider: "test", operation: "op", resource: "payment" })
    assert.strictEqual(Ambiguity.afterMayHaveApplied(c, notFound)._tag, "OutcomeUnknown")
    const invalid = new PaymentError.ProviderResponseInvalid({ provider: "test", operation: "op", reason: "x" })
    const unknown = Ambiguity.afterMayHaveApplied(c, invalid)
    assert.strictEqual(unknown._tag === "OutcomeUnknown" ? unknown.idempotencyKey : unknown._tag, "key-00000001")
    const declined = new PaymentError.PaymentDeclined({
      provider: "test",
      operation: "op",
      decline: PaymentError.Decline.of("do_not_honor")
    })
    assert.strictEqual(Ambiguity.afterMayHaveApplied(c, declined)._tag, "PaymentDeclined")
  })
})

const unkeyed = (inDoubt: Ambiguity.InDoubt): HttpPolicy.Policy => ({
  ...HttpPolicy.defaultTiming,
  provider: "test",
  operation: "op",
  attemptTimeout: "1 second",
  deadline: "10 seconds",
  inDoubtWindow: "1 minute",
  retries: 2,
  baseDelay: "10 millis",
  maxDelay: "10 millis",
  mutating: true,
  idempotent: false,
  idempotencyKey: "key-00000002",
  inDoubt
})

const lostOnce = Ambiguity.errorFor({ _tag: "Lost", reason: "reset" }, call(true, false))

describe("HttpPolicy.execute with a reconcile and an in-doubt registry", () => {
  it.effect("reconciles before retrying after an attempt that may have applied, and answers what it found", () =>
    Effect.gen(function* () {
      const sent = yield* Ref.make(0)
      const result = yield* HttpPolicy.execute(
        unkeyed(Ambiguity.makeInDoubt()),
        () =>
          Effect.zipRight(
            Ref.update(sent, (n) => n + 1),
            Effect.fail(lostOnce)
          ),
        { reconcile: Effect.succeed(Option.some("found")) }
      ).pipe(
        Effect.fork,
        Effect.tap(() => TestClock.adjust("1 second")),
        Effect.flatMap(Fiber.join)
      )
      assert.strictEqual(result, "found")
      assert.strictEqual(yield* Ref.get(sent), 1)
    })
  )

  it.effect("a failing reconcile leaves the outcome unknown, with until when it is in doubt", () =>
    Effect.gen(function* () {
      const invalid = new PaymentError.ProviderResponseInvalid({ provider: "test", operation: "op", reason: "x" })
      const error = yield* HttpPolicy.execute(unkeyed(Ambiguity.makeInDoubt()), () => Effect.fail(lostOnce), {
        reconcile: Effect.fail(invalid)
      }).pipe(
        Effect.flip,
        Effect.fork,
        Effect.tap(() => TestClock.adjust("1 second")),
        Effect.flatMap(Fiber.join)
      )
      assert.strictEqual(error._tag, "OutcomeUnknown")
      if (error._tag === "OutcomeUnknown") {
        assert.strictEqual(error.idempotencyKey, "key-00000002")
        assert.strictEqual(error.inDoubtUntil === undefined ? -1 : DateTime.toEpochMillis(error.inDoubtUntil), 60_000)
      }
    })
  )

  it.effect("a same-key call sends nothing while the key is in doubt, and sends once the window has passed", () =>
    Effect.gen(function* () {
      const inDoubt = Ambiguity.makeInDoubt()
      const sent = yield* Ref.make(0)
      const attempt = (outcome: Effect.Effect<string, PaymentError.OperationError>) => () =>
        Effect.zipRight(
          Ref.update(sent, (n) => n + 1),
          outcome
        )
      const first = yield* Effect.flip(HttpPolicy.execute(unkeyed(inDoubt), attempt(Effect.fail(lostOnce))))
      assert.strictEqual(first._tag, "OutcomeUnknown")
      const again = yield* Effect.flip(HttpPolicy.execute(unkeyed(inDoubt), attempt(Effect.succeed("sent"))))
      assert.strictEqual(again._tag, "OutcomeUnknown")
      assert.strictEqual(yield* Ref.get(sent), 1)
      yield* TestClock.adjust("61 seconds")
      assert.strictEqual(yield* HttpPolicy.execute(unkeyed(inDoubt), attempt(Effect.succeed("sent"))), "sent")
      assert.strictEqual(yield* Ref.get(sent), 2)
    })
  )
})
