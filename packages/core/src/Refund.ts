/**
 * A refund of (part of) a captured payment.
 *
 * @since 0.1.0
 * @category models
 */
import * as Schema from "effect/Schema"
import { RefundRef } from "./Ids.js"
import { Money } from "./Money.js"
import { constructorCheck } from "./internal/construct.js"

/**
 * @since 0.1.0
 * @category status
 */
export const Pending = Schema.TaggedStruct("Pending", {})
/**
 * @since 0.1.0
 * @category status
 */
export const Succeeded = Schema.TaggedStruct("Succeeded", {})
/**
 * @since 0.1.0
 * @category status
 */
export const Failed = Schema.TaggedStruct("Failed", { reason: Schema.String })
/**
 * @since 0.1.0
 * @category status
 */
export const Unknown = Schema.TaggedStruct("Unknown", { since: Schema.DateTimeUtc })

/**
 * The status of a refund.
 *
 * @since 0.1.0
 * @category status
 */
export const RefundStatus = Schema.Union(Pending, Succeeded, Failed, Unknown)
/**
 * @since 0.1.0
 * @category status
 */
export type RefundStatus = typeof RefundStatus.Type
/**
 * @since 0.1.0
 * @category status
 */
export type StatusTag = RefundStatus["_tag"]

const refundFields = {
  ref: RefundRef,
  amount: Money,
  status: RefundStatus,
  /** The merchant's own refund reference, when one was given. */
  reference: Schema.optional(Schema.String),
  reason: Schema.optional(Schema.String),
  createdAt: Schema.DateTimeUtc
}

const checkRefund = constructorCheck(refundFields)

/**
 * A refund.
 *
 * @since 0.1.0
 * @category models
 */
export class Refund extends Schema.Class<Refund>("@payport/core/Refund")(refundFields) {
  constructor(props: Schema.Struct.Constructor<typeof refundFields>, options?: Schema.MakeOptions) {
    super(checkRefund(props, options), true)
  }
}
