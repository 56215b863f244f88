/**
 * The payment and refund state machines, as data.
 *
 * `paymentTransitions` lists, for each status, the statuses it may move to. The in-memory
 * provider, the contract suite and every adapter's merge of webhook and sync observations read
 * this one table. The graph has no cycles, so "may reach" is a partial order and merging is
 * monotone. Terminal statuses (`Captured`, `Voided`, `Failed`, `Expired`) absorb: nothing
 * leaves them (refunds move the ledger, not the status). `Unknown` is where a payment starts when
 * the library cannot tell whether the provider acted; nothing moves back into it.
 *
 * Merges are monotone: merging an observation that is behind (a stale `Processing` webhook
 * after `Captured`) keeps the newer status, and ledgers merge by component-wise maximum.
 *
 * @since 0.1.0
 */
import * as Ledger from "./Ledger.js"
import { Payment, type StatusTag } from "./Payment.js"
import * as Processor from "./Processor.js"
import type { Refund, StatusTag as RefundStatusTag } from "./Refund.js"

/**
 * For each payment status, the statuses it may move to. A status may always be observed again
 * (same tag) with a grown ledger, e.g. a second partial capture.
 *
 * @since 0.1.0
 * @category payments
 */
export const paymentTransitions: { readonly [S in StatusTag]: ReadonlyArray<StatusTag> } = {
  Unknown: [
    "RequiresAction",
    "Processing",
    "Authorized",
    "PartiallyCaptured",
    "Captured",
    "Voided",
    "Failed",
    "Expired"
  ],
  RequiresAction: ["Processing", "Authorized", "Captured", "Failed", "Expired"],
  Processing: ["Authorized", "Captured", "Failed", "Expired"],
  Authorized: ["PartiallyCaptured", "Captured", "Voided", "Expired"],
  PartiallyCaptured: ["Captured"],
  Captured: [],
  Voided: [],
  Failed: [],
  Expired: []
}

/**
 * Every payment status tag.
 *
 * @since 0.1.0
 * @category payments
 */
export const paymentStatuses = Object.keys(paymentTransitions) as ReadonlyArray<StatusTag>

/**
 * The statuses a payment can be created in: a sale or hold may need action, be processing,
 * succeed at once, fail at once, or (when the library could not tell) be `Unknown`.
 *
 * @since 0.1.0
 * @category payments
 */
export const initialStatuses: ReadonlyArray<StatusTag> = [
  "RequiresAction",
  "Processing",
  "Authorized",
  "Captured",
  "Failed",
  "Unknown"
]

/**
 * Operations on an existing payment.
 *
 * @since 0.1.0
 * @category payments
 */
export type Operation = "capture" | "void" | "refund" | "authenticate"

/**
 * The statuses from which each operation may be attempted: data for providers and preflight
 * checks. Repeating a status (a second void) is not an operation the table allows.
 *
 * @since 0.1.0
 * @category payments
 */
export const operations: { readonly [O in Operation]: ReadonlyArray<StatusTag> } = {
  capture: ["Authorized", "PartiallyCaptured"],
  void: ["Authorized"],
  refund: ["PartiallyCaptured", "Captured"],
  authenticate: ["RequiresAction"]
}

/**
 * Whether `operation` may be attempted on a payment in `status`.
 *
 * @since 0.1.0
 * @category payments
 */
export const allows = (operation: Operation, status: StatusTag): boolean => operations[operation].includes(status)

/**
 * Statuses nothing leaves.
 *
 * @since 0.1.0
 * @category payments
 */
export const isTerminal = (status: StatusTag): boolean => paymentTransitions[status].length === 0

/**
 * Whether a payment may move from `from` to `to` in one step (a repeat of the same status is allowed).
 *
 * @since 0.1.0
 * @category payments
 */
export const canTransition = (from: StatusTag, to: StatusTag): boolean =>
  from === to || paymentTransitions[from].includes(to)

/**
 * Whether `to` can be reached from `from` in any number of steps.
 *
 * @since 0.1.0
 * @category payments
 */
export const isReachable = (from: StatusTag, to: StatusTag): boolean => {
  const seen = new Set<StatusTag>([from])
  const queue: Array<StatusTag> = [from]
  while (queue.length > 0) {
    const next = queue.shift() as StatusTag
    if (next === to) return true
    for (const candidate of paymentTransitions[next]) {
      if (!seen.has(candidate)) {
        seen.add(candidate)
        queue.push(candidate)
      }
    }
  }
  return false
}

/**
 * The status tag a ledger implies for a payment past authorization: `Captured` when everything
 * authorized was captured, `PartiallyCaptured` when some was, `Authorized` otherwise.
 *
 * @since 0.1.0
 * @category payments
 */
export const statusForLedger = (ledger: Ledger.Ledger): "Authorized" | "PartiallyCaptured" | "Captured" =>
  ledger.captured.amount === 0
    ? "Authorized"
    : ledger.captured.amount >= ledger.authorized.amount
      ? "Captured"
      : "PartiallyCaptured"

/**
 * Merges two observations of the same payment (e.g. what a sync returned and what a webhook
 * said). The incoming status wins only if the current one may reach it; otherwise the incoming
 * observation is stale and the current status stays. Ledgers merge by maximum. Processor details
 * merge field by field, the winning observation's first: one that lacks them never erases them.
 * Monotone: `merge(merge(a, b), a)` equals `merge(a, b)`.
 *
 * @since 0.1.0
 * @category payments
 */
export const mergePayment = (current: Payment, incoming: Payment): Payment => {
  const ledger = Ledger.merge(current.ledger, incoming.ledger)
  const forward = current.status._tag === incoming.status._tag || isReachable(current.status._tag, incoming.status._tag)
  const [winner, other] = forward ? [incoming, current] : [current, incoming]
  const processor = Processor.merge(other.processor, winner.processor)
  return Payment.make({ ...winner, ledger, ...(processor === undefined ? {} : { processor }) })
}

/**
 * For each refund status, the statuses it may move to.
 *
 * @since 0.1.0
 * @category refunds
 */
export const refundTransitions: { readonly [S in RefundStatusTag]: ReadonlyArray<RefundStatusTag> } = {
  Unknown: ["Pending", "Succeeded", "Failed"],
  Pending: ["Succeeded", "Failed"],
  Succeeded: [],
  Failed: []
}

/**
 * Merges two observations of the same refund: the incoming status wins only if the current one
 * may move to it.
 *
 * @since 0.1.0
 * @category refunds
 */
export const mergeRefund = (current: Refund, incoming: Refund): Refund =>
  current.status._tag === incoming.status._tag || refundTransitions[current.status._tag].includes(incoming.status._tag)
    ? incoming
    : current
