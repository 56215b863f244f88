/**
 * Contract-suite fixtures and the model-based property's harness for a CyberSource adapter talking
 * to `@payport/emulators`' CyberSource emulator: the decline each documented reason must become,
 * the amount triggers that go with them (`fixtureOptions`), webhooks from the emulator's own
 * signed notifications, and `harness(options)` for the model. None of them imports an adapter.
 *
 * @since 0.1.0
 */
import type { Payment } from "@payport/core/Payment"
import type { DeclineCode } from "@payport/core/PaymentError"
import * as PaymentMethod from "@payport/core/PaymentMethod"
import type { CommonPorts } from "@payport/core/Provider"
import * as ThreeDsAuthentication from "@payport/core/ThreeDsAuthentication"
import type { VaultEnrollment } from "@payport/core/VaultEnrollment"
import type { RequestInput as WebhookRequestInput } from "@payport/core/Webhooks"
import {
  type CyberSourceEmulator,
  challengeCode,
  defaultCardTriggers,
  Emulator,
  type Options,
  signWebhook,
  start,
  type Trigger,
  type WebhookDelivery
} from "@payport/emulators/CyberSourceEmulator"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as ContractSuite from "./ContractSuite.js"
import type * as Model from "./Model.js"
import * as TestData from "./TestData.js"

/**
 * The ports a CyberSource provider layer offers: the common ones plus `VaultEnrollment` and
 * `ThreeDsAuthentication`.
 *
 * @since 0.1.0
 * @category fixtures
 */
export type Ports = CommonPorts | VaultEnrollment | ThreeDsAuthentication.ThreeDsAuthentication

/**
 * The core decline code each documented `errorInformation.reason` of the default card triggers
 * must become (providers/cybersource.md §3 lists the reasons; the codes are core's closest
 * meaning). The expectation is written here, from the documents, not read from any adapter.
 *
 * @since 0.1.0
 * @category fixtures
 */
export const expectedDeclineCodes: { readonly [reason: string]: DeclineCode } = {
  INVALID_ACCOUNT: "invalid_account",
  GENERAL_DECLINE: "generic_decline",
  INSUFFICIENT_FUND: "insufficient_funds",
  EXPIRED_CARD: "expired_card",
  INVALID_CVN: "incorrect_cvc",
  STOLEN_LOST_CARD: "lost_or_stolen",
  DECISION_PROFILE_REJECT: "risk_rejected",
  PROCESSOR_DECLINED: "processor_declined",
  CONTACT_PROCESSOR: "do_not_honor",
  CONSUMER_AUTHENTICATION_FAILED: "authentication_failed"
}

/**
 * Amount triggers for emulators used with the fixtures: amounts the sandbox's processor
 * simulators are documented to decline (providers/cybersource.md §6 — AIBMS 2540.00 → reason 201
 * "call the issuer", 2553.00 → reason 203 general decline), with the outcome and core code each
 * must produce. Pass `amountTriggers` to `start`/`layer` (`fixtureOptions` does).
 *
 * @since 0.1.0
 * @category fixtures
 */
export const amountDeclines: ReadonlyArray<{
  readonly amount: string
  readonly trigger: Trigger
  readonly code: DeclineCode
}> = [
  {
    amount: "2540.00",
    trigger: { status: "DECLINED", reason: "CONTACT_PROCESSOR", message: "Decline - Contact the processor." },
    code: "do_not_honor"
  },
  {
    amount: "2553.00",
    trigger: {
      status: "DECLINED",
      reason: "GENERAL_DECLINE",
      message: "Decline - General decline of the card. No other information provided by the issuing bank."
    },
    code: "generic_decline"
  }
]

/**
 * Emulator options that go with the fixtures: the documented defaults plus `amountDeclines`.
 *
 * @since 0.1.0
 * @category fixtures
 */
export const fixtureOptions: Options = {
  amountTriggers: Object.fromEntries(amountDeclines.map((d) => [d.amount, d.trigger]))
}

