/**
 * Model-based property tests: random sequences of create / authorize / complete-action /
 * complete-again / capture / void / refund / replay / sync / webhook-delivery run against a provider layer and checked
 * against a small model and core's `StateMachine`:
 *
 * - every observed ledger keeps `authorized ≥ captured ≥ refunded ≥ 0`;
 * - statuses only move along allowed transitions, and terminal statuses absorb;
 * - each operation succeeds or fails (`InvalidState`) exactly when the model says it should, and
 *   a sync shows exactly the model's status and ledger;
 * - the same idempotency key and request return the original result and charge once;
 * - re-delivered and out-of-order webhooks, merged with `StateMachine.mergePayment`, never move a
 *   consumer's view of a payment backwards.
 *
 * The command set is exported so adapters can run the same property against their emulators by
 * supplying a `Harness`. Each property run builds a fresh layer, so runs never share state.
 *
 * @since 0.1.0
 */
import * as Authorization from "@payport/core/Authorization"
import type { CurrencyCode } from "@payport/core/Currency"
import type { PaymentRef } from "@payport/core/Ids"
import * as Ledger from "@payport/core/Ledger"
import * as Money from "@payport/core/Money"
import type { Payment, StatusTag } from "@payport/core/Payment"
import type { PaymentMethod } from "@payport/core/PaymentMethod"
import type { CreatePaymentInput } from "@payport/core/PaymentRequest"
import * as Payments from "@payport/core/Payments"
import type { CommonPorts } from "@payport/core/Provider"
import * as StateMachine from "@payport/core/StateMachine"
import * as Webhooks from "@payport/core/Webhooks"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as FastCheck from "effect/FastCheck"
import type * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"

// ---------------------------------------------------------------------------------------------
// Harness, model and real system
// ---------------------------------------------------------------------------------------------

/**
 * What the property needs from a provider. `R` is whatever extra the harness's effects need from
 * the layer (e.g. the in-memory `Simulator`, or an emulator's control client).
 *
 * @since 0.1.0
 * @category models
 */
export interface Harness<R> {
  /** A fresh provider per property run. */
  readonly layer: () => Layer.Layer<CommonPorts | R, unknown>
  /** A method that succeeds at once, without action. */
  readonly card: PaymentMethod
  readonly currency?: CurrencyCode
  /** Whether a hold may be captured in several parts. */
  readonly multipleCaptures: boolean
  /** A method whose payment waits in `RequiresAction` and succeeds when completed. */
  readonly actionMethod?: PaymentMethod
  readonly completeAction?: (payment: Payment) => Effect.Effect<void, unknown, CommonPorts | R>
  /**
   * Completes an action that was already completed, as a retried or doubled return from the payer
   * would (e.g. `ThreeDsAuthentication.complete` again): it must answer the payment unchanged.
   */
  readonly completeAgain?: (payment: Payment) => Effect.Effect<Payment, unknown, CommonPorts | R>
  /** A genuinely signed `PaymentUpdated` webhook request carrying this snapshot of a payment. */
  readonly signPayment: (payment: Payment) => Effect.Effect<Webhooks.RequestInput, unknown, CommonPorts | R>
}

/**
 * The model of one payment: what the provider must show.
 *
 * @since 0.1.0
 * @category models
 */
export interface PaymentModel {
  readonly kind: "sale" | "hold"
  readonly amount: number
  /** Whether the payment waited for an action. */
  readonly action?: boolean
  status: StatusTag
  authorized: number
  captured: number
  refunded: number
}

/**
 * The model: the payments created so far, by creation order.
 *
 * @since 0.1.0
 * @category models
 */
export interface State {
  readonly payments: Array<PaymentModel>
}

/**
 * What the real side tracks per payment: the request that created it, every snapshot observed,
 * the latest truth, and a consumer's merged view.
 *
 * @since 0.1.0
 * @category models
 */
export interface Tracked {
  readonly input: CreatePaymentInput
  readonly kind: "sale" | "hold"
  readonly ref: PaymentRef
  readonly snapshots: Array<Payment>
  last: Payment
  view: Payment
}

