/**
 * Payer Authentication (3-D Secure) on CyberSource's wire: which payments ask for it, what the
 * authorization that asks carries, and the merchant-defined data that lets any process complete
 * the payment later without keeping anything between the two requests.
 *
 * The flow is the combined one the Payer Authentication guide describes: the authorization asks
 * for the enrollment check (`processingInformation.actionList: ["CONSUMER_AUTHENTICATION"]`); a
 * frictionless, attempted or unavailable authentication authorizes at once, a refused one is
 * declined, and a step-up answers `PENDING_AUTHENTICATION` with the step-up URL and its access
 * token. After the payer's step, a second authorization validates the authentication
 * (`VALIDATE_CONSUMER_AUTHENTICATION` with `authenticationTransactionId`) and authorizes with its
 * result inside CyberSource, so the cryptogram (CAVV/AAV) never passes through this process.
 *
 * Device data collection (`/risk/v1/authentication-setups`, Cardinal's iframe) runs in the payer's
 * browser; a server library has no browser, and CyberSource checks enrollment without its
 * `referenceId`, so it is not part of this flow.
 */
import type { OperationError } from "@payport/core/PaymentError"
import * as PaymentRequest from "@payport/core/PaymentRequest"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type { Service } from "../CyberSourceClient.js"
import { instrumentIdentifier } from "./instruments.js"
import type * as Wire from "./wire.js"

/**
 * Where the completion finds the card again: a TMS token for it. A raw card gets its instrument
 * identifier (created before the payment; one per card number), so that the final authorization
 * can name the card without its number; a saved card is its payment instrument.
 */
export type Source =
  | { readonly _tag: "instrumentIdentifier"; readonly id: string }
  | { readonly _tag: "paymentInstrument"; readonly id: string }

/**
 * The merchant-defined data field Payport writes (`merchantDefinedInformation[].key`, documented
 * as a number from 0 to 100; the last, so a merchant's own fields keep the low numbers). TSS
 * details echo it. It holds token ids and transaction ids, never card data (which the field's
 * documentation forbids).
 */
export const fieldKey = "100"

const PREFIX = "payport-3ds"

/** The field of a payment that waits on 3-D Secure: the token its completion pays with. */
export const sourceField = (source: Source) => ({ key: fieldKey, value: `${PREFIX} ${source._tag} ${source.id}` })

/** The field of a final authorization: the payment it completes. */
export const completesField = (paymentId: string) => ({ key: fieldKey, value: `${PREFIX} completes ${paymentId}` })

const fieldWords = (details: Wire.TransactionDetails): ReadonlyArray<string> | undefined => {
  const value = details.merchantDefinedInformation?.find((f) => f.key === fieldKey)?.value
  const words = value?.split(" ")
  return words?.[0] === PREFIX ? words.slice(1) : undefined
}

/** The token a waiting payment's completion pays with, from its TSS details. */
export const sourceOf = (details: Wire.TransactionDetails): Option.Option<Source> => {
  const [kind, id] = fieldWords(details) ?? []
  if (id === undefined || id.length === 0) return Option.none()
  return kind === "instrumentIdentifier" || kind === "paymentInstrument"
    ? Option.some({ _tag: kind, id })
    : Option.none()
}

/** The payment a final authorization completes, from its TSS details. */
export const completesOf = (details: Wire.TransactionDetails): string | undefined => {
  const [kind, id] = fieldWords(details) ?? []
  return kind === "completes" && id !== undefined && id.length > 0 ? id : undefined
}

/**
 * What the authorization of a payment that runs payer authentication carries beside the usual
 * fields: how it pays (`Source`), and the return URL for the step-up.
 */
export interface Plan {
  readonly source: Source
}

/**
 * Whether a payment runs payer authentication: a card the payer is present for, for an amount (a
 * zero-amount authorization verifies a card being saved; it is no purchase to authenticate).
 */
const authenticates = (request: PaymentRequest.CreatePayment): boolean =>
  (request.method._tag === "Card" || request.method._tag === "SavedCard") &&
  request.amount.amount > 0 &&
  PaymentRequest.initiatorOf(request)._tag === "Customer"

/** The plan of a payment when the client runs payer authentication and the payment is one it applies to. */
export const plan = (
  client: Service,
  request: PaymentRequest.CreatePayment,
  operation: string
): Effect.Effect<Option.Option<Plan>, OperationError> => {
  const method = request.method
  if (!client.payerAuthentication || !authenticates(request)) return Effect.succeed(Option.none())
  if (method._tag === "SavedCard") {
    return Effect.succeed(Option.some({ source: { _tag: "paymentInstrument", id: method.instrumentId } }))
  }
  if (method._tag !== "Card") return Effect.succeed(Option.none())
  return Effect.map(instrumentIdentifier(client, method.number, operation), (identifier) =>
    Option.some({ source: { _tag: "instrumentIdentifier", id: identifier.id } })
  )
}
