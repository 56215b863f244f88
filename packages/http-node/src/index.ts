/**
 * @since 0.1.0
 */

/**
 * A lean keep-alive `HttpClient` on `node:http`/`node:https` (see the module docs).
 *
 * @since 0.1.0
 */
export * as NodeTransport from "./NodeTransport.js"
