/**
 * Smoke test: the bench runs end to end at the smallest sizes and writes well-formed results
 * with every contender for every operation. It checks shapes only, never how fast anything is.
 */
import { spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, describe, expect, it } from "vitest"
import { coldContenders, contendersFor, extraRequests, operations } from "../src/Protocol.js"
import type { Results } from "../src/Report.js"

const benchRoot = fileURLToPath(new URL("..", import.meta.url))
const dir = mkdtempSync(join(tmpdir(), "payport-bench-"))
const out = join(dir, "smoke.json")

afterAll(() => rmSync(dir, { recursive: true, force: true }))

const finite = (n: unknown) => typeof n === "number" && Number.isFinite(n)

describe("npm run bench -- --quick", () => {
  it("runs every contender on every operation and writes the results", { timeout: 360_000 }, () => {
    const run = spawnSync(
      process.execPath,
      [
        "--import",
        "tsx",
        "src/main.ts",
        "--quick",
        "--ops",
        "8",
        "--warmup",
        "1",
        "--reps",
        "1",
        "--concurrency",
        "4",
        "--out",
        out
      ],
      { cwd: benchRoot, encoding: "utf8", timeout: 350_000 }
    )
    expect(run.stderr).not.toContain("bench failed")
    expect(run.status).toBe(0)
    expect(run.stdout).toContain("CPU µs/op")
    expect(run.stdout).toContain("Ratios")

    const results = JSON.parse(readFileSync(out, "utf8")) as Results
    expect(results.settings).toMatchObject({ quick: true, ops: 8, reps: 1, concurrency: [4] })
    for (const operation of operations) {
      for (const contender of contendersFor(operation)) {
        const row = results.rows.find((r) => r.operation === operation && r.contender === contender)
        expect(row, `${contender} ${operation}`).toBeDefined()
        expect(row?.concurrency).toBe(4)
        expect(row?.repetitions).toHaveLength(1)
        for (const figure of [row?.cpuUsPerOp, row?.p50Ms, row?.p99Ms, row?.opsPerSec, row?.peakRssMb]) {
          expect(finite(figure?.median) && finite(figure?.min) && finite(figure?.max)).toBe(true)
        }
      }
      const ratio = results.ratios.find((r) => r.operation === operation)
      expect(ratio && finite(ratio.cpuPayportOverFloor) && finite(ratio.cpuPayportOverSdk)).toBe(true)
      expect(ratio && finite(ratio.cpuPayportOverSameRequests)).toBe(true)
      expect(ratio && finite(ratio.cpuPayportOverNodeHttp)).toBe(true)
      // The floor sending Payport's requests sends as many as Payport does.
      if (extraRequests[operation] !== undefined) {
        const req = (c: string) =>
          results.rows.find((r) => r.operation === operation && r.contender === c)?.requestsPerOp ?? Number.NaN
        expect(req("floor-same")).toBe(req("payport"))
        expect(req("floor-same")).toBeGreaterThan(req("floor"))
      }
    }
    // --quick measures the bundled form only (full runs also the node_modules one).
    expect(results.coldStart.map((c) => `${c.operation} ${c.contender} ${c.form}`).sort()).toEqual(
      ["cashfree.createPay", "cybersource.authorize"]
        .flatMap((o) => coldContenders.map((c) => `${o} ${c} bundled`))
        .sort()
    )
    expect(results.coldStart.every((c) => c.samples.length === 1 && finite(c.ms.median))).toBe(true)
    expect(results.bundles.map((b) => b.program).sort()).toEqual(
      ["payport-cashfree", "payport-cybersource", "sdk-cashfree", "sdk-cybersource"].sort()
    )
    expect(results.bundles.every((b) => Number.isInteger(b.gzippedBytes) && b.gzippedBytes > 0)).toBe(true)
  })
})
