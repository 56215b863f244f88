/**
 * Hostile provider responses, as one suite any adapter runs in one line: for every operation, the
 * genuine setup runs, then one request of the operation under test (chosen at random) gets a
 * hostile answer instead (`HostileResponses.hostile`: a field of the genuine body replaced by a
 * wrong type or a huge number, random JSON, deep nesting, invalid UTF-8, an empty or truncated
 * body, an HTML error page, at a random HTTP status). Every case must end in one of core's typed
 * errors or a valid result, never a defect or a hang, and a mutation answered 2xx with garbage
 * must never report success from that answer (`HostileResponses.judge`).
 *
 * `PAYPORT_FUZZ_RUNS` sets the runs per operation (default 15).
 *
 * ```ts
 * hostileResponseSuite({
 *   inner: () => FetchHttpClient.layer, // real HTTP to an emulator, or a stub
 *   layer: (client) => CyberSource.layer(options).pipe(Layer.provide(client), Layer.orDie),
 *   operations: [
 *     { name: "Payments.create", mutates: true, setup: Effect.succeed(Payments.create(sale())) },
 *     { name: "Payments.get", mutates: false, setup: Effect.map(Payments.create(sale()), (p) => Payments.get(p.ref)) }
 *   ]
 * })
 * ```
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as FastCheck from "effect/FastCheck"
import type * as Layer from "effect/Layer"
import * as HostileResponses from "./HostileResponses.js"

/**
 * One operation under test: its genuine setup, which yields the operation (unrun) once what it
 * needs exists; `mutates` when it may move money or change provider state.
 *
 * @since 0.1.0
 * @category models
 */
export interface Operation<R> {
  readonly name: string
  readonly mutates: boolean
  readonly setup: Effect.Effect<Effect.Effect<unknown, unknown, R>, unknown, R>
}

/**
 * What the suite needs: the genuine `HttpClient` for each case (a fresh stub, or real HTTP to an
 * emulator), the adapter over a client, and the operations.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options<R> {
  readonly inner: () => Layer.Layer<HttpClient.HttpClient>
  readonly layer: (client: Layer.Layer<HttpClient.HttpClient>) => Layer.Layer<R, unknown>
  readonly operations: ReadonlyArray<Operation<R>>
  /** Runs per operation; default `PAYPORT_FUZZ_RUNS` or 15. */
  readonly runs?: number
}

/**
 * Registers the suite.
 *
 * @since 0.1.0
 * @category suites
 */
export const hostileResponseSuite = <R>(options: Options<R>): void => {
  const runs = options.runs ?? Number(process.env.PAYPORT_FUZZ_RUNS ?? 15)
  describe("provider responses (hostile answers at random statuses)", () => {
    for (const operation of options.operations) {
      it(
        operation.name,
        () =>
          FastCheck.assert(
            FastCheck.asyncProperty(HostileResponses.hostile, async (hostile) => {
              const client = HostileResponses.client(options.inner())
              const exit = await Effect.runPromise(
                Effect.gen(function* () {
                  const run = yield* operation.setup
                  client.arm(hostile)
                  return yield* Effect.exit(run.pipe(Effect.timeout("10 seconds")))
                }).pipe(Effect.provide(options.layer(client.layer)))
              )
              const verdict = HostileResponses.judge(exit, client.served(), operation.mutates)
              assert.isUndefined(verdict, `${operation.name}: ${verdict}`)
            }),
            { numRuns: runs }
          ),
        60_000 + runs * 2_000
      )
    }
  })
}
