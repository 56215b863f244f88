/**
 * The adapter against a `CashfreeEmulator` over real loopback HTTP: the emulator starts with the
 * layer, the adapter is pointed at its `baseUrl` with its credentials, and an `HttpClient`
 * wrapper records every exchange (the final request the adapter sent, with headers and body, and
 * the response text) so tests can check the wire afterwards.
 */
import type * as CashfreeEmulator from "@payport/emulators/CashfreeEmulator"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { NodeTransport } from "@payport/http-node"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Cashfree from "../../src/Cashfree.js"
import type * as CashfreeClient from "../../src/CashfreeClient.js"

/** One request the adapter sent and what came back. */
export interface Exchange {
  readonly method: string
  readonly url: URL
  /** The path below `/pg`. */
  readonly path: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: string | undefined
  readonly status: number
  readonly response: string
}

const decoder = new TextDecoder()

/** An `HttpClient` over `inner` that appends every exchange to `log`. */
export const recording = (inner: HttpClient.HttpClient, log: Array<Exchange>): HttpClient.HttpClient =>
  HttpClient.transform(inner, (response, request) =>
    Effect.flatMap(response, (res) =>
      Effect.map(res.text, (text) => {
        const url = new URL(request.url)
        for (const [name, value] of request.urlParams) url.searchParams.append(name, value)
        log.push({
          method: request.method,
          url,
          path: url.pathname.replace(/^\/pg/, ""),
          headers: { ...request.headers },
          body: request.body._tag === "Uint8Array" ? decoder.decode(request.body.body) : undefined,
          status: res.status,
          response: text
        })
        // The body was read here; hand the adapter a response that can be read again.
        return HttpClientResponse.fromWeb(request, new Response(text, { status: res.status, headers: res.headers }))
      })
    )
  )

/** `@payport/http-node` over loopback, recording into `log` when given. */
export const httpClient = (log?: Array<Exchange>): Layer.Layer<HttpClient.HttpClient> =>
  log === undefined
    ? NodeTransport.layer
    : Layer.effect(
        HttpClient.HttpClient,
        Effect.map(HttpClient.HttpClient, (inner) => recording(inner, log))
      ).pipe(Layer.provide(NodeTransport.layer))

/** The guest `customer_details` for payments that name no customer (Cashfree requires one). */
export const GUEST = { id: "guest_0001", phone: "9876543210" } as const

/** Adapter options pointing at `emulator`. */
export const options = (
  emulator: CashfreeEmulator.CashfreeEmulator,
  overrides?: Partial<CashfreeClient.Options>
): CashfreeClient.Options => ({
  clientId: emulator.clientId,
  clientSecret: Redacted.make(emulator.clientSecret),
  environment: "sandbox",
  baseUrl: emulator.baseUrl,
  guestCustomer: GUEST,
  timing: {
    attemptTimeout: "5 seconds",
    deadline: "15 seconds",
    retries: 2,
    baseDelay: "5 millis",
    maxDelay: "20 millis"
  },
  ...overrides
})

/** The adapter's ports over `emulator`. */
export const adapter =
  (overrides?: Partial<CashfreeClient.Options>, log?: Array<Exchange>) =>
  (emulator: CashfreeEmulator.CashfreeEmulator) =>
    Cashfree.layer(options(emulator, overrides)).pipe(Layer.provide(httpClient(log)))
