/**
 * The in-memory provider: every port in `@payport/core`, built through core's `make` so input
 * validation, idempotency-key derivation and spans are exactly what adapters get, and driven by
 * core's `Ledger` and `StateMachine` so it behaves like a real provider:
 *
 * - holds expire (`holdExpiry`, 7 days by default, read from `Clock`, so `TestClock.adjust` expires them);
 * - partial captures (optionally only one per hold), refunds bounded by what was captured;
 * - the same idempotency key with the same request returns the stored result, success or failure,
 *   without a new charge; with a different request it fails `IdempotencyConflict`;
 * - redirects, OTPs, 3-D Secure and UPI payments wait in `RequiresAction` until completed through
 *   the `Simulator` (or, for OTP, `OtpAuthentication.submit` with `TestData.OTP`);
 * - declines follow the sandboxes' magic values (`TestData`);
 * - every change emits a webhook event, signed like Cashfree's (`x-webhook-signature` =
 *   base64 HMAC-SHA256 of timestamp + raw body) and verifiable by its `Webhooks` port.
 *
 * Ids are counters and the "random" values (token PANs, cryptograms) come from a seeded generator,
 * so a run is deterministic given `seed`. Each build of the layer starts from empty state.
 *
 * @since 0.1.0
 */
import * as Authorization from "@payport/core/Authorization"
import * as Crypto from "@payport/core/Crypto"
import * as Cryptograms from "@payport/core/Cryptograms"
import * as Currency from "@payport/core/Currency"
import type { CurrencyCode } from "@payport/core/Currency"
import { Customer } from "@payport/core/Customer"
import * as Customers from "@payport/core/Customers"
import { CustomerId, InstrumentId, PaymentId, PaymentRef, RefundId, RefundRef } from "@payport/core/Ids"
import { Cryptogram, Instrument, TokenDetails } from "@payport/core/Instrument"
import * as Ledger from "@payport/core/Ledger"
import * as Money from "@payport/core/Money"
import * as OtpAuthentication from "@payport/core/OtpAuthentication"
import { type Action, MethodSummary, Payment, type PaymentStatus } from "@payport/core/Payment"
import * as Processor from "@payport/core/Processor"
import {
  Decline,
  type DeclineCode,
  IdempotencyConflict,
  InvalidRequest,
  InvalidState,
  NotFound,
  type OperationError,
  PaymentDeclined,
  PreconditionFailed,
  ProviderResponseInvalid,
  SignatureInvalid,
  UnknownEvent
} from "@payport/core/PaymentError"
import * as PaymentMethod from "@payport/core/PaymentMethod"
import type * as PaymentRequest from "@payport/core/PaymentRequest"
import * as Payments from "@payport/core/Payments"
import type { CommonPorts } from "@payport/core/Provider"
import { Refund } from "@payport/core/Refund"
import * as StateMachine from "@payport/core/StateMachine"
import * as ThreeDsAuthentication from "@payport/core/ThreeDsAuthentication"
import * as Vault from "@payport/core/Vault"
import * as VaultEnrollment from "@payport/core/VaultEnrollment"
import { InstrumentUpdated, PaymentUpdated, RefundUpdated, WebhookEvent } from "@payport/core/WebhookEvent"
import * as Webhooks from "@payport/core/Webhooks"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as DateTime from "effect/DateTime"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as HashMap from "effect/HashMap"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Ref from "effect/Ref"
import * as Schema from "effect/Schema"
import type * as ContractSuite from "./ContractSuite.js"
import * as Random from "@payport/emulators/Prng"
import {
  type CardFacts,
  initial,
  type InstrumentRecord,
  nextId,
  type Outcome,
  type PaymentRecord,
  type State,
  type Tx
} from "./internal/memoryState.js"
import type * as Model from "./Model.js"
import * as TestData from "./TestData.js"

// ---------------------------------------------------------------------------------------------
// Options and tags
// ---------------------------------------------------------------------------------------------

/**
 * How the in-memory provider behaves.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** The provider name on refs and errors (default `memory`). */
  readonly provider?: string
  /** Seeds token PANs and cryptograms (default 1). */
  readonly seed?: number
  /** The webhook signing secret (default `memory_webhook_secret`). */
  readonly webhookSecret?: string
  /** How long a hold lasts before it expires (default 7 days, Cashfree's pre-auth window). */
  readonly holdExpiry?: Duration.DurationInput
  /** How long a UPI collect request waits for approval (default 5 minutes, Cashfree's default). */
  readonly upiCollectExpiry?: Duration.DurationInput
  /** Whether a hold may be captured in several parts (default true). */
  readonly multipleCaptures?: boolean
  /** Webhook timestamp tolerance in seconds (default core's 300). */
  readonly toleranceSeconds?: number
  /**
   * The currencies it takes payments in; any other fails `UnsupportedCurrency` (default: core's
   * `Currency.paymentCodes`, every code in the table but the ISO 4217 fund codes).
   */
  readonly currencies?: ReadonlyArray<CurrencyCode>
}

/**
 * Every port the in-memory provider implements.
 *
 * @since 0.1.0
 * @category models
 */
export type Ports =
  | Payments.Payments
  | Authorization.Authorization
  | Vault.Vault
  | VaultEnrollment.VaultEnrollment
  | Cryptograms.Cryptograms
  | OtpAuthentication.OtpAuthentication
  | ThreeDsAuthentication.ThreeDsAuthentication
  | Customers.Customers
  | Webhooks.Webhooks

/**
 * Options for signing a webhook request, to produce deliberately bad ones in tests.
 *
 * @since 0.1.0
 * @category models
 */
export interface SignOptions {
  /** The timestamp to sign and send (default: now by `Clock`). */
  readonly timestampMillis?: number
  /** The secret to sign with (default: the provider's). */
  readonly secret?: string
}

/**
 * The in-memory provider's control surface, the counterpart of a sandbox's simulation API and of
 * an emulator's truth API.
 *
 * @since 0.1.0
 * @category tags
 */
export class Simulator extends Context.Tag("@payport/testkit/InMemory/Simulator")<Simulator, Simulator.Service>() {}

/**
 * @since 0.1.0
 * @category models
 */
