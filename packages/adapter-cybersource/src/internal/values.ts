/**
 * Reading CyberSource values: money in decimal text, instants, ids and refs, HAL links, declines.
 */
import { InstrumentId, PaymentId, PaymentRef, RefundId } from "@payport/core/Ids"
import * as Money from "@payport/core/Money"
import { Decline } from "@payport/core/PaymentError"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { PROVIDER } from "./errors.js"
import * as Mapping from "./mapping.js"
import type * as Wire from "./wire.js"

export const money = (amount: string | undefined, currency: string | undefined): Option.Option<Money.Money> =>
  amount === undefined || currency === undefined
    ? Option.none()
    : Either.getRight(Money.fromDecimal(amount, currency.trim().toUpperCase(), { allowTrailingZeros: true }))

/** The JSON amount object CyberSource expects: decimal text, never a float. */
export const amountDetails = (amount: Money.Money) => ({
  totalAmount: Money.toDecimal(amount),
  currency: amount.currency
})

/** An instant from CyberSource text; now when it is missing or does not parse. */
export const instant = (text: string | undefined): Effect.Effect<DateTime.Utc> =>
  Option.match(
    Option.flatMap(Option.fromNullable(text), (t) => DateTime.make(t)),
    {
      onNone: () => DateTime.now,
      onSome: (d) => Effect.succeed(DateTime.toUtc(d))
    }
  )

/** Whether a provider id can be a `PaymentId`. */
export const isPaymentId = Schema.is(PaymentId)

/** Whether a provider id can be a `RefundId` (a longer or blank one cannot be named later). */
export const isRefundId = Schema.is(RefundId)

/** A payment's ref at CyberSource. */
export const paymentRef = (id: string): PaymentRef =>
  PaymentRef.make({ provider: PROVIDER, paymentId: PaymentId.make(id) })

/** The hrefs of a HAL link (one or several) by name. */
export const linkHrefs = (links: typeof Wire.Links.Type | undefined, name: string): ReadonlyArray<string> => {
  const value = links?.[name]
  if (value === undefined) return []
  return Array.isArray(value) ? value.map((l) => l.href) : [(value as typeof Wire.Link.Type).href]
}

const decodeInstrumentId = Schema.decodeUnknownOption(InstrumentId)

/** `{ instrumentId }` when the text is a valid id, else nothing. */
export const instrumentIdField = (text: string) =>
  Option.match(decodeInstrumentId(text), { onNone: () => ({}), onSome: (instrumentId) => ({ instrumentId }) })

/** `{ savedInstrumentId }` when the text is a valid id, else nothing. */
export const savedField = (text: string) =>
  Option.match(decodeInstrumentId(text), {
    onNone: () => ({}),
    onSome: (savedInstrumentId) => ({ savedInstrumentId })
  })

/** The last path segment of an href. */
export const lastSegment = (href: string): string => href.split("?")[0]?.replace(/\/+$/, "").split("/").pop() ?? ""

/** The decline code when a declined status arrives without a reason. */
const statusDeclines: Readonly<Record<string, string>> = {
  AUTHORIZED_RISK_DECLINED: "DECISION_PROFILE_REJECT",
  REJECTED: "DECISION_PROFILE_REJECT",
  FAILED: "PROCESSOR_ERROR",
  SERVER_ERROR: "PROCESSOR_ERROR"
}

/** The core decline for a declined or failed transaction. */
export const declineOf = (status: string, reason: string | undefined): Decline => {
  const providerCode = (reason ?? statusDeclines[status.trim().toUpperCase()] ?? status).trim()
  return Decline.of(Mapping.declineCode(providerCode), { providerCode })
}
