/**
 * What every contender provides for one operation: seeding outside the measured loop, then the
 * operation itself.
 */
import type { ClientConfig } from "../Protocol.js"

/** One contender, ready to run one operation. */
export interface Runner {
  /** Seeds what operations `0 … n-1` need (payments to capture, instruments to list). Not measured. */
  readonly prepare: (n: number) => Promise<void>
  /** Runs operation number `i`; rejects when the provider did not answer success. */
  readonly run: (i: number) => Promise<void>
  /** Releases what `make` built. */
  readonly dispose: () => Promise<void>
}

/** Builds a contender's runner for `config.operation`. */
export type Make = (config: ClientConfig) => Promise<Runner>

/** A per-process prefix, so references never collide across processes on one emulator. */
export const runId = `${process.pid.toString(36)}${Date.now().toString(36)}`

/** The same card, amounts and customer for every contender. */
export const fixture = {
  card: { number: "4111111111111111", month: 12, year: 2031, cvv: "123", holder: "Bench Payer" },
  inr: "10.50",
  usd: "102.21",
  phone: "9999999999",
  billTo: {
    firstName: "John",
    lastName: "Doe",
    address1: "1 Market St",
    locality: "San Francisco",
    administrativeArea: "CA",
    postalCode: "94105",
    country: "US",
    email: "test@cybs.com"
  }
} as const
