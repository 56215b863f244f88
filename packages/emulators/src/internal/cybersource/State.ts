/**
 * The emulator's state: plain records in maps, owned by one emulator instance and mutated only by
 * the route handlers (the server is single-threaded, so a handler runs to completion before the
 * next request is looked at). Ids are drawn from a seeded generator so a run is reproducible.
 */
import type { CurrencyCode } from "@payport/core/Currency"
import * as Random from "../../Prng.js"
import type { Json, JsonObject } from "./Wire.js"

/** PTS statuses a payment (authorization or sale) can carry. */
export type PaymentStatus =
  | "AUTHORIZED"
  | "PARTIAL_AUTHORIZED"
  | "AUTHORIZED_PENDING_REVIEW"
  | "AUTHORIZED_RISK_DECLINED"
  | "PENDING_AUTHENTICATION"
  | "PENDING_REVIEW"
  | "DECLINED"

/** Settlement state of money-moving follow-ons (captures, refunds, sales). */
export type SettlementStatus = "PENDING" | "TRANSMITTED" | "VOIDED"

/** What the payer paid with, without the PAN: enough for responses and transaction details. */
export interface CardSummary {
  readonly type: string
  readonly bin: string
  readonly suffix: string
  readonly expirationMonth?: string
  readonly expirationYear?: string
  readonly tokenized: boolean
}

/** A POST /pts/v2/payments record. */
export interface PaymentRecord {
  readonly id: string
  readonly submitTimeUtc: string
  readonly code: string | undefined
  /** `clientReferenceInformation.comments` as sent; TSS details echo it. */
  readonly comments?: string
  readonly transactionId: string | undefined
  readonly currency: CurrencyCode
  readonly totalAmount: number
  readonly authorizedAmount: number
  /** `processingInformation.capture: true`: authorization and capture together. */
  readonly sale: boolean
  status: PaymentStatus
  readonly errorInformation?: { readonly reason: string; readonly message: string }
  readonly reconciliationId: string
  readonly processorTransactionId: string
  /** Whether the request carried a card security code, so the answer has a CVN result. */
  readonly cvnSent?: boolean
  readonly card: CardSummary | undefined
  readonly tokenInformation?: JsonObject
  readonly billTo: Json | undefined
  /** `merchantDefinedInformation` as sent; TSS details echo it. */
  readonly merchantDefinedInformation?: ReadonlyArray<JsonObject>
  /** `processingInformation.authorizationOptions.initiator` as sent (stored-credential flags). */
  readonly initiator?: JsonObject
  /** For a sale: the money-moving half. */
  saleSettlement: SettlementStatus
  reversalId: string | undefined
  readonly captureIds: Array<string>
  readonly refundIds: Array<string>
  readonly authenticationTransactionId?: string
}

/** What every transaction that follows a payment (capture, refund, reversal) records. */
export interface FollowOnRecord {
  readonly id: string
  readonly paymentId: string
  readonly submitTimeUtc: string
  readonly code: string | undefined
  /** `clientReferenceInformation.comments` as sent; TSS details echo it. */
  readonly comments?: string
  readonly amount: number
  readonly currency: CurrencyCode
}

/** A capture of an authorization. */
export interface CaptureRecord extends FollowOnRecord {
  status: SettlementStatus
  readonly reconciliationId: string
  readonly refundIds: Array<string>
  voidId: string | undefined
}

/** A refund of a payment (sale) or of a capture. */
export interface RefundRecord extends FollowOnRecord {
  /** The capture refunded, when refunded through /pts/v2/captures/{id}/refunds. */
  readonly captureId: string | undefined
  status: SettlementStatus
  readonly reconciliationId: string
  voidId: string | undefined
}

/** An authorization reversal. */
export interface ReversalRecord extends FollowOnRecord {
  readonly reason: string | undefined
}

/** A void of a sale, capture or refund. */
export interface VoidRecord {
  readonly id: string
  readonly targetId: string
  readonly targetKind: "payment" | "capture" | "refund"
  readonly paymentId: string
  readonly submitTimeUtc: string
  readonly code: string | undefined
  /** `clientReferenceInformation.comments` as sent; TSS details echo it. */
  readonly comments?: string
  readonly amount: number
  readonly currency: CurrencyCode
}

