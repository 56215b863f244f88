/**
 * A payment that waited on 3-D Secure, read as one payment under the ref `create` returned.
 *
 * At CyberSource the payment `create` answered (`PENDING_AUTHENTICATION`, id X) and the final
 * authorization its completion made (id Y, `completion.ts`) are two transactions. Y carries X's
 * merchant reference and, in its merchant-defined data, the id of X (`payerAuthentication.ts`), so
 * any process finds it by Transaction Search from X alone. Reads merge the two: X's ref, Y's
 * state, ledger and follow-ons; captures, reversals and refunds act on Y
 * (`PaymentRecord.authorization`).
 */
import type { Payment } from "@payport/core/Payment"
import { Payment as PaymentClass } from "@payport/core/Payment"
import type { OperationError } from "@payport/core/PaymentError"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type { Service } from "../CyberSourceClient.js"
import * as Mapping from "./mapping.js"
import * as PayerAuthentication from "./payerAuthentication.js"
import { type PaymentRecord, readPayment, transaction } from "./records.js"
import { listRecords, search } from "./search.js"

/** Whether a payment waits on the payer's 3-D Secure step (`PENDING_AUTHENTICATION`). */
export const isWaiting = (record: PaymentRecord): boolean =>
  Mapping.statusClass(record.details.status ?? record.details.applicationInformation?.status ?? "") === "challenge"

/** A waiting payment `x` as its final authorization `y` left it, under `x`'s ref. */
const merged = (x: PaymentRecord, y: PaymentRecord): PaymentRecord => ({
  ...y,
  payment: PaymentClass.make({
    ...y.payment,
    ref: x.payment.ref,
    method: x.payment.method,
    createdAt: x.payment.createdAt
  }),
  tag: x.tag,
  details: x.details
})

/**
 * The final authorization of the waiting payment `x`, if one was made: the records of `x`'s
 * merchant reference whose merchant-defined data names `x`. (Transaction Search lags: right after
 * the completion it may not show yet.)
 */
const completionOf = (
  client: Service,
  x: PaymentRecord,
  operation: string
): Effect.Effect<Option.Option<PaymentRecord>, OperationError> =>
  Effect.gen(function* () {
    const id = x.payment.ref.paymentId
    const summaries = yield* search(client, x.payment.reference, operation)
    for (const summary of summaries) {
      if (summary.id === id) continue
      const candidate = yield* transaction(client, summary.id, operation, "payment")
      if (PayerAuthentication.completesOf(candidate.details) === id) {
        return Option.some(yield* readPayment(client, summary.id, operation))
      }
    }
    return Option.none()
  })

/**
 * A payment by id as one payment: a payment that waited on 3-D Secure with its final
 * authorization merged in, and a final authorization read as the payment it completes.
 */
export const readResolved = (
  client: Service,
  id: string,
  operation: string
): Effect.Effect<PaymentRecord, OperationError> =>
  Effect.gen(function* () {
    const record = yield* readPayment(client, id, operation)
    const completes = PayerAuthentication.completesOf(record.details)
    if (completes !== undefined) return merged(yield* readPayment(client, completes, operation), record)
    if (!isWaiting(record)) return record
    const completion = yield* completionOf(client, record, operation)
    return Option.match(completion, { onNone: () => record, onSome: (y) => merged(record, y) })
  })

/** The payments of a merchant reference, each once: final authorizations merged into the payments they complete. */
export const listResolved = (
  client: Service,
  reference: string,
  operation: string
): Effect.Effect<ReadonlyArray<Payment>, OperationError> =>
  Effect.map(listRecords(client, reference, operation), (records) =>
    records.flatMap((record) => {
      if (PayerAuthentication.completesOf(record.details) !== undefined) return []
      const id = record.payment.ref.paymentId
      const y = records.find((r) => PayerAuthentication.completesOf(r.details) === id)
      return [y === undefined ? record.payment : merged(record, y).payment]
    })
  )
