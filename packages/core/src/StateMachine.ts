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
import * as Either from "effect/Either"
import * as Ledger from "./Ledger.js"
import * as Money from "./Money.js"
import { Payment, type StatusTag } from "./Payment.js"
import { InvalidState, ValidationError } from "./PaymentError.js"
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
 * Who is asking, for the errors `require` raises.
 *
 * @since 0.1.0
 * @category preconditions
 */
export interface Context {
  readonly provider?: string
  readonly operation?: string
}

/**
 * Why an operation may not run on a payment: `ValidationError` (field `amount.currency`) when the
 * amount is in another currency than the payment — mixing currencies is an input error, as in
 * `Money.add` — and `InvalidState` when the payment's status or ledger does not allow it.
 *
 * @since 0.1.0
 * @category preconditions
 */
export type Refusal = InvalidState | ValidationError

const verbs: { readonly [O in Operation]: string } = {
  capture: "capture",
  void: "void",
  refund: "refund",
  authenticate: "authenticate"
}

/**
 * Whether `operation` may run on `payment` (for `amount`, when it moves money): the one rule every
 * port, adapter and the in-memory provider apply before sending a mutation, and the one that
 * explains a provider's refusal.
 *
 * Checked in this order: the amount's currency equals the payment's (`ValidationError`, field
 * `amount.currency`); the status allows the operation (`operations`; a void after any capture says
 * to refund instead); the amount is within what is still capturable or refundable (`InvalidState`).
 * A positive amount is the request validation's job and is not repeated here.
 *
 * @example
 * ```ts
 * import * as Ledger from "@payport/core/Ledger"
 * import * as Money from "@payport/core/Money"
 * import { MethodSummary, Payment } from "@payport/core/Payment"
 * import { OrderReference, PaymentId, PaymentRef } from "@payport/core/Ids"
 * import * as StateMachine from "@payport/core/StateMachine"
 * import * as DateTime from "effect/DateTime"
 * import * as Either from "effect/Either"
 * import { strictEqual } from "node:assert"
 *
 * const held = Payment.make({
 *   ref: PaymentRef.make({ provider: "example", paymentId: PaymentId.make("pay_1") }),
 *   reference: OrderReference.make("order-1"),
 *   amount: Money.unsafeMake(10_000, "INR"),
 *   ledger: Ledger.authorized(Money.unsafeMake(10_000, "INR")),
 *   captureMode: "manual",
 *   method: MethodSummary.make({ kind: "Card", display: "•••• 1111" }),
 *   status: { _tag: "Authorized" },
 *   createdAt: DateTime.unsafeMake(0)
 * })
 * strictEqual(Either.isRight(StateMachine.require("capture", held, Money.unsafeMake(4_000, "INR"))), true)
 *
 * // A USD capture on an INR hold is refused before anything is sent, never captured as rupees.
 * const usd = StateMachine.require("capture", held, Money.unsafeMake(4_000, "USD"))
 * strictEqual(Either.isLeft(usd) && usd.left._tag, "ValidationError")
 *
 * // Refunding a hold: nothing was captured.
 * const refund = StateMachine.require("refund", held, Money.unsafeMake(100, "INR"))
 * strictEqual(Either.isLeft(refund) && refund.left._tag, "InvalidState")
 * ```
 *
 * @since 0.1.0
 * @category preconditions
 */
export const require = (
  operation: Operation,
  payment: Payment,
  amount?: Money.Money,
  context?: Context
): Either.Either<void, Refusal> => {
  const where = {
    ...(context?.provider === undefined ? {} : { provider: context.provider }),
    ...(context?.operation === undefined ? {} : { operation: context.operation })
  }
  const verb = verbs[operation]
  if (amount !== undefined && amount.currency !== payment.amount.currency) {
    return Either.left(
      new ValidationError({
        ...where,
        field: "amount.currency",
        reason: `cannot mix ${amount.currency} and ${payment.amount.currency}: a ${verb} in ${amount.currency} on a ${payment.amount.currency} payment`
      })
    )
  }
  const status = payment.status._tag
  if (!allows(operation, status) || (operation === "void" && payment.ledger.captured.amount > 0)) {
    const reason =
      operation === "void" && payment.ledger.captured.amount > 0
        ? "the payment was captured; refund it instead"
        : `cannot ${verb} a ${status} payment`
    return Either.left(new InvalidState({ ...where, reason }))
  }
  if (amount === undefined) return Either.void
  const left =
    operation === "capture" ? payment.ledger.capturable : operation === "refund" ? payment.ledger.refundable : undefined
  if (left !== undefined && amount.amount > left) {
    const still = Money.toDecimal(Money.unsafeMake(left, amount.currency))
    return Either.left(
      new InvalidState({
        ...where,
        reason: `${verb} of ${Money.toDecimal(amount)} ${amount.currency} exceeds the ${still} still ${operation === "capture" ? "capturable" : "refundable"}`
      })
    )
  }
  return Either.void
}

/**
 * `require` bound to one request: what core's ports hand an adapter's mutation, to run on the
 * payment the adapter has read (or holds) before it sends anything.
 *
 * @since 0.1.0
 * @category preconditions
 */
export type Guard = (payment: Payment) => Either.Either<void, Refusal>

/**
 * A `Guard` for `operation` with `amount` (when the request names one).
 *
 * @since 0.1.0
 * @category preconditions
 */
export const guard =
  (operation: Operation, amount?: Money.Money, context?: Context): Guard =>
  (payment) =>
    require(operation, payment, amount, context)

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
