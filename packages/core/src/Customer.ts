/**
 * A customer at the provider: the owner of saved instruments.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { CustomerId } from "./Ids.js"

/**
 * @since 0.1.0
 * @category models
 */
export class Customer extends Schema.Class<Customer>("@payport/core/Customer")({
  id: CustomerId,
  provider: Schema.String,
  /** The merchant's own id for the customer. */
  reference: Schema.optional(Schema.String),
  name: Schema.optional(Schema.String),
  email: Schema.optional(Schema.String),
  phone: Schema.optional(Schema.String)
}) {}

/**
 * A billing address (required by some providers for card payments and saved instruments).
 *
 * @since 0.1.0
 * @category models
 */
export class Address extends Schema.Class<Address>("@payport/core/Address")({
  firstName: Schema.String,
  lastName: Schema.String,
  line1: Schema.String,
  line2: Schema.optional(Schema.String),
  city: Schema.String,
  region: Schema.optional(Schema.String),
  postalCode: Schema.String,
  /** ISO 3166-1 alpha-2. */
  country: Schema.String,
  email: Schema.optional(Schema.String),
  phone: Schema.optional(Schema.String)
}) {}
