/**
 * `@payport/client`: Payport for async/await code. `Payport.make(layer)` gives one client whose
 * ports return Promises and reject with core's typed errors.
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as Payport from "./Payport.js"
