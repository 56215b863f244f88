/**
 * `@payport/core`: provider-neutral payment ports, domain, errors and call policy for Effect.
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as Ambiguity from "./Ambiguity.js"
/** @since 0.1.0 */
export * as Authorization from "./Authorization.js"
/** @since 0.1.0 */
export * as Crypto from "./Crypto.js"
/** @since 0.1.0 */
export * as Cryptograms from "./Cryptograms.js"
/** @since 0.1.0 */
export * as Currency from "./Currency.js"
/** @since 0.1.0 */
export * as Customer from "./Customer.js"
/** @since 0.1.0 */
export * as Customers from "./Customers.js"
/** @since 0.1.0 */
export * as HttpPolicy from "./HttpPolicy.js"
/** @since 0.1.0 */
export * as Idempotency from "./Idempotency.js"
/** @since 0.1.0 */
export * as Ids from "./Ids.js"
/** @since 0.1.0 */
export * as Instrument from "./Instrument.js"
/** @since 0.1.0 */
export * as Ledger from "./Ledger.js"
/** @since 0.1.0 */
export * as Money from "./Money.js"
/** @since 0.1.0 */
export * as OtpAuthentication from "./OtpAuthentication.js"
/** @since 0.1.0 */
export * as Payment from "./Payment.js"
/** @since 0.1.0 */
export * as PaymentError from "./PaymentError.js"
/** @since 0.1.0 */
export * as PaymentMethod from "./PaymentMethod.js"
/** @since 0.1.0 */
export * as PaymentRequest from "./PaymentRequest.js"
/** @since 0.1.0 */
export * as Payments from "./Payments.js"
/** @since 0.1.0 */
export * as Processor from "./Processor.js"
/** @since 0.1.0 */
export * as Provider from "./Provider.js"
/** @since 0.1.0 */
export * as Redaction from "./Redaction.js"
/** @since 0.1.0 */
export * as Refund from "./Refund.js"
/** @since 0.1.0 */
export * as StateMachine from "./StateMachine.js"
/** @since 0.1.0 */
export * as ThreeDsAuthentication from "./ThreeDsAuthentication.js"
/** @since 0.1.0 */
export * as Vault from "./Vault.js"
/** @since 0.1.0 */
export * as VaultEnrollment from "./VaultEnrollment.js"
/** @since 0.1.0 */
export * as WebhookDeduplication from "./WebhookDeduplication.js"
/** @since 0.1.0 */
export * as WebhookEvent from "./WebhookEvent.js"
/** @since 0.1.0 */
export * as Webhooks from "./Webhooks.js"
