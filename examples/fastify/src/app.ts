/**
 * The checkout API (`@payport/example-http-api`) on Fastify 5: async route handlers over
 * `@payport/client`, whichever provider the client was built with. Fastify only routes, parses
 * and writes; the handlers and the error answers are the framework-neutral ones.
 */
import { type Answer, type Client, errorAnswer, jsonLimitBytes, webhookLimitBytes } from "@payport/example-http-api"
import * as Api from "@payport/example-http-api"
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify"

interface Route {
  readonly Params: { readonly id?: string }
}

const requestOf = (request: FastifyRequest<Route>): Api.Request => ({
  id: request.params.id,
  body: request.body,
  header: (name) => {
    const value = request.headers[name]
    return Array.isArray(value) ? value[0] : value
  }
})

const write = (reply: FastifyReply, answer: Answer) =>
  reply
    .code(answer.status)
    .headers(answer.headers ?? {})
    .send(answer.body)

/** Serves `handler`; a rejected handler's error goes to the error handler. */
const route =
  (payport: Client, handler: (payport: Client, request: Api.Request) => Promise<Answer>) =>
  async (request: FastifyRequest<Route>, reply: FastifyReply) =>
    write(reply, await handler(payport, requestOf(request)))

/**
 * The Fastify application over `payport` (not yet listening). Its logger is off: a request's
 * values (card data) never reach a log line.
 */
export const app = (payport: Client): FastifyInstance => {
  // Payment ids are a provider's ref as base64url JSON: longer than Fastify's default 100-character
  // route parameter.
  const api = Fastify({ logger: false, bodyLimit: jsonLimitBytes, routerOptions: { maxParamLength: 1024 } })

  // In their own scope, webhooks take every content type as raw bytes: the signature covers the
  // bytes as they arrived, so no parser may touch them.
  api.register(async (scope) => {
    scope.removeAllContentTypeParsers()
    scope.addContentTypeParser("*", { parseAs: "buffer", bodyLimit: webhookLimitBytes }, (_request, body, done) =>
      done(null, body)
    )
    scope.post("/webhooks", async (request, reply) => {
      const body = Buffer.isBuffer(request.body) ? new Uint8Array(request.body) : new Uint8Array()
      return write(reply, await Api.webhook(payport, request.headers, body))
    })
  })

  api.post<Route>("/payments", route(payport, Api.create))
  api.get<Route>("/payments/:id", route(payport, Api.get))
  api.post<Route>("/payments/:id/capture", route(payport, Api.capture))
  api.post<Route>("/payments/:id/refunds", route(payport, Api.refund))

  // Handler rejections and Fastify's own body errors (malformed JSON 400, too large 413).
  api.setErrorHandler((error, _request, reply) => write(reply, errorAnswer(error)))

  return api
}
