/**
 * One provider under faults: for each seed, a fresh emulator, `lanes` callers each with its own
 * fault proxy (seeded from the seed and the lane) and its own adapter layer, each running its
 * share of the operations one after another; then every operation judged against the emulator's
 * truth once every proxy has finished forwarding (late commits included).
 *
 * One proxy per lane keeps a seed's schedule reproducible although lanes run concurrently: the
 * n-th request a lane sends meets the same fault whatever the other lanes do.
 */
import * as Effect from "effect/Effect"
import * as Random from "effect/Random"
import * as Audit from "./Audit.js"
import * as FaultProxy from "./FaultProxy.js"
import * as Operations from "./Operations.js"
import * as Prng from "./Prng.js"
import * as Providers from "./Providers.js"

/** The size of a campaign. */
export interface Options {
  readonly provider: Providers.ProviderName
  readonly seeds: ReadonlyArray<number>
  readonly opsPerSeed: number
  readonly lanes: number
  readonly rates?: Partial<Record<FaultProxy.FaultKind, number>>
}

/** One operation, what its caller concluded, the truth, the verdict and the faults its requests met. */
export interface Judged {
  readonly record: Operations.OperationRecord
  readonly truth: Audit.Truth
  readonly verdict: Audit.Verdict
  readonly faults: ReadonlyArray<FaultProxy.FaultEvent>
}

/** Everything one seed produced. */
export interface SeedRun {
  readonly seed: number
  readonly judged: ReadonlyArray<Judged>
  readonly requests: number
  /** Requests that met a fault. */
  readonly faulted: number
  readonly unhandledRejections: number
  readonly millis: number
}

/** How long a lane's proxy may keep forwarding late requests after its last operation. */
const DRAIN_MS = 20_000

/** Operation `index` of a seed: kinds and disciplines in turn, amounts from the seed. */
const operation = (seed: number, index: number, lanes: number): Operations.Operation => {
  const draw = Prng.make(Prng.mix(seed, index, 0x0a11))
  const kind = Operations.kinds[index % Operations.kinds.length] ?? "sale"
  const discipline =
    Operations.disciplines[Math.floor(index / Operations.kinds.length) % Operations.disciplines.length] ??
    "sync-then-retry"
  const amount = draw.int(1_000, 500_000)
  return {
    id: `s${seed}-o${index}`,
    seed,
    index,
    lane: index % lanes,
    kind,
    discipline,
    reference: `faults-${seed}-${index}`,
    amount,
    partial: Math.max(100, Math.floor((amount * draw.int(10, 90)) / 100))
  }
}

const runLane = (
  upstream: Providers.Upstream,
  options: Options,
  seed: number,
  lane: number,
  operations: ReadonlyArray<Operations.Operation>
) =>
  Effect.scoped(
    Effect.gen(function* () {
      const proxy = yield* FaultProxy.start({
        upstream: upstream.origin,
        seed: Prng.mix(seed, lane),
        ...(options.rates === undefined ? {} : { rates: options.rates }),
        // Far above what the operations need (tens of requests each): a bound, not a budget.
        maxRequests: 1_000 + operations.length * 200,
        lifetimeMs: 120_000 + operations.length * Operations.OPERATION_TIMEOUT_MS
      })
      const records = yield* Effect.forEach(operations, (op) =>
        Effect.zipRight(
          Effect.sync(() => proxy.setLabel(op.id)),
          Operations.run(op)
        )
      ).pipe(
        Effect.provide(upstream.ports(proxy.origin)),
        // Back-off jitter from the seed too, so a lane's run repeats as closely as timing allows.
        Effect.withRandom(Random.make(Prng.mix(seed, lane, 0xb0ff)))
      )
      yield* Effect.promise(() => proxy.drained(DRAIN_MS))
      return { records, events: proxy.events(), requests: proxy.requests() }
    })
  )

/** Runs one seed of a campaign. */
export const runSeed = (options: Options, seed: number): Effect.Effect<SeedRun> =>
  Effect.scoped(
    Effect.gen(function* () {
      const started = Date.now()
      let unhandledRejections = 0
      const onUnhandled = () => {
        unhandledRejections++
      }
      yield* Effect.acquireRelease(
        Effect.sync(() => process.on("unhandledRejection", onUnhandled)),
        () => Effect.sync(() => process.off("unhandledRejection", onUnhandled))
      )
      const upstream = yield* Providers.start(options.provider, seed)
      const operations = Array.from({ length: options.opsPerSeed }, (_, index) => operation(seed, index, options.lanes))
      const lanes = yield* Effect.forEach(
        Array.from({ length: options.lanes }, (_, lane) => lane),
        (lane) =>
          runLane(
            upstream,
            options,
            seed,
            lane,
            operations.filter((op) => op.lane === lane)
          ),
        { concurrency: "unbounded" }
      )
      const faultsOf = new Map<string, Array<FaultProxy.FaultEvent>>()
      for (const event of lanes.flatMap((lane) => lane.events)) {
        faultsOf.set(event.label, [...(faultsOf.get(event.label) ?? []), event])
      }
      const judged = yield* Effect.forEach(
        lanes.flatMap((lane) => lane.records),
        (record) =>
          Effect.map(Audit.readTruth(upstream.truthUrl, record.reference), (truth) => ({
            record,
            truth,
            verdict: Audit.judge(record, truth),
            faults: faultsOf.get(record.id) ?? []
          })),
        { concurrency: 8 }
      )
      return {
        seed,
        judged: judged.sort((a, b) => a.record.index - b.record.index),
        requests: lanes.reduce((sum, lane) => sum + lane.requests, 0),
        faulted: lanes.reduce((sum, lane) => sum + lane.events.length, 0),
        unhandledRejections,
        millis: Date.now() - started
      }
    })
  )
