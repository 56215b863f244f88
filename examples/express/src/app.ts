/**
 * The checkout API (`@payport/example-http-api`) on Express 5: async route handlers over
 * `@payport/client`, whichever provider the client was built with. Express only routes, parses
 * and writes; the handlers and the error answers are the framework-neutral ones.
 */
import { type Answer, type Client, errorAnswer, jsonLimitBytes, webhookLimitBytes } from "@payport/example-http-api"
import * as Api from "@payport/example-http-api"
import express, { type NextFunction, type Request, type Response } from "express"

const requestOf = (request: Request): Api.Request => ({
  id: typeof request.params.id === "string" ? request.params.id : undefined,
  body: request.body,
  header: (name) => request.header(name)
})

const write = (response: Response, answer: Answer) => {
  for (const [name, value] of Object.entries(answer.headers ?? {})) response.setHeader(name, value)
  response.status(answer.status).json(answer.body)
}

/** Serves `handler`; Express 5 passes a rejected handler's error to the error middleware. */
const route =
  (payport: Client, handler: (payport: Client, request: Api.Request) => Promise<Answer>) =>
  async (request: Request, response: Response) =>
    write(response, await handler(payport, requestOf(request)))

/** The Express application over `payport`. */
export const app = (payport: Client): express.Express => {
  const api = express()

  // Registered before any JSON parser: the signature covers the bytes as they arrived.
  api.post(
    "/webhooks",
    express.raw({ type: () => true, limit: webhookLimitBytes }),
    async (request: Request, response: Response) => {
      const body = Buffer.isBuffer(request.body) ? new Uint8Array(request.body) : new Uint8Array()
      write(response, await Api.webhook(payport, request.headers, body))
    }
  )

  api.use(express.json({ limit: jsonLimitBytes }))
  api.post("/payments", route(payport, Api.create))
  api.get("/payments/:id", route(payport, Api.get))
  api.post("/payments/:id/capture", route(payport, Api.capture))
  api.post("/payments/:id/refunds", route(payport, Api.refund))

  api.use((error: unknown, _request: Request, response: Response, _next: NextFunction) => {
    write(response, errorAnswer(error))
  })

  return api
}
