/**
 * The checkout: what a backend does with a payment provider, written only against
 * `@payport/core` ports. Nothing here knows which provider runs it; capabilities a provider lacks
 * (a cryptogram, UPI) show as "not supported" instead of failing the checkout.
 *
 * Three services stand in for the world outside the backend: the `Scenario` (what the shopper
 * enters), the `Payer` (who completes redirects, OTPs and UPI approvals in their browser or app)
 * and the `Inbox` (where the provider's webhooks arrive).
 */
import {
  Authorization,
  Cryptograms,
  Customers,
  Money,
  Payments,
  ThreeDsAuthentication,
  Vault,
  Webhooks
} from "@payport/core"
import type { CurrencyCode } from "@payport/core/Currency"
import type { Payment } from "@payport/core/Payment"
import { type DeclineCode, PaymentDeclined } from "@payport/core/PaymentError"
import type { PaymentMethod } from "@payport/core/PaymentMethod"
import type { CommonPorts } from "@payport/core/Provider"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"

/** What the shopper brings: test data for the provider at hand. */
export class Scenario extends Context.Tag("@payport/example-checkout/Scenario")<
  Scenario,
  {
    readonly currency: CurrencyCode
    readonly card: PaymentMethod
    readonly customer: Customers.CreateInput
    /**
     * A card the provider declines with `code`. With `byPayer`, the card itself is good (the
     * sandbox documents no declining card): the payment waits for the payer, whose bank declines
     * it through the provider's simulation API (`Payer.decline`).
     */
    readonly declinedCard: { readonly method: PaymentMethod; readonly code: DeclineCode; readonly byPayer?: boolean }
    readonly upiCollect?: PaymentMethod
    /** A card whose issuer asks for a 3-D Secure challenge, where the provider runs 3-D Secure. */
    readonly threeDsChallenge?: PaymentMethod
  }
>() {}

/** The payer completing a payment's action (redirect, OTP, 3-D Secure, UPI approval). */
export class Payer extends Context.Tag("@payport/example-checkout/Payer")<
  Payer,
  {
    readonly complete: (payment: Payment) => Effect.Effect<unknown, unknown>
    /** The payer's bank declines the pending payment; only where the provider can simulate that. */
    readonly decline?: (payment: Payment) => Effect.Effect<unknown, unknown>
    /** The payer passes the 3-D Secure challenge at the issuer's page (in their browser). */
    readonly authenticate?: (payment: Payment) => Effect.Effect<unknown, unknown>
  }
>() {}

/**
 * What a stand-in cannot do against this target (no simulation API, no public webhook URL): the
 * step reports "not supported" with the reason instead of failing.
 */
export class NotSupported extends Data.TaggedError("NotSupported")<{ readonly reason: string }> {
  override get message(): string {
    return this.reason
  }
}

/**
 * Where the provider's webhooks arrive: the request for a payment's latest event, as received,
 * and how an attacker would alter one (what is signed differs by provider).
 */
export class Inbox extends Context.Tag("@payport/example-checkout/Inbox")<
  Inbox,
  {
    readonly webhookFor: (payment: Payment) => Effect.Effect<Webhooks.RequestInput, unknown>
    readonly tamper: (request: Webhooks.RequestInput) => Webhooks.RequestInput
  }
>() {}

/** One row of the checkout's report. */
export interface StepResult {
  readonly step: string
  readonly provider: string
  /** `ok`, `not supported` (the provider lacks the capability, as its types say) or `FAILED`. */
  readonly outcome: "ok" | "not supported" | "FAILED"
  readonly result: string
  readonly status: string
  readonly elapsedMs: number
}

type Requirements = CommonPorts | Scenario | Payer | Inbox

interface Done {
  readonly result: string
  readonly status?: string
  readonly supported?: boolean
}

const describe = (error: unknown): string =>
  typeof error === "object" && error !== null && "message" in error && typeof error.message === "string"
    ? error.message
    : String(error)

/** Runs one step, timing it and turning any failure into a FAILED row instead of stopping the checkout. */
const step = (provider: string, name: string, run: Effect.Effect<Done, unknown, Requirements>) =>
  Effect.gen(function* () {
    const start = yield* Clock.currentTimeMillis
    const exit = yield* Effect.either(run)
    const elapsedMs = (yield* Clock.currentTimeMillis) - start
    if (exit._tag === "Left" && exit.left instanceof NotSupported) {
      return {
        step: name,
        provider,
        outcome: "not supported",
        result: exit.left.reason,
        status: "-",
        elapsedMs
      } as const
    }
    if (exit._tag === "Left") {
      return { step: name, provider, outcome: "FAILED", result: describe(exit.left), status: "-", elapsedMs } as const
    }
    const done = exit.right
    return {
      step: name,
      provider,
      outcome: done.supported === false ? "not supported" : "ok",
      result: done.result,
      status: done.status ?? "-",
      elapsedMs
    } as const
  })

