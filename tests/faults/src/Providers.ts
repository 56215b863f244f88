/**
 * The two providers under test, each as an in-process emulator plus the adapter's layer, built
 * only from the packages' public entry points as their READMEs show them: the adapter's `layer`
 * with the emulator's credentials and a base URL that points at a fault proxy, on `NodeTransport`.
 */
import { Cashfree } from "@payport/adapter-cashfree"
import { CyberSource } from "@payport/adapter-cybersource"
import type { Authorization, Payments } from "@payport/core"
import * as CashfreeEmulator from "@payport/emulators/CashfreeEmulator"
import * as CyberSourceEmulator from "@payport/emulators/CyberSourceEmulator"
import { NodeTransport } from "@payport/http-node"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"

/** The providers this workspace drives. */
export const names = ["cashfree", "cybersource"] as const

/** One provider. */
export type ProviderName = (typeof names)[number]

/** The ports the driver uses. */
export type Ports = Payments.Payments | Authorization.Authorization

/** A started emulator, and how to reach it through a proxy. */
export interface Upstream {
  /** `http://127.0.0.1:PORT`: where a proxy forwards to. */
  readonly origin: string
  /** The emulator's HTTP truth endpoint, read directly (never through a proxy). */
  readonly truthUrl: string
  /** The adapter's ports, sending every request to `proxyOrigin` instead of the emulator. */
  readonly ports: (proxyOrigin: string) => Layer.Layer<Ports>
}

/**
 * Attempts of 500 ms, so the proxy's delays (up to 3 s) outlast them; a few internal retries with
 * short back-off, 3 s for a whole call.
 */
export const timing = {
  attemptTimeout: "500 millis",
  deadline: "3 seconds",
  retries: 3,
  baseDelay: "10 millis",
  maxDelay: "200 millis"
} as const

/** The currency every operation uses (both emulators accept it). */
export const currency = "INR"

const cashfree = (seed: number): Effect.Effect<Upstream, never, Scope.Scope> =>
  Effect.map(CashfreeEmulator.start({ seed }), (emulator) => ({
    origin: emulator.origin,
    truthUrl: emulator.truthUrl,
    ports: (proxyOrigin) =>
      Cashfree.layer({
        clientId: emulator.clientId,
        clientSecret: Redacted.make(emulator.clientSecret),
        environment: "sandbox",
        baseUrl: `${proxyOrigin}${new URL(emulator.baseUrl).pathname}`,
        timing
      }).pipe(Layer.provide(NodeTransport.layer))
  }))

const cybersource = (seed: number): Effect.Effect<Upstream, never, Scope.Scope> =>
  Effect.map(CyberSourceEmulator.start({ seed }), (emulator) => ({
    origin: emulator.origin,
    truthUrl: emulator.truthUrl,
    ports: (proxyOrigin) =>
      CyberSource.layer({
        merchantId: emulator.merchantId,
        keyId: emulator.keyId,
        sharedSecret: Redacted.make(emulator.sharedSecret),
        baseUrl: proxyOrigin,
        timing
      }).pipe(Layer.provide(NodeTransport.layer), Layer.orDie)
  }))

/** Starts `provider`'s emulator, seeded with `seed`, for the life of the scope. */
export const start = (provider: ProviderName, seed: number): Effect.Effect<Upstream, never, Scope.Scope> =>
  provider === "cashfree" ? cashfree(seed) : cybersource(seed)
