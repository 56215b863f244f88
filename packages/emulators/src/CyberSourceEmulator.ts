/**
 * A wire-faithful CyberSource REST emulator on loopback, written from CyberSource's documents
 * (providers/cybersource.md, the sandbox transcripts, the 2020 REST spec and the customer payment
 * instrument seed) independently of any Payport adapter.
 *
 * - **Authentication**: HTTP Signature verified against the received `Host` header, the raw
 *   request target and the raw body bytes (`digest` on POST/PUT/PATCH), keyed by the API key
 *   serial, with a 5-minute `date` window. Any failure is 401 `{"response":{"rmsg":…}}`; the
 *   reason is kept in `truth.authFailures()`. Defaults to the public `testrest` sample credentials.
 * - **Payments (PTS)**: authorization and sale by card, saved payment instrument, customer default
 *   instrument, instrument identifier or network token; captures (partial, bounded by the
 *   authorization: `EXCEEDS_AUTH_AMOUNT`), reversals (`AUTH_ALREADY_REVERSED` on repeat), voids
 *   (`NOT_VOIDABLE` once settled), refunds of payments and captures; `TOKEN_CREATE`.
 *   Declines are 201 `DECLINED` with `errorInformation.reason` — card `42423482938483873` gives
 *   `INVALID_ACCOUNT`; more outcomes by card or amount via `cardTriggers` / `amountTriggers`.
 * - **Transaction Search (TSS)**: details of every transaction, searches by
 *   `clientReferenceInformation.code` for reconciliation after an ambiguous failure.
 * - **Token Management (TMS)**: customers, customer payment instruments (list with offset/limit and
 *   `_links.first/prev/next/last`, get, create, PATCH with `if-match` → 412, delete), instrument
 *   identifiers (201 new / 200 existing), optional `profile-id` header.
 * - **Payer Authentication (3-D Secure 2.x)**: `/risk/v1/authentication-setups`,
 *   `/risk/v1/authentications` and `/risk/v1/authentication-results`, and `CONSUMER_AUTHENTICATION` /
 *   `VALIDATE_CONSUMER_AUTHENTICATION` inside an authorization, with CyberSource's documented 3-D
 *   Secure test cards (`threeDsTestCards`); a challenge page at the `stepUpUrl` a person or a
 *   headless client completes (code `1234`), or `payerAuthentication.complete` in process. An
 *   authorization of an enrolled card must carry the values the emulator issued for that card and
 *   amount, once.
 * - **Webhooks** signed with `v-c-signature: t=…;keyId=…;sig=…`, **faults** from
 *   `EmulatorFaults`, and a **truth API** counting payments per merchant reference, in-process
 *   (`truth`) or over HTTP from another process (`GET /__payport/truth?reference=<code>` at
 *   `truthUrl`, never faulted).
 *
 * @example
 * ```ts
 * import * as CyberSourceEmulator from "@payport/emulators/CyberSourceEmulator"
 * import * as EmulatorFaults from "@payport/emulators/EmulatorFaults"
 * import * as Effect from "effect/Effect"
 * import { deepStrictEqual } from "node:assert"
 *
 * const program = Effect.gen(function* () {
 *   const emulator = yield* CyberSourceEmulator.start({ seed: 7 })
 *   // A client signs requests with emulator.merchantId / keyId / sharedSecret and sends them to
 *   // emulator.baseUrl; here one in ten payments is made and then its answer is lost.
 *   emulator.faults.add(EmulatorFaults.commitThenDrop({ match: { method: "POST", path: "/pts/v2/payments" }, probability: 0.1 }))
 *   // What moved, in process and, for another process, over HTTP (never faulted).
 *   const res = yield* Effect.promise(() => fetch(`${emulator.truthUrl}?reference=order-1`))
 *   const truth = (yield* Effect.promise(() => res.json())) as { readonly charges: number }
 *   return { status: res.status, charges: truth.charges, inProcess: emulator.truth.chargesFor("order-1") }
 * }).pipe(Effect.scoped)
 *
 * Effect.runPromise(program).then((result) => deepStrictEqual(result, { status: 200, charges: 0, inProcess: 0 }))
 * ```
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import type * as EmulatorFaults from "./EmulatorFaults.js"
import * as Cards from "./internal/cybersource/Cards.js"
import * as ChallengePage from "./internal/cybersource/ChallengePage.js"
import type {
  Env,
  Notice,
  Trigger as InternalTrigger,
  TriggerStatus as InternalTriggerStatus
} from "./internal/cybersource/Env.js"
import * as PayerAuthentication from "./internal/cybersource/PayerAuthentication.js"
import * as Payments from "./internal/cybersource/Payments.js"
import * as Router from "./internal/cybersource/Router.js"
import { type PaymentRecord, type SettlementStatus, Store } from "./internal/cybersource/State.js"
import * as Transactions from "./internal/cybersource/Transactions.js"
import * as Webhooks from "./internal/cybersource/Webhooks.js"
import { rateLimited, type ServerErrorReason, serverError, submitTime, tms } from "./internal/cybersource/Wire.js"
import * as Faults from "./FaultEngine.js"
import type * as Http from "./internal/emulator/Http.js"
import * as Server from "./internal/emulator/Server.js"
import * as TruthEndpoint from "./internal/emulator/TruthEndpoint.js"
import * as WebhookSender from "./internal/emulator/WebhookSender.js"

/**
 * The public sandbox credentials from CyberSource's samples (`Data/Configuration.js`).
 *
 * @since 0.1.0
 * @category constants
 */
