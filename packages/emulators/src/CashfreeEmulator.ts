/**
 * A wire-faithful emulator of the Cashfree Payment Gateway API (`/pg`), written from Cashfree's
 * documents (providers/cashfree.md, the 2022-09-01 / 2023-08-01 / 2025-01-01 OpenAPI documents and
 * the SDK docs) independently of Payport's Cashfree adapter, so each is a check on the other.
 *
 * It serves, on loopback HTTP: orders (create, get, terminate), Order Pay for every documented
 * method with the sandbox's test data deciding outcomes, the headless OTP call, payments
 * (list, get), pre-authorisation capture/void, refunds (create, get, list), the token vault (list,
 * get, delete, cryptogram), customers, `/simulate`; with client-credential checks (401),
 * `x-api-version` checks and per-version response shapes (integer `cf_*` ids under 2022-09-01),
 * idempotency replay (`x-idempotency-replayed`, 422 on a different body), rate-limit headers,
 * documented error bodies, a payer page at Order Pay's `data.url`, and signed webhooks to the
 * order's `notify_url`. Faults (latency, 5xx, 429, connection reset, commit-then-drop) are
 * injected per `EmulatorFaults`, deterministically from `seed`; the truth API tells tests what
 * exists at the "provider", in-process (`truth`) or over HTTP from another process
 * (`GET /__payport/truth?reference=<order_id>` at `truthUrl`, never faulted).
 *
 * Sandbox data (see `internal/cashfree/SandboxData.ts`): cards 4111111111111111, 5105105105105100,
 * 4576238912771450, 6074825972083818 and unknown Luhn-valid cards pay at once; Cashfree's other
 * documented sandbox cards (e.g. 4706131211212123) need OTP `111000` (`channel: "post"`) or the
 * payer page (`"link"`); 4000000000000002 and the other declining sandbox cards are declined
 * with `error_details`; UPI `testsuccess@gocash` approves, `testfailure@gocash` fails,
 * `testinvalid@gocash` is refused, `testuserdropped@gocash` drops; netbanking `TESTR`/`3333`.
 * Orders with `order_note: "preauth_transaction"` (or UPI `authorize_only`) are held for capture.
 *
 * For tests of a Cashfree adapter, `layerWith(ports)` starts an emulator with the adapter beside
 * it; `@payport/testkit/CashfreeFixtures` has the contract-suite fixtures and the model harness.
 *
 * @example
 * ```ts
 * import * as CashfreeEmulator from "@payport/emulators/CashfreeEmulator"
 * import * as Effect from "effect/Effect"
 * import { deepStrictEqual } from "node:assert"
 *
 * const program = Effect.gen(function* () {
 *   const cf = yield* CashfreeEmulator.start()
 *   const res = yield* Effect.promise(() =>
 *     fetch(`${cf.baseUrl}/orders`, {
 *       method: "POST",
 *       headers: {
 *         "content-type": "application/json",
 *         "x-api-version": "2025-01-01",
 *         "x-client-id": cf.clientId,
 *         "x-client-secret": cf.clientSecret
 *       },
 *       body: JSON.stringify({
 *         order_amount: 10.5,
 *         order_currency: "INR",
 *         customer_details: { customer_id: "c_1", customer_phone: "9999999999" }
 *       })
 *     })
 *   )
 *   const order = (yield* Effect.promise(() => res.json())) as { readonly order_id: string }
 *   // The truth API: what the "provider" now holds (amounts in minor units).
 *   return { status: res.status, amount: cf.truth.order(order.order_id)?.amount }
 * }).pipe(Effect.scoped)
 *
 * Effect.runPromise(program).then((result) => deepStrictEqual(result, { status: 200, amount: 1050 }))
 * ```
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import type * as EmulatorFaults from "./EmulatorFaults.js"
import * as App from "./internal/cashfree/App.js"
import * as GatewayPage from "./internal/cashfree/GatewayPage.js"
import * as OrderPay from "./internal/cashfree/OrderPay.js"
import type { Instrument, Order, Payment, Refund, State } from "./internal/cashfree/State.js"
import { paymentsOf, refundsOf } from "./internal/cashfree/State.js"
import * as Versions from "./internal/cashfree/Versions.js"
import * as WebhookEvents from "./internal/cashfree/WebhookEvents.js"
import * as Faults from "./FaultEngine.js"
import * as Server from "./internal/emulator/Server.js"
import * as TruthEndpoint from "./internal/emulator/TruthEndpoint.js"
import * as WebhookSender from "./internal/emulator/WebhookSender.js"

/**
 * The client id used when none is given.
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULT_CLIENT_ID = "TEST_PAYPORT_EMULATOR_CLIENT"

/**
 * The client secret used when none is given (a local test credential, not a real secret).
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULT_CLIENT_SECRET = "cfsk_ma_test_payport_emulator_secret"

/**
 * An `x-api-version` the emulator serves.
 *
 * @since 0.1.0
 * @category models
 */
