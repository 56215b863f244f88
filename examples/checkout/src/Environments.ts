/**
 * Where the checkout runs: one environment per provider, each giving the provider's ports and the
 * stand-ins for the shopper, the payer and the webhook inbox.
 *
 * The stand-ins come from the provider's contract-suite fixtures in `@payport/testkit`, so the
 * demo pays with exactly the test data the contract suite proves against that provider.
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { Cashfree } from "@payport/adapter-cashfree"
import { CyberSource } from "@payport/adapter-cybersource"
import type { Payment } from "@payport/core/Payment"
import type { CommonPorts, ProviderName } from "@payport/core/Provider"
import type * as Webhooks from "@payport/core/Webhooks"
// Deep imports: the testkit barrel also exports the contract suite, which needs a vitest runner.
import type * as ContractSuite from "@payport/testkit/ContractSuite"
import * as CashfreeEmulator from "@payport/emulators/CashfreeEmulator"
import * as CashfreeFixtures from "@payport/testkit/CashfreeFixtures"
import * as CyberSourceEmulator from "@payport/emulators/CyberSourceEmulator"
import * as CyberSourceFixtures from "@payport/testkit/CyberSourceFixtures"
import * as InMemory from "@payport/testkit/InMemory"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import { Inbox, Payer, Scenario } from "./Checkout.js"

/** A provider to run the checkout against. */
export interface Environment {
  readonly name: ProviderName
  /** What the provider is, for the report: e.g. "in-process emulator" or "sandbox". */
  readonly target: string
  /** The provider's ports (at least the common ones) and the checkout's stand-ins. Building it may start an emulator. */
  readonly layer: Layer.Layer<CommonPorts | Scenario | Payer | Inbox, unknown>
}

/** The contract suite's default tampering: change the body's first digit. */
const changeFirstDigit = (request: Webhooks.RequestInput): Webhooks.RequestInput => {
  const body = typeof request.body === "string" ? request.body : new TextDecoder().decode(request.body)
  return { ...request, body: body.replace(/\d/, (d) => String((Number(d) + 1) % 10)) }
}

/** The shopper, the payer and the inbox, from a provider's contract-suite fixtures. */
export const standIns = <R>(
  fixtures: ContractSuite.Fixtures<R> & { readonly threeDs?: ContractSuite.ThreeDsFixtures<R> }
): Layer.Layer<Scenario | Payer | Inbox, never, R> =>
  Layer.effectContext(
    Effect.gen(function* () {
      const context = yield* Effect.context<R>()
      const decline = fixtures.declines[0]
      const upi = fixtures.actions.find((a) => a.action === "UpiCollect")
      const threeDs = fixtures.threeDs
      return Context.make(Scenario, {
        currency: fixtures.currency,
        card: fixtures.card,
        customer: fixtures.customer,
        declinedCard: decline === undefined ? { method: fixtures.card, code: "generic_decline" } : decline,
        ...(upi === undefined ? {} : { upiCollect: upi.method }),
        ...(threeDs === undefined ? {} : { threeDsChallenge: threeDs.challenge })
      }).pipe(
        Context.add(Payer, {
          complete: (payment) => Effect.provide(fixtures.completeAction(payment), context),
          ...(threeDs === undefined
            ? {}
            : { authenticate: (payment: Payment) => Effect.provide(threeDs.payer(payment, "success"), context) })
        }),
        Context.add(Inbox, {
          webhookFor: (payment) => Effect.provide(fixtures.webhooks.genuine(payment), context),
          tamper: fixtures.webhooks.tamper ?? changeFirstDigit
        })
      )
    })
  )

/** The in-memory provider from `@payport/testkit`: every port, no network. */
export const memory: Environment = {
  name: "memory",
  target: "in-memory provider",
  layer: standIns(InMemory.fixtures).pipe(Layer.provideMerge(InMemory.layer()))
}

/**
 * CyberSource through `@payport/adapter-cybersource`, against the CyberSource emulator started
 * in-process (every request HTTP-signed and verified).
 */
export const cybersource: Environment = {
  name: "cybersource",
  target: "CyberSource emulator",
  layer: Layer.unwrapScoped(
    Effect.map(CyberSourceEmulator.start(CyberSourceFixtures.fixtureOptions), (emulator) =>
      standIns(CyberSourceFixtures.fixtures).pipe(
        Layer.provideMerge(
          CyberSource.layer({
            merchantId: emulator.merchantId,
            keyId: emulator.keyId,
            sharedSecret: Redacted.make(emulator.sharedSecret),
            baseUrl: emulator.baseUrl,
            webhook: { key: Redacted.make(emulator.webhooks.key), keyId: emulator.webhooks.keyId },
            // Card payments run 3-D Secure (payer authentication), as PSD2 and RBI require.
            payerAuthentication: true
          }).pipe(Layer.provide(FetchHttpClient.layer))
        ),
        Layer.provideMerge(Layer.succeed(CyberSourceEmulator.Emulator, emulator))
      )
    )
  )
}

/**
 * Cashfree through `@payport/adapter-cashfree`, against the Cashfree emulator started in-process.
 * Cards go through the bank's page (the `link` channel), which the payer stand-in approves.
 */
export const cashfree: Environment = {
  name: "cashfree",
  target: "Cashfree emulator",
  layer: standIns(CashfreeFixtures.fixturesFor("link")).pipe(
    Layer.provideMerge(
      CashfreeEmulator.layerWith((emulator) =>
        Cashfree.layer({
          clientId: emulator.clientId,
          clientSecret: Redacted.make(emulator.clientSecret),
          environment: "sandbox",
          baseUrl: emulator.baseUrl,
          // Cashfree needs customer details on every order; payments that name no customer use these.
          guestCustomer: { id: "guest_checkout", phone: "9876543210" }
        }).pipe(Layer.provide(FetchHttpClient.layer))
      )
    )
  )
}
