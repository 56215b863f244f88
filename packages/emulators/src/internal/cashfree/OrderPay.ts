/**
 * Order Pay (`POST /orders/sessions`, PGPayOrder) and the headless OTP call
 * (`POST /orders/pay/authenticate/{cf_payment_id}`, PGOrderAuthenticatePayment). Neither takes
 * client credentials (`security: []`); both are rate-limited per IP.
 *
 * Order Pay takes `payment_session_id` and exactly one `payment_method` (card, upi, netbanking,
 * app, emi, cardless_emi, paylater, banktransfer) and creates a payment attempt. What the caller
 * must do next is in `action`/`data`, and what the attempt does is decided by the sandbox data
 * (`SandboxData.ts`):
 *
 * | attempt                                   | response                                                          | then                                       |
 * |-------------------------------------------|-------------------------------------------------------------------|--------------------------------------------|
 * | card needing OTP, `channel: "link"`; netbanking, app, EMI, pay later, cardless EMI | `action: "link"`, `data.url` = the emulator's bank page, `payload {name}`, form POST | payer approves/declines on the page |
 * | card needing OTP, `channel: "post"`       | `action: "post"`, `data.url` = the OTP API for this payment        | SUBMIT_OTP `111000`                         |
 * | frictionless or declining card            | `action: "custom"`, empty `data` — the attempt is already final    | read it with Get Payment                   |
 * | UPI collect                               | `action: "custom"` (or `"collect"` with a loader `data.url` when `upi_redirect_url`) | payer approves; outcome by VPA  |
 * | UPI intent / QR                           | `action: "custom"`, `data.payload` deep links (`default`, `gpay`, `phonepe`, `paytm`, `bhim`) / `qrcode` | payer approves |
 *
 * Any pending attempt can also be completed with `POST /simulate`. A request Cashfree would refuse
 * gets the documented 4xx: `payment_session_id_invalid`, `orderpay_not_found` (order not active),
 * `channel_missing`, `card_invalid`, `card_cvv_missing`, `card_cvv_invalid`, `phone_missing`,
 * `phone_invalid`, `provider_missing`, `payment_method_unsupported`, …
 */
import type * as Json from "../emulator/Json.js"
import * as Errors from "./Errors.js"
import * as Fields from "./Fields.js"
import * as Render from "./Render.js"
import { type Context, limits, ok, param, type Result, type Route, type World } from "./Route.js"
import * as SandboxData from "./SandboxData.js"
import type { CardToSave, MethodKind, Order, Payment, Step } from "./State.js"
import * as Versions from "./Versions.js"

/** How the Order Pay response tells the caller to proceed. */
type Next =
  | { readonly _tag: "page" }
  | { readonly _tag: "otp" }
  | { readonly _tag: "final" }
  | { readonly _tag: "collect"; readonly loader: boolean }
  | { readonly _tag: "intent" }
  | { readonly _tag: "qr" }

/** A validated payment method, before the attempt is recorded. */
interface Attempt {
  readonly kind: MethodKind
  readonly channel: string
  readonly group: string
  /** `order_meta.payment_methods` codes that allow this attempt. */
  readonly codes: ReadonlyArray<string>
  readonly method: Readonly<Record<string, unknown>>
  readonly step: Step
  readonly approval: SandboxData.Outcome
  /** Set when the attempt is final at once (frictionless or declined card). */
  readonly immediate?: SandboxData.Outcome
  readonly next: Next
  readonly save?: CardToSave
  readonly instrumentId?: string
  readonly preauthCapable: boolean
  readonly authorizeOnly?: boolean
  readonly autoComplete?: boolean
}

const CVV = /^\d{3,4}$/

const maskCard = (number: string): string =>
  number.length <= 10 ? number : `${number.slice(0, 6)}${"X".repeat(number.length - 10)}${number.slice(-4)}`

const channelOf = (m: Fields.Obj, allowed: ReadonlyArray<string>): string =>
  Fields.string(m, "channel", "channel", true, { oneOf: allowed })

const phoneOf = (m: Fields.Obj): string =>
  Fields.string(m, "phone", "phone", true, {
    pattern: /^\d{10}$/,
    expect: "must contain a valid 10-digit Indian phone number"
  })

const cvvOf = (m: Fields.Obj): string =>
  Fields.string(m, "card_cvv", "card_cvv", true, { pattern: CVV, expect: "invalid value for parameter: card_cvv" })

