/**
 * Request-field readers that refuse bad input the way Cashfree does: a missing required field is
 * `<field>_missing`, a wrong type or value `<field>_invalid` (400 `invalid_request_error`). Nested
 * fields are named by their dotted path (`customer_details.customer_phone`), Order Pay's payment
 * method fields by their own name (`card_cvv_invalid`, `channel_missing`), as the Order Pay page
 * documents.
 */
import * as Money from "@payport/core/Money"
import type { CurrencyCode } from "@payport/core/Currency"
import * as Either from "effect/Either"
import { isObject } from "../emulator/Json.js"
import * as Errors from "./Errors.js"

/** A JSON object from the request. */
export type Obj = Readonly<Record<string, unknown>>

const present = (value: unknown): boolean => value !== undefined && value !== null

/** The request body as an object. */
export const body = (value: unknown): Obj => {
  if (!isObject(value)) throw Errors.requestInvalid("request body must be a JSON object")
  return value
}

/** A nested object (`undefined` when absent and optional). */
export function object(obj: Obj, key: string, name: string, required: true): Obj
export function object(obj: Obj, key: string, name: string, required?: false): Obj | undefined
export function object(obj: Obj, key: string, name: string, required = false): Obj | undefined {
  const value = obj[key]
  if (!present(value)) {
    if (required) throw Errors.missing(name)
    return undefined
  }
  if (!isObject(value)) throw Errors.invalid(name, "should be an object")
  return value
}

/** String constraints. */
export interface StringRule {
  readonly min?: number
  readonly max?: number
  readonly pattern?: RegExp
  /** Describes `pattern` in the error message. */
  readonly expect?: string
  readonly oneOf?: ReadonlyArray<string>
}

/** A string field (`undefined` when absent and optional). */
export function string(obj: Obj, key: string, name: string, required: true, rule?: StringRule): string
export function string(obj: Obj, key: string, name: string, required?: false, rule?: StringRule): string | undefined
export function string(
  obj: Obj,
  key: string,
  name: string,
  required = false,
  rule: StringRule = {}
): string | undefined {
  const value = obj[key]
  if (!present(value) || value === "") {
    if (required) throw Errors.missing(name)
    return undefined
  }
  if (typeof value !== "string") throw Errors.invalid(name, "should be a string")
  if (rule.min !== undefined && value.length < rule.min)
    throw Errors.invalid(name, `should have at least ${rule.min} characters`)
  if (rule.max !== undefined && value.length > rule.max)
    throw Errors.invalid(name, `should have at most ${rule.max} characters`)
  if (rule.pattern !== undefined && !rule.pattern.test(value))
    throw Errors.invalid(name, rule.expect ?? "has an invalid format")
  if (rule.oneOf !== undefined && !rule.oneOf.includes(value))
    throw Errors.invalid(name, `should be one of ${rule.oneOf.join(", ")}`)
  return value
}

/** A boolean field. */
export const boolean = (obj: Obj, key: string, name: string): boolean | undefined => {
  const value = obj[key]
  if (!present(value)) return undefined
  if (typeof value !== "boolean") throw Errors.invalid(name, "should be a boolean")
  return value
}

/** An integer field. */
export function integer(obj: Obj, key: string, name: string, required: true): number
export function integer(obj: Obj, key: string, name: string, required?: boolean): number | undefined
export function integer(obj: Obj, key: string, name: string, required = false): number | undefined {
  const value = obj[key]
  if (!present(value)) {
    if (required) throw Errors.missing(name)
    return undefined
  }
  if (typeof value !== "number" || !Number.isInteger(value)) throw Errors.invalid(name, "should be an integer")
  return value
}

/**
 * An amount in major units (a JSON number, or decimal text) as minor units of `currency`, exact:
 * more fraction digits than the currency has is `<field>_invalid`, never a rounding.
 */
export function amount(obj: Obj, key: string, name: string, currency: CurrencyCode, required: true): number
export function amount(
  obj: Obj,
  key: string,
  name: string,
  currency: CurrencyCode,
  required?: false
): number | undefined
export function amount(
  obj: Obj,
  key: string,
  name: string,
  currency: CurrencyCode,
  required = false
): number | undefined {
  const value = obj[key]
  if (!present(value)) {
    if (required) throw Errors.missing(name)
    return undefined
  }
  if (typeof value !== "number" && typeof value !== "string") throw Errors.invalid(name, "should be a number")
  const parsed = Money.fromDecimal(value, currency)
  if (Either.isLeft(parsed)) throw Errors.invalid(name, parsed.left.reason)
  return parsed.right.amount
}

/** A string map (order tags): string keys to strings of 1–255 characters, at most `maxEntries`. */
export const tags = (
  obj: Obj,
  key: string,
  name: string,
  maxEntries: number
): Readonly<Record<string, string>> | undefined => {
  const value = object(obj, key, name)
  if (value === undefined) return undefined
  const entries = Object.entries(value)
  if (entries.length > maxEntries) throw Errors.invalid(name, `should have at most ${maxEntries} tags`)
  const out: Record<string, string> = {}
  for (const [k, v] of entries) {
    if (typeof v !== "string" || v.length < 1 || v.length > 255)
      throw Errors.invalid(name, "tag values should be strings of 1 to 255 characters")
    out[k] = v
  }
  return out
}

/** An http(s) URL of at most `max` characters. */
export const url = (obj: Obj, key: string, name: string, max: number): string | undefined => {
  const value = string(obj, key, name, false, { max })
  if (value === undefined) return undefined
  let parsed: URL
  try {
    parsed = new URL(value.replace(/[{}]/g, ""))
  } catch {
    throw Errors.invalid(name, "should be a valid url")
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:")
    throw Errors.invalid(name, "should be an http(s) url")
  return value
}
