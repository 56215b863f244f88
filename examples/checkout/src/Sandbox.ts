/**
 * Credentials mode: the checkout against a real provider account (its sandbox), configured only by
 * the adapter's environment variables. Nothing here touches an emulator object: the payer acts
 * through the provider's own documented simulation API over HTTP, and the test data is the
 * provider's published sandbox data.
 *
 * - Cashfree (`CASHFREE_CLIENT_ID`, `CASHFREE_CLIENT_SECRET`, optional `CASHFREE_BASE_URL`,
 *   `CASHFREE_ENVIRONMENT`, `CASHFREE_API_VERSION`): the payer approves or declines a pending
 *   payment with `POST /simulate` (PGSimulatePayment), called through the adapter's
 *   `CashfreeClient`. Test data: providers/cashfree.md §5.
 * - CyberSource (`CYBERSOURCE_MERCHANT_ID`, `CYBERSOURCE_KEY_ID`, `CYBERSOURCE_SHARED_SECRET`,
 *   optional `CYBERSOURCE_BASE_URL`, `CYBERSOURCE_ENVIRONMENT`): the documented test card is
 *   frictionless and CyberSource has no payer simulation API, so the payer has nothing to do.
 *   Test data: providers/cybersource.md §6 and its sandbox transcripts.
 *
 * Webhooks: a sandbox delivers them to the public URL configured in the merchant's dashboard,
 * which cannot reach this machine, and neither provider offers an API to fetch a signed
 * delivery; the webhook step says so instead of forging one.
 *
 * The demo refuses `production`: it creates payments and refunds.
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { Cashfree, CashfreeClient } from "@payport/adapter-cashfree"
import { CyberSource, CyberSourceClient } from "@payport/adapter-cybersource"
import type { Payment } from "@payport/core/Payment"
import { ConfigurationError } from "@payport/core/PaymentError"
import * as PaymentMethod from "@payport/core/PaymentMethod"
import * as Payments from "@payport/core/Payments"
import type { ProviderName } from "@payport/core/Provider"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import { Inbox, NotSupported, Payer, Scenario } from "./Checkout.js"
import type { Environment } from "./Environments.js"

/** The variable whose presence (with `PAYPORT_PROVIDER` naming the provider) selects credentials mode. */
export const credentialVariables: { readonly [K in ProviderName]?: string } = {
  cashfree: "CASHFREE_CLIENT_ID",
  cybersource: "CYBERSOURCE_MERCHANT_ID"
}

/** The inbox of a real account: nothing arrives here, and the step says why instead of forging a delivery. */
const noWebhooks = (provider: string) =>
  Layer.succeed(Inbox, {
    webhookFor: () =>
      Effect.fail(
        new NotSupported({
          reason: `${provider} delivers webhooks to the public URL set in its dashboard, which cannot reach this machine`
        })
      ),
    tamper: (request) => request
  })

const sandboxOnly = (provider: string, variable: string, environment: string) =>
  environment === "sandbox"
    ? Effect.void
    : Effect.fail(
        new ConfigurationError({
          provider,
          operation: "configure",
          variable,
          reason: "the checkout demo creates payments and refunds, so it runs only against the sandbox"
        })
      )

// ---------------------------------------------------------------------------------------------
// Cashfree
// ---------------------------------------------------------------------------------------------

/** PGSimulatePayment's answer (SPEC25 `SimulationResponse`); only what the payer checks. */
const SimulationResponse = Schema.Struct({
  simulation_id: Schema.String,
  entity_simulation: Schema.Struct({ payment_status: Schema.String })
})

/**
 * `POST /simulate` for a pending payment. The error code for a decline is the one SPEC25's own
 * example uses (`ISSUER_NOT_AVAILABLE`).
 */
const simulate = (payment: Payment, status: "SUCCESS" | "FAILED") =>
  Effect.gen(function* () {
    // The sandbox may finish a payment on its own (e.g. a UPI test VPA): only a pending one is
    // simulated. A read reports a payment waiting for the payer as Processing.
    const current = yield* Payments.get(payment.ref)
    if (current.status._tag !== "RequiresAction" && current.status._tag !== "Processing") return current
    const client = yield* CashfreeClient.CashfreeClient
    yield* client.request({
      operation: "Payer.simulate",
      method: "POST",
      path: "/simulate",
      body: () => ({
        entity: "PAYMENTS",
        entity_id: payment.ref.paymentId,
        entity_simulation:
          status === "SUCCESS"
            ? { payment_status: status }
            : { payment_status: status, payment_error_code: "ISSUER_NOT_AVAILABLE" }
      }),
      idempotencyKey: `payport-demo-simulate-${payment.ref.paymentId}-${status}`,
      schema: SimulationResponse,
      resource: { name: "payment", id: payment.ref.paymentId }
    })
    return current
  })

