/**
 * The `VaultEnrollment` port: save a card without paying, update it with optimistic concurrency
 * (a stale `etag` fails with `PreconditionFailed`), and choose the default instrument.
 *
 * Saving verifies the card first: the provider authorizes a zero amount (nothing is held, so
 * nothing needs releasing), and a card the issuer declines fails with `PaymentDeclined` and is not
 * saved — as the card networks ask of a credential stored for later payments.
 *
 * Providers that save cards only by paying with `saveInstrument: true` (Cashfree) do not provide
 * this tag, so code that needs it does not compile against their layer.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { type CurrencyCode, isCurrencyCode } from "./Currency.js"
import type { Address } from "./Customer.js"
import * as Idempotency from "./Idempotency.js"
import { CustomerId, type IdempotencyKey, validate } from "./Ids.js"
import type { Instrument } from "./Instrument.js"
import { inContext, nonEmpty, operation } from "./internal/port.js"
import { type OperationError, ValidationError } from "./PaymentError.js"
import * as PaymentMethod from "./PaymentMethod.js"
import { type InstrumentInput, type InstrumentKey, validateKey } from "./Vault.js"

/**
 * Save a card for a customer.
 *
 * @since 0.1.0
 * @category requests
 */
export interface CreateInput {
  readonly customerId: string
  readonly card: PaymentMethod.Card
  readonly billing?: Address
  readonly makeDefault?: boolean
  /** The currency of the zero-amount authorization that verifies the card (default USD). */
  readonly currency?: CurrencyCode
  readonly idempotencyKey?: string
}

/**
 * @since 0.1.0
 * @category requests
 */
export interface Create extends Omit<CreateInput, "customerId" | "idempotencyKey"> {
  readonly customerId: CustomerId
  readonly idempotencyKey: IdempotencyKey
}

/**
 * Change a saved card. `etag` is the instrument's current version (from `get` or `list`).
 *
 * @since 0.1.0
 * @category requests
 */
export interface UpdateInput extends InstrumentInput {
  readonly etag: string
  readonly expiry?: PaymentMethod.CardExpiry
  readonly holder?: string
  readonly billing?: Address
}

/**
 * @since 0.1.0
 * @category requests
 */
export interface Update extends InstrumentKey, Omit<UpdateInput, "customerId" | "instrumentId"> {}

/**
 * @since 0.1.0
 * @category tags
 */
export class VaultEnrollment extends Context.Tag("@payport/core/VaultEnrollment")<
  VaultEnrollment,
  VaultEnrollment.Service
>() {}

/**
 * @since 0.1.0
 * @category models
 */
export declare namespace VaultEnrollment {
  /** @since 0.1.0 */
  export interface Service {
    readonly provider: string
    readonly create: (input: CreateInput) => Effect.Effect<Instrument, OperationError>
    readonly update: (input: UpdateInput) => Effect.Effect<Instrument, OperationError>
    readonly setDefault: (
      input: InstrumentInput & { readonly etag?: string }
    ) => Effect.Effect<Instrument, OperationError>
  }
  /** @since 0.1.0 */
  export interface Driver {
    readonly provider: string
    readonly create: (input: Create) => Effect.Effect<Instrument, OperationError>
    readonly update: (input: Update) => Effect.Effect<Instrument, OperationError>
    readonly setDefault: (
      input: InstrumentKey & { readonly etag?: string }
    ) => Effect.Effect<Instrument, OperationError>
  }
}

const validateCreate = (input: CreateInput): Effect.Effect<Create, ValidationError> =>
  Effect.gen(function* () {
    const customerId = yield* validate(CustomerId, "customerId")(input.customerId)
    yield* PaymentMethod.validate(input.card, "card")
    if (input.currency !== undefined && !isCurrencyCode(input.currency)) {
      return yield* new ValidationError({ field: "currency", reason: "is not an ISO 4217 currency code" })
    }
    // The derived key names the card by a hash, never by its digits.
    const card = yield* Idempotency.uuidFromName(Redacted.value(PaymentMethod.normalizeNumber(input.card.number)))
    const idempotencyKey = yield* Idempotency.resolve(input.idempotencyKey, "enroll", [customerId, card])
    const { customerId: _, idempotencyKey: __, ...rest } = input
    return { ...rest, customerId, idempotencyKey }
  })

const validateUpdate = (input: UpdateInput): Effect.Effect<Update, ValidationError> =>
  Effect.gen(function* () {
    const key = yield* validateKey(input)
    yield* nonEmpty("etag", input.etag, 256)
    yield* nonEmpty("holder", input.holder, 100)
    if (input.expiry === undefined && input.holder === undefined && input.billing === undefined) {
      return yield* new ValidationError({ field: "changes", reason: "must change expiry, holder or billing" })
    }
    return { ...input, ...key }
  })

/**
 * Builds the service from a driver.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (driver: VaultEnrollment.Driver): VaultEnrollment.Service => {
  const { provider } = driver
  return VaultEnrollment.of({
    provider,
    create: (input) =>
      validateCreate(input).pipe(
        inContext(provider, "VaultEnrollment.create"),
        Effect.flatMap(driver.create),
        operation("VaultEnrollment", "create", provider)
      ),
    update: (input) =>
      validateUpdate(input).pipe(
        inContext(provider, "VaultEnrollment.update"),
        Effect.flatMap(driver.update),
        operation("VaultEnrollment", "update", provider)
      ),
    setDefault: (input) =>
      validateKey(input).pipe(
        inContext(provider, "VaultEnrollment.setDefault"),
        Effect.flatMap((key) => driver.setDefault(input.etag === undefined ? key : { ...key, etag: input.etag })),
        operation("VaultEnrollment", "setDefault", provider)
      )
  })
}

/**
 * @since 0.1.0
 * @category accessors
 */
export const create = Effect.serviceFunctionEffect(VaultEnrollment, (s) => s.create)
/**
 * @since 0.1.0
 * @category accessors
 */
export const update = Effect.serviceFunctionEffect(VaultEnrollment, (s) => s.update)
/**
 * @since 0.1.0
 * @category accessors
 */
export const setDefault = Effect.serviceFunctionEffect(VaultEnrollment, (s) => s.setDefault)
