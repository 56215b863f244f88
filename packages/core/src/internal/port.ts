import * as Context from "effect/Context"
import * as DefaultServices from "effect/DefaultServices"
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import * as Tracer from "effect/Tracer"
import type { Money } from "../Money.js"
import { ValidationError } from "../PaymentError.js"

/** Span attributes that are safe to record: never card data or secrets. */
export type SafeAttributes = Readonly<Record<string, string | number | boolean>>

/** Effect's default tracer: its spans are recorded nowhere. */
const nativeTracer = Context.get(DefaultServices.liveServices, Tracer.Tracer)

/**
 * The span every port operation adds around its driver call.
 *
 * The span is made only when a tracer other than Effect's default one is installed (and tracing
 * is enabled): the default tracer's spans reach no exporter, and building one (with its attribute
 * map and the exit bookkeeping) is measurable on every call. `attributes` is a thunk for the same
 * reason: it runs only when the span is made.
 */
export const operation = (
  port: string,
  name: string,
  provider: string,
  attributes?: () => SafeAttributes
): (<A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>) => {
  const spanName = `${port}.${name}`
  return (self) =>
    Effect.withFiberRuntime((fiber) =>
      fiber.currentTracer === nativeTracer || !fiber.getFiberRef(FiberRef.currentTracerEnabled)
        ? self
        : Effect.withSpan(self, spanName, {
            kind: "client",
            // The span names the operation; a stack trace per call would cost CPU on the hot path.
            captureStackTrace: false,
            attributes: {
              "payport.provider": provider,
              "payport.operation": spanName,
              ...(attributes === undefined ? {} : attributes())
            }
          })
    )
}

/** Amount attributes for spans. */
export const moneyAttributes = (money: Money): SafeAttributes => ({
  "payport.amount": money.amount,
  "payport.currency": money.currency
})

/** Stamps a validation error with the provider and operation it was raised for. */
export const inContext =
  (provider: string, operation: string) =>
  <A, E, R>(self: Effect.Effect<A, E | ValidationError, R>): Effect.Effect<A, E | ValidationError, R> =>
    Effect.mapError(self, (e) =>
      e instanceof ValidationError && e.provider === "payport"
        ? new ValidationError({ provider, operation, field: e.field, reason: e.reason })
        : e
    )

/** Fails when a ref from one provider is handed to another. */
export const sameProvider = (provider: string, field: string, ref: { readonly provider: string }) =>
  ref.provider === provider
    ? Effect.void
    : Effect.fail(new ValidationError({ field, reason: `belongs to ${ref.provider}, not ${provider}` }))

/** Fails unless the text is non-empty (after trimming) and at most `max` characters. */
export const nonEmpty = (field: string, value: string | undefined, max = 256) =>
  value === undefined
    ? Effect.void
    : value.trim().length === 0 || value.length > max
      ? Effect.fail(new ValidationError({ field, reason: `must be 1 to ${max} characters` }))
      : Effect.void

/** An email address, loosely: something@domain.tld. */
export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/** A phone number: 8 to 15 digits, optionally after `+`. */
export const PHONE = /^\+?[0-9]{8,15}$/

/** The rule text for `PHONE`. */
export const PHONE_RULE = "8 to 15 digits, optionally after +"

/** Fails with a `ValidationError` unless `ok`. */
export const check = (ok: boolean, field: string, reason: string): Effect.Effect<void, ValidationError> =>
  ok ? Effect.void : Effect.fail(new ValidationError({ field, reason }))

/** Fails unless an optional value matches `pattern`. */
export const matches = (field: string, value: string | undefined, pattern: RegExp, rule: string) =>
  check(value === undefined || pattern.test(value), field, `must be ${rule}`)
