/**
 * The Express example over HTTP: the checkout API's conformance suite, against each provider's
 * emulator through its adapter.
 */
import type { AddressInfo } from "node:net"
import { describeCheckoutApi } from "@payport/example-http-api/Conformance"
import { app } from "../src/app.js"

describeCheckoutApi("Express", async (payport) => {
  const server = app(payport).listen(0, "127.0.0.1")
  await new Promise((resolve) => server.once("listening", resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve()))
  }
})
