/**
 * The operations a caller runs, and the two retry disciplines it may follow, written only against
 * `@payport/core`'s public ports as the root README shows them. Each step records what the caller
 * concluded (applied, unknown, not applied) and how it got there; nothing here looks at the
 * provider's truth.
 *
 * Disciplines, both bounded to `MAX_ATTEMPTS` calls per step with one idempotency key:
 *
 * - `sync-then-retry` (the README's): an error whose advice is `same-key` is retried with the same
 *   key; `OutcomeUnknown` is followed by a sync (`Payments.list` by reference for a sale or hold,
 *   `Payments.get` for a capture or refund), and the call is retried with the same key only if
 *   the sync finds nothing; a sync that cannot complete leaves the step unknown.
 * - `same-key-retry`: `same-key` errors and `OutcomeUnknown` alike are retried at once with the
 *   same key, without syncing.
 *
 * Any other error ends the step, and the caller records it as a failure: a definite error says no
 * money moved, and `ProviderResponseInvalid` is recorded as the failure it is reported as.
 */
import { Authorization, Money, type Payment, PaymentMethod, Payments } from "@payport/core"
import type { OperationError } from "@payport/core/PaymentError"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import { currency, type Ports } from "./Providers.js"

/** The operation kinds. */
export const kinds = ["sale", "hold+capture", "sale+refund"] as const

/** One operation kind. */
export type Kind = (typeof kinds)[number]

/** The retry disciplines. */
export const disciplines = ["sync-then-retry", "same-key-retry"] as const

/** One retry discipline. */
export type Discipline = (typeof disciplines)[number]

/** The steps operations are made of. */
export type StepName = "sale" | "hold" | "capture" | "refund"

/**
 * What the caller concluded about a step: it applied (an answer, or a sync that found it), the
 * caller cannot know (`OutcomeUnknown` it could not resolve), it did not apply (any other error),
 * or the call crashed (a defect, or no answer within `OPERATION_TIMEOUT_MS`).
 */
export type Belief = "applied" | "unknown" | "not-applied" | "crashed"

/** One step as the caller saw it. */
export interface StepRecord {
  readonly step: StepName
  readonly belief: Belief
  /** `ok`, `ok after sync`, or the error that ended the step (`Defect`, `Timeout` for crashes). */
  readonly outcome: string
  readonly calls: number
  readonly syncReads: number
  /** Every error tag seen along the way, in order. */
  readonly errors: ReadonlyArray<string>
  /** For a crash: the cause, printed. */
  readonly defect?: string
}

/** One operation to run: its kind, discipline, reference and amounts (integer minor units). */
export interface Operation {
  /** `s<seed>-o<index>`: also the fault proxy's label for its requests. */
  readonly id: string
  readonly seed: number
  readonly index: number
  readonly lane: number
  readonly kind: Kind
  readonly discipline: Discipline
  readonly reference: string
  readonly amount: number
  /** The partial capture or refund. */
  readonly partial: number
}

/** An operation and what its caller concluded, step by step. */
export interface OperationRecord extends Operation {
  readonly steps: ReadonlyArray<StepRecord>
}

/** Calls per step, the first included. */
export const MAX_ATTEMPTS = 4

/** Reads one sync may make before the caller gives up on knowing. */
export const MAX_SYNC_READS = 4

/** An operation still running after this long is a hang, recorded as a crash. */
export const OPERATION_TIMEOUT_MS = 60_000

/** The sandbox card both emulators approve at once. */
const card = () => PaymentMethod.card({ number: "4111111111111111", expiry: { month: 12, year: 2030 }, cvv: "123" })

const customer = { id: "customer-42", phone: "9999999999" }

const money = (amount: number) => Money.unsafeMake(amount, currency)

type Attempt<A, R> = Effect.Effect<A, OperationError, R>

/** A sync: `Some` when the provider shows the step as done. */
type Sync<B, R> = Effect.Effect<Option.Option<B>, OperationError, R>

type SyncResult<B> =
  | { readonly _tag: "Found"; readonly value: B; readonly reads: number }
  | { readonly _tag: "Absent"; readonly reads: number }
  | { readonly _tag: "Failed"; readonly reads: number }
  | { readonly _tag: "Crashed"; readonly reads: number; readonly defect: string }

/** Reads until one read answers (reads are safe to repeat), at most `MAX_SYNC_READS` times. */
const syncUntilAnswered = <B, R>(sync: Sync<B, R>): Effect.Effect<SyncResult<B>, never, R> =>
  Effect.gen(function* () {
    for (let reads = 1; reads <= MAX_SYNC_READS; reads++) {
      const exit = yield* Effect.exit(sync)
      if (Exit.isSuccess(exit)) {
        return Option.isSome(exit.value)
          ? { _tag: "Found" as const, value: exit.value.value, reads }
          : { _tag: "Absent" as const, reads }
      }
      if (Option.isNone(Cause.failureOption(exit.cause))) {
        return { _tag: "Crashed" as const, reads, defect: Cause.pretty(exit.cause) }
      }
    }
    return { _tag: "Failed" as const, reads: MAX_SYNC_READS }
  })

interface StepResult<V> {
  readonly record: StepRecord
  readonly value: Option.Option<V>
}