/**
 * The system under test for one property run.
 *
 * @since 0.1.0
 * @category models
 */
export interface Real<R> {
  readonly harness: Harness<R>
  readonly run: <A, E>(effect: Effect.Effect<A, E, CommonPorts | R>) => Promise<A>
  readonly payments: Array<Tracked>
}

/**
 * One command of the property.
 *
 * @since 0.1.0
 * @category models
 */
export type Command<R> = FastCheck.AsyncCommand<State, Real<R>>

// ---------------------------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------------------------

const token = globalThis.crypto.randomUUID().replace(/-/g, "").slice(0, 8)
let counter = 0
const unique = (label: string) => `${label}-${token}-${++counter}`

const fail = (message: string): never => {
  throw new Error(message)
}

const ensure = (condition: boolean, message: string): void => {
  if (!condition) fail(message)
}

const describe = (p: Payment) =>
  `${p.status._tag} ${p.ledger.authorized.amount}/${p.ledger.captured.amount}/${p.ledger.refunded.amount}`

/** Records a fresh observation of the provider's truth and checks it against the previous one. */
const observe = (tracked: Tracked, payment: Payment): void => {
  ensure(payment.ref.paymentId === tracked.ref.paymentId, "a different payment came back")
  ensure(Ledger.isValid(payment.ledger), `ledger invariant broken: ${describe(payment)}`)
  const from = tracked.last.status._tag
  const to = payment.status._tag
  ensure(!StateMachine.isTerminal(from) || from === to, `terminal ${from} did not absorb: became ${to}`)
  ensure(StateMachine.canTransition(from, to), `illegal transition ${from} → ${to}`)
  for (const part of ["authorized", "captured", "refunded"] as const) {
    ensure(payment.ledger[part].amount >= tracked.last.ledger[part].amount, `${part} went backwards`)
  }
  tracked.snapshots.push(payment)
  tracked.last = payment
  const merged = StateMachine.mergePayment(tracked.view, payment)
  ensure(
    merged.status._tag === to,
    `merging the newest truth (${to}) into the view (${tracked.view.status._tag}) did not advance it`
  )
  tracked.view = merged
}

const agrees = (model: PaymentModel, payment: Payment): void =>
  ensure(
    payment.status._tag === model.status &&
      payment.ledger.authorized.amount === model.authorized &&
      payment.ledger.captured.amount === model.captured &&
      payment.ledger.refunded.amount === model.refunded,
    `provider shows ${describe(payment)}, model expects ${model.status} ${model.authorized}/${model.captured}/${model.refunded}`
  )

/** Runs an effect the model says must fail with `tag`, or must succeed. */
const expectOutcome = async <A, R>(
  real: Real<R>,
  effect: Effect.Effect<A, { readonly _tag: string }, CommonPorts | R>,
  allowed: boolean,
  what: string
): Promise<A | undefined> => {
  const result = await real.run(Effect.either(effect))
  if (allowed) {
    if (Either.isLeft(result)) return fail(`${what} should succeed but failed with ${result.left._tag}`)
    return result.right
  }
  if (Either.isRight(result)) return fail(`${what} should fail InvalidState but succeeded`)
  ensure(result.left._tag === "InvalidState", `${what} failed with ${result.left._tag}, expected InvalidState`)
  return undefined
}

const slot = <R>(model: Readonly<State>, real: Real<R> | undefined, index: number) => {
  const i = index % model.payments.length
  const m = model.payments[i]
  const t = real?.payments[i]
  return { m, t }
}

const succeeded = (m: PaymentModel) => {
  m.authorized = m.amount
  if (m.kind === "sale") {
    m.captured = m.amount
    m.status = "Captured"
  } else {
    m.status = "Authorized"
  }
}

// ---------------------------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------------------------