const fixtureCard = (number: string) =>
  PaymentMethod.card({ number, expiry: TestData.expiry, cvv: "123", holder: "Test Payer" })

/** Decline fixtures from the card triggers in force by default, each with the code its reason means. */
const cardDeclines: ReadonlyArray<ContractSuite.DeclineFixture> = Object.entries(defaultCardTriggers).flatMap(
  ([number, trigger]) => {
    const code = trigger.status === "DECLINED" ? expectedDeclineCodes[trigger.reason ?? ""] : undefined
    return code === undefined
      ? []
      : [
          {
            name: `card ${number.slice(0, 6)}…${number.slice(-4)} (${trigger.reason})`,
            method: fixtureCard(number),
            code
          }
        ]
  }
)

type Notification = { readonly payload?: ReadonlyArray<{ readonly data?: { readonly id?: string } }> }

const notifiedId = (body: string): string | undefined => {
  try {
    return (JSON.parse(body) as Notification).payload?.[0]?.data?.id
  } catch {
    return undefined
  }
}

/**
 * The emulator's own latest notification about a payment (its id in `payload[0].data.id`), as it
 * signed it; fails when the emulator emitted none (e.g. a payment waiting for 3-D Secure).
 */
const notificationFor = (paymentId: string): Effect.Effect<WebhookDelivery, Error, Emulator> =>
  Effect.flatMap(Emulator, (emulator) => {
    const delivery = emulator.webhooks
      .deliveries()
      .filter((d) => notifiedId(d.body) === paymentId)
      .at(-1)
    return delivery === undefined
      ? Effect.fail(new Error(`the emulator sent no notification for payment ${paymentId}`))
      : Effect.succeed(delivery)
  })

/** The emulator's notification re-signed with another key or timestamp, exactly as the emulator signs. */
const resigned = (paymentId: string, change: { readonly key?: string; readonly t?: number }) =>
  Effect.gen(function* () {
    const emulator = yield* Emulator
    const delivery = yield* notificationFor(paymentId)
    const t = change.t ?? (yield* Clock.currentTimeMillis)
    return {
      headers: {
        ...delivery.headers,
        "v-c-signature": signWebhook({
          key: change.key ?? emulator.webhooks.key,
          keyId: emulator.webhooks.keyId,
          t,
          rawBody: delivery.body
        })
      },
      body: delivery.body
    }
  })

/** A different, well-formed base64 key of the same length as the default one. */
const wrongWebhookKey = "d3Jvbmctd2ViaG9vay1rZXktMzItYnl0ZXMtbG9uZyEhIQ=="

/**
 * Changes what the signature covers: the transaction id inside `payload` (pointing the
 * notification at another transaction), so both the raw-body and the payload readings fail.
 */
const tamperPayload = (request: WebhookRequestInput): WebhookRequestInput => {
  const text = typeof request.body === "string" ? request.body : new TextDecoder().decode(request.body)
  const tampered = text.replace(/("data":\{.*?"id":")(\d)/, (_, head: string, digit: string) => {
    return `${head}${(Number(digit) + 1) % 10}`
  })
  return { headers: request.headers, body: tampered === text ? `${text} ` : tampered }
}

/** The payer completes 3-D Secure at the emulator (its simulation API). */
const completeThreeDs = (payment: Payment): Effect.Effect<void, Error, Emulator> =>
  Effect.flatMap(Emulator, (emulator) =>
    emulator.simulate.completeAuthentication(payment.ref.paymentId) === undefined
      ? Effect.fail(new Error(`payment ${payment.ref.paymentId} is not waiting for 3-D Secure`))
      : Effect.void
  )

/** The documented 3-D Secure 2.x Visa test cards the fixtures use (2.1 frictionless, 2.9 challenge). */
const threeDsCards = { frictionless: "4000000000002701", challenge: "4000000000002503" } as const

/** A browser's form POST; the page's HTML. */
const postForm = (url: string, fields: Readonly<Record<string, string>>): Effect.Effect<string, Error> =>
  Effect.tryPromise({
    try: async () => {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(fields).toString()
      })
      const html = await response.text()
      if (!response.ok) throw new Error(`${url} answered ${response.status}`)
      return html
    },
    catch: (cause) => (cause instanceof Error ? cause : new Error(String(cause)))
  })

