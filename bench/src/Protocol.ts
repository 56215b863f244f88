/**
 * What the orchestrator (`main.ts`) and a measured client process (`Client.ts`) exchange: the
 * operations, the contenders, the emulators' announcement lines and one measurement.
 */

/** The emulator line `payport-emulator cashfree` prints. */
export interface CashfreeLine {
  readonly provider: "cashfree"
  readonly baseUrl: string
  readonly clientId: string
  readonly clientSecret: string
}

/** The emulator line `payport-emulator cybersource` prints. */
export interface CyberSourceLine {
  readonly provider: "cybersource"
  readonly baseUrl: string
  readonly merchantId: string
  readonly keyId: string
  readonly sharedSecret: string
}

/** Both emulators, as the clients reach them. */
export interface Emulators {
  readonly cashfree: CashfreeLine
  readonly cybersource: CyberSourceLine
}

/** Every measured operation, provider first. */
export const operations = [
  "cashfree.createPay",
  "cashfree.getPayment",
  "cashfree.listInstruments",
  "cashfree.capture",
  "cybersource.authorize",
  "cybersource.capture",
  "cybersource.listInstruments"
] as const

/** One measured operation. */
export type Operation = (typeof operations)[number]

/** What each operation is, for the table. */
export const describe: { readonly [O in Operation]: string } = {
  "cashfree.createPay": "Cashfree create order + pay (card)",
  "cashfree.getPayment": "Cashfree get payment",
  "cashfree.listInstruments": "Cashfree list saved instruments",
  "cashfree.capture": "Cashfree capture (pre-auth)",
  "cybersource.authorize": "CyberSource authorization (signed POST)",
  "cybersource.capture": "CyberSource capture",
  "cybersource.listInstruments": "CyberSource list payment instruments (signed GET)"
}

/**
 * The contenders: the raw-HTTP floor (`fetch`), the same requests on `node:http` (`floor-http`,
 * the physical floor: Node's HTTP client with nothing on top), the floor sending the requests
 * Payport sends (`floor-same`, only where Payport sends more: see `extraRequests`), Payport through its ports on
 * its Node transport (`@payport/http-node`), Payport on `FetchHttpClient` (the portable client: what
 * it costs to stay on `fetch`), the official SDK.
 */
export const contenders = ["floor", "floor-http", "floor-same", "payport", "payport-fetch", "sdk"] as const

/** One contender. */
export type Contender = (typeof contenders)[number]

/**
 * The operations where Payport sends more requests than the floor, and what it adds: each read
 * carries a guarantee (bench/README.md). `floor-same` sends them too, so Payport against it is
 * its cost per request sent, apart from how many requests it needs.
 */
export const extraRequests: { readonly [O in Operation]?: string } = {
  "cashfree.createPay": "reads the payment back after Order Pay",
  "cashfree.getPayment": "reads the order's refunds",
  "cybersource.capture": "reads the authorization's transaction first"
}

/** The contenders whose cold start is measured (`floor-same` starts as `floor` does). */
export const coldContenders: ReadonlyArray<Contender> = contenders.filter((c) => c !== "floor-same")

/** The contenders measured on `operation`: `floor-same` only where Payport sends more. */
export const contendersFor = (operation: Operation): ReadonlyArray<Contender> =>
  extraRequests[operation] === undefined ? coldContenders : contenders

/** The provider an operation belongs to. */
export const providerOf = (operation: Operation): "cashfree" | "cybersource" =>
  operation.startsWith("cashfree.") ? "cashfree" : "cybersource"

/** What a client process is told (JSON in argv[2]). */
export interface ClientConfig {
  readonly mode: "measure" | "cold"
  readonly contender: Contender
  readonly operation: Operation
  readonly concurrency: number
  readonly ops: number
  readonly warmup: number
  readonly emulators: Emulators
}

/** One measurement, the client's one JSON line on stdout. */
export interface Measurement {
  readonly contender: Contender
  readonly operation: Operation
  readonly concurrency: number
  readonly ops: number
  /** User + system CPU of the client process over the measured loop, per operation, in µs. */
  readonly cpuUsPerOp: number
  readonly p50Ms: number
  readonly p99Ms: number
  readonly opsPerSec: number
  /** Peak resident set size of the client process (`process.resourceUsage().maxRSS`), MB. */
  readonly peakRssMb: number
  /** HTTP requests per operation, counted on `diagnostics_channel` (undici, fetch and `node:http`; `null` in older results). */
  readonly requestsPerOp: number | null
  /** The measured loop's start and end on the monotonic clock (µs), to cut a CPU profile to it. */
  readonly loopUs: readonly [number, number]
}
