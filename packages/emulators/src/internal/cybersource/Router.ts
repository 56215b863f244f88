/**
 * The CyberSource front door: authenticate (HTTP Signature over what was received), route by
 * method and path (a table, one row per documented operation), run the handler, and write the
 * reply with the product's headers (`v-c-correlation-id` everywhere; TMS adds `uniqueTransactionID`).
 */
import type * as Http from "../emulator/Http.js"
import * as Json from "../emulator/Json.js"
import type { ApiRequest, Env } from "./Env.js"
import * as HttpSignature from "./HttpSignature.js"
import * as Jwt from "./Jwt.js"
import * as PayerAuthentication from "./PayerAuthentication.js"
import * as Payments from "./Payments.js"
import * as Tokens from "./Tokens.js"
import * as Transactions from "./Transactions.js"
import { authenticationFailed, halJson, notFound, type Reply, tms, unroutable } from "./Wire.js"

/** Which product answers a path: decides error body shapes and content types. */
export type Product = "pts" | "tss" | "tms" | "other"

type Handler = (env: Env, req: ApiRequest) => Reply

const id = "([^/?]+)"
const route = (method: string, path: string, handler: Handler) =>
  ({ method, pattern: new RegExp(`^${path.replaceAll("{id}", id)}$`), handler }) as const

/** Every operation the emulator serves. */
const routes = [
  route("POST", "/pts/v2/payments/?", Payments.createPayment),
  route("POST", "/pts/v2/payments/{id}/captures", Payments.capturePayment),
  route("POST", "/pts/v2/payments/{id}/reversals", Payments.reversePayment),
  route("POST", "/pts/v2/payments/{id}/voids", Payments.voidPayment),
  route("POST", "/pts/v2/captures/{id}/voids", Payments.voidCapture),
  route("POST", "/pts/v2/refunds/{id}/voids", Payments.voidRefund),
  route("POST", "/risk/v1/authentication-setups", PayerAuthentication.setup),
  route("POST", "/risk/v1/authentications", PayerAuthentication.enroll),
  route("POST", "/risk/v1/authentication-results", PayerAuthentication.validate),
  route("POST", "/pts/v2/payments/{id}/refunds", Payments.refundPayment),
  route("POST", "/pts/v2/captures/{id}/refunds", Payments.refundCapture),
  route("GET", "/tss/v2/transactions/{id}", Transactions.getTransaction),
  route("POST", "/tss/v2/searches", Transactions.createSearch),
  route("GET", "/tss/v2/searches/{id}", Transactions.getSearch),
  route("POST", "/tms/v2/customers", Tokens.createCustomer),
  route("GET", "/tms/v2/customers/{id}", Tokens.getCustomer),
  route("PATCH", "/tms/v2/customers/{id}", Tokens.patchCustomer),
  route("DELETE", "/tms/v2/customers/{id}", Tokens.deleteCustomer),
  route("GET", "/tms/v2/customers/{id}/payment-instruments", Tokens.listPaymentInstruments),
  route("POST", "/tms/v2/customers/{id}/payment-instruments", Tokens.createPaymentInstrument),
  route("GET", "/tms/v2/customers/{id}/payment-instruments/{id}", Tokens.getPaymentInstrument),
  route("PATCH", "/tms/v2/customers/{id}/payment-instruments/{id}", Tokens.patchPaymentInstrument),
  route("DELETE", "/tms/v2/customers/{id}/payment-instruments/{id}", Tokens.deletePaymentInstrumentRoute),
  route("GET", "/tms/v1/paymentinstruments/{id}", Tokens.getPaymentInstrument),
  route("PATCH", "/tms/v1/paymentinstruments/{id}", Tokens.patchPaymentInstrument),
  route("DELETE", "/tms/v1/paymentinstruments/{id}", Tokens.deletePaymentInstrumentRoute),
  route("POST", "/tms/v1/instrumentidentifiers", Tokens.createIdentifier),
  route("GET", "/tms/v1/instrumentidentifiers/{id}", Tokens.getIdentifier),
  route("DELETE", "/tms/v1/instrumentidentifiers/{id}", Tokens.deleteIdentifier)
] as const

