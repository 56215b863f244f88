/**
 * What a framework example's `main` needs from its environment: `PORT` (default 3000; anything but a
 * port number prints `Configuration error: PORT: …` and exits 2) and a client whose provider
 * `PAYPORT_PROVIDER` names, each adapter reading its own variables (see the root README's
 * Configuration).
 */
import { Cashfree } from "@payport/adapter-cashfree"
import { CyberSource } from "@payport/adapter-cybersource"
import { Payport } from "@payport/client"
import { Provider } from "@payport/core"
import { NodeTransport } from "@payport/http-node"
import * as Layer from "effect/Layer"
import type { Client } from "./CheckoutApi.js"

/** The port to listen on and the client to serve, from the environment. */
export const configured = (): { readonly port: number; readonly payport: Client } => {
  const port = Number(process.env.PORT ?? "3000")
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`Configuration error: PORT: must be a port number, got ${JSON.stringify(process.env.PORT)}`)
    process.exit(2)
  }
  const payport = Payport.make(
    Provider.layerFromConfig({ cashfree: Cashfree.layerConfig(), cybersource: CyberSource.layerConfig() }).pipe(
      Layer.provide(NodeTransport.layer)
    )
  )
  return { port, payport }
}
