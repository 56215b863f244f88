/**
 * `@payport/adapter-cashfree`: the Payport ports on the Cashfree Payment Gateway.
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as Cashfree from "./Cashfree.js"
/** @since 0.1.0 */
export * as CashfreeAuthorization from "./CashfreeAuthorization.js"
/** @since 0.1.0 */
export * as CashfreeClient from "./CashfreeClient.js"
/** @since 0.1.0 */
export * as CashfreeCurrencies from "./CashfreeCurrencies.js"
/** @since 0.1.0 */
export * as CashfreeCryptograms from "./CashfreeCryptograms.js"
/** @since 0.1.0 */
export * as CashfreeCustomers from "./CashfreeCustomers.js"
/** @since 0.1.0 */
export * as CashfreeOtp from "./CashfreeOtp.js"
/** @since 0.1.0 */
export * as CashfreePayments from "./CashfreePayments.js"
/** @since 0.1.0 */
export * as CashfreeVault from "./CashfreeVault.js"
/** @since 0.1.0 */
export * as CashfreeWebhooks from "./CashfreeWebhooks.js"