export type ApiVersion = Versions.Version

/**
 * The served versions, oldest first: 2022-09-01, 2023-08-01, 2025-01-01, 2026-01-01 (served as
 * 2025-01-01, which has the latest published spec).
 *
 * @since 0.1.0
 * @category constants
 */
export const apiVersions: ReadonlyArray<ApiVersion> = Versions.supported

/**
 * Emulator options.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  readonly port?: number
  /** Interface to bind; default `127.0.0.1`. */
  readonly host?: string
  readonly clientId?: string
  readonly clientSecret?: string
  /** Seeds ids, tokens, cryptograms and fault probabilities (default 1). */
  readonly seed?: number
  readonly faults?: ReadonlyArray<EmulatorFaults.Rule>
  /** The emulator's clock in epoch milliseconds (default `Date.now`). */
  readonly clock?: () => number
  /** How long a refund stays `PENDING` before `SUCCESS` (default 0: the next read sees `SUCCESS`). */
  readonly refundProcessingMs?: number
  /**
   * When set, a UPI collect request approves itself (with its VPA's outcome) after this many
   * milliseconds, like the real sandbox; by default it waits for the payer or `/simulate`.
   */
  readonly upiCollectAutoCompleteMs?: number
  /** Answer 429 when a documented per-minute limit is exceeded (default: headers only). */
  readonly enforceRateLimits?: boolean
  /** Deliver every webhook here instead of the order's `notify_url`. */
  readonly webhookUrl?: string
  /** A fixed `x-webhook-version` (default: the version the order was created with). */
  readonly webhookVersion?: ApiVersion
  /** Delays before webhook retries after a non-2xx answer (default: no retries). */
  readonly webhookRetryDelaysMs?: ReadonlyArray<number>
}

/**
 * An order as the emulator holds it (amounts in minor units).
 *
 * @since 0.1.0
 * @category truth
 */
export interface OrderRecord {
  readonly orderId: string
  readonly cfOrderId: number
  readonly status: string
  readonly amount: number
  readonly currency: string
  readonly customerId: string
  readonly preauth: boolean
  readonly paymentSessionId: string
  readonly returnUrl: string | null
  readonly notifyUrl: string | null
  readonly version: ApiVersion
}

/**
 * A payment attempt as the emulator holds it (amounts in minor units).
 *
 * @since 0.1.0
 * @category truth
 */
export interface PaymentRecord {
  readonly cfPaymentId: number
  readonly orderId: string
  readonly status: string
  readonly amount: number
  readonly currency: string
  /** The Order Pay method key: card, upi, netbanking, app, emi, cardless_emi, paylater. */
  readonly method: string
  readonly channel: string
  readonly preauth: boolean
  readonly isCaptured: boolean
  /** What was captured: the whole amount for a sale, the CAPTURE amount for a hold, else 0. */
  readonly capturedAmount: number
  readonly authorizationAction: "CAPTURE" | "VOID" | null
  readonly errorCode: string | null
  /** What completes it while `PENDING`: the payer page, the OTP call, a UPI approval, or nothing. */
  readonly step: "none" | "redirect" | "otp" | "upi"
  /** The payer page (approve/decline), also for attempts whose response has no `data.url`. */
  readonly pageUrl: string
  readonly instrumentId: string | null
}

/**
 * A refund as the emulator holds it (amounts in minor units).
 *
 * @since 0.1.0
 * @category truth
 */
export interface RefundRecord {
  readonly refundId: string
  readonly cfRefundId: number
  readonly orderId: string
  readonly cfPaymentId: number
  readonly amount: number
  readonly currency: string
  readonly status: string
  readonly speed: string
}

/**
 * A saved card as the emulator holds it.
 *
 * @since 0.1.0
 * @category truth
 */
export interface InstrumentRecord {
  readonly instrumentId: string
  readonly customerId: string
  readonly status: "ACTIVE" | "INACTIVE"
  readonly display: string
  readonly network: string
  readonly afaReference: number
  readonly tokenPan: string
}

