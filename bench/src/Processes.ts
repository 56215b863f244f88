/**
 * Child processes: the emulators and the measured clients. Every child is tracked and killed
 * when the bench exits, however it exits; each has a deadline.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { createInterface } from "node:readline"

const children = new Set<ChildProcess>()

const killAll = () => {
  for (const child of children) child.kill("SIGKILL")
  children.clear()
}
process.on("exit", killAll)
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    killAll()
    process.exit(130)
  })
}

/** Spawns a tracked child (stdin ignored, stdout piped, stderr collected). */
export const track = (command: string, args: ReadonlyArray<string>, cwd: string): ChildProcess => {
  const child = spawn(command, [...args], { cwd, stdio: ["ignore", "pipe", "pipe"] })
  children.add(child)
  child.once("exit", () => children.delete(child))
  return child
}

/** Stops a tracked child and waits for it to go. */
export const stop = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    child.once("exit", () => resolve())
    child.kill("SIGKILL")
  })

/** The child's first stdout line (its announcement), or a failure after `ms`. */
export const firstLine = (child: ChildProcess, ms: number): Promise<string> =>
  new Promise((resolve, reject) => {
    let stderr = ""
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000)
    })
    const timer = setTimeout(() => {
      void stop(child)
      reject(new Error(`no output within ${ms} ms: ${stderr}`))
    }, ms)
    const lines = createInterface({ input: child.stdout ?? process.stdin })
    lines.once("line", (line) => {
      clearTimeout(timer)
      resolve(line)
    })
    child.once("exit", (code) => {
      clearTimeout(timer)
      reject(new Error(`exited with ${code} before printing: ${stderr}`))
    })
  })
