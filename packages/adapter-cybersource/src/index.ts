/**
 * `@payport/adapter-cybersource`: Payport's ports on the CyberSource REST API.
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as CyberSource from "./CyberSource.js"
/** @since 0.1.0 */
export * as CyberSourceAuthorization from "./CyberSourceAuthorization.js"
/** @since 0.1.0 */
export * as CyberSourceClient from "./CyberSourceClient.js"
/** @since 0.1.0 */
export * as CyberSourceCurrencies from "./CyberSourceCurrencies.js"
/** @since 0.1.0 */
export * as CyberSourceCustomers from "./CyberSourceCustomers.js"
/** @since 0.1.0 */
export * as CyberSourcePayments from "./CyberSourcePayments.js"
/** @since 0.1.0 */
export * as CyberSourceThreeDs from "./CyberSourceThreeDs.js"
/** @since 0.1.0 */
export * as CyberSourceVault from "./CyberSourceVault.js"
/** @since 0.1.0 */
export * as CyberSourceVaultEnrollment from "./CyberSourceVaultEnrollment.js"
/** @since 0.1.0 */
export * as CyberSourceWebhooks from "./CyberSourceWebhooks.js"
/** @since 0.1.0 */
export * as HttpSignature from "./HttpSignature.js"