export const sampleCredentials = {
  merchantId: "testrest",
  keyId: "08c94330-f618-42a3-b09d-e1e43be5efda",
  sharedSecret: "yBJxy6LjM2TmcPGu+GaJrHtkke25fPpUX+UY6/L/1tE="
} as const

/**
 * The default webhook signing key and key id (the documented test vector's).
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultWebhookKey = {
  key: "c2VjcmV0LXdlYmhvb2sta2V5LTMyLWJ5dGVzLWxvbmchIQ==",
  keyId: "bf44c857-b182-bb05-e053-34b8d30a7a72"
} as const

/**
 * The `v-c-signature` header for a webhook body: `t=<t>;keyId=<keyId>;sig=<base64 HMAC-SHA256>`
 * with the base64-decoded `key` over `"<t>." + JSON.stringify(body.payload)` (variant `payload`,
 * the default) or `"<t>." + rawBody` (variant `rawBody`). For building webhook test fixtures
 * (wrong key, stale timestamp) the way the emulator signs.
 *
 * @since 0.1.0
 * @category webhooks
 */
export const signWebhook = (input: {
  readonly key: string
  readonly keyId: string
  /** Epoch milliseconds. */
  readonly t: number
  readonly rawBody: string
  readonly variant?: WebhookSignatureVariant
}): string => Webhooks.signatureHeader({ ...input, variant: input.variant ?? "payload" })

/**
 * Statuses a trigger can force on a payment.
 *
 * @since 0.1.0
 * @category models
 */
export type TriggerStatus = InternalTriggerStatus

/**
 * A forced outcome for a payment request: a status, and the `errorInformation.reason`/`message`
 * to send with it (for `PARTIAL_AUTHORIZED`, `authorizedAmount` as decimal text; default half).
 *
 * @since 0.1.0
 * @category models
 */
export type Trigger = InternalTrigger

/**
 * The card triggers in force unless overridden: the documented sandbox decline
 * (`42423482938483873` → `INVALID_ACCOUNT`), testkit's `TestData.decliningCards` with the
 * CyberSource reason closest to each, and `TestData.threeDsCard` → `PENDING_AUTHENTICATION` (a
 * 3-D Secure step-up card: see `threeDsTestCards`).
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultCardTriggers: { readonly [cardNumber: string]: Trigger } = Cards.defaultCardTriggers

/**
 * What CyberSource's Payer Authentication sandbox does with a card: `frictionless` (test case
 * 2.1, PARes `Y`), `frictionlessFailed` (2.2, `N`), `attempted` (2.3, `A`), `unavailable` (2.6,
 * VERes `U`), `challenge` (2.9: step-up, then `Y`), `challengeFailed` (2.10: step-up, then `N`),
 * `challengeUnavailable` (2.11: step-up, then `U`).
 *
 * @since 0.1.0
 * @category models
 */