const hidden = (html: string, name: string): string | undefined =>
  new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1]

const challengeAction = (html: string): string | undefined => /<form method="post" action="([^"]+)"/.exec(html)?.[1]

/**
 * The payer at the emulator's challenge page, as a browser: the merchant's page posts the step-up
 * form (`JWT`, `MD`) to the action's URL, the payer types the one-time code (`1234` passes; a wrong
 * code fails) and submits. A payment read back without its step-up (reads cannot show it) is
 * completed through the emulator's payer-authentication API instead.
 */
const payer = (payment: Payment, outcome: "success" | "failure"): Effect.Effect<void, Error, Emulator> =>
  Effect.gen(function* () {
    const status = payment.status
    const action = status._tag === "RequiresAction" ? status.action : undefined
    if (action?._tag !== "ThreeDs")
      return yield* Effect.fail(new Error(`payment ${payment.ref.paymentId} has no 3-D Secure step`))
    if (action.url === "") {
      const emulator = yield* Emulator
      const authentication = emulator.truth.authentications().find((a) => a.pendingPaymentId === payment.ref.paymentId)
      if (authentication === undefined) return yield* Effect.fail(new Error("no authentication waits on the payment"))
      emulator.payerAuthentication.complete(authentication.authenticationTransactionId, outcome)
      return
    }
    const page = yield* postForm(action.url, action.form)
    const transactionId = hidden(page, "TransactionId")
    const target = challengeAction(page)
    if (transactionId === undefined || target === undefined)
      return yield* Effect.fail(new Error("no challenge on the step-up page"))
    yield* postForm(new URL(target, action.url).toString(), {
      TransactionId: transactionId,
      MD: hidden(page, "MD") ?? "",
      action: "submit",
      otp: outcome === "success" ? challengeCode : "0000"
    })
  })

/**
 * The 3-D Secure fixtures for an adapter that runs payer authentication against the emulator:
 * the documented frictionless (2.1) and challenge (2.9) Visa test cards, and the payer at the
 * emulator's challenge page over HTTP.
 *
 * @since 0.1.0
 * @category fixtures
 */
export const threeDsFixtures: ContractSuite.ThreeDsFixtures<Emulator> = {
  frictionless: fixtureCard(threeDsCards.frictionless),
  challenge: fixtureCard(threeDsCards.challenge),
  payer
}

/** The emulator's own signed notification for the payment. */
const genuineWebhook = (payment: Payment): Effect.Effect<WebhookRequestInput, Error, Emulator> =>
  Effect.flatMap(Emulator, (emulator) => {
    const id = payment.ref.paymentId
    // A payment that waited on 3-D Secure: its final authorization is what CyberSource notifies.
    const final = emulator.truth.authentications().find((a) => a.pendingPaymentId === id)
    if (final === undefined) {
      return Effect.map(notificationFor(id), (d) => ({ headers: d.headers, body: d.body }))
    }
    if (final.usedBy !== undefined) {
      return Effect.map(notificationFor(final.usedBy), (d) => ({ headers: d.headers, body: d.body }))
    }
    // Still waiting: CyberSource notifies nothing yet, so the notification a sync would stand in
    // for is signed here, in the documented body format, with the emulator's key.
    return Effect.map(Clock.currentTimeMillis, (t) => {
      const body = JSON.stringify({
        eventType: "payments.payments.review",
        webhookId: "payport-fixture-3ds",
        productId: "cardProcessing",
        organizationId: emulator.merchantId,
        eventDate: new Date(t).toISOString(),
        requestType: "NEW",
        retryNumber: 0,
        payload: [
          {
            data: { _links: { self: { href: `/pts/v2/payments/${id}`, method: "GET" } }, id, type: "payments" },
            organizationId: emulator.merchantId
          }
        ]
      })
      const signature = signWebhook({ key: emulator.webhooks.key, keyId: emulator.webhooks.keyId, t, rawBody: body })
      return { headers: { "content-type": "application/json", "v-c-signature": signature }, body }
    })
  })

