/**
 * Compares what a caller concluded with what the provider holds, read from the emulator's HTTP
 * truth endpoint (`GET /__payport/truth?reference=…`, integer minor units, never faulted). Each
 * operation has its own reference, so the truth for the reference is the truth for the operation.
 *
 * The four counts that must be zero:
 * - duplicate: more than one charge, capture or refund for one operation;
 * - lost: the caller believes a step applied, and the provider has nothing for it (or another amount);
 * - misreported: the caller recorded a failure (a definite error, or `ProviderResponseInvalid`)
 *   for a step the provider applied;
 * - crash: a defect or a hang in a call (unhandled rejections are counted per run).
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type { OperationRecord, StepName, StepRecord } from "./Operations.js"

/** The fields of the truth endpoint's answer this audit reads. */
export const Truth = Schema.Struct({
  charges: Schema.Int,
  captures: Schema.Int,
  captured: Schema.NullOr(Schema.Int),
  refunds: Schema.Int,
  refunded: Schema.NullOr(Schema.Int)
})

/** What the provider holds for one reference. */
export type Truth = typeof Truth.Type

/** Reads the truth for `reference` straight from the emulator. */
export const readTruth = (truthUrl: string, reference: string): Effect.Effect<Truth> =>
  Effect.promise(() =>
    fetch(`${truthUrl}?reference=${encodeURIComponent(reference)}`).then((response) => response.json())
  ).pipe(Effect.flatMap(Schema.decodeUnknown(Truth)), Effect.orDie)

/** Which of the four counts an operation adds to, and why, in words. */
export interface Verdict {
  readonly duplicateCharges: number
  readonly duplicateCaptures: number
  readonly duplicateRefunds: number
  readonly lost: number
  readonly misreported: number
  readonly crashed: number
  readonly notes: ReadonlyArray<string>
}

const stepOf = (record: OperationRecord, name: StepName): StepRecord | undefined =>
  record.steps.find((step) => step.step === name)

/** Judges one operation against the truth for its reference. */
export const judge = (record: OperationRecord, truth: Truth): Verdict => {
  const notes: Array<string> = []
  const seen = `truth: ${truth.charges} charges, ${truth.captures} captures (${truth.captured ?? 0}), ${truth.refunds} refunds (${truth.refunded ?? 0})`
  const first = record.steps[0]
  const capture = stepOf(record, "capture")
  const refund = stepOf(record, "refund")

  // A sale is itself one capture, so a second capture of a sale is a second sale (counted as a
  // duplicate charge); only a hold's captures can be duplicated on their own.
  const duplicateCharges = truth.charges > 1 ? 1 : 0
  const duplicateCaptures = record.kind === "hold+capture" && truth.captures > 1 ? 1 : 0
  const duplicateRefunds = truth.refunds > 1 ? 1 : 0
  if (duplicateCharges + duplicateCaptures + duplicateRefunds > 0) notes.push(`duplicate: ${seen}`)

  let lost = 0
  let misreported = 0
  const check = (step: StepRecord | undefined, count: number, amount: number | null, expected: number) => {
    if (step === undefined) return
    if (step.belief === "applied" && count === 0) {
      lost = 1
      notes.push(`lost: ${step.step} ${step.outcome}, ${seen}`)
    } else if (step.belief === "applied" && count === 1 && amount !== expected) {
      lost = 1
      notes.push(`lost: ${step.step} ${step.outcome} for ${expected}, ${seen}`)
    } else if (step.belief === "not-applied" && count > 0) {
      misreported = 1
      notes.push(`misreported: ${step.step} ${step.outcome} [${step.errors.join(" → ")}], ${seen}`)
    }
  }
  check(
    first,
    truth.charges,
    truth.charges === 1 && record.kind !== "hold+capture" ? truth.captured : record.amount,
    record.amount
  )
  check(capture, truth.captures, truth.captured, record.partial)
  check(refund, truth.refunds, truth.refunded, record.partial)

  const crashedStep = record.steps.find((step) => step.belief === "crashed")
  if (crashedStep !== undefined)
    notes.push(`crash: ${crashedStep.step} ${crashedStep.outcome}: ${crashedStep.defect ?? ""}`)
  return {
    duplicateCharges,
    duplicateCaptures,
    duplicateRefunds,
    lost,
    misreported,
    crashed: crashedStep === undefined ? 0 : 1,
    notes
  }
}
