/**
 * The Fastify example over HTTP: the checkout API's conformance suite, against each provider's
 * emulator through its adapter.
 */
import { describeCheckoutApi } from "@payport/example-http-api/Conformance"
import { app } from "../src/app.js"

describeCheckoutApi("Fastify", async (payport) => {
  const server = app(payport)
  const url = await server.listen({ port: 0, host: "127.0.0.1" })
  return { url, close: () => server.close() }
})
