/**
 * The Cashfree emulator's state: orders, payments (attempts), refunds, saved instruments,
 * customers and simulations, as plain mutable records in maps. Amounts are integer minor units;
 * times are epoch milliseconds from the emulator's clock. Only the lifecycle module and the route
 * handlers change these records, always synchronously inside one request, so no two requests
 * interleave a change.
 */
import type { CurrencyCode } from "@payport/core/Currency"
import * as Prng from "../../Prng.js"
import type { ErrorDetails, Network, Outcome } from "./SandboxData.js"
import type { Version } from "./Versions.js"

/** `order_status`. */
export type OrderStatus = "ACTIVE" | "PAID" | "EXPIRED" | "TERMINATED" | "TERMINATION_REQUESTED"

/** `payment_status`. */
export type PaymentStatus = "SUCCESS" | "NOT_ATTEMPTED" | "FAILED" | "USER_DROPPED" | "VOID" | "CANCELLED" | "PENDING"

/** `refund_status`. */
export type RefundStatus = "SUCCESS" | "PENDING" | "CANCELLED" | "ONHOLD" | "FAILED"

/** `customer_details` as sent on the order. */
export interface CustomerDetails {
  readonly customer_id: string
  readonly customer_phone: string
  readonly customer_email?: string
  readonly customer_name?: string
  readonly customer_bank_account_number?: string
  readonly customer_bank_ifsc?: string
  readonly customer_bank_code?: number
  readonly customer_uid?: string
}

/** An order. */
export interface Order {
  readonly cfOrderId: number
  readonly orderId: string
  readonly currency: CurrencyCode
  readonly amount: number
  status: OrderStatus
  readonly paymentSessionId: string
  readonly createdAt: number
  readonly expiresAt: number
  readonly note: string | null
  readonly tags: Readonly<Record<string, string>> | null
  readonly customer: CustomerDetails
  readonly returnUrl: string | null
  readonly notifyUrl: string | null
  readonly paymentMethods: string | null
  /** `order_splits` as sent (echoed back). */
  readonly splits: ReadonlyArray<unknown>
  /** Manual capture: sandbox orders with `order_note: "preauth_transaction"`. */
  readonly preauth: boolean
  /** The version the order was created with; its webhooks use it. */
  readonly version: Version
  readonly paymentIds: Array<number>
  readonly refundIds: Array<string>
}

/** The Order Pay method family (`payment_method` key). */
export type MethodKind = "card" | "upi" | "netbanking" | "app" | "emi" | "cardless_emi" | "paylater" | "banktransfer"

/** What completes a pending attempt. */
export type Step = "none" | "redirect" | "otp" | "upi"

/** The pre-authorisation part of a payment (`authorization`). */
export interface Authorization {
  action: "CAPTURE" | "VOID" | null
  status: "SUCCESS" | "PENDING" | null
  capturedAmount: number
  readonly startTime: number
  readonly endTime: number
  readonly approveBy: number | null
  actionReference: string | null
  actionTime: number | null
}

/** A card to save to the vault once the payment succeeds. */
export interface CardToSave {
  readonly number: string
  readonly expiryMm: string
  readonly expiryYy: string
}

/** A payment attempt. */
export interface Payment {
  readonly cfPaymentId: number
  readonly orderId: string
  readonly amount: number
  readonly currency: CurrencyCode
  status: PaymentStatus
  message: string
  readonly kind: MethodKind
  readonly group: string
  readonly channel: string
  /** The `payment_method` object of the payment entity (masked). */
  readonly method: Readonly<Record<string, unknown>>
  readonly createdAt: number
  completedAt: number | undefined
  bankReference: string | null
  authId: string | null
  /** The card network's transaction reference of a successful card payment (`card_network_reference_id`). */
  networkReference?: string
  error: ErrorDetails | undefined
  readonly step: Step
  /** How the attempt ends when the payer approves (decided by the sandbox data). */
  readonly approval: Outcome
  otpAttempts: number
  /** The token of the payer page `/pg/view/gateway/{token}`. */
  readonly pageToken: string
  readonly preauth: boolean
  authorization: Authorization | undefined
  isCaptured: boolean
  readonly save: CardToSave | undefined
  readonly instrumentId: string | undefined
  /** When a UPI collect approves itself (option `upiCollectAutoCompleteMs`). */
  autoCompleteAt: number | undefined
  /** True once the payment reached SUCCESS (a charge or an authorisation existed). */
  charged: boolean
}

