/**
 * Payment creation (`POST /pts/v2/payments`) at most once, although CyberSource has no idempotency
 * key: the payment a 201 describes, and the reconcile by search before any retry.
 */
import * as HttpPolicy from "@payport/core/HttpPolicy"
import * as Ledger from "@payport/core/Ledger"
import * as Money from "@payport/core/Money"
import { type Action, MethodSummary, Payment, type PaymentStatus } from "@payport/core/Payment"
import { InvalidRequest, type OperationError, PaymentDeclined } from "@payport/core/PaymentError"
import * as PaymentMethod from "@payport/core/PaymentMethod"
import type * as PaymentRequest from "@payport/core/PaymentRequest"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import type { Call, Response, Service } from "../CyberSourceClient.js"
import { decode, invalid, PROVIDER } from "./errors.js"
import { answerRepeat } from "./execution.js"
import { conflict, keyTag } from "./keys.js"
import * as Mapping from "./mapping.js"
import * as PayerAuthentication from "./payerAuthentication.js"
import type { PaymentRecord } from "./records.js"
import { paymentBody } from "./requests.js"
import { listRecords } from "./search.js"
import { declineOf, instant, instrumentIdField, isPaymentId, money, paymentRef, savedField } from "./values.js"
import * as Wire from "./wire.js"

/** The step-up of a `PENDING_AUTHENTICATION` answer: post `form` to `url` in the payer's browser. */
export const threeDs = (response: Wire.PaymentResponse): Option.Option<Action> => {
  const info = response.consumerAuthenticationInformation
  const url = info?.stepUpUrl ?? info?.acsUrl
  if (url === undefined) return Option.none()
  // `MD` (merchant data) comes back to the return URL with the authentication's `TransactionId`:
  // it names the payment the return page completes.
  const form: Record<string, string> =
    info?.accessToken !== undefined
      ? { JWT: info.accessToken, MD: response.id }
      : info?.pareq !== undefined
        ? { PaReq: info.pareq, MD: response.id }
        : {}
  return Option.some({ _tag: "ThreeDs", url, form })
}

// ---------------------------------------------------------------------------------------------
// Payment creation
// ---------------------------------------------------------------------------------------------

/** The masked number and network of a card or network token. */
const cardSummary = (kind: "Card" | "NetworkToken", number: Redacted.Redacted<string>): MethodSummary => {
  const digits = Redacted.value(PaymentMethod.normalizeNumber(number))
  return MethodSummary.make({ kind, display: PaymentMethod.mask(digits), network: PaymentMethod.cardNetwork(digits) })
}

const methodSummary = (method: PaymentMethod.PaymentMethod): MethodSummary => {
  switch (method._tag) {
    case "Card":
    case "CardEmi":
      return cardSummary("Card", method.number)
    case "NetworkToken":
      return cardSummary("NetworkToken", method.tokenPan)
    case "SavedCard":
      return MethodSummary.make({ kind: "SavedCard", ...instrumentIdField(method.instrumentId) })
    default:
      return MethodSummary.make({ kind: method._tag })
  }
}

/**
 * The payment a `POST /pts/v2/payments` 201 describes. A `DECLINED` (or risk-declined, invalid)
 * status fails with `PaymentDeclined`/`InvalidRequest`; an unknown status is `OutcomeUnknown`.
 */
export const paymentFromCreate = (
  call: Call,
  request: PaymentRequest.CreatePayment,
  response: Response
): Effect.Effect<Payment, OperationError> =>
  Effect.gen(function* () {
    const body = yield* decode(Wire.PaymentResponse, call)(response)
    // An authorization was made, but under an id no later call could name: the outcome is unknown.
    if (!isPaymentId(body.id)) return yield* Effect.fail(invalid(call, response, "the payment id is not usable"))
    const klass = Mapping.statusClass(body.status)
    if (klass === undefined) return yield* Effect.fail(invalid(call, response, `unknown status ${body.status}`))
    const ctx = {
      provider: PROVIDER,
      operation: call.operation,
      httpStatus: response.status,
      ...(response.requestId === undefined ? {} : { requestId: response.requestId })
    }
    if (body.status.toUpperCase() === "INVALID_REQUEST") {
      return yield* new InvalidRequest({
        ...ctx,
        details: body.errorInformation?.reason ?? body.errorInformation?.message ?? "INVALID_REQUEST"
      })
    }
    if (klass === "declined" || klass === "failed") {
      return yield* new PaymentDeclined({
        ...ctx,
        decline: declineOf(body.status, body.errorInformation?.reason)
      })
    }
    const details = body.orderInformation?.amountDetails
    const amount = Option.getOrElse(
      money(details?.authorizedAmount ?? details?.totalAmount, details?.currency),
      () => request.amount
    )
    if (amount.currency !== request.amount.currency) {
      return yield* Effect.fail(invalid(call, response, "the response currency differs from the request's"))
    }
    let status: PaymentStatus
    let ledger = Ledger.empty(amount.currency)
    switch (klass) {
      case "approved":
      case "pending":
      case "settled":
        if (request.captureMode === "automatic") {
          status = { _tag: "Captured" }
          ledger = Ledger.captured(amount)
        } else {
          status = { _tag: "Authorized" }
          ledger = Ledger.authorized(amount)
        }
        break
      case "review":
        status = { _tag: "Processing" }
        break
      case "challenge": {
        const action = threeDs(body)
        if (Option.isNone(action)) {
          return yield* Effect.fail(invalid(call, response, "PENDING_AUTHENTICATION without a step-up URL"))
        }
        status = { _tag: "RequiresAction", action: action.value }
        break
      }
      case "reversed":
      case "voided":
        status = { _tag: "Voided" }
        break
    }
    const saved = body.tokenInformation?.paymentInstrument?.id
    return Payment.make({
      ref: paymentRef(body.id),
      reference: request.reference,
      amount: request.amount,
      ledger,
      captureMode: request.captureMode,
      method: methodSummary(request.method),
      status,
      ...(request.customer === undefined ? {} : { customerId: request.customer.id }),
      ...(saved === undefined ? {} : savedField(saved)),
      ...Mapping.processorField(body.processorInformation, body.submitTimeUtc),
      createdAt: yield* instant(body.submitTimeUtc)
    })
  })

