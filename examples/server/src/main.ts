/**
 * Runs the checkout backend on `PORT` (default 3000) against the provider `PAYPORT_PROVIDER`
 * names (`cashfree`, `cybersource` or `memory`), configured by that adapter's variables (see
 * `Providers.ts`).
 */
import { NodeHttpServer, NodeRuntime } from "@effect/platform-node"
import * as Config from "effect/Config"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { createServer } from "node:http"
import * as Providers from "./Providers.js"
import * as Server from "./Server.js"

const Http = Layer.unwrapEffect(
  Effect.map(Config.port("PORT").pipe(Config.withDefault(3000)), (port) =>
    NodeHttpServer.layer(createServer, { port, host: "127.0.0.1" })
  )
)

Server.layer.pipe(
  Layer.provide(Providers.layer),
  Layer.provide(Http),
  Layer.launch,
  // A configuration mistake is one line naming the variable, not a stack trace.
  Effect.catchTag("ConfigurationError", (error) =>
    Effect.sync(() => {
      console.error(`Configuration error: ${error.message}`)
      process.exitCode = 2
    })
  ),
  NodeRuntime.runMain
)
