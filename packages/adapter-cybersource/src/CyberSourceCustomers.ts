/**
 * The `Customers` port on CyberSource TMS customers. The merchant reference is
 * `buyerInformation.merchantCustomerID` (and `clientReferenceInformation.code`), the name is
 * `objectInformation.title`. TMS has no phone field and forbids personal data in
 * merchant-defined fields, so a phone is not stored.
 *
 * @since 0.1.0
 */
import { Customer } from "@payport/core/Customer"
import * as Customers from "@payport/core/Customers"
import { CustomerId } from "@payport/core/Ids"
import type { OperationError } from "@payport/core/PaymentError"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { type Call, CyberSourceClient, decode, invalid, PROVIDER, type Response } from "./CyberSourceClient.js"
import * as Wire from "./internal/wire.js"

const CustomerWithTitle = Schema.extend(
  Wire.Customer,
  Schema.Struct({ objectInformation: Schema.optional(Schema.Struct({ title: Schema.optional(Schema.String) })) })
)

const toCustomer = (call: Call, response: Response): Effect.Effect<Customer, OperationError> =>
  Effect.flatMap(decode(CustomerWithTitle, call)(response), (body) =>
    Option.match(Schema.decodeUnknownOption(CustomerId)(body.id), {
      onNone: () => Effect.fail(invalid(call, response, "the customer id is not usable")),
      onSome: (id) => {
        const reference = body.buyerInformation?.merchantCustomerID ?? body.clientReferenceInformation?.code
        return Effect.succeed(
          Customer.make({
            id,
            provider: PROVIDER,
            ...(reference === undefined ? {} : { reference }),
            ...(body.objectInformation?.title === undefined ? {} : { name: body.objectInformation.title }),
            ...(body.buyerInformation?.email === undefined ? {} : { email: body.buyerInformation.email })
          })
        )
      }
    })
  )

/**
 * The `Customers` service over the `CyberSourceClient`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Customers.Customers.Service, never, CyberSourceClient> = Effect.gen(function* () {
  const client = yield* CyberSourceClient
  return Customers.make({
    provider: PROVIDER,
    create: (input) => {
      const buyer = {
        ...(input.reference === undefined ? {} : { merchantCustomerID: input.reference }),
        ...(input.email === undefined ? {} : { email: input.email })
      }
      const call: Call = {
        operation: "Customers.create",
        method: "POST",
        path: "/tms/v2/customers",
        api: "tms",
        mutating: true,
        resource: "customer",
        idempotencyKey: input.idempotencyKey,
        body: {
          ...(Object.keys(buyer).length === 0 ? {} : { buyerInformation: buyer }),
          ...(input.reference === undefined ? {} : { clientReferenceInformation: { code: input.reference } }),
          ...(input.name === undefined ? {} : { objectInformation: { title: input.name } })
        }
      }
      return client.execute(call, (response) =>
        Effect.map(toCustomer(call, response), (customer) =>
          input.phone === undefined ? customer : Customer.make({ ...customer, phone: input.phone })
        )
      )
    },
    get: (id) => {
      const call: Call = {
        operation: "Customers.get",
        method: "GET",
        path: `/tms/v2/customers/${encodeURIComponent(id)}`,
        api: "tms",
        mutating: false,
        resource: "customer",
        resourceId: id
      }
      return client.execute(call, (response) => toCustomer(call, response))
    }
  })
})

/**
 * The `Customers` port; requires the `CyberSourceClient`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Customers.Customers, never, CyberSourceClient> = Layer.effect(Customers.Customers, make)
