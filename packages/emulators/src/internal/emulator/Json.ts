/**
 * JSON for emulators: a serializer that can write a number from its exact decimal text, and a
 * canonical form for comparing request bodies.
 *
 * Providers send amounts as JSON numbers (`10.15`, `170.00`). Building those from minor units with
 * floating point would be wrong, and `JSON.stringify` cannot write `170.00` at all, yet the
 * trailing zeros matter: Cashfree signs webhook bodies byte for byte. So an emulator puts a
 * `RawNumber` (decimal text produced by integer arithmetic) where an amount goes, and `stringify`
 * splices the text in unchanged.
 *
 * Provider-neutral and stable: the Cashfree and CyberSource emulators both use it.
 */

const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?$/

/** A JSON number written exactly as its decimal text. */
export class RawNumber {
  constructor(readonly text: string) {
    if (!NUMBER.test(text)) throw new Error(`not a JSON number: ${JSON.stringify(text)}`)
  }
}

/** A number written from its decimal text, e.g. `rawNumber("170.00")`. */
export const rawNumber = (text: string): RawNumber => new RawNumber(text)

/** What `stringify` writes. Object properties whose value is `undefined` are left out. */
export type Value =
  | null
  | boolean
  | number
  | string
  | RawNumber
  | ReadonlyArray<Value>
  | { readonly [key: string]: Value | undefined }

/** Compact JSON text of `value`, with `RawNumber`s written verbatim. */
export const stringify = (value: Value): string => {
  if (value === null) return "null"
  if (value instanceof RawNumber) return value.text
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false"
    case "number":
      return Number.isFinite(value) ? JSON.stringify(value) : "null"
    case "string":
      return JSON.stringify(value)
  }
  if (Array.isArray(value)) return `[${value.map((item: Value) => stringify(item)).join(",")}]`
  const parts: Array<string> = []
  for (const [key, item] of Object.entries(value)) {
    if (item !== undefined) parts.push(`${JSON.stringify(key)}:${stringify(item)}`)
  }
  return `{${parts.join(",")}}`
}

/** The result of parsing request text. */
export type Parsed = { readonly ok: true; readonly value: unknown } | { readonly ok: false }

/** Parses JSON text without throwing. */
export const parse = (text: string): Parsed => {
  try {
    return { ok: true, value: JSON.parse(text) as unknown }
  } catch {
    return { ok: false }
  }
}

/**
 * A canonical text of parsed JSON (object keys sorted, no whitespace), so two bodies that differ
 * only in key order or spacing compare equal — how an emulator decides whether a request reusing an
 * idempotency key is "the same request".
 */
export const canonical = (value: unknown): string => {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null"
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(",")}}`
}

/** True for a plain JSON object (not an array, not null). */
export const isObject = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === "object" && value !== null && !Array.isArray(value)
