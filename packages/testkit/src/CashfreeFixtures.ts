/**
 * Contract-suite fixtures and the model-based property's harness for a Cashfree adapter talking to
 * `@payport/emulators`' Cashfree emulator: `CashfreeEmulator.layerWith(ports)` starts an emulator
 * with the adapter beside it, `fixturesFor(channel)` / `fixtures` are the contract-suite fixtures
 * (payer actions through the emulator's payer API, webhooks as the emulator emitted them) and
 * `harness(ports)` is the model's harness. None of them imports an adapter.
 *
 * @since 0.1.0
 */
import type { CurrencyCode } from "@payport/core/Currency"
import type * as Cryptograms from "@payport/core/Cryptograms"
import type * as OtpAuthentication from "@payport/core/OtpAuthentication"
import type { Payment as CorePayment } from "@payport/core/Payment"
import type { DeclineCode } from "@payport/core/PaymentError"
import * as PaymentMethod from "@payport/core/PaymentMethod"
import type { CommonPorts } from "@payport/core/Provider"
import type * as CoreWebhooks from "@payport/core/Webhooks"
import {
  type CashfreeEmulator,
  Emulator,
  layerWith,
  type Options,
  type PaymentRecord,
  signWebhook,
  type WebhookDelivery
} from "@payport/emulators/CashfreeEmulator"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import type * as Layer from "effect/Layer"
import type * as ContractSuite from "./ContractSuite.js"
import type * as Model from "./Model.js"
import * as TestData from "./TestData.js"

/**
 * The ports a Cashfree provider has: the common ones, `Cryptograms` and `OtpAuthentication` (not
 * `VaultEnrollment`: Cashfree saves cards by paying with `save_instrument`).
 *
 * @since 0.1.0
 * @category fixtures
 */
export type Ports = CommonPorts | Cryptograms.Cryptograms | OtpAuthentication.OtpAuthentication

/** A sandbox card with the documented test CVV and a far expiry. */
const card = (number: string) =>
  PaymentMethod.card({ number, expiry: TestData.expiry, cvv: "123", holder: "Test Payer" })

/**
 * The cards the emulator declines (see `internal/cashfree/SandboxData.ts`) and the core decline
 * each one's `error_details` stands for: the documented `TRANSACTION_DECLINED` / `auth_declined`
 * is refined by `error_reason` and the raw ISO 8583 description (SPEC25's own example carries
 * `ZM` "INVALID / INCORRECT MPIN" under that generic pair).
 *
 * @since 0.1.0
 * @category fixtures
 */
export const decliningCards: ReadonlyArray<readonly [number: string, code: DeclineCode]> = [
  ["4000000000000002", "do_not_honor"],
  ["4000000000009995", "insufficient_funds"],
  ["4000000000000069", "expired_card"],
  ["4000000000000127", "incorrect_cvc"],
  ["4000000000009987", "lost_or_stolen"],
  ["4100000000000019", "suspected_fraud"],
  ["4000000000000119", "issuer_unavailable"],
  ["42423482938483873", "invalid_number"]
]

/**
 * The UPI test VPAs whose collect request fails once the payer acts, and the core decline each
 * stands for (`testinvalid@gocash` is not here: Cashfree refuses it at once with 400
 * `upi.vpa_invalid`, a request error rather than a decline).
 *
 * @since 0.1.0
 * @category fixtures
 */
export const decliningVpas: ReadonlyArray<readonly [vpa: string, code: DeclineCode]> = [
  ["testfailure@gocash", "do_not_honor"],
  ["testdeclineuser@gocash", "do_not_honor"],
  ["testuserdropped@gocash", "user_cancelled"],
  ["testexpired@gocash", "upi_collect_expired"],
  ["testtimeoutbank@gocash", "issuer_unavailable"],
  ["testnetworkerror@gocash", "issuer_unavailable"],
  ["testinsufficientfunds@gocash", "insufficient_funds"],
  ["testbankdeclined@gocash", "do_not_honor"],
  ["testriskflagged@gocash", "suspected_fraud"],
  ["testinvalidpin@gocash", "authentication_failed"]
]

/** A signing secret that is not the emulator's, for the wrong-secret webhook. */
const WRONG_SECRET = "cfsk_ma_test_not_the_client_secret"

