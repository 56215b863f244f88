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

/** Runs the command to its end: exit code and everything it wrote. */
const completed = (args: ReadonlyArray<string>): Promise<{ code: number | null; stdout: string; stderr: string }> =>
  new Promise((resolve, reject) => {
    const child = run(args)
    let stdout = ""
    let stderr = ""
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8")
    })
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8")
    })
    child.on("error", reject)
    child.on("close", (code) => resolve({ code, stdout, stderr }))
  })

/** Every flag the CLI parses (src/internal/cli.ts), each of which the usage text must document. */
const flags = [
  "--port",
  "--host",
  "--seed",
  "--fault",
  "--webhook-url",
  "--help",
  "--client-id",
  "--client-secret",
  "--refund-processing-ms",
  "--upi-collect-auto-complete-ms",
  "--enforce-rate-limits",
  "--merchant-id",
  "--key-id",
  "--shared-secret",
  "--lenient-signatures"
]

const assertUsage = (text: string) => {
  assert.match(text, /^usage: payport-emulator <cashfree\|cybersource> \[flags\]$/m)
  for (const flag of flags) assert.match(text, new RegExp(`^\\s+(-h, )?${flag}\\b`, "m"), `usage documents ${flag}`)
  assert.include(text, "README")
  assert.notInclude(text, "src/internal")
}

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

  it("--help and -h print the usage, documenting every flag, on stdout and exit 0", async () => {
    for (const args of [["--help"], ["-h"], ["cashfree", "--help"], ["cybersource", "-h"]]) {
      const { code, stdout, stderr } = await completed(args)
      assert.strictEqual(code, 0, args.join(" "))
      assert.strictEqual(stderr, "", args.join(" "))
      assertUsage(stdout)
    }
  })

  it("an unknown flag, a bad value or an unknown provider prints the problem and the usage on stderr and exits 2", async () => {
    const cases = [
      { args: ["cashfree", "--no-such-flag"], problem: "--no-such-flag" },
      { args: ["cybersource", "--client-id", "x"], problem: "--client-id" },
      { args: ["cashfree", "--port", "70000"], problem: "--port must be an integer from 0 to 65535" },
      { args: ["cashfree", "--fault", "explode"], problem: 'unknown fault kind "explode"' },
      { args: ["nonesuch"], problem: 'unknown provider "nonesuch"' },
      { args: [], problem: "missing the provider" }
    ]
    for (const { args, problem } of cases) {
      const { code, stdout, stderr } = await completed(args)
      assert.strictEqual(code, 2, args.join(" "))
      assert.strictEqual(stdout, "", args.join(" "))
      assert.include(stderr.split("\n")[0], problem)
      assertUsage(stderr)
    }
  })

  it("a bin-started emulator serves the truth endpoint: a payment whose answer was dropped is counted, faults never reach it", async () => {
    const child = run([
      "cashfree",
      "--port",
      "0",
      "--fault",
      "commitThenDrop:method=POST,path=/pg/orders/sessions,times=1",
      "--fault",
      "error:status=500,path=~^/__payport"
    ])
    try {
      const info = JSON.parse(await firstLine(child, 20_000)) as Record<string, unknown>
      const baseUrl = String(info.baseUrl)
      const truthUrl = String(info.truthUrl)
      assert.strictEqual(truthUrl, `${new URL(baseUrl).origin}/__payport/truth`)
      const headers = {
        "content-type": "application/json",
        "x-api-version": "2025-01-01",
        "x-client-id": String(info.clientId),
        "x-client-secret": String(info.clientSecret)
      }
      const created = await fetch(`${baseUrl}/orders`, {
        method: "POST",
        headers,
        body: JSON.stringify({
          order_id: "cli_truth_order",
          order_amount: 250.75,
          order_currency: "INR",
          customer_details: { customer_id: "cli_customer", customer_phone: "9999999999" }
        })
      })
      const order = (await created.json()) as Record<string, unknown>
      assert.strictEqual(created.status, 200)
      // The payment is made, then the connection is destroyed: the client cannot tell.
      const paid = await fetch(`${baseUrl}/orders/sessions`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-api-version": "2025-01-01" },
        body: JSON.stringify({
          payment_session_id: order.payment_session_id,
          payment_method: {
            card: {
              channel: "link",
              card_number: "4111111111111111",
              card_holder_name: "Cli Payer",
              card_expiry_mm: "12",
              card_expiry_yy: "31",
              card_cvv: "123"
            }
          }
        })
      }).then(
        () => "answered",
        () => "dropped"
      )
      assert.strictEqual(paid, "dropped")
      // Another process asks the emulator what happened, without credentials.
      const response = await fetch(`${truthUrl}?reference=cli_truth_order`)
      assert.strictEqual(response.status, 200)
      const truth = (await response.json()) as Record<string, unknown>
      assert.deepInclude(truth, {
        provider: "cashfree",
        reference: "cli_truth_order",
        currency: "INR",
        charges: 1,
        captures: 1,
        captured: 25_075,
        refunds: 0,
        refunded: 0
      })
      assert.lengthOf(truth.payments as ReadonlyArray<unknown>, 1)
      // Without a reference: the totals over every order, and one entry per order.
      const summary = (await (await fetch(truthUrl)).json()) as {
        readonly charges: number
        readonly captured: number
        readonly references: ReadonlyArray<unknown>
      }
      assert.strictEqual(summary.charges, 1)
      assert.strictEqual(summary.captured, 25_075)
      assert.lengthOf(summary.references, 1)
    } finally {
      child.kill("SIGTERM")
    }
    assert.strictEqual(await exited(child), 0)
  })

  it("cybersource prints its truthUrl and serves the endpoint without a signature", async () => {
    const child = run(["cybersource", "--port", "0", "--fault", "error:status=503"])
    try {
      const info = JSON.parse(await firstLine(child, 20_000)) as Record<string, unknown>
      assert.strictEqual(info.provider, "cybersource")
      assert.strictEqual(info.truthUrl, `${String(info.baseUrl)}/__payport/truth`)
      const response = await fetch(String(info.truthUrl))
      assert.strictEqual(response.status, 200)
      assert.deepStrictEqual(await response.json(), {
        provider: "cybersource",
        currency: null,
        charges: 0,
        captures: 0,
        captured: 0,
        refunds: 0,
        refunded: 0,
        references: []
      })
      // The fault is live on the API paths.
      assert.strictEqual((await fetch(`${String(info.baseUrl)}/pts/v2/payments`, { method: "POST" })).status, 503)
    } finally {
      child.kill("SIGTERM")
    }
    assert.strictEqual(await exited(child), 0)
  })
})