/** Completes a payment's pending action, then reads it back as the provider now sees it. */
const settle = (payment: Payment) =>
  Effect.gen(function* () {
    if (payment.status._tag !== "RequiresAction") return payment
    yield* (yield* Payer).complete(payment)
    return yield* Payments.get(payment.ref)
  })

/** Has the payer's bank decline a pending payment, then reads it back. */
const declineByPayer = (payment: Payment) =>
  Effect.gen(function* () {
    if (payment.status._tag !== "RequiresAction") return payment
    const payer = yield* Payer
    if (payer.decline === undefined) return yield* new NotSupported({ reason: "the payer cannot decline here" })
    yield* payer.decline(payment)
    return yield* Payments.get(payment.ref)
  })

/** A value an earlier step produced; missing when that step failed. */
const need = <A>(value: A | undefined, what: string): Effect.Effect<A, Error> =>
  value === undefined ? Effect.fail(new Error(`needs ${what} from an earlier step`)) : Effect.succeed(value)

const expect = (condition: boolean, message: string) => (condition ? Effect.void : Effect.fail(new Error(message)))

const fraction = (money: Money.Money, numerator: number, denominator: number) =>
  Money.unsafeMake(Math.floor((money.amount * numerator) / denominator), money.currency)

/**
 * The checkout, step by step. Never fails: each step's failure is a FAILED row.
 *
 * @param reference a unique prefix for this run's order references
 * @param onStep called with each step's result as soon as the step ends
 */
