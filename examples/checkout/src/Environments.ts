/**
 * Where the checkout runs: one environment per provider, each giving the provider's ports and the
 * stand-ins for the shopper, the payer and the webhook inbox.
 *
 * The stand-ins come from the provider's contract-suite fixtures in `@payport/testkit`, so the
 * demo pays with exactly the test data the contract suite proves against that provider.
 */
import type { CommonPorts, ProviderName } from "@payport/core/Provider"
// Deep imports: the testkit barrel also exports the contract suite, which needs a vitest runner.
import type * as ContractSuite from "@payport/testkit/ContractSuite"
import * as InMemory from "@payport/testkit/InMemory"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { Inbox, Payer, Scenario } from "./Checkout.js"

/** A provider to run the checkout against. */
export interface Environment {
  readonly name: ProviderName
  /** What the provider is, for the report: e.g. "in-process emulator" or "sandbox". */
  readonly target: string
  /** The provider's ports (at least the common ones) and the checkout's stand-ins. Building it may start an emulator. */
  readonly layer: Layer.Layer<CommonPorts | Scenario | Payer | Inbox, unknown>
}

/** The shopper, the payer and the inbox, from a provider's contract-suite fixtures. */
export const standIns = <R>(fixtures: ContractSuite.Fixtures<R>): Layer.Layer<Scenario | Payer | Inbox, never, R> =>
  Layer.effectContext(
    Effect.gen(function* () {
      const context = yield* Effect.context<R>()
      const decline = fixtures.declines[0]
      const upi = fixtures.actions.find((a) => a.action === "UpiCollect")
      return Context.make(Scenario, {
        currency: fixtures.currency,
        card: fixtures.card,
        customer: fixtures.customer,
        declinedCard: decline === undefined ? { method: fixtures.card, code: "generic_decline" } : decline,
        ...(upi === undefined ? {} : { upiCollect: upi.method })
      }).pipe(
        Context.add(Payer, { complete: (payment) => Effect.provide(fixtures.completeAction(payment), context) }),
        Context.add(Inbox, { webhookFor: (payment) => Effect.provide(fixtures.webhooks.genuine(payment), context) })
      )
    })
  )

/** The in-memory provider from `@payport/testkit`: every port, no network. */
export const memory: Environment = {
  name: "memory",
  target: "in-memory provider",
  layer: standIns(InMemory.fixtures).pipe(Layer.provideMerge(InMemory.layer()))
}