export type ThreeDsScenario = Cards.ThreeDsScenario

/**
 * CyberSource's documented 3-D Secure 2.2.0 Visa and Mastercard test cards, by outcome (Payer
 * Authentication REST developer guide, "Test Cases for 3-D Secure 2.x"). `TestData.threeDsCard`
 * (`4000000000003220`, a `PENDING_AUTHENTICATION` card trigger) steps up like `challenge`. Every
 * other card cannot be authenticated (VERes `U`) and needs no authentication to be authorized.
 *
 * @since 0.1.0
 * @category constants
 */
export const threeDsTestCards: { readonly [cardNumber: string]: ThreeDsScenario } = Cards.threeDsTestCards

/**
 * The one-time code the emulator's challenge page accepts; any other code, or Cancel, fails the
 * challenge.
 *
 * @since 0.1.0
 * @category constants
 */
export const challengeCode: string = PayerAuthentication.challengeCode

/**
 * The payer's answer to a 3-D Secure challenge.
 *
 * @since 0.1.0
 * @category models
 */
export type ChallengeOutcome = PayerAuthentication.ChallengeOutcome

/**
 * One payer authentication (`authenticationTransactionId`) as the emulator holds it, without the
 * card number.
 *
 * @since 0.1.0
 * @category models
 */
export interface AuthenticationView {
  readonly authenticationTransactionId: string
  readonly code: string | undefined
  /** The test card's outcome; `undefined` for cards that cannot be authenticated. */
  readonly scenario: ThreeDsScenario | undefined
  readonly cardSuffix: string
  readonly currency: string
  /** Minor units. */
  readonly amount: number
  /** `none` (no step-up), `pending`, or how the payer finished it. */
  readonly challenge: "none" | "pending" | ChallengeOutcome
  /** PARes status once known (`Y`, `A`, `N`, `U`). */
  readonly paresStatus: string | undefined
  /** The payment that used the issued values (they authorize once). */
  readonly usedBy: string | undefined
  /** The `PENDING_AUTHENTICATION` payment of a combined (`CONSUMER_AUTHENTICATION`) request. */
  readonly pendingPaymentId: string | undefined
}

/**
 * The payer's side of 3-D Secure, in process (the same as the challenge page).
 *
 * @since 0.1.0
 * @category models
 */
export interface PayerAuthenticationControl {
  /**
   * The payer finishes the challenge of `authenticationTransactionId`: `success` (the right code)
   * or `failure` (a wrong code, or cancelled). The first completion is the one in force — a replay
   * changes nothing; returns it, or `undefined` when the id names no challenge.
   */
  readonly complete: (authenticationTransactionId: string, outcome: ChallengeOutcome) => ChallengeOutcome | undefined
  readonly authentication: (authenticationTransactionId: string) => AuthenticationView | undefined
}

/**
 * Which text a webhook signature covers after `t.`: `payload` (`JSON.stringify(body.payload)`, as
 * CyberSource's own plugins verify) or `rawBody`.
 *
 * @since 0.1.0
 * @category models
 */
export type WebhookSignatureVariant = Webhooks.SignatureVariant

/**
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Port to listen on; 0 (default) picks a free one. */
  readonly port?: number
  /** Interface to bind; default `127.0.0.1` (loopback only). */
  readonly host?: string
  /** Default `testrest`. */
  readonly merchantId?: string
  /** The API key serial (`keyid`); default the sample key's. */
  readonly keyId?: string
  /** The base64 shared secret; default the sample secret. */
  readonly sharedSecret?: string
  /** Seeds ids and fault probabilities; default 1. */
  readonly seed?: number
  readonly faults?: ReadonlyArray<EmulatorFaults.Rule>
  /** The emulator's clock (epoch ms) for `date` checks and timestamps; default `Date.now`. */
  readonly clock?: () => number
  /** Largest accepted distance between a request's `date` and the clock; default 5 minutes. */
  readonly maxClockSkewMs?: number
  /** Also accept the legacy `(request-target)` form and non-RFC 1123 dates; default false. */
  readonly lenientSignatures?: boolean
  /**
   * How long after its creation a transaction appears in `POST /tss/v2/searches` results, as
   * CyberSource's search index lags its transactions; `GET /tss/v2/transactions/{id}` is not
   * delayed. Default 0 (searchable at once).
   */
  readonly searchLagMs?: number
  /** Card number → outcome, merged over `defaultCardTriggers`. */
  readonly cardTriggers?: { readonly [cardNumber: string]: Trigger }
  /** Decimal amount (`"2540.00"`) → outcome; compared by value in the request's currency. */
  readonly amountTriggers?: { readonly [amount: string]: Trigger }
  /** Known TMS profile ids; when set, every other `profile-id` is 424. Default: every 36-character id. */
  readonly profileIds?: ReadonlyArray<string>
  /** Where webhooks go; none are sent (but all are recorded) until set. */
  readonly webhookUrl?: string
  /** Base64 webhook signing key; default `defaultWebhookKey.key`. */
  readonly webhookKey?: string
  readonly webhookKeyId?: string
  /** Default `payload`. */
  readonly webhookSignatureVariant?: WebhookSignatureVariant
  /** Delays before webhook retries after a non-2xx answer; default none. */
  readonly webhookRetryDelaysMs?: ReadonlyArray<number>
}