/**
 * Webhook fixtures from the emulator alone: the emulator's own notification for a payment as it
 * signed it (`v-c-signature`), the same body re-signed with another key and with a timestamp ten
 * minutes old, and a tamper that changes the transaction id inside `payload`.
 *
 * @since 0.1.0
 * @category fixtures
 */
export const webhookFixtures: ContractSuite.WebhookFixtures<Emulator> = {
  genuine: genuineWebhook,
  wrongSecret: (payment) => resigned(payment.ref.paymentId, { key: wrongWebhookKey }),
  stale: (payment) =>
    Effect.flatMap(Clock.currentTimeMillis, (now) => resigned(payment.ref.paymentId, { t: now - 10 * 60 * 1000 })),
  tamper: tamperPayload
}

/**
 * The Transaction Search page size (`searchPageSize`) to configure the adapter with for the
 * contract suite: small, so the list case reads several pages with few payments.
 *
 * @since 0.1.0
 * @category fixtures
 */
export const SEARCH_PAGE_SIZE = 4

/**
 * What the emulator recorded of a payment's `processingInformation.authorizationOptions.initiator`
 * (the swagger's stored-credential fields: `type`, `storedCredentialUsed`,
 * `merchantInitiatedTransaction.previousTransactionId`).
 */
const storedCredentialSeen = (payment: Payment): Effect.Effect<ContractSuite.StoredCredentialSeen, Error, Emulator> =>
  Effect.flatMap(Emulator, (emulator) => {
    const initiator = emulator.truth.payment(payment.ref.paymentId)?.initiator
    if (initiator === undefined) return Effect.fail(new Error(`payment ${payment.ref.paymentId} carried no initiator`))
    const mit = initiator.merchantInitiatedTransaction
    const previous =
      typeof mit === "object" && mit !== null && "previousTransactionId" in mit ? mit.previousTransactionId : undefined
    return Effect.succeed({
      merchantInitiated: initiator.type === "merchant",
      storedCredentialUsed: initiator.storedCredentialUsed === true,
      ...(typeof previous === "string" ? { previousNetworkTransactionId: previous } : {})
    })
  })

/**
 * The CyberSource contract-suite fixtures, for a layer that provides the CyberSource ports and the
 * `Emulator` (started with `fixtureOptions`, or defaults):
 *
 * ```ts
 * ContractSuite.contractSuite("cybersource", layer, CyberSourceFixtures.fixtures, { excludeTestServices: true })
 * ```
 *
 * The adapter must search with `searchPageSize: SEARCH_PAGE_SIZE`, the page size the list case
 * assumes.
 *
 * Webhooks are the emulator's own notifications for the payment, as it signed them
 * (`v-c-signature`); the wrong-key and stale variants re-sign the same body. `declines` lists
 * every default card trigger with the core code its reason must map to; the first is the
 * documented sandbox decline (`42423482938483873` → `INVALID_ACCOUNT` → `invalid_account`).
 *
 * @since 0.1.0
 * @category fixtures
 */