export declare namespace Simulator {
  /** @since 0.1.0 */
  export interface Service {
    /**
     * Completes a payment's pending action as the payer would. Without `outcome`, the method's
     * magic value decides (e.g. `testfailure@gocash` fails); `"succeed"` or a decline code forces it.
     */
    readonly complete: (ref: PaymentRef, outcome?: "succeed" | DeclineCode) => Effect.Effect<Payment, OperationError>
    /**
     * The payer's half of a 3-D Secure challenge: passes (`"success"`) or fails it. The payment
     * keeps waiting until the merchant calls `ThreeDsAuthentication.complete`.
     */
    readonly authenticate: (ref: PaymentRef, outcome: "success" | "failure") => Effect.Effect<Payment, OperationError>
    /** How many payments moved or held money for a merchant reference: the "exactly one charge" truth. */
    readonly charges: (reference: string) => Effect.Effect<number>
    /** Every webhook event the provider emitted, oldest first. */
    readonly events: Effect.Effect<ReadonlyArray<WebhookEvent>>
    /** A signed webhook request carrying `event`, as the provider would deliver it. */
    readonly sign: (event: WebhookEvent, options?: SignOptions) => Effect.Effect<Webhooks.RequestInput>
    /** A signed `PaymentUpdated` request for a snapshot of a payment (current or stale). */
    readonly signPayment: (payment: Payment, options?: SignOptions) => Effect.Effect<Webhooks.RequestInput>
  }
}

/**
 * The webhook headers, as Cashfree names them.
 *
 * @since 0.1.0
 * @category webhooks
 */
export const headers = {
  signature: "x-webhook-signature",
  timestamp: "x-webhook-timestamp"
} as const

/** The body of a webhook: the provider's event type and the encoded event. */
const WebhookBody = Schema.parseJson(Schema.Struct({ type: Schema.String, event: Schema.Unknown }))

const encodeEvent = Schema.encodeSync(WebhookEvent)
const decodeEvent = Schema.decodeUnknownEither(WebhookEvent)

const eventTypes = {
  PaymentUpdated: "payment.updated",
  RefundUpdated: "refund.updated",
  InstrumentUpdated: "instrument.updated"
} as const

// ---------------------------------------------------------------------------------------------
// The provider
// ---------------------------------------------------------------------------------------------

interface Prepared {
  /** The card or token digits, when the method carries them. Held only for this call. */
  readonly digits?: string
  readonly hash?: string
  readonly fingerprint: string
}