class Create<R> implements Command<R> {
  constructor(
    readonly kind: "sale" | "hold",
    readonly amount: number,
    readonly withAction: boolean
  ) {}
  check(): boolean {
    return true
  }
  async run(model: State, real: Real<R>): Promise<void> {
    const h = real.harness
    const withAction = this.withAction && h.actionMethod !== undefined && h.completeAction !== undefined
    const input: CreatePaymentInput = {
      reference: unique("mdl"),
      amount: Money.unsafeMake(this.amount, h.currency ?? "INR"),
      method: withAction && h.actionMethod !== undefined ? h.actionMethod : h.card,
      idempotencyKey: unique("key")
    }
    const payment = await real.run(this.kind === "sale" ? Payments.create(input) : Authorization.authorize(input))
    const m: PaymentModel = {
      kind: this.kind,
      amount: this.amount,
      action: withAction,
      status: "RequiresAction",
      authorized: 0,
      captured: 0,
      refunded: 0
    }
    if (!withAction) succeeded(m)
    ensure(Ledger.isValid(payment.ledger), `ledger invariant broken: ${describe(payment)}`)
    agrees(m, payment)
    model.payments.push(m)
    real.payments.push({ input, kind: this.kind, ref: payment.ref, snapshots: [payment], last: payment, view: payment })
  }
  toString(): string {
    return `${this.kind}(${this.amount}${this.withAction ? ", action" : ""})`
  }
}

class Complete<R> implements Command<R> {
  constructor(readonly index: number) {}
  check(model: Readonly<State>): boolean {
    return model.payments.length > 0 && slot(model, undefined, this.index).m?.status === "RequiresAction"
  }
  async run(model: State, real: Real<R>): Promise<void> {
    const { m, t } = slot(model, real, this.index)
    const complete = real.harness.completeAction
    if (m === undefined || t === undefined || complete === undefined) return fail("no payment to complete")
    await real.run(complete(t.last))
    const payment = await real.run(Payments.get(t.ref))
    succeeded(m)
    observe(t, payment)
    agrees(m, payment)
  }
  toString(): string {
    return `complete(#${this.index})`
  }
}

class CompleteAgain<R> implements Command<R> {
  constructor(readonly index: number) {}
  check(model: Readonly<State>): boolean {
    if (model.payments.length === 0) return false
    const { m } = slot(model, undefined, this.index)
    return m?.action === true && m.status !== "RequiresAction"
  }
  async run(model: State, real: Real<R>): Promise<void> {
    const { m, t } = slot(model, real, this.index)
    const again = real.harness.completeAgain
    if (m === undefined || t === undefined || again === undefined) return fail("no completed payment")
    const payment = await real.run(again(t.last))
    observe(t, payment)
    agrees(m, payment)
    agrees(m, await real.run(Payments.get(t.ref)))
  }
  toString(): string {
    return `completeAgain(#${this.index})`
  }
}

class Capture<R> implements Command<R> {
  constructor(
    readonly index: number,
    readonly amount: number | undefined
  ) {}
  check(model: Readonly<State>): boolean {
    return model.payments.length > 0
  }
  async run(model: State, real: Real<R>): Promise<void> {
    const { m, t } = slot(model, real, this.index)
    if (m === undefined || t === undefined) return fail("no payment")
    const capturable = m.authorized - m.captured
    const amount = this.amount ?? capturable
    const allowed =
      (m.status === "Authorized" || (m.status === "PartiallyCaptured" && real.harness.multipleCaptures)) &&
      amount > 0 &&
      amount <= capturable
    const payment = await expectOutcome(
      real,
      Authorization.capture({
        payment: t.ref,
        ...(this.amount === undefined ? {} : { amount: Money.unsafeMake(this.amount, t.input.amount.currency) }),
        idempotencyKey: unique("key")
      }),
      allowed,
      this.toString()
    )
    if (payment === undefined) return
    m.captured += amount
    m.status = m.captured === m.authorized ? "Captured" : "PartiallyCaptured"
    observe(t, payment)
    agrees(m, payment)
  }
  toString(): string {
    return `capture(#${this.index}, ${this.amount ?? "rest"})`
  }
}

