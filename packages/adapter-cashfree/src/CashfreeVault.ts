/**
 * The `Vault` port on Cashfree's token vault: a customer's saved cards (cards are saved by paying
 * with `saveInstrument`). Cashfree answers a customer's whole list at once; the adapter pages it
 * itself (`limit`, and an opaque `cursor` for the next page), in instrument id order.
 *
 * @since 0.1.0
 */
import type { Instrument } from "@payport/core/Instrument"
import { ValidationError } from "@payport/core/PaymentError"
import * as Vault from "@payport/core/Vault"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import { CashfreeClient } from "./CashfreeClient.js"
import { instrumentFromEntity, PROVIDER } from "./internal/mapping.js"
import { orInvalid } from "./internal/orders.js"
import * as Wire from "./internal/wire.js"

const segment = (value: string) => encodeURIComponent(value)

/**
 * The path of a customer's saved instruments, or of one of them.
 *
 * @since 0.1.0
 * @category paths
 */
export const instrumentsPath = (customerId: string, instrumentId?: string): string =>
  `/customers/${segment(customerId)}/instruments${instrumentId === undefined ? "" : `/${segment(instrumentId)}`}`

const CURSOR = /^after:(.+)$/

const encodeCursor = (id: string): string => `after:${id}`

/**
 * One page of a listing Cashfree answers whole: instruments in id order, the page after the
 * cursor's id. A cursor names the last instrument a page showed, not a position, so a caller
 * walking pages sees every instrument that exists throughout the walk exactly once, even when
 * others are saved or deleted meanwhile.
 */
const pageOf = (
  all: ReadonlyArray<Instrument>,
  input: Vault.List,
  operation: string
): Effect.Effect<Vault.Page<Instrument>, ValidationError> => {
  const after = input.cursor === undefined ? undefined : CURSOR.exec(input.cursor)?.[1]
  if (input.cursor !== undefined && after === undefined) {
    return Effect.fail(
      new ValidationError({
        provider: PROVIDER,
        operation,
        field: "cursor",
        reason: "is not a cursor from a previous page"
      })
    )
  }
  const sorted = [...all].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  const rest = after === undefined ? sorted : sorted.filter((i) => i.id > after)
  const items = rest.slice(0, input.limit)
  const last = items.at(-1)
  return Effect.succeed({
    items,
    ...(rest.length > items.length && last !== undefined ? { next: encodeCursor(last.id) } : {}),
    total: all.length
  })
}

/**
 * The Cashfree driver of the `Vault` port.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeDriver = (client: CashfreeClient.Service): Vault.Vault.Driver => ({
  provider: PROVIDER,
  list: (input) =>
    Effect.gen(function* () {
      const operation = "Vault.list"
      const entities = yield* client
        .request({
          operation,
          method: "GET",
          path: instrumentsPath(input.customerId),
          query: { instrument_type: "card" },
          schema: Wire.InstrumentEntities,
          resource: { name: "customer", id: input.customerId }
        })
        .pipe(
          Effect.map((response): ReadonlyArray<Wire.InstrumentEntity> => response.body),
          // A customer who never saved a card is unknown to the vault: an empty list.
          Effect.catchTag("NotFound", () => Effect.succeed<ReadonlyArray<Wire.InstrumentEntity>>([]))
        )
      const all: Array<Instrument> = []
      for (const entity of entities) all.push(yield* orInvalid(operation, entity)(instrumentFromEntity(entity)))
      return yield* pageOf(all, input, operation)
    }),
  get: (input) =>
    Effect.gen(function* () {
      const operation = "Vault.get"
      const response = yield* client.request({
        operation,
        method: "GET",
        path: instrumentsPath(input.customerId, input.instrumentId),
        schema: Wire.One(Wire.InstrumentEntity),
        resource: { name: "instrument", id: input.instrumentId }
      })
      return yield* orInvalid(operation, response.body)(instrumentFromEntity(response.body))
    }),
  delete: (input) =>
    client
      .request({
        operation: "Vault.delete",
        method: "DELETE",
        path: instrumentsPath(input.customerId, input.instrumentId),
        // The deleted instrument is echoed back; nothing in it is needed.
        schema: Schema.Unknown,
        resource: { name: "instrument", id: input.instrumentId }
      })
      .pipe(Effect.asVoid)
})

/**
 * The `Vault` service over the `CashfreeClient`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Vault.Vault.Service, never, CashfreeClient> = Effect.map(CashfreeClient, (client) =>
  Vault.make(makeDriver(client))
)

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Vault.Vault, never, CashfreeClient> = Layer.effect(Vault.Vault, make)
