/**
 * Exactly once under faults on both sides of the wire, for every operation, against
 * `CyberSourceEmulator`: the testkit's `ExactlyOnceSuite` (sales, holds, several partial captures
 * per hold, partial refunds under client and emulator faults; every outcome checked against the
 * emulator's truth, one capture and one refund transaction per done operation). CyberSource honours
 * no idempotency key: only the adapter's reconciliation (search by reference before a retried
 * creation, the key's tag on follow-ons) keeps a retry from acting twice. `ExactlyOnce.test.ts`
 * covers creation alone at a higher fault rate.
 *
 * `npm test`: 10 runs of at most 8 operations. More: `PAYPORT_EXACTLY_ONCE_RUNS=200
 * PAYPORT_EXACTLY_ONCE_OPS=20`; replay a failure with `PAYPORT_EXACTLY_ONCE_SEED`.
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as Money from "@payport/core/Money"
import * as PaymentMethod from "@payport/core/PaymentMethod"
import * as CyberSourceEmulator from "@payport/emulators/CyberSourceEmulator"
import { exactlyOnceSuite } from "@payport/testkit/ExactlyOnceSuite"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as CyberSource from "../src/CyberSource.js"
import { optionsFor } from "./support/Live.js"

exactlyOnceSuite({
  name: "CyberSource",
  amount: (minor) => Money.unsafeMake(minor, "USD"),
  method: PaymentMethod.card({ number: "4111111111111111", expiry: { month: 12, year: 2031 }, cvv: "123" }),
  capturesPerHold: "many",
  start: (seed) =>
    Effect.map(CyberSourceEmulator.start({ seed }), (emulator) => ({
      faults: emulator.faults,
      adapter: (timing) => CyberSource.layer(optionsFor(emulator, timing)).pipe(Layer.orDie),
      transport: FetchHttpClient.layer,
      truth: (code) => {
        const payments = emulator.truth.payments(code)
        return {
          payments: payments.map((p) => ({
            paymentId: p.id,
            approved: p.createdStatus === "AUTHORIZED",
            authorized: p.authorized,
            captured: p.captured
          })),
          charges: emulator.truth.chargesFor(code),
          captured: payments.reduce((sum, p) => sum + p.captured, 0),
          refunded: payments.reduce((sum, p) => sum + p.refunded, 0),
          refundIds: payments.flatMap((p) => p.refundIds),
          captureCount: payments.reduce((sum, p) => sum + p.captureIds.length, 0)
        }
      },
      paymentCount: () => emulator.truth.payments().length
    }))
})