/** Lifecycle shared by every TMS token: ETag version, and deletion (404 → 410). */
export interface TokenMeta {
  etag: string
  deleted: boolean
}

/** A TMS customer. */
export interface CustomerRecord extends TokenMeta {
  readonly id: string
  fields: { readonly [key: string]: unknown }
  defaultPaymentInstrumentId: string | undefined
  /** Payment instrument ids in creation order (pagination is stable). */
  readonly paymentInstrumentIds: Array<string>
}

/** A TMS payment instrument (customer-owned or standalone). */
export interface PaymentInstrumentRecord extends TokenMeta {
  readonly id: string
  readonly customerId: string | undefined
  instrumentIdentifierId: string
  fields: { readonly [key: string]: unknown }
}

/** A TMS instrument identifier: one per card number. */
export interface InstrumentIdentifierRecord extends TokenMeta {
  readonly id: string
  /** The PAN, kept only to serve payments made with tokens; never written back in full. */
  readonly number: string
  expirationMonth: string | undefined
  expirationYear: string | undefined
  readonly paymentAccountReference: string
}

/** A recorded TSS search. */
export interface SearchRecord {
  readonly searchId: string
  readonly body: JsonObject
}

/** The whole state of one emulator. */
export class Store {
  readonly payments = new Map<string, PaymentRecord>()
  readonly captures = new Map<string, CaptureRecord>()
  readonly refunds = new Map<string, RefundRecord>()
  readonly reversals = new Map<string, ReversalRecord>()
  readonly voids = new Map<string, VoidRecord>()
  readonly customers = new Map<string, CustomerRecord>()
  readonly paymentInstruments = new Map<string, PaymentInstrumentRecord>()
  readonly instrumentIdentifiers = new Map<string, InstrumentIdentifierRecord>()
  /** Card number → instrument identifier id (de-duplication). */
  readonly identifiersByNumber = new Map<string, string>()
  readonly searches = new Map<string, SearchRecord>()
  /** When each transaction (payment or follow-on) was created, by id: Transaction Search lags it. */
  readonly createdAt = new Map<string, number>()
  /** `clientReferenceInformation.transactionId`s already used (a repeat is 400 INVALID_DATA). */
  readonly transactionIds = new Set<string>()
  private seed: number
  private readonly issued = new Set<string>()

  constructor(seed: number) {
    this.seed = seed
  }

  /** `count` random decimal digits. */
  digits(count: number): string {
    const [value, next] = Random.digits(this.seed, count)
    this.seed = next
    return value
  }

  /** `count` random uppercase hex digits. */
  hex(count: number): string {
    const [value, next] = Random.bytes(this.seed, Math.ceil(count / 2))
    this.seed = next
    return Array.from(value, (b) => b.toString(16).padStart(2, "0"))
      .join("")
      .slice(0, count)
      .toUpperCase()
  }

  /** A random UUID-shaped string, lowercase. */
  uuid(): string {
    const h = this.hex(32).toLowerCase()
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`
  }

  private unique(make: () => string): string {
    for (;;) {
      const id = make()
      if (!this.issued.has(id)) {
        this.issued.add(id)
        return id
      }
    }
  }

  /**
   * A 22-digit transaction id shaped like the real ones (`6750124114786780104953`: the epoch
   * seconds without their leading digit, then random digits).
   */
  transactionIdAt(millis: number): string {
    const seconds = String(Math.floor(millis / 1000))
      .slice(1)
      .padStart(9, "0")
      .slice(-9)
    return this.unique(() => `${seconds}${this.digits(13)}`)
  }

  /** A 32-character uppercase hex TMS token id (customers, payment instruments). */
  tokenId(): string {
    return this.unique(() => this.hex(32))
  }

  /** A 19-digit instrument identifier id. */
  instrumentIdentifierId(): string {
    return this.unique(() => `70${this.digits(17)}`)
  }

  /** A reconciliation id like `78243988SD9YL291`. */
  reconciliationId(): string {
    return `${this.digits(8)}${this.hex(8)}`
  }

  /** A new ETag value. */
  etag(): string {
    return this.hex(16)
  }
}