/** The payer approves the payment's pending step, as on the page at Order Pay's `data.url`. */
const approve = (payment: CorePayment): Effect.Effect<PaymentRecord, unknown, Emulator> =>
  Effect.flatMap(Emulator, (emulator) =>
    Effect.try({ try: () => emulator.payer.approve(payment.ref.paymentId), catch: (error) => error })
  )

/** The latest payment webhook the emulator emitted for `payment`, exactly as Cashfree sends it. */
const latestWebhook = (emulator: CashfreeEmulator, payment: CorePayment): Effect.Effect<WebhookDelivery, Error> => {
  const delivery = emulator.webhooks.forPayment(payment.ref.paymentId).at(-1)
  return delivery === undefined
    ? Effect.fail(new Error(`Cashfree has sent no webhook for payment ${payment.ref.paymentId}: it is still pending`))
    : Effect.succeed(delivery)
}

/** The same body with `x-webhook-timestamp` and `x-webhook-signature` made again. */
const resign = (delivery: WebhookDelivery, secret: string, timestampMillis: number): CoreWebhooks.RequestInput => {
  const timestamp = String(timestampMillis)
  return {
    headers: {
      ...delivery.headers,
      "x-webhook-timestamp": timestamp,
      "x-webhook-signature": signWebhook(secret, timestamp, delivery.body)
    },
    body: delivery.body
  }
}

/**
 * Webhook requests for a payment, from what the emulator emitted for it: the genuine one as
 * delivered, the same body signed with a wrong secret, and the same body signed ten minutes ago
 * (relative to `Clock`, outside the default five-minute tolerance).
 *
 * @since 0.1.0
 * @category fixtures
 */
export const webhookFixtures: ContractSuite.WebhookFixtures<Emulator> = {
  genuine: (payment) =>
    Effect.flatMap(Emulator, (emulator) =>
      Effect.map(latestWebhook(emulator, payment), (d) => ({ headers: d.headers, body: d.body }))
    ),
  wrongSecret: (payment) =>
    Effect.flatMap(Emulator, (emulator) =>
      Effect.flatMap(latestWebhook(emulator, payment), (d) =>
        Effect.map(Clock.currentTimeMillis, (now) => resign(d, WRONG_SECRET, now))
      )
    ),
  stale: (payment) =>
    Effect.flatMap(Emulator, (emulator) =>
      Effect.flatMap(latestWebhook(emulator, payment), (d) =>
        Effect.map(Clock.currentTimeMillis, (now) => resign(d, emulator.clientSecret, now - 10 * 60 * 1000))
      )
    )
}

/**
 * How the adapter pays entered cards at Cashfree: `post` (native OTP: a card that needs the issuer
 * waits in `RequiresAction(Otp)` for `111000`) or `link` (the bank's page: `RequiresAction(Redirect)`).
 *
 * @since 0.1.0
 * @category fixtures
 */
export type CardChannel = "post" | "link"

const actionsFor = (channel: CardChannel): ReadonlyArray<ContractSuite.ActionFixture> => [
  { name: "UPI collect", method: PaymentMethod.upiCollect(TestData.upiSuccessVpa), action: "UpiCollect" },
  { name: "UPI intent", method: PaymentMethod.upiIntent, action: "UpiIntent" },
  { name: "UPI QR", method: PaymentMethod.upiQr, action: "QrCode" },
  { name: "netbanking", method: { _tag: "Netbanking", bankCode: TestData.testBank }, action: "Redirect" },
  { name: "wallet", method: { _tag: "Wallet", provider: "paytm", phone: TestData.testPhone }, action: "Redirect" },
  {
    name: "pay later",
    method: { _tag: "PayLater", provider: "lazypay", phone: TestData.testPhone },
    action: "Redirect"
  },
  {
    name: "cardless EMI",
    method: { _tag: "CardlessEmi", provider: "flexmoney", phone: TestData.testPhone },
    action: "Redirect"
  },
  {
    name: "card EMI",
    method: { ...card(TestData.successCards.visaCredit), _tag: "CardEmi", bank: "hdfc", tenureMonths: 6 },
    action: "Redirect"
  },
  channel === "post"
    ? { name: "card with OTP", method: card(TestData.otpCard), action: "Otp" }
    : { name: "card through the bank's page", method: card(TestData.otpCard), action: "Redirect" }
]