/** Unwraps redacted values for hashing only: the fingerprint is a digest, never stored as text. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) => (Redacted.isRedacted(v) ? `r:${String(Redacted.value(v))}` : v))

const hashOf = (text: string): Effect.Effect<string> => Effect.map(Crypto.sha256(text), Crypto.toHex)

const toMillis = (duration: Duration.DurationInput): number => Duration.toMillis(Duration.decode(duration))

const cardDigits = (method: PaymentMethod.PaymentMethod): string | undefined => {
  switch (method._tag) {
    case "Card":
    case "CardEmi":
      return Redacted.value(PaymentMethod.normalizeNumber(method.number))
    case "NetworkToken":
      return Redacted.value(PaymentMethod.normalizeNumber(method.tokenPan))
    default:
      return undefined
  }
}

const make = (options: Options = {}) =>
  Effect.gen(function* () {
    const provider = options.provider ?? "memory"
    const secret = options.webhookSecret ?? "memory_webhook_secret"
    const holdExpiry = toMillis(options.holdExpiry ?? "7 days")
    const upiExpiry = toMillis(options.upiCollectExpiry ?? "5 minutes")
    const multipleCaptures = options.multipleCaptures ?? true
    const currencies = options.currencies ?? Currency.paymentCodes
    const tolerance = options.toleranceSeconds ?? Webhooks.DEFAULT_TOLERANCE_SECONDS
    const state = yield* Ref.make(initial(options.seed ?? 1))

    const run = <A>(tx: Tx<A>): Effect.Effect<A, OperationError> =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        Effect.flatMap(
          Ref.modify(state, (s) => tx(s, now)),
          (result) => result
        )
      )

    const invalidState = (operation: string, reason: string) => new InvalidState({ provider, operation, reason })
    const notFound = (operation: string, resource: string, id: string) =>
      new NotFound({ provider, operation, resource, id })
    const declined = (operation: string, code: DeclineCode) =>
      new PaymentDeclined({ provider, operation, decline: Decline.of(code, { providerCode: code.toUpperCase() }) })

    // --- events ------------------------------------------------------------------------------

    const emit = (s: State, now: number, make: (eventId: string, occurredAt: DateTime.Utc) => WebhookEvent): State => {
      const [eventId, , next] = nextId(s, "evt")
      return { ...next, events: [...next.events, make(eventId, DateTime.unsafeMake(now))] }
    }

    const emitPayment = (s: State, now: number, payment: Payment): State =>
      emit(
        s,
        now,
        (eventId, occurredAt) =>
          new PaymentUpdated({ eventId, provider, eventType: eventTypes.PaymentUpdated, occurredAt, payment })
      )

    /** Stores a payment record and announces it. */
    const commit = (s: State, now: number, record: PaymentRecord): State =>
      emitPayment(
        { ...s, payments: HashMap.set(s.payments, record.payment.ref.paymentId, record) },
        now,
        record.payment
      )

    /**
     * Moves a payment to `status` (and `ledger`), refusing anything the core state machine or
     * ledger rules forbid. Every status change in this provider goes through here.
     */
    const transition = (
      operation: string,
      record: PaymentRecord,
      status: PaymentStatus,
      ledger: Ledger.Ledger = record.payment.ledger
    ): Either.Either<PaymentRecord, InvalidState> => {
      const from = record.payment.status._tag
      if (!StateMachine.canTransition(from, status._tag)) {
        return Either.left(invalidState(operation, `a ${from} payment cannot become ${status._tag}`))
      }
      if (!Ledger.isValid(ledger)) return Either.left(invalidState(operation, "the ledger would become invalid"))
      return Either.right({ ...record, payment: Payment.make({ ...record.payment, status, ledger }) })
    }

    /** Applies what time alone does to a payment: holds and UPI collect requests expire. */
    const settle = (record: PaymentRecord, now: number): PaymentRecord | undefined => {
      const status = record.payment.status
      if (status._tag === "Authorized" && status.expiresAt !== undefined && now >= status.expiresAt.epochMillis) {
        return Either.getOrUndefined(transition("expire", record, { _tag: "Expired" }))
      }
      if (
        status._tag === "RequiresAction" &&
        status.action._tag === "UpiCollect" &&
        status.action.expiresAt !== undefined &&
        now >= status.action.expiresAt.epochMillis
      ) {
        return Either.getOrUndefined(
          transition("expire", record, { _tag: "Failed", decline: Decline.of("upi_collect_expired") })
        )
      }
      return undefined
    }

    /** Reads a payment, applying expiry first (and recording it). */
    const load = (
      s: State,
      now: number,
      operation: string,
      ref: PaymentRef
    ): Either.Either<readonly [PaymentRecord, State], NotFound> => {
      const found = HashMap.get(s.payments, ref.paymentId)
      if (Option.isNone(found) || (ref.orderId !== undefined && ref.orderId !== found.value.payment.reference)) {
        return Either.left(notFound(operation, "payment", ref.paymentId))
      }
      const settled = settle(found.value, now)
      return Either.right(settled === undefined ? [found.value, s] : [settled, commit(s, now, settled)])
    }

    /**
     * Runs `tx` at most once per idempotency key: a repeat with the same fingerprint returns the
     * stored result (success or failure) and changes nothing; a different fingerprint conflicts.
     */
    const idempotent =
      <A>(operation: string, key: string, fingerprint: string, guard: (u: unknown) => u is A, tx: Tx<A>): Tx<A> =>
      (s, now) => {
        const conflict = new IdempotencyConflict({ provider, operation, idempotencyKey: key })
        const stored = HashMap.get(s.idempotency, key)
        if (Option.isSome(stored)) {
          if (stored.value.fingerprint !== fingerprint) return [Either.left(conflict), s]
          const result = stored.value.result
          if (Either.isLeft(result)) return [Either.left(result.left), s]
          return [guard(result.right) ? Either.right(result.right) : Either.left(conflict), s]
        }
        const [result, next] = tx(s, now)
        return [result, { ...next, idempotency: HashMap.set(next.idempotency, key, { fingerprint, result }) }]
      }

    const isPayment = (u: unknown): u is Payment => u instanceof Payment
    const isRefund = (u: unknown): u is Refund => u instanceof Refund
    const isCustomer = (u: unknown): u is Customer => u instanceof Customer
    const isInstrument = (u: unknown): u is Instrument => u instanceof Instrument

    // --- instruments -------------------------------------------------------------------------

    const tokenPanFor = (s: State, network: PaymentMethod.CardNetwork): readonly [string, State] => {
      const bin = network === "mastercard" ? "559423" : "470613"
      const [body, random] = Random.digits(s.random, 9)
      const partial = `${bin}${body}`
      return [`${partial}${Random.luhnCheckDigit(partial)}`, { ...s, random }]
    }

    const customerInstruments = (s: State, customerId: string): ReadonlyArray<InstrumentRecord> =>
      Array.from(HashMap.values(s.instruments))
        .filter((r) => !r.deleted && r.instrument.customerId === customerId)
        .sort((a, b) => a.seq - b.seq)

    /** Saves a card for a customer (or returns the one already saved for the same card). */
    const saveCard = (
      s: State,
      now: number,
      customerId: CustomerId,
      card: CardFacts,
      options: { readonly dedupe: boolean; readonly makeDefault: boolean }
    ): readonly [Instrument, State] => {
      const existing = customerInstruments(s, customerId)
      const same = options.dedupe ? existing.find((r) => r.cardHash === card.hash) : undefined
      if (same !== undefined) return [same.instrument, s]
      const [id, seq, s1] = nextId(s, "ins")
      const [tokenPan, s2] = tokenPanFor(s1, card.network)
      const isDefault = options.makeDefault || existing.length === 0
      const instrument = Instrument.make({
        id: InstrumentId.make(id),
        customerId,
        provider,
        kind: "card",
        display: PaymentMethod.mask(card.last4),
        network: card.network,
        expiry: card.expiry,
        ...(card.holder === undefined ? {} : { holder: card.holder }),
        status: "Active",
        isDefault,
        tokenDetails: TokenDetails.make({ par: `PAR${card.hash.slice(0, 25).toUpperCase()}`, status: "ACTIVE" }),
        etag: etagOf(1),
        meta: { instrumentUid: card.hash.slice(0, 16) }
      })
      const cleared = isDefault ? clearDefault(s2, customerId) : s2
      const record: InstrumentRecord = { seq, instrument, cardHash: card.hash, tokenPan, version: 1, deleted: false }
      const s3 = { ...cleared, instruments: HashMap.set(cleared.instruments, id, record) }
      return [instrument, emitInstrument(s3, now, instrument)]
    }

    const etagOf = (version: number) => `"v${version}"`

    const clearDefault = (s: State, customerId: string): State => {
      let instruments = s.instruments
      for (const r of customerInstruments(s, customerId)) {
        if (r.instrument.isDefault) {
          const version = r.version + 1
          instruments = HashMap.set(instruments, r.instrument.id, {
            ...r,
            version,
            instrument: Instrument.make({ ...r.instrument, isDefault: false, etag: etagOf(version) })
          })
        }
      }
      return { ...s, instruments }
    }

    const emitInstrument = (s: State, now: number, instrument: Instrument): State =>
      emit(
        s,
        now,
        (eventId, occurredAt) =>
          new InstrumentUpdated({ eventId, provider, eventType: eventTypes.InstrumentUpdated, occurredAt, instrument })
      )

    const loadInstrument = (
      s: State,
      operation: string,
      key: Vault.InstrumentKey
    ): Either.Either<InstrumentRecord, NotFound> => {
      const found = HashMap.get(s.instruments, key.instrumentId)
      return Option.isSome(found) && !found.value.deleted && found.value.instrument.customerId === key.customerId
        ? Either.right(found.value)
        : Either.left(notFound(operation, "instrument", key.instrumentId))
    }

    // --- payments ----------------------------------------------------------------------------

    interface Classified {
      readonly summary: MethodSummary
      readonly card?: CardFacts
      /** A synchronous decline. */
      readonly decline?: DeclineCode
      /** The action the payer must complete, and what completing it does. */
      readonly action?: Action
      readonly outcome: Outcome
    }

    const succeed: Outcome = { _tag: "Succeed" }

    const classify = (
      s: State,
      now: number,
      paymentId: string,
      request: PaymentRequest.CreatePayment,
      prepared: Prepared
    ): Either.Either<Classified, OperationError> => {
      const method = request.method
      const redirect = (path: string): Action => ({
        _tag: "Redirect",
        url: `https://${provider}.payport.test/${path}/${paymentId}`,
        method: "GET",
        form: {}
      })
      switch (method._tag) {
        case "Card":
        case "CardEmi":
        case "NetworkToken": {
          const digits = prepared.digits ?? ""
          const card: CardFacts = {
            hash: prepared.hash ?? "",
            last4: digits.slice(-4),
            network: PaymentMethod.cardNetwork(digits),
            expiry: method.expiry,
            holder: method._tag === "NetworkToken" ? undefined : method.holder
          }
          const summary = MethodSummary.make({
            kind: method._tag,
            display: PaymentMethod.mask(digits),
            network: card.network
          })
          const decline = TestData.decliningCards[digits]
          if (decline !== undefined) return Either.right({ summary, card, decline, outcome: succeed })
          if (method._tag !== "NetworkToken" && digits === TestData.otpCard) {
            return Either.right({
              summary,
              card,
              action: {
                _tag: "Otp",
                resendable: true,
                fallbackUrl: `https://${provider}.payport.test/otp/${paymentId}`
              },
              outcome: succeed
            })
          }
          if (method._tag !== "NetworkToken" && digits === TestData.threeDsCard) {
            return Either.right({
              summary,
              card,
              action: {
                _tag: "ThreeDs",
                url: `https://${provider}.payport.test/3ds/${paymentId}`,
                form: { PaReq: paymentId }
              },
              outcome: succeed
            })
          }
          return Either.right({ summary, card, outcome: succeed })
        }
        case "SavedCard": {
          const found = HashMap.get(s.instruments, method.instrumentId)
          if (
            Option.isNone(found) ||
            found.value.deleted ||
            (request.customer !== undefined && request.customer.id !== found.value.instrument.customerId)
          ) {
            return Either.left(notFound("create", "instrument", method.instrumentId))
          }
          const instrument = found.value.instrument
          return Either.right({
            summary: MethodSummary.make({
              kind: "SavedCard",
              display: instrument.display,
              ...(instrument.network === undefined ? {} : { network: instrument.network }),
              instrumentId: instrument.id
            }),
            outcome: succeed
          })
        }
        case "Upi": {
          if (method.channel === "collect") {
            const vpa = method.vpa ?? ""
            const summary = MethodSummary.make({ kind: "Upi", display: vpa })
            const code = TestData.decliningVpas[vpa]
            if (code !== undefined && TestData.synchronouslyDecliningVpas.has(vpa)) {
              return Either.right({ summary, decline: code, outcome: succeed })
            }
            return Either.right({
              summary,
              action: {
                _tag: "UpiCollect",
                vpa,
                // The payer's window: the request's own, else the provider's default.
                expiresAt: DateTime.unsafeMake(
                  now + (method.collectExpiryMinutes === undefined ? upiExpiry : method.collectExpiryMinutes * 60_000)
                )
              },
              outcome: code === undefined ? succeed : { _tag: "Decline", code }
            })
          }
          const link = `upi://pay?pa=${provider}@payport&tr=${paymentId}&am=${Money.toDecimal(request.amount)}&cu=${request.amount.currency}`
          return Either.right({
            summary: MethodSummary.make({ kind: "Upi", display: method.channel }),
            action:
              method.channel === "intent"
                ? { _tag: "UpiIntent", uris: { default: link, gpay: link.replace("upi://", "tez://upi/") } }
                : { _tag: "QrCode", payload: link },
            outcome: succeed
          })
        }
        case "Netbanking":
          return Either.right({
            summary: MethodSummary.make({ kind: "Netbanking", display: method.bankCode }),
            action: redirect("netbanking"),
            outcome: succeed
          })
        case "Wallet":
        case "PayLater":
        case "CardlessEmi":
          return Either.right({
            summary: MethodSummary.make({ kind: method._tag, display: method.provider }),
            action: redirect(method._tag.toLowerCase()),
            outcome: succeed
          })
      }
    }

    /** What a payment that succeeded looks like, for its capture mode. */
    const succeeded = (
      captureMode: Payment["captureMode"],
      amount: Money.Money,
      now: number
    ): { readonly status: PaymentStatus; readonly ledger: Ledger.Ledger } =>
      captureMode === "automatic"
        ? { status: { _tag: "Captured" }, ledger: Ledger.captured(amount) }
        : {
            status: { _tag: "Authorized", expiresAt: DateTime.unsafeMake(now + holdExpiry) },
            ledger: Ledger.authorized(amount)
          }

    /**
     * What the simulated processor answers for an approved payment, derived from the payment's
     * sequence number: an approval code and a network transaction id for cards, a retrieval
     * reference, response `00` and the completion time for every method.
     */
    const approval = (seq: number, kind: MethodSummary["kind"], now: number): Processor.Processor => {
      const digits = String(seq).padStart(12, "0")
      const card = kind === "Card" || kind === "SavedCard" || kind === "NetworkToken" || kind === "CardEmi"
      return Processor.Processor.make({
        name: provider,
        ...(card ? { approvalCode: digits.slice(-6), networkTransactionId: `${digits}000` } : {}),
        retrievalReference: digits,
        responseCode: "00",
        responseMessage: "Approved",
        completedAt: DateTime.unsafeMake(now)
      })
    }

    /** Finishes a payment that succeeded: records the processor's approval, saves the card when asked to. */
    const finishSuccess = (s: State, now: number, approved: PaymentRecord): readonly [PaymentRecord, State] => {
      const processor = approval(approved.seq, approved.payment.method.kind, now)
      const record = { ...approved, payment: Payment.make({ ...approved.payment, processor }) }
      if (record.saveFor === undefined || record.card === undefined) return [record, s]
      const [instrument, next] = saveCard(s, now, record.saveFor, record.card, { dedupe: true, makeDefault: false })
      return [
        {
          ...record,
          saveFor: undefined,
          payment: Payment.make({ ...record.payment, savedInstrumentId: instrument.id })
        },
        next
      ]
    }

    const createTx =
      (operation: string, request: PaymentRequest.CreatePayment, prepared: Prepared): Tx<Payment> =>
      (s0, now) => {
        const [id, seq, s1] = nextId(s0, "pay")
        const classified = classify(s1, now, id, request, prepared)
        if (Either.isLeft(classified)) return [Either.left(classified.left), s0]
        const c = classified.right
        // A payment is born in its first status; only later changes are transitions.
        const first = ((): { readonly status: PaymentStatus; readonly ledger: Ledger.Ledger } => {
          if (c.decline !== undefined) {
            return {
              status: { _tag: "Failed", decline: Decline.of(c.decline, { providerCode: c.decline.toUpperCase() }) },
              ledger: Ledger.empty(request.amount.currency)
            }
          }
          if (c.action !== undefined) {
            return {
              status: { _tag: "RequiresAction", action: c.action },
              ledger: Ledger.empty(request.amount.currency)
            }
          }
          return succeeded(request.captureMode, request.amount, now)
        })()
        const record: PaymentRecord = {
          seq,
          payment: Payment.make({
            ref: PaymentRef.make({ provider, paymentId: PaymentId.make(id), orderId: request.reference }),
            reference: request.reference,
            amount: request.amount,
            ledger: first.ledger,
            captureMode: request.captureMode,
            method: c.summary,
            status: first.status,
            ...(request.customer === undefined ? {} : { customerId: request.customer.id }),
            createdAt: DateTime.unsafeMake(now)
          }),
          outcome: c.outcome,
          card: c.card,
          saveFor: request.saveInstrument === true && c.card !== undefined ? request.customer?.id : undefined,
          resends: 0,
          threeDs: c.action?._tag === "ThreeDs"
        }
        if (c.decline !== undefined) {
          return [Either.left(declined(operation, c.decline)), commit(s1, now, record)]
        }
        const [finished, s2] = c.action === undefined ? finishSuccess(s1, now, record) : [record, s1]
        return [Either.right(finished.payment), commit(s2, now, finished)]
      }

    const prepare = (operation: string, request: object, method?: PaymentMethod.PaymentMethod) =>
      Effect.gen(function* () {
        const digits = method === undefined ? undefined : cardDigits(method)
        const hash = digits === undefined ? undefined : yield* hashOf(`card:${digits}`)
        const fingerprint = yield* hashOf(canonical([operation, request]))
        return {
          fingerprint,
          ...(digits === undefined ? {} : { digits }),
          ...(hash === undefined ? {} : { hash })
        } satisfies Prepared
      })

    const create = (operation: string) => (request: PaymentRequest.CreatePayment) =>
      Effect.flatMap(prepare(operation, request, request.method), (prepared) =>
        run(
          idempotent(
            operation,
            request.idempotencyKey,
            prepared.fingerprint,
            isPayment,
            createTx(operation, request, prepared)
          )
        )
      )

    /** Completes a payment's pending action with the given (or the method's) outcome. */
    const completeTx =
      (operation: string, ref: PaymentRef, forced?: Outcome): Tx<Payment> =>
      (s0, now) => {
        const loaded = load(s0, now, operation, ref)
        if (Either.isLeft(loaded)) return [Either.left(loaded.left), s0]
        const [record, s1] = loaded.right
        const allowed = StateMachine.require("authenticate", record.payment, undefined, { provider, operation })
        if (Either.isLeft(allowed)) return [Either.left(allowed.left), s1]
        const outcome = forced ?? record.outcome
        if (outcome._tag === "Decline") {
          const failed = transition(operation, record, { _tag: "Failed", decline: Decline.of(outcome.code) })
          if (Either.isLeft(failed)) return [Either.left(failed.left), s1]
          return [Either.right(failed.right.payment), commit(s1, now, failed.right)]
        }
        const { status, ledger } = succeeded(record.payment.captureMode, record.payment.amount, now)
        const done = transition(operation, record, status, ledger)
        if (Either.isLeft(done)) return [Either.left(done.left), s1]
        const [finished, s2] = finishSuccess(s1, now, done.right)
        return [Either.right(finished.payment), commit(s2, now, finished)]
      }

    const captureTx =
      (request: PaymentRequest.Capture, guard: StateMachine.Guard): Tx<Payment> =>
      (s0, now) => {
        const operation = "Authorization.capture"
        const loaded = load(s0, now, operation, request.payment)
        if (Either.isLeft(loaded)) return [Either.left(loaded.left), s0]
        const [record, s1] = loaded.right
        const { payment } = record
        const allowed = guard(payment)
        if (Either.isLeft(allowed)) return [Either.left(allowed.left), s1]
        if (payment.status._tag === "PartiallyCaptured" && !multipleCaptures) {
          return [Either.left(invalidState(operation, `${provider} allows one capture per authorization`)), s1]
        }
        const amount = request.amount ?? Money.unsafeMake(payment.ledger.capturable, payment.amount.currency)
        const ledger = Ledger.capture(payment.ledger, amount, { provider, operation })
        if (Either.isLeft(ledger)) return [Either.left(ledger.left), s1]
        const status = StateMachine.statusForLedger(ledger.right)
        const moved = transition(operation, record, { _tag: status }, ledger.right)
        if (Either.isLeft(moved)) return [Either.left(moved.left), s1]
        return [Either.right(moved.right.payment), commit(s1, now, moved.right)]
      }

    const voidTx =
      (request: PaymentRequest.Void, guard: StateMachine.Guard): Tx<Payment> =>
      (s0, now) => {
        const operation = "Authorization.void"
        const loaded = load(s0, now, operation, request.payment)
        if (Either.isLeft(loaded)) return [Either.left(loaded.left), s0]
        const [record, s1] = loaded.right
        // The state machine allows observing `Voided` again; voiding twice is still an error.
        const allowed = guard(record.payment)
        if (Either.isLeft(allowed)) return [Either.left(allowed.left), s1]
        const moved = transition(operation, record, { _tag: "Voided" })
        if (Either.isLeft(moved)) return [Either.left(moved.left), s1]
        return [Either.right(moved.right.payment), commit(s1, now, moved.right)]
      }

    const refundsOf = (s: State, paymentId: string): ReadonlyArray<Refund> =>
      Array.from(HashMap.values(s.refunds))
        .filter((r) => r.refund.ref.payment.paymentId === paymentId)
        .sort((a, b) => a.seq - b.seq)
        .map((r) => r.refund)

    const refundTx =
      (request: PaymentRequest.Refund, guard: StateMachine.Guard): Tx<Refund> =>
      (s0, now) => {
        const operation = "Payments.refund"
        const loaded = load(s0, now, operation, request.payment)
        if (Either.isLeft(loaded)) return [Either.left(loaded.left), s0]
        const [record, s1] = loaded.right
        if (
          request.reference !== undefined &&
          refundsOf(s1, record.payment.ref.paymentId).some((r) => r.reference === request.reference)
        ) {
          return [
            Either.left(
              new InvalidRequest({ provider, operation, field: "reference", details: "refund reference already used" })
            ),
            s1
          ]
        }
        const allowed = guard(record.payment)
        if (Either.isLeft(allowed)) return [Either.left(allowed.left), s1]
        const ledger = Ledger.refund(record.payment.ledger, request.amount, { provider, operation })
        if (Either.isLeft(ledger)) return [Either.left(ledger.left), s1]
        const moved = transition(operation, record, record.payment.status, ledger.right)
        if (Either.isLeft(moved)) return [Either.left(moved.left), s1]
        const [id, seq, s2] = nextId(s1, "rfd")
        const refund = Refund.make({
          ref: RefundRef.make({ provider, refundId: RefundId.make(id), payment: record.payment.ref }),
          amount: request.amount,
          status: { _tag: "Succeeded" },
          ...(request.reference === undefined ? {} : { reference: request.reference }),
          ...(request.reason === undefined ? {} : { reason: request.reason }),
          createdAt: DateTime.unsafeMake(now)
        })
        const s3 = commit({ ...s2, refunds: HashMap.set(s2.refunds, id, { seq, refund }) }, now, moved.right)
        const s4 = emit(
          s3,
          now,
          (eventId, occurredAt) =>
            new RefundUpdated({ eventId, provider, eventType: eventTypes.RefundUpdated, occurredAt, refund })
        )
        return [Either.right(refund), s4]
      }

    // --- ports -------------------------------------------------------------------------------

    const read = (operation: string) => (ref: PaymentRef) =>
      run((s, now) => {
        const loaded = load(s, now, operation, ref)
        return Either.isLeft(loaded)
          ? [Either.left(loaded.left), s]
          : [Either.right(loaded.right[0].payment), loaded.right[1]]
      })

    const payments = Payments.make({
      provider,
      currencies,
      create: create("Payments.create"),
      get: read("Payments.get"),
      list: (reference) =>
        run((s0, now) => {
          let s = s0
          const out: Array<PaymentRecord> = []
          for (const record of HashMap.values(s0.payments)) {
            if (record.payment.reference !== reference) continue
            const settled = settle(record, now)
            if (settled !== undefined) s = commit(s, now, settled)
            out.push(settled ?? record)
          }
          return [Either.right(out.sort((a, b) => a.seq - b.seq).map((r) => r.payment)), s]
        }),
      refund: (request, guard) =>
        Effect.flatMap(prepare("refund", request), (prepared) =>
          run(
            idempotent(
              "Payments.refund",
              request.idempotencyKey,
              prepared.fingerprint,
              isRefund,
              refundTx(request, guard)
            )
          )
        ),
      getRefund: (ref) =>
        run((s) => {
          const found = HashMap.get(s.refunds, ref.refundId)
          return Option.isSome(found) && found.value.refund.ref.payment.paymentId === ref.payment.paymentId
            ? [Either.right(found.value.refund), s]
            : [Either.left(notFound("Payments.getRefund", "refund", ref.refundId)), s]
        }),
      listRefunds: (ref) =>
        run((s, now) => {
          const loaded = load(s, now, "Payments.listRefunds", ref)
          return Either.isLeft(loaded)
            ? [Either.left(loaded.left), s]
            : [Either.right(refundsOf(loaded.right[1], ref.paymentId)), loaded.right[1]]
        })
    })

    const authorization = Authorization.make({
      provider,
      currencies,
      authorize: create("Authorization.authorize"),
      get: read("Authorization.get"),
      capture: (request, guard) =>
        Effect.flatMap(prepare("capture", request), (prepared) =>
          run(
            idempotent(
              "Authorization.capture",
              request.idempotencyKey,
              prepared.fingerprint,
              isPayment,
              captureTx(request, guard)
            )
          )
        ),
      void: (request, guard) =>
        Effect.flatMap(prepare("void", request), (prepared) =>
          run(
            idempotent(
              "Authorization.void",
              request.idempotencyKey,
              prepared.fingerprint,
              isPayment,
              voidTx(request, guard)
            )
          )
        )
    })

    const vault = Vault.make({
      provider,
      list: (input) =>
        run((s) => {
          const offset = input.cursor === undefined ? 0 : Number(input.cursor)
          if (!Number.isInteger(offset) || offset < 0) {
            return [
              Either.left(
                new InvalidRequest({ provider, operation: "Vault.list", field: "cursor", details: "unknown cursor" })
              ),
              s
            ]
          }
          const all = customerInstruments(s, input.customerId)
          const items = all.slice(offset, offset + input.limit).map((r) => r.instrument)
          const end = offset + items.length
          return [Either.right({ items, total: all.length, ...(end < all.length ? { next: String(end) } : {}) }), s]
        }),
      get: (key) =>
        run((s) => {
          const found = loadInstrument(s, "Vault.get", key)
          return [Either.map(found, (r) => r.instrument), s]
        }),
      delete: (key) =>
        run((s, now) => {
          const found = loadInstrument(s, "Vault.delete", key)
          if (Either.isLeft(found)) return [Either.left(found.left), s]
          const record = found.right
          const instrument = Instrument.make({ ...record.instrument, status: "Closed", isDefault: false })
          const next = {
            ...s,
            instruments: HashMap.set(s.instruments, record.instrument.id, { ...record, instrument, deleted: true })
          }
          return [Either.right(undefined), emitInstrument(next, now, instrument)]
        })
    })

    const enrollment = VaultEnrollment.make({
      provider,
      create: (request) =>
        Effect.flatMap(prepare("enroll", request, request.card), (prepared) =>
          run(
            idempotent(
              "VaultEnrollment.create",
              request.idempotencyKey,
              prepared.fingerprint,
              isInstrument,
              (s, now) => {
                const digits = prepared.digits ?? ""
                const decline = TestData.decliningCards[digits]
                if (decline !== undefined) return [Either.left(declined("VaultEnrollment.create", decline)), s]
                const card: CardFacts = {
                  hash: prepared.hash ?? "",
                  last4: digits.slice(-4),
                  network: PaymentMethod.cardNetwork(digits),
                  expiry: request.card.expiry,
                  holder: request.card.holder
                }
                const [instrument, next] = saveCard(s, now, request.customerId, card, {
                  dedupe: false,
                  makeDefault: request.makeDefault === true
                })
                return [Either.right(instrument), next]
              }
            )
          )
        ),
      update: (request) =>
        run((s, now) => {
          const operation = "VaultEnrollment.update"
          const found = loadInstrument(s, operation, request)
          if (Either.isLeft(found)) return [Either.left(found.left), s]
          const record = found.right
          if (request.etag !== record.instrument.etag) {
            return [
              Either.left(
                new PreconditionFailed({ provider, operation, reason: "the etag does not match the instrument's" })
              ),
              s
            ]
          }
          const version = record.version + 1
          const instrument = Instrument.make({
            ...record.instrument,
            ...(request.expiry === undefined ? {} : { expiry: request.expiry }),
            ...(request.holder === undefined ? {} : { holder: request.holder }),
            etag: etagOf(version)
          })
          const next = {
            ...s,
            instruments: HashMap.set(s.instruments, instrument.id, { ...record, instrument, version })
          }
          return [Either.right(instrument), emitInstrument(next, now, instrument)]
        }),
      setDefault: (request) =>
        run((s, now) => {
          const operation = "VaultEnrollment.setDefault"
          const found = loadInstrument(s, operation, request)
          if (Either.isLeft(found)) return [Either.left(found.left), s]
          if (request.etag !== undefined && request.etag !== found.right.instrument.etag) {
            return [
              Either.left(
                new PreconditionFailed({ provider, operation, reason: "the etag does not match the instrument's" })
              ),
              s
            ]
          }
          const cleared = clearDefault(s, request.customerId)
          const record = HashMap.unsafeGet(cleared.instruments, request.instrumentId)
          const version = record.version + 1
          const instrument = Instrument.make({ ...record.instrument, isDefault: true, etag: etagOf(version) })
          const next = {
            ...cleared,
            instruments: HashMap.set(cleared.instruments, instrument.id, { ...record, instrument, version })
          }
          return [Either.right(instrument), emitInstrument(next, now, instrument)]
        })
    })

    const cryptograms = Cryptograms.make({
      provider,
      fetch: (key) =>
        run((s) => {
          const found = loadInstrument(s, "Cryptograms.fetch", key)
          if (Either.isLeft(found)) return [Either.left(found.left), s]
          const record = found.right
          const [bytes, random] = Random.bytes(s.random, 20)
          return [
            Either.right(
              Cryptogram.make({
                instrumentId: record.instrument.id,
                tokenPan: Redacted.make(record.tokenPan),
                expiry: record.instrument.expiry ?? TestData.expiry,
                cryptogram: Redacted.make(Crypto.toBase64(bytes)),
                tokenRequestorId: "40010030273",
                eci: "05"
              })
            ),
            { ...s, random }
          ]
        })
    })

    const otp = OtpAuthentication.make({
      provider,
      submit: (input) =>
        run((s0, now) => {
          const operation = "OtpAuthentication.submit"
          const loaded = load(s0, now, operation, input.payment)
          if (Either.isLeft(loaded)) return [Either.left(loaded.left), s0]
          const [record, s1] = loaded.right
          const allowed = StateMachine.require("authenticate", record.payment, undefined, { provider, operation })
          if (Either.isLeft(allowed)) return [Either.left(allowed.left), s1]
          const status = record.payment.status
          if (status._tag !== "RequiresAction" || status.action._tag !== "Otp") {
            return [Either.left(invalidState(operation, "the payment is not waiting for an OTP")), s1]
          }
          if (Redacted.value(input.otp) === TestData.OTP) return completeTx(operation, input.payment)(s1, now)
          const [failed, s2] = completeTx(operation, input.payment, { _tag: "Decline", code: "authentication_failed" })(
            s1,
            now
          )
          return [
            Either.isLeft(failed)
              ? Either.left(failed.left)
              : Either.left(declined(operation, "authentication_failed")),
            s2
          ]
        }),
      resend: (ref) =>
        run((s0, now) => {
          const operation = "OtpAuthentication.resend"
          const loaded = load(s0, now, operation, ref)
          if (Either.isLeft(loaded)) return [Either.left(loaded.left), s0]
          const [record, s1] = loaded.right
          const status = record.payment.status
          if (status._tag !== "RequiresAction" || status.action._tag !== "Otp" || !status.action.resendable) {
            return [Either.left(invalidState(operation, "the OTP cannot be resent")), s1]
          }
          const resends = record.resends + 1
          // Issuers cap resends; after the third the action says so.
          const moved = transition(operation, record, {
            _tag: "RequiresAction",
            action: { ...status.action, resendable: resends < 3 }
          })
          if (Either.isLeft(moved)) return [Either.left(moved.left), s1]
          const next = { ...moved.right, resends }
          return [Either.right(next.payment), commit(s1, now, next)]
        })
    })

    const customers = Customers.make({
      provider,
      create: (request) =>
        Effect.flatMap(prepare("customer", request), (prepared) =>
          run(
            idempotent("Customers.create", request.idempotencyKey, prepared.fingerprint, isCustomer, (s) => {
              const [id, , next] = nextId(s, "cus")
              const { idempotencyKey: _, ...fields } = request
              const customer = Customer.make({ ...fields, id: CustomerId.make(id), provider })
              return [Either.right(customer), { ...next, customers: HashMap.set(next.customers, id, customer) }]
            })
          )
        ),
      get: (id) =>
        run((s) => {
          const found = HashMap.get(s.customers, id)
          return [
            Option.isSome(found) ? Either.right(found.value) : Either.left(notFound("Customers.get", "customer", id)),
            s
          ]
        })
    })

    const signature = (key: string, timestamp: string, body: string) =>
      Effect.map(Crypto.hmacSha256(Crypto.utf8(key), `${timestamp}${body}`), Crypto.toBase64)

    const webhooks = Webhooks.make({
      provider,
      verify: (request) =>
        Effect.gen(function* () {
          const operation = "Webhooks.verify"
          const given = request.headers[headers.signature]
          const timestamp = request.headers[headers.timestamp]
          if (given === undefined || timestamp === undefined) {
            return yield* new SignatureInvalid({ provider, operation, reason: "signature or timestamp header missing" })
          }
          const expected = yield* signature(secret, timestamp, request.text)
          if (!Crypto.constantTimeEqual(given, expected)) {
            return yield* new SignatureInvalid({ provider, operation, reason: "signature does not match" })
          }
          yield* Webhooks.checkTimestamp(provider, Number(timestamp), tolerance)
          const body = Schema.decodeUnknownEither(WebhookBody)(request.text)
          if (Either.isLeft(body)) {
            return yield* new ProviderResponseInvalid({ provider, operation, reason: "webhook body is not an event" })
          }
          if (!Object.values(eventTypes).some((t) => t === body.right.type)) {
            return yield* new UnknownEvent({ provider, operation, eventType: body.right.type })
          }
          const event = decodeEvent(body.right.event)
          if (Either.isLeft(event)) {
            return yield* new ProviderResponseInvalid({ provider, operation, reason: "webhook event does not decode" })
          }
          return event.right
        })
    })

    const sign = (event: WebhookEvent, signOptions?: SignOptions): Effect.Effect<Webhooks.RequestInput> =>
      Effect.gen(function* () {
        const timestamp = String(signOptions?.timestampMillis ?? (yield* Clock.currentTimeMillis))
        const body = JSON.stringify({ type: event.eventType, event: encodeEvent(event) })
        const sig = yield* signature(signOptions?.secret ?? secret, timestamp, body)
        return {
          headers: {
            "content-type": "application/json",
            [headers.signature]: sig,
            [headers.timestamp]: timestamp,
            "x-webhook-version": "2025-01-01"
          },
          body
        }
      })

    /** The payment's 3-D Secure record, or why it has none. */
    const threeDsRecord = (
      s0: State,
      now: number,
      operation: string,
      ref: PaymentRef
    ): Either.Either<readonly [PaymentRecord, State], NotFound | InvalidState> =>
      Either.flatMap(load(s0, now, operation, ref), (loaded) =>
        loaded[0].threeDs === true
          ? Either.right(loaded)
          : Either.left(invalidState(operation, "the payment did not ask for 3-D Secure"))
      )

    const threeDs = ThreeDsAuthentication.make({
      provider,
      complete: (request) =>
        run((s0, now) => {
          const operation = "ThreeDsAuthentication.complete"
          const found = threeDsRecord(s0, now, operation, request.payment)
          if (Either.isLeft(found)) return [Either.left(found.left), s0]
          const [record, s1] = found.right
          // Past the challenge (completed before, by this call's twin or another process): a replay.
          if (record.payment.status._tag !== "RequiresAction" || record.payer === undefined) {
            return [Either.right(record.payment), s1]
          }
          const outcome: Outcome =
            record.payer._tag === "Succeed" ? record.outcome : { _tag: "Decline", code: "authentication_failed" }
          return completeTx(operation, request.payment, outcome)(s1, now)
        })
    })

    const simulator = Simulator.of({
      authenticate: (ref, outcome) =>
        run((s0, now) => {
          const operation = "Simulator.authenticate"
          const found = threeDsRecord(s0, now, operation, ref)
          if (Either.isLeft(found)) return [Either.left(found.left), s0]
          const [record, s1] = found.right
          if (record.payment.status._tag !== "RequiresAction") {
            return [Either.left(invalidState(operation, "the challenge is over")), s1]
          }
          const payer: Outcome = outcome === "success" ? succeed : { _tag: "Decline", code: "authentication_failed" }
          const next = { ...record, payer }
          return [
            Either.right(record.payment),
            { ...s1, payments: HashMap.set(s1.payments, record.payment.ref.paymentId, next) }
          ]
        }),
      complete: (ref, outcome) =>
        run(
          completeTx(
            "Simulator.complete",
            ref,
            outcome === undefined ? undefined : outcome === "succeed" ? succeed : { _tag: "Decline", code: outcome }
          )
        ),
      charges: (reference) =>
        Effect.map(
          Ref.get(state),
          (s) =>
            Array.from(HashMap.values(s.payments)).filter(
              (r) => r.payment.reference === reference && r.payment.ledger.authorized.amount > 0
            ).length
        ),
      events: Effect.map(Ref.get(state), (s) => s.events),
      sign,
      signPayment: (payment, signOptions) =>
        Effect.gen(function* () {
          const now = yield* Clock.currentTimeMillis
          const eventId = yield* Ref.modify(state, (s) => {
            const [id, , next] = nextId(s, "evt")
            return [id, next] as const
          })
          return yield* sign(
            new PaymentUpdated({
              eventId,
              provider,
              eventType: eventTypes.PaymentUpdated,
              occurredAt: DateTime.unsafeMake(now),
              payment
            }),
            signOptions
          )
        })
    })

    return Context.make(Payments.Payments, payments).pipe(
      Context.add(Authorization.Authorization, authorization),
      Context.add(Vault.Vault, vault),
      Context.add(VaultEnrollment.VaultEnrollment, enrollment),
      Context.add(Cryptograms.Cryptograms, cryptograms),
      Context.add(OtpAuthentication.OtpAuthentication, otp),
      Context.add(ThreeDsAuthentication.ThreeDsAuthentication, threeDs),
      Context.add(Customers.Customers, customers),
      Context.add(Webhooks.Webhooks, webhooks),
      Context.add(Simulator, simulator)
    )
  })

