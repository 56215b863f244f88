/**
 * `@payport/testkit`: an in-memory provider, the contract suite every provider must pass, the
 * fixtures that run it against `@payport/emulators`, model-based properties, arbitraries and
 * client-side fault injection.
 *
 * The suites (`ContractSuite`, `ExactlyOnceSuite`, `OutageSuite`, `LoadSuite`, `HostileResponseSuite`, `SlowProvider`, `WebhookOrder`) register or assert with vitest, so
 * this entry point, which re-exports them, needs `vitest` and `@effect/vitest` installed; a program
 * without them imports the other modules directly (`@payport/testkit/InMemory`,
 * `@payport/testkit/Arbitraries`, …).
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as Arbitraries from "./Arbitraries.js"
/** @since 0.1.0 */
export * as CashfreeFixtures from "./CashfreeFixtures.js"
/** @since 0.1.0 */
export * as ContractSuite from "./ContractSuite.js"
/** @since 0.1.0 */
export * as CyberSourceFixtures from "./CyberSourceFixtures.js"
/** @since 0.1.0 */
export * as ExactlyOnceSuite from "./ExactlyOnceSuite.js"
/** @since 0.1.0 */
export * as FaultInjection from "./FaultInjection.js"
/** @since 0.1.0 */
export * as FaultScenario from "./FaultScenario.js"
/** @since 0.1.0 */
export * as HostileResponseSuite from "./HostileResponseSuite.js"
/** @since 0.1.0 */
export * as HostileResponses from "./HostileResponses.js"
/** @since 0.1.0 */
export * as InMemory from "./InMemory.js"
/** @since 0.1.0 */
export * as LeakCapture from "./LeakCapture.js"
/** @since 0.1.0 */
export * as LoadSuite from "./LoadSuite.js"
/** @since 0.1.0 */
export * as LoadTest from "./LoadTest.js"
/** @since 0.1.0 */
export * as Model from "./Model.js"
/** @since 0.1.0 */
export * as OutageSuite from "./OutageSuite.js"
/** @since 0.1.0 */
export * as Processes from "./Processes.js"
/** @since 0.1.0 */
export * as SlowProvider from "./SlowProvider.js"
/** @since 0.1.0 */
export * as TestData from "./TestData.js"
/** @since 0.1.0 */
export * as WebhookOrder from "./WebhookOrder.js"
