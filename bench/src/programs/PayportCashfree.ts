/** Minimal "pay by card" with Payport on Cashfree (bundled for the size figure, never run). */
import { NodeTransport } from "@payport/http-node"
import { Cashfree } from "@payport/adapter-cashfree"
import * as Money from "@payport/core/Money"
import * as PaymentMethod from "@payport/core/PaymentMethod"
import * as Payments from "@payport/core/Payments"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"

const program = Effect.gen(function* () {
  const payment = yield* Payments.create({
    reference: `order-${Date.now()}`,
    amount: yield* Money.fromDecimal("10.50", "INR"),
    method: PaymentMethod.card({ number: "4111111111111111", expiry: { month: 12, year: 2031 }, cvv: "123" }),
    customer: { id: "customer-42", phone: "9999999999" }
  })
  console.log(payment.status._tag)
})

Effect.runPromise(program.pipe(Effect.provide(Cashfree.layerConfig().pipe(Layer.provide(NodeTransport.layer)))))
