/** Adapter layers over the stub client, for tests. */
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Cashfree from "../../src/Cashfree.js"
import type * as CashfreeClient from "../../src/CashfreeClient.js"
import * as Fake from "./Fake.js"
import * as Stub from "./Stub.js"

export const CLIENT_ID = "cf_test_client_id"
export const CLIENT_SECRET = "cfsk_ma_test_SECRET_7f3a9c"

export const options = (overrides?: Partial<CashfreeClient.Options>): CashfreeClient.Options => ({
  clientId: CLIENT_ID,
  clientSecret: Redacted.make(CLIENT_SECRET),
  environment: "sandbox",
  guestCustomer: { id: "guest_0001", phone: "9876543210" },
  timing: {
    attemptTimeout: "5 seconds",
    deadline: "20 seconds",
    retries: 3,
    baseDelay: "1 millis",
    maxDelay: "2 millis"
  },
  ...overrides
})

/** The adapter over a stub answering from `routes`, and the stub's request log. */
export const withRoutes = (routes: ReadonlyArray<Stub.Route>, overrides?: Partial<CashfreeClient.Options>) => {
  const stub = Stub.make(routes)
  return { log: stub.log, layer: Cashfree.layer(options(overrides)).pipe(Layer.provide(stub.layer)) }
}

/** The adapter over the example-driven fake. */
export const fake = (fakeOptions?: Fake.FakeOptions, overrides?: Partial<CashfreeClient.Options>) =>
  withRoutes(Fake.routes(fakeOptions), overrides)