class Void<R> implements Command<R> {
  constructor(readonly index: number) {}
  check(model: Readonly<State>): boolean {
    return model.payments.length > 0
  }
  async run(model: State, real: Real<R>): Promise<void> {
    const { m, t } = slot(model, real, this.index)
    if (m === undefined || t === undefined) return fail("no payment")
    const payment = await expectOutcome(
      real,
      Authorization.void({ payment: t.ref, idempotencyKey: unique("key") }),
      m.status === "Authorized",
      this.toString()
    )
    if (payment === undefined) return
    m.status = "Voided"
    observe(t, payment)
    agrees(m, payment)
  }
  toString(): string {
    return `void(#${this.index})`
  }
}

class Refund<R> implements Command<R> {
  constructor(
    readonly index: number,
    readonly amount: number
  ) {}
  check(model: Readonly<State>): boolean {
    return model.payments.length > 0
  }
  async run(model: State, real: Real<R>): Promise<void> {
    const { m, t } = slot(model, real, this.index)
    if (m === undefined || t === undefined) return fail("no payment")
    const refund = await expectOutcome(
      real,
      Payments.refund({
        payment: t.ref,
        amount: Money.unsafeMake(this.amount, t.input.amount.currency),
        idempotencyKey: unique("key")
      }),
      this.amount <= m.captured - m.refunded,
      this.toString()
    )
    if (refund === undefined) return
    ensure(refund.amount.amount === this.amount, "the refund has a different amount")
    m.refunded += this.amount
    const payment = await real.run(Payments.get(t.ref))
    observe(t, payment)
    agrees(m, payment)
  }
  toString(): string {
    return `refund(#${this.index}, ${this.amount})`
  }
}

class Replay<R> implements Command<R> {
  constructor(readonly index: number) {}
  check(model: Readonly<State>): boolean {
    return model.payments.length > 0
  }
  async run(model: State, real: Real<R>): Promise<void> {
    const { t } = slot(model, real, this.index)
    if (t === undefined) return fail("no payment")
    const replayed = await real.run(t.kind === "sale" ? Payments.create(t.input) : Authorization.authorize(t.input))
    ensure(replayed.ref.paymentId === t.ref.paymentId, "a replay created a different payment")
    const first = t.snapshots[0]
    ensure(first !== undefined && replayed.status._tag === first.status._tag, "a replay returned a different result")
    const attempts = await real.run(Payments.list(t.input.reference))
    ensure(attempts.length === 1, `a replay charged again: ${attempts.length} payments for one reference`)
    // The replayed result is the original response, possibly stale: merging it must not regress the view.
    const merged = StateMachine.mergePayment(t.view, replayed)
    ensure(merged.status._tag === t.view.status._tag, `a stale replay moved the view to ${merged.status._tag}`)
  }
  toString(): string {
    return `replay(#${this.index})`
  }
}

class Sync<R> implements Command<R> {
  constructor(readonly index: number) {}
  check(model: Readonly<State>): boolean {
    return model.payments.length > 0
  }
  async run(model: State, real: Real<R>): Promise<void> {
    const { m, t } = slot(model, real, this.index)
    if (m === undefined || t === undefined) return fail("no payment")
    const payment = await real.run(Payments.get(t.ref))
    observe(t, payment)
    agrees(m, payment)
  }
  toString(): string {
    return `sync(#${this.index})`
  }
}

