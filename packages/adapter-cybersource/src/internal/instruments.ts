/**
 * TMS customer payment instruments → core `Instrument`, the paths of the five seed operations, and
 * the instrument identifier of a card number.
 */
import type { CustomerId } from "@payport/core/Ids"
import { InstrumentId } from "@payport/core/Ids"
import { Instrument } from "@payport/core/Instrument"
import type { OperationError } from "@payport/core/PaymentError"
import * as PaymentMethod from "@payport/core/PaymentMethod"
import type * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { type Call, PROVIDER, type Service } from "../CyberSourceClient.js"
import { decode } from "./errors.js"
import * as Mapping from "./mapping.js"
import * as Wire from "./wire.js"

/** `/tms/v2/customers/{customerId}/payment-instruments[/{instrumentId}]`. */
export const instrumentsPath = (customerId: string, instrumentId?: string): string =>
  `/tms/v2/customers/${encodeURIComponent(customerId)}/payment-instruments${
    instrumentId === undefined ? "" : `/${encodeURIComponent(instrumentId)}`
  }`

const expiry = (card: {
  readonly expirationMonth?: string | undefined
  readonly expirationYear?: string | undefined
}) => {
  const month = Number(card.expirationMonth)
  const year = Number(card.expirationYear)
  return Number.isInteger(month) && Number.isInteger(year) && month >= 1 && month <= 12 ? { month, year } : undefined
}

/**
 * A core instrument from a TMS payment instrument. `display` comes from the masked number of the
 * embedded instrument identifier (or `knownDigits`, when the caller just enrolled the card).
 */
export const toInstrument = (
  pi: Wire.PaymentInstrument,
  customerId: CustomerId,
  etag: string | undefined,
  knownDigits?: string
): Option.Option<Instrument> =>
  Option.map(Schema.decodeUnknownOption(InstrumentId)(pi.id), (id) => {
    const masked = pi._embedded?.instrumentIdentifier?.card?.number ?? knownDigits
    const network = pi.card?.type === undefined ? undefined : Mapping.cardNetworks[pi.card.type]
    const cardExpiry = pi.card === undefined ? undefined : expiry(pi.card)
    const holder = [pi.billTo?.firstName, pi.billTo?.lastName].filter((part) => part !== undefined).join(" ")
    const state = (pi.state ?? "ACTIVE").toUpperCase()
    const iiId = pi.instrumentIdentifier?.id ?? pi._embedded?.instrumentIdentifier?.id
    return Instrument.make({
      id,
      customerId,
      provider: PROVIDER,
      kind: pi.card !== undefined ? "card" : pi.bankAccount !== undefined ? "bank_account" : "other",
      display: masked === undefined ? "••••" : PaymentMethod.mask(masked),
      ...(network === undefined ? {} : { network }),
      ...(cardExpiry === undefined ? {} : { expiry: cardExpiry }),
      ...(holder.length === 0 ? {} : { holder }),
      ...(pi.billTo?.country === undefined ? {} : { country: pi.billTo.country }),
      status: Object.hasOwn(Mapping.instrumentStates, state)
        ? Mapping.instrumentStates[state as keyof typeof Mapping.instrumentStates]
        : "Inactive",
      isDefault: pi.default ?? false,
      ...(etag === undefined ? {} : { etag }),
      meta: {
        state,
        ...(pi.type === undefined ? {} : { type: pi.type }),
        ...(pi.card?.type === undefined ? {} : { cardType: pi.card.type }),
        ...(iiId === undefined ? {} : { instrumentIdentifierId: iiId })
      }
    })
  })

/**
 * `POST /tms/v1/instrumentidentifiers` for a card number: its instrument identifier (CyberSource
 * answers an existing card with 200 and the same id, so a repeat creates nothing).
 */
export const instrumentIdentifier = (
  client: Service,
  number: Redacted.Redacted<string>,
  operation: string
): Effect.Effect<typeof Wire.InstrumentIdentifier.Type, OperationError> => {
  const call: Call = {
    operation,
    method: "POST",
    path: "/tms/v1/instrumentidentifiers",
    api: "tms",
    mutating: false,
    resource: "instrument identifier",
    body: { card: { number: Redacted.value(PaymentMethod.normalizeNumber(number)) } }
  }
  return client.execute(call, decode(Wire.InstrumentIdentifier, call))
}