/** `POST /pts/v2/payments` under a key (an authorization or sale; `resourceId`: the payment it completes). */
export const paymentCall = (
  operation: string,
  body: Record<string, unknown>,
  idempotencyKey: string,
  resourceId?: string
): Call => ({
  operation,
  method: "POST",
  path: "/pts/v2/payments",
  api: "pts",
  mutating: true,
  resource: "payment",
  ...(resourceId === undefined ? {} : { resourceId }),
  body,
  idempotencyKey
})

// ---------------------------------------------------------------------------------------------
// Create at most once
// ---------------------------------------------------------------------------------------------

/**
 * What the creation of `record` answered, rebuilt from its TSS record, so a replay returns the
 * original result however the payment moved since: a decline is re-raised, an approval is
 * `Authorized` (hold) or `Captured` (sale) for the approved amount. A different amount or capture
 * mode under the same key is `IdempotencyConflict`.
 */
export const originalAnswer = (
  record: PaymentRecord,
  request: PaymentRequest.CreatePayment,
  operation: string
): Effect.Effect<Payment, OperationError> => {
  const payment = record.payment
  const declined = payment.status._tag === "Failed"
  // A declined record says nothing reliable about the capture mode (no `ics_bill` ran).
  if (!Money.equals(payment.amount, request.amount) || (!declined && payment.captureMode !== request.captureMode)) {
    return Effect.fail(conflict(operation, request.idempotencyKey))
  }
  if (payment.status._tag === "Failed") {
    return Effect.fail(new PaymentDeclined({ provider: PROVIDER, operation, decline: payment.status.decline }))
  }
  const approved = payment.ledger.authorized
  if (approved.amount === 0) return Effect.succeed(payment)
  const sale = request.captureMode === "automatic"
  return Effect.succeed(
    Payment.make({
      ...payment,
      method: methodSummary(request.method),
      status: { _tag: sale ? "Captured" : "Authorized" },
      ledger: sale ? Ledger.captured(approved) : Ledger.authorized(approved),
      ...(request.customer === undefined ? {} : { customerId: request.customer.id })
    })
  )
}

/**
 * Creates a payment so that it exists at most once at CyberSource, which has no idempotency key.
 *
 * The POST runs under the call policy with a reconcile step: before any retry that follows an
 * attempt that may have applied (timeout, reset after sending, 5xx, a success that does not
 * decode), TSS is searched for `clientReferenceInformation.code`; the payment this key created
 * (its tag in `comments`) is answered as it was created (a decline is re-raised), and only when
 * none exists is the POST repeated. The key's tag is also the `transactionId`, which CyberSource
 * refuses to see twice, so a repeated POST cannot charge again either; the refusal is answered the
 * same way (a replay of the same key returns the original result, a different request under it is
 * `IdempotencyConflict`). Whether the outcome is then unknown is core's decision (`Ambiguity`).
 */
export const createOnce = (
  client: Service,
  request: PaymentRequest.CreatePayment,
  operation: string
): Effect.Effect<Payment, OperationError> =>
  Effect.gen(function* () {
    const tag = yield* keyTag(request.idempotencyKey)
    // Fails an unsupported method before any I/O, then asks TMS for the card's token when payer
    // authentication runs.
    yield* paymentBody(request, operation)
    const authentication = yield* PayerAuthentication.plan(client, request, operation)
    const body = yield* paymentBody(request, operation, tag, Option.getOrUndefined(authentication))
    const call = paymentCall(operation, body, request.idempotencyKey)

    // The payment this key created: the one whose TSS record carries the key's tag (or, from a
    // provider that does not echo `comments`, an untagged one of the same amount), newest first.
    const created = Effect.gen(function* () {
      const records = yield* listRecords(client, request.reference, operation)
      const match = records
        .filter((r) => (r.tag === undefined ? Money.equals(r.payment.amount, request.amount) : r.tag === tag))
        .sort((a, b) => DateTime.toEpochMillis(b.payment.createdAt) - DateTime.toEpochMillis(a.payment.createdAt))[0]
      return Option.fromNullable(match)
    })

    const reconcile = Effect.flatMap(created, (found) =>
      Option.isSome(found)
        ? Effect.map(originalAnswer(found.value, request, operation), Option.some)
        : Effect.succeed(Option.none<Payment>())
    )

    // A replayed key is refused by CyberSource (repeated `transactionId`): answer what it created.
    const post = answerRepeat(
      Effect.flatMap(client.send(call), (response) => paymentFromCreate(call, request, response)),
      reconcile
    )

    return yield* HttpPolicy.execute({ ...client.policy(call), reference: request.reference }, () => post, {
      reconcile
    })
  })
