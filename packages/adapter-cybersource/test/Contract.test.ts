/**
 * The contract suite against the adapter talking to the testkit's CyberSource emulator over real
 * loopback HTTP with real HTTP Signatures (verified strictly by the emulator). Every group the
 * CyberSource capabilities allow runs: payments, authorization, vault, vault enrollment,
 * customers, webhooks, 3-D Secure (payer authentication on) — not cryptograms or OTP, which the
 * layer does not provide.
 *
 * The same run is a leak test: every log line (minimum level `All`), every span (name,
 * attributes, events, failure) and every error is captured, plus a block that pays with a network
 * token and logs every result and failure the way an application would; nothing observed may
 * contain a test card number, CVV, token PAN, cryptogram, the shared secret, the webhook key, or
 * any request or webhook signature.
 */
import * as Authorization from "@payport/core/Authorization"
import * as Money from "@payport/core/Money"
import type { PaymentError } from "@payport/core/PaymentError"
import * as PaymentMethod from "@payport/core/PaymentMethod"
import * as Payments from "@payport/core/Payments"
import * as Webhooks from "@payport/core/Webhooks"
import { assert, describe, it, layer } from "@effect/vitest"
import { ContractSuite, TestData } from "@payport/testkit"
import * as CyberSourceEmulator from "@payport/emulators/CyberSourceEmulator"
import * as CyberSourceFixtures from "@payport/testkit/CyberSourceFixtures"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Capture from "./support/Capture.js"
import { live } from "./support/Live.js"

const capture = Capture.make()
const emulators: Array<CyberSourceEmulator.CyberSourceEmulator> = []
const errors: Array<unknown> = []
const observed = (emulator: CyberSourceEmulator.CyberSourceEmulator) => {
  emulators.push(emulator)
}

ContractSuite.contractSuite(
  "CyberSource adapter ↔ emulator",
  Layer.merge(live({}, observed, capture.client, { payerAuthentication: true }), capture.observability),
  CyberSourceFixtures.fixtures,
  { excludeTestServices: true }
)

// A network token and its cryptogram, which the contract groups do not use.
const TOKEN_PAN = "4895370012003478"
const CRYPTOGRAM = "AceY+igABPs3jdwNaDg3MAACAAA="
const token = PaymentMethod.networkToken({ tokenPan: TOKEN_PAN, cryptogram: CRYPTOGRAM, expiry: TestData.expiry })
const CVV = "739"
const card = (number: string) => PaymentMethod.card({ number, expiry: TestData.expiry, cvv: CVV, holder: "Test Payer" })
const usd = (minor: number) => Money.unsafeMake(minor, "USD")
const run = globalThis.crypto.randomUUID().slice(0, 8)

/** What an application does with every call: log the result, or log and keep the failure. */
const logged = <A, E extends PaymentError, R>(label: string, effect: Effect.Effect<A, E, R>) =>
  effect.pipe(
    Effect.tap((result) => Effect.logInfo(label, result)),
    Effect.tapErrorCause((cause) => Effect.logError(label, cause)),
    Effect.tapError((error) => Effect.sync(() => errors.push(error))),
    Effect.either
  )

layer(Layer.merge(live({}, observed, capture.client), capture.observability), { excludeTestServices: true })(
  "an application logging everything",
  (it) => {
    it.effect("pays by network token, card and saved card, and logs every result and failure", () =>
      Effect.gen(function* () {
        const emulator = yield* CyberSourceEmulator.Emulator
        const held = yield* logged(
          "authorize",
          Authorization.authorize({ reference: `leak-${run}-1`, amount: usd(1_500), method: token })
        )
        assert.isTrue(held._tag === "Right")
        yield* logged(
          "sale",
          Payments.create({ reference: `leak-${run}-2`, amount: usd(900), method: card("4111111111111111") })
        )
        const declined = yield* logged(
          "decline",
          Payments.create({ reference: `leak-${run}-3`, amount: usd(900), method: card("42423482938483873") })
        )
        assert.isTrue(declined._tag === "Left")
        yield* logged(
          "invalid",
          Payments.create({ reference: `leak-${run}-4`, amount: usd(900), method: card("4111111111111112") })
        )
        if (held._tag === "Right") {
          yield* logged("over-capture", Authorization.capture({ payment: held.right.ref, amount: usd(99_999) }))
          const delivery = emulator.webhooks.deliveries().at(-1)
          if (delivery !== undefined) {
            yield* logged("webhook", Webhooks.verify({ headers: delivery.headers, body: delivery.body }))
            yield* logged("tampered webhook", Webhooks.verify({ headers: delivery.headers, body: `${delivery.body} ` }))
          }
        }
        assert.isAbove(errors.length, 2)
      })
    )
  }
)

// These run after the blocks above released their layers (vitest runs blocks in order).
describe("the contract run, seen from outside", () => {
  it("every request carried a valid HTTP Signature, and real payments were made", () => {
    assert.strictEqual(emulators.length, 2)
    for (const emulator of emulators) {
      assert.deepStrictEqual(emulator.truth.authFailures(), [])
      assert.isAtLeast(emulator.truth.payments().length, 3)
    }
  })

  it("no card number, CVV, token PAN, cryptogram, secret, key or signature was logged, traced or in an error", () => {
    const everything = Capture.observedText(capture.captured, errors)
    // The capture saw the traffic: spans of the ports and the HTTP client, log lines, errors.
    assert.isAbove(capture.captured.spans.length, 100)
    assert.isAbove(capture.captured.lines.length, 5)
    assert.isAbove(capture.captured.signatures.length, 100)
    assert.include(everything, "Payments.create")
    assert.include(everything, "invalid_account")

    const fixtureCards = [
      CyberSourceFixtures.fixtures.card,
      ...CyberSourceFixtures.fixtures.declines.map((d) => d.method),
      ...(CyberSourceFixtures.fixtures.vaultEnrollment === undefined
        ? []
        : [CyberSourceFixtures.fixtures.vaultEnrollment.card])
    ].flatMap((method) => (method._tag === "Card" ? [Redacted.value(method.number)] : []))
    const emulator = emulators[0]
    const webhookSignatures = emulators.flatMap((e) =>
      e.webhooks.deliveries().map((d) => /sig=([^;]+)/.exec(d.headers["v-c-signature"] ?? "")?.[1] ?? "")
    )
    const secrets = [
      ...fixtureCards,
      "4111111111111111",
      "4111111111111112",
      TOKEN_PAN,
      CRYPTOGRAM,
      `"${CVV}"`,
      `"123"`,
      emulator?.sharedSecret ?? "",
      emulator?.webhooks.key ?? "",
      ...capture.captured.signatures,
      ...webhookSignatures
    ].filter((s) => s.length > 0)
    assert.isAbove(fixtureCards.length, 8)
    for (const secret of secrets) {
      assert.isFalse(everything.includes(secret), `leaked: ${secret.slice(0, 6)}…`)
    }
    // the card data did go to the provider: the test would notice if nothing had been sent
    assert.isAbove(capture.captured.requests.filter((r) => r.includes("/pts/v2/payments")).length, 20)
  })
})