/** A refund. */
export interface Refund {
  readonly cfRefundId: number
  readonly refundId: string
  readonly orderId: string
  readonly cfPaymentId: number
  readonly amount: number
  readonly currency: CurrencyCode
  readonly note: string | null
  status: RefundStatus
  readonly speed: "STANDARD" | "INSTANT"
  readonly createdAt: number
  processedAt: number | undefined
  readonly dueAt: number
  arn: string | null
}

/** A saved card. */
export interface Instrument {
  readonly instrumentId: string
  readonly customerId: string
  readonly afaReference: number
  readonly uid: string
  readonly display: string
  status: "ACTIVE" | "INACTIVE"
  readonly createdAt: number
  readonly network: Network
  readonly cardType: string
  readonly cardNumber: string
  readonly expiryMm: string
  readonly expiryYy: string
  readonly tokenPan: string
  readonly tokenExpiryMm: string
  readonly tokenExpiryYyyy: string
  readonly tokenRequestorId: string
  readonly par: string
}

/** A customer created with `POST /customers`. */
export interface Customer {
  readonly uid: string
  readonly phone: string
  readonly email: string | null
  readonly name: string | null
}

/** A `/simulate` record. */
export interface Simulation {
  readonly id: string
  readonly entity: string
  readonly entityId: string
  readonly paymentStatus: string
  readonly errorCode: string | null
}

/** Everything the emulator remembers. */
export interface State {
  readonly orders: Map<string, Order>
  readonly ordersBySession: Map<string, string>
  readonly payments: Map<number, Payment>
  readonly paymentsByToken: Map<string, number>
  /** Keyed by `orderId` + NUL + merchant `refund_id`. */
  readonly refunds: Map<string, Refund>
  readonly instruments: Map<string, Instrument>
  readonly customers: Map<string, Customer>
  readonly simulations: Map<string, Simulation>
  readonly prng: Prng.Prng
  readonly counters: { order: number; payment: number; refund: number }
}

/** Empty state whose ids and tokens derive from `seed`. */
export const make = (seed: number): State => {
  const prng = Prng.make(seed)
  // Ids start at a seed-dependent 10-digit base, like Cashfree's, and count up.
  const base = 1_000_000_000 + prng.int(8_000_000) * 100
  return {
    orders: new Map(),
    ordersBySession: new Map(),
    payments: new Map(),
    paymentsByToken: new Map(),
    refunds: new Map(),
    instruments: new Map(),
    customers: new Map(),
    simulations: new Map(),
    prng,
    counters: { order: base, payment: base * 5, refund: base + 500_000_000 }
  }
}

/** The key of a refund in `State.refunds`. */
export const refundKey = (orderId: string, refundId: string): string => `${orderId}\u0000${refundId}`

/** The payments of an order, oldest first. */
export const paymentsOf = (state: State, order: Order): ReadonlyArray<Payment> =>
  order.paymentIds.flatMap((id) => {
    const p = state.payments.get(id)
    return p === undefined ? [] : [p]
  })

/** The refunds of an order, oldest first. */
export const refundsOf = (state: State, order: Order): ReadonlyArray<Refund> =>
  order.refundIds.flatMap((id) => {
    const r = state.refunds.get(refundKey(order.orderId, id))
    return r === undefined ? [] : [r]
  })
