/**
 * Reading the Cashfree 2025-01-01 OpenAPI document in tests: resolving refs, finding the operation
 * for a request, collecting response examples and enums, and a small JSON-Schema validator
 * (the subset the document uses: $ref, type, enum, required, properties, items, oneOf/anyOf/allOf,
 * length/range bounds, pattern, nullable). For requests it is stricter than JSON Schema: a property
 * the schema does not declare is an error, so a misspelt field fails the test.
 */
import { readFileSync } from "node:fs"

export type Json = null | boolean | number | string | ReadonlyArray<Json> | { readonly [key: string]: Json }
type Obj = { readonly [key: string]: Json }

/** The provider documents are read from shared/ beside the repository (see vitest.shared.ts). */
const read = (name: string): string =>
  readFileSync(
    `${process.env.PAYPORT_SHARED_DIR}/${name.endsWith(".openapi.json") ? "specs" : "providers"}/${name}`,
    "utf8"
  )
const load = (name: string): Obj => JSON.parse(read(name)) as Obj

/** The 2025-01-01 document as text, for scanning its examples. */
export const specText: string = read("cashfree-pg-2025-01-01.openapi.json")
export const spec: Obj = JSON.parse(specText) as Obj
export const examples: Obj = load("cashfree-examples-2025-01-01.json")

const isObj = (value: Json | undefined): value is Obj =>
  typeof value === "object" && value !== null && !Array.isArray(value)

export const resolve = (ref: string): Json => {
  let node: Json = spec
  for (const key of ref.replace(/^#\//, "").split("/")) {
    const k = key.replace(/~1/g, "/").replace(/~0/g, "~")
    if (Array.isArray(node)) node = (node as ReadonlyArray<Json>)[Number(k)] ?? null
    else if (isObj(node)) node = node[k] ?? null
    else return null
  }
  return node
}

/** Follows `$ref`s (including refs to examples) until a plain node. */
export const deref = (node: Json | undefined): Json => {
  let current: Json = node ?? null
  for (let i = 0; i < 20 && isObj(current) && typeof current.$ref === "string"; i++) current = resolve(current.$ref)
  return current
}

/** Deep-resolves refs inside an example value. */
export const materialise = (node: Json): Json => {
  // A ref to an Example Object (`#/components/examples/x`) stands for its `value`.
  const target = isObj(node) && typeof node.$ref === "string" ? node.$ref : ""
  const resolved = deref(node)
  const value =
    /^#\/components\/examples\/[^/]+$/.test(target) && isObj(resolved) && resolved.value !== undefined
      ? resolved.value
      : resolved
  if (Array.isArray(value)) return (value as ReadonlyArray<Json>).map(materialise)
  if (isObj(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, materialise(v)]))
  return value
}

export const schema = (name: string): Obj => {
  const node = deref(resolve(`#/components/schemas/${name}`))
  if (!isObj(node)) throw new Error(`no schema ${name}`)
  return node
}

/** The `enum` of a property of a component schema. */
export const enumOf = (schemaName: string, property: string): ReadonlyArray<string> => {
  const props = schema(schemaName).properties
  const prop = isObj(props) ? deref(props[property]) : null
  const values = isObj(prop) ? prop.enum : undefined
  if (!Array.isArray(values)) throw new Error(`${schemaName}.${property} has no enum`)
  return values as ReadonlyArray<string>
}

export const operation = (method: string, path: string): Obj => {
  const paths = spec.paths
  const item = isObj(paths) ? paths[path] : undefined
  const op = isObj(item) ? item[method.toLowerCase()] : undefined
  if (!isObj(op)) throw new Error(`no operation ${method} ${path}`)
  return op
}

