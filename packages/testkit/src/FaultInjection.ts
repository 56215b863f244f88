/**
 * Client-side fault injection: a layer that wraps the `HttpClient` an adapter uses and, from a
 * seeded schedule, delays requests, answers them with a 5xx or a 429 (with `retry-after` and
 * Cashfree's `x-ratelimit-retry`), fails them with a connection reset before they are sent, or
 * delivers them and then loses the response ("commit then drop").
 *
 * The rules are the emulators' (`EmulatorFaults`), so one fault plan reads the same on either side
 * of the wire; this one works against any provider, a sandbox included. Use it in adapter tests
 * and in your own:
 *
 * ```ts
 * const Faulty = FaultInjection.layer({ seed: 7, rules: [EmulatorFaults.commitThenDrop({ probability: 0.1 })] })
 * MyAdapter.layer(options).pipe(Layer.provide(Faulty), Layer.provide(NodeHttpClient.layerUndici))
 * ```
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as EmulatorFaults from "@payport/emulators/EmulatorFaults"
import * as Faults from "@payport/emulators/FaultEngine"

/**
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Seeds the probabilities (default 1): the same seed and request sequence give the same faults. */
  readonly seed?: number
  readonly rules: ReadonlyArray<EmulatorFaults.Rule>
}

/**
 * The running injector: change rules while the test runs, and see what fired.
 *
 * @since 0.1.0
 * @category tags
 */
export class FaultInjector extends Context.Tag("@payport/testkit/FaultInjection/FaultInjector")<
  FaultInjector,
  EmulatorFaults.Controller
>() {}

const transport = (request: HttpClientRequest.HttpClientRequest, description: string) =>
  new HttpClientError.RequestError({ request, reason: "Transport", description })

/** A body like a gateway's: the status speaks, the body is only for diagnosis. */
const injectedBody = (status: number) =>
  JSON.stringify({ message: `injected fault: HTTP ${status}`, code: "injected_fault", type: "api_error" })

/**
 * Wraps a client with a fault engine.
 *
 * @since 0.1.0
 * @category constructors
 */
export const wrap =
  (engine: Faults.Engine) =>
  (client: HttpClient.HttpClient): HttpClient.HttpClient =>
    HttpClient.transform(client, (send, request) =>
      Effect.suspend(() => {
        const { latencyMs, action } = engine.decide(request.method, new URL(request.url, "http://localhost").pathname)
        const delayed = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
          latencyMs > 0 ? Effect.zipRight(Effect.sleep(Duration.millis(latencyMs)), effect) : effect
        if (action === undefined) return delayed(send)
        switch (action._tag) {
          case "error":
            return delayed(
              Effect.succeed(
                HttpClientResponse.fromWeb(
                  request,
                  new Response(injectedBody(action.status), {
                    status: action.status,
                    headers: { "content-type": "application/json" }
                  })
                )
              )
            )
          case "rateLimit":
            return delayed(
              Effect.succeed(
                HttpClientResponse.fromWeb(
                  request,
                  new Response(injectedBody(429), {
                    status: 429,
                    headers: {
                      "content-type": "application/json",
                      "retry-after": String(action.retryAfterSeconds),
                      "x-ratelimit-retry": String(action.retryAfterSeconds)
                    }
                  })
                )
              )
            )
          case "reset":
            return delayed(
              Effect.fail(transport(request, "injected fault: connection reset before the request was sent"))
            )
          case "commitThenDrop":
            // The provider receives and acts on the request; only the answer is lost.
            return delayed(
              Effect.flatMap(send, () =>
                Effect.fail(transport(request, "injected fault: response lost after the request was delivered"))
              )
            )
        }
      })
    )

/**
 * A layer that replaces the `HttpClient` it is given with a faulty one, and provides the
 * `FaultInjector` to change rules and read what fired.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: Options
): Layer.Layer<HttpClient.HttpClient | FaultInjector, never, HttpClient.HttpClient> =>
  Layer.effectContext(
    Effect.map(HttpClient.HttpClient, (client) => {
      const engine = Faults.make(options.seed ?? 1, options.rules)
      return Context.make(HttpClient.HttpClient, wrap(engine)(client)).pipe(
        Context.add(FaultInjector, engine.controller)
      )
    })
  )
