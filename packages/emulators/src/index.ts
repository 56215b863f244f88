/**
 * `@payport/emulators`: wire-faithful emulators of the Cashfree and CyberSource APIs on loopback
 * HTTP, each with state, idempotency replay, signed webhooks, fault injection and a truth API, and
 * the `payport-emulator` command that runs one as a process.
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as CashfreeEmulator from "./CashfreeEmulator.js"
/** @since 0.1.0 */
export * as CyberSourceEmulator from "./CyberSourceEmulator.js"
/** @since 0.1.0 */
export * as EmulatorFaults from "./EmulatorFaults.js"
/** @since 0.1.0 */
export * as FaultEngine from "./FaultEngine.js"
/** @since 0.1.0 */
export * as Prng from "./Prng.js"
