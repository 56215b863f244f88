/**
 * Saved-card ownership: a payment instrument pays only for the customer it belongs to. CyberSource
 * addresses a payment instrument by its own id, so before paying with one the adapter reads it
 * under the named customer (`GET /tms/v2/customers/{customerId}/payment-instruments/{id}`), which
 * answers 404 — `NotFound` — for an instrument of another customer. Core refuses a saved-card
 * payment that names no customer.
 */
import type { OperationError } from "@payport/core/PaymentError"
import type * as PaymentRequest from "@payport/core/PaymentRequest"
import * as Effect from "effect/Effect"
import type { Service } from "../CyberSourceClient.js"
import { readInstrument } from "../CyberSourceVault.js"

/** Succeeds when the request pays with no saved card, or with one its customer owns. */
export const ownedInstrument = (
  client: Service,
  request: PaymentRequest.CreatePayment,
  operation: string
): Effect.Effect<void, OperationError> =>
  request.method._tag === "SavedCard" && request.customer !== undefined
    ? Effect.asVoid(readInstrument(client, request.customer.id, request.method.instrumentId, operation))
    : Effect.void
