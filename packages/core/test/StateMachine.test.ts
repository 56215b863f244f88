import { assert, describe, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as FastCheck from "effect/FastCheck"
import { Decline } from "@payport/core/PaymentError"
import { Ids, Ledger, Money, Payment, Refund, StateMachine } from "@payport/core"

const all = StateMachine.paymentStatuses
const terminal = ["Captured", "Voided", "Failed", "Expired"] as const

/** The transition table as this specification states it: every pair not listed is forbidden. */
const allowed: ReadonlyArray<readonly [Payment.StatusTag, Payment.StatusTag]> = [
  ["Unknown", "RequiresAction"],
  ["Unknown", "Processing"],
  ["Unknown", "Authorized"],
  ["Unknown", "PartiallyCaptured"],
  ["Unknown", "Captured"],
  ["Unknown", "Voided"],
  ["Unknown", "Failed"],
  ["Unknown", "Expired"],
  ["RequiresAction", "Processing"],
  ["RequiresAction", "Authorized"],
  ["RequiresAction", "Captured"],
  ["RequiresAction", "Failed"],
  ["RequiresAction", "Expired"],
  ["Processing", "Authorized"],
  ["Processing", "Captured"],
  ["Processing", "Failed"],
  ["Processing", "Expired"],
  ["Authorized", "PartiallyCaptured"],
  ["Authorized", "Captured"],
  ["Authorized", "Voided"],
  ["Authorized", "Expired"],
  ["PartiallyCaptured", "Captured"]
]

const since = DateTime.unsafeMake(0)
const statusOf = (tag: Payment.StatusTag): Payment.PaymentStatus => {
  switch (tag) {
    case "RequiresAction":
      return { _tag: "RequiresAction", action: { _tag: "Otp", resendable: true } }
    case "Failed":
      return { _tag: "Failed", decline: Decline.of("do_not_honor") }
    case "Unknown":
      return { _tag: "Unknown", since }
    case "Authorized":
      return { _tag: "Authorized" }
    default:
      return { _tag: tag }
  }
}

const inr = (minor: number) => Money.unsafeMake(minor, "INR")
const ledgerOf = (authorized: number, captured: number, refunded: number) =>
  Ledger.Ledger.make({ authorized: inr(authorized), captured: inr(captured), refunded: inr(refunded) })

const payment = (tag: Payment.StatusTag, ledger = ledgerOf(1000, 0, 0)) =>
  Payment.Payment.make({
    ref: Ids.PaymentRef.make({ provider: "memory", paymentId: Ids.PaymentId.make("pay_1") }),
    reference: Ids.OrderReference.make("order_1"),
    amount: inr(1000),
    ledger,
    captureMode: "manual",
    method: Payment.MethodSummary.make({ kind: "Card", display: "•••• 1111" }),
    status: statusOf(tag),
    createdAt: since
  })

const arbitraryLedger = FastCheck.tuple(
  FastCheck.integer({ min: 0, max: 10 ** 9 }),
  FastCheck.integer({ min: 0, max: 10 ** 9 }),
  FastCheck.integer({ min: 0, max: 10 ** 9 })
).map(([a, b, c]) => {
  const [refunded, captured, authorized] = [a, b, c].sort((x, y) => x - y) as [number, number, number]
  return ledgerOf(authorized, captured, refunded)
})

describe("StateMachine", () => {
  describe("payment transitions", () => {
    for (const from of all) {
      for (const to of all) {
        const expected = from === to || allowed.some(([f, t]) => f === from && t === to)
        it(`${from} → ${to} is ${expected ? "allowed" : "forbidden"}`, () => {
          assert.strictEqual(StateMachine.canTransition(from, to), expected)
        })
      }
    }

    it("terminal states absorb: nothing leaves Captured, Voided, Failed or Expired", () => {
      for (const from of terminal) {
        assert.isTrue(StateMachine.isTerminal(from))
        for (const to of all) if (to !== from) assert.isFalse(StateMachine.isReachable(from, to))
      }
      for (const from of all)
        if (!terminal.includes(from as (typeof terminal)[number])) assert.isFalse(StateMachine.isTerminal(from))
    })

    it("the graph has no cycles, so 'may reach' is a partial order", () => {
      for (const a of all)
        for (const b of all)
          if (a !== b) assert.isFalse(StateMachine.isReachable(a, b) && StateMachine.isReachable(b, a))
    })

    it("operations are allowed only from their statuses: no second void, no capture after void, no refund before capture", () => {
      assert.deepStrictEqual(
        all.filter((s) => StateMachine.allows("void", s)),
        ["Authorized"]
      )
      assert.deepStrictEqual(
        all.filter((s) => StateMachine.allows("capture", s)),
        ["Authorized", "PartiallyCaptured"]
      )
      assert.deepStrictEqual(
        all.filter((s) => StateMachine.allows("refund", s)),
        ["PartiallyCaptured", "Captured"]
      )
      assert.deepStrictEqual(
        all.filter((s) => StateMachine.allows("authenticate", s)),
        ["RequiresAction"]
      )
      // Every status an operation leads to is reachable from where it is allowed.
      for (const from of StateMachine.operations.capture) assert.isTrue(StateMachine.canTransition(from, "Captured"))
      assert.isTrue(StateMachine.canTransition("Authorized", "Voided"))
    })

    it("payments start in a status from which every later status is reachable", () => {
      for (const status of all) {
        const reachableFromStart = StateMachine.initialStatuses.some((s) => StateMachine.isReachable(s, status))
        assert.isTrue(reachableFromStart, status)
      }
      assert.notInclude(StateMachine.initialStatuses, "PartiallyCaptured")
      assert.notInclude(StateMachine.initialStatuses, "Voided")
    })

    it("nothing moves back into Unknown", () => {
      for (const from of all) if (from !== "Unknown") assert.isFalse(StateMachine.isReachable(from, "Unknown"))
    })

    it("the ledger implies the status after authorization", () => {
      assert.strictEqual(StateMachine.statusForLedger(ledgerOf(1000, 0, 0)), "Authorized")
      assert.strictEqual(StateMachine.statusForLedger(ledgerOf(1000, 400, 0)), "PartiallyCaptured")
      assert.strictEqual(StateMachine.statusForLedger(ledgerOf(1000, 1000, 300)), "Captured")
    })
  })

  describe("monotone merge of observations", () => {
    const tags = FastCheck.constantFrom(...all)

    it.prop(
      "the merged status is one of the two, and the newer one when one can reach the other",
      [tags, tags, arbitraryLedger, arbitraryLedger],
      ([a, b, la, lb]) => {
        const merged = StateMachine.mergePayment(payment(a, la), payment(b, lb))
        assert.include([a, b], merged.status._tag)
        if (StateMachine.isReachable(a, b)) assert.strictEqual(merged.status._tag, b)
        else if (StateMachine.isReachable(b, a)) assert.strictEqual(merged.status._tag, a)
      },
      { fastCheck: { numRuns: 500 } }
    )

    it.prop(
      "a stale or duplicate observation never moves a payment backwards",
      [tags, tags, arbitraryLedger, arbitraryLedger],
      ([a, b, la, lb]) => {
        const first = StateMachine.mergePayment(payment(a, la), payment(b, lb))
        const again = StateMachine.mergePayment(first, payment(a, la))
        const twice = StateMachine.mergePayment(first, payment(b, lb))
        assert.strictEqual(again.status._tag, first.status._tag)
        assert.strictEqual(twice.status._tag, first.status._tag)
        assert.deepStrictEqual(again.ledger, first.ledger)
      },
      { fastCheck: { numRuns: 500 } }
    )

    it.prop(
      "merged ledgers keep the invariant and are never behind either input",
      [arbitraryLedger, arbitraryLedger],
      ([a, b]) => {
        const merged = Ledger.merge(a, b)
        assert.isTrue(Ledger.isValid(merged))
        for (const key of ["authorized", "captured", "refunded"] as const) {
          assert.isAtLeast(merged[key].amount, a[key].amount)
          assert.isAtLeast(merged[key].amount, b[key].amount)
        }
      },
      { fastCheck: { numRuns: 500 } }
    )

    it("a stale Processing webhook after Captured keeps Captured", () => {
      const merged = StateMachine.mergePayment(payment("Captured", ledgerOf(1000, 1000, 0)), payment("Processing"))
      assert.strictEqual(merged.status._tag, "Captured")
      assert.strictEqual(merged.ledger.captured.amount, 1000)
    })
  })

  describe("ledger rules", () => {
    it.prop(
      "any sequence of captures and refunds keeps authorized ≥ captured ≥ refunded ≥ 0, rejecting what would break it",
      [
        FastCheck.integer({ min: 1, max: 10 ** 7 }),
        FastCheck.array(FastCheck.tuple(FastCheck.boolean(), FastCheck.integer({ min: 1, max: 10 ** 7 })), {
          maxLength: 20
        })
      ],
      ([authorized, steps]) => {
        let ledger = Ledger.authorized(inr(authorized))
        for (const [isCapture, minor] of steps) {
          const room = isCapture ? ledger.capturable : ledger.refundable
          const next = isCapture ? Ledger.capture(ledger, inr(minor)) : Ledger.refund(ledger, inr(minor))
          assert.strictEqual(Either.isRight(next), minor <= room)
          if (Either.isRight(next)) ledger = next.right
          else assert.strictEqual(next.left._tag, "InvalidState")
          assert.isTrue(Ledger.isValid(ledger))
        }
      },
      { fastCheck: { numRuns: 300 } }
    )

    it.prop("ledgers generated from the schema keep the invariant", [Ledger.Ledger], ([ledger]) => {
      assert.isTrue(Ledger.isValid(ledger))
    })

    it("over-capture, over-refund, zero amounts and other currencies are InvalidState", () => {
      const held = Ledger.authorized(inr(1000))
      const captured = Either.getOrThrow(Ledger.capture(held, inr(600)))
      assert.strictEqual(captured.capturable, 400)
      const overCapture = Ledger.capture(captured, inr(401), { provider: "memory", operation: "capture" })
      assert.isTrue(Either.isLeft(overCapture) && overCapture.left.provider === "memory")
      assert.isTrue(Either.isLeft(Ledger.refund(captured, inr(601))))
      assert.isTrue(Either.isLeft(Ledger.capture(held, inr(0))))
      assert.isTrue(Either.isLeft(Ledger.capture(held, Money.unsafeMake(10, "USD"))))
      const refunded = Either.getOrThrow(Ledger.refund(captured, inr(600)))
      assert.strictEqual(refunded.refundable, 0)
      assert.isTrue(Ledger.isValid(Ledger.captured(inr(5))))
      assert.isTrue(Ledger.isValid(Ledger.empty("INR")))
      assert.isTrue(Either.isLeft(Ledger.fromAmounts({ authorized: inr(100), captured: inr(200), refunded: inr(0) })))
      assert.throws(() => ledgerOf(100, 200, 0))
      assert.isTrue(Either.isRight(Ledger.fromAmounts({ authorized: inr(100), captured: inr(50), refunded: inr(0) })))
    })
  })

  describe("refund transitions", () => {
    const refund = (status: Refund.RefundStatus) =>
      Refund.Refund.make({
        ref: Ids.RefundRef.make({
          provider: "memory",
          refundId: Ids.RefundId.make("ref_1"),
          payment: Ids.PaymentRef.make({ provider: "memory", paymentId: Ids.PaymentId.make("pay_1") })
        }),
        amount: inr(100),
        status,
        createdAt: since
      })

    it("Pending moves to Succeeded or Failed; final states absorb; Unknown resolves to anything", () => {
      const pending = refund({ _tag: "Pending" })
      const succeeded = refund({ _tag: "Succeeded" })
      const failed = refund({ _tag: "Failed", reason: "bank rejected" })
      const unknown = refund({ _tag: "Unknown", since })
      assert.strictEqual(StateMachine.mergeRefund(pending, succeeded), succeeded)
      assert.strictEqual(StateMachine.mergeRefund(succeeded, pending), succeeded)
      assert.strictEqual(StateMachine.mergeRefund(succeeded, failed), succeeded)
      assert.strictEqual(StateMachine.mergeRefund(unknown, failed), failed)
      assert.strictEqual(StateMachine.mergeRefund(pending, unknown), pending)
    })
  })
})