/** The product a path belongs to. */
export const productOf = (path: string): Product =>
  path.startsWith("/pts/") ? "pts" : path.startsWith("/tss/") ? "tss" : path.startsWith("/tms/") ? "tms" : "other"

/** A recorded authentication refusal. */
export interface AuthFailure {
  readonly method: string
  readonly path: string
  readonly reason: HttpSignature.FailureReason
  readonly detail: string
}

/** Front-door configuration. */
export interface Config {
  readonly credentials: HttpSignature.Credentials
  readonly maxSkewMs: number
  readonly lenientSignatures: boolean
  readonly profileIds: ReadonlyArray<string> | undefined
}

/**
 * Request targets the client may have signed. The shared server hands over the path and parsed
 * query, not the raw target, so the query is re-serialised both ways a client might have written
 * it (WHATWG form encoding, and `querystring`/`encodeURIComponent` as the official SDK does); for
 * plain `offset=0&limit=20` both are the text that was sent.
 */
const targets = (request: Http.Request): ReadonlyArray<string> => {
  const entries = [...request.query.entries()]
  if (entries.length === 0) return [request.path]
  const form = request.query.toString()
  const component = entries.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&")
  return form === component ? [`${request.path}?${form}`] : [`${request.path}?${form}`, `${request.path}?${component}`]
}

/**
 * Checks the HTTP Signature — or, for a request that carries no `signature` but an
 * `Authorization: Bearer` token, the shared-secret JWT (providers/cybersource.md §1.2); `undefined`
 * when the request is authentic.
 */
export const authenticate = (request: Http.Request, config: Config, now: number): HttpSignature.Failure | undefined => {
  const bearer = request.headers.signature === undefined && /^Bearer\s/i.test(request.headers.authorization ?? "")
  let first: HttpSignature.Failure | undefined
  for (const target of targets(request)) {
    const signed = { method: request.method, target, headers: request.headers, body: request.body }
    const failure = bearer
      ? Jwt.verify(signed, config.credentials, { now, maxSkewMs: config.maxSkewMs })
      : HttpSignature.verify(signed, config.credentials, {
          now,
          maxSkewMs: config.maxSkewMs,
          lenient: config.lenientSignatures
        })
    if (failure === undefined) return undefined
    first ??= failure
  }
  return first
}

/** Serialises a reply with the product's headers. */
export const toHttp = (reply: Reply, product: Product, correlationId: string, uniqueId: string): Http.Reply => {
  const headers: Record<string, string> = {
    "content-type": product === "tms" ? "application/json;charset=utf-8" : halJson,
    "v-c-correlation-id": correlationId,
    ...(product === "tms" ? { uniqueTransactionID: uniqueId } : {}),
    ...reply.headers
  }
  return {
    status: reply.status,
    headers,
    body: reply.body === undefined || reply.status === 204 ? "" : Json.stringify(reply.body as Json.Value)
  }
}

/** Routes an authenticated request. */
export const dispatch = (env: Env, request: Http.Request, config: Config): Reply => {
  const product = productOf(request.path)
  for (const candidate of routes) {
    if (candidate.method !== request.method) continue
    const match = candidate.pattern.exec(request.path)
    if (match === null) continue
    const api = apiRequest(request, match.slice(1).map(decodePathParam))
    if (product === "tms") {
      const refused = Tokens.checkProfile(api, config.profileIds)
      if (refused !== undefined) return refused
    }
    return candidate.handler(env, api)
  }
  if (product === "pts" || product === "tss") return notFound(env.now)
  if (product === "tms") return tms.notFound()
  return unroutable
}

/** A percent-decoded path parameter; malformed escapes are kept as sent (they match no id). */
const decodePathParam = (param: string): string => {
  try {
    return decodeURIComponent(param)
  } catch {
    return param
  }
}

const apiRequest = (request: Http.Request, params: ReadonlyArray<string>): ApiRequest => {
  const parsed = request.text.trim() === "" ? undefined : Json.parse(request.text)
  return {
    method: request.method,
    path: request.path,
    params,
    query: request.query,
    headers: request.headers,
    body: parsed === undefined || !parsed.ok ? undefined : parsed.value
  }
}

/** The 401 answer (identical for every reason, as a gateway would not tell an attacker why). */
export const refused: Reply = authenticationFailed
