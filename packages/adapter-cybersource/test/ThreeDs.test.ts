/**
 * 3-D Secure (CyberSource Payer Authentication) end to end against the emulator, over loopback
 * HTTP: each documented test-card outcome, the payer at the challenge page, completion through
 * `ThreeDsAuthentication` (also from a second adapter instance sharing no memory, replayed and
 * concurrent, with one authorization in the emulator's truth), follow-ons on the ref `create`
 * returned, and what an operator could observe.
 */
import { assert, describe, it, layer } from "@effect/vitest"
import * as Authorization from "@payport/core/Authorization"
import * as Money from "@payport/core/Money"
import type { Payment } from "@payport/core/Payment"
import * as PaymentMethod from "@payport/core/PaymentMethod"
import * as Payments from "@payport/core/Payments"
import * as ThreeDsAuthentication from "@payport/core/ThreeDsAuthentication"
import * as CyberSourceEmulator from "@payport/emulators/CyberSourceEmulator"
import * as EmulatorFaults from "@payport/emulators/EmulatorFaults"
import { TestData } from "@payport/testkit"
import * as CyberSourceFixtures from "@payport/testkit/CyberSourceFixtures"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Capture from "./support/Capture.js"
import { live, providerFor } from "./support/Live.js"

const CVV = "739"
const card = (number: string) => PaymentMethod.card({ number, expiry: TestData.expiry, cvv: CVV, holder: "Test Payer" })
const usd = (minor: number) => Money.unsafeMake(minor, "USD")
const run = globalThis.crypto.randomUUID().slice(0, 8)
let counter = 0
const reference = (label: string) => `3ds-${label}-${run}-${++counter}`

/** The documented 3-D Secure 2.x test cards (Payer Authentication guide, "Test Cases for 3-D Secure 2.x"). */
const cards = {
  visa: {
    frictionless: "4000000000002701",
    frictionlessFailed: "4000000000002925",
    attempted: "4000000000002719",
    unavailable: "4000000000002990",
    challenge: "4000000000002503",
    challengeFailed: "4000000000002370",
    challengeUnavailable: "4000000000002420"
  },
  mastercard: {
    frictionless: "5200000000002235",
    challenge: "5200000000002151"
  }
} as const

const payer = CyberSourceFixtures.threeDsFixtures.payer
const complete = (payment: Payment) => ThreeDsAuthentication.complete({ payment: payment.ref })
const sale = (number: string, amount = 10_000) =>
  Payments.create({
    reference: reference("sale"),
    amount: usd(amount),
    method: card(number),
    returnUrl: "https://merchant.example/3ds/return"
  })

const capture = Capture.make()
const errors: Array<unknown> = []
const emulators: Array<CyberSourceEmulator.CyberSourceEmulator> = []

