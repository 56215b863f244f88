/** Minimal "pay by card" with the official `cashfree-pg` SDK (bundled for the size figure, never run). */
import { Cashfree, CFEnvironment } from "cashfree-pg"

const cashfree = new Cashfree(
  CFEnvironment.SANDBOX,
  process.env.CASHFREE_CLIENT_ID ?? "",
  process.env.CASHFREE_CLIENT_SECRET ?? "",
  undefined,
  undefined,
  undefined,
  false
)
const order = await cashfree.PGCreateOrder({
  order_id: `order-${Date.now()}`,
  order_amount: 10.5,
  order_currency: "INR",
  customer_details: { customer_id: "customer-42", customer_phone: "9999999999" }
})
const pay = await cashfree.PGPayOrder({
  payment_session_id: order.data.payment_session_id ?? "",
  payment_method: {
    card: {
      channel: "link",
      card_number: "4111111111111111",
      card_expiry_mm: "12",
      card_expiry_yy: "31",
      card_cvv: "123"
    }
  }
})
console.log(pay.data.cf_payment_id)
