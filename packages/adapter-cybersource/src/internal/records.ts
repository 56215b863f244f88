/**
 * Reading transactions back through TSS (`GET /tss/v2/transactions/{id}`): a payment with its
 * related captures, refunds, reversals and voids for the ledger, and refunds from their records.
 */
import { OrderReference, RefundRef } from "@payport/core/Ids"
import * as Ledger from "@payport/core/Ledger"
import * as Money from "@payport/core/Money"
import { MethodSummary, Payment, type PaymentStatus } from "@payport/core/Payment"
import { NotFound, type OperationError } from "@payport/core/PaymentError"
import * as PaymentMethod from "@payport/core/PaymentMethod"
import { Refund, type RefundStatus } from "@payport/core/Refund"
import type { PaymentRef } from "@payport/core/Ids"
import * as StateMachine from "@payport/core/StateMachine"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import type { Call, Response, Service } from "../CyberSourceClient.js"
import { decode, invalid, PROVIDER } from "./errors.js"
import { tagOf } from "./keys.js"
import * as Mapping from "./mapping.js"
import {
  declineOf,
  instant,
  instrumentIdField,
  isPaymentId,
  isRefundId,
  lastSegment,
  linkHrefs,
  money,
  paymentRef
} from "./values.js"
import * as Wire from "./wire.js"

/** A TSS record and what kind of transaction it is. */
export interface TxRecord {
  readonly details: Wire.TransactionDetails
  readonly kind: Mapping.TransactionKind | undefined
  readonly status: string
}

/** The names of the applications a TSS record ran (`ics_auth`, `ics_bill`…). */
export const applicationNames = (d: {
  readonly applicationInformation?:
    | { readonly applications?: ReadonlyArray<{ readonly name?: string | undefined }> | undefined }
    | undefined
}): ReadonlyArray<string> =>
  (d.applicationInformation?.applications ?? []).flatMap((a) => (a.name === undefined ? [] : [a.name]))

/** `GET /tss/v2/transactions/{id}`. */
export const transaction = (
  client: Service,
  id: string,
  operation: string,
  resource: string
): Effect.Effect<TxRecord, OperationError> => {
  const call: Call = {
    operation,
    method: "GET",
    path: `/tss/v2/transactions/${encodeURIComponent(id)}`,
    api: "tss",
    mutating: false,
    resource,
    resourceId: id
  }
  return client.execute(call, (response) =>
    Effect.map(decode(Wire.TransactionDetails, call)(response), (details) => ({
      details,
      kind: Mapping.transactionKind(applicationNames(details)),
      status: details.applicationInformation?.status ?? details.status ?? ""
    }))
  )
}

/** A payment with the TSS records of its follow-ons. */
export interface PaymentRecord {
  readonly payment: Payment
  readonly related: ReadonlyArray<TxRecord>
  /** The idempotency tag of the request that created it (see `keyTag`). */
  readonly tag: string | undefined
  /** The TSS details of the payment's own transaction (`payment.ref`). */
  readonly details: Wire.TransactionDetails
  /**
   * The transaction captures, reversals and refunds act on: the payment's own, or, for a payment
   * that waited on 3-D Secure and was completed, the final authorization (`completion.ts`).
   */
  readonly authorization: string
}

/**
 * What a read can say of a payment still waiting on the payer's 3-D Secure step: that it waits
 * (`RequiresAction(ThreeDs)`), but not where the payer goes, since CyberSource hands out the
 * step-up URL and its access token only in the answers of the authorization and of a validation,
 * never in Transaction Search. The action `create` (or `ThreeDsAuthentication.complete`) answered
 * carries them; a read's action has an empty `url` and `form`.
 */
export const stepUpPending: PaymentStatus = { _tag: "RequiresAction", action: { _tag: "ThreeDs", url: "", form: {} } }

const sum = (records: ReadonlyArray<TxRecord>, currency: string): number =>
  records.reduce((total, r) => {
    const a = r.details.orderInformation?.amountDetails
    return (
      total +
      Option.match(money(a?.totalAmount ?? a?.authorizedAmount, a?.currency ?? currency), {
        onNone: () => 0,
        onSome: (m) => m.amount
      })
    )
  }, 0)

const live = (r: TxRecord) => {
  const klass = Mapping.statusClass(r.status)
  return klass !== "declined" && klass !== "failed" && klass !== "voided" && klass !== "reversed"
}

/**
 * A payment as TSS sees it now: the authorization's record plus its related transactions
 * (captures, refunds, reversals, voids) for the ledger.
 */
