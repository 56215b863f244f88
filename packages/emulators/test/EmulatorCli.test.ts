import { type ChildProcess, spawn } from "node:child_process"
import { fileURLToPath } from "node:url"
import { assert, describe, it } from "@effect/vitest"

const bin = fileURLToPath(new URL("../bin/payport-emulator.mjs", import.meta.url))

const run = (args: ReadonlyArray<string>): ChildProcess =>
  spawn(process.execPath, [bin, ...args], { stdio: ["ignore", "pipe", "pipe"] })

/** The first stdout line, or a rejection with whatever stderr said. */
const firstLine = (child: ChildProcess, timeoutMs: number): Promise<string> =>
  new Promise((resolve, reject) => {
    let out = ""
    let err = ""
    const timer = setTimeout(() => reject(new Error(`no line within ${timeoutMs} ms; stderr: ${err}`)), timeoutMs)
    child.stderr?.on("data", (chunk: Buffer) => {
      err += chunk.toString("utf8")
    })
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8")
      const newline = out.indexOf("\n")
      if (newline >= 0) {
        clearTimeout(timer)
        resolve(out.slice(0, newline))
      }
    })
    child.on("exit", (code) => {
      clearTimeout(timer)
      reject(new Error(`exited with ${code} before printing; stderr: ${err}`))
    })
  })

const exited = (child: ChildProcess): Promise<number | null> =>
  new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode)
    else child.on("exit", (code) => resolve(code))
  })

describe("payport-emulator CLI", () => {
  it("cashfree --port 0 prints one JSON line with baseUrl and credentials, serves authenticated requests, and stops on SIGTERM", async () => {
    const child = run(["cashfree", "--port", "0", "--client-id", "cli_client", "--client-secret", "cli_secret"])
    try {
      const line = await firstLine(child, 20_000)
      const info: unknown = JSON.parse(line)
      assert.isObject(info)
      const { baseUrl, clientId, clientSecret, provider } = info as Record<string, unknown>
      assert.strictEqual(provider, "cashfree")
      assert.strictEqual(clientId, "cli_client")
      assert.strictEqual(clientSecret, "cli_secret")
      assert.isString(baseUrl)
      assert.match(String(baseUrl), /^http:\/\/127\.0\.0\.1:\d+\/pg$/)
      const response = await fetch(`${String(baseUrl)}/orders`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-api-version": "2025-01-01",
          "x-client-id": "cli_client",
          "x-client-secret": "cli_secret"
        },
        body: JSON.stringify({
          order_amount: 1,
          order_currency: "INR",
          customer_details: { customer_id: "cli_customer", customer_phone: "9999999999" }
        })
      })
      const order: unknown = await response.json()
      assert.strictEqual(response.status, 200)
      assert.strictEqual((order as Record<string, unknown>).order_status, "ACTIVE")
    } finally {
      child.kill("SIGTERM")
    }
    assert.strictEqual(await exited(child), 0)
  })

  it("an unknown provider is a usage error (exit 2)", async () => {
    const child = run(["nonesuch"])
    assert.strictEqual(await exited(child), 2)
  })
})