const cardNumberOf = (m: Fields.Obj, required: boolean): string | undefined => {
  const value = required
    ? Fields.string(m, "card_number", "card_number", true)
    : Fields.string(m, "card_number", "card_number")
  if (value === undefined) return undefined
  if (!/^\d{12,19}$/.test(value) || !(SandboxData.luhnValid(value) || SandboxData.isKnownCard(value)))
    throw Errors.invalid("card_number", "invalid value for parameter: card_number")
  return value
}

const expiryOf = (m: Fields.Obj): { readonly mm: string; readonly yy: string } => ({
  mm: Fields.string(m, "card_expiry_mm", "card_expiry_mm", true, {
    pattern: /^(0[1-9]|1[0-2])$/,
    expect: "should be a two digit month"
  }),
  yy: Fields.string(m, "card_expiry_yy", "card_expiry_yy", true, {
    pattern: /^\d{2}$/,
    expect: "should be a two digit year"
  })
})

const cardCodes = (type: SandboxData.CardProfile["type"]): ReadonlyArray<string> =>
  type === "debit_card" ? ["dc"] : type === "prepaid_card" ? ["ppc"] : ["cc", "ccc"]

const cardMethod = (
  key: "card" | "emi",
  channel: string,
  number: string,
  profile: SandboxData.CardProfile,
  extra: Readonly<Record<string, unknown>>
): Readonly<Record<string, unknown>> => ({
  [key]: {
    channel,
    card_number: maskCard(number),
    card_network: profile.network.toLowerCase(),
    card_type: profile.type,
    card_country: "IN",
    card_bank_name: SandboxData.testCardBank,
    card_network_reference_id: null,
    ...extra
  }
})

const card = (m: Fields.Obj, world: World, order: Order, save: boolean): Attempt => {
  const channel = channelOf(m, ["link", "post"])
  const instrumentId = Fields.string(m, "instrument_id", "instrument_id")
  let number: string
  let toSave: CardToSave | undefined
  if (instrumentId !== undefined) {
    const saved = world.state.instruments.get(instrumentId)
    if (saved === undefined || saved.status !== "ACTIVE" || saved.customerId !== order.customer.customer_id)
      throw Errors.invalid("instrument_id", "no saved card with this instrument_id for the order's customer")
    cvvOf(m)
    number = saved.cardNumber
  } else {
    const given = cardNumberOf(m, false)
    if (given === undefined)
      throw Errors.badRequest(
        "card_invalid",
        "The card field is invalid. Provide payment details using one of the following: card details, card_alias, instrument_id, or cryptogram."
      )
    const expiry = expiryOf(m)
    const cryptogram = Fields.string(m, "cryptogram", "cryptogram")
    Fields.string(m, "card_holder_name", "card_holder_name", false, { max: 100 })
    if (cryptogram === undefined) cvvOf(m)
    else if (m.card_cvv !== undefined && m.card_cvv !== null && m.card_cvv !== "") cvvOf(m)
    // A network token issued by this emulator's vault pays with the card behind it.
    const token = [...world.state.instruments.values()].find((i) => i.tokenPan === given && i.status === "ACTIVE")
    number = cryptogram !== undefined && token !== undefined ? token.cardNumber : given
    toSave = save && cryptogram === undefined ? { number: given, expiryMm: expiry.mm, expiryYy: expiry.yy } : undefined
  }
  const profile = SandboxData.cardProfile(number)
  const method = cardMethod(
    "card",
    channel,
    number,
    profile,
    instrumentId === undefined ? {} : { instrument_id: instrumentId }
  )
  const base = {
    kind: "card" as const,
    channel,
    group: profile.type,
    codes: cardCodes(profile.type),
    method,
    preauthCapable: true,
    ...(toSave === undefined ? {} : { save: toSave }),
    ...(instrumentId === undefined ? {} : { instrumentId })
  }
  if (profile.decline !== undefined)
    return { ...base, step: "none", approval: profile.decline, immediate: profile.decline, next: { _tag: "final" } }
  if (!profile.authentication)
    return {
      ...base,
      step: "none",
      approval: SandboxData.success,
      immediate: SandboxData.success,
      next: { _tag: "final" }
    }
  return channel === "post"
    ? { ...base, step: "otp", approval: SandboxData.success, next: { _tag: "otp" } }
    : { ...base, step: "redirect", approval: SandboxData.success, next: { _tag: "page" } }
}