export const readPayment = (
  client: Service,
  id: string,
  operation: string
): Effect.Effect<PaymentRecord, OperationError> =>
  Effect.gen(function* () {
    const root = yield* transaction(client, id, operation, "payment")
    const call: Call = {
      operation,
      method: "GET",
      path: `/tss/v2/transactions/${id}`,
      api: "tss",
      mutating: false,
      resource: "payment",
      resourceId: id
    }
    const d = root.details
    const raw: Response = { status: 200, headers: {}, text: JSON.stringify(d), json: Option.some(d) }
    if (root.kind !== undefined && root.kind !== "authorization") {
      return yield* new NotFound({ provider: PROVIDER, operation, resource: "payment", id })
    }
    const klass = Mapping.statusClass(root.status)
    if (klass === undefined) return yield* Effect.fail(invalid(call, raw, `unknown status ${root.status}`))
    const details = d.orderInformation?.amountDetails
    // `totalAmount` is what was asked for (the payment's amount); `authorizedAmount` what the issuer
    // approved (the ledger) — 0.00 on a decline, less on a partial approval (TSS details schema).
    const amount = money(details?.totalAmount ?? details?.authorizedAmount, details?.currency)
    if (Option.isNone(amount)) return yield* Effect.fail(invalid(call, raw, "the payment has no amount"))
    const approvedAmount = Option.getOrElse(
      money(details?.authorizedAmount ?? details?.totalAmount, details?.currency),
      () => amount.value
    )
    if (!isPaymentId(d.id)) return yield* Effect.fail(invalid(call, raw, "the payment id is not usable"))
    const referenceResult = Schema.decodeUnknownEither(OrderReference)(d.clientReferenceInformation?.code)
    if (Either.isLeft(referenceResult)) {
      return yield* Effect.fail(invalid(call, raw, "the payment has no usable merchant reference"))
    }
    const relatedIds = linkHrefs(d._links, "relatedTransactions")
      .map(lastSegment)
      .filter((rid) => rid.length > 0 && rid !== id)
    const related = yield* Effect.forEach(relatedIds, (rid) => transaction(client, rid, operation, "transaction"), {
      concurrency: 4
    })
    const currency = amount.value.currency
    const names = applicationNames(d)
    const sale = names.includes("ics_bill")
    const captures = related.filter((r) => r.kind === "capture" && live(r))
    const refunds = related.filter((r) => r.kind === "refund" && live(r))
    const released = related.some((r) => r.kind === "reversal" || r.kind === "void") || klass === "reversed"
    const approved = klass === "approved" || klass === "pending" || klass === "settled"
    const authorized = approved || released ? approvedAmount.amount : 0
    const captured = sale && approved ? authorized : Math.min(authorized, sum(captures, currency))
    const refunded = Math.min(captured, sum(refunds, currency))
    const ledger = Ledger.Ledger.make({
      authorized: Money.unsafeMake(authorized, currency),
      captured: Money.unsafeMake(captured, currency),
      refunded: Money.unsafeMake(refunded, currency)
    })
    let status: PaymentStatus
    if (klass === "declined" || klass === "failed") {
      status = {
        _tag: "Failed",
        decline: declineOf(root.status, d.errorInformation?.reason)
      }
    } else if (klass === "challenge") {
      status = stepUpPending
    } else if (klass === "review") {
      status = { _tag: "Processing" }
    } else if ((released && captured === 0) || klass === "voided" || (sale && released)) {
      status = { _tag: "Voided" }
    } else {
      status = { _tag: StateMachine.statusForLedger(ledger) }
    }
    const card = d.paymentInformation?.card
    const instrumentId = d.paymentInformation?.paymentInstrument?.id
    const method = MethodSummary.make({
      kind: instrumentId === undefined ? "Card" : "SavedCard",
      ...(card?.suffix === undefined ? {} : { display: PaymentMethod.mask(card.suffix) }),
      ...(card?.type === undefined || Mapping.cardNetworks[card.type] === undefined
        ? {}
        : { network: Mapping.cardNetworks[card.type] }),
      ...(instrumentId === undefined ? {} : instrumentIdField(instrumentId))
    })
    const payment = Payment.make({
      ref: paymentRef(d.id),
      reference: referenceResult.right,
      amount: amount.value,
      ledger,
      captureMode: sale ? "automatic" : "manual",
      method,
      status,
      ...Mapping.processorField(d.processorInformation, d.submitTimeUTC ?? d.submitTimeUtc),
      createdAt: yield* instant(d.submitTimeUTC ?? d.submitTimeUtc)
    })
    return { payment, related, tag: tagOf(d), details: d, authorization: d.id }
  })

/** A refund from its TSS record. */
export const refundFromRecord = (
  record: TxRecord,
  payment: PaymentRef,
  currency: string | undefined
): Effect.Effect<Option.Option<Refund>> =>
  Effect.gen(function* () {
    const a = record.details.orderInformation?.amountDetails
    const amount = money(a?.totalAmount, a?.currency ?? currency)
    const id = record.details.id
    // Like a refund without an amount: a record whose id is no usable refund id is not one we can return.
    if (Option.isNone(amount) || !isRefundId(id)) return Option.none()
    return Option.some(
      Refund.make({
        ref: RefundRef.make({ provider: PROVIDER, refundId: id, payment }),
        amount: amount.value,
        status: refundStatus(record.status, record.details.errorInformation?.reason),
        ...(record.details.clientReferenceInformation?.code === undefined
          ? {}
          : { reference: record.details.clientReferenceInformation.code }),
        createdAt: yield* instant(record.details.submitTimeUTC ?? record.details.submitTimeUtc)
      })
    )
  })

/** A refund status from a CyberSource status. */
export const refundStatus = (status: string, reason: string | undefined): RefundStatus => {
  switch (Mapping.statusClass(status)) {
    case "settled":
      return { _tag: "Succeeded" }
    case "pending":
    case "approved":
    case "review":
    case "challenge":
      return { _tag: "Pending" }
    case "declined":
    case "failed":
      return { _tag: "Failed", reason: (reason ?? status).trim() }
    case "voided":
    case "reversed":
      return { _tag: "Failed", reason: "voided" }
    case undefined:
      return { _tag: "Pending" }
  }
}