/**
 * What exists at the "provider", for exactly-once and state assertions.
 *
 * @since 0.1.0
 * @category truth
 */
export interface Truth {
  /**
   * How many attempts of the order reached `SUCCESS` (a sale or an authorisation), whatever
   * happened to them afterwards. More than 1 means the customer was charged twice.
   */
  readonly chargesFor: (orderId: string) => number
  readonly order: (orderId: string) => OrderRecord | undefined
  readonly orders: () => ReadonlyArray<OrderRecord>
  /** Attempts, oldest first, of one order or of all. */
  readonly payments: (orderId?: string) => ReadonlyArray<PaymentRecord>
  readonly refunds: (orderId?: string) => ReadonlyArray<RefundRecord>
  readonly instruments: (customerId?: string) => ReadonlyArray<InstrumentRecord>
}

/**
 * Acts as the payer for a pending attempt (what the payer page's buttons do). Throws for an unknown
 * `cf_payment_id`; does nothing to an attempt that is no longer `PENDING`.
 *
 * @since 0.1.0
 * @category payer
 */
export interface Payer {
  /** Approve: the outcome is what the sandbox data decides (e.g. `testfailure@gocash` fails). */
  readonly approve: (cfPaymentId: number | string) => PaymentRecord
  /** Decline: FAILED with `TRANSACTION_DECLINED`. */
  readonly decline: (cfPaymentId: number | string) => PaymentRecord
}

/**
 * A webhook the emulator emitted (`url` undefined: nowhere to send it, `state` `skipped`).
 *
 * @since 0.1.0
 * @category webhooks
 */
export interface WebhookDelivery {
  readonly id: number
  /** e.g. `PAYMENT_SUCCESS_WEBHOOK`, `REFUND_STATUS_WEBHOOK`, `INSTRUMENT_ACTIVE_WEBHOOK`. */
  readonly event: string
  readonly url: string | undefined
  readonly headers: Readonly<Record<string, string>>
  /** The raw body exactly as signed. */
  readonly body: string
  readonly state: "pending" | "delivered" | "failed" | "skipped"
  readonly attempts: ReadonlyArray<{ readonly at: number; readonly status?: number; readonly error?: string }>
}

/**
 * The webhooks so far, and where they go.
 *
 * @since 0.1.0
 * @category webhooks
 */
export interface Webhooks {
  readonly deliveries: () => ReadonlyArray<WebhookDelivery>
  /**
   * The payment webhooks (`PAYMENT_SUCCESS_WEBHOOK`, `PAYMENT_FAILED_WEBHOOK`,
   * `PAYMENT_USER_DROPPED_WEBHOOK`) emitted for one payment attempt, oldest first. Cashfree sends
   * none while an attempt is pending.
   */
  readonly forPayment: (cfPaymentId: number | string) => ReadonlyArray<WebhookDelivery>
  /** The first delivery matching `predicate` that is no longer pending (rejects after `timeoutMs`, default 5 s). */
  readonly wait: (predicate?: (delivery: WebhookDelivery) => boolean, timeoutMs?: number) => Promise<WebhookDelivery>
  /** Send every later webhook to `url` (undefined: back to each order's `notify_url`). */
  readonly setUrl: (url: string | undefined) => void
  readonly clear: () => void
}

/**
 * A running Cashfree emulator.
 *
 * @since 0.1.0
 * @category models
 */
export interface CashfreeEmulator {
  /** `http://127.0.0.1:PORT/pg` — the SDK's `basePath`, the adapter's base URL. */
  readonly baseUrl: string
  /** `http://127.0.0.1:PORT` */
  readonly origin: string
  /**
   * `http://127.0.0.1:PORT/__payport/truth`: the truth endpoint for other processes
   * (`?reference=<order_id>`; see the package README). Always on, never faulted, no credentials.
   */
  readonly truthUrl: string
  readonly port: number
  readonly clientId: string
  /** A local test credential, hence a plain string. */
  readonly clientSecret: string
  readonly faults: EmulatorFaults.Controller
  readonly truth: Truth
  readonly payer: Payer
  readonly webhooks: Webhooks
}

/**
 * Cashfree's webhook signature: base64(HMAC-SHA256(`secret`, `timestamp` + `rawBody`)), with
 * `timestamp` the `x-webhook-timestamp` header (epoch milliseconds) as sent.
 *
 * @since 0.1.0
 * @category webhooks
 */
export const signWebhook = (secret: string, timestamp: string, rawBody: string): string =>
  WebhookEvents.sign(secret, timestamp, rawBody)

