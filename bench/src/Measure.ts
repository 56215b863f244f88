/**
 * Spawns measured client processes: one per contender × operation × concurrency × repetition,
 * and cold starts against a loopback listener that notes the first byte of the first request.
 */
import { createServer, type Socket } from "node:net"
import { performance } from "node:perf_hooks"
import { benchRoot } from "./Build.js"
import { firstLine, stop, track } from "./Processes.js"
import type { ClientConfig, Contender, Emulators, Measurement, Operation } from "./Protocol.js"

/** Runs one client process to completion; its measurement. */
export const measure = async (
  bundle: string,
  config: ClientConfig,
  nodeFlags: ReadonlyArray<string> = []
): Promise<Measurement> => {
  const child = track(process.execPath, [...nodeFlags, bundle, JSON.stringify(config)], benchRoot)
  const line = await firstLine(child, 180_000)
  await new Promise<void>((resolve) => {
    if (child.exitCode !== null) resolve()
    else child.once("exit", () => resolve())
  })
  return JSON.parse(line) as Measurement
}

/**
 * Process start to first request byte on the wire: the client is pointed at a loopback TCP
 * listener, the clock starts just before `spawn` and stops at the listener's first `data`.
 */
export const coldStart = async (
  bundle: string,
  contender: Contender,
  operation: Operation,
  emulators: Emulators
): Promise<number> => {
  let arrived: (at: number) => void = () => undefined
  const firstByte = new Promise<number>((resolve) => {
    arrived = resolve
  })
  const sockets = new Set<Socket>()
  const server = createServer((socket) => {
    sockets.add(socket)
    socket.once("data", () => arrived(performance.now()))
    socket.on("error", () => undefined)
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const address = server.address()
  const port = typeof address === "object" && address !== null ? address.port : 0
  const url = `http://127.0.0.1:${port}`
  const config: ClientConfig = {
    mode: "cold",
    contender,
    operation,
    concurrency: 1,
    ops: 1,
    warmup: 0,
    emulators: {
      cashfree: { ...emulators.cashfree, baseUrl: `${url}/pg` },
      cybersource: { ...emulators.cybersource, baseUrl: url }
    }
  }
  const spawnedAt = performance.now()
  const child = track(process.execPath, [bundle, JSON.stringify(config)], benchRoot)
  const timeout = new Promise<number>((_, reject) =>
    setTimeout(() => reject(new Error(`${contender} ${operation}: no request within 30 s`)), 30_000).unref()
  )
  try {
    return (await Promise.race([firstByte, timeout])) - spawnedAt
  } finally {
    await stop(child)
    for (const socket of sockets) socket.destroy()
    server.close()
  }
}