/**
 * One payment as the emulator holds it; amounts in minor units.
 *
 * @since 0.1.0
 * @category models
 */
export interface PaymentView {
  readonly id: string
  readonly code: string | undefined
  /** The status the creation answered (`AUTHORIZED`, `DECLINED`, …). */
  readonly createdStatus: string
  /** The current status as transaction details report it (`REVERSED`, `VOIDED`, `TRANSMITTED`, …). */
  readonly status: string
  readonly sale: boolean
  readonly currency: string
  readonly totalAmount: number
  readonly authorized: number
  readonly captured: number
  readonly refunded: number
  readonly captureIds: ReadonlyArray<string>
  readonly refundIds: ReadonlyArray<string>
  readonly reversalId: string | undefined
  /** The stored-credential flags the creation carried (`processingInformation.authorizationOptions.initiator`). */
  readonly initiator: Readonly<Record<string, unknown>> | undefined
}

/**
 * A refused request and why (the wire answer is the same 401 for every reason).
 *
 * @since 0.1.0
 * @category models
 */
export type AuthFailure = Router.AuthFailure

/**
 * A webhook the emulator emitted, with its exact body and headers.
 *
 * @since 0.1.0
 * @category models
 */
export type WebhookDelivery = WebhookSender.Delivery

/**
 * What the emulator knows, for assertions.
 *
 * @since 0.1.0
 * @category models
 */
export interface Truth {
  /**
   * How many payments with this `clientReferenceInformation.code` were approved (`AUTHORIZED`,
   * `PARTIAL_AUTHORIZED`, `AUTHORIZED_PENDING_REVIEW`), whatever happened to them afterwards. More
   * than 1 means the customer was charged twice.
   */
  readonly chargesFor: (code: string) => number
  /** How many POST /pts/v2/payments records carry this code, declined ones included. */
  readonly paymentsFor: (code: string) => number
  /** Payments, oldest first, of one `clientReferenceInformation.code` or of all. */
  readonly payments: (code?: string) => ReadonlyArray<PaymentView>
  readonly payment: (id: string) => PaymentView | undefined
  /** Live TMS tokens. */
  readonly tokens: () => {
    readonly customers: number
    readonly paymentInstruments: number
    readonly instrumentIdentifiers: number
  }
  readonly authFailures: () => ReadonlyArray<AuthFailure>
  /** Payer authentications (Check Enrollment answers), oldest first. */
  readonly authentications: () => ReadonlyArray<AuthenticationView>
}

/**
 * Webhook delivery control.
 *
 * @since 0.1.0
 * @category models
 */
export interface WebhookControl {
  readonly key: string
  readonly keyId: string
  /** Send every later webhook to `url` (undefined: record them without sending). */
  readonly setUrl: (url: string | undefined) => void
  readonly deliveries: () => ReadonlyArray<WebhookDelivery>
  /** The first delivery matching `predicate` that is no longer pending (rejects after `timeoutMs`, default 5 s). */
  readonly wait: (predicate?: (delivery: WebhookDelivery) => boolean, timeoutMs?: number) => Promise<WebhookDelivery>
  /** Forgets recorded deliveries. */
  readonly clear: () => void
}