const VPA = /^[A-Za-z0-9._-]{2,256}@[A-Za-z][A-Za-z0-9.-]{1,64}$/

const upi = (m: Fields.Obj, world: World): Attempt => {
  const channel = channelOf(m, ["link", "collect", "qrcode"])
  const authorizeOnly = Fields.boolean(m, "authorize_only", "authorize_only") ?? false
  const minutes = m.upi_expiry_minutes
  if (minutes !== undefined && minutes !== null && (typeof minutes !== "number" || minutes < 5 || minutes > 15))
    throw Errors.invalid("upi_expiry_minutes", "should be between 5 and 15")
  const base = {
    kind: "upi" as const,
    channel,
    group: "upi",
    codes: ["upi"],
    step: "upi" as const,
    preauthCapable: true,
    authorizeOnly
  }
  if (channel === "collect") {
    const vpa = Fields.string(m, "upi_id", "upi_id", true)
    if (!VPA.test(vpa)) throw Errors.badRequest("upi.vpa_invalid", "upi_id : invalid vpa")
    const behaviour = SandboxData.vpaBehaviour(vpa)
    if (behaviour._tag === "refused") throw Errors.badRequest("upi.vpa_invalid", "upi_id : invalid vpa")
    const loader = Fields.boolean(m, "upi_redirect_url", "upi_redirect_url") ?? false
    return {
      ...base,
      method: { upi: { channel, upi_id: vpa, upi_payer_ifsc: null, upi_payer_account_number: null } },
      approval: behaviour.outcome,
      next: { _tag: "collect", loader },
      autoComplete: world.settings.upiCollectAutoCompleteMs !== undefined
    }
  }
  const vpa = Fields.string(m, "upi_id", "upi_id")
  const approval = vpa === undefined ? SandboxData.success : SandboxData.vpaBehaviour(vpa)
  return {
    ...base,
    method: { upi: { channel, upi_id: vpa ?? null, upi_payer_ifsc: null, upi_payer_account_number: null } },
    approval: approval._tag === "outcome" ? approval.outcome : SandboxData.success,
    next: channel === "link" ? { _tag: "intent" } : { _tag: "qr" }
  }
}

const netbanking = (m: Fields.Obj): Attempt => {
  const channel = channelOf(m, ["link"])
  const codeValue = m.netbanking_bank_code
  let code: number | null = null
  if (codeValue !== undefined && codeValue !== null) {
    const text = String(codeValue)
    if (!/^\d{4}$/.test(text)) throw Errors.invalid("netbanking_bank_code", "should be a 4 digit bank code")
    code = Number(text)
  }
  const name = Fields.string(m, "netbanking_bank_name", "netbanking_bank_name", false, {
    pattern: /^[A-Z]{5}$/,
    expect: "should be a 5 letter bank code"
  })
  if (code === null && name === undefined) throw Errors.missing("netbanking_bank_code")
  const isTestBank = code === SandboxData.testBank.code || name === SandboxData.testBank.name
  return {
    kind: "netbanking",
    channel,
    group: "net_banking",
    codes: ["nb"],
    method: {
      netbanking: {
        channel,
        netbanking_bank_code: isTestBank ? SandboxData.testBank.code : code,
        netbanking_bank_name: isTestBank ? SandboxData.testBank.displayName : (name ?? `Bank ${code}`),
        netbanking_ifsc: null,
        netbanking_account_number: null
      }
    },
    step: "redirect",
    approval: SandboxData.success,
    next: { _tag: "page" },
    preauthCapable: false
  }
}

const providerOf = (m: Fields.Obj, providers: ReadonlyArray<string>): string =>
  Fields.string(m, "provider", "provider", true, { oneOf: providers })

const app = (m: Fields.Obj): Attempt => {
  const channel = channelOf(m, ["link"])
  const provider = providerOf(m, [
    "gpay",
    "phonepe",
    "ola",
    "paytm",
    "amazon",
    "airtel",
    "freecharge",
    "mobikwik",
    "jio"
  ])
  const phone = phoneOf(m)
  return {
    kind: "app",
    channel,
    group: "wallet",
    codes: ["app"],
    method: { app: { channel, provider, phone } },
    step: "redirect",
    approval: SandboxData.success,
    next: { _tag: "page" },
    preauthCapable: false
  }
}

