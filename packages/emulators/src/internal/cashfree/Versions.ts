/**
 * The `x-api-version`s the Cashfree emulator serves and how response shapes differ between them.
 *
 * Source: providers/cashfree.md §1 and the three OpenAPI documents. 2022-09-01 returns `cf_*` ids
 * as integers, puts `payments`/`refunds`/`settlements` URL objects on the order and prefixes
 * `cf_refund_id` with `refund_`; 2023-08-01 turns ids into strings, drops the URL objects and adds
 * `customer_uid`; 2025-01-01 adds `order_currency`, `payment_gateway_details`,
 * `international_payment` and `payment_surcharge` to payments, forex fields to refunds,
 * `redirect_to_bank` to Order Pay data, and `x-idempotency-key` to webhooks. 2026-01-01 has no
 * published spec (the Node SDK 6.x defaults to it); it is served as 2025-01-01.
 */

/** The versions served, oldest first. */
export const supported = ["2022-09-01", "2023-08-01", "2025-01-01", "2026-01-01"] as const

/** A served version. */
export type Version = (typeof supported)[number]

/** The version Cashfree documents as current. */
export const latest: Version = "2025-01-01"

/** True for a served version. */
export const isSupported = (value: string | undefined): value is Version =>
  value !== undefined && (supported as ReadonlyArray<string>).includes(value)

/** How responses look under one version. */
export interface Shape {
  /** `cf_order_id`, `cf_payment_id` (and the refund's `cf_payment_id`) are JSON integers. */
  readonly numericIds: boolean
  /** Orders carry `payments`/`refunds`/`settlements` `{url}` objects. */
  readonly orderUrlObjects: boolean
  /** `cf_refund_id` is `refund_<n>`. */
  readonly refundIdPrefix: boolean
  /** `customer_details.customer_uid` exists. */
  readonly customerUid: boolean
  /** The 2025-01-01 additions (see the module comment). */
  readonly additions2025: boolean
}

const shapes: { readonly [V in Version]: Shape } = {
  "2022-09-01": {
    numericIds: true,
    orderUrlObjects: true,
    refundIdPrefix: true,
    customerUid: false,
    additions2025: false
  },
  "2023-08-01": {
    numericIds: false,
    orderUrlObjects: false,
    refundIdPrefix: false,
    customerUid: true,
    additions2025: false
  },
  "2025-01-01": {
    numericIds: false,
    orderUrlObjects: false,
    refundIdPrefix: false,
    customerUid: true,
    additions2025: true
  },
  "2026-01-01": {
    numericIds: false,
    orderUrlObjects: false,
    refundIdPrefix: false,
    customerUid: true,
    additions2025: true
  }
}

/** The response shape of `version`. */
export const shape = (version: Version): Shape => shapes[version]
