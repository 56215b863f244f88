/** The emulators, each in its own process (`payport-emulator … --port 0`). */
import { join } from "node:path"
import { benchRoot } from "./Build.js"
import { firstLine, track } from "./Processes.js"
import type { CashfreeLine, CyberSourceLine, Emulators } from "./Protocol.js"

const repoRoot = join(benchRoot, "..")

const start = async (provider: "cashfree" | "cybersource"): Promise<unknown> => {
  const child = track(
    process.execPath,
    ["packages/emulators/bin/payport-emulator.mjs", provider, "--port", "0"],
    repoRoot
  )
  return JSON.parse(await firstLine(child, 60_000))
}

/** Starts both emulators and returns their lines. */
export const startEmulators = async (): Promise<Emulators> => {
  const [cashfree, cybersource] = await Promise.all([start("cashfree"), start("cybersource")])
  return { cashfree: cashfree as CashfreeLine, cybersource: cybersource as CyberSourceLine }
}