const EMI_BANKS = [
  "hdfc",
  "kotak",
  "icici",
  "rbl",
  "bob",
  "standard chartered",
  "axis",
  "au",
  "yes",
  "sbi",
  "fed",
  "hsbc",
  "citi",
  "amex"
]

const emi = (m: Fields.Obj, order: Order): Attempt => {
  const channel = channelOf(m, ["link", "post"])
  const number = cardNumberOf(m, true) ?? ""
  expiryOf(m)
  cvvOf(m)
  const bank = Fields.string(m, "card_bank_name", "card_bank_name", true)
  if (!EMI_BANKS.includes(bank.toLowerCase()))
    throw Errors.invalid("card_bank_name", `should be one of ${EMI_BANKS.join(", ")}`)
  const tenure = Fields.integer(m, "emi_tenure", "emi_tenure", true)
  if (tenure < 1) throw Errors.invalid("emi_tenure", "should be a positive number of months")
  const profile = SandboxData.cardProfile(number)
  // Integer arithmetic: each instalment rounded up to the currency's minor unit.
  const instalment = Math.ceil(order.amount / tenure)
  const method = cardMethod("emi", channel, number, profile, {
    emi_tenure: tenure,
    emi_details: {
      emi_amount: Render.amount(instalment, order.currency),
      emi_tenure: tenure,
      emi_interest: Render.amount(0, order.currency)
    }
  })
  const debit = profile.type === "debit_card"
  return {
    kind: "emi",
    channel,
    group: debit ? "debit_card_emi" : "credit_card_emi",
    codes: debit ? ["dcemi"] : ["ccemi"],
    method,
    step: "redirect",
    approval: profile.decline ?? SandboxData.success,
    next: { _tag: "page" },
    preauthCapable: false
  }
}

const TENURE_REQUIRED = ["hdfc", "icici", "cashe", "idfc", "kotak"]

const cardlessEmi = (m: Fields.Obj): Attempt => {
  const channel = channelOf(m, ["link"])
  const provider = providerOf(m, [
    "flexmoney",
    "zestmoney",
    "hdfc",
    "icici",
    "cashe",
    "idfc",
    "kotak",
    "snapmint",
    "bharatx"
  ])
  const phone = phoneOf(m)
  const tenure = Fields.integer(m, "emi_tenure", "emi_tenure", TENURE_REQUIRED.includes(provider))
  return {
    kind: "cardless_emi",
    channel,
    group: "cardless_emi",
    codes: ["cardlessemi"],
    method: { cardless_emi: { channel, provider, phone, ...(tenure === undefined ? {} : { emi_tenure: tenure }) } },
    step: "redirect",
    approval: SandboxData.success,
    next: { _tag: "page" },
    preauthCapable: false
  }
}

const paylater = (m: Fields.Obj): Attempt => {
  const channel = channelOf(m, ["link"])
  const provider = providerOf(m, [
    "kotak",
    "flexipay",
    "zestmoney",
    "lazypay",
    "olapostpaid",
    "simpl",
    "freechargepaylater"
  ])
  const phone = phoneOf(m)
  return {
    kind: "paylater",
    channel,
    group: "pay_later",
    codes: ["paylater"],
    method: { paylater: { channel, provider, phone } },
    step: "redirect",
    approval: SandboxData.success,
    next: { _tag: "page" },
    preauthCapable: false
  }
}

const methodParsers: {
  readonly [K in MethodKind]: (m: Fields.Obj, world: World, order: Order, save: boolean) => Attempt
} = {
  card: (m, world, order, save) => card(m, world, order, save),
  upi: (m, world) => upi(m, world),
  netbanking: (m) => netbanking(m),
  app: (m) => app(m),
  emi: (m, _world, order) => emi(m, order),
  cardless_emi: (m) => cardlessEmi(m),
  paylater: (m) => paylater(m),
  banktransfer: () => {
    throw Errors.badRequest("payment_method_unsupported", "bank transfer is not supported in the sandbox")
  }
}

const isMethodKind = (key: string): key is MethodKind => Object.hasOwn(methodParsers, key)

/**
 * `PayOrderEntity.payment_method` per Order Pay method. SPEC25's enum has no `emi`: a card EMI
 * attempt is reported as a `card` payment (its payment entity's `payment_group` says EMI).
 */