export const run = (
  reference: string,
  onStep: (row: StepResult) => void = () => {}
): Effect.Effect<ReadonlyArray<StepResult>, never, Requirements> =>
  Effect.gen(function* () {
    const scenario = yield* Scenario
    const provider = (yield* Payments.Payments).provider
    const amount = Money.unsafeMake(149_900, scenario.currency)
    const rows: Array<StepResult> = []
    const add = (name: string, effect: Effect.Effect<Done, unknown, Requirements>) =>
      Effect.tap(step(provider, name, effect), (row) =>
        Effect.sync(() => {
          rows.push(row)
          onStep(row)
        })
      )

    // Shared between steps; a failed step leaves later ones to report what they cannot do.
    let customerId: string | undefined
    let saved: Payment | undefined

    yield* add(
      "create customer",
      Effect.gen(function* () {
        const customer = yield* Customers.create({ ...scenario.customer, reference: `${reference}-cus` })
        customerId = customer.id
        return { result: customer.id }
      })
    )

    yield* add(
      "pay by card and save it",
      Effect.gen(function* () {
        const customer = yield* need(customerId, "the customer")
        const created = yield* Payments.create({
          reference: `${reference}-sale`,
          amount,
          method: scenario.card,
          customer: { id: customer, phone: scenario.customer.phone ?? "9999999999" },
          saveInstrument: true
        })
        const payment = yield* settle(created)
        saved = payment
        yield* expect(payment.status._tag === "Captured", `expected Captured, got ${payment.status._tag}`)
        return {
          result: `${Money.toDecimal(payment.ledger.captured)} ${payment.amount.currency} by ${payment.method.display ?? "card"}`,
          status: payment.status._tag
        }
      })
    )

    yield* add(
      "list saved cards",
      Effect.gen(function* () {
        const customer = yield* need(customerId, "the customer")
        const page = yield* Vault.list({ customerId: customer })
        yield* expect(page.items.length > 0, "no saved card")
        return { result: page.items.map((i) => `${i.network ?? "card"} ${i.display}`).join(", ") }
      })
    )

    yield* add(
      "network-token cryptogram",
      Effect.gen(function* () {
        const cryptograms = yield* Effect.serviceOption(Cryptograms.Cryptograms)
        if (Option.isNone(cryptograms)) return { result: "this provider has no cryptogram port", supported: false }
        const customer = yield* need(customerId, "the customer")
        const page = yield* Vault.list({ customerId: customer })
        const instrument = yield* need(page.items[0], "a saved card")
        const cryptogram = yield* cryptograms.value.fetch({ customerId: customer, instrumentId: instrument.id })
        return { result: `token for ${instrument.display}, cryptogram ${String(cryptogram.cryptogram)}` }
      })
    )

    let held: Payment | undefined
    yield* add(
      "hold",
      Effect.gen(function* () {
        const hold = yield* settle(
          yield* Authorization.authorize({ reference: `${reference}-hold`, amount, method: scenario.card })
        )
        held = hold
        yield* expect(hold.status._tag === "Authorized", `expected Authorized, got ${hold.status._tag}`)
        return { result: `${Money.toDecimal(hold.ledger.authorized)} held`, status: hold.status._tag }
      })
    )

    let captured: Payment | undefined
    yield* add(
      "capture part of the hold",
      Effect.gen(function* () {
        const hold = yield* need(held, "the hold")
        const payment = yield* Authorization.capture({ payment: hold.ref, amount: fraction(amount, 3, 5) })
        captured = payment
        return { result: `${Money.toDecimal(payment.ledger.captured)} captured`, status: payment.status._tag }
      })
    )

    yield* add(
      "refund part of the capture",
      Effect.gen(function* () {
        const payment = yield* need(captured, "the capture")
        const refund = yield* Payments.refund({
          payment: payment.ref,
          amount: fraction(amount, 1, 5),
          reference: `${reference}-r1`
        })
        return { result: `${Money.toDecimal(refund.amount)} refunded`, status: refund.status._tag }
      })
    )

    yield* add(
      "hold, then void",
      Effect.gen(function* () {
        const hold = yield* settle(
          yield* Authorization.authorize({ reference: `${reference}-void`, amount, method: scenario.card })
        )
        const voided = yield* Authorization.void({ payment: hold.ref })
        yield* expect(voided.status._tag === "Voided", `expected Voided, got ${voided.status._tag}`)
        return { result: "hold released", status: voided.status._tag }
      })
    )

    yield* add(
      "UPI collect",
      Effect.gen(function* () {
        if (scenario.upiCollect === undefined) return { result: "this provider has no UPI", supported: false }
        const created = yield* Payments.create({ reference: `${reference}-upi`, amount, method: scenario.upiCollect })
        const payment = yield* settle(created)
        yield* expect(payment.status._tag === "Captured", `expected Captured, got ${payment.status._tag}`)
        return { result: `approved in the UPI app (${created.status._tag} first)`, status: payment.status._tag }
      })
    )

    yield* add(
      "declined card",
      Effect.gen(function* () {
        const declined = scenario.declinedCard
        const code = yield* Payments.create({
          reference: `${reference}-decline`,
          amount,
          method: declined.method
        }).pipe(
          Effect.flatMap(declined.byPayer === true ? declineByPayer : settle),
          Effect.map((payment) => (payment.status._tag === "Failed" ? payment.status.decline.code : undefined)),
          Effect.catchIf(
            (error): error is PaymentDeclined => error instanceof PaymentDeclined,
            (error) => Effect.succeed(error.code)
          )
        )
        yield* expect(code === declined.code, `expected decline ${declined.code}, got ${code ?? "none"}`)
        const how = declined.byPayer === true ? " (declined by the payer's bank, simulated)" : ""
        return { result: `PaymentDeclined: ${code}${how}`, status: "Failed" }
      })
    )

    yield* add(
      "3-D Secure challenge",
      Effect.gen(function* () {
        const threeDs = yield* Effect.serviceOption(ThreeDsAuthentication.ThreeDsAuthentication)
        const payer = yield* Payer
        if (Option.isNone(threeDs) || scenario.threeDsChallenge === undefined || payer.authenticate === undefined) {
          return { result: "this provider runs no 3-D Secure step here", supported: false }
        }
        const created = yield* Payments.create({
          reference: `${reference}-3ds`,
          amount,
          method: scenario.threeDsChallenge,
          returnUrl: "https://shop.example/checkout/3ds-return"
        })
        const action = created.status._tag === "RequiresAction" ? created.status.action : undefined
        if (action?._tag !== "ThreeDs")
          return yield* Effect.fail(new Error(`expected a challenge, got ${created.status._tag}`))
        // The payer's browser posts the step-up form and answers the issuer's challenge; the
        // shopper then lands on the return URL, whose handler completes the payment.
        yield* payer.authenticate(created)
        const payment = yield* threeDs.value.complete({ payment: created.ref })
        yield* expect(payment.status._tag === "Captured", `expected Captured, got ${payment.status._tag}`)
        const read = yield* Payments.get(created.ref)
        yield* expect(read.status._tag === "Captured", `get answered ${read.status._tag}`)
        return {
          result: `challenge at ${new URL(action.url).pathname} passed, completed: ${Money.toDecimal(payment.ledger.captured)} ${payment.amount.currency}`,
          status: payment.status._tag
        }
      })
    )

    yield* add(
      "webhook verified, tampered copy rejected",
      Effect.gen(function* () {
        const payment = yield* need(saved, "the card payment")
        const inbox = yield* Inbox
        const request = yield* inbox.webhookFor(payment)
        const event = yield* Webhooks.verify(request)
        const tampered = yield* Effect.flip(Webhooks.verify(inbox.tamper(request)))
        return { result: `${event._tag} ${event.eventType}; tampered: ${tampered._tag}` }
      })
    )

    return rows
  })
