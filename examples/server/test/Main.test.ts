/**
 * `npm start` as an operator meets it: the "listening on …" line, and every configuration mistake
 * (a bad or busy PORT, an unknown provider) as one line naming the variable and exit code 2.
 */
import { spawn } from "node:child_process"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { fileURLToPath } from "node:url"
import { assert, describe, it } from "@effect/vitest"
import * as Processes from "@payport/testkit/Processes"
import * as Effect from "effect/Effect"

const main = fileURLToPath(new URL("../src/main.ts", import.meta.url))
const tsx = fileURLToPath(new URL("../../../node_modules/.bin/tsx", import.meta.url))
const args = ["--conditions=@payport/source", main]
const env = (vars: Record<string, string>) => ({ PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...vars })

/** The one stderr line of a configuration error, and the exit code. */
const configurationError = (vars: Record<string, string>) =>
  Effect.map(Processes.run(tsx, args, { env: env(vars) }), (run) => ({
    status: run.status,
    lines: run.stderr.split("\n").filter((line) => line.trim() !== "")
  }))

/** A port nothing listens on right now. */
const freePort = Effect.async<number>((resume) => {
  const probe = createServer()
  probe.listen(0, "127.0.0.1", () => {
    const { port } = probe.address() as AddressInfo
    probe.close(() => resume(Effect.succeed(port)))
  })
})

describe("npm start -w @payport/example-server", () => {
  it.live("prints where it listens", () =>
    Effect.flatMap(freePort, (port) =>
      Effect.async<string>((resume) => {
        const child = spawn(tsx, args, { env: env({ PORT: String(port), PAYPORT_PROVIDER: "memory" }) })
        let out = ""
        let err = ""
        child.stderr.on("data", (chunk: Buffer) => {
          err += chunk.toString("utf8")
        })
        child.stdout.on("data", (chunk: Buffer) => {
          out += chunk.toString("utf8")
          if (out.includes("\n")) {
            child.kill("SIGTERM")
            resume(Effect.succeed(out))
          }
        })
        child.on("exit", () => resume(Effect.succeed(`${out}${err}`)))
        return Effect.sync(() => child.kill("SIGKILL"))
      }).pipe(Effect.map((out) => assert.strictEqual(out.trim(), `listening on http://127.0.0.1:${port}`)))
    )
  )

  it.live("PORT=abc is one line naming PORT, exit 2", () =>
    Effect.map(configurationError({ PORT: "abc", PAYPORT_PROVIDER: "memory" }), ({ status, lines }) => {
      assert.strictEqual(status, 2)
      assert.deepStrictEqual(lines.length, 1)
      assert.match(lines[0] ?? "", /^Configuration error: PORT: /)
    })
  )

  it.live("a port in use is one line naming PORT, exit 2", () =>
    Effect.acquireUseRelease(
      Effect.async<ReturnType<typeof createServer>>((resume) => {
        const busy = createServer((_, response) => response.end())
        busy.listen(0, "127.0.0.1", () => resume(Effect.succeed(busy)))
      }),
      (busy) =>
        Effect.map(
          configurationError({ PORT: String((busy.address() as AddressInfo).port), PAYPORT_PROVIDER: "memory" }),
          ({ status, lines }) => {
            assert.strictEqual(status, 2)
            assert.deepStrictEqual(lines.length, 1)
            assert.match(lines[0] ?? "", /^Configuration error: PORT: cannot listen on 127\.0\.0\.1:\d+ .*EADDRINUSE/)
          }
        ),
      (busy) => Effect.sync(() => busy.close())
    )
  )

  it.live("an unknown provider is one line naming PAYPORT_PROVIDER, exit 2", () =>
    Effect.map(configurationError({ PAYPORT_PROVIDER: "paypal" }), ({ status, lines }) => {
      assert.strictEqual(status, 2)
      assert.deepStrictEqual(lines.length, 1)
      assert.match(lines[0] ?? "", /^Configuration error: PAYPORT_PROVIDER: /)
    })
  )

  it.live(
    "an unknown webhook store, or one that cannot be opened, is one line naming PAYPORT_WEBHOOK_STORE without its value, exit 2",
    () =>
      Effect.gen(function* () {
        const password = "s3cret-in-the-url"
        for (const store of ["redis://localhost", `postgres://payport:${password}@127.0.0.1:1/none`]) {
          const { status, lines } = yield* configurationError({
            PAYPORT_PROVIDER: "memory",
            PAYPORT_WEBHOOK_STORE: store
          })
          assert.strictEqual(status, 2)
          assert.deepStrictEqual(lines.length, 1)
          assert.match(lines[0] ?? "", /^Configuration error: PAYPORT_WEBHOOK_STORE: /)
          assert.notInclude(lines[0] ?? "", password)
        }
      })
  )
})