const payOrderMethods: { readonly [K in MethodKind]: string } = {
  card: "card",
  upi: "upi",
  netbanking: "netbanking",
  app: "app",
  emi: "card",
  cardless_emi: "cardless_emi",
  paylater: "paylater",
  banktransfer: "banktransfer"
}

/** The payer page of an attempt (also the target of its form POST). */
export const pageUrl = (world: World, payment: Payment): string =>
  `${world.settings.apiBase}/view/gateway/${payment.pageToken}`

const upiLink = (order: Order, payment: Payment, scheme: string): string => {
  const params = new URLSearchParams({
    pa: SandboxData.payeeVpa,
    pn: "Cashfree Emulator",
    tr: String(payment.cfPaymentId),
    am: Render.amount(payment.amount, order.currency, "fixed").text,
    cu: order.currency,
    mode: "00",
    purpose: "00",
    mc: "5411",
    tn: `Payment for ${order.orderId}`
  })
  return `${scheme}?${params.toString()}`
}

// A 1×1 PNG: the emulator does not draw QR codes; the payload has the documented key and type.
const QR_PLACEHOLDER =
  "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="

const emptyData = { url: null, payload: null, content_type: null, method: null }

const responseData = (
  world: World,
  order: Order,
  payment: Payment,
  next: Next,
  version: Versions.Version
): { readonly action: string; readonly data: Json.Value } => {
  const withBank = (data: Record<string, Json.Value>, url: string | null): Json.Value =>
    Versions.shape(version).additions2025 ? { ...data, redirect_to_bank: url } : data
  switch (next._tag) {
    case "page": {
      const url = pageUrl(world, payment)
      return {
        action: "link",
        data: withBank(
          { url, payload: { name: payment.kind }, content_type: "application/x-www-form-urlencoded", method: "post" },
          url
        )
      }
    }
    case "otp":
      return {
        action: "post",
        data: withBank(
          {
            url: `${world.settings.apiBase}/orders/pay/authenticate/${payment.cfPaymentId}`,
            payload: { action: "SUBMIT_OTP", otp: "" },
            content_type: "application/json",
            method: "post"
          },
          null
        )
      }
    case "collect":
      return next.loader
        ? {
            action: "collect",
            data: withBank({ url: pageUrl(world, payment), payload: null, content_type: null, method: "get" }, null)
          }
        : { action: "custom", data: withBank(emptyData, null) }
    case "intent":
      return {
        action: "custom",
        data: withBank(
          {
            url: null,
            payload: {
              default: upiLink(order, payment, "upi://pay"),
              gpay: upiLink(order, payment, "tez://upi/pay"),
              phonepe: upiLink(order, payment, "phonepe://pay"),
              paytm: upiLink(order, payment, "paytmmp://pay"),
              bhim: upiLink(order, payment, "upi://pay")
            },
            content_type: null,
            method: null
          },
          null
        )
      }
    case "qr":
      return {
        action: "custom",
        data: withBank({ url: null, payload: { qrcode: QR_PLACEHOLDER }, content_type: null, method: null }, null)
      }
    case "final":
      return { action: "custom", data: withBank(emptyData, null) }
  }
}

