/**
 * A small validator of request bodies against the documented shapes in the CyberSource swagger:
 * every field sent must be documented, with the documented type, length limit and enum, and the
 * schema's `required` fields must be present. Fails closed: an undocumented field is an error.
 */
import { readFileSync } from "node:fs"

type Json = null | boolean | number | string | ReadonlyArray<Json> | { readonly [k: string]: Json }

interface SchemaNode {
  readonly type?: string
  readonly properties?: Readonly<Record<string, SchemaNode>>
  readonly items?: SchemaNode
  readonly required?: ReadonlyArray<string>
  readonly enum?: ReadonlyArray<string>
  readonly maxLength?: number
  readonly minimum?: number
  readonly maximum?: number
  readonly $ref?: string
}

interface Spec {
  readonly paths: Record<
    string,
    Record<
      string,
      {
        readonly parameters?: ReadonlyArray<{
          readonly in: string
          readonly name: string
          readonly schema?: SchemaNode
        }>
      }
    >
  >
  readonly definitions?: Record<string, SchemaNode>
}

let cached: Spec | undefined
export const spec = (): Spec => {
  cached ??= JSON.parse(
    readFileSync(`${process.env.PAYPORT_SHARED_DIR}/specs/cybersource-rest-2020.swagger.json`, "utf8")
  ) as Spec
  return cached
}

const resolve = (node: SchemaNode): SchemaNode =>
  node.$ref === undefined ? node : (spec().definitions?.[node.$ref.split("/").pop() ?? ""] ?? {})

export const bodySchema = (method: string, path: string): SchemaNode => {
  const op = spec().paths[path]?.[method.toLowerCase()]
  const body = op?.parameters?.find((p) => p.in === "body")?.schema
  if (body === undefined) throw new Error(`no documented body for ${method} ${path}`)
  return resolve(body)
}

export const headerNames = (method: string, path: string): ReadonlyArray<string> =>
  (spec().paths[path]?.[method.toLowerCase()]?.parameters ?? []).filter((p) => p.in === "header").map((p) => p.name)

const typeOf = (value: Json): string =>
  value === null ? "null" : Array.isArray(value) ? "array" : Number.isInteger(value) ? "integer" : typeof value

/** Problems with `value` against `schema`, as `path: problem` lines; empty when it conforms. */
export const validate = (schemaIn: SchemaNode, value: Json, path = "$"): ReadonlyArray<string> => {
  const schema = resolve(schemaIn)
  const problems: Array<string> = []
  const actual = typeOf(value)
  const expected = schema.type ?? (schema.properties ? "object" : schema.items ? "array" : undefined)
  if (expected !== undefined) {
    const ok = expected === actual || (expected === "number" && actual === "integer")
    if (!ok) return [`${path}: expected ${expected}, got ${actual}`]
  }
  if (typeof value === "string") {
    if (schema.maxLength !== undefined && value.length > schema.maxLength)
      problems.push(`${path}: longer than ${schema.maxLength}`)
    if (schema.enum !== undefined && !schema.enum.includes(value))
      problems.push(`${path}: not one of ${schema.enum.join(",")}`)
  }
  if (typeof value === "number") {
    if (schema.minimum !== undefined && value < schema.minimum) problems.push(`${path}: below ${schema.minimum}`)
    if (schema.maximum !== undefined && value > schema.maximum) problems.push(`${path}: above ${schema.maximum}`)
  }
  if (Array.isArray(value) && schema.items !== undefined) {
    value.forEach((item, i) => {
      problems.push(...validate(schema.items as SchemaNode, item, `${path}[${i}]`))
    })
  }
  if (actual === "object" && value !== null && !Array.isArray(value)) {
    const record = value as { readonly [k: string]: Json }
    for (const name of schema.required ?? []) if (!(name in record)) problems.push(`${path}.${name}: required`)
    const properties = schema.properties ?? {}
    for (const [key, child] of Object.entries(record)) {
      const childSchema = properties[key]
      if (childSchema === undefined) problems.push(`${path}.${key}: not documented`)
      else problems.push(...validate(childSchema, child, `${path}.${key}`))
    }
  }
  return problems
}