class DeliverWebhook<R> implements Command<R> {
  constructor(
    readonly index: number,
    readonly snapshot: number
  ) {}
  check(model: Readonly<State>): boolean {
    return model.payments.length > 0
  }
  async run(model: State, real: Real<R>): Promise<void> {
    const { t } = slot(model, real, this.index)
    if (t === undefined) return fail("no payment")
    // Any earlier snapshot: a duplicate of the latest, or an out-of-order older one.
    const snapshot = t.snapshots[this.snapshot % t.snapshots.length]
    if (snapshot === undefined) return fail("no snapshot")
    const event = await real.run(Effect.flatMap(real.harness.signPayment(snapshot), Webhooks.verify))
    if (event._tag !== "PaymentUpdated") return fail(`expected PaymentUpdated, got ${event._tag}`)
    ensure(event.payment.ref.paymentId === t.ref.paymentId, "the webhook is for a different payment")
    const before = t.view
    const merged = StateMachine.mergePayment(before, event.payment)
    // Every snapshot was already merged into the view, so re-delivering one must change nothing.
    ensure(
      merged.status._tag === before.status._tag,
      `webhook (${event.payment.status._tag}) regressed the view from ${before.status._tag} to ${merged.status._tag}`
    )
    for (const part of ["authorized", "captured", "refunded"] as const) {
      ensure(merged.ledger[part].amount === before.ledger[part].amount, `webhook moved ${part}`)
    }
    t.view = merged
  }
  toString(): string {
    return `webhook(#${this.index}, snapshot ${this.snapshot})`
  }
}

// ---------------------------------------------------------------------------------------------
// Property
// ---------------------------------------------------------------------------------------------

/**
 * The command arbitraries. Amounts are small integers of minor units, so over-captures and
 * over-refunds are generated as often as valid ones.
 *
 * @since 0.1.0
 * @category commands
 */
export const commands = <R>(harness: Harness<R>): Array<FastCheck.Arbitrary<Command<R>>> => {
  const index = FastCheck.nat({ max: 7 })
  const amount = FastCheck.integer({ min: 100, max: 10_000 })
  const part = FastCheck.integer({ min: 1, max: 6_000 })
  const withAction = harness.actionMethod !== undefined && harness.completeAction !== undefined
  return [
    FastCheck.tuple(FastCheck.constantFrom("sale" as const, "hold" as const), amount, FastCheck.boolean()).map(
      ([kind, a, action]) => new Create<R>(kind, a, action && withAction)
    ),
    index.map((i) => new Complete<R>(i)),
    ...(harness.completeAgain === undefined ? [] : [index.map((i) => new CompleteAgain<R>(i))]),
    FastCheck.tuple(index, FastCheck.option(part, { nil: undefined })).map(([i, a]) => new Capture<R>(i, a)),
    index.map((i) => new Void<R>(i)),
    FastCheck.tuple(index, part).map(([i, a]) => new Refund<R>(i, a)),
    index.map((i) => new Replay<R>(i)),
    index.map((i) => new Sync<R>(i)),
    FastCheck.tuple(index, FastCheck.nat({ max: 7 })).map(([i, k]) => new DeliverWebhook<R>(i, k))
  ]
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Property runs (default 200). */
  readonly numRuns?: number
  /** Most commands per run (default 12). */
  readonly maxCommands?: number
  readonly seed?: number
}

/**
 * Runs one command sequence against a fresh provider.
 *
 * @since 0.1.0
 * @category property
 */
export const runCommands = async <R>(harness: Harness<R>, cmds: Iterable<Command<R>>): Promise<void> => {
  const runtime = ManagedRuntime.make(harness.layer())
  try {
    await FastCheck.asyncModelRun(
      () => ({
        model: { payments: [] },
        real: { harness, run: (effect) => runtime.runPromise(effect), payments: [] }
      }),
      cmds
    )
  } finally {
    await runtime.dispose()
  }
}

/**
 * The property, for callers who want to pass it to `FastCheck.assert` themselves.
 *
 * @since 0.1.0
 * @category property
 */
export const property = <R>(harness: Harness<R>, options?: Options) =>
  FastCheck.asyncProperty(FastCheck.commands(commands(harness), { maxCommands: options?.maxCommands ?? 12 }), (cmds) =>
    runCommands(harness, cmds)
  )

/**
 * Checks the property: resolves when every run passes, rejects with fast-check's shrunk
 * counterexample otherwise.
 *
 * @since 0.1.0
 * @category property
 */
export const check = <R>(harness: Harness<R>, options?: Options): Promise<void> =>
  FastCheck.assert(property(harness, options), {
    numRuns: options?.numRuns ?? 200,
    ...(options?.seed === undefined ? {} : { seed: options.seed })
  })
