/**
 * Routes that answer like Cashfree, built from the documents' own examples (SPEC25 schema
 * examples and cashfree-examples-2025-01-01.json) with the ids and amounts of each request spliced
 * in, and just enough state (payments per order, refunds) for the adapter's flows to run.
 */
import { examples, type Json, materialise, schema } from "./OpenApi.js"
import type { Recorded, Reply, Route } from "./Stub.js"

type Obj = { readonly [key: string]: Json }
const obj = (value: Json | undefined): Obj =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Obj) : {}
const example = (name: string): Obj => obj(materialise(schema(name).example ?? null))
const listExample = (name: string, index = 0): Obj => {
  const value = obj(examples[name]).value
  return Array.isArray(value) ? obj((value as ReadonlyArray<Json>)[index]) : {}
}

const body = (request: Recorded): Obj => obj(request.body === undefined ? null : (JSON.parse(request.body) as Json))

export interface FakeOptions {
  /** The status a payment has right after Order Pay. */
  readonly statusAfterPay?: string
  /** `authorization` of payments made by holds. */
  readonly holdIsCaptured?: boolean
}

export const routes = (options: FakeOptions = {}): ReadonlyArray<Route> => {
  const orders = new Map<string, Obj>()
  const payments = new Map<string, Array<Obj>>()
  const refunds = new Map<string, Array<Obj>>()
  let nextPayment = 5114910000000
  const sessions = new Map<string, string>()

  const paymentEntity = (overrides: Obj): Obj => ({ ...listExample("payments_entity_list_example", 0), ...overrides })

  const answer = (value: Json, status = 200): Reply => ({
    status,
    body: value,
    headers: { "x-request-id": "cf-req-1" }
  })

  return [
    [
      "POST",
      /^\/orders$/,
      (request) => {
        const input = body(request)
        const orderId = String(input.order_id)
        const existing = orders.get(orderId)
        if (existing !== undefined) {
          return { ...answer(existing), headers: { "x-idempotency-replayed": "true" } }
        }
        const order = {
          ...example("OrderEntity"),
          order_id: orderId,
          order_amount: input.order_amount ?? 0,
          order_currency: input.order_currency ?? "INR",
          order_status: "ACTIVE",
          order_note: input.order_note ?? null,
          payment_session_id: `session_${orderId}`
        }
        orders.set(orderId, order)
        sessions.set(`session_${orderId}`, orderId)
        return answer(order)
      }
    ],
    [
      "POST",
      /^\/orders\/sessions$/,
      (request) => {
        const input = body(request)
        const orderId = sessions.get(String(input.payment_session_id))
        const order = orderId === undefined ? undefined : orders.get(orderId)
        if (orderId === undefined || order === undefined) {
          return answer(
            {
              message: "payment_session_id is not present or is invalid",
              code: "payment_session_id_invalid",
              type: "invalid_request_error"
            },
            400
          )
        }
        const method = obj(input.payment_method)
        const key = Object.keys(method)[0] ?? "card"
        const details = obj(method[key])
        const channel = String(details.channel)
        const id = String(nextPayment++)
        const preauth = order.order_note === "preauth_transaction"
        const status = options.statusAfterPay ?? "PENDING"
        const entity = paymentEntity({
          cf_payment_id: id,
          order_id: orderId,
          order_amount: order.order_amount ?? 0,
          payment_amount: order.order_amount ?? 0,
          payment_status: status,
          is_captured: !preauth,
          authorization: preauth
            ? {
                action: null,
                status: "PENDING",
                captured_amount: 0,
                start_time: "2025-01-01T10:00:00+05:30",
                end_time: "2025-01-08T10:00:00+05:30"
              }
            : null,
          payment_group: key === "upi" ? "upi" : "credit_card",
          payment_method:
            key === "card"
              ? {
                  card: {
                    channel,
                    card_number: "xxxxxx1111",
                    card_network: "visa",
                    instrument_id: input.save_instrument === true ? "54deabb4-ba45-4a60-9e6a-9c016fe7ab10" : null
                  }
                }
              : { [key]: { channel } }
        })
        payments.set(orderId, [...(payments.get(orderId) ?? []), entity])
        const pay = example("PayOrderEntity")
        const data = obj(pay.data)
        const base = {
          ...pay,
          cf_payment_id: id,
          payment_amount: order.order_amount ?? 0,
          payment_method: key === "emi" ? "card" : key === "app" ? "app" : key,
          channel
        }
        if (key === "upi" && channel === "collect")
          return answer({
            ...base,
            action: "custom",
            data: { url: null, payload: null, content_type: null, method: null }
          })
        if (key === "upi" && channel === "link") {
          return answer({
            ...base,
            action: "custom",
            data: {
              ...data,
              url: null,
              payload: {
                default: "upi://pay?pa=cf@axis&am=10.00",
                gpay: "tez://upi/pay?pa=cf@axis",
                phonepe: "phonepe://pay?pa=cf@axis",
                paytm: "paytmmp://pay?pa=cf@axis",
                bhim: "upi://pay?pa=cf@axis"
              }
            }
          })
        }
        if (key === "upi" && channel === "qrcode")
          return answer({
            ...base,
            action: "custom",
            data: { ...data, url: null, payload: { qrcode: "data:image/png;base64,iVBORw0KGgo=" } }
          })
        if (channel === "post")
          return answer({
            ...base,
            action: "post",
            data: {
              url: `https://sandbox.cashfree.com/pg/orders/pay/authenticate/${id}`,
              payload: null,
              content_type: "application/json",
              method: "post"
            }
          })
        return answer(base)
      }
    ],
    [
      "POST",
      /^\/orders\/pay\/authenticate\/([^/]+)$/,
      (request, match) => {
        const input = body(request)
        const ok = input.action === "RESEND_OTP" || input.otp === "111000"
        const id = match[1] ?? ""
        if (ok && input.action === "SUBMIT_OTP") {
          for (const list of payments.values()) {
            const index = list.findIndex((p) => p.cf_payment_id === id)
            const found = list[index]
            if (found !== undefined) list[index] = { ...found, payment_status: "SUCCESS" }
          }
        }
        return answer({
          cf_payment_id: id,
          action: input.action ?? null,
          authenticate_status: ok ? "SUCCESS" : "FAILED",
          payment_message: ok ? "payment successful" : "otp is invalid"
        })
      }
    ],
    [
      "GET",
      /^\/orders\/([^/]+)\/payments\/([^/]+)$/,
      (_request, match) => {
        const found = (payments.get(decodeURIComponent(match[1] ?? "")) ?? []).find((p) => p.cf_payment_id === match[2])
        return found === undefined
          ? answer({ message: "payment not found", code: "payment_not_found", type: "invalid_request_error" }, 404)
          : answer(found)
      }
    ],
    [
      "GET",
      /^\/orders\/([^/]+)\/payments$/,
      (_request, match) => {
        const list = payments.get(decodeURIComponent(match[1] ?? ""))
        return list === undefined
          ? answer({ message: "order not found", code: "order_not_found", type: "invalid_request_error" }, 404)
          : answer(list)
      }
    ],
    [
      "POST",
      /^\/orders\/([^/]+)\/authorization$/,
      (request, match) => {
        const orderId = decodeURIComponent(match[1] ?? "")
        const list = payments.get(orderId) ?? []
        const current = list[list.length - 1]
        const input = body(request)
        if (current === undefined)
          return answer({ message: "order not found", code: "order_not_found", type: "invalid_request_error" }, 404)
        const auth = obj(current.authorization)
        if (auth.action === "CAPTURE" || auth.action === "VOID") {
          return answer(
            { message: "action already taken", code: "request_invalid", type: "invalid_request_error" },
            400
          )
        }
        const next =
          input.action === "VOID"
            ? { ...current, payment_status: "VOID", authorization: { ...auth, action: "VOID", status: "SUCCESS" } }
            : {
                ...current,
                is_captured: true,
                authorization: { ...auth, action: "CAPTURE", status: "SUCCESS", captured_amount: input.amount ?? 0 }
              }
        list[list.length - 1] = next
        return answer(next)
      }
    ],
    [
      "POST",
      /^\/orders\/([^/]+)\/refunds$/,
      (request, match) => {
        const orderId = decodeURIComponent(match[1] ?? "")
        const input = body(request)
        const paid = (payments.get(orderId) ?? []).find((p) => p.payment_status === "SUCCESS")
        const already = (refunds.get(orderId) ?? []).reduce((sum, r) => sum + Number(r.refund_amount), 0)
        if (paid === undefined || Number(input.refund_amount) + already > Number(paid.payment_amount) + 1e-9) {
          return answer(
            { message: "refund not allowed", code: "refund_amount_invalid", type: "invalid_request_error" },
            400
          )
        }
        const refund = {
          ...listExample("refunds_entity_example"),
          cf_payment_id: paid.cf_payment_id ?? null,
          order_id: orderId,
          refund_id: input.refund_id ?? null,
          refund_amount: input.refund_amount ?? 0,
          refund_note: input.refund_note ?? null,
          refund_status: "PENDING"
        }
        refunds.set(orderId, [...(refunds.get(orderId) ?? []), refund])
        return answer(refund)
      }
    ],
    [
      "GET",
      /^\/orders\/([^/]+)\/refunds\/([^/]+)$/,
      (_request, match) => {
        const found = (refunds.get(decodeURIComponent(match[1] ?? "")) ?? []).find(
          (r) => r.refund_id === decodeURIComponent(match[2] ?? "")
        )
        return found === undefined
          ? answer({ message: "refund not found", code: "refund_not_found", type: "invalid_request_error" }, 404)
          : answer(found)
      }
    ],
    [
      "GET",
      /^\/orders\/([^/]+)\/refunds$/,
      (_request, match) => answer(refunds.get(decodeURIComponent(match[1] ?? "")) ?? [])
    ],
    [
      "POST",
      /^\/customers$/,
      (request) =>
        answer({ ...listExample("customer_entity_example"), customer_phone: body(request).customer_phone ?? null })
    ],
    ["GET", /^\/customers\/([^/]+)\/instruments$/, () => answer([listExample("fetch_all_saved_cards_example")])],
    ["GET", /^\/customers\/([^/]+)\/instruments\/([^/]+)\/cryptogram$/, () => answer(example("CryptogramEntity"))],
    ["GET", /^\/customers\/([^/]+)\/instruments\/([^/]+)$/, () => answer(listExample("fetch_all_saved_cards_example"))],
    [
      "DELETE",
      /^\/customers\/([^/]+)\/instruments\/([^/]+)$/,
      () => answer(listExample("fetch_all_saved_cards_example"))
    ]
  ]
}
