/**
 * `@payport/testkit`: an in-memory provider, wire-faithful emulators of Cashfree and CyberSource,
 * the contract suite every provider must pass, model-based properties and arbitraries.
 *
 * The contract suite registers vitest tests, so it needs a vitest runner; programs that only
 * start an emulator or the in-memory provider import those modules directly
 * (`@payport/testkit/CashfreeEmulator`, `@payport/testkit/InMemory`).
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as Arbitraries from "./Arbitraries.js"
/** @since 0.1.0 */
export * as CashfreeEmulator from "./CashfreeEmulator.js"
/** @since 0.1.0 */
export * as ContractSuite from "./ContractSuite.js"
/** @since 0.1.0 */
export * as CyberSourceEmulator from "./CyberSourceEmulator.js"
/** @since 0.1.0 */
export * as EmulatorFaults from "./EmulatorFaults.js"
/** @since 0.1.0 */
export * as FaultInjection from "./FaultInjection.js"
/** @since 0.1.0 */
export * as FaultScenario from "./FaultScenario.js"
/** @since 0.1.0 */
export * as HostileResponses from "./HostileResponses.js"
/** @since 0.1.0 */
export * as InMemory from "./InMemory.js"
/** @since 0.1.0 */
export * as LeakCapture from "./LeakCapture.js"
/** @since 0.1.0 */
export * as LoadTest from "./LoadTest.js"
/** @since 0.1.0 */
export * as Model from "./Model.js"
/** @since 0.1.0 */
export * as Processes from "./Processes.js"
/** @since 0.1.0 */
export * as SlowProvider from "./SlowProvider.js"
/** @since 0.1.0 */
export * as TestData from "./TestData.js"
/** @since 0.1.0 */
export * as WebhookOrder from "./WebhookOrder.js"
