/**
 * Payport for async/await code: one client over the same layers an Effect program uses, each port's
 * operations as Promise-returning methods.
 *
 * - A rejection is core's error itself (`err instanceof PaymentDeclined`, `err._tag`,
 *   `err.moneyMayHaveMoved`, `err.retry`), never a wrapper; a layer that cannot be built (a missing
 *   credential) rejects with its `ConfigurationError`; an aborted call rejects with the signal's
 *   `reason`, as `fetch` does.
 * - The client has exactly the ports its layer provides: with CyberSource's layer there is no
 *   `client.cryptograms`, with `Provider.layerFromConfig` only the common ports.
 * - One runtime per client, built on the first call and disposed by `close()` (or `await using`).
 *
 * @example
 * ```ts
 * import { Payport } from "@payport/client"
 * import { Money, PaymentMethod } from "@payport/core"
 * import { PaymentDeclined } from "@payport/core/PaymentError"
 * import * as InMemory from "@payport/testkit/InMemory"
 * import { strictEqual } from "node:assert"
 *
 * const payport = Payport.make(InMemory.layer())
 * const card = (number: string) => PaymentMethod.card({ number, expiry: { month: 12, year: 2030 }, cvv: "123" })
 *
 * const main = async () => {
 *   const payment = await payport.payments.create({
 *     reference: "order-1",
 *     amount: Money.unsafeMake(149900, "INR"),
 *     method: card("4111111111111111")
 *   })
 *   strictEqual(payment.status._tag, "Captured")
 *   try {
 *     await payport.payments.create({ reference: "order-2", amount: Money.unsafeMake(100, "INR"), method: card("42423482938483873") })
 *   } catch (error) {
 *     strictEqual(error instanceof PaymentDeclined, true)
 *   } finally {
 *     await payport.close()
 *   }
 * }
 * main()
 * ```
 *
 * @since 0.1.0
 */
import { Authorization } from "@payport/core/Authorization"
import { Cryptograms } from "@payport/core/Cryptograms"
import { Customers } from "@payport/core/Customers"
import { OtpAuthentication } from "@payport/core/OtpAuthentication"
import { Payments } from "@payport/core/Payments"
import { Vault } from "@payport/core/Vault"
import { VaultEnrollment } from "@payport/core/VaultEnrollment"
import { Webhooks } from "@payport/core/Webhooks"
import * as Cause from "effect/Cause"
import type * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Option from "effect/Option"

/**
 * Per-call options: `signal` cancels the call (its fiber is interrupted, so retries and back-off
 * stop too) and the promise rejects with `signal.reason`. A mutation cancelled after it was sent
 * may still have applied: sync (`payments.get`/`list`) before retrying it.
 *
 * @since 0.1.0
 * @category models
 */
export interface CallOptions {
  readonly signal?: AbortSignal | undefined
}

/**
 * A port's operations as Promise-returning methods: `(input, options?) => Promise<A>` for each
 * `(input) => Effect<A, E>`. The promise rejects with the `E` the Effect fails with.
 *
 * @since 0.1.0
 * @category models
 */
export type Promised<S> = {
  readonly [K in keyof S as S[K] extends (input: never) => Effect.Effect<unknown, unknown, never>
    ? K
    : never]: S[K] extends (input: infer I) => Effect.Effect<infer A, infer _E, never>
    ? (input: I, options?: CallOptions) => Promise<A>
    : never
}

/**
 * The port tags by the name the client gives them.
 *
 * @since 0.1.0
 * @category models
 */
export interface Ports {
  readonly payments: Payments
  readonly authorization: Authorization
  readonly vault: Vault
  readonly vaultEnrollment: VaultEnrollment
  readonly cryptograms: Cryptograms
  readonly otp: OtpAuthentication
  readonly customers: Customers
  readonly webhooks: Webhooks
}

/**
 * A client over a layer providing `R`: one property per port in `R`, plus `close`.
 *
 * @since 0.1.0
 * @category models
 */
export type Client<R> = {
  readonly [K in keyof Ports as Ports[K] extends R ? K : never]: Promised<Context.Tag.Service<Ports[K]>>
} & {
  /** Releases the runtime and everything its layer acquired (connection pools, emulators…). */
  readonly close: () => Promise<void>
  readonly [Symbol.asyncDispose]: () => Promise<void>
}

type OperationOf<S> = keyof Promised<S> & string

/** Each port's tag and operations; `satisfies` keeps the lists equal to the services' methods. */
const ports = {
  payments: { tag: Payments, operations: ["create", "get", "list", "refund", "getRefund", "listRefunds"] },
  authorization: { tag: Authorization, operations: ["authorize", "capture", "void"] },
  vault: { tag: Vault, operations: ["list", "get", "delete"] },
  vaultEnrollment: { tag: VaultEnrollment, operations: ["create", "update", "setDefault"] },
  cryptograms: { tag: Cryptograms, operations: ["fetch"] },
  otp: { tag: OtpAuthentication, operations: ["submit", "resend"] },
  customers: { tag: Customers, operations: ["create", "get"] },
  webhooks: { tag: Webhooks, operations: ["verify"] }
} satisfies {
  readonly [K in keyof Ports]: {
    readonly tag: Context.Tag<Ports[K], Context.Tag.Service<Ports[K]>>
    readonly operations: ReadonlyArray<OperationOf<Context.Tag.Service<Ports[K]>>>
  }
}

/** What a failed call rejects with: the typed failure itself, the abort reason, or the defect. */
const rejection = (cause: Cause.Cause<unknown>, signal: AbortSignal | undefined): unknown => {
  const failure = Cause.failureOption(cause)
  if (Option.isSome(failure)) return failure.value
  if (signal?.aborted === true && Cause.isInterruptedOnly(cause)) return signal.reason
  return Cause.squash(cause)
}

/**
 * A client over `layer`. Nothing is built until the first call; a layer that fails to build fails
 * that call (and every later one) with its error.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = <R, E>(layer: Layer.Layer<R, E, never>): Client<R> => {
  const runtime = ManagedRuntime.make(layer)
  const run = <A>(effect: Effect.Effect<A, unknown, R>, options: CallOptions | undefined): Promise<A> =>
    runtime
      .runPromiseExit(effect, options?.signal === undefined ? undefined : { signal: options.signal })
      .then((exit) => {
        if (Exit.isSuccess(exit)) return exit.value
        throw rejection(exit.cause, options?.signal)
      })
  const ports_ = Object.entries(ports).map(([name, port]) => {
    const methods = Object.fromEntries(
      port.operations.map((operation) => {
        // A tag is the effect that reads its service; `R` has it whenever the type shows the port.
        const service = port.tag as unknown as Effect.Effect<Readonly<Record<string, unknown>>, never, R>
        const effect = (input: unknown) =>
          Effect.flatMap(service, (methods) => {
            const call = methods[operation]
            return typeof call === "function"
              ? (call as (input: unknown) => Effect.Effect<unknown, unknown>)(input)
              : Effect.dieMessage(`${name}.${operation} is not an operation`)
          })
        return [operation, (input: unknown, options?: CallOptions) => run(effect(input), options)]
      })
    )
    return [name, methods] as const
  })
  const close = () => runtime.dispose()
  const client = Object.assign(Object.fromEntries(ports_), { close, [Symbol.asyncDispose]: close })
  return client as Client<R>
}
