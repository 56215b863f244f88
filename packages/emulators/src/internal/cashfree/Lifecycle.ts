/**
 * The Cashfree state machines, as the documents describe them:
 *
 * - order: `ACTIVE` → `PAID` (one successful attempt) | `EXPIRED` (past `order_expiry_time`) |
 *   `TERMINATED` (PATCH). Only an `ACTIVE` order takes payments.
 * - payment attempt: `PENDING` → `SUCCESS` | `FAILED` | `USER_DROPPED`; an attempt left pending
 *   when another one pays the order becomes `CANCELLED`. Terminal states absorb.
 * - pre-authorisation (orders with `order_note: "preauth_transaction"`, or UPI `authorize_only`):
 *   a successful attempt holds the money (`payment_status` `SUCCESS`, `is_captured: false`,
 *   `payment_message` `PRE_AUTH|…`); exactly one CAPTURE (full or partial) or VOID follows, within
 *   seven days, after which the hold is released (`VOID`).
 * - refund: `PENDING` → `SUCCESS` after `refundProcessingMs`.
 *
 * Every change a merchant would hear about emits its webhook. Time comes from the emulator's
 * clock; due changes are applied by `advance` (called before every request and by timers).
 */
import { createHash } from "node:crypto"
import { luhnCheckDigit } from "../../Prng.js"
import * as SandboxData from "./SandboxData.js"
import type { Instrument, Order, Payment, State } from "./State.js"
import { paymentsOf } from "./State.js"
import type * as WebhookEvents from "./WebhookEvents.js"

/** Seven days: how long a pre-authorisation can be captured or voided. */
export const PREAUTH_WINDOW_MS = 7 * 24 * 60 * 60 * 1000

/** State transitions. */
export interface Lifecycle {
  /** Ends a `PENDING` attempt with `outcome` (no-op for any other status). */
  readonly complete: (payment: Payment, outcome: SandboxData.Outcome, now: number) => void
  readonly capture: (payment: Payment, amount: number, now: number) => void
  readonly voidHold: (payment: Payment, now: number) => void
  /** Applies every change that is due at `now` (cheap when nothing is due). */
  readonly advance: (now: number) => void
  /** Notes that something becomes due at `at`, so `advance` does not skip it. */
  readonly due: (at: number) => void
}

/** Dependencies of the lifecycle. */
export interface Options {
  readonly state: State
  readonly events: WebhookEvents.Emitter
}

const saveInstrument = (state: State, order: Order, payment: Payment, now: number): Instrument | undefined => {
  const card = payment.save
  if (card === undefined) return undefined
  const customerId = order.customer.customer_id
  const uid = createHash("sha256").update(`${customerId}:${card.number}`).digest("hex")
  for (const existing of state.instruments.values()) {
    if (existing.uid === uid && existing.status === "ACTIVE") return undefined
  }
  const profile = SandboxData.cardProfile(card.number)
  const prefix = SandboxData.tokenBins[profile.network]
  const partial = `${prefix}${state.prng.digits(15 - prefix.length)}`
  const instrument: Instrument = {
    instrumentId: state.prng.uuid(),
    customerId,
    afaReference: payment.cfPaymentId,
    uid,
    display: `${"x".repeat(Math.max(0, card.number.length - 4))}${card.number.slice(-4)}`,
    status: "ACTIVE",
    createdAt: now,
    network: profile.network,
    cardType: profile.type,
    cardNumber: card.number,
    expiryMm: card.expiryMm,
    expiryYy: card.expiryYy,
    tokenPan: `${partial}${luhnCheckDigit(partial)}`,
    tokenExpiryMm: card.expiryMm,
    tokenExpiryYyyy: String(new Date(now).getUTCFullYear() + 3),
    tokenRequestorId: state.prng.digits(11),
    par: `V001${state.prng.chars(25, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")}`
  }
  state.instruments.set(instrument.instrumentId, instrument)
  return instrument
}