const PAYMENT_EVENTS: ReadonlySet<string> = new Set([
  "PAYMENT_SUCCESS_WEBHOOK",
  "PAYMENT_FAILED_WEBHOOK",
  "PAYMENT_USER_DROPPED_WEBHOOK"
])

/** `data.payment.cf_payment_id` of a payment webhook, as text (an integer under 2022-09-01). */
const paymentIdOf = (delivery: WebhookDelivery): string | undefined => {
  if (!PAYMENT_EVENTS.has(delivery.event)) return undefined
  const parsed: unknown = JSON.parse(delivery.body)
  const data = typeof parsed === "object" && parsed !== null ? (parsed as { readonly data?: unknown }).data : undefined
  const payment =
    typeof data === "object" && data !== null ? (data as { readonly payment?: unknown }).payment : undefined
  const id =
    typeof payment === "object" && payment !== null
      ? (payment as { readonly cf_payment_id?: unknown }).cf_payment_id
      : undefined
  return typeof id === "number" || typeof id === "string" ? String(id) : undefined
}

const orderRecord = (o: Order): OrderRecord => ({
  orderId: o.orderId,
  cfOrderId: o.cfOrderId,
  status: o.status,
  amount: o.amount,
  currency: o.currency,
  customerId: o.customer.customer_id,
  preauth: o.preauth,
  paymentSessionId: o.paymentSessionId,
  returnUrl: o.returnUrl,
  notifyUrl: o.notifyUrl,
  version: o.version
})

const refundRecord = (r: Refund): RefundRecord => ({
  refundId: r.refundId,
  cfRefundId: r.cfRefundId,
  orderId: r.orderId,
  cfPaymentId: r.cfPaymentId,
  amount: r.amount,
  currency: r.currency,
  status: r.status,
  speed: r.speed
})

/** What a payment captured: the whole amount for a sale, the CAPTURE amount for a hold, else 0. */
const capturedOf = (p: Payment): number =>
  !p.isCaptured ? 0 : p.authorization?.action === "CAPTURE" ? p.authorization.capturedAmount : p.amount

/** Refunds that pay out or already did (Cashfree bounds new refunds by the same set). */
const inForce = (r: Refund): boolean => r.status !== "CANCELLED" && r.status !== "FAILED"

/** The truth endpoint's view of Cashfree: the reference is the `order_id`. */
const truthSource = (state: State): TruthEndpoint.Source => ({
  provider: "cashfree",
  references: () => [...state.orders.keys()],
  attempts: (orderId) => {
    const orders =
      orderId === undefined
        ? [...state.orders.values()]
        : [state.orders.get(orderId)].filter((order) => order !== undefined)
    return orders.flatMap((order) => {
      const refunds = refundsOf(state, order).filter(inForce)
      return paymentsOf(state, order).map((p): TruthEndpoint.Attempt => {
        const own = refunds.filter((r) => r.cfPaymentId === p.cfPaymentId)
        return {
          id: String(p.cfPaymentId),
          status: p.status,
          kind: p.preauth ? "authorization" : "sale",
          approved: p.charged,
          currency: p.currency,
          amount: p.amount,
          authorized: p.charged ? p.amount : 0,
          captures: p.isCaptured ? 1 : 0,
          captured: capturedOf(p),
          refunds: own.length,
          refunded: own.reduce((total, r) => total + r.amount, 0)
        }
      })
    })
  }
})

const instrumentRecord = (i: Instrument): InstrumentRecord => ({
  instrumentId: i.instrumentId,
  customerId: i.customerId,
  status: i.status,
  display: i.display,
  network: i.network,
  afaReference: i.afaReference,
  tokenPan: i.tokenPan
})

/**
 * Starts an emulator on loopback; it stops when the scope closes.
 *
 * @since 0.1.0
 * @category constructors
 */
