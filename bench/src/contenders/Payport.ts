/**
 * Payport through its ports: the adapter layer over `@payport/http-node` (contender `payport`,
 * Payport's keep-alive `node:http` client) or `FetchHttpClient` (`payport-fetch`, the portable one),
 * built once into a `ManagedRuntime`; each operation is one port call run with `runPromise`.
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { Cashfree } from "@payport/adapter-cashfree"
import { CyberSource } from "@payport/adapter-cybersource"
import { NodeTransport } from "@payport/http-node"
import * as Authorization from "@payport/core/Authorization"
import { PaymentId, PaymentRef } from "@payport/core/Ids"
import * as Money from "@payport/core/Money"
import * as PaymentMethod from "@payport/core/PaymentMethod"
import * as Payments from "@payport/core/Payments"
import * as Vault from "@payport/core/Vault"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Redacted from "effect/Redacted"
import type { ClientConfig, Operation } from "../Protocol.js"
import { type Seeds, seed } from "./Floor.js"
import { fixture, type Make, runId } from "./Runner.js"

const card = PaymentMethod.card({
  number: fixture.card.number,
  expiry: { month: fixture.card.month, year: fixture.card.year },
  cvv: fixture.card.cvv,
  holder: fixture.card.holder
})

type Ports = Payments.Payments | Authorization.Authorization | Vault.Vault

const layerFor = (config: ClientConfig): Layer.Layer<Ports, unknown> => {
  const http = config.contender === "payport-fetch" ? FetchHttpClient.layer : NodeTransport.layer
  if (config.operation.startsWith("cashfree.")) {
    const line = config.emulators.cashfree
    return Cashfree.layer({
      clientId: line.clientId,
      clientSecret: Redacted.make(line.clientSecret),
      environment: "sandbox",
      baseUrl: line.baseUrl
    }).pipe(Layer.provide(http))
  }
  const line = config.emulators.cybersource
  return CyberSource.layer({
    merchantId: line.merchantId,
    keyId: line.keyId,
    sharedSecret: Redacted.make(line.sharedSecret),
    baseUrl: line.baseUrl
  }).pipe(Layer.provide(http))
}

/** The Payport contender. */
export const make: Make = async (config) => {
  const runtime = ManagedRuntime.make(layerFor(config))
  await runtime.runPromise(Effect.void)
  const inr = Effect.runSync(Money.fromDecimal(fixture.inr, "INR"))
  const usd = Effect.runSync(Money.fromDecimal(fixture.usd, "USD"))
  const customer = { id: `bench_${runId}`, phone: fixture.phone }
  let seeds: Seeds = { held: [] }
  const ref = (provider: string, paymentId: string, orderId?: string) =>
    new PaymentRef({
      provider,
      paymentId: PaymentId.make(paymentId),
      ...(orderId === undefined ? {} : { orderId })
    })
  let paidRef: PaymentRef | undefined
  let heldRefs: ReadonlyArray<PaymentRef> = []
  const runs: { readonly [O in Operation]: (i: number) => Effect.Effect<unknown, unknown, Ports> } = {
    "cashfree.createPay": (i) =>
      Payments.create({ reference: `payport_${runId}_${i}`, amount: inr, method: card, customer }),
    "cashfree.getPayment": () => Payments.get(paidRef ?? ref("cashfree", "0")),
    "cashfree.listInstruments": () => Vault.list({ customerId: seeds.customerId ?? "" }),
    "cashfree.capture": (i) => Authorization.capture({ payment: heldRefs[i] ?? ref("cashfree", "0"), amount: inr }),
    "cybersource.authorize": (i) =>
      Authorization.authorize({ reference: `payport-${runId}-${i}`, amount: usd, method: card }),
    "cybersource.capture": (i) =>
      Authorization.capture({ payment: heldRefs[i] ?? ref("cybersource", "0"), amount: usd }),
    "cybersource.listInstruments": () => Vault.list({ customerId: seeds.customerId ?? "", limit: 10 })
  }
  const run = runs[config.operation]
  const provider = config.operation.startsWith("cashfree.") ? "cashfree" : "cybersource"
  return {
    prepare: async (n) => {
      seeds = await seed(config, n)
      if (seeds.paid !== undefined) paidRef = ref("cashfree", seeds.paid.cfPaymentId, seeds.paid.orderId)
      heldRefs = seeds.held.map((h) =>
        provider === "cashfree" ? ref(provider, h.paymentId, h.orderId) : ref(provider, h.paymentId)
      )
    },
    run: async (i) => {
      await runtime.runPromise(run(i))
    },
    dispose: () => runtime.dispose()
  }
}
