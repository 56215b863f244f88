/**
 * What every route handler is given: the state, the time of the request, the merchant, the
 * configured outcome triggers, and a sink for webhook notifications.
 */
import type { Store } from "./State.js"

/** Payment statuses a trigger can force. */
export type TriggerStatus =
  | "DECLINED"
  | "AUTHORIZED_PENDING_REVIEW"
  | "AUTHORIZED_RISK_DECLINED"
  | "PARTIAL_AUTHORIZED"
  | "PENDING_AUTHENTICATION"
  | "PENDING_REVIEW"

/** A forced outcome for a payment request, chosen by card number or by amount. */
export interface Trigger {
  readonly status: TriggerStatus
  /** `errorInformation.reason`, e.g. `INSUFFICIENT_FUND`. */
  readonly reason?: string
  /** `errorInformation.message`. */
  readonly message?: string
  /** For `PARTIAL_AUTHORIZED`: the approved amount as decimal text (default: half, rounded down). */
  readonly authorizedAmount?: string
}

/** A webhook notification to deliver after the request that caused it has been answered. */
export interface Notice {
  readonly eventType: string
  /** The resource kind as the webhook payload names it: `payments`, `captures`, `refunds`, `reversals`. */
  readonly resource: "payments" | "captures" | "refunds" | "reversals"
  readonly id: string
}

/** The handler environment. */
export interface Env {
  readonly store: Store
  readonly now: number
  readonly merchantId: string
  readonly cardTriggers: { readonly [cardNumber: string]: Trigger }
  /** Keyed by decimal amount text (`"2540.00"`); compared by value in the request's currency. */
  readonly amountTriggers: { readonly [amount: string]: Trigger }
  readonly notify: (notice: Notice) => void
  /** How long after its creation a transaction appears in Transaction Search results. */
  readonly searchLagMs: number
}

/** A routed, authenticated request as handlers see it. */
export interface ApiRequest {
  readonly method: string
  readonly path: string
  /** Path parameters captured by the route, in order. */
  readonly params: ReadonlyArray<string>
  readonly query: URLSearchParams
  /** Received headers, names lowercase. */
  readonly headers: { readonly [name: string]: string | undefined }
  /** The parsed JSON body; `undefined` when there is none or it does not parse. */
  readonly body: unknown
}
