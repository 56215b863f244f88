/**
 * The `Vault` port: read and delete a customer's saved payment instruments.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import { CustomerId, InstrumentId, validate } from "./Ids.js"
import type { Instrument } from "./Instrument.js"
import { inContext, operation } from "./internal/port.js"
import { type OperationError, ValidationError } from "./PaymentError.js"

/**
 * One page of a listing. `next` is an opaque cursor for the following page, absent on the last.
 *
 * @since 0.1.0
 * @category models
 */
export interface Page<A> {
  readonly items: ReadonlyArray<A>
  readonly next?: string
  /** The total count, where the provider reports it. */
  readonly total?: number
}

/**
 * Which instruments to list.
 *
 * @since 0.1.0
 * @category requests
 */
export interface ListInput {
  readonly customerId: string
  /** A cursor from a previous page's `next`. */
  readonly cursor?: string
  /** Page size, 1–100 (providers without paging return everything on one page). */
  readonly limit?: number
}

/**
 * One instrument of one customer.
 *
 * @since 0.1.0
 * @category requests
 */
export interface InstrumentInput {
  readonly customerId: string
  readonly instrumentId: string
}

/**
 * The validated forms drivers receive.
 *
 * @since 0.1.0
 * @category requests
 */
export interface List {
  readonly customerId: CustomerId
  readonly cursor?: string
  readonly limit: number
}

/**
 * @since 0.1.0
 * @category requests
 */
export interface InstrumentKey {
  readonly customerId: CustomerId
  readonly instrumentId: InstrumentId
}

/**
 * @since 0.1.0
 * @category tags
 */
export class Vault extends Context.Tag("@payport/core/Vault")<Vault, Vault.Service>() {}

/**
 * @since 0.1.0
 * @category models
 */
export declare namespace Vault {
  /** @since 0.1.0 */
  export interface Service {
    readonly provider: string
    readonly list: (input: ListInput) => Effect.Effect<Page<Instrument>, OperationError>
    readonly get: (input: InstrumentInput) => Effect.Effect<Instrument, OperationError>
    /** Delete a saved instrument; reading it afterwards fails with `NotFound`. */
    readonly delete: (input: InstrumentInput) => Effect.Effect<void, OperationError>
  }
  /** @since 0.1.0 */
  export interface Driver {
    readonly provider: string
    readonly list: (input: List) => Effect.Effect<Page<Instrument>, OperationError>
    readonly get: (input: InstrumentKey) => Effect.Effect<Instrument, OperationError>
    readonly delete: (input: InstrumentKey) => Effect.Effect<void, OperationError>
  }
}

/**
 * Validates a customer id and instrument id.
 *
 * @since 0.1.0
 * @category validation
 */
export const validateKey = (input: InstrumentInput): Effect.Effect<InstrumentKey, ValidationError> =>
  Effect.all({
    customerId: validate(CustomerId, "customerId")(input.customerId),
    instrumentId: validate(InstrumentId, "instrumentId")(input.instrumentId)
  })

const validateList = (input: ListInput): Effect.Effect<List, ValidationError> =>
  Effect.gen(function* () {
    const customerId = yield* validate(CustomerId, "customerId")(input.customerId)
    const limit = input.limit ?? 20
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
      return yield* new ValidationError({ field: "limit", reason: "must be a whole number from 1 to 100" })
    }
    return { customerId, limit, ...(input.cursor === undefined ? {} : { cursor: input.cursor }) }
  })

/**
 * Builds the service from a driver.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (driver: Vault.Driver): Vault.Service => {
  const { provider } = driver
  return Vault.of({
    provider,
    list: (input) =>
      validateList(input).pipe(
        inContext(provider, "Vault.list"),
        Effect.flatMap(driver.list),
        operation("Vault", "list", provider)
      ),
    get: (input) =>
      validateKey(input).pipe(
        inContext(provider, "Vault.get"),
        Effect.flatMap(driver.get),
        operation("Vault", "get", provider)
      ),
    delete: (input) =>
      validateKey(input).pipe(
        inContext(provider, "Vault.delete"),
        Effect.flatMap(driver.delete),
        operation("Vault", "delete", provider)
      )
  })
}

/**
 * @since 0.1.0
 * @category accessors
 */
export const list = Effect.serviceFunctionEffect(Vault, (s) => s.list)
/**
 * @since 0.1.0
 * @category accessors
 */
export const get = Effect.serviceFunctionEffect(Vault, (s) => s.get)
const deleteInstrument = Effect.serviceFunctionEffect(Vault, (s) => s.delete)
export {
  /**
   * @since 0.1.0
   * @category accessors
   */
  deleteInstrument as delete
}
