/**
 * Runs the checkout backend on `PORT` (default 3000) against the provider `PAYPORT_PROVIDER`
 * names (`cashfree`, `cybersource` or `memory`), configured by that adapter's variables (see
 * `Providers.ts`), remembering webhook event ids where `PAYPORT_WEBHOOK_STORE` says (see
 * `WebhookStore.ts`; default in memory).
 */
import { HttpServer } from "@effect/platform"
import { NodeHttpServer, NodeRuntime } from "@effect/platform-node"
import { Provider } from "@payport/core"
import { ConfigurationError } from "@payport/core/PaymentError"
import * as Config from "effect/Config"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { createServer } from "node:http"
import * as Providers from "./Providers.js"
import * as Server from "./Server.js"
import * as WebhookStore from "./WebhookStore.js"

/** `PORT` (default 3000): a bad value or a port in use is a configuration error naming `PORT`. */
const Http = Layer.unwrapEffect(
  Effect.map(Provider.read("PORT", Config.port("PORT").pipe(Config.withDefault(3000))), (port) =>
    NodeHttpServer.layer(createServer, { port, host: "127.0.0.1" }).pipe(
      Layer.catchAll((error) =>
        Layer.fail(
          new ConfigurationError({
            operation: "configure",
            variable: "PORT",
            reason: `cannot listen on 127.0.0.1:${port} (${String(error.cause ?? error)})`
          })
        )
      )
    )
  )
)

/** The "listening on …" line, once the port is bound. */
const Listening = Layer.effectDiscard(
  HttpServer.addressFormattedWith((address) => Effect.sync(() => console.log(`listening on ${address}`)))
)

Server.layer.pipe(
  Layer.provideMerge(Listening),
  Layer.provide(Providers.layer),
  Layer.provide(WebhookStore.layer),
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
