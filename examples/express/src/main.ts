/**
 * Runs the Express example: `PAYPORT_PROVIDER` picks the provider and each adapter reads its own
 * variables (see the root README's Configuration); `PORT` (default 3000) on 127.0.0.1.
 */
import { Cashfree } from "@payport/adapter-cashfree"
import { CyberSource } from "@payport/adapter-cybersource"
import { Payport } from "@payport/client"
import { Provider } from "@payport/core"
import { NodeTransport } from "@payport/http-node"
import * as Layer from "effect/Layer"
import { app } from "./app.js"

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

const server = app(payport).listen(port, "127.0.0.1", () => {
  console.log(`listening on http://127.0.0.1:${port}`)
})
const stop = () => server.close(() => void payport.close())
process.once("SIGINT", stop)
process.once("SIGTERM", stop)