/**
 * The contract-suite fixtures for a Cashfree adapter talking to this emulator (the layer must
 * also provide `Emulator`, e.g. through `layerWith`), for an adapter that pays entered cards
 * through `channel`. Only `post` gives the OTP group: Cashfree's OTP API serves the native-OTP
 * channel. Nothing here depends on an adapter: completing actions is the payer page's Approve,
 * and webhooks are the ones the emulator emitted.
 *
 * @since 0.1.0
 * @category fixtures
 */
export const fixturesFor = (channel: CardChannel): ContractSuite.Fixtures<Emulator | Ports> => ({
  currency: "INR" satisfies CurrencyCode,
  card: card(TestData.successCards.visa),
  customer: { name: "Test Payer", email: "payer@example.com", phone: "9999999999" },
  // Cashfree documents no customer read (no GET /customers/{id} in any spec).
  customerRead: false,
  // One order per reference, its attempts answered at once; the vault answered whole.
  lists: { moreCards: [card(TestData.successCards.mastercard), card(TestData.successCards.rupay)] },
  // Order Pay has no merchant-initiated payment: the payer is always present.
  merchantInitiated: { supported: false },
  declines: [
    ...decliningCards.map(([number, code]) => ({
      name: `card ${PaymentMethod.mask(number)}`,
      method: card(number),
      code
    })),
    ...decliningVpas.map(([vpa, code]) => ({ name: `UPI ${vpa}`, method: PaymentMethod.upiCollect(vpa), code }))
  ],
  actions: actionsFor(channel),
  completeAction: approve,
  // Cashfree captures a pre-authorisation once; the rest is released.
  multipleCaptures: false,
  // Not among INR and Cashfree's documented international currencies.
  unsupportedCurrency: "KWD",
  truth: (payment) =>
    Effect.flatMap(Emulator, (emulator) => {
      const orderId = payment.ref.orderId ?? payment.reference
      const attempt = emulator.truth.payments(orderId).find((p) => String(p.cfPaymentId) === payment.ref.paymentId)
      if (attempt === undefined) return Effect.fail(new Error(`the emulator has no payment ${payment.ref.paymentId}`))
      const refunded = emulator.truth
        .refunds(orderId)
        .filter((r) => String(r.cfPaymentId) === payment.ref.paymentId && r.status !== "CANCELLED")
        .reduce((sum, r) => sum + r.amount, 0)
      return Effect.succeed({ captured: attempt.capturedAmount, refunded })
    }),
  webhooks: webhookFixtures,
  cryptograms: { enabled: true },
  ...(channel === "post" ? { otp: { card: card(TestData.otpCard), otp: TestData.OTP, wrongOtp: "000000" } } : {})
})

/**
 * The contract-suite fixtures for an adapter on Cashfree's native-OTP card channel (`post`),
 * every group included: `contractSuite("cashfree", layerWith(adapter), fixtures, { excludeTestServices: true })`.
 *
 * @since 0.1.0
 * @category fixtures
 */
export const fixtures: ContractSuite.Fixtures<Emulator | Ports> = fixturesFor("post")

/**
 * The model-based property's harness: a fresh emulator per run with `ports` built beside it.
 * The action method is a UPI collect request the payer approves; `signPayment` is the latest
 * webhook the emulator emitted for the payment (Cashfree sends none while a payment is pending,
 * so it fails for a payment that never left `RequiresAction`).
 *
 * @since 0.1.0
 * @category fixtures
 */
export const harness = <R>(
  ports: (emulator: CashfreeEmulator) => Layer.Layer<CommonPorts | R, unknown>,
  options?: Options
): Model.Harness<Emulator | R> => ({
  layer: () => layerWith(ports, options),
  card: card(TestData.successCards.visa),
  currency: "INR",
  multipleCaptures: false,
  actionMethod: PaymentMethod.upiCollect(TestData.upiSuccessVpa),
  completeAction: (payment) => Effect.asVoid(approve(payment)),
  signPayment: (payment) => webhookFixtures.genuine(payment)
})
