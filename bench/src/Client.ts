/**
 * A measured client process: one contender, one operation, one concurrency. Seeds first, warms
 * up, then measures the loop alone: CPU (`process.cpuUsage`, user + system), per-operation
 * latency, throughput, peak RSS, and requests sent (on undici, `fetch` and `node:http`). Prints one JSON
 * line (`Measurement`). In `cold` mode it sends the first operation at once and the parent
 * measures when its first byte arrives.
 */
import * as diagnostics from "node:diagnostics_channel"
import { performance } from "node:perf_hooks"
import type { Make } from "./contenders/Runner.js"
import type { ClientConfig, Measurement } from "./Protocol.js"
import { percentile } from "./Stats.js"

let requests = 0
/**
 * Counts HTTP requests on `diagnostics_channel`: undici (`fetch` is undici inside Node) publishes
 * `undici:request:create` per request, `node:http` (`@payport/http-node`, and axios under the
 * SDKs) `http.client.request.start`.
 */
const countRequests = () => {
  const count = () => {
    requests++
  }
  diagnostics.subscribe("undici:request:create", count)
  diagnostics.subscribe("http.client.request.start", count)
}

/** Runs operations `from … from+n-1` with `width` in flight; their latencies in ms. */
const loop = async (
  run: (i: number) => Promise<void>,
  from: number,
  n: number,
  width: number
): Promise<Float64Array> => {
  const latencies = new Float64Array(n)
  let next = 0
  const worker = async () => {
    while (next < n) {
      const i = next++
      const start = performance.now()
      await run(from + i)
      latencies[i] = performance.now() - start
    }
  }
  await Promise.all(Array.from({ length: Math.min(width, n) }, worker))
  return latencies
}

/** The process entry for one contender. */
export const main = async (make: Make): Promise<void> => {
  const config = JSON.parse(process.argv[2] ?? "") as ClientConfig
  countRequests()
  const runner = await make(config)
  if (config.mode === "cold") {
    // The parent stops this process when the request's first byte reaches its listener.
    await runner.run(0).catch(() => undefined)
    return
  }
  await runner.prepare(config.warmup + config.ops)
  await loop(runner.run, 0, config.warmup, config.concurrency)
  const sent = requests
  const cpu = process.cpuUsage()
  const loopStart = process.hrtime.bigint()
  const start = performance.now()
  const latencies = await loop(runner.run, config.warmup, config.ops, config.concurrency)
  const seconds = (performance.now() - start) / 1000
  const used = process.cpuUsage(cpu)
  const loopEnd = process.hrtime.bigint()
  const wire = requests - sent
  latencies.sort()
  const measurement: Measurement = {
    contender: config.contender,
    operation: config.operation,
    concurrency: config.concurrency,
    ops: config.ops,
    cpuUsPerOp: (used.user + used.system) / config.ops,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    opsPerSec: config.ops / seconds,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    requestsPerOp: wire / config.ops,
    loopUs: [Number(loopStart / 1000n), Number(loopEnd / 1000n)]
  }
  process.stdout.write(`${JSON.stringify(measurement)}\n`)
  await runner.dispose()
}

/** Runs `main` and exits (keep-alive sockets would otherwise hold the process open). */
export const start = (make: Make): void => {
  main(make).then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
      process.exit(1)
    }
  )
}
