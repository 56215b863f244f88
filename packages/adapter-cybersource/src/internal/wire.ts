/**
 * CyberSource wire shapes: what the adapter sends and the parts of responses the ports need.
 *
 * Decoding is strict about what a port needs (an id, a status, amounts as text) and lenient about
 * everything else: excess properties are ignored, so new fields and typos in unrelated fields
 * (the sandbox's `networkTransactiDDDonId`) never break a decode.
 *
 * Most response schemas are built on first use (`Schema.suspend`), not when the module is
 * imported: a process pays for building only the shapes it decodes, and starts sooner. `Customer`
 * stays a plain struct because `CyberSourceCustomers` extends it.
 */
import * as Schema from "effect/Schema"

const optional = Schema.optional
const Str = Schema.String

/** A HAL link: `{ href, method }`. */
export const Link = Schema.Struct({ href: Str, method: optional(Str) })

/** `_links`, keyed by name; the ones the adapter reads are optional. */
export const Links = Schema.Record({ key: Str, value: Schema.Union(Link, Schema.Array(Link)) })

/** `orderInformation.amountDetails` as CyberSource returns it: decimal strings. */
export const AmountDetails = Schema.Struct({
  totalAmount: optional(Str),
  authorizedAmount: optional(Str),
  currency: optional(Str)
})

/** `errorInformation` of a 201 (declines) or a TSS record. */
export const ErrorInformation = Schema.Struct({
  reason: optional(Str),
  message: optional(Str),
  details: optional(Schema.Array(Schema.Struct({ field: optional(Str), reason: optional(Str) })))
})

const IdOnly = Schema.Struct({ id: Str })

/** A code the documents type as text; a number is read as its digits rather than failing the payment. */
const Code = Schema.Union(Str, Schema.transform(Schema.Number, Str, { strict: true, decode: String, encode: Number }))

/**
 * `processorInformation` of a payment 201 (`PtsV2PaymentsPost201Response`) and of a TSS record
 * (`TssV2TransactionsGet200Response`): the processor's name (`name` in the 201,
 * `processor.name` in TSS), its ids and answer, and the AVS and CVN results.
 * `retrievalReferenceNumber` is not in the 2020 swagger; the sandbox transcripts show it.
 */
export const ProcessorInformation = Schema.Struct({
  name: optional(Code),
  processor: optional(Schema.Struct({ name: optional(Code) })),
  approvalCode: optional(Code),
  transactionId: optional(Code),
  networkTransactionId: optional(Code),
  retrievalReferenceNumber: optional(Code),
  responseCode: optional(Code),
  responseDetails: optional(Code),
  avs: optional(Schema.Struct({ code: optional(Code), codeRaw: optional(Code) })),
  cardVerification: optional(Schema.Struct({ resultCode: optional(Code), resultCodeRaw: optional(Code) }))
})
/** @internal */
export type ProcessorInformation = typeof ProcessorInformation.Type

/** The 201 of `POST /pts/v2/payments`. */
export const PaymentResponse = Schema.suspend(() =>
  Schema.Struct({
    id: Str,
    status: Str,
    submitTimeUtc: optional(Str),
    reconciliationId: optional(Str),
    clientReferenceInformation: optional(Schema.Struct({ code: optional(Str) })),
    orderInformation: optional(Schema.Struct({ amountDetails: optional(AmountDetails) })),
    errorInformation: optional(ErrorInformation),
    paymentInformation: optional(
      Schema.Struct({
        card: optional(Schema.Struct({ suffix: optional(Str), type: optional(Str) })),
        tokenizedCard: optional(Schema.Struct({ suffix: optional(Str), type: optional(Str) })),
        paymentInstrument: optional(IdOnly),
        customer: optional(IdOnly)
      })
    ),
    paymentAccountInformation: optional(Schema.Struct({ card: optional(Schema.Struct({ type: optional(Str) })) })),
    tokenInformation: optional(
      Schema.Struct({
        paymentInstrument: optional(IdOnly),
        customer: optional(IdOnly),
        instrumentIdentifier: optional(IdOnly)
      })
    ),
    processorInformation: optional(ProcessorInformation),
    consumerAuthenticationInformation: optional(
      Schema.Struct({
        acsUrl: optional(Str),
        stepUpUrl: optional(Str),
        accessToken: optional(Str),
        pareq: optional(Str),
        authenticationTransactionId: optional(Str)
      })
    ),
    _links: optional(Links)
  })
)
/** @internal */
export type PaymentResponse = typeof PaymentResponse.Type