layer(
  Layer.merge(
    live({}, (e) => emulators.push(e), capture.client, { payerAuthentication: true }),
    capture.observability
  ),
  { excludeTestServices: true }
)("CyberSource 3-D Secure", (it) => {
  it.effect("frictionless, attempted and unavailable authentications authorize at once (Visa, Mastercard)", () =>
    Effect.gen(function* () {
      for (const number of [
        cards.visa.frictionless,
        cards.visa.attempted,
        cards.visa.unavailable,
        cards.mastercard.frictionless
      ]) {
        const payment = yield* sale(number)
        assert.strictEqual(payment.status._tag, "Captured", number)
        assert.strictEqual(payment.ledger.captured.amount, 10_000)
        const read = yield* Payments.get(payment.ref)
        assert.strictEqual(read.status._tag, "Captured")
      }
      const hold = yield* Authorization.authorize({
        reference: reference("hold"),
        amount: usd(2_000),
        method: card(cards.visa.frictionless)
      })
      assert.strictEqual(hold.status._tag, "Authorized")
    })
  )

  it.effect("a refused frictionless authentication is PaymentDeclined authentication_failed", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(sale(cards.visa.frictionlessFailed))
      assert.strictEqual(error._tag, "PaymentDeclined")
      if (error._tag === "PaymentDeclined") assert.strictEqual(error.code, "authentication_failed")
    })
  )

  it.effect("challenge: waits for the payer, completes Captured, get agrees under the same ref, refund works", () =>
    Effect.gen(function* () {
      const emulator = yield* CyberSourceEmulator.Emulator
      const created = yield* sale(cards.visa.challenge)
      assert.strictEqual(created.status._tag, "RequiresAction")
      if (created.status._tag !== "RequiresAction" || created.status.action._tag !== "ThreeDs") {
        return assert.fail("expected a ThreeDs action")
      }
      const action = created.status.action
      assert.strictEqual(action.url, `${emulator.baseUrl}/V2/Cruise/StepUp`)
      assert.isString(action.form.JWT)
      assert.strictEqual(action.form.MD, created.ref.paymentId)
      assert.strictEqual(created.ledger.captured.amount, 0)

      // Before the payer finished: still waiting, with the step-up handed out again; nothing moved.
      const early = yield* complete(created)
      assert.strictEqual(early.status._tag, "RequiresAction")
      if (early.status._tag === "RequiresAction" && early.status.action._tag === "ThreeDs") {
        assert.strictEqual(early.status.action.url, action.url)
      }
      assert.strictEqual((yield* Payments.get(created.ref)).status._tag, "RequiresAction")
      assert.strictEqual(emulator.truth.chargesFor(created.reference), 0)

      yield* payer(created, "success")
      const done = yield* complete(created)
      assert.strictEqual(done.status._tag, "Captured")
      assert.deepStrictEqual(done.ref, created.ref)
      assert.strictEqual(done.ledger.captured.amount, 10_000)
      const read = yield* Payments.get(created.ref)
      assert.strictEqual(read.status._tag, "Captured")
      assert.deepStrictEqual(read.ref, created.ref)
      assert.strictEqual(read.ledger.captured.amount, 10_000)

      const refund = yield* Payments.refund({ payment: created.ref, amount: usd(2_500) })
      assert.deepStrictEqual(refund.ref.payment, created.ref)
      const refunds = yield* Payments.listRefunds(created.ref)
      assert.deepStrictEqual(
        refunds.map((r) => r.amount.amount),
        [2_500]
      )
      assert.strictEqual((yield* Payments.get(created.ref)).ledger.refunded.amount, 2_500)
      const listed = yield* Payments.list(created.reference)
      assert.deepStrictEqual(
        listed.map((p) => [p.ref.paymentId, p.status._tag]),
        [[created.ref.paymentId, "Captured"]]
      )
      assert.strictEqual(emulator.truth.chargesFor(created.reference), 1)
    })
  )

  it.effect("challenge on a hold: completes Authorized; capture and void act on the final authorization", () =>
    Effect.gen(function* () {
      const held = yield* Authorization.authorize({
        reference: reference("hold"),
        amount: usd(8_000),
        method: card(cards.mastercard.challenge)
      })
      yield* payer(held, "success")
      const done = yield* complete(held)
      assert.strictEqual(done.status._tag, "Authorized")
      assert.strictEqual(done.ledger.authorized.amount, 8_000)
      const captured = yield* Authorization.capture({ payment: held.ref, amount: usd(3_000) })
      assert.strictEqual(captured.status._tag, "PartiallyCaptured")
      assert.deepStrictEqual(captured.ref, held.ref)

      const other = yield* Authorization.authorize({
        reference: reference("void"),
        amount: usd(1_000),
        method: card(cards.visa.challenge)
      })
      yield* payer(other, "success")
      yield* complete(other)
      const voided = yield* Authorization.void({ payment: other.ref })
      assert.strictEqual(voided.status._tag, "Voided")
      assert.strictEqual((yield* Payments.get(other.ref)).status._tag, "Voided")
    })
  )

  it.effect("a failed challenge (wrong code, or the issuer refusing) is a Failed payment authentication_failed", () =>
    Effect.gen(function* () {
      const emulator = yield* CyberSourceEmulator.Emulator
      for (const [number, outcome] of [
        [cards.visa.challenge, "failure"],
        [cards.visa.challengeFailed, "success"]
      ] as const) {
        const created = yield* sale(number)
        yield* payer(created, outcome)
        const done = yield* complete(created)
        assert.strictEqual(done.status._tag, "Failed")
        if (done.status._tag === "Failed") assert.strictEqual(done.status.decline.code, "authentication_failed")
        const read = yield* Payments.get(created.ref)
        assert.strictEqual(read.status._tag, "Failed")
        if (read.status._tag === "Failed") assert.strictEqual(read.status.decline.code, "authentication_failed")
        assert.strictEqual(read.ledger.captured.amount, 0)
        // Completing again changes nothing.
        assert.strictEqual((yield* complete(created)).status._tag, "Failed")
        assert.strictEqual(emulator.truth.chargesFor(created.reference), 0)
      }
    })
  )

  it.effect("a challenge the issuer cannot authenticate (2.11) authorizes without liability shift", () =>
    Effect.gen(function* () {
      const created = yield* sale(cards.visa.challengeUnavailable)
      yield* payer(created, "success")
      assert.strictEqual((yield* complete(created)).status._tag, "Captured")
    })
  )

  it.effect("replayed and concurrent completions authorize once and answer the same payment", () =>
    Effect.gen(function* () {
      const emulator = yield* CyberSourceEmulator.Emulator
      const created = yield* sale(cards.visa.challenge, 4_200)
      yield* payer(created, "success")
      const answers = yield* Effect.all(
        [
          complete(created),
          complete(created),
          ThreeDsAuthentication.complete({ payment: created.ref, idempotencyKey: `other-key-${run}` })
        ],
        { concurrency: "unbounded" }
      )
      const again = yield* complete(created)
      for (const answer of [...answers, again]) {
        assert.strictEqual(answer.status._tag, "Captured")
        assert.deepStrictEqual(answer.ref, created.ref)
        assert.strictEqual(answer.ledger.captured.amount, 4_200)
      }
      assert.strictEqual(emulator.truth.chargesFor(created.reference), 1)
    })
  )

  it.effect("a payment that never asked for 3-D Secure cannot be completed (InvalidState)", () =>
    Effect.gen(function* () {
      const paid = yield* sale("4111111111111111")
      assert.strictEqual(paid.status._tag, "Captured")
      const error = yield* Effect.flip(complete(paid))
      assert.strictEqual(error._tag, "InvalidState")
    })
  )
})

