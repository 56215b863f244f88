/**
 * A merchant's webhook endpoint in miniature: a loopback HTTP server that keeps every POST exactly
 * as received (raw body text and headers), answers 200, and lets a test wait for a delivery. The
 * official SDKs verify signatures over the raw body, so nothing here parses or re-serialises it.
 */
import { createServer, type IncomingHttpHeaders } from "node:http"

/** One received webhook. */
export interface Received {
  readonly path: string
  readonly headers: IncomingHttpHeaders
  /** The body text exactly as it arrived. */
  readonly rawBody: string
}

/** A running receiver. */
export interface WebhookReceiver {
  /** `http://127.0.0.1:PORT/webhooks` */
  readonly url: string
  readonly received: () => ReadonlyArray<Received>
  /** The first delivery (past or future) matching `predicate`; rejects after `timeoutMs`. */
  readonly waitFor: (predicate: (received: Received) => boolean, timeoutMs?: number) => Promise<Received>
  readonly close: () => Promise<void>
}

/** A header's single value (webhook headers are never repeated). */
export const header = (received: Received, name: string): string => {
  const value = received.headers[name]
  if (typeof value !== "string") throw new Error(`webhook has no single ${name} header`)
  return value
}

/** Starts a receiver on 127.0.0.1 with an ephemeral port. */
export const start = async (): Promise<WebhookReceiver> => {
  const received: Array<Received> = []
  const waiters = new Set<(received: Received) => void>()
  const server = createServer((request, response) => {
    const chunks: Array<Buffer> = []
    request.on("data", (chunk: Buffer) => chunks.push(chunk))
    request.on("end", () => {
      const entry: Received = {
        path: request.url ?? "/",
        headers: request.headers,
        rawBody: Buffer.concat(chunks).toString("utf8")
      }
      received.push(entry)
      for (const waiter of waiters) waiter(entry)
      response.writeHead(200, { "content-type": "text/plain" }).end("OK")
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => resolve())
  })
  const address = server.address()
  if (address === null || typeof address === "string") throw new Error("the receiver is not listening on TCP")
  const { port } = address
  return {
    url: `http://127.0.0.1:${port}/webhooks`,
    received: () => [...received],
    waitFor: (predicate, timeoutMs = 5_000) => {
      const already = received.find(predicate)
      if (already !== undefined) return Promise.resolve(already)
      return new Promise<Received>((resolve, reject) => {
        const waiter = (entry: Received) => {
          if (!predicate(entry)) return
          clearTimeout(timer)
          waiters.delete(waiter)
          resolve(entry)
        }
        const timer = setTimeout(() => {
          waiters.delete(waiter)
          reject(new Error(`no matching webhook within ${timeoutMs} ms (${received.length} received)`))
        }, timeoutMs)
        waiters.add(waiter)
      })
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