/**
 * The 201 of a follow-on (capture, reversal, void, refund, credit): an id, a status, and the
 * amount in whichever field that operation uses.
 */
export const FollowOnResponse = Schema.suspend(() =>
  Schema.Struct({
    id: Str,
    status: Str,
    submitTimeUtc: optional(Str),
    clientReferenceInformation: optional(Schema.Struct({ code: optional(Str) })),
    orderInformation: optional(Schema.Struct({ amountDetails: optional(AmountDetails) })),
    refundAmountDetails: optional(Schema.Struct({ refundAmount: optional(Str), currency: optional(Str) })),
    creditAmountDetails: optional(Schema.Struct({ creditAmount: optional(Str), currency: optional(Str) })),
    reversalAmountDetails: optional(Schema.Struct({ reversedAmount: optional(Str), currency: optional(Str) })),
    voidAmountDetails: optional(Schema.Struct({ voidAmount: optional(Str), currency: optional(Str) })),
    errorInformation: optional(ErrorInformation),
    _links: optional(Links)
  })
)
/** @internal */
export type FollowOnResponse = typeof FollowOnResponse.Type

const Application = Schema.Struct({
  name: optional(Str),
  status: optional(Str),
  reasonCode: optional(Schema.Union(Str, Schema.Number)),
  rCode: optional(Schema.Union(Str, Schema.Number)),
  rFlag: optional(Str),
  rMessage: optional(Str)
})

/** `GET /tss/v2/transactions/{id}`. */
export const TransactionDetails = Schema.Struct({
  id: Str,
  rootId: optional(Str),
  status: optional(Str),
  submitTimeUTC: optional(Str),
  submitTimeUtc: optional(Str),
  applicationInformation: optional(
    Schema.Struct({
      status: optional(Str),
      reasonCode: optional(Schema.Union(Str, Schema.Number)),
      applications: optional(Schema.Array(Application))
    })
  ),
  clientReferenceInformation: optional(Schema.Struct({ code: optional(Str), comments: optional(Str) })),
  /** The payer authentication a PENDING_AUTHENTICATION payment waits on (`transactionId`). */
  consumerAuthenticationInformation: optional(Schema.Struct({ transactionId: optional(Str) })),
  merchantDefinedInformation: optional(Schema.Array(Schema.Struct({ key: optional(Str), value: optional(Str) }))),
  orderInformation: optional(Schema.Struct({ amountDetails: optional(AmountDetails) })),
  errorInformation: optional(ErrorInformation),
  paymentInformation: optional(
    Schema.Struct({
      card: optional(
        Schema.Struct({
          suffix: optional(Str),
          prefix: optional(Str),
          type: optional(Str),
          expirationMonth: optional(Str),
          expirationYear: optional(Str)
        })
      ),
      customer: optional(Schema.Struct({ customerId: optional(Str), id: optional(Str) })),
      paymentInstrument: optional(IdOnly)
    })
  ),
  processorInformation: optional(ProcessorInformation),
  _links: optional(Links)
})
/** @internal */
export type TransactionDetails = typeof TransactionDetails.Type

/** One `_embedded.transactionSummaries[]` entry of a TSS search. */
export const TransactionSummary = Schema.suspend(() =>
  Schema.Struct({
    id: Str,
    submitTimeUtc: optional(Str),
    clientReferenceInformation: optional(Schema.Struct({ code: optional(Str) })),
    applicationInformation: optional(
      Schema.Struct({ status: optional(Str), applications: optional(Schema.Array(Application)) })
    )
  })
)
/** @internal */
export type TransactionSummary = typeof TransactionSummary.Type

/** `POST /tss/v2/searches` (201; an empty result may come as 404 with `count: 0`). */
export const SearchResponse = Schema.suspend(() =>
  Schema.Struct({
    count: optional(Schema.Number),
    totalCount: optional(Schema.Number),
    _embedded: optional(Schema.Struct({ transactionSummaries: optional(Schema.Array(TransactionSummary)) }))
  })
)

