/**
 * The floor: `fetch` (contender `floor`) or `node:http` on a keep-alive agent (`floor-http`, the
 * physical floor) sending the same requests a hand-written client would, bodies built by string
 * templates, answers parsed with `JSON.parse` and checked for success, nothing else. Both send
 * the same method, path, headers and body. CyberSource requests are signed per request with
 * `node:crypto` (see `Signature.ts`). The `fetch` floor's wire calls also seed state for every
 * contender (outside the measured loop).
 */
import { randomUUID } from "node:crypto"
import * as Http from "node:http"
import type { CashfreeLine, ClientConfig, CyberSourceLine } from "../Protocol.js"
import * as Signature from "../Signature.js"
import { fixture, type Make, type Runner, runId } from "./Runner.js"

const cardJson = `{"channel":"link","card_number":"${fixture.card.number}","card_holder_name":"${fixture.card.holder}","card_expiry_mm":"${fixture.card.month}","card_expiry_yy":"${fixture.card.year % 100}","card_cvv":"${fixture.card.cvv}"}`

/** One request: what the floor sends. */
interface Outgoing {
  readonly method?: "GET" | "POST"
  readonly headers: Record<string, string>
  readonly body?: string
}

/** Sends a request; its status and body text. */
export type Send = (url: string, request: Outgoing) => Promise<{ readonly status: number; readonly text: string }>

/** `fetch` (undici inside Node). */
export const viaFetch: Send = async (url, request) => {
  const response = await fetch(url, request)
  return { status: response.status, text: await response.text() }
}

/** `node:http` on one keep-alive agent, the body read in full. */
export const viaNodeHttp = (): Send => {
  const agent = new Http.Agent({ keepAlive: true, maxFreeSockets: 256 })
  return (url, request) =>
    new Promise((resolve, reject) => {
      const outgoing = Http.request(url, { method: request.method ?? "GET", headers: request.headers, agent })
      outgoing.on("error", reject)
      outgoing.on("response", (incoming) => {
        const chunks: Array<Buffer> = []
        incoming.on("data", (chunk: Buffer) => chunks.push(chunk))
        incoming.on("end", () => resolve({ status: incoming.statusCode ?? 0, text: Buffer.concat(chunks).toString() }))
        incoming.on("error", reject)
      })
      outgoing.end(request.body)
    })
}

const ok = async (response: Promise<{ readonly status: number; readonly text: string }>) => {
  const { status, text } = await response
  if (status >= 300) throw new Error(`HTTP ${status}: ${text.slice(0, 200)}`)
  return text.length === 0 ? {} : (JSON.parse(text) as Record<string, unknown>)
}

const text = (value: unknown): string => (typeof value === "string" || typeof value === "number" ? String(value) : "")

/** Cashfree over `send`. */
export const cashfree = (line: CashfreeLine, send: Send = viaFetch) => {
  const base = line.baseUrl
  const auth = {
    "x-client-id": line.clientId,
    "x-client-secret": line.clientSecret,
    "x-api-version": "2025-01-01",
    "content-type": "application/json"
  }
  const session = { "x-api-version": "2025-01-01", "content-type": "application/json" }
  /** Creates an order and pays it by card; the order id and `cf_payment_id`. */
  const createPay = async (
    orderId: string,
    customerId: string,
    options: { readonly preauth?: boolean; readonly save?: boolean } = {}
  ) => {
    const note = options.preauth === true ? `,"order_note":"preauth_transaction"` : ""
    const order = await ok(
      send(`${base}/orders`, {
        method: "POST",
        headers: { ...auth, "x-idempotency-key": randomUUID() },
        body: `{"order_id":"${orderId}","order_amount":${fixture.inr},"order_currency":"INR","customer_details":{"customer_id":"${customerId}","customer_phone":"${fixture.phone}"}${note}}`
      })
    )
    const save = options.save === true ? `,"save_instrument":true` : ""
    const pay = await ok(
      send(`${base}/orders/sessions`, {
        method: "POST",
        headers: session,
        body: `{"payment_session_id":"${text(order.payment_session_id)}","payment_method":{"card":${cardJson}}${save}}`
      })
    )
    return { orderId, cfPaymentId: text(pay.cf_payment_id) }
  }
  return {
    createPay,
    getPayment: async (orderId: string, cfPaymentId: string) =>
      ok(send(`${base}/orders/${orderId}/payments/${cfPaymentId}`, { headers: auth })),
    getRefunds: async (orderId: string) => ok(send(`${base}/orders/${orderId}/refunds`, { headers: auth })),
    listInstruments: async (customerId: string) =>
      ok(send(`${base}/customers/${customerId}/instruments?instrument_type=card`, { headers: auth })),
    capture: async (orderId: string) =>
      ok(
        send(`${base}/orders/${orderId}/authorization`, {
          method: "POST",
          headers: { ...auth, "x-idempotency-key": randomUUID() },
          body: `{"action":"CAPTURE","amount":${fixture.inr}}`
        })
      )
  }
}