/**
 * A documented Cashfree sandbox card: Visa debit, expiry 03/28, CVV 123 (providers/cashfree.md §5).
 * The sandbox sends it to the bank's OTP page, so the payer always has something to complete.
 */
const cashfreeCard = PaymentMethod.card({
  number: "4706131211212123",
  expiry: { month: 3, year: 2028 },
  cvv: "123",
  holder: "Test Payer"
})

const cashfreeStandIns = Layer.effectContext(
  Effect.gen(function* () {
    const context = yield* Effect.context<CashfreeClient.CashfreeClient | Payments.Payments>()
    return Context.make(Scenario, {
      currency: "INR",
      card: cashfreeCard,
      customer: { name: "Test Payer", email: "payer@example.com", phone: "9999999999" },
      // Cashfree publishes no declining card; the payer's bank declines through /simulate.
      declinedCard: { method: cashfreeCard, code: "issuer_unavailable", byPayer: true },
      upiCollect: PaymentMethod.upiCollect("testsuccess@gocash")
    }).pipe(
      Context.add(Payer, {
        complete: (payment) => Effect.provide(simulate(payment, "SUCCESS"), context),
        decline: (payment) => Effect.provide(simulate(payment, "FAILED"), context)
      })
    )
  })
)

/**
 * Cashfree from `CASHFREE_*`, over `fetch`. Cards go through the bank's page (`link`, the
 * adapter's default), which the payer completes with `/simulate`.
 */
export const cashfree: Environment = {
  name: "cashfree",
  target: "Cashfree, from CASHFREE_*",
  layer: Layer.mergeAll(cashfreeStandIns, noWebhooks("Cashfree")).pipe(
    Layer.provideMerge(
      Layer.effectDiscard(
        Effect.flatMap(CashfreeClient.CashfreeClient, (client) =>
          sandboxOnly("cashfree", "CASHFREE_ENVIRONMENT", client.config.environment)
        )
      ).pipe(
        Layer.provideMerge(
          // Cashfree needs customer details on every order; payments that name no customer use these.
          Cashfree.layerConfig({ guestCustomer: { id: "guest_checkout", phone: "9876543210" } })
        )
      )
    ),
    Layer.provide(FetchHttpClient.layer)
  )
}

// ---------------------------------------------------------------------------------------------
// CyberSource
// ---------------------------------------------------------------------------------------------

/** The card in CyberSource's sandbox transcripts: Visa, 12/2031, CVV 987 (providers/cybersource.md §6). */
const cybersourceCard = PaymentMethod.card({
  number: "4111111111111111",
  expiry: { month: 12, year: 2031 },
  cvv: "987",
  holder: "Test Payer"
})

const cybersourceStandIns = Layer.succeedContext(
  Context.make(Scenario, {
    currency: "USD",
    card: cybersourceCard,
    customer: { name: "Test Payer", email: "payer@example.com", phone: "4158880000" },
    // Documented: 42423482938483873 → 201 DECLINED, reason INVALID_ACCOUNT.
    declinedCard: {
      method: PaymentMethod.card({ number: "42423482938483873", expiry: { month: 12, year: 2031 }, cvv: "987" }),
      code: "invalid_account"
    }
  }).pipe(
    Context.add(Payer, {
      complete: () =>
        Effect.fail(new NotSupported({ reason: "CyberSource has no API to complete 3-D Secure for the payer" }))
    })
  )
)

/** The production host the adapter signs (`CyberSourceClient`); any other host is a sandbox or an override. */
const CYBERSOURCE_PRODUCTION = "api.cybersource.com"

/** CyberSource from `CYBERSOURCE_*`, over `fetch`, every request HTTP-signed. */
export const cybersource: Environment = {
  name: "cybersource",
  target: "CyberSource, from CYBERSOURCE_*",
  layer: Layer.mergeAll(cybersourceStandIns, noWebhooks("CyberSource")).pipe(
    Layer.provideMerge(
      Layer.effectDiscard(
        Effect.flatMap(CyberSourceClient.CyberSourceClient, (client) =>
          sandboxOnly(
            "cybersource",
            "CYBERSOURCE_ENVIRONMENT",
            client.host === CYBERSOURCE_PRODUCTION ? "production" : "sandbox"
          )
        )
      ).pipe(Layer.provideMerge(CyberSource.layerConfig()))
    ),
    Layer.provide(FetchHttpClient.layer)
  )
}

/** The credentials-mode environment of each provider that has one. */
export const environments: { readonly [K in ProviderName]?: Environment } = { cashfree, cybersource }
