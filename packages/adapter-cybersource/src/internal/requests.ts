/**
 * Request bodies: the `POST /pts/v2/payments` body (card data unwrapped at the last moment), billing
 * addresses, the payment methods this adapter can pay with.
 */
import type * as Customer from "@payport/core/Customer"
import { UnsupportedMethod } from "@payport/core/PaymentError"
import * as PaymentMethod from "@payport/core/PaymentMethod"
import type * as PaymentRequest from "@payport/core/PaymentRequest"
import * as Either from "effect/Either"
import * as Redacted from "effect/Redacted"
import { PROVIDER } from "./errors.js"
import { clientReference } from "./keys.js"
import * as PayerAuthentication from "./payerAuthentication.js"
import * as Mapping from "./mapping.js"
import { amountDetails } from "./values.js"

/** A two-digit month or day, as CyberSource writes expiry months. */
export const pad2 = (n: number) => String(n).padStart(2, "0")

/** A core address as CyberSource's `billTo`; `email` fills in when the address has none. */
export const billToOf = (address: Customer.Address, email?: string) => {
  const mail = address.email ?? email
  return {
    firstName: address.firstName,
    lastName: address.lastName,
    address1: address.line1,
    ...(address.line2 === undefined ? {} : { address2: address.line2 }),
    locality: address.city,
    ...(address.region === undefined ? {} : { administrativeArea: address.region }),
    postalCode: address.postalCode,
    country: address.country,
    ...(mail === undefined ? {} : { email: mail }),
    ...(address.phone === undefined ? {} : { phoneNumber: address.phone })
  }
}

const billTo = (address: Customer.Address | undefined, email: string | undefined) =>
  address === undefined ? (email === undefined ? undefined : { email }) : billToOf(address, email)

/** A card number (unwrapped here), its expiry and its CyberSource type code, as `card`/`tokenizedCard` fields. */
const panFields = (
  number: Redacted.Redacted<string>,
  expiry: { readonly month: number; readonly year: number }
): Record<string, string> => {
  const digits = Redacted.value(PaymentMethod.normalizeNumber(number))
  const type = Mapping.cardTypeCodes[PaymentMethod.cardNetwork(digits)]
  return {
    number: digits,
    expirationMonth: pad2(expiry.month),
    expirationYear: String(expiry.year),
    ...(type === undefined ? {} : { type })
  }
}

/** The methods this adapter can pay with. */
export const supportedMethods: ReadonlyArray<PaymentMethod.MethodKind> = ["Card", "SavedCard", "NetworkToken"]

/**
 * The `POST /pts/v2/payments` body. Card data is unwrapped here, the last moment before the
 * body is serialised and signed. Other methods fail before any I/O.
 */
export const paymentBody = (
  request: PaymentRequest.CreatePayment,
  operation: string,
  tag?: string,
  authentication?: PayerAuthentication.Plan
): Either.Either<Record<string, unknown>, UnsupportedMethod> => {
  const method = request.method
  const saving = request.saveInstrument === true && request.customer !== undefined
  let paymentInformation: Record<string, unknown>
  let processing: Record<string, unknown> = {}
  switch (method._tag) {
    case "Card": {
      paymentInformation = {
        card: {
          ...panFields(method.number, method.expiry),
          ...(method.cvv === undefined ? {} : { securityCode: Redacted.value(method.cvv) })
        }
      }
      processing = { commerceIndicator: "internet" }
      break
    }
    case "SavedCard":
      paymentInformation = {
        paymentInstrument: { id: method.instrumentId },
        ...(method.cvv === undefined ? {} : { card: { securityCode: Redacted.value(method.cvv) } })
      }
      processing = { commerceIndicator: "internet" }
      break
    case "NetworkToken": {
      paymentInformation = {
        tokenizedCard: {
          ...panFields(method.tokenPan, method.expiry),
          cryptogram: Redacted.value(method.cryptogram),
          // "3": a network token with its cryptogram, as in the sandbox transcript.
          transactionType: "3",
          ...(method.tokenRequestorId === undefined ? {} : { requestorId: method.tokenRequestorId })
        }
      }
      processing = { commerceIndicator: "internet" }
      break
    }
    default:
      return Either.left(new UnsupportedMethod({ provider: PROVIDER, operation, method: method._tag }))
  }
  if (request.customer !== undefined && (saving || method._tag === "SavedCard")) {
    paymentInformation = { ...paymentInformation, customer: { id: request.customer.id } }
  }
  const actions = [
    // CyberSource sets the commerce indicator from the authentication's result.
    ...(authentication === undefined ? [] : ["CONSUMER_AUTHENTICATION"]),
    ...(saving ? ["TOKEN_CREATE"] : [])
  ]
  if (authentication !== undefined) {
    const { commerceIndicator: _indicator, ...rest } = processing
    processing = rest
  }
  if (actions.length > 0) processing = { ...processing, actionList: actions }
  if (saving) processing = { ...processing, actionTokenTypes: ["paymentInstrument", "instrumentIdentifier"] }
  processing = { ...processing, ...Mapping.initiatorProcessing(request) }
  const bill = billTo(request.billing, request.customer?.email)
  return Either.right({
    clientReferenceInformation:
      tag === undefined ? { code: request.reference } : clientReference(tag, request.reference),
    processingInformation: { capture: request.captureMode === "automatic", ...processing },
    paymentInformation,
    orderInformation: {
      amountDetails: amountDetails(request.amount),
      ...(bill === undefined ? {} : { billTo: bill })
    },
    ...(authentication === undefined
      ? {}
      : {
          ...(request.returnUrl === undefined
            ? {}
            : { consumerAuthenticationInformation: { returnUrl: request.returnUrl } }),
          merchantDefinedInformation: [PayerAuthentication.sourceField(authentication.source)]
        })
  })
}
