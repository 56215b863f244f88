/**
 * Transaction Search (`POST /tss/v2/searches`) by merchant reference: the payments of a reference.
 *
 * A search answers one page (`offset`, `limit`) and the number of all matches (`totalCount`); the
 * list reads page after page until every match is read, so it never returns a prefix. A reference
 * with more than `MAX_SEARCH_RESULTS` transactions fails `InvalidRequest` instead of being read
 * in part.
 */
import type { Payment } from "@payport/core/Payment"
import { InvalidRequest, type OperationError } from "@payport/core/PaymentError"
import * as Arr from "effect/Array"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type { Call, Service } from "../CyberSourceClient.js"
import { decode, PROVIDER } from "./errors.js"
import * as Mapping from "./mapping.js"
import { applicationNames, type PaymentRecord, readPayment } from "./records.js"
import * as Wire from "./wire.js"

/**
 * The most transactions (payments and their follow-ons) one reference may have for its payments
 * to be listed; each is read by id afterwards, so the bound also bounds the list's requests.
 */
export const MAX_SEARCH_RESULTS = 1_000

interface SearchPage {
  readonly summaries: ReadonlyArray<Wire.TransactionSummary>
  readonly totalCount: number | undefined
}

const searchPage = (
  client: Service,
  reference: string,
  operation: string,
  offset: number
): Effect.Effect<SearchPage, OperationError> => {
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
      offset,
      limit: client.searchPageSize,
      // Oldest first, so transactions made while the list pages land on later pages.
      sort: "submitTimeUtc:asc"
    }
  }
  return client
    .execute(call, (response) =>
      Effect.map(
        decode(Wire.SearchResponse, call)(response),
        (body): SearchPage => ({
          summaries: body._embedded?.transactionSummaries ?? [],
          totalCount: body.totalCount
        })
      )
    )
    .pipe(
      // An empty result that arrives as a 404 with `count: 0` (seen in the wild) is an empty page.
      Effect.catchTag("NotFound", () => Effect.succeed<SearchPage>({ summaries: [], totalCount: 0 }))
    )
}

const tooMany = (reference: string, operation: string) =>
  new InvalidRequest({
    provider: PROVIDER,
    operation,
    field: "reference",
    details: `more than ${MAX_SEARCH_RESULTS} transactions carry reference ${reference}: too many to list in full`
  })

/**
 * Every transaction summary of a merchant reference, each once, reading every search page. Fails
 * `InvalidRequest` (field `reference`) when there are more than `MAX_SEARCH_RESULTS`.
 */
const allSummaries = (
  client: Service,
  reference: string,
  operation: string
): Effect.Effect<ReadonlyArray<Wire.TransactionSummary>, OperationError> =>
  Effect.gen(function* () {
    const seen = new Set<string>()
    const all: Array<Wire.TransactionSummary> = []
    let offset = 0
    for (;;) {
      const page = yield* searchPage(client, reference, operation, offset)
      if ((page.totalCount ?? 0) > MAX_SEARCH_RESULTS) return yield* tooMany(reference, operation)
      for (const summary of page.summaries) {
        if (seen.has(summary.id)) continue
        seen.add(summary.id)
        all.push(summary)
      }
      if (all.length > MAX_SEARCH_RESULTS) return yield* tooMany(reference, operation)
      offset += page.summaries.length
      // The last page: a short one, or the reported total reached.
      const done =
        page.summaries.length < client.searchPageSize || (page.totalCount !== undefined && offset >= page.totalCount)
      if (done) return all
    }
  })

/**
 * The summaries of a merchant reference's authorizations (records whose applications say
 * capture/refund/reversal/void are left out), from every search page.
 */
export const search = (
  client: Service,
  reference: string,
  operation: string
): Effect.Effect<ReadonlyArray<Wire.TransactionSummary>, OperationError> =>
  Effect.map(allSummaries(client, reference, operation), (summaries) =>
    summaries.filter((s) => {
      const code = s.clientReferenceInformation?.code
      const kind = Mapping.transactionKind(applicationNames(s))
      return (code === undefined || code === reference) && (kind === undefined || kind === "authorization")
    })
  )

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