const pay = (context: Context): Result => {
  const { now, world } = context
  const { state } = world
  const body = Fields.body(context.body)
  const sessionId = body.payment_session_id
  const orderId = typeof sessionId === "string" ? state.ordersBySession.get(sessionId) : undefined
  const order = orderId === undefined ? undefined : state.orders.get(orderId)
  if (order === undefined)
    throw Errors.badRequest("payment_session_id_invalid", "payment_session_id is not present or is invalid")
  const pm = Fields.object(body, "payment_method", "payment_method", true)
  const keys = Object.keys(pm).filter((k) => pm[k] !== undefined && pm[k] !== null)
  const key = keys[0]
  if (keys.length !== 1 || key === undefined)
    throw Errors.invalid("payment_method", "should contain exactly one payment method")
  if (!isMethodKind(key)) throw Errors.invalid("payment_method", `unknown payment method ${JSON.stringify(key)}`)
  const save = Fields.boolean(body, "save_instrument", "save_instrument") ?? false
  const attempt = methodParsers[key](Fields.object(pm, key, key, true), world, order, save)
  if (order.status !== "ACTIVE")
    throw Errors.notFound(
      "orderpay_not_found",
      "The specified order is no longer active and cannot be used to initiate a payment."
    )
  if (order.paymentMethods !== null) {
    const allowed = order.paymentMethods.split(",").map((c) => c.trim())
    if (!attempt.codes.some((c) => allowed.includes(c)))
      throw Errors.badRequest("payment_method_unsupported", "payment method is not allowed for this order")
  }
  const cfPaymentId = ++state.counters.payment
  const preauth = attempt.preauthCapable && (order.preauth || attempt.authorizeOnly === true)
  const payment: Payment = {
    cfPaymentId,
    orderId: order.orderId,
    amount: order.amount,
    currency: order.currency,
    status: "PENDING",
    message: "Transaction pending",
    kind: attempt.kind,
    group: attempt.group,
    channel: attempt.channel,
    method: attempt.method,
    createdAt: now,
    completedAt: undefined,
    bankReference: null,
    authId: null,
    error: undefined,
    step: attempt.step,
    approval: attempt.approval,
    otpAttempts: 0,
    pageToken: state.prng.chars(48, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"),
    preauth,
    authorization: undefined,
    isCaptured: false,
    save: attempt.save,
    instrumentId: attempt.instrumentId,
    autoCompleteAt:
      attempt.autoComplete === true && world.settings.upiCollectAutoCompleteMs !== undefined
        ? now + world.settings.upiCollectAutoCompleteMs
        : undefined,
    charged: false
  }
  state.payments.set(cfPaymentId, payment)
  state.paymentsByToken.set(payment.pageToken, cfPaymentId)
  order.paymentIds.push(cfPaymentId)
  if (attempt.immediate !== undefined) world.lifecycle.complete(payment, attempt.immediate, now)
  if (payment.autoCompleteAt !== undefined) world.schedule(payment.autoCompleteAt)
  const { action, data } = responseData(world, order, payment, attempt.next, context.version)
  return ok({
    payment_amount: Render.amount(order.amount, order.currency),
    cf_payment_id: Render.cfId(cfPaymentId, context.version),
    payment_method: payOrderMethods[attempt.kind],
    channel: attempt.channel,
    action,
    data
  })
}

const authenticate = (context: Context): Result => {
  const { now, world } = context
  const id = param(context, 0)
  const payment = /^\d+$/.test(id) ? world.state.payments.get(Number(id)) : undefined
  if (payment === undefined) throw Errors.notFound("payment_not_found", "payment not found")
  const body = Fields.body(context.body)
  const action = Fields.string(body, "action", "action", true, { oneOf: ["SUBMIT_OTP", "RESEND_OTP"] })
  const reply = (status: "SUCCESS" | "FAILED", message: string): Result =>
    ok({
      cf_payment_id: Render.cfId(payment.cfPaymentId, context.version),
      action,
      authenticate_status: status,
      payment_message: message
    })
  if (payment.step !== "otp") throw Errors.requestInvalid("native OTP is not available for this payment")
  if (payment.status !== "PENDING")
    throw Errors.requestInvalid("Transaction is already processed, please check the payment status")
  if (action === "RESEND_OTP") return reply("SUCCESS", "otp sent successfully")
  const otp = Fields.string(body, "otp", "otp", true)
  if (otp === SandboxData.OTP) {
    world.lifecycle.complete(payment, payment.approval, now)
    // Read through the record: `complete` changed the status TypeScript narrowed above.
    const after: Payment = payment
    return reply("SUCCESS", after.status === "SUCCESS" ? "payment successful" : "payment failed")
  }
  payment.otpAttempts += 1
  if (payment.otpAttempts >= SandboxData.MAX_OTP_ATTEMPTS)
    world.lifecycle.complete(payment, SandboxData.declines.authenticationFailed, now)
  return reply("FAILED", "otp is invalid")
}

/** The Order Pay and OTP routes. */
export const routes: ReadonlyArray<Route> = [
  { method: "POST", pattern: /^\/orders\/sessions$/, auth: false, rateLimit: limits.payOrder, handle: pay },
  {
    method: "POST",
    pattern: /^\/orders\/pay\/authenticate\/([^/]+)$/,
    auth: false,
    rateLimit: limits.authenticate,
    handle: authenticate
  }
]
