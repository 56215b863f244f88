/**
 * The contract suite: one function that registers the same behavioural tests against any
 * provider layer, so the in-memory provider and every adapter (against its emulator or sandbox)
 * are held to one definition of "behaves like a payment provider".
 *
 * Capabilities decide which groups run, by type: a group's fixture field only accepts a value when
 * the layer provides that group's port, and a group is registered only when its fixture is given.
 *
 * ```ts
 * import { ContractSuite, InMemory } from "@payport/testkit"
 * ContractSuite.contractSuite("memory", InMemory.layer(), InMemory.fixtures)
 * ```
 *
 * @since 0.1.0
 */
import * as AuthorizationPort from "@payport/core/Authorization"
import * as Currency from "@payport/core/Currency"
import type { CurrencyCode } from "@payport/core/Currency"
import * as Customers from "@payport/core/Customers"
import * as Cryptograms from "@payport/core/Cryptograms"
import { PaymentId, PaymentRef } from "@payport/core/Ids"
import * as Money from "@payport/core/Money"
import * as OtpAuthentication from "@payport/core/OtpAuthentication"
import type { Action, Payment } from "@payport/core/Payment"
import type { DeclineCode } from "@payport/core/PaymentError"
import * as PaymentMethod from "@payport/core/PaymentMethod"
import type * as PaymentRequest from "@payport/core/PaymentRequest"
import * as Payments from "@payport/core/Payments"
import type { CommonPorts } from "@payport/core/Provider"
import type * as ThreeDsAuthentication from "@payport/core/ThreeDsAuthentication"
import * as Vault from "@payport/core/Vault"
import * as VaultEnrollment from "@payport/core/VaultEnrollment"
import * as Webhooks from "@payport/core/Webhooks"
import { assert, layer as layerSuite, type Vitest } from "@effect/vitest"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import { registerInitiator } from "./internal/contract/initiator.js"
import { registerLists } from "./internal/contract/lists.js"
import { registerOptions } from "./internal/contract/options.js"
import { registerOwnership } from "./internal/contract/ownership.js"
import { failsWith, unique } from "./internal/contract/shared.js"
import { registerThreeDs } from "./internal/contract/threeDs.js"

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

/**
 * A method the provider declines, and the decline code it must map to. The decline may be
 * synchronous (`PaymentDeclined`) or arrive after the action completes (`Failed{decline}`).
 *
 * @since 0.1.0
 * @category fixtures
 */
export interface DeclineFixture {
  readonly name: string
  readonly method: PaymentMethod.PaymentMethod
  readonly code: DeclineCode
}

/**
 * A method whose payment waits in `RequiresAction` with the given action until completed.
 *
 * @since 0.1.0
 * @category fixtures
 */
export interface ActionFixture {
  readonly name: string
  readonly method: PaymentMethod.PaymentMethod
  readonly action: Action["_tag"]
}

/**
 * How to produce webhook requests for a payment: a genuine one, one signed with the wrong secret,
 * and one with a timestamp outside the tolerance (relative to `Clock`). `tamper` changes a signed
 * request's body; by default the first digit of the body is changed.
 *
 * @since 0.1.0
 * @category fixtures
 */
export interface WebhookFixtures<R> {
  readonly genuine: (payment: Payment) => Effect.Effect<Webhooks.RequestInput, unknown, R>
  readonly wrongSecret: (payment: Payment) => Effect.Effect<Webhooks.RequestInput, unknown, R>
  readonly stale: (payment: Payment) => Effect.Effect<Webhooks.RequestInput, unknown, R>
  readonly tamper?: (request: Webhooks.RequestInput) => Webhooks.RequestInput
}

/**
 * For providers with `VaultEnrollment`: a card to enroll, and whether updates use ETags.
 *
 * @since 0.1.0
 * @category fixtures
 */
export interface EnrollmentFixtures {
  readonly card: PaymentMethod.Card
  readonly etags: boolean
}

/**
 * For providers with `Cryptograms`.
 *
 * @since 0.1.0
 * @category fixtures
 */
export interface CryptogramFixtures {
  readonly enabled: true
}

/**
 * For providers with `OtpAuthentication`: a card whose payment asks for an OTP, the OTP that
 * completes it and one that does not.
 *
 * @since 0.1.0
 * @category fixtures
 */
export interface OtpFixtures {
  readonly card: PaymentMethod.Card
  readonly otp: string
  readonly wrongOtp: string
}

/**
 * For providers with `ThreeDsAuthentication`: a card that authenticates without a challenge, one
 * that is challenged, and the payer's half of the challenge (as a person in a browser would do it:
 * `"success"` passes it, `"failure"` fails it). Completing is the port's half.
 *
 * @since 0.1.0
 * @category fixtures
 */