/**
 * Every port plus the `Simulator`, with fresh state each time the layer is built.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options?: Options): Layer.Layer<Ports | Simulator> => Layer.effectContext(make(options))

/**
 * Only the ports every provider has: what `Provider.layerFromConfig` expects for
 * `PAYPORT_PROVIDER=memory`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerCommon = (options?: Options): Layer.Layer<CommonPorts> => layer(options)

// ---------------------------------------------------------------------------------------------
// Fixtures for the contract suite and the model
// ---------------------------------------------------------------------------------------------

const card = (number: string) =>
  PaymentMethod.card({ number, expiry: TestData.expiry, cvv: "123", holder: "Test Payer" })

/**
 * The in-memory provider's contract-suite fixtures: `contractSuite("memory", InMemory.layer(), InMemory.fixtures)`.
 *
 * @since 0.1.0
 * @category fixtures
 */
export const fixtures: ContractSuite.Fixtures<Ports | Simulator> = {
  currency: "INR" satisfies CurrencyCode,
  card: card(TestData.successCards.visa),
  customer: { name: "Test Payer", email: "payer@example.com", phone: "9999999999" },
  declines: [
    ...Object.entries(TestData.decliningCards).map(([number, code]) => ({
      name: `card ${PaymentMethod.mask(number)}`,
      method: card(number),
      code
    })),
    ...Object.entries(TestData.decliningVpas).map(([vpa, code]) => ({
      name: `UPI ${vpa}`,
      method: PaymentMethod.upiCollect(vpa),
      code
    }))
  ],
  actions: [
    { name: "UPI collect", method: PaymentMethod.upiCollect(TestData.upiSuccessVpa), action: "UpiCollect" },
    { name: "UPI intent", method: PaymentMethod.upiIntent, action: "UpiIntent" },
    { name: "UPI QR", method: PaymentMethod.upiQr, action: "QrCode" },
    { name: "netbanking", method: { _tag: "Netbanking", bankCode: TestData.testBank }, action: "Redirect" },
    { name: "wallet", method: { _tag: "Wallet", provider: "paytm", phone: TestData.testPhone }, action: "Redirect" },
    { name: "3-D Secure card", method: card(TestData.threeDsCard), action: "ThreeDs" }
  ],
  completeAction: (payment) => Effect.flatMap(Simulator, (s) => s.complete(payment.ref)),
  multipleCaptures: true,
  // The in-memory provider lists everything at once; two per page makes the case list five.
  lists: {
    moreCards: [card(TestData.successCards.mastercard), card(TestData.successCards.rupay)],
    paymentsPerPage: 2
  },
  merchantInitiated: { supported: true },
  unsupportedCurrency: "BOV",
  webhooks: {
    genuine: (payment) => Effect.flatMap(Simulator, (s) => s.signPayment(payment)),
    wrongSecret: (payment) => Effect.flatMap(Simulator, (s) => s.signPayment(payment, { secret: "not-the-secret" })),
    stale: (payment) =>
      Effect.flatMap(Effect.zip(Simulator, Clock.currentTimeMillis), ([s, now]) =>
        s.signPayment(payment, { timestampMillis: now - 10 * 60 * 1000 })
      )
  },
  vaultEnrollment: { card: card(TestData.successCards.mastercard), etags: true },
  cryptograms: { enabled: true },
  otp: { card: card(TestData.otpCard), otp: TestData.OTP, wrongOtp: "000000" },
  threeDs: {
    frictionless: card(TestData.threeDsFrictionlessCard),
    challenge: card(TestData.threeDsCard),
    payer: (payment, outcome) => Effect.flatMap(Simulator, (s) => s.authenticate(payment.ref, outcome))
  }
}

