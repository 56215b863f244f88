/**
 * What a contract-case module gets from the suite: the tester, the fixtures and the helpers every
 * case shares (unique references, money in the fixtures' currency, customers).
 */
import type { Customer } from "@payport/core/Customer"
import type * as Customers from "@payport/core/Customers"
import type * as Money from "@payport/core/Money"
import type { OperationError } from "@payport/core/PaymentError"
import type * as PaymentRequest from "@payport/core/PaymentRequest"
import type { CommonPorts } from "@payport/core/Provider"
import type { Vitest } from "@effect/vitest"
import type * as Effect from "effect/Effect"
import type { Fixtures } from "../../ContractSuite.js"

/** The suite's context for case modules; `R` is what the provider layer gives the tests. */
export interface Context<R> {
  readonly it: { readonly effect: Vitest.Tester<R | CommonPorts> }
  readonly f: Fixtures<R>
  /** A reference unique across runs against a provider that keeps state. */
  readonly unique: (label: string) => string
  readonly money: (amount: number) => Money.Money
  /** The payer of a payment, from a customer id and the fixtures' customer details. */
  readonly customerFor: (id: string) => PaymentRequest.PaymentCustomer
  readonly newCustomer: Effect.Effect<Customer, OperationError, Customers.Customers>
}
