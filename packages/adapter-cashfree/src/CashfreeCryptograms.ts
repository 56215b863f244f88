/**
 * The `Cryptograms` port: a network-token cryptogram for a saved card
 * (`GET /customers/{customer_id}/instruments/{instrument_id}/cryptogram`). The token PAN and
 * cryptogram are wrapped in `Redacted` as soon as they are decoded.
 *
 * @since 0.1.0
 */
import * as Cryptograms from "@payport/core/Cryptograms"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { CashfreeClient } from "./CashfreeClient.js"
import { instrumentsPath } from "./CashfreeVault.js"
import { cryptogramFromEntity, PROVIDER } from "./internal/mapping.js"
import { orInvalid } from "./internal/orders.js"
import * as Wire from "./internal/wire.js"

/**
 * The Cashfree driver of the `Cryptograms` port.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeDriver = (client: CashfreeClient.Service): Cryptograms.Cryptograms.Driver => ({
  provider: PROVIDER,
  fetch: (input) =>
    Effect.gen(function* () {
      const operation = "Cryptograms.fetch"
      const response = yield* client.request({
        operation,
        method: "GET",
        path: `${instrumentsPath(input.customerId, input.instrumentId)}/cryptogram`,
        schema: Wire.CryptogramEntity,
        resource: { name: "instrument", id: input.instrumentId }
      })
      // Never echo this body into an error: it holds the token PAN and the cryptogram.
      return yield* orInvalid(operation, {})(cryptogramFromEntity(response.body, input.instrumentId))
    })
})

/**
 * The `Cryptograms` service over the `CashfreeClient`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Cryptograms.Cryptograms.Service, never, CashfreeClient> = Effect.map(
  CashfreeClient,
  (client) => Cryptograms.make(makeDriver(client))
)

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Cryptograms.Cryptograms, never, CashfreeClient> = Layer.effect(
  Cryptograms.Cryptograms,
  make
)
