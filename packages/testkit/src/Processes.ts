/**
 * Running a program in a child process from a test, asynchronously, so an emulator or server in the
 * test's own process keeps serving while the child talks to it (`spawnSync` would block the event
 * loop and deadlock). The child is killed after `timeoutMs` or when the effect is interrupted.
 *
 * @since 0.1.0
 */
import { spawn } from "node:child_process"
import * as Effect from "effect/Effect"

/**
 * How a child process ended: its exit status (`null` when killed) and everything it printed.
 *
 * @since 0.1.0
 * @category models
 */
export interface Run {
  readonly status: number | null
  readonly stdout: string
  readonly stderr: string
}

/**
 * Runs `command args` to completion.
 *
 * @since 0.1.0
 * @category running
 */
export const run = (
  command: string,
  args: ReadonlyArray<string>,
  options: { readonly env?: NodeJS.ProcessEnv; readonly cwd?: string; readonly timeoutMs?: number } = {}
): Effect.Effect<Run> =>
  Effect.async<Run>((resume) => {
    const child = spawn(command, args, {
      ...(options.env === undefined ? {} : { env: options.env }),
      ...(options.cwd === undefined ? {} : { cwd: options.cwd })
    })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8")
    })
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8")
    })
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000)
    child.on("close", (status) => {
      clearTimeout(timer)
      resume(Effect.succeed({ status, stdout, stderr }))
    })
    return Effect.sync(() => child.kill("SIGKILL"))
  })