/** CyberSource over `send`, every request signed. */
export const cybersource = (line: CyberSourceLine, send: Send = viaFetch) => {
  const credentials = Signature.credentials(line.baseUrl, line.merchantId, line.keyId, line.sharedSecret)
  const accept = { accept: "application/hal+json;charset=utf-8" }
  const post = async (target: string, body: string) =>
    ok(
      send(`${line.baseUrl}${target}`, {
        method: "POST",
        headers: { ...accept, ...Signature.sign(credentials, "POST", target, body) },
        body
      })
    )
  const get = async (target: string) =>
    ok(send(`${line.baseUrl}${target}`, { headers: { ...accept, ...Signature.sign(credentials, "GET", target) } }))
  const c = fixture.card
  const billTo = JSON.stringify(fixture.billTo)
  return {
    /** Authorizes the fixture card (capture false); the payment id. */
    authorize: async (code: string) =>
      text(
        (
          await post(
            "/pts/v2/payments",
            `{"clientReferenceInformation":{"code":"${code}"},"processingInformation":{"capture":false,"commerceIndicator":"internet"},"paymentInformation":{"card":{"number":"${c.number}","expirationMonth":"${c.month}","expirationYear":"${c.year}","securityCode":"${c.cvv}","type":"001"}},"orderInformation":{"amountDetails":{"totalAmount":"${fixture.usd}","currency":"USD"},"billTo":${billTo}}}`
          )
        ).id
      ),
    getTransaction: (id: string) => get(`/tss/v2/transactions/${id}`),
    capture: (id: string, code: string) =>
      post(
        `/pts/v2/payments/${id}/captures`,
        `{"clientReferenceInformation":{"code":"${code}"},"orderInformation":{"amountDetails":{"totalAmount":"${fixture.usd}","currency":"USD"}}}`
      ),
    listInstruments: (customerId: string) =>
      get(`/tms/v2/customers/${customerId}/payment-instruments?offset=0&limit=10`),
    /** A TMS customer with two card instruments; the customer id. */
    seedCustomer: async (code: string) => {
      const identifier = await post("/tms/v1/instrumentidentifiers", `{"card":{"number":"${c.number}"}}`)
      const customer = await post(
        "/tms/v2/customers",
        `{"buyerInformation":{"merchantCustomerID":"${code}","email":"test@cybs.com"},"clientReferenceInformation":{"code":"${code}"}}`
      )
      const customerId = text(customer.id)
      for (const month of ["11", "12"]) {
        await post(
          `/tms/v2/customers/${customerId}/payment-instruments`,
          `{"card":{"expirationMonth":"${month}","expirationYear":"${c.year}","type":"001"},"billTo":${billTo},"instrumentIdentifier":{"id":"${text(identifier.id)}"}}`
        )
      }
      return customerId
    }
  }
}

/** Runs `task(0 … n-1)` with at most `width` in flight. */
export const pool = async (n: number, width: number, task: (i: number) => Promise<unknown>): Promise<void> => {
  let next = 0
  const worker = async () => {
    while (next < n) await task(next++)
  }
  await Promise.all(Array.from({ length: Math.min(width, n) }, worker))
}