export interface ThreeDsFixtures<R> {
  readonly frictionless: PaymentMethod.PaymentMethod
  readonly challenge: PaymentMethod.PaymentMethod
  readonly payer: (payment: Payment, outcome: "success" | "failure") => Effect.Effect<unknown, unknown, R>
}

/**
 * For the list cases: lists longer than a provider page come back complete.
 *
 * @since 0.1.0
 * @category fixtures
 */
export interface ListFixtures {
  /**
   * Further cards, each different from `card` and from one another, that succeed at once and can
   * be saved: the vault walk saves `card` and these for one customer (at least three in all).
   */
  readonly moreCards: ReadonlyArray<PaymentMethod.PaymentMethod>
  /**
   * How many payments of one reference the provider answers per page where `Payments.list` pages
   * through a search (CyberSource's Transaction Search, with the adapter's page size); the suite
   * then makes more than two pages of payments under one reference. Absent where a reference holds
   * one payment at a time and the provider lists its attempts in one answer (Cashfree's order).
   */
  readonly paymentsPerPage?: number
}

/**
 * What the provider recorded of a payment's stored-credential flags, read beside the adapter.
 *
 * @since 0.1.0
 * @category fixtures
 */
export interface StoredCredentialSeen {
  readonly merchantInitiated: boolean
  readonly storedCredentialUsed: boolean
  readonly previousNetworkTransactionId?: string
}

/**
 * Whether the provider takes merchant-initiated payments with a stored card
 * (`PaymentRequest.Initiator`); when it does, `seen` reads what the provider recorded.
 *
 * @since 0.1.0
 * @category fixtures
 */
export type MerchantInitiatedFixtures<R> =
  | {
      readonly supported: true
      readonly seen?: (payment: Payment) => Effect.Effect<StoredCredentialSeen, unknown, R>
    }
  | { readonly supported: false }

/**
 * Provider-specific data and effects the suite needs. `R` is what the layer provides; the optional
 * groups only type-check when `R` includes their port.
 *
 * @since 0.1.0
 * @category fixtures
 */
export interface Fixtures<R> {
  readonly currency: CurrencyCode
  /** A method that succeeds at once, without action, and can be saved. */
  readonly card: PaymentMethod.PaymentMethod
  /** The customer to create (the suite adds a unique `reference`). */
  readonly customer: Omit<Customers.CreateInput, "reference" | "idempotencyKey">
  /**
   * Whether the provider can read a customer back (default true). Cashfree documents no customer
   * read: with `false` the suite holds the adapter to failing `Customers.get` with
   * `UnsupportedMethod` instead of pretending.
   */
  readonly customerRead?: boolean
  readonly declines: ReadonlyArray<DeclineFixture>
  readonly actions: ReadonlyArray<ActionFixture>
  /** Completes a payment's pending action as the payer would (a sandbox's simulation API). */
  readonly completeAction: (payment: Payment) => Effect.Effect<unknown, unknown, R>
  /** Whether a hold may be captured in several parts; if not, a second capture fails `InvalidState`. */
  readonly multipleCaptures: boolean
  /**
   * An ISO 4217 currency the provider does not take payments in: a sale or hold in it must fail
   * `UnsupportedCurrency` before anything is sent. Absent when the provider takes every currency in
   * core's table.
   */
  readonly unsupportedCurrency?: CurrencyCode
  /**
   * The money a payment moved as the provider itself records it, read beside the adapter (an
   * emulator's truth), in minor units. Without it the suite reads the payment through `Payments.get`.
   */
  readonly truth?: (payment: Payment) => Effect.Effect<MovedMoney, unknown, R>
  readonly webhooks: WebhookFixtures<R>
  readonly lists: ListFixtures
  readonly merchantInitiated: MerchantInitiatedFixtures<R>
  readonly vaultEnrollment?: [VaultEnrollment.VaultEnrollment] extends [R] ? EnrollmentFixtures : never
  readonly cryptograms?: [Cryptograms.Cryptograms] extends [R] ? CryptogramFixtures : never
  readonly otp?: [OtpAuthentication.OtpAuthentication] extends [R] ? OtpFixtures : never
  readonly threeDs?: [ThreeDsAuthentication.ThreeDsAuthentication] extends [R] ? ThreeDsFixtures<R> : never
}

/**
 * What a payment moved, in minor units of its currency.
 *
 * @since 0.1.0
 * @category fixtures
 */
export interface MovedMoney {
  readonly captured: number
  readonly refunded: number
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Layer build timeout. */
  readonly timeout?: Duration.DurationInput
  /**
   * Run tests with the live clock instead of `TestClock` — for layers that do real I/O (emulators,
   * sandboxes), where a virtual clock would stall timeouts and retries.
   */
  readonly excludeTestServices?: boolean
}

