/**
 * The `Customers` port: create and read the customers that own saved instruments.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import type { Customer } from "./Customer.js"
import * as Idempotency from "./Idempotency.js"
import { CustomerId, type IdempotencyKey, validate } from "./Ids.js"
import { EMAIL, inContext, matches, nonEmpty, operation, PHONE, PHONE_RULE } from "./internal/port.js"
import type { OperationError, ValidationError } from "./PaymentError.js"

/**
 * @since 0.1.0
 * @category requests
 */
export interface CreateInput {
  /** The merchant's own id for the customer; also the basis of the derived idempotency key. */
  readonly reference?: string
  readonly name?: string
  readonly email?: string
  readonly phone?: string
  readonly idempotencyKey?: string
}

/**
 * @since 0.1.0
 * @category requests
 */
export interface Create extends Omit<CreateInput, "idempotencyKey"> {
  readonly idempotencyKey: IdempotencyKey
}

/**
 * @since 0.1.0
 * @category tags
 */
export class Customers extends Context.Tag("@payport/core/Customers")<Customers, Customers.Service>() {}

/**
 * @since 0.1.0
 * @category models
 */
export declare namespace Customers {
  /** @since 0.1.0 */
  export interface Service {
    readonly provider: string
    readonly create: (input: CreateInput) => Effect.Effect<Customer, OperationError>
    readonly get: (id: string) => Effect.Effect<Customer, OperationError>
  }
  /** @since 0.1.0 */
  export interface Driver {
    readonly provider: string
    readonly create: (input: Create) => Effect.Effect<Customer, OperationError>
    readonly get: (id: CustomerId) => Effect.Effect<Customer, OperationError>
  }
}

const validateCreate = (input: CreateInput): Effect.Effect<Create, ValidationError> =>
  Effect.gen(function* () {
    yield* nonEmpty("reference", input.reference, 64)
    yield* nonEmpty("name", input.name, 100)
    yield* matches("email", input.email, EMAIL, "an email address")
    yield* matches("phone", input.phone, PHONE, PHONE_RULE)
    const idempotencyKey = yield* Idempotency.resolve(input.idempotencyKey, "customer", [
      input.reference ?? "",
      input.email ?? "",
      input.phone ?? ""
    ])
    return { ...input, idempotencyKey }
  })

/**
 * Builds the service from a driver.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (driver: Customers.Driver): Customers.Service => {
  const { provider } = driver
  return Customers.of({
    provider,
    create: (input) =>
      validateCreate(input).pipe(
        inContext(provider, "Customers.create"),
        Effect.flatMap(driver.create),
        operation("Customers", "create", provider)
      ),
    get: (id) =>
      validate(
        CustomerId,
        "customerId"
      )(id).pipe(
        inContext(provider, "Customers.get"),
        Effect.flatMap(driver.get),
        operation("Customers", "get", provider)
      )
  })
}

/**
 * @since 0.1.0
 * @category accessors
 */
export const create = Effect.serviceFunctionEffect(Customers, (s) => s.create)
/**
 * @since 0.1.0
 * @category accessors
 */
export const get = Effect.serviceFunctionEffect(Customers, (s) => s.get)