/**
 * The in-memory provider's harness for the model-based property test.
 *
 * @since 0.1.0
 * @category fixtures
 */
export const harness = (options?: Options): Model.Harness<Simulator> => ({
  layer: () => layer(options),
  card: card(TestData.successCards.visa),
  multipleCaptures: options?.multipleCaptures ?? true,
  actionMethod: PaymentMethod.upiCollect(TestData.upiSuccessVpa),
  completeAction: (payment) => Effect.asVoid(Effect.flatMap(Simulator, (s) => s.complete(payment.ref))),
  signPayment: (payment) => Effect.flatMap(Simulator, (s) => s.signPayment(payment))
})

/**
 * The harness with 3-D Secure as the action: the payer passes the challenge (`Simulator.authenticate`)
 * and the merchant completes it through `ThreeDsAuthentication`, which the property also repeats.
 *
 * @since 0.1.0
 * @category fixtures
 */
export const threeDsHarness = (
  options?: Options
): Model.Harness<Simulator | ThreeDsAuthentication.ThreeDsAuthentication> => ({
  ...harness(options),
  layer: () => layer(options),
  actionMethod: card(TestData.threeDsCard),
  completeAction: (payment) =>
    Effect.flatMap(Simulator, (s) => s.authenticate(payment.ref, "success")).pipe(
      Effect.zipRight(ThreeDsAuthentication.complete({ payment: payment.ref })),
      Effect.asVoid
    ),
  completeAgain: (payment) => ThreeDsAuthentication.complete({ payment: payment.ref })
})