export const start = (options: Options = {}): Effect.Effect<CashfreeEmulator, never, Scope.Scope> =>
  Effect.gen(function* () {
    const clientId = options.clientId ?? DEFAULT_CLIENT_ID
    const clientSecret = options.clientSecret ?? DEFAULT_CLIENT_SECRET
    const seed = options.seed ?? 1
    const now = options.clock ?? Date.now
    let webhookUrl = options.webhookUrl
    const sender = WebhookSender.make({ now, retryDelaysMs: options.webhookRetryDelaysMs ?? [] })
    const events = WebhookEvents.make(sender, {
      secret: clientSecret,
      now,
      urlOverride: () => webhookUrl,
      version: options.webhookVersion
    })
    const app = App.make({
      clientId,
      clientSecret,
      seed,
      now,
      refundProcessingMs: options.refundProcessingMs ?? 0,
      upiCollectAutoCompleteMs: options.upiCollectAutoCompleteMs,
      enforceRateLimits: options.enforceRateLimits ?? false,
      events
    })
    yield* Effect.addFinalizer(() =>
      Effect.sync(() => {
        app.close()
        sender.close()
      })
    )
    const { state } = app.world
    const engine = Faults.make(seed, options.faults ?? [])
    const running = yield* Server.start({
      ...(options.port === undefined ? {} : { port: options.port }),
      ...(options.host === undefined ? {} : { host: options.host }),
      handler: app.handler,
      faults: engine,
      faultReplies: app.faultReplies,
      truth: truthSource(state)
    })
    app.setOrigin(running.origin)

    const paymentRecord = (p: Payment): PaymentRecord => ({
      cfPaymentId: p.cfPaymentId,
      orderId: p.orderId,
      status: p.status,
      amount: p.amount,
      currency: p.currency,
      method: p.kind,
      channel: p.channel,
      preauth: p.preauth,
      isCaptured: p.isCaptured,
      capturedAmount: capturedOf(p),
      authorizationAction: p.authorization?.action ?? null,
      errorCode: p.error?.error_code ?? null,
      step: p.step,
      pageUrl: OrderPay.pageUrl(app.world, p),
      instrumentId: p.instrumentId ?? null
    })

    const findPayment = (id: number | string): Payment => {
      const payment = state.payments.get(Number(id))
      if (payment === undefined) throw new Error(`no payment with cf_payment_id ${id}`)
      return payment
    }

    const act = (id: number | string, how: typeof GatewayPage.approve): PaymentRecord => {
      const at = now()
      app.world.lifecycle.advance(at)
      const payment = findPayment(id)
      how(app.world, payment, at)
      return paymentRecord(payment)
    }

    const truth: Truth = {
      chargesFor: (orderId) => {
        const order = state.orders.get(orderId)
        return order === undefined ? 0 : paymentsOf(state, order).filter((p) => p.charged).length
      },
      order: (orderId) => {
        const order = state.orders.get(orderId)
        return order === undefined ? undefined : orderRecord(order)
      },
      orders: () => [...state.orders.values()].map(orderRecord),
      payments: (orderId) =>
        [...state.payments.values()].filter((p) => orderId === undefined || p.orderId === orderId).map(paymentRecord),
      refunds: (orderId) =>
        [...state.refunds.values()].filter((r) => orderId === undefined || r.orderId === orderId).map(refundRecord),
      instruments: (customerId) =>
        [...state.instruments.values()]
          .filter((i) => customerId === undefined || i.customerId === customerId)
          .map(instrumentRecord)
    }

    const emulator: CashfreeEmulator = {
      baseUrl: `${running.origin}/pg`,
      origin: running.origin,
      truthUrl: `${running.origin}${TruthEndpoint.PATH}`,
      port: running.port,
      clientId,
      clientSecret,
      faults: engine.controller,
      truth,
      payer: {
        approve: (id) => act(id, GatewayPage.approve),
        decline: (id) => act(id, GatewayPage.decline)
      },
      webhooks: {
        deliveries: sender.deliveries,
        forPayment: (id) => sender.deliveries().filter((d) => paymentIdOf(d) === String(id)),
        wait: sender.wait,
        setUrl: (url) => {
          webhookUrl = url
        },
        clear: sender.clear
      }
    }
    return emulator
  })

/**
 * The emulator as a service, for `it.layer` and layer composition.
 *
 * @since 0.1.0
 * @category tags
 */
export class Emulator extends Context.Tag("@payport/emulators/CashfreeEmulator")<Emulator, CashfreeEmulator>() {}

/**
 * A layer that starts an emulator for the layer's lifetime.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options = {}): Layer.Layer<Emulator> => Layer.scoped(Emulator, start(options))

/**
 * An emulator and, beside it, what `ports` builds from it (typically an adapter pointed at its
 * `baseUrl` with its credentials); both live as long as the layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerWith = <ROut, E, RIn>(
  ports: (emulator: CashfreeEmulator) => Layer.Layer<ROut, E, RIn>,
  options: Options = {}
): Layer.Layer<ROut | Emulator, E, RIn> =>
  Layer.unwrapEffect(Effect.map(Emulator, ports)).pipe(Layer.provideMerge(layer(options)))