// ---------------------------------------------------------------------------------------------
// TMS
// ---------------------------------------------------------------------------------------------

const BillTo = Schema.Struct({
  firstName: optional(Str),
  lastName: optional(Str),
  address1: optional(Str),
  address2: optional(Str),
  locality: optional(Str),
  administrativeArea: optional(Str),
  postalCode: optional(Str),
  country: optional(Str),
  email: optional(Str),
  phoneNumber: optional(Str)
})

/** A customer payment instrument. */
export const PaymentInstrument = Schema.suspend(() =>
  Schema.Struct({
    id: Str,
    object: optional(Str),
    default: optional(Schema.Boolean),
    state: optional(Str),
    type: optional(Str),
    card: optional(
      Schema.Struct({
        expirationMonth: optional(Str),
        expirationYear: optional(Str),
        type: optional(Str)
      })
    ),
    bankAccount: optional(Schema.Struct({ type: optional(Str) })),
    billTo: optional(BillTo),
    instrumentIdentifier: optional(IdOnly),
    _embedded: optional(
      Schema.Struct({
        instrumentIdentifier: optional(
          Schema.Struct({
            id: optional(Str),
            state: optional(Str),
            card: optional(Schema.Struct({ number: optional(Str) }))
          })
        )
      })
    ),
    _links: optional(Links)
  })
)
/** @internal */
export type PaymentInstrument = typeof PaymentInstrument.Type

/** `GET /tms/v2/customers/{id}/payment-instruments`. */
export const PaymentInstrumentList = Schema.suspend(() =>
  Schema.Struct({
    offset: optional(Schema.Number),
    limit: optional(Schema.Number),
    count: optional(Schema.Number),
    total: optional(Schema.Number),
    _links: optional(Links),
    _embedded: optional(Schema.Struct({ paymentInstruments: optional(Schema.Array(PaymentInstrument)) }))
  })
)

/** An instrument identifier (201 new, 200 existing). */
export const InstrumentIdentifier = Schema.Struct({ id: Str, state: optional(Str) })

/** A TMS customer. */
export const Customer = Schema.Struct({
  id: Str,
  buyerInformation: optional(Schema.Struct({ merchantCustomerID: optional(Str), email: optional(Str) })),
  clientReferenceInformation: optional(Schema.Struct({ code: optional(Str) })),
  merchantDefinedInformation: optional(Schema.Array(Schema.Struct({ name: optional(Str), value: optional(Str) }))),
  defaultPaymentInstrument: optional(IdOnly)
})
/** @internal */
export type Customer = typeof Customer.Type

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/** PTS 400/502 bodies: `{ status, reason, message, details }`. */
export const PtsError = Schema.suspend(() =>
  Schema.Struct({
    status: optional(Str),
    reason: optional(Str),
    message: optional(Str),
    id: optional(Str),
    details: optional(Schema.Array(Schema.Struct({ field: optional(Str), reason: optional(Str) }))),
    errorInformation: optional(ErrorInformation)
  })
)

/** Gateway 401 (and front-door 400): `{ response: { rmsg } }`. */
export const GatewayError = Schema.Struct({ response: Schema.Struct({ rmsg: optional(Str) }) })

/** TMS errors: `{ errors: [{ type, message, details }] }`. */
export const TmsError = Schema.suspend(() =>
  Schema.Struct({
    errors: Schema.NonEmptyArray(
      Schema.Struct({
        type: optional(Str),
        message: optional(Str),
        details: optional(Schema.Array(Schema.Struct({ name: optional(Str), location: optional(Str) })))
      })
    )
  })
)

// ---------------------------------------------------------------------------------------------
// Webhooks
// ---------------------------------------------------------------------------------------------

/** A notification body (`cardProcessing` products and the newer `payments` product). */
export const Notification = Schema.suspend(() =>
  Schema.Struct({
    eventType: Str,
    webhookId: optional(Str),
    transactionTraceId: optional(Str),
    eventDate: optional(Str),
    payload: Schema.Unknown
  })
)

/** One entry of `payload` naming the transaction. */
export const NotificationData = Schema.suspend(() =>
  Schema.Struct({
    data: Schema.Struct({ id: Str, type: optional(Str), _links: optional(Links) })
  })
)
