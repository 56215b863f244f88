/**
 * The fault suite of one provider, in one line per test file: run the campaign once (sizes from
 * the environment), print its summary, then assert the four zero counts for the provider as a
 * whole and for each discipline × operation kind, so a failure names the combination.
 *
 * - `PAYPORT_FAULT_OPS`: operations per provider, spread over the seeds (default 300)
 * - `PAYPORT_FAULT_SEEDS`: comma-separated seeds (default `1,2,3`)
 * - `PAYPORT_FAULT_LANES`: concurrent callers per seed, each behind its own proxy (default 16)
 *
 * A finding printed with seed `s` replays with `PAYPORT_FAULT_SEEDS=s` and the same operations
 * per seed and lanes.
 */
import { assert, beforeAll, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Campaign from "./Campaign.js"
import * as Operations from "./Operations.js"
import type * as Providers from "./Providers.js"
import * as Report from "./Report.js"

const integer = (name: string, fallback: number): number => {
  const value = Number(process.env[name] ?? fallback)
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`)
  return value
}

/** The campaign of `provider` with the sizes from the environment. */
export const options = (provider: Providers.ProviderName): Campaign.Options => {
  const seeds = (process.env.PAYPORT_FAULT_SEEDS ?? "1,2,3").split(",").map((seed) => Number(seed.trim()))
  if (seeds.some((seed) => !Number.isInteger(seed))) throw new Error("PAYPORT_FAULT_SEEDS must be integers")
  const operations = integer("PAYPORT_FAULT_OPS", 300)
  return {
    provider,
    seeds,
    opsPerSeed: Math.ceil(operations / seeds.length),
    lanes: integer("PAYPORT_FAULT_LANES", 16)
  }
}

const ZERO: Report.Counts = { duplicates: 0, lost: 0, misreported: 0, crashes: 0 }

/** Runs `provider`'s campaign and asserts its counts. */
export const faultSuite = (provider: Providers.ProviderName): void => {
  const campaign = options(provider)
  // Generous: operations run sequentially per lane, each bounded by OPERATION_TIMEOUT_MS.
  const timeout = 120_000 + campaign.seeds.length * Math.ceil(campaign.opsPerSeed / campaign.lanes) * 5_000
  describe(`${provider} behind the fault proxy`, () => {
    let runs: ReadonlyArray<Campaign.SeedRun> = []
    beforeAll(async () => {
      const done: Array<Campaign.SeedRun> = []
      for (const seed of campaign.seeds) {
        const run = await Effect.runPromise(Campaign.runSeed(campaign, seed))
        done.push(run)
        // A line per seed, so a long run shows progress.
        console.log(
          `${provider} seed ${seed}: ${run.judged.length} operations, ${run.requests} requests, ${(run.millis / 1000).toFixed(1)} s`
        )
      }
      runs = done
      console.log(Report.format(campaign, runs))
    }, timeout)

    it("every operation: 0 duplicates, 0 lost, 0 misreported, 0 crashes", () => {
      assert.strictEqual(
        runs.reduce((sum, run) => sum + run.judged.length, 0),
        campaign.opsPerSeed * campaign.seeds.length
      )
      assert.deepStrictEqual(Report.totals(runs, Report.rows(runs)), ZERO)
    })

    for (const discipline of Operations.disciplines) {
      for (const kind of Operations.kinds) {
        it(`${discipline}, ${kind}: 0 duplicates, 0 lost, 0 misreported, 0 crashes`, () => {
          const row = Report.rows(runs).find((r) => r.discipline === discipline && r.kind === kind)
          assert.isDefined(row)
          assert.deepStrictEqual(Report.counts(row), ZERO, row.findings.slice(0, 3).join("\n"))
        })
      }
    }
  })
}