type AllPorts =
  | CommonPorts
  | VaultEnrollment.VaultEnrollment
  | Cryptograms.Cryptograms
  | OtpAuthentication.OtpAuthentication
  | ThreeDsAuthentication.ThreeDsAuthentication

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

const defaultTamper = (request: Webhooks.RequestInput): Webhooks.RequestInput => {
  const text = typeof request.body === "string" ? request.body : new TextDecoder().decode(request.body)
  const at = text.search(/\d/)
  const body = at < 0 ? `${text} ` : `${text.slice(0, at)}${(Number(text[at]) + 1) % 10}${text.slice(at + 1)}`
  return { headers: request.headers, body }
}

// ---------------------------------------------------------------------------------------------
// The suite
// ---------------------------------------------------------------------------------------------

/**
 * Registers the contract tests for a provider layer. The layer is built once for the block; every
 * test uses its own references and idempotency keys, so tests do not collide.
 *
 * @since 0.1.0
 * @category suite
 */
export const contractSuite = <ROut, E>(
  name: string,
  layer: Layer.Layer<ROut, E>,
  fixtures: [CommonPorts] extends [ROut] ? Fixtures<ROut> : never,
  options?: Options
): void => {
  // `fixtures` only type-checks when the layer provides the common ports, and each optional group
  // only when it provides that group's port, so widening the layer's type here is truthful.
  const full = layer as Layer.Layer<ROut | AllPorts, E>
  const f: Fixtures<ROut> = fixtures
  const register = (it: { readonly effect: Vitest.Tester<ROut | AllPorts> }) => registerTests(it, f)
  if (options?.excludeTestServices === true) {
    layerSuite(full, {
      excludeTestServices: true,
      ...(options.timeout === undefined ? {} : { timeout: options.timeout })
    })(name, register)
  } else {
    layerSuite(full, options?.timeout === undefined ? {} : { timeout: options.timeout })(name, register)
  }
}

