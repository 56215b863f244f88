/**
 * @since 0.1.0
 */

/**
 * Core's `Deduplicator` over `@effect/sql`: one table of event ids shared by every replica.
 *
 * @since 0.1.0
 */
export * as SqlDeduplicator from "./SqlDeduplicator.js"
