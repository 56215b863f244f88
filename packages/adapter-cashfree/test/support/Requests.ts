/**
 * Checking a request the adapter sent against SPEC25 (the 2025-01-01 OpenAPI document): the
 * operation exists, required headers and query parameters are there and valid, the body matches
 * the request schema (strictly: an undeclared field is a problem), credentials travel only on
 * authenticated calls, authenticated POSTs carry a UUID idempotency key, and every call carries
 * the expected `x-api-version` and a UUID `x-request-id`.
 */
import { type Json, parameters, requestSchema, templateOf, validate } from "./OpenApi.js"

/** A request as sent: method, full URL, path below `/pg`, lowercase headers, body text. */
export interface SentRequest {
  readonly method: string
  readonly url: URL
  readonly path: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: string | undefined
}

/** What every request should carry. */
export interface Expected {
  readonly clientId: string
  readonly clientSecret: string
  readonly apiVersion: string
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** The operations SPEC25 documents without credentials (`security: []`). */
export const UNAUTHENTICATED: ReadonlySet<string> = new Set([
  "/orders/sessions",
  "/orders/pay/authenticate/{cf_payment_id}"
])

/** Every problem of `request` against SPEC25; empty when it validates. */
export const problemsOf = (request: SentRequest, expected: Expected): ReadonlyArray<string> => {
  const template = templateOf(request.method, request.path)
  if (template === undefined) return [`${request.method} ${request.path}: no such operation`]
  const where = `${request.method} ${template}`
  const problems: Array<string> = []
  for (const param of parameters(request.method, template)) {
    const name = String(param.name)
    const value =
      param.in === "header"
        ? request.headers[name]
        : param.in === "query"
          ? (request.url.searchParams.get(name) ?? undefined)
          : undefined
    if (param.required === true && param.in !== "path" && value === undefined)
      problems.push(`${where}: missing ${param.in} ${name}`)
    if (value !== undefined && param.schema !== undefined && name !== "x-idempotency-key") {
      problems.push(...validate(param.schema as Json, value, `${where} ${name}`))
    }
  }
  const schema = requestSchema(request.method, template)
  if (schema !== undefined) {
    if (request.body === undefined) problems.push(`${where}: no body`)
    else problems.push(...validate(schema, JSON.parse(request.body) as Json, where))
  } else if (request.body !== undefined) problems.push(`${where}: unexpected body`)
  const authenticated = !UNAUTHENTICATED.has(template)
  if (authenticated && request.headers["x-client-id"] !== expected.clientId) problems.push(`${where}: no x-client-id`)
  if (authenticated && request.headers["x-client-secret"] !== expected.clientSecret)
    problems.push(`${where}: no x-client-secret`)
  if (
    !authenticated &&
    (request.headers["x-client-id"] !== undefined || request.headers["x-client-secret"] !== undefined)
  ) {
    problems.push(`${where}: sends credentials on an unauthenticated call`)
  }
  const key = request.headers["x-idempotency-key"]
  if (request.method === "POST" && authenticated && (key === undefined || !UUID.test(key)))
    problems.push(`${where}: no UUID idempotency key`)
  if (!authenticated && key !== undefined) problems.push(`${where}: idempotency key on a call Cashfree does not replay`)
  if (request.headers["x-api-version"] !== expected.apiVersion) problems.push(`${where}: x-api-version`)
  if (request.headers["x-request-id"] === undefined || !UUID.test(request.headers["x-request-id"]))
    problems.push(`${where}: x-request-id`)
  return problems
}
