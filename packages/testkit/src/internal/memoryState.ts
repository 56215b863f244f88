/**
 * The in-memory provider's state and its pure transitions. Every change is a function from the
 * state (and the time, read from `Clock` by the caller) to a result and the next state, run inside
 * one `Ref.modify`, so concurrent calls serialise without locks and idempotency checks cannot race.
 */
import type { Customer } from "@payport/core/Customer"
import type { CustomerId } from "@payport/core/Ids"
import type { Instrument } from "@payport/core/Instrument"
import type { Payment } from "@payport/core/Payment"
import type { DeclineCode, OperationError } from "@payport/core/PaymentError"
import type { CardExpiry, CardNetwork } from "@payport/core/PaymentMethod"
import type { Refund } from "@payport/core/Refund"
import type { WebhookEvent } from "@payport/core/WebhookEvent"
import type * as Either from "effect/Either"
import * as HashMap from "effect/HashMap"

/** What a card payment keeps about the card: never the number, only what saving it needs. */
export interface CardFacts {
  readonly hash: string
  readonly last4: string
  readonly network: CardNetwork
  readonly expiry: CardExpiry
  readonly holder?: string | undefined
}

/** What completing a payment's action will do. */
export type Outcome = { readonly _tag: "Succeed" } | { readonly _tag: "Decline"; readonly code: DeclineCode }

export interface PaymentRecord {
  readonly seq: number
  readonly payment: Payment
  readonly outcome: Outcome
  readonly card?: CardFacts | undefined
  readonly saveFor?: CustomerId | undefined
  readonly resends: number
  /** Whether the payment asked for 3-D Secure (so completing it again is a replay, not a mistake). */
  readonly threeDs?: boolean | undefined
  /** What the payer did at the 3-D Secure challenge, before the merchant completes. */
  readonly payer?: Outcome | undefined
}

export interface InstrumentRecord {
  readonly seq: number
  readonly instrument: Instrument
  readonly cardHash: string
  readonly tokenPan: string
  readonly version: number
  readonly deleted: boolean
}

/** A stored idempotent result: the request's fingerprint and what it returned. */
export interface Stored {
  readonly fingerprint: string
  readonly result: Either.Either<unknown, OperationError>
}

export interface State {
  readonly counter: number
  readonly random: number
  readonly payments: HashMap.HashMap<string, PaymentRecord>
  readonly refunds: HashMap.HashMap<string, { readonly seq: number; readonly refund: Refund }>
  readonly instruments: HashMap.HashMap<string, InstrumentRecord>
  readonly customers: HashMap.HashMap<string, Customer>
  readonly idempotency: HashMap.HashMap<string, Stored>
  readonly events: ReadonlyArray<WebhookEvent>
}

export const initial = (seed: number): State => ({
  counter: 0,
  random: seed | 0,
  payments: HashMap.empty(),
  refunds: HashMap.empty(),
  instruments: HashMap.empty(),
  customers: HashMap.empty(),
  idempotency: HashMap.empty(),
  events: []
})

/** A transition: the result and the next state. */
export type Tx<A> = (state: State, now: number) => readonly [Either.Either<A, OperationError>, State]

/** The next sequence number and an id built from it, e.g. `pay_000007`. */
export const nextId = (state: State, prefix: string): readonly [id: string, seq: number, state: State] => {
  const seq = state.counter + 1
  return [`${prefix}_${String(seq).padStart(6, "0")}`, seq, { ...state, counter: seq }]
}