export const fixtures: ContractSuite.Fixtures<Ports | Emulator> = {
  currency: "USD",
  card: fixtureCard(TestData.successCards.visa),
  customer: { name: "Test Payer", email: "payer@example.com", phone: "9999999999" },
  declines: cardDeclines,
  // 3-D Secure is finished through `ThreeDsAuthentication` (the payer's step, then `complete`),
  // which the 3-D Secure group runs (`threeDs`); no action completes through the common ports
  // alone. `completeAction` is the payer's half (the simulation API).
  actions: [],
  completeAction: completeThreeDs,
  multipleCaptures: true,
  // CyberSource takes any ISO 4217 currency but the fund codes.
  unsupportedCurrency: "BOV",
  truth: (payment) =>
    Effect.flatMap(Emulator, (emulator) => {
      // A payment that waited on 3-D Secure moved its money in the final authorization.
      const id = payment.ref.paymentId
      const final = emulator.truth.authentications().find((a) => a.pendingPaymentId === id)?.usedBy
      const view = emulator.truth.payment(final ?? id)
      return view === undefined
        ? Effect.fail(new Error(`the emulator has no payment ${payment.ref.paymentId}`))
        : Effect.succeed({ captured: view.captured, refunded: view.refunded })
    }),
  webhooks: webhookFixtures,
  lists: {
    moreCards: [fixtureCard(TestData.successCards.mastercard), fixtureCard(TestData.successCards.visaCredit)],
    paymentsPerPage: SEARCH_PAGE_SIZE
  },
  merchantInitiated: { supported: true, seen: storedCredentialSeen },
  vaultEnrollment: { card: fixtureCard(TestData.successCards.mastercard), etags: true },
  threeDs: threeDsFixtures
}

/** A fresh emulator (with `fixtureOptions` merged under `emulator`) and the provider over it. */
const overEmulator = <A>(
  provider: (emulator: CyberSourceEmulator) => Layer.Layer<A, unknown>,
  emulatorOptions: Options | undefined
): Layer.Layer<A | Emulator, unknown> =>
  Layer.unwrapScoped(
    Effect.map(start({ ...fixtureOptions, ...emulatorOptions }), (emulator) =>
      Layer.merge(provider(emulator), Layer.succeed(Emulator, emulator))
    )
  )

/**
 * The model-based property's harness: each run starts a fresh emulator (with `fixtureOptions`
 * merged under `emulator`) and builds the provider from it with `provider`, e.g.
 * `(emulator) => CyberSource.layer({ baseUrl: emulator.baseUrl, … })`.
 *
 * @since 0.1.0
 * @category fixtures
 */
export const harness = (options: {
  readonly provider: (emulator: CyberSourceEmulator) => Layer.Layer<CommonPorts, unknown>
  readonly emulator?: Options
}): Model.Harness<Emulator> => ({
  layer: () => overEmulator(options.provider, options.emulator),
  card: fixtures.card,
  currency: fixtures.currency,
  multipleCaptures: fixtures.multipleCaptures,
  signPayment: genuineWebhook
})

/**
 * The harness with 3-D Secure as the action, for a provider that runs payer authentication: the
 * challenge card waits in `RequiresAction(ThreeDs)`, the payer passes the challenge at the
 * emulator's page (`threeDsFixtures.payer`) and the merchant completes it through
 * `ThreeDsAuthentication`, which the property also repeats.
 *
 * @since 0.1.0
 * @category fixtures
 */
export const threeDsHarness = (options: {
  readonly provider: (
    emulator: CyberSourceEmulator
  ) => Layer.Layer<CommonPorts | ThreeDsAuthentication.ThreeDsAuthentication, unknown>
  readonly emulator?: Options
}): Model.Harness<Emulator | ThreeDsAuthentication.ThreeDsAuthentication> => ({
  ...harness(options),
  layer: () => overEmulator(options.provider, options.emulator),
  actionMethod: threeDsFixtures.challenge,
  completeAction: (payment) =>
    payer(payment, "success").pipe(
      Effect.zipRight(ThreeDsAuthentication.complete({ payment: payment.ref })),
      Effect.asVoid
    ),
  completeAgain: (payment) => ThreeDsAuthentication.complete({ payment: payment.ref })
})
