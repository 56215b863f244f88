/**
 * `@payport/testkit`: the in-memory provider, the contract suite every provider must pass,
 * model-based property tests and arbitraries for Payport.
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as Arbitraries from "./Arbitraries.js"
/** @since 0.1.0 */
export * as ContractSuite from "./ContractSuite.js"
/** @since 0.1.0 */
export * as InMemory from "./InMemory.js"
/** @since 0.1.0 */
export * as Model from "./Model.js"
/** @since 0.1.0 */
export * as TestData from "./TestData.js"
