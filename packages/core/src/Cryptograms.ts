/**
 * The `Cryptograms` port: fetch a network-token cryptogram for one payment with a saved card.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import type { Cryptogram } from "./Instrument.js"
import { inContext, operation } from "./internal/port.js"
import type { OperationError } from "./PaymentError.js"
import { type InstrumentInput, type InstrumentKey, validateKey } from "./Vault.js"

/**
 * @since 0.1.0
 * @category tags
 */
export class Cryptograms extends Context.Tag("@payport/core/Cryptograms")<Cryptograms, Cryptograms.Service>() {}

/**
 * @since 0.1.0
 * @category models
 */
export declare namespace Cryptograms {
  /** @since 0.1.0 */
  export interface Service {
    readonly provider: string
    readonly fetch: (input: InstrumentInput) => Effect.Effect<Cryptogram, OperationError>
  }
  /** @since 0.1.0 */
  export interface Driver {
    readonly provider: string
    readonly fetch: (input: InstrumentKey) => Effect.Effect<Cryptogram, OperationError>
  }
}

/**
 * Builds the service from a driver.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (driver: Cryptograms.Driver): Cryptograms.Service =>
  Cryptograms.of({
    provider: driver.provider,
    fetch: (input) =>
      validateKey(input).pipe(
        inContext(driver.provider, "Cryptograms.fetch"),
        Effect.flatMap(driver.fetch),
        operation("Cryptograms", "fetch", driver.provider)
      )
  })

/**
 * @since 0.1.0
 * @category accessors
 */
export const fetch = Effect.serviceFunctionEffect(Cryptograms, (s) => s.fetch)
