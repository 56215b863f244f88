/**
 * The `Customers` port: `POST /customers` creates a customer (Cashfree returns its
 * `customer_uid`, which becomes the customer id). Cashfree has no endpoint to read a customer
 * back, so `get` fails with `UnsupportedMethod` before any I/O.
 *
 * @since 0.1.0
 */
import * as Customers from "@payport/core/Customers"
import { UnsupportedMethod, ValidationError } from "@payport/core/PaymentError"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { CashfreeClient } from "./CashfreeClient.js"
import { customerFromEntity, PROVIDER } from "./internal/mapping.js"
import { orInvalid } from "./internal/orders.js"
import { phone } from "./internal/requests.js"
import * as Wire from "./internal/wire.js"

/**
 * The Cashfree driver of the `Customers` port.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeDriver = (client: CashfreeClient.Service): Customers.Customers.Driver => ({
  provider: PROVIDER,
  create: (input) =>
    Effect.gen(function* () {
      const operation = "Customers.create"
      if (input.phone === undefined) {
        return yield* new ValidationError({
          provider: PROVIDER,
          operation,
          field: "phone",
          reason: "is required by Cashfree"
        })
      }
      const number = yield* phone(operation, "phone", input.phone)
      const response = yield* client.request({
        operation,
        method: "POST",
        path: "/customers",
        body: () => ({ customer_phone: number, customer_email: input.email, customer_name: input.name }),
        idempotencyKey: input.idempotencyKey,
        schema: Wire.One(Wire.CustomerEntity)
      })
      return yield* orInvalid(operation, response.body, { mutating: true, idempotencyKey: input.idempotencyKey })(
        customerFromEntity(response.body, input.reference)
      )
    }),
  get: () => Effect.fail(new UnsupportedMethod({ provider: PROVIDER, operation: "Customers.get", method: "get" }))
})

/**
 * The `Customers` service over the `CashfreeClient`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Customers.Customers.Service, never, CashfreeClient> = Effect.map(
  CashfreeClient,
  (client) => Customers.make(makeDriver(client))
)

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Customers.Customers, never, CashfreeClient> = Layer.effect(Customers.Customers, make)