/**
 * What the real gateway does on its own schedule, on demand.
 *
 * @since 0.1.0
 * @category models
 */
export interface Simulate {
  /** Batch settlement: pending sales, captures and refunds become `TRANSMITTED` (no longer voidable). Returns how many. */
  readonly settle: () => number
  /**
   * The payer passes the 3-D Secure challenge of a `PENDING_AUTHENTICATION` payment (by its id or
   * its `authenticationTransactionId`) — `payerAuthentication.complete(id, "success")`; a follow-up
   * payment with `VALIDATE_CONSUMER_AUTHENTICATION` then authorizes. Returns the
   * `authenticationTransactionId`, or `undefined` if unknown.
   */
  readonly completeAuthentication: (paymentOrAuthenticationId: string) => string | undefined
}

/**
 * A running emulator.
 *
 * @since 0.1.0
 * @category models
 */
export interface CyberSourceEmulator {
  /** `http://127.0.0.1:PORT` — the API paths (`/pts/v2/payments`, …) hang off it. */
  readonly baseUrl: string
  /** The same as `baseUrl` (CyberSource has no base path), named as for the other emulators. */
  readonly origin: string
  /**
   * `http://127.0.0.1:PORT/__payport/truth`: the truth endpoint for other processes
   * (`?reference=<clientReferenceInformation.code>`; see the package README). Always on, never
   * faulted, no credentials; outside the API paths (`/pts`, `/tss`, `/tms`).
   */
  readonly truthUrl: string
  readonly port: number
  readonly merchantId: string
  readonly keyId: string
  /** Plain text: a local test credential. */
  readonly sharedSecret: string
  readonly faults: EmulatorFaults.Controller
  readonly truth: Truth
  readonly webhooks: WebhookControl
  readonly simulate: Simulate
  readonly payerAuthentication: PayerAuthenticationControl
}

/** 5xx status → documented `SERVER_ERROR` reason. */
const serverErrorReasons: { readonly [status: number]: ServerErrorReason } = {
  503: "SERVICE_TIMEOUT",
  504: "SERVER_TIMEOUT"
}

const resourceHref: { readonly [R in Notice["resource"]]: (id: string) => string } = {
  payments: (id) => `/pts/v2/payments/${id}`,
  captures: (id) => `/pts/v2/captures/${id}`,
  refunds: (id) => `/pts/v2/refunds/${id}`,
  reversals: (id) => `/pts/v2/reversals/${id}`
}

/**
 * Starts an emulator on 127.0.0.1; it stops when the scope closes.
 *
 * @since 0.1.0
 * @category constructors
 */
