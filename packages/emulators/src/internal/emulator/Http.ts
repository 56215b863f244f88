/**
 * The request and reply values an emulator's handler works with: the request fully read (raw body
 * bytes kept, because signatures are computed over them), the reply a plain value the server writes.
 * Handlers are ordinary functions, so an emulator's routing and state machines can be tested and
 * reasoned about without sockets.
 *
 * Provider-neutral and stable: the Cashfree and CyberSource emulators both use it.
 */
import * as Json from "./Json.js"

/** An HTTP request as received, body fully read. */
export interface Request {
  readonly method: string
  /** The path without the query string, exactly as received (not percent-decoded). */
  readonly path: string
  readonly query: URLSearchParams
  /** Header names lower-cased; repeated headers joined with `", "`. */
  readonly headers: Readonly<Record<string, string>>
  /** The `Host` header as received (signature schemes such as CyberSource's sign it). */
  readonly host: string
  /** The raw body bytes. */
  readonly body: Uint8Array
  /** The body decoded as UTF-8. */
  readonly text: string
  readonly remoteAddress: string
}

/** A reply to write. */
export interface Reply {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string | Uint8Array
}

/** Answers a request. May be asynchronous; a thrown error becomes the provider's 500 reply. */
export type Handler = (request: Request) => Reply | Promise<Reply>

/** A header value, or `undefined` when absent. `name` is matched case-insensitively. */
export const header = (request: Request, name: string): string | undefined => request.headers[name.toLowerCase()]

/** A JSON reply; `RawNumber`s in `value` are written verbatim. */
export const json = (status: number, value: Json.Value, headers: Readonly<Record<string, string>> = {}): Reply => ({
  status,
  headers: { "content-type": "application/json", ...headers },
  body: Json.stringify(value)
})

/** An HTML reply. */
export const html = (status: number, body: string, headers: Readonly<Record<string, string>> = {}): Reply => ({
  status,
  headers: { "content-type": "text/html; charset=utf-8", ...headers },
  body
})

/** A plain-text reply. */
export const text = (status: number, body: string, headers: Readonly<Record<string, string>> = {}): Reply => ({
  status,
  headers: { "content-type": "text/plain; charset=utf-8", ...headers },
  body
})

/** A redirect (303 by default, so a browser follows a form POST with a GET). */
export const redirect = (location: string, status = 303): Reply => ({
  status,
  headers: { location, "content-type": "text/plain; charset=utf-8" },
  body: `See ${location}`
})

/** The same reply with extra headers (the extra ones win). */
export const withHeaders = (reply: Reply, headers: Readonly<Record<string, string>>): Reply => ({
  ...reply,
  headers: { ...reply.headers, ...headers }
})

/** Fields of an `application/x-www-form-urlencoded` body (the approve/decline pages post these). */
export const formFields = (request: Request): URLSearchParams => new URLSearchParams(request.text)

/** Escapes text for HTML element content and attribute values. */
export const escapeHtml = (value: string): string =>
  value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;")
