/**
 * The amount ledger of a payment: how much was authorized, captured and refunded.
 *
 * The invariant `authorized ≥ captured ≥ refunded ≥ 0`, all in one currency, holds for every
 * ledger these functions produce: a capture beyond the uncaptured remainder or a refund beyond
 * the unrefunded captured amount is an `InvalidState`, never a silent clamp. `merge` takes the
 * component-wise maximum, so merging observations only ever moves a ledger forward.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import * as Currency from "./Currency.js"
import * as Money from "./Money.js"
import { InvalidState } from "./PaymentError.js"
import { constructorCheck } from "./internal/construct.js"

const invariant = (l: {
  readonly authorized: Money.Money
  readonly captured: Money.Money
  readonly refunded: Money.Money
}): boolean =>
  l.authorized.currency === l.captured.currency &&
  l.captured.currency === l.refunded.currency &&
  l.authorized.amount >= l.captured.amount &&
  l.captured.amount >= l.refunded.amount

const ledgerFields = { authorized: Money.Money, captured: Money.Money, refunded: Money.Money }

const ledgerSchema = Schema.Struct(ledgerFields).pipe(
  Schema.filter((l) => invariant(l) || "a ledger needs authorized ≥ captured ≥ refunded ≥ 0 in one currency", {
    arbitrary: () => (fc) =>
      fc
        .tuple(
          fc.constantFrom(...Currency.codes),
          fc.integer({ min: 0, max: 10 ** 13 }),
          fc.integer({ min: 0, max: 10 ** 13 }),
          fc.integer({ min: 0, max: 10 ** 13 })
        )
        .map(([currency, a, b, c]) => {
          const [refunded, captured, authorized] = [a, b, c].sort((x, y) => x - y) as [number, number, number]
          const money = (amount: number) => Money.unsafeMake(amount, currency)
          return { authorized: money(authorized), captured: money(captured), refunded: money(refunded) }
        })
  })
)

const checkLedger = constructorCheck(ledgerSchema)

/**
 * A ledger. The schema enforces the invariant: decoding or making a ledger that breaks it fails.
 *
 * @since 0.1.0
 * @category models
 */
export class Ledger extends Schema.Class<Ledger>("@payport/core/Ledger")(ledgerSchema) {
  constructor(props: Schema.Struct.Constructor<typeof ledgerFields>, options?: Schema.MakeOptions) {
    super(checkLedger(props, options), true)
  }
  /**
   * What can still be captured.
   *
   * @since 0.1.0
   */
  get capturable(): number {
    return this.authorized.amount - this.captured.amount
  }
  /**
   * What can still be refunded.
   *
   * @since 0.1.0
   */
  get refundable(): number {
    return this.captured.amount - this.refunded.amount
  }
}

/**
 * A ledger its caller has proved valid (the invariant checked, or preserved by construction):
 * skips the class constructor's schema validation, which would repeat it on the hot path.
 */
const trusted = (amounts: {
  readonly authorized: Money.Money
  readonly captured: Money.Money
  readonly refunded: Money.Money
}): Ledger => new Ledger(amounts, true)

/**
 * A ledger from three amounts, or an `InvalidState` when they break the invariant (for adapters
 * reading a provider's figures).
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromAmounts = (
  amounts: { readonly authorized: Money.Money; readonly captured: Money.Money; readonly refunded: Money.Money },
  context?: Context
): Either.Either<Ledger, InvalidState> =>
  invariant(amounts)
    ? Either.right(trusted(amounts))
    : reject(
        context,
        `inconsistent amounts: authorized ${amounts.authorized}, captured ${amounts.captured}, refunded ${amounts.refunded}`
      )

/**
 * Who is asking, for the errors the ledger raises.
 *
 * @since 0.1.0
 * @category models
 */
export interface Context {
  readonly provider?: string
  readonly operation?: string
}

/**
 * A ledger with nothing authorized.
 *
 * @since 0.1.0
 * @category constructors
 */
export const empty = (currency: Currency.CurrencyCode): Ledger =>
  trusted({ authorized: Money.zero(currency), captured: Money.zero(currency), refunded: Money.zero(currency) })

/**
 * A ledger for an authorization (hold) of `amount`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const authorized = (amount: Money.Money): Ledger =>
  trusted({ authorized: amount, captured: Money.zero(amount.currency), refunded: Money.zero(amount.currency) })

/**
 * A ledger for a sale: authorized and captured at once.
 *
 * @since 0.1.0
 * @category constructors
 */
export const captured = (amount: Money.Money): Ledger =>
  trusted({ authorized: amount, captured: amount, refunded: Money.zero(amount.currency) })

/**
 * True when the invariant `authorized ≥ captured ≥ refunded ≥ 0` holds in one currency.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isValid = (ledger: Ledger): boolean => invariant(ledger)

const reject = (context: Context | undefined, reason: string) => Either.left(new InvalidState({ ...context, reason }))

const checkAmount = (ledger: Ledger, amount: Money.Money, context: Context | undefined, what: string) => {
  if (amount.currency !== ledger.authorized.currency) {
    return reject(context, `${what} in ${amount.currency} on a ${ledger.authorized.currency} payment`)
  }
  if (amount.amount <= 0) return reject(context, `${what} amount must be positive`)
  return Either.right(amount)
}

/**
 * Captures `amount` more. Fails with `InvalidState` when it exceeds what is still capturable.
 *
 * @since 0.1.0
 * @category transitions
 */
export const capture = (ledger: Ledger, amount: Money.Money, context?: Context): Either.Either<Ledger, InvalidState> =>
  Either.flatMap(checkAmount(ledger, amount, context, "capture"), () =>
    amount.amount > ledger.capturable
      ? reject(
          context,
          `capture of ${amount} exceeds the ${Money.toDecimal(Money.unsafeMake(ledger.capturable, amount.currency))} still capturable`
        )
      : Either.right(
          trusted({
            ...ledger,
            captured: Money.unsafeMake(ledger.captured.amount + amount.amount, amount.currency)
          })
        )
  )

/**
 * Refunds `amount` more. Fails with `InvalidState` when it exceeds what is still refundable.
 *
 * @since 0.1.0
 * @category transitions
 */
export const refund = (ledger: Ledger, amount: Money.Money, context?: Context): Either.Either<Ledger, InvalidState> =>
  Either.flatMap(checkAmount(ledger, amount, context, "refund"), () =>
    amount.amount > ledger.refundable
      ? reject(
          context,
          `refund of ${amount} exceeds the ${Money.toDecimal(Money.unsafeMake(ledger.refundable, amount.currency))} still refundable`
        )
      : Either.right(
          trusted({
            ...ledger,
            refunded: Money.unsafeMake(ledger.refunded.amount + amount.amount, amount.currency)
          })
        )
  )

/**
 * The component-wise maximum of two observations of the same payment's ledger. Monotone: the
 * result is never behind either input.
 *
 * @since 0.1.0
 * @category combinators
 */
export const merge = (a: Ledger, b: Ledger): Ledger => {
  if (a.authorized.currency !== b.authorized.currency) return a
  // The maximum of two valid ledgers is valid: max(a₁, b₁) ≥ max(a₂, b₂) when a₁ ≥ a₂ and b₁ ≥ b₂.
  const top = (x: Money.Money, y: Money.Money) => (y.amount > x.amount ? y : x)
  return trusted({
    authorized: top(a.authorized, b.authorized),
    captured: top(a.captured, b.captured),
    refunded: top(a.refunded, b.refunded)
  })
}