export const start = (options: Options = {}): Effect.Effect<CyberSourceEmulator, never, Scope.Scope> =>
  Effect.gen(function* () {
    const clock = options.clock ?? Date.now
    const credentials = {
      merchantId: options.merchantId ?? sampleCredentials.merchantId,
      keyId: options.keyId ?? sampleCredentials.keyId,
      sharedSecret: options.sharedSecret ?? sampleCredentials.sharedSecret
    }
    const seed = options.seed ?? 1
    const store = new Store(seed)
    const searchLagMs = Math.max(0, options.searchLagMs ?? 0)
    const config: Router.Config = {
      credentials,
      maxSkewMs: options.maxClockSkewMs ?? 5 * 60 * 1000,
      lenientSignatures: options.lenientSignatures ?? false,
      profileIds: options.profileIds
    }
    const cardTriggers = { ...Cards.defaultCardTriggers, ...options.cardTriggers }
    const amountTriggers = { ...options.amountTriggers }
    const webhookKey = options.webhookKey ?? defaultWebhookKey.key
    const webhookKeyId = options.webhookKeyId ?? defaultWebhookKey.keyId
    const variant = options.webhookSignatureVariant ?? "payload"
    const webhookId = store.uuid()
    let webhookUrl = options.webhookUrl
    const authFailures: Array<AuthFailure> = []

    const sender = WebhookSender.make({
      now: clock,
      ...(options.webhookRetryDelaysMs === undefined ? {} : { retryDelaysMs: options.webhookRetryDelaysMs })
    })
    yield* Effect.addFinalizer(() => Effect.sync(() => sender.close()))

    const deliver = (notice: Notice, now: number) => {
      const body = Webhooks.notificationBody({
        eventType: notice.eventType,
        webhookId,
        organizationId: credentials.merchantId,
        eventDate: submitTime(now),
        retryNumber: 0,
        resource: notice.resource,
        id: notice.id,
        href: resourceHref[notice.resource](notice.id)
      })
      const traceId = store.uuid()
      sender.send({
        event: notice.eventType,
        url: webhookUrl,
        body,
        headers: (attempt) => ({
          "v-c-signature": Webhooks.signatureHeader({
            key: webhookKey,
            keyId: webhookKeyId,
            t: clock(),
            rawBody: body,
            variant
          }),
          "v-c-event-type": notice.eventType,
          "v-c-organization-id": credentials.merchantId,
          "v-c-product-name": "cardProcessing",
          "v-c-request-type": "NEW",
          "v-c-retry-count": String(attempt - 1),
          "v-c-transaction-trace-id": traceId,
          "v-c-webhook-id": webhookId
        })
      })
    }

    const envAt = (now: number, notices: Array<Notice>): Env => ({
      store,
      now,
      merchantId: credentials.merchantId,
      cardTriggers,
      amountTriggers,
      notify: (notice) => notices.push(notice),
      searchLagMs
    })

    const inForce = (status: SettlementStatus | undefined): boolean => status !== undefined && status !== "VOIDED"

    // The truth endpoint's view: the reference is the payment's `clientReferenceInformation.code`;
    // captures and refunds count under their payment's reference, whatever code they carry.
    const attemptOf = (payment: PaymentRecord): TruthEndpoint.Attempt => {
      const ledger = Transactions.ledgerOf(envAt(clock(), []), payment)
      const approved = Payments.isApproved(payment.status)
      const captures = payment.sale
        ? approved && payment.saleSettlement !== "VOIDED"
          ? 1
          : 0
        : payment.captureIds.filter((id) => inForce(store.captures.get(id)?.status)).length
      return {
        id: payment.id,
        status: ledger.status,
        kind: payment.sale ? "sale" : "authorization",
        approved,
        currency: payment.currency,
        amount: payment.totalAmount,
        authorized: approved ? payment.authorizedAmount : 0,
        captures,
        captured: ledger.captured,
        refunds: payment.refundIds.filter((id) => inForce(store.refunds.get(id)?.status)).length,
        refunded: ledger.refunded
      }
    }
    const truthSource: TruthEndpoint.Source = {
      provider: "cybersource",
      references: () => [
        ...new Set([...store.payments.values()].flatMap((p) => (p.code === undefined ? [] : [p.code])))
      ],
      attempts: (code) =>
        [...store.payments.values()].filter((p) => code === undefined || p.code === code).map(attemptOf)
    }

    const handler = (request: Http.Request): Http.Reply => {
      // The payer's browser pages (device data collection, step-up, ACS) carry no API credentials.
      if (ChallengePage.handles(request.path)) return ChallengePage.handle(store, request, clock())
      const now = clock()
      const product = Router.productOf(request.path)
      const correlationId = store.uuid()
      const failure = Router.authenticate(request, config, now)
      if (failure !== undefined) {
        authFailures.push({
          method: request.method,
          path: request.path,
          reason: failure.reason,
          detail: failure.detail
        })
        return Router.toHttp(Router.refused, product, correlationId, correlationId)
      }
      const notices: Array<Notice> = []
      const reply = Router.dispatch(envAt(now, notices), request, config)
      for (const notice of notices) deliver(notice, now)
      return Router.toHttp(reply, product, correlationId, store.uuid())
    }

    const faultReplies: Server.FaultReplies = {
      error: (status, request) => {
        const now = clock()
        const product = Router.productOf(request.path)
        const reply =
          product === "tms"
            ? tms.serverError()
            : serverError(now, store.transactionIdAt(now), serverErrorReasons[status] ?? "SYSTEM_ERROR", status)
        return Router.toHttp({ ...reply, status }, product, store.uuid(), store.uuid())
      },
      rateLimit: (retryAfterSeconds, request) =>
        Router.toHttp(rateLimited(retryAfterSeconds), Router.productOf(request.path), store.uuid(), store.uuid())
    }

    const engine = Faults.make(seed, options.faults ?? [])
    const running = yield* Server.start({
      ...(options.port === undefined ? {} : { port: options.port }),
      ...(options.host === undefined ? {} : { host: options.host }),
      handler,
      faults: engine,
      faultReplies,
      truth: truthSource
    })
    PayerAuthentication.configure(store, running.origin)

    const view = (id: string): PaymentView | undefined => {
      const payment = store.payments.get(id)
      if (payment === undefined) return undefined
      const ledger = Transactions.ledgerOf(envAt(clock(), []), payment)
      return {
        id: payment.id,
        code: payment.code,
        createdStatus: payment.status,
        status: ledger.status,
        sale: payment.sale,
        currency: payment.currency,
        totalAmount: payment.totalAmount,
        authorized: ledger.authorized,
        captured: ledger.captured,
        refunded: ledger.refunded,
        captureIds: [...payment.captureIds],
        refundIds: [...payment.refundIds],
        reversalId: payment.reversalId,
        initiator: payment.initiator
      }
    }
    const authenticationView = (record: PayerAuthentication.AuthenticationRecord): AuthenticationView => ({
      authenticationTransactionId: record.id,
      code: record.code,
      scenario: record.scenario,
      cardSuffix: record.number.slice(-4),
      currency: record.currency,
      amount: record.amount,
      challenge: record.challenge,
      paresStatus: record.result?.paresStatus,
      usedBy: record.consumedBy,
      pendingPaymentId: record.paymentId
    })
    const live = <T extends { readonly deleted: boolean }>(values: Iterable<T>) =>
      [...values].filter((v) => !v.deleted).length

    return {
      baseUrl: running.origin,
      origin: running.origin,
      truthUrl: `${running.origin}${TruthEndpoint.PATH}`,
      port: running.port,
      merchantId: credentials.merchantId,
      keyId: credentials.keyId,
      sharedSecret: credentials.sharedSecret,
      faults: engine.controller,
      truth: {
        chargesFor: (code) =>
          [...store.payments.values()].filter((p) => p.code === code && Payments.isApproved(p.status)).length,
        paymentsFor: (code) => [...store.payments.values()].filter((p) => p.code === code).length,
        payments: (code) =>
          [...store.payments.values()].flatMap((p) =>
            code === undefined || p.code === code ? (view(p.id) ?? []) : []
          ),
        payment: view,
        tokens: () => ({
          customers: live(store.customers.values()),
          paymentInstruments: live(store.paymentInstruments.values()),
          instrumentIdentifiers: live(store.instrumentIdentifiers.values())
        }),
        authFailures: () => [...authFailures],
        authentications: () => PayerAuthentication.all(store).map(authenticationView)
      },
      webhooks: {
        key: webhookKey,
        keyId: webhookKeyId,
        setUrl: (url) => {
          webhookUrl = url
        },
        deliveries: () => sender.deliveries(),
        wait: (predicate, timeoutMs) => sender.wait(predicate, timeoutMs),
        clear: () => sender.clear()
      },
      simulate: {
        settle: () => Payments.settle(envAt(clock(), [])),
        completeAuthentication: (idOrAuthentication) => {
          const authId = store.payments.get(idOrAuthentication)?.authenticationTransactionId ?? idOrAuthentication
          return PayerAuthentication.complete(store, authId, "success") === undefined ? undefined : authId
        }
      },
      payerAuthentication: {
        complete: (authId, outcome) => PayerAuthentication.complete(store, authId, outcome),
        authentication: (authId) => {
          const record = PayerAuthentication.byId(store, authId)
          return record === undefined ? undefined : authenticationView(record)
        }
      }
    } satisfies CyberSourceEmulator
  })

/**
 * The emulator as a service, for `it.layer`.
 *
 * @since 0.1.0
 * @category tags
 */
export class Emulator extends Context.Tag("@payport/emulators/CyberSourceEmulator")<Emulator, CyberSourceEmulator>() {}

/**
 * A layer that starts an emulator and stops it with the layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options?: Options): Layer.Layer<Emulator> => Layer.scoped(Emulator, start(options))