/** Runs one step under `discipline`; the value is there when the caller believes the step applied. */
const runStep = <A, B, R, RS>(
  step: StepName,
  discipline: Discipline,
  attempt: Attempt<A, R>,
  sync: Sync<B, RS>
): Effect.Effect<StepResult<A | B>, never, R | RS> =>
  Effect.gen(function* () {
    const errors: Array<string> = []
    let syncReads = 0
    // Set once an attempt may have applied: a later transient error then says nothing about it.
    let ambiguous = false
    const end = (belief: Belief, outcome: string, calls: number, value: Option.Option<A | B>, defect?: string) => ({
      record: { step, belief, outcome, calls, syncReads, errors, ...(defect === undefined ? {} : { defect }) },
      value
    })
    for (let calls = 1; calls <= MAX_ATTEMPTS; calls++) {
      const exit = yield* Effect.exit(attempt)
      if (Exit.isSuccess(exit)) return end("applied", "ok", calls, Option.some(exit.value))
      const failure = Cause.failureOption(exit.cause)
      if (Option.isNone(failure)) return end("crashed", "Defect", calls, Option.none(), Cause.pretty(exit.cause))
      const error = failure.value
      errors.push(error._tag)
      if (error.retry === "same-key") continue
      if (error._tag !== "OutcomeUnknown") return end("not-applied", error._tag, calls, Option.none())
      ambiguous = true
      if (discipline === "same-key-retry") continue
      const synced = yield* syncUntilAnswered(sync)
      syncReads += synced.reads
      switch (synced._tag) {
        case "Found":
          return end("applied", "ok after sync", calls, Option.some(synced.value))
        case "Failed":
          return end("unknown", "OutcomeUnknown, sync failed", calls, Option.none())
        case "Crashed":
          return end("crashed", "Defect", calls, Option.none(), synced.defect)
        case "Absent":
          break
      }
    }
    const last = errors.at(-1) ?? "none"
    return ambiguous
      ? end("unknown", last === "OutcomeUnknown" ? last : `${last} after OutcomeUnknown`, MAX_ATTEMPTS, Option.none())
      : end("not-applied", last, MAX_ATTEMPTS, Option.none())
  })

/** The caller's own idempotency key for one step of one operation. */
const keyOf = (op: Operation, step: StepName) => `faults-${op.id}-${step}`

/** A sale or hold, synced by listing the reference's payments (a failed attempt is not the sale). */
const create = (op: Operation, step: "sale" | "hold") => {
  const input = {
    reference: op.reference,
    amount: money(op.amount),
    method: card(),
    customer,
    idempotencyKey: keyOf(op, step)
  }
  const attempt: Attempt<Payment.Payment, Ports> =
    step === "sale" ? Payments.create(input) : Authorization.authorize(input)
  const sync = Effect.map(Payments.list(op.reference), (payments) =>
    Option.fromNullable(payments.find((payment) => payment.status._tag !== "Failed"))
  )
  return runStep(step, op.discipline, attempt, sync)
}

/** A partial capture of the hold, synced by reading the payment's ledger. */
const capture = (op: Operation, payment: Payment.Payment) =>
  runStep(
    "capture",
    op.discipline,
    Authorization.capture({ payment: payment.ref, amount: money(op.partial), idempotencyKey: keyOf(op, "capture") }),
    Effect.map(Payments.get(payment.ref), (now) =>
      now.ledger.captured.amount >= op.partial ? Option.some(now) : Option.none()
    )
  )

/** A partial refund of the sale, synced by reading the payment's ledger. */
const refund = (op: Operation, payment: Payment.Payment) =>
  runStep(
    "refund",
    op.discipline,
    Payments.refund({ payment: payment.ref, amount: money(op.partial), idempotencyKey: keyOf(op, "refund") }),
    Effect.map(Payments.get(payment.ref), (now) =>
      now.ledger.refunded.amount >= op.partial ? Option.some(now) : Option.none()
    )
  )

const firstStep = (op: Operation): "sale" | "hold" => (op.kind === "hold+capture" ? "hold" : "sale")

/** Runs every step of `op` (the second only once the first applied) and records what the caller concluded. */
export const run = (op: Operation): Effect.Effect<OperationRecord, never, Ports> =>
  Effect.gen(function* () {
    const first = yield* create(op, firstStep(op))
    const steps: Array<StepRecord> = [first.record]
    // The first step's value is the created payment, whether from its answer or from the sync.
    if (op.kind !== "sale" && Option.isSome(first.value)) {
      const payment = first.value.value
      const second = yield* op.kind === "hold+capture" ? capture(op, payment) : refund(op, payment)
      steps.push(second.record)
    }
    return { ...op, steps }
  }).pipe(
    Effect.timeoutTo({
      duration: OPERATION_TIMEOUT_MS,
      onSuccess: (record): OperationRecord => record,
      onTimeout: (): OperationRecord => ({
        ...op,
        steps: [
          {
            step: firstStep(op),
            belief: "crashed",
            outcome: "Timeout",
            calls: 0,
            syncReads: 0,
            errors: [],
            defect: "hang"
          }
        ]
      })
    })
  )

/** The operation a caller's outcome is summarised as: `ok`, `ok after sync`, or `<step>: <outcome>`. */
export const outcomeOf = (record: OperationRecord): string => {
  const failed = record.steps.find((step) => step.belief !== "applied")
  if (failed !== undefined) return `${failed.step}: ${failed.outcome}`
  return record.steps.some((step) => step.outcome === "ok after sync") ? "ok after sync" : "ok"
}
