/**
 * Transaction Search (`POST /tss/v2/searches`) by merchant reference: the payments of a reference.
 */
import type { Payment } from "@payport/core/Payment"
import type { OperationError } from "@payport/core/PaymentError"
import * as Arr from "effect/Array"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type { Call, Service } from "../CyberSourceClient.js"
import { decode } from "./errors.js"
import * as Mapping from "./mapping.js"
import { applicationNames, type PaymentRecord, readPayment } from "./records.js"
import * as Wire from "./wire.js"

/**
 * `POST /tss/v2/searches` for a merchant reference: the ids of its authorizations (records whose
 * applications say capture/refund/reversal/void are left out). An empty result that arrives as a
 * 404 with `count: 0` (seen in the wild) is an empty list.
 */
export const search = (
  client: Service,
  reference: string,
  operation: string
): Effect.Effect<ReadonlyArray<Wire.TransactionSummary>, OperationError> => {
  const call: Call = {
    operation,
    method: "POST",
    path: "/tss/v2/searches",
    api: "tss",
    mutating: false,
    resource: "search",
    body: {
      save: false,
      name: "payport-reference",
      timezone: "UTC",
      query: `clientReferenceInformation.code:${reference}`,
      offset: 0,
      limit: 100,
      sort: "submitTimeUtc:asc"
    }
  }
  return client
    .execute(call, (response) =>
      Effect.map(decode(Wire.SearchResponse, call)(response), (body) => body._embedded?.transactionSummaries ?? [])
    )
    .pipe(
      Effect.catchTag("NotFound", () => Effect.succeed([])),
      Effect.map((summaries) =>
        summaries.filter((s) => {
          const code = s.clientReferenceInformation?.code
          const kind = Mapping.transactionKind(applicationNames(s))
          return (code === undefined || code === reference) && (kind === undefined || kind === "authorization")
        })
      )
    )
}

/** Every payment record for a merchant reference, oldest first. */
export const listRecords = (
  client: Service,
  reference: string,
  operation: string
): Effect.Effect<ReadonlyArray<PaymentRecord>, OperationError> =>
  Effect.flatMap(search(client, reference, operation), (summaries) =>
    Effect.forEach(
      summaries,
      (s) =>
        readPayment(client, s.id, operation).pipe(
          Effect.map(Option.some),
          // a follow-on that slipped through the search filter is not a payment
          Effect.catchTag("NotFound", () => Effect.succeed(Option.none<PaymentRecord>()))
        ),
      { concurrency: 4 }
    ).pipe(
      Effect.map(Arr.getSomes),
      Effect.map((all) => all.filter((r) => r.payment.reference === reference))
    )
  )

/** Every payment for a merchant reference, oldest first. */
export const listPayments = (
  client: Service,
  reference: string,
  operation: string
): Effect.Effect<ReadonlyArray<Payment>, OperationError> =>
  Effect.map(listRecords(client, reference, operation), (records) => records.map((r) => r.payment))
