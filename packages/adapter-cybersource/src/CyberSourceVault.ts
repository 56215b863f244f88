/**
 * The `Vault` port on CyberSource TMS customer payment instruments: list (offset/limit pages,
 * the next page's offset as the cursor), get (with its ETag), delete. A listed instrument whose id
 * Payport cannot use (not an `InstrumentId`) fails the list with `ProviderResponseInvalid`, as
 * reading it alone does: it is never left out of a page.
 *
 * @since 0.1.0
 */
import type { CustomerId } from "@payport/core/Ids"
import type { Instrument } from "@payport/core/Instrument"
import { type OperationError, ValidationError } from "@payport/core/PaymentError"
import * as Vault from "@payport/core/Vault"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import {
  type Call,
  CyberSourceClient,
  decode,
  invalid,
  PROVIDER,
  type Response,
  type Service
} from "./CyberSourceClient.js"
import { instrumentsPath, toInstrument } from "./internal/instruments.js"
import * as Wire from "./internal/wire.js"

const nextOffset = (links: typeof Wire.Links.Type | undefined): string | undefined => {
  const next = links?.next
  if (next === undefined || Array.isArray(next)) return undefined
  const offset = new URL((next as typeof Wire.Link.Type).href, "https://cursor.invalid").searchParams.get("offset")
  return offset !== null && /^\d+$/.test(offset) ? offset : undefined
}

/**
 * Reads one instrument; its ETag (for `VaultEnrollment.update`) comes from the response header.
 *
 * @since 0.1.0
 * @category operations
 */
export const readInstrument = (
  client: Service,
  customerId: CustomerId,
  instrumentId: string,
  operation: string
): Effect.Effect<Instrument, OperationError> => {
  const call: Call = {
    operation,
    method: "GET",
    path: instrumentsPath(customerId, instrumentId),
    api: "tms",
    mutating: false,
    resource: "instrument",
    resourceId: instrumentId
  }
  return client.execute(call, (response) => instrumentFrom(call, response, customerId))
}

/**
 * The instrument in a TMS response, with the response's `ETag`.
 *
 * @since 0.1.0
 * @category decoding
 */
export const instrumentFrom = (
  call: Call,
  response: Response,
  customerId: CustomerId,
  knownDigits?: string
): Effect.Effect<Instrument, OperationError> =>
  Effect.flatMap(decode(Wire.PaymentInstrument, call)(response), (pi) =>
    Option.match(toInstrument(pi, customerId, response.headers.etag, knownDigits), {
      onNone: () => Effect.fail(invalid(call, response, "the instrument id is not usable")),
      onSome: Effect.succeed
    })
  )

/**
 * The `Vault` service over the `CyberSourceClient`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Vault.Vault.Service, never, CyberSourceClient> = Effect.gen(function* () {
  const client = yield* CyberSourceClient

  const list = (input: Vault.List) =>
    Effect.gen(function* () {
      const operation = "Vault.list"
      if (input.cursor !== undefined && !/^\d{1,9}$/.test(input.cursor)) {
        return yield* new ValidationError({
          provider: PROVIDER,
          operation,
          field: "cursor",
          reason: "is not a cursor from a previous page"
        })
      }
      const offset = input.cursor ?? "0"
      const call: Call = {
        operation,
        method: "GET",
        path: `${instrumentsPath(input.customerId)}?offset=${offset}&limit=${input.limit}`,
        api: "tms",
        mutating: false,
        resource: "customer",
        resourceId: input.customerId
      }
      return yield* client.execute(call, (response) =>
        Effect.gen(function* () {
          const body = yield* decode(Wire.PaymentInstrumentList, call)(response)
          // An instrument whose id the adapter cannot use fails the page rather than vanishing
          // from it: a caller walking pages must see every instrument or know that it did not.
          const items: Array<Instrument> = []
          for (const pi of body._embedded?.paymentInstruments ?? []) {
            const instrument = toInstrument(pi, input.customerId, undefined)
            if (Option.isNone(instrument)) {
              return yield* Effect.fail(invalid(call, response, "an instrument id on the page is not usable"))
            }
            items.push(instrument.value)
          }
          const next = nextOffset(body._links)
          const headerTotal = Number(response.headers["x-total-count"])
          const total = body.total ?? (Number.isInteger(headerTotal) ? headerTotal : undefined)
          return {
            items,
            ...(next === undefined ? {} : { next }),
            ...(total === undefined ? {} : { total })
          } satisfies Vault.Page<Instrument>
        })
      )
    })

  return Vault.make({
    provider: PROVIDER,
    list,
    get: (key) => readInstrument(client, key.customerId, key.instrumentId, "Vault.get"),
    delete: (key) => {
      const call: Call = {
        operation: "Vault.delete",
        method: "DELETE",
        path: instrumentsPath(key.customerId, key.instrumentId),
        api: "tms",
        mutating: true,
        resource: "instrument",
        resourceId: key.instrumentId
      }
      return client.execute(call, () => Effect.void)
    }
  })
})

/**
 * The `Vault` port; requires the `CyberSourceClient`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Vault.Vault, never, CyberSourceClient> = Layer.effect(Vault.Vault, make)
