/**
 * A scripted `HttpClient` for adapter tests: records every request as sent (after the signer) and
 * answers from a handler, or fails like a dropped connection.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { PaymentId, PaymentRef } from "@payport/core/Ids"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as CyberSource from "../../src/CyberSource.js"
import type * as CyberSourceClient from "../../src/CyberSourceClient.js"

export interface Recorded {
  readonly method: string
  readonly url: URL
  readonly path: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

export type Reply =
  | { readonly status: number; readonly body?: unknown; readonly headers?: Readonly<Record<string, string>> }
  | "reset"
  | "refused"
  | "hang"

export type Handler = (request: Recorded, index: number) => Reply

const decoder = new TextDecoder()

export const stub = (handler: Handler) => {
  const recorded: Array<Recorded> = []
  const client = HttpClient.make((request, url) =>
    Effect.suspend(() => {
      const body = request.body._tag === "Uint8Array" ? decoder.decode(request.body.body) : ""
      const entry: Recorded = {
        method: request.method,
        url,
        path: `${url.pathname}${url.search}`,
        headers: { ...request.headers },
        body
      }
      recorded.push(entry)
      const reply = handler(entry, recorded.length - 1)
      if (reply === "hang") return Effect.never
      if (reply === "reset" || reply === "refused") {
        const cause = Object.assign(new Error(reply === "reset" ? "socket hang up" : "connect failed"), {
          code: reply === "reset" ? "ECONNRESET" : "ECONNREFUSED"
        })
        return Effect.fail(new HttpClientError.RequestError({ request, reason: "Transport", cause }))
      }
      const text =
        reply.body === undefined ? null : typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body)
      return Effect.succeed(
        HttpClientResponse.fromWeb(
          request,
          new Response(reply.status === 204 ? null : text, {
            status: reply.status,
            headers: { "content-type": "application/json", "v-c-correlation-id": "corr-1", ...reply.headers }
          })
        )
      )
    })
  )
  return { recorded, layer: Layer.succeed(HttpClient.HttpClient, client) }
}

export const SECRET = "yBJxy6LjM2TmcPGu+GaJrHtkke25fPpUX+UY6/L/1tE="
export const KEY_ID = "08c94330-f618-42a3-b09d-e1e43be5efda"
export const WEBHOOK_KEY = "c2VjcmV0LXdlYmhvb2sta2V5LTMyLWJ5dGVzLWxvbmchIQ=="
export const WEBHOOK_KEY_ID = "bf44c857-b182-bb05-e053-34b8d30a7a72"

export const options = (overrides?: Partial<CyberSourceClient.Options>): CyberSourceClient.Options => ({
  merchantId: "testrest",
  keyId: KEY_ID,
  sharedSecret: Redacted.make(SECRET),
  environment: "sandbox",
  timing: {
    retries: 0,
    baseDelay: "1 millis",
    maxDelay: "2 millis",
    attemptTimeout: "2 seconds",
    deadline: "10 seconds"
  },
  webhook: { key: Redacted.make(WEBHOOK_KEY), keyId: WEBHOOK_KEY_ID },
  ...overrides
})

/** The whole CyberSource layer over a stub. */
export const provider = (handler: Handler, overrides?: Partial<CyberSourceClient.Options>) => {
  const s = stub(handler)
  return {
    recorded: s.recorded,
    layer: CyberSource.layer(options(overrides)).pipe(Layer.provide(s.layer), Layer.orDie)
  }
}

/** A TSS transaction detail record. */
export const tss = (input: {
  readonly id: string
  readonly code?: string
  readonly status: string
  readonly amount?: string
  readonly currency?: string
  readonly applications?: ReadonlyArray<string>
  readonly related?: ReadonlyArray<string>
  readonly rootId?: string
}) => ({
  id: input.id,
  ...(input.rootId === undefined ? {} : { rootId: input.rootId }),
  submitTimeUTC: "2026-01-01T00:00:00Z",
  applicationInformation: {
    status: input.status,
    applications: (input.applications ?? ["ics_auth"]).map((name) => ({ name, rCode: "1", rFlag: "SOK" }))
  },
  clientReferenceInformation: { code: input.code ?? "order-1" },
  orderInformation: {
    amountDetails: {
      totalAmount: input.amount ?? "102.21",
      authorizedAmount: input.amount ?? "102.21",
      currency: input.currency ?? "USD"
    }
  },
  paymentInformation: { card: { suffix: "1111", type: "001" } },
  _links: {
    self: { href: `/tss/v2/transactions/${input.id}`, method: "GET" },
    ...(input.related === undefined
      ? {}
      : { relatedTransactions: input.related.map((id) => ({ href: `/tss/v2/transactions/${id}`, method: "GET" })) })
  }
})

/** A CyberSource payment ref. */
export const ref = (id: string): PaymentRef =>
  PaymentRef.make({ provider: "cybersource", paymentId: PaymentId.make(id) })