const registerTests = <R>(it: { readonly effect: Vitest.Tester<R | AllPorts> }, f: Fixtures<R>): void => {
  const money = (amount: number) => Money.unsafeMake(amount, f.currency)
  const customerFor = (id: string): PaymentRequest.PaymentCustomer => ({
    id,
    ...(f.customer.email === undefined ? {} : { email: f.customer.email }),
    ...(f.customer.phone === undefined ? {} : { phone: f.customer.phone }),
    ...(f.customer.name === undefined ? {} : { name: f.customer.name })
  })
  const newCustomer = Effect.suspend(() => Customers.create({ ...f.customer, reference: unique("cust") }))
  const sale = (amount: number, method: PaymentMethod.PaymentMethod = f.card) => {
    const reference = unique("sale")
    return Payments.create({ reference, amount: money(amount), method, idempotencyKey: unique("key") })
  }
  const hold = (amount: number) =>
    AuthorizationPort.authorize({
      reference: unique("hold"),
      amount: money(amount),
      method: f.card,
      idempotencyKey: unique("key")
    })
  const capture = (payment: Payment, amount?: number) =>
    AuthorizationPort.capture({
      payment: payment.ref,
      ...(amount === undefined ? {} : { amount: money(amount) }),
      idempotencyKey: unique("key")
    })
  const refund = (payment: Payment, amount: number) =>
    Payments.refund({
      payment: payment.ref,
      amount: money(amount),
      reference: unique("rf"),
      idempotencyKey: unique("key")
    })
  /** A currency other than the fixtures' (both take two decimals, so the same minor units are valid in either). */
  const other: CurrencyCode = f.currency === "USD" ? "INR" : "USD"
  const moved = (payment: Payment) =>
    f.truth === undefined
      ? Effect.map(Payments.get(payment.ref), (p) => ({
          captured: p.ledger.captured.amount,
          refunded: p.ledger.refunded.amount
        }))
      : f.truth(payment)

  // --- payments ------------------------------------------------------------------------------

  it.effect("sale: a card payment is captured at once", () =>
    Effect.gen(function* () {
      const payments = yield* Payments.Payments
      const payment = yield* sale(10_000)
      assert.strictEqual(payment.status._tag, "Captured")
      assert.strictEqual(payment.captureMode, "automatic")
      assert.strictEqual(payment.ref.provider, payments.provider)
      assert.isTrue(Money.equals(payment.amount, money(10_000)))
      assert.strictEqual(payment.ledger.authorized.amount, 10_000)
      assert.strictEqual(payment.ledger.captured.amount, 10_000)
      assert.strictEqual(payment.ledger.refunded.amount, 0)
    })
  )

  it.effect(
    "processor details: a captured card payment carries an approval code and completion time, kept through capture, with nothing secret",
    () =>
      Effect.gen(function* () {
        const card = f.card._tag === "Card" ? f.card : undefined
        const number = card === undefined ? undefined : Redacted.value(PaymentMethod.normalizeNumber(card.number))
        const cvv = card?.cvv === undefined ? undefined : Redacted.value(card.cvv)
        const exposed = (payment: Payment): ReadonlyArray<string> => {
          const p = payment.processor
          return [p?.name, p?.approvalCode, p?.networkTransactionId, p?.transactionId, p?.retrievalReference]
            .concat([p?.responseCode, p?.responseMessage, p?.avs?.code, p?.avs?.raw, p?.cvv?.code, p?.cvv?.raw])
            .filter((value): value is string => value !== undefined)
        }
        const paid = yield* sale(10_000)
        assert.strictEqual(paid.status._tag, "Captured")
        assert.isString(paid.processor?.approvalCode, "a captured card payment has an approval code")
        assert.isDefined(paid.processor?.completedAt, "and the time the processor answered")
        const held = yield* hold(5_000)
        const approvalCode = held.processor?.approvalCode
        assert.isString(approvalCode, "an authorized card payment has an approval code")
        yield* capture(held)
        const captured = yield* Payments.get(held.ref)
        assert.strictEqual(captured.status._tag, "Captured")
        assert.strictEqual(captured.processor?.approvalCode, approvalCode, "capture keeps the authorization's approval")
        for (const payment of [paid, held, captured]) {
          for (const value of exposed(payment)) {
            if (number !== undefined) assert.notInclude(value, number, "no card number in processor details")
            if (cvv !== undefined) assert.notStrictEqual(value, cvv, "no security code as a processor detail")
          }
        }
      })
  )

  it.effect("hold → partial capture → second capture per provider rules → partial and full refund", () =>
    Effect.gen(function* () {
      const held = yield* hold(10_000)
      assert.strictEqual(held.status._tag, "Authorized")
      assert.strictEqual(held.captureMode, "manual")
      assert.strictEqual(held.ledger.authorized.amount, 10_000)
      assert.strictEqual(held.ledger.captured.amount, 0)

      const first = yield* capture(held, 4_000)
      assert.strictEqual(first.status._tag, "PartiallyCaptured")
      assert.strictEqual(first.ledger.captured.amount, 4_000)

      let captured = 4_000
      if (f.multipleCaptures) {
        const second = yield* capture(held, 3_000)
        assert.strictEqual(second.status._tag, "PartiallyCaptured")
        assert.strictEqual(second.ledger.captured.amount, 7_000)
        captured = 7_000
      } else {
        yield* failsWith(capture(held, 3_000), "InvalidState")
      }

      const partial = yield* refund(held, 1_000)
      assert.strictEqual(partial.amount.amount, 1_000)
      assert.notStrictEqual(partial.status._tag, "Failed")
      const rest = yield* refund(held, captured - 1_000)
      assert.strictEqual(rest.amount.amount, captured - 1_000)

      const after = yield* Payments.get(held.ref)
      assert.strictEqual(after.ledger.captured.amount, captured)
      assert.strictEqual(after.ledger.refunded.amount, captured)
      const refunds = yield* Payments.listRefunds(held.ref)
      assert.deepStrictEqual(
        refunds.map((r) => r.ref.refundId),
        [partial.ref.refundId, rest.ref.refundId]
      )
      const read = yield* Payments.getRefund(partial.ref)
      assert.strictEqual(read.ref.refundId, partial.ref.refundId)
      assert.strictEqual(read.amount.amount, 1_000)
      yield* failsWith(refund(held, 1), "InvalidState")
    })
  )

  it.effect("capture without an amount captures everything held", () =>
    Effect.gen(function* () {
      const held = yield* hold(2_500)
      const captured = yield* capture(held)
      assert.strictEqual(captured.status._tag, "Captured")
      assert.strictEqual(captured.ledger.captured.amount, 2_500)
    })
  )

  it.effect("void releases a hold; capture after void fails InvalidState", () =>
    Effect.gen(function* () {
      const held = yield* hold(5_000)
      const voided = yield* AuthorizationPort.void({ payment: held.ref, idempotencyKey: unique("key") })
      assert.strictEqual(voided.status._tag, "Voided")
      assert.strictEqual(voided.ledger.captured.amount, 0)
      yield* failsWith(capture(held, 1_000), "InvalidState")
      yield* failsWith(refund(held, 1_000), "InvalidState")
      assert.strictEqual((yield* Payments.get(held.ref)).status._tag, "Voided")
    })
  )

  it.effect("void after a capture fails InvalidState", () =>
    Effect.gen(function* () {
      const held = yield* hold(5_000)
      yield* capture(held)
      yield* failsWith(AuthorizationPort.void({ payment: held.ref, idempotencyKey: unique("key") }), "InvalidState")
    })
  )

  it.effect("over-capture and over-refund fail InvalidState and change nothing", () =>
    Effect.gen(function* () {
      const held = yield* hold(5_000)
      yield* failsWith(capture(held, 5_001), "InvalidState")
      const paid = yield* sale(5_000)
      yield* failsWith(refund(paid, 5_001), "InvalidState")
      assert.strictEqual((yield* Payments.get(paid.ref)).ledger.refunded.amount, 0)
      assert.strictEqual((yield* Payments.get(held.ref)).ledger.captured.amount, 0)
    })
  )

  it.effect("a capture or refund in another currency fails ValidationError before any money moves", () =>
    Effect.gen(function* () {
      const held = yield* hold(5_000)
      const capture = yield* failsWith(
        AuthorizationPort.capture({
          payment: held.ref,
          amount: Money.unsafeMake(4_000, other),
          idempotencyKey: unique("key")
        }),
        "ValidationError"
      )
      if (capture._tag === "Left" && capture.left._tag === "ValidationError") {
        assert.strictEqual(capture.left.field, "amount.currency")
      }
      assert.deepStrictEqual(yield* moved(held), { captured: 0, refunded: 0 })
      assert.strictEqual((yield* Payments.get(held.ref)).status._tag, "Authorized")

      const paid = yield* sale(5_000)
      yield* failsWith(
        Payments.refund({
          payment: paid.ref,
          amount: Money.unsafeMake(3_000, other),
          reference: unique("rf"),
          idempotencyKey: unique("key")
        }),
        "ValidationError"
      )
      assert.deepStrictEqual(yield* moved(paid), { captured: 5_000, refunded: 0 })
      assert.deepStrictEqual(yield* Payments.listRefunds(paid.ref), [])
    })
  )

  if (f.unsupportedCurrency !== undefined) {
    const currency = f.unsupportedCurrency
    it.effect(`a sale or hold in ${currency}, which the provider does not take, fails UnsupportedCurrency`, () =>
      Effect.gen(function* () {
        const payments = yield* Payments.Payments
        const authorization = yield* AuthorizationPort.Authorization
        assert.isTrue(payments.currencies?.includes(f.currency), `the provider declares ${f.currency}`)
        assert.isFalse(payments.currencies?.includes(currency) ?? true, `the provider declares ${currency}`)
        assert.deepStrictEqual(authorization.currencies, payments.currencies)
        const amount = Money.unsafeMake(10 ** Currency.exponent(currency) * 10, currency)
        const reference = unique("cur")
        const result = yield* failsWith(
          Payments.create({ reference, amount, method: f.card, idempotencyKey: unique("key") }),
          "UnsupportedCurrency"
        )
        if (result._tag === "Left" && result.left._tag === "UnsupportedCurrency") {
          assert.strictEqual(result.left.currency, currency)
        }
        yield* failsWith(
          AuthorizationPort.authorize({ reference, amount, method: f.card, idempotencyKey: unique("key") }),
          "UnsupportedCurrency"
        )
        assert.deepStrictEqual(yield* Payments.list(reference), [])
      })
    )
  }

  for (const decline of f.declines) {
    it.effect(`decline: ${decline.name} → ${decline.code}`, () =>
      Effect.gen(function* () {
        const result = yield* Effect.either(sale(10_000, decline.method))
        if (result._tag === "Left") {
          const error = result.left
          assert.strictEqual(error._tag, "PaymentDeclined")
          if (error._tag === "PaymentDeclined") {
            assert.strictEqual(error.code, decline.code)
            assert.strictEqual(error.decline.hard, error.hard)
          }
          return
        }
        // The decline rule: a decline known in the create's answer is `PaymentDeclined`; only a
        // payment still waiting on the payer may fail later, seen as `Failed` through `get`.
        let payment = result.right
        assert.strictEqual(
          payment.status._tag,
          "RequiresAction",
          "a decline in the create's answer must fail with PaymentDeclined, not return a payment"
        )
        if (payment.status._tag === "RequiresAction") {
          yield* f.completeAction(payment)
          payment = yield* Payments.get(payment.ref)
        }
        assert.strictEqual(payment.status._tag, "Failed")
        if (payment.status._tag === "Failed") assert.strictEqual(payment.status.decline.code, decline.code)
        assert.strictEqual(payment.ledger.captured.amount, 0)
      })
    )
  }

  const firstDecline = f.declines[0]
  if (firstDecline !== undefined) {
    it.effect(`decline rule on a hold: ${firstDecline.name} is PaymentDeclined or waits for the payer`, () =>
      Effect.gen(function* () {
        const result = yield* Effect.either(
          AuthorizationPort.authorize({
            reference: unique("hold"),
            amount: money(10_000),
            method: firstDecline.method,
            idempotencyKey: unique("key")
          })
        )
        if (result._tag === "Left") {
          assert.strictEqual(result.left._tag, "PaymentDeclined")
          if (result.left._tag === "PaymentDeclined") assert.strictEqual(result.left.code, firstDecline.code)
          return
        }
        assert.strictEqual(result.right.status._tag, "RequiresAction")
        yield* f.completeAction(result.right)
        const after = yield* Payments.get(result.right.ref)
        assert.strictEqual(after.status._tag, "Failed")
        if (after.status._tag === "Failed") assert.strictEqual(after.status.decline.code, firstDecline.code)
      })
    )
  }

  for (const action of f.actions) {
    it.effect(`action: ${action.name} waits in RequiresAction(${action.action}) until completed`, () =>
      Effect.gen(function* () {
        const payment = yield* sale(10_000, action.method)
        assert.strictEqual(payment.status._tag, "RequiresAction")
        if (payment.status._tag === "RequiresAction") assert.strictEqual(payment.status.action._tag, action.action)
        assert.strictEqual(payment.ledger.captured.amount, 0)
        yield* failsWith(refund(payment, 100), "InvalidState")
        yield* f.completeAction(payment)
        const done = yield* Payments.get(payment.ref)
        assert.strictEqual(done.status._tag, "Captured")
        assert.strictEqual(done.ledger.captured.amount, 10_000)
      })
    )
  }

  it.effect("get and list by reference return the payment as created", () =>
    Effect.gen(function* () {
      const reference = unique("ref")
      const created = yield* Payments.create({ reference, amount: money(1_234), method: f.card })
      const read = yield* Payments.get(created.ref)
      assert.strictEqual(read.ref.paymentId, created.ref.paymentId)
      assert.strictEqual(read.reference, reference)
      assert.strictEqual(read.status._tag, created.status._tag)
      assert.strictEqual(read.amount.amount, 1_234)
      const listed = yield* Payments.list(reference)
      assert.deepStrictEqual(
        listed.map((p) => p.ref.paymentId),
        [created.ref.paymentId]
      )
      assert.deepStrictEqual(yield* Payments.list(unique("none")), [])
    })
  )

  it.effect("get of an unknown payment fails NotFound", () =>
    Effect.gen(function* () {
      const payments = yield* Payments.Payments
      const ref = PaymentRef.make({
        provider: payments.provider,
        paymentId: PaymentId.make(unique("nope")),
        orderId: unique("nope")
      })
      yield* failsWith(Payments.get(ref), "NotFound")
    })
  )

  // --- idempotency ---------------------------------------------------------------------------

  it.effect("same idempotency key twice: same result and exactly one charge", () =>
    Effect.gen(function* () {
      const input = { reference: unique("idem"), amount: money(7_700), method: f.card, idempotencyKey: unique("key") }
      const first = yield* Payments.create(input)
      const second = yield* Payments.create(input)
      assert.strictEqual(second.ref.paymentId, first.ref.paymentId)
      assert.strictEqual(second.status._tag, first.status._tag)
      assert.strictEqual(second.ledger.captured.amount, first.ledger.captured.amount)
      assert.strictEqual((yield* Payments.list(input.reference)).length, 1)

      const held = yield* hold(6_000)
      const captureInput = { payment: held.ref, amount: money(2_000), idempotencyKey: unique("key") }
      yield* AuthorizationPort.capture(captureInput)
      const again = yield* AuthorizationPort.capture(captureInput)
      assert.strictEqual(again.ledger.captured.amount, 2_000)
      assert.strictEqual((yield* Payments.get(held.ref)).ledger.captured.amount, 2_000)

      const refundInput = { payment: first.ref, amount: money(700), idempotencyKey: unique("key") }
      const r1 = yield* Payments.refund(refundInput)
      const r2 = yield* Payments.refund(refundInput)
      assert.strictEqual(r2.ref.refundId, r1.ref.refundId)
      assert.strictEqual((yield* Payments.listRefunds(first.ref)).length, 1)
    })
  )

  it.effect("same idempotency key with a different request fails IdempotencyConflict", () =>
    Effect.gen(function* () {
      const key = unique("key")
      const reference = unique("idem")
      yield* Payments.create({ reference, amount: money(1_000), method: f.card, idempotencyKey: key })
      yield* failsWith(
        Payments.create({ reference, amount: money(2_000), method: f.card, idempotencyKey: key }),
        "IdempotencyConflict"
      )
      assert.strictEqual((yield* Payments.list(reference)).length, 1)
    })
  )

  // --- customers and vault -------------------------------------------------------------------

  if (f.customerRead === false) {
    it.effect("customers: create; get fails UnsupportedMethod (the provider cannot read customers back)", () =>
      Effect.gen(function* () {
        const customer = yield* newCustomer
        assert.isAbove(customer.id.length, 0)
        yield* failsWith(Customers.get(customer.id), "UnsupportedMethod")
      })
    )
  } else {
    it.effect("customers: create then get; unknown id fails NotFound", () =>
      Effect.gen(function* () {
        const customer = yield* newCustomer
        const read = yield* Customers.get(customer.id)
        assert.strictEqual(read.id, customer.id)
        if (f.customer.email !== undefined) assert.strictEqual(read.email, f.customer.email)
        yield* failsWith(Customers.get(unique("cus-none")), "NotFound")
      })
    )
  }

  const savedInstrument = Effect.gen(function* () {
    const customer = yield* newCustomer
    const payment = yield* Payments.create({
      reference: unique("save"),
      amount: money(1_000),
      method: f.card,
      customer: customerFor(customer.id),
      saveInstrument: true,
      idempotencyKey: unique("key")
    })
    assert.strictEqual(payment.status._tag, "Captured")
    const instrumentId = payment.savedInstrumentId
    assert.isDefined(instrumentId, "the payment saved no instrument")
    return { customerId: customer.id, instrumentId: instrumentId ?? "" }
  })

  it.effect("vault: save via payment, list, get, pay with it, delete, get after delete fails NotFound", () =>
    Effect.gen(function* () {
      const key = yield* savedInstrument
      const page = yield* Vault.list({ customerId: key.customerId })
      assert.deepStrictEqual(
        page.items.map((i) => i.id),
        [key.instrumentId]
      )
      const instrument = yield* Vault.get(key)
      assert.strictEqual(instrument.id, key.instrumentId)
      assert.strictEqual(instrument.customerId, key.customerId)
      assert.strictEqual(instrument.status, "Active")
      if (f.card._tag === "Card") {
        const digits = Redacted.value(PaymentMethod.normalizeNumber(f.card.number))
        assert.isFalse(instrument.display.includes(digits), "the instrument shows the full card number")
        assert.isTrue(instrument.display.endsWith(digits.slice(-4)))
      }
      const again = yield* Payments.create({
        reference: unique("saved"),
        amount: money(500),
        method: PaymentMethod.savedCard(key.instrumentId, "123"),
        customer: customerFor(key.customerId),
        idempotencyKey: unique("key")
      })
      assert.strictEqual(again.status._tag, "Captured")
      yield* Vault.delete(key)
      yield* failsWith(Vault.get(key), "NotFound")
      assert.deepStrictEqual((yield* Vault.list({ customerId: key.customerId })).items, [])
    })
  )

  if (f.cryptograms !== undefined) {
    it.effect("cryptograms: fetch for a saved card; token PAN and cryptogram stay redacted", () =>
      Effect.gen(function* () {
        const key = yield* savedInstrument
        const cryptogram = yield* Cryptograms.fetch(key)
        assert.strictEqual(cryptogram.instrumentId, key.instrumentId)
        const tokenPan = Redacted.value(cryptogram.tokenPan)
        assert.isTrue(PaymentMethod.luhn(tokenPan), "the token PAN is not a card number")
        assert.isFalse(String(cryptogram.tokenPan).includes(tokenPan))
        assert.isTrue(Redacted.value(cryptogram.cryptogram).length > 0)
        assert.isFalse(String(cryptogram.cryptogram).includes(Redacted.value(cryptogram.cryptogram)))
        yield* Vault.delete(key)
        yield* failsWith(Cryptograms.fetch(key), "NotFound")
      })
    )
  }

  registerOwnership(it, {
    money,
    customerFor,
    savedInstrument,
    newCustomer,
    cryptograms: f.cryptograms !== undefined,
    enrollment: f.vaultEnrollment !== undefined
  })

  const enrollment = f.vaultEnrollment
  const declining = f.declines.find((d) => d.method._tag === "Card")
  if (enrollment !== undefined && declining !== undefined && declining.method._tag === "Card") {
    const card = declining.method
    it.effect("enrollment verifies the card: one the issuer declines fails PaymentDeclined and is not saved", () =>
      Effect.gen(function* () {
        const customer = yield* newCustomer
        const refused = yield* failsWith(
          VaultEnrollment.create({ customerId: customer.id, card, idempotencyKey: unique("key") }),
          "PaymentDeclined"
        )
        if (refused._tag === "Left" && refused.left._tag === "PaymentDeclined") {
          assert.strictEqual(refused.left.code, declining.code)
        }
        assert.deepStrictEqual((yield* Vault.list({ customerId: customer.id })).items, [])
        const saved = yield* VaultEnrollment.create({
          customerId: customer.id,
          card: enrollment.card,
          idempotencyKey: unique("key")
        })
        assert.strictEqual(saved.status, "Active")
      })
    )
  }
  if (enrollment !== undefined) {
    it.effect("enrollment: create, update, stale ETag fails PreconditionFailed, set default", () =>
      Effect.gen(function* () {
        const customer = yield* newCustomer
        const created = yield* VaultEnrollment.create({
          customerId: customer.id,
          card: enrollment.card,
          idempotencyKey: unique("key")
        })
        assert.strictEqual(created.customerId, customer.id)
        assert.strictEqual((yield* Vault.get({ customerId: customer.id, instrumentId: created.id })).id, created.id)
        const key = { customerId: customer.id, instrumentId: created.id }
        const etag = created.etag ?? ""
        if (enrollment.etags) assert.isDefined(created.etag)
        const updated = yield* VaultEnrollment.update({ ...key, etag, holder: "Renamed Holder" })
        assert.strictEqual(updated.holder, "Renamed Holder")
        if (enrollment.etags) {
          assert.notStrictEqual(updated.etag, created.etag)
          yield* failsWith(VaultEnrollment.update({ ...key, etag, holder: "Stale Writer" }), "PreconditionFailed")
          assert.strictEqual((yield* Vault.get(key)).holder, "Renamed Holder")
        }
        const second = yield* VaultEnrollment.create({
          customerId: customer.id,
          card: enrollment.card,
          idempotencyKey: unique("key")
        })
        const madeDefault = yield* VaultEnrollment.setDefault({ customerId: customer.id, instrumentId: second.id })
        assert.isTrue(madeDefault.isDefault)
        assert.isFalse((yield* Vault.get(key)).isDefault)
      })
    )
  }

  const otp = f.otp
  if (otp !== undefined) {
    it.effect("OTP: the payment waits for an OTP; resend keeps it waiting; the right OTP completes it", () =>
      Effect.gen(function* () {
        const payment = yield* sale(3_000, otp.card)
        assert.strictEqual(payment.status._tag, "RequiresAction")
        if (payment.status._tag === "RequiresAction") assert.strictEqual(payment.status.action._tag, "Otp")
        const resent = yield* OtpAuthentication.resend(payment.ref)
        assert.strictEqual(resent.status._tag, "RequiresAction")
        const done = yield* OtpAuthentication.submit({ payment: payment.ref, otp: otp.otp })
        assert.strictEqual(done.status._tag, "Captured")
        assert.strictEqual(done.ledger.captured.amount, 3_000)
      })
    )
    it.effect("OTP: a wrong OTP is declined with authentication_failed", () =>
      Effect.gen(function* () {
        const payment = yield* sale(3_000, otp.card)
        const result = yield* failsWith(
          OtpAuthentication.submit({ payment: payment.ref, otp: otp.wrongOtp }),
          "PaymentDeclined"
        )
        if (result._tag === "Left" && result.left._tag === "PaymentDeclined") {
          assert.strictEqual(result.left.code, "authentication_failed")
        }
        assert.strictEqual((yield* Payments.get(payment.ref)).ledger.captured.amount, 0)
      })
    )
  }

  if (f.threeDs !== undefined) registerThreeDs(it, f.threeDs, { money, moved })
  const ctx = { it, f, unique, money, customerFor, newCustomer }
  registerLists(ctx)
  registerInitiator(ctx)
  registerOptions(ctx)

  // --- webhooks ------------------------------------------------------------------------------

  it.effect("webhooks: a genuine event verifies; tampered body, wrong secret and stale timestamp are rejected", () =>
    Effect.gen(function* () {
      const payment = yield* sale(2_000)
      const genuine = yield* f.webhooks.genuine(payment)
      const event = yield* Webhooks.verify(genuine)
      assert.strictEqual(event._tag, "PaymentUpdated")
      if (event._tag === "PaymentUpdated") assert.strictEqual(event.payment.ref.paymentId, payment.ref.paymentId)
      yield* failsWith(Webhooks.verify((f.webhooks.tamper ?? defaultTamper)(genuine)), "SignatureInvalid")
      yield* failsWith(Webhooks.verify(yield* f.webhooks.wrongSecret(payment)), "SignatureInvalid")
      yield* failsWith(Webhooks.verify(yield* f.webhooks.stale(payment)), "TimestampOutOfTolerance")
    })
  )
}