/** The template path (`/orders/{order_id}`) matching a concrete path, if any. */
export const templateOf = (method: string, path: string): string | undefined => {
  const paths = isObj(spec.paths) ? Object.keys(spec.paths) : []
  const matches = paths.filter((template) => {
    const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`)
    const item = isObj(spec.paths) ? spec.paths[template] : undefined
    return pattern.test(path) && isObj(item) && isObj(item[method.toLowerCase()])
  })
  // The most literal template wins (`/orders/sessions` over `/orders/{order_id}`).
  return matches.sort((a, b) => (a.match(/\{/g)?.length ?? 0) - (b.match(/\{/g)?.length ?? 0))[0]
}

/** Every 200 response example of an operation (named examples, the schema's own example, the items' example). */
export const responseExamples = (method: string, path: string): ReadonlyArray<{ name: string; value: Json }> => {
  const responses = operation(method, path).responses
  const ok = isObj(responses) ? deref(responses["200"]) : null
  const content = isObj(ok) && isObj(ok.content) ? ok.content["application/json"] : undefined
  if (!isObj(content)) return []
  const out: Array<{ name: string; value: Json }> = []
  if (isObj(content.examples)) {
    for (const [name, example] of Object.entries(content.examples)) {
      const ex = deref(example)
      if (isObj(ex) && ex.value !== undefined) out.push({ name, value: materialise(ex.value) })
    }
  }
  const body = deref(content.schema)
  if (isObj(body) && body.example !== undefined) out.push({ name: "schema.example", value: materialise(body.example) })
  const items = isObj(body) ? deref(body.items) : null
  if (isObj(items) && items.example !== undefined)
    out.push({ name: "items.example", value: [materialise(items.example)] })
  return out
}

/** The JSON schema of an operation's response with `status`, if documented. */
export const responseSchema = (method: string, path: string, status: number): Json | undefined => {
  const responses = operation(method, path).responses
  const response = isObj(responses) ? deref(responses[String(status)]) : null
  const content = isObj(response) && isObj(response.content) ? response.content["application/json"] : undefined
  return isObj(content) ? content.schema : undefined
}

export const requestSchema = (method: string, path: string): Json | undefined => {
  const body = deref(operation(method, path).requestBody)
  const content = isObj(body) && isObj(body.content) ? body.content["application/json"] : undefined
  return isObj(content) ? content.schema : undefined
}

export const parameters = (method: string, path: string): ReadonlyArray<Obj> => {
  const params = operation(method, path).parameters
  return Array.isArray(params) ? (params as ReadonlyArray<Json>).map(deref).filter(isObj) : []
}

const typeOf = (value: Json): string =>
  value === null
    ? "null"
    : Array.isArray(value)
      ? "array"
      : typeof value === "number" && Number.isInteger(value)
        ? "integer"
        : typeof value

/**
 * Problems of `value` against `node`; empty when it validates. `strict` rejects undeclared
 * properties of objects whose schema lists properties. `response` reads a response the way a
 * client must: `null` for any value, and `oneOf` as "at least one branch".
 */
export const validate = (
  node: Json | undefined,
  value: Json,
  path = "$",
  strict = true,
  response = false
): ReadonlyArray<string> => {
  const s = deref(node)
  if (!isObj(s)) return []
  const problems: Array<string> = []
  // Cashfree's own response examples write absent values as `null` without declaring `nullable`.
  if (value === null) return response || s.nullable === true || s.type === undefined ? [] : [`${path}: null`]
  if (Array.isArray(s.allOf)) for (const part of s.allOf) problems.push(...validate(part, value, path, false, response))
  for (const key of ["oneOf", "anyOf"] as const) {
    const options = s[key]
    if (Array.isArray(options)) {
      const passing = (options as ReadonlyArray<Json>).filter(
        (o) => validate(o, value, path, strict, response).length === 0
      ).length
      // Response objects are read leniently (extra fields allowed), so several branches may fit.
      if (key === "oneOf" && !response ? passing !== 1 : passing === 0)
        problems.push(`${path}: ${passing} of the ${key} branches match`)
    }
  }
  const type = s.type
  const actual = typeOf(value)
  if (typeof type === "string") {
    const ok = type === actual || (type === "number" && actual === "integer")
    if (!ok) return [...problems, `${path}: expected ${type}, got ${actual}`]
  }
  if (Array.isArray(s.enum) && !(s.enum as ReadonlyArray<Json>).includes(value)) {
    problems.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(s.enum)}`)
  }
  if (typeof value === "string") {
    if (typeof s.minLength === "number" && value.length < s.minLength)
      problems.push(`${path}: shorter than ${s.minLength}`)
    if (typeof s.maxLength === "number" && value.length > s.maxLength)
      problems.push(`${path}: longer than ${s.maxLength}`)
    if (typeof s.pattern === "string" && !new RegExp(s.pattern).test(value))
      problems.push(`${path}: does not match ${s.pattern}`)
  }
  if (typeof value === "number") {
    if (typeof s.minimum === "number" && value < s.minimum) problems.push(`${path}: below ${s.minimum}`)
    if (typeof s.maximum === "number" && value > s.maximum) problems.push(`${path}: above ${s.maximum}`)
  }
  if (Array.isArray(value) && s.items !== undefined) {
    for (const [i, item] of (value as ReadonlyArray<Json>).entries()) {
      problems.push(...validate(s.items, item, `${path}[${i}]`, strict, response))
    }
  }
  if (isObj(value)) {
    const props = isObj(s.properties) ? s.properties : undefined
    if (Array.isArray(s.required)) {
      for (const name of s.required as ReadonlyArray<Json>) {
        if (typeof name === "string" && value[name] === undefined) problems.push(`${path}.${name}: required`)
      }
    }
    for (const [name, member] of Object.entries(value)) {
      const sub = props?.[name]
      if (sub !== undefined) problems.push(...validate(sub, member, `${path}.${name}`, strict, response))
      else if (isObj(s.additionalProperties))
        problems.push(...validate(s.additionalProperties, member, `${path}.${name}`, strict, response))
      else if (strict && props !== undefined && s.allOf === undefined)
        problems.push(`${path}.${name}: not in the schema`)
    }
  }
  return problems
}
