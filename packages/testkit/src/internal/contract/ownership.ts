/**
 * The contract suite's ownership group: a saved instrument belongs to one customer. Every port that
 * takes an instrument refuses it for another customer (`NotFound`: for that customer it does not
 * exist) and core refuses a saved-card payment that names no customer (`ValidationError`), before
 * any money moves; the owner can still use it afterwards.
 */
import * as AuthorizationPort from "@payport/core/Authorization"
import * as Cryptograms from "@payport/core/Cryptograms"
import type { CustomerId } from "@payport/core/Ids"
import type * as Money from "@payport/core/Money"
import * as PaymentMethod from "@payport/core/PaymentMethod"
import type * as PaymentRequest from "@payport/core/PaymentRequest"
import * as Payments from "@payport/core/Payments"
import type { CommonPorts } from "@payport/core/Provider"
import * as Vault from "@payport/core/Vault"
import * as VaultEnrollment from "@payport/core/VaultEnrollment"
import { assert, type Vitest } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { failsWith, unique } from "./shared.js"

interface Context<R> {
  readonly money: (amount: number) => Money.Money
  readonly customerFor: (id: string) => PaymentRequest.PaymentCustomer
  /** A new customer with a card saved through a payment. */
  readonly savedInstrument: Effect.Effect<Vault.InstrumentKey, unknown, R | CommonPorts>
  readonly newCustomer: Effect.Effect<{ readonly id: CustomerId }, unknown, R | CommonPorts>
  readonly cryptograms: boolean
  readonly enrollment: boolean
}

type Ports = CommonPorts | Cryptograms.Cryptograms | VaultEnrollment.VaultEnrollment

/** Registers the group's tests. */
export const registerOwnership = <R>(it: { readonly effect: Vitest.Tester<R | Ports> }, ctx: Context<R>): void => {
  const { money, customerFor, savedInstrument, newCustomer } = ctx
  const payWith = (instrumentId: string, customer: PaymentRequest.PaymentCustomer | undefined) => {
    const input = (label: string) => ({
      reference: unique(label),
      amount: money(700),
      method: PaymentMethod.savedCard(instrumentId, "123"),
      ...(customer === undefined ? {} : { customer }),
      idempotencyKey: unique("key")
    })
    const sale = input("own-sale")
    const hold = input("own-hold")
    return {
      references: [sale.reference, hold.reference],
      sale: Payments.create(sale),
      hold: AuthorizationPort.authorize(hold)
    }
  }
  const nothingMade = (references: ReadonlyArray<string>) =>
    Effect.forEach(references, (reference) =>
      Effect.map(Payments.list(reference), (found) => assert.deepStrictEqual(found, [], `a payment was made`))
    )

  it.effect(
    "ownership: a saved card pays only for its customer: another customer's payment is NotFound, none names no customer; nothing moves",
    () =>
      Effect.gen(function* () {
        const key = yield* savedInstrument
        const other = yield* newCustomer
        const foreign = payWith(key.instrumentId, customerFor(other.id))
        yield* failsWith(foreign.sale, "NotFound")
        yield* failsWith(foreign.hold, "NotFound")
        yield* nothingMade(foreign.references)
        const anonymous = payWith(key.instrumentId, undefined)
        const refused = yield* failsWith(anonymous.sale, "ValidationError")
        if (refused._tag === "Left" && refused.left._tag === "ValidationError") {
          assert.strictEqual(refused.left.field, "customer")
        }
        yield* failsWith(anonymous.hold, "ValidationError")
        yield* nothingMade(anonymous.references)
        const own = yield* payWith(key.instrumentId, customerFor(key.customerId)).sale
        assert.strictEqual(own.status._tag, "Captured")
      })
  )

  it.effect("ownership: another customer can neither read nor delete the instrument", () =>
    Effect.gen(function* () {
      const key = yield* savedInstrument
      const other = yield* newCustomer
      const foreign = { customerId: other.id, instrumentId: key.instrumentId }
      yield* failsWith(Vault.get(foreign), "NotFound")
      yield* failsWith(Vault.delete(foreign), "NotFound")
      assert.deepStrictEqual((yield* Vault.list({ customerId: other.id })).items, [])
      assert.strictEqual((yield* Vault.get(key)).status, "Active", "the owner's instrument survives")
    })
  )

  if (ctx.cryptograms) {
    it.effect("ownership: no cryptogram for another customer's instrument", () =>
      Effect.gen(function* () {
        const key = yield* savedInstrument
        const other = yield* newCustomer
        yield* failsWith(Cryptograms.fetch({ customerId: other.id, instrumentId: key.instrumentId }), "NotFound")
      })
    )
  }

  if (ctx.enrollment) {
    it.effect("ownership: another customer cannot update the instrument or make it their default", () =>
      Effect.gen(function* () {
        const key = yield* savedInstrument
        const other = yield* newCustomer
        const foreign = { customerId: other.id, instrumentId: key.instrumentId }
        const etag = (yield* Vault.get(key)).etag ?? ""
        yield* failsWith(VaultEnrollment.update({ ...foreign, etag, holder: "Someone Else" }), "NotFound")
        yield* failsWith(VaultEnrollment.setDefault({ ...foreign, etag }), "NotFound")
        assert.strictEqual((yield* Vault.get(key)).status, "Active")
      })
    )
  }
}