describe("CyberSource 3-D Secure across processes and without the option", () => {
  it.scopedLive("a second adapter instance (no shared memory) completes what the first created", () =>
    Effect.gen(function* () {
      const emulator = yield* CyberSourceEmulator.start(CyberSourceFixtures.fixtureOptions)
      const first = providerFor(emulator, undefined, undefined, { payerAuthentication: true })
      const second = providerFor(emulator, undefined, undefined, { payerAuthentication: true })
      const created = yield* sale(cards.visa.challenge, 6_000).pipe(Effect.provide(first))
      yield* payer(created, "success").pipe(Effect.provide(Layer.succeed(CyberSourceEmulator.Emulator, emulator)))
      const [a, b] = yield* Effect.all(
        [complete(created).pipe(Effect.provide(first)), complete(created).pipe(Effect.provide(second))],
        { concurrency: "unbounded" }
      )
      assert.strictEqual(a.status._tag, "Captured")
      assert.strictEqual(b.status._tag, "Captured")
      const read = yield* Payments.get(created.ref).pipe(Effect.provide(second))
      assert.strictEqual(read.status._tag, "Captured")
      assert.strictEqual(emulator.truth.chargesFor(created.reference), 1)
    })
  )

  it.scopedLive("a completion whose answer is lost is OutcomeUnknown; completing again answers what it made", () =>
    Effect.gen(function* () {
      const emulator = yield* CyberSourceEmulator.start(CyberSourceFixtures.fixtureOptions)
      const adapter = providerFor(emulator, undefined, undefined, { payerAuthentication: true })
      const created = yield* sale(cards.visa.challenge, 3_300).pipe(Effect.provide(adapter))
      yield* payer(created, "success").pipe(Effect.provide(Layer.succeed(CyberSourceEmulator.Emulator, emulator)))
      emulator.faults.add(
        EmulatorFaults.commitThenDrop({ match: { method: "POST", path: "/pts/v2/payments" }, times: 1 })
      )
      const lost = yield* Effect.flip(complete(created).pipe(Effect.provide(adapter)))
      assert.strictEqual(lost._tag, "OutcomeUnknown")
      assert.strictEqual(emulator.truth.chargesFor(created.reference), 1)
      // Another process completes: it finds the final authorization and sends nothing.
      const again = yield* complete(created).pipe(
        Effect.provide(providerFor(emulator, undefined, undefined, { payerAuthentication: true }))
      )
      assert.strictEqual(again.status._tag, "Captured")
      assert.strictEqual(again.ledger.captured.amount, 3_300)
      assert.strictEqual(emulator.truth.chargesFor(created.reference), 1)
    })
  )

  it.scopedLive("without payer authentication an enrolled card is declined authentication_required", () =>
    Effect.gen(function* () {
      const emulator = yield* CyberSourceEmulator.start(CyberSourceFixtures.fixtureOptions)
      const error = yield* Effect.flip(sale(cards.visa.challenge).pipe(Effect.provide(providerFor(emulator))))
      assert.strictEqual(error._tag, "PaymentDeclined")
      if (error._tag === "PaymentDeclined") assert.strictEqual(error.code, "authentication_required")
    })
  )
})

// Runs after the block above released its layer (vitest runs blocks in order).
describe("what an operator could observe of the 3-D Secure runs", () => {
  it("no card number, CVV, cryptogram or authentication value was logged, traced or in an error", () => {
    const everything = Capture.observedText(capture.captured, errors)
    assert.include(everything, "ThreeDsAuthentication.complete")
    assert.isAbove(capture.captured.spans.length, 50)
    const numbers = [...Object.values(cards.visa), ...Object.values(cards.mastercard), "4111111111111111"]
    for (const secret of [...numbers, `"${CVV}"`, emulators[0]?.sharedSecret ?? "no emulator"]) {
      assert.notInclude(everything, secret)
    }
    // No payer-authentication answer (CAVV/AAV, XID, access token) reached an observer.
    for (const field of ["cavv", "ucafAuthenticationData", "accessToken", "JWT", 'xid"']) {
      assert.notInclude(everything, field)
    }
  })
})
