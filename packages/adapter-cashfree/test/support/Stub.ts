/**
 * A stub `HttpClient` for adapter tests: records every request (method, URL, headers, body) and
 * answers from a route table, as `HttpClientResponse.fromWeb` over a real `Response`.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"

export interface Recorded {
  readonly method: string
  readonly url: URL
  readonly path: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: string | undefined
}

export interface Reply {
  readonly status?: number
  /** A string is sent verbatim; anything else as JSON. */
  readonly body?: unknown
  readonly headers?: Readonly<Record<string, string>>
}

export type Route = readonly [method: string, path: RegExp, reply: (request: Recorded, match: RegExpExecArray) => Reply]

const decoder = new TextDecoder()

/** A stub client answering from `routes` (first match wins; unmatched requests get a 404). */
export const make = (routes: ReadonlyArray<Route>) => {
  const log: Array<Recorded> = []
  const client = HttpClient.make((request, url) =>
    Effect.sync(() => {
      const body = request.body._tag === "Uint8Array" ? decoder.decode(request.body.body) : undefined
      const path = url.pathname.replace(/^\/pg/, "")
      const recorded: Recorded = { method: request.method, url, path, headers: { ...request.headers }, body }
      log.push(recorded)
      let reply: Reply = {
        status: 404,
        body: { message: "not found", code: "request_failed", type: "invalid_request_error" }
      }
      for (const [method, pattern, answer] of routes) {
        const match = method === request.method ? pattern.exec(path) : null
        if (match !== null) {
          reply = answer(recorded, match)
          break
        }
      }
      const text =
        typeof reply.body === "string" ? reply.body : reply.body === undefined ? "" : JSON.stringify(reply.body)
      return HttpClientResponse.fromWeb(
        request,
        new Response(text, {
          status: reply.status ?? 200,
          headers: { "content-type": "application/json", ...reply.headers }
        })
      )
    })
  )
  return { log, layer: Layer.succeed(HttpClient.HttpClient, client) }
}

/** A reply that answers the n-th call (0-based) from `replies`, repeating the last. */
export const sequence = (replies: ReadonlyArray<Reply>) => {
  let n = 0
  return (): Reply => replies[Math.min(n++, replies.length - 1)] ?? {}
}