/** The lifecycle over `state`, emitting through `events`. */
export const make = ({ events, state }: Options): Lifecycle => {
  // The earliest time anything may change by itself; `advance` scans only once it has passed, so
  // a request costs O(1) however many orders exist.
  let nextDue = Number.POSITIVE_INFINITY
  const due = (at: number): void => {
    if (at < nextDue) nextDue = at
  }
  const complete = (payment: Payment, outcome: SandboxData.Outcome, now: number): void => {
    if (payment.status !== "PENDING") return
    const order = state.orders.get(payment.orderId)
    if (order === undefined) return
    payment.completedAt = now
    payment.autoCompleteAt = undefined
    switch (outcome._tag) {
      case "success": {
        if (order.status !== "ACTIVE") {
          payment.status = "CANCELLED"
          payment.message = "Order is no longer active"
          return
        }
        payment.status = "SUCCESS"
        payment.charged = true
        payment.bankReference = state.prng.digits(12)
        payment.authId = payment.kind === "card" || payment.kind === "emi" ? `A${state.prng.digits(6)}` : null
        if (payment.kind === "card" || payment.kind === "emi") payment.networkReference = state.prng.digits(15)
        if (payment.preauth) {
          payment.message = "PRE_AUTH|Transaction Success"
          payment.isCaptured = false
          payment.authorization = {
            action: null,
            status: null,
            capturedAmount: 0,
            startTime: now,
            endTime: now + PREAUTH_WINDOW_MS,
            approveBy: null,
            actionReference: null,
            actionTime: null
          }
          due(now + PREAUTH_WINDOW_MS)
        } else {
          payment.message = "Transaction successful"
          payment.isCaptured = true
        }
        order.status = "PAID"
        for (const other of paymentsOf(state, order)) {
          if (other !== payment && other.status === "PENDING") {
            other.status = "CANCELLED"
            other.message = "Order paid by another attempt"
            other.completedAt = now
            other.autoCompleteAt = undefined
          }
        }
        const saved = saveInstrument(state, order, payment, now)
        events.payment(order, payment)
        if (saved !== undefined) events.instrumentActive(order, saved)
        return
      }
      case "failed":
      case "dropped": {
        payment.status = outcome._tag === "failed" ? "FAILED" : "USER_DROPPED"
        payment.message = outcome.message
        payment.error = outcome.error
        events.payment(order, payment)
        return
      }
    }
  }

  const capture = (payment: Payment, amount: number, now: number): void => {
    const hold = payment.authorization
    if (hold === undefined) return
    hold.action = "CAPTURE"
    hold.status = "SUCCESS"
    hold.capturedAmount = amount
    hold.actionReference = state.prng.digits(22)
    hold.actionTime = now
    payment.isCaptured = true
    payment.message = "PRE_AUTH|Transaction Success"
  }

  const voidHold = (payment: Payment, now: number): void => {
    const hold = payment.authorization
    if (hold === undefined) return
    hold.action = "VOID"
    hold.status = "SUCCESS"
    hold.actionReference = state.prng.digits(22)
    hold.actionTime = now
    payment.status = "VOID"
    payment.message = "PRE_AUTH|Transaction Voided"
  }

  const advance = (now: number): void => {
    if (now < nextDue) return
    nextDue = Number.POSITIVE_INFINITY
    for (const order of state.orders.values()) {
      if (order.status === "ACTIVE" && order.expiresAt <= now) order.status = "EXPIRED"
      else if (order.status === "ACTIVE") due(order.expiresAt)
    }
    for (const payment of state.payments.values()) {
      if (payment.status === "PENDING" && payment.autoCompleteAt !== undefined && payment.autoCompleteAt <= now) {
        complete(payment, payment.approval, now)
      } else if (payment.status === "PENDING" && payment.autoCompleteAt !== undefined) due(payment.autoCompleteAt)
      const hold = payment.authorization
      if (payment.status === "SUCCESS" && hold !== undefined && hold.action === null) {
        if (hold.endTime <= now) {
          voidHold(payment, hold.endTime)
          payment.message = "PRE_AUTH|Authorization expired"
        } else due(hold.endTime)
      }
    }
    for (const refund of state.refunds.values()) {
      if (refund.status === "PENDING" && refund.dueAt <= now) {
        refund.status = "SUCCESS"
        refund.processedAt = now
        refund.arn = `ARN${state.prng.digits(10)}`
        const order = state.orders.get(refund.orderId)
        if (order !== undefined) events.refund(order, refund)
      } else if (refund.status === "PENDING") due(refund.dueAt)
    }
  }

  return { complete, capture, voidHold, advance, due }
}