/** What each operation needs seeded, made with the floor's calls, shared by every contender. */
export interface Seeds {
  /** One paid Cashfree order (get payment). */
  paid?: { readonly orderId: string; readonly cfPaymentId: string }
  /** A customer with a saved card (list instruments): Cashfree customer id or CyberSource TMS id. */
  customerId?: string
  /** Held payments to capture, one per operation. */
  held: Array<{ readonly orderId: string; readonly paymentId: string; readonly code: string }>
}

/** Seeds what `config.operation` needs for `n` operations, with the floor's calls. */
export const seed = async (config: ClientConfig, n: number): Promise<Seeds> => {
  const seeds: Seeds = { held: [] }
  const cf = cashfree(config.emulators.cashfree)
  const cs = cybersource(config.emulators.cybersource)
  switch (config.operation) {
    case "cashfree.getPayment":
      seeds.paid = await cf.createPay(`seed_${runId}_paid`, `bench_${runId}`)
      break
    case "cashfree.listInstruments":
      seeds.customerId = `bench_${runId}`
      await cf.createPay(`seed_${runId}_saved`, seeds.customerId, { save: true })
      break
    case "cashfree.capture":
      await pool(n, 16, async (i) => {
        const held = await cf.createPay(`seed_${runId}_${i}`, `bench_${runId}`, { preauth: true })
        seeds.held[i] = { orderId: held.orderId, paymentId: held.cfPaymentId, code: held.orderId }
      })
      break
    case "cybersource.capture":
      await pool(n, 16, async (i) => {
        const code = `seed-${runId}-${i}`
        seeds.held[i] = { orderId: code, paymentId: await cs.authorize(code), code }
      })
      break
    case "cybersource.listInstruments":
      seeds.customerId = await cs.seedCustomer(`bench-${runId}`)
      break
    case "cashfree.createPay":
    case "cybersource.authorize":
      break
  }
  return seeds
}

/** The floor contender. */
export const make: Make = async (config) => {
  const send = config.contender === "floor-http" ? viaNodeHttp() : viaFetch
  const cf = cashfree(config.emulators.cashfree, send)
  const cs = cybersource(config.emulators.cybersource, send)
  let seeds: Seeds = { held: [] }
  const runs: { readonly [O in ClientConfig["operation"]]: (i: number) => Promise<unknown> } = {
    "cashfree.createPay": (i) => cf.createPay(`floor_${runId}_${i}`, `bench_${runId}`),
    "cashfree.getPayment": () => cf.getPayment(seeds.paid?.orderId ?? "", seeds.paid?.cfPaymentId ?? ""),
    "cashfree.listInstruments": () => cf.listInstruments(seeds.customerId ?? ""),
    "cashfree.capture": (i) => cf.capture(seeds.held[i]?.orderId ?? ""),
    "cybersource.authorize": (i) => cs.authorize(`floor-${runId}-${i}`),
    "cybersource.capture": (i) => cs.capture(seeds.held[i]?.paymentId ?? "", seeds.held[i]?.code ?? ""),
    "cybersource.listInstruments": () => cs.listInstruments(seeds.customerId ?? "")
  }
  // `floor-same`: also the reads Payport makes (Protocol.extraRequests), in the same order.
  const same: { readonly [O in ClientConfig["operation"]]?: (i: number) => Promise<unknown> } = {
    "cashfree.createPay": async (i) => {
      const paid = await cf.createPay(`floor_${runId}_${i}`, `bench_${runId}`)
      return cf.getPayment(paid.orderId, paid.cfPaymentId)
    },
    "cashfree.getPayment": async () => {
      await cf.getPayment(seeds.paid?.orderId ?? "", seeds.paid?.cfPaymentId ?? "")
      return cf.getRefunds(seeds.paid?.orderId ?? "")
    },
    "cybersource.capture": async (i) => {
      await cs.getTransaction(seeds.held[i]?.paymentId ?? "")
      return cs.capture(seeds.held[i]?.paymentId ?? "", seeds.held[i]?.code ?? "")
    }
  }
  const run = (config.contender === "floor-same" ? same[config.operation] : undefined) ?? runs[config.operation]
  const runner: Runner = {
    prepare: async (n) => {
      seeds = await seed(config, n)
    },
    run: async (i) => {
      await run(i)
    },
    dispose: async () => {}
  }
  return runner
}
