/**
 * Branded identifiers and references.
 *
 * Provider ids (`PaymentId`, `RefundId`, `InstrumentId`, `CustomerId`) are opaque text the
 * provider chose. `OrderReference` and `IdempotencyKey` are the merchant's own, restricted to the
 * characters every supported provider accepts, so one reference works everywhere.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as AST from "effect/SchemaAST"
import { ValidationError } from "./PaymentError.js"

const providerId = <const B extends string>(brand: B, identifier: string) =>
  Schema.NonEmptyTrimmedString.pipe(Schema.maxLength(128), Schema.brand(brand)).annotations({
    identifier,
    description: "1 to 128 characters without surrounding spaces"
  })

/**
 * A customer at the provider.
 *
 * @since 0.1.0
 * @category ids
 */
export const CustomerId = providerId("@payport/core/CustomerId", "CustomerId")
/**
 * @since 0.1.0
 * @category ids
 */
export type CustomerId = typeof CustomerId.Type

/**
 * A saved payment instrument (Cashfree `instrument_id`, CyberSource payment instrument id).
 *
 * @since 0.1.0
 * @category ids
 */
export const InstrumentId = providerId("@payport/core/InstrumentId", "InstrumentId")
/**
 * @since 0.1.0
 * @category ids
 */
export type InstrumentId = typeof InstrumentId.Type

/**
 * A payment at the provider (Cashfree `cf_payment_id`, CyberSource payment id).
 *
 * @since 0.1.0
 * @category ids
 */
export const PaymentId = providerId("@payport/core/PaymentId", "PaymentId")
/**
 * @since 0.1.0
 * @category ids
 */
export type PaymentId = typeof PaymentId.Type

/**
 * A refund at the provider.
 *
 * @since 0.1.0
 * @category ids
 */
export const RefundId = providerId("@payport/core/RefundId", "RefundId")
/**
 * @since 0.1.0
 * @category ids
 */
export type RefundId = typeof RefundId.Type

/**
 * The merchant's own reference for an order or payment: 1 to 45 letters, digits, `_` or `-`
 * (the intersection of what Cashfree `order_id` and CyberSource `clientReferenceInformation.code`
 * accept).
 *
 * @since 0.1.0
 * @category ids
 */
export const OrderReference = Schema.String.pipe(
  Schema.pattern(/^[A-Za-z0-9_-]{1,45}$/),
  Schema.brand("@payport/core/OrderReference")
).annotations({ identifier: "OrderReference", description: "1 to 45 letters, digits, '_' or '-'" })
/**
 * @since 0.1.0
 * @category ids
 */
export type OrderReference = typeof OrderReference.Type

/**
 * An idempotency key: 8 to 64 letters, digits, `_`, `-`, `.` or `:`. The same key with the same
 * request returns the same result and moves money once.
 *
 * @since 0.1.0
 * @category ids
 */
export const IdempotencyKey = Schema.String.pipe(
  Schema.pattern(/^[A-Za-z0-9_.:-]{8,64}$/),
  Schema.brand("@payport/core/IdempotencyKey")
).annotations({ identifier: "IdempotencyKey", description: "8 to 64 letters, digits, '_', '-', '.' or ':'" })
/**
 * @since 0.1.0
 * @category ids
 */
export type IdempotencyKey = typeof IdempotencyKey.Type

/**
 * Identifies a payment at any provider. Every `Payment` carries its ref; pass it back unchanged.
 * Cashfree needs the order id beside the payment id; CyberSource needs only the id.
 *
 * @since 0.1.0
 * @category refs
 */
export class PaymentRef extends Schema.Class<PaymentRef>("@payport/core/PaymentRef")({
  provider: Schema.String,
  paymentId: PaymentId,
  /** The provider's parent resource, when it has one (Cashfree `order_id`). */
  orderId: Schema.optional(Schema.String)
}) {}

/**
 * Identifies a refund at any provider.
 *
 * @since 0.1.0
 * @category refs
 */
export class RefundRef extends Schema.Class<RefundRef>("@payport/core/RefundRef")({
  provider: Schema.String,
  refundId: RefundId,
  payment: PaymentRef
}) {}

/**
 * Decodes `value` with `schema`, reporting failure as a `ValidationError` that names `field` and
 * states the rule from the schema's description, without echoing the value.
 *
 * @since 0.1.0
 * @category validation
 */
export const validate =
  <A, I>(schema: Schema.Schema<A, I>, field: string) =>
  (value: unknown): Either.Either<A, ValidationError> =>
    Either.mapLeft(
      Schema.decodeUnknownEither(schema)(value),
      () => new ValidationError({ field, reason: `must be ${describe(schema)}` })
    )

const describe = (schema: Schema.Schema.Any): string =>
  Option.getOrElse(AST.getDescriptionAnnotation(schema.ast), () => "of the expected form")
