/**
 * Hostile input: every decoder an untrusted party can reach, fuzzed with fast-check.
 *
 * - Provider responses: the testkit's `HostileResponseSuite` against a `CyberSourceEmulator` over
 *   loopback, for every operation (one request of it answered with hostility at a random status
 *   instead of the emulator's answer; a typed error or a valid result, never a defect, a hang, or
 *   success from a garbage 2xx to a mutation).
 * - Webhooks: random headers, bodies and `v-c-signature` formats; genuine notifications re-signed
 *   with hostile fields; forged, tampered, stale and wrongly keyed signatures never verify.
 * - User input: invalid input at every port is a preflight error and sends nothing.
 *
 * `PAYPORT_FUZZ_RUNS` sets the runs per property (default 15).
 */
import * as Authorization from "@payport/core/Authorization"
import * as Customers from "@payport/core/Customers"
import { PaymentId, PaymentRef, RefundId, RefundRef } from "@payport/core/Ids"
import * as Money from "@payport/core/Money"
import { PaymentError } from "@payport/core/PaymentError"
import * as PaymentMethod from "@payport/core/PaymentMethod"
import * as Payments from "@payport/core/Payments"
import * as Vault from "@payport/core/Vault"
import * as VaultEnrollment from "@payport/core/VaultEnrollment"
import * as Webhooks from "@payport/core/Webhooks"
import { WebhookEvent } from "@payport/core/WebhookEvent"
import * as CyberSourceEmulator from "@payport/emulators/CyberSourceEmulator"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import { assert, describe, it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as FastCheck from "effect/FastCheck"
import * as Arbitraries from "@payport/testkit/Arbitraries"
import * as HostileResponses from "@payport/testkit/HostileResponses"
import * as HostileResponseSuite from "@payport/testkit/HostileResponseSuite"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Scope from "effect/Scope"
import { afterAll, beforeAll } from "vitest"
import * as CyberSource from "../src/CyberSource.js"
import * as CyberSourceWebhooks from "../src/CyberSourceWebhooks.js"
import { optionsFor } from "./support/Live.js"

const RUNS = Number(process.env.PAYPORT_FUZZ_RUNS ?? 15)
const TEST_TIMEOUT = 60_000 + RUNS * 2_000

const { corrupt, corruption, junkBody } = HostileResponses
const { hostileResponseSuite } = HostileResponseSuite

/** Loopback HTTP to the emulator, counting the requests the adapter sends. */
const countingClient = () => {
  let requests = 0
  const layer = Layer.effect(
    HttpClient.HttpClient,
    Effect.map(HttpClient.HttpClient, (inner) =>
      HttpClient.tapRequest(inner, () =>
        Effect.sync(() => {
          requests++
        })
      )
    )
  ).pipe(Layer.provide(FetchHttpClient.layer))
  return { layer, requests: () => requests }
}

const decoder = new TextDecoder()

const fastTiming = {
  attemptTimeout: "2 seconds",
  deadline: "4 seconds",
  retries: 1,
  baseDelay: "1 millis",
  maxDelay: "2 millis"
} as const

// One emulator for the whole file: every case uses fresh references, so cases do not interfere.
let emulator: CyberSourceEmulator.CyberSourceEmulator
const scope = Effect.runSync(Scope.make())
beforeAll(async () => {
  emulator = await Effect.runPromise(Scope.extend(CyberSourceEmulator.start(), scope))
})
afterAll(() => Effect.runPromise(Scope.close(scope, Exit.void)))

// ---------------------------------------------------------------------------------------------
// Operations
// ---------------------------------------------------------------------------------------------

const usd = (minor: number) => Money.unsafeMake(minor, "USD")
const card = PaymentMethod.card({ number: "4111111111111111", expiry: { month: 12, year: 2031 }, cvv: "987" })
const run = globalThis.crypto.randomUUID().slice(0, 8)
let n = 0
const fresh = (label: string) => `${label}-${run}-${++n}`

type Ports = CyberSource.Provides

type Operation = HostileResponseSuite.Operation<Ports>

const hold = Effect.suspend(() =>
  Authorization.authorize({ reference: fresh("hold"), amount: usd(10_000), method: card })
)
const sale = Effect.suspend(() =>
  Payments.create({ reference: fresh("sale"), amount: usd(10_000), method: card, idempotencyKey: fresh("key-sale") })
)
const enrolled = Effect.gen(function* () {
  const customer = yield* Customers.create({ reference: fresh("cus"), email: "fuzz@example.com" })
  const instrument = yield* VaultEnrollment.create({ customerId: customer.id, card })
  return { customerId: customer.id, instrumentId: instrument.id, etag: instrument.etag ?? "" }
})

const operations: ReadonlyArray<Operation> = [
  { name: "Payments.create", mutates: true, setup: Effect.succeed(sale) },
  { name: "Authorization.authorize", mutates: true, setup: Effect.succeed(hold) },
  {
    name: "Authorization.capture",
    mutates: true,
    setup: Effect.map(hold, (p) => Authorization.capture({ payment: p.ref, amount: usd(4_000) }))
  },
  { name: "Authorization.void", mutates: true, setup: Effect.map(hold, (p) => Authorization.void({ payment: p.ref })) },
  {
    name: "Payments.refund",
    mutates: true,
    setup: Effect.map(sale, (p) =>
      Payments.refund({ payment: p.ref, amount: usd(1_000), idempotencyKey: fresh("rkey") })
    )
  },
  { name: "Payments.get", mutates: false, setup: Effect.map(sale, (p) => Payments.get(p.ref)) },
  { name: "Payments.list", mutates: false, setup: Effect.map(sale, (p) => Payments.list(p.reference)) },
  { name: "Payments.listRefunds", mutates: false, setup: Effect.map(sale, (p) => Payments.listRefunds(p.ref)) },
  {
    name: "Payments.getRefund",
    mutates: false,
    setup: Effect.map(sale, (p) =>
      Effect.flatMap(Payments.refund({ payment: p.ref, amount: usd(500) }), (r) => Payments.getRefund(r.ref))
    )
  },
  { name: "Customers.create", mutates: true, setup: Effect.succeed(Customers.create({ reference: fresh("cus") })) },
  { name: "Customers.get", mutates: false, setup: Effect.map(enrolled, (i) => Customers.get(i.customerId)) },
  {
    name: "VaultEnrollment.create",
    mutates: true,
    setup: Effect.map(Customers.create({ reference: fresh("cus") }), (c) =>
      VaultEnrollment.create({ customerId: c.id, card })
    )
  },
  {
    name: "VaultEnrollment.update",
    mutates: true,
    setup: Effect.map(enrolled, (i) => VaultEnrollment.update({ ...i, expiry: { month: 1, year: 2033 } }))
  },
  { name: "Vault.list", mutates: false, setup: Effect.map(enrolled, (i) => Vault.list({ customerId: i.customerId })) },
  { name: "Vault.get", mutates: false, setup: Effect.map(enrolled, (i) => Vault.get(i)) }
]

const isPaymentError = Schema.is(PaymentError)

const adapter = (client: { readonly layer: Layer.Layer<HttpClient.HttpClient> }) =>
  CyberSource.layer(optionsFor(emulator, fastTiming)).pipe(Layer.provide(client.layer), Layer.orDie)

hostileResponseSuite({
  inner: () => FetchHttpClient.layer,
  layer: (client) => adapter({ layer: client }),
  operations
})

// ---------------------------------------------------------------------------------------------
// Webhooks
// ---------------------------------------------------------------------------------------------

const webhookTags = new Set([
  "SignatureInvalid",
  "TimestampOutOfTolerance",
  "UnknownEvent",
  "ProviderResponseInvalid",
  "ConfigurationError"
])
const isEvent = Schema.is(WebhookEvent)

const sign = (t: string, body: string, key = emulator.webhooks.key) =>
  Effect.map(
    CyberSourceWebhooks.signature(Redacted.make(key), t, body),
    (sig) => `t=${t};keyId=${emulator.webhooks.keyId};sig=${sig}`
  )

/** Verifies through the port and checks the outcome's type; returns the exit. */
const verifyJudged = (request: Webhooks.RequestInput) =>
  Effect.gen(function* () {
    const exit = yield* Effect.exit(Webhooks.verify(request).pipe(Effect.timeout("5 seconds")))
    if (Exit.isFailure(exit)) {
      const failure = Cause.failureOption(exit.cause)
      assert.isTrue(failure._tag === "Some", `not a typed failure: ${Cause.pretty(exit.cause)}`)
      if (failure._tag === "Some") {
        const tag = (failure.value as { readonly _tag?: unknown })._tag
        assert.isTrue(typeof tag === "string" && webhookTags.has(tag), `unexpected failure ${String(tag)}`)
        assert.isTrue(isPaymentError(failure.value))
      }
    } else {
      assert.isTrue(isEvent(exit.value), "the verified event is not a valid WebhookEvent")
    }
    return exit
  })

const headerValue = FastCheck.oneof(
  FastCheck.string({ maxLength: 80 }),
  FastCheck.base64String({ maxLength: 64 }),
  FastCheck.constantFrom("", ";", "t=;sig=", "t=1;sig=", "t=99999999999999999;keyId=x;sig=AAAA", "sig==;t=1", "\u0000")
)

/** The emulator's own notifications for a hold → capture → refund, as signed bodies. */
const genuineBodies = Effect.gen(function* () {
  const client = countingClient()
  yield* Effect.gen(function* () {
    const held = yield* hold
    yield* Authorization.capture({ payment: held.ref })
    yield* Payments.refund({ payment: held.ref, amount: usd(100) })
  }).pipe(Effect.provide(adapter(client)))
  return emulator.webhooks.deliveries().map((d) => d.body)
})

const withAdapter = <A, E>(effect: Effect.Effect<A, E, Ports>) => Effect.provide(effect, adapter(countingClient()))

describe("webhooks", () => {
  it(
    "random headers and bodies fail closed with a webhook error",
    async () => {
      const bodies = await Effect.runPromise(genuineBodies)
      await FastCheck.assert(
        FastCheck.asyncProperty(
          FastCheck.dictionary(
            FastCheck.oneof(
              FastCheck.constantFrom("v-c-signature", "v-c-event-type", "v-c-transaction-trace-id", "content-type"),
              FastCheck.string({ minLength: 1, maxLength: 20 })
            ),
            headerValue
          ),
          FastCheck.oneof(junkBody, FastCheck.constantFrom(...bodies)),
          async (headers, body) => {
            const exit = await Effect.runPromise(withAdapter(verifyJudged({ headers, body })))
            assert.isTrue(Exit.isFailure(exit), "an unsigned request verified")
          }
        ),
        { numRuns: RUNS * 4 }
      )
    },
    TEST_TIMEOUT
  )

  it(
    "re-signed notifications with hostile fields verify into valid events or fail typed",
    async () => {
      const bodies = await Effect.runPromise(genuineBodies)
      await FastCheck.assert(
        FastCheck.asyncProperty(FastCheck.constantFrom(...bodies), corruption, async (genuine, c) => {
          const { body } = corrupt(JSON.parse(genuine), c)
          const text = typeof body === "string" ? body : decoder.decode(body)
          await Effect.runPromise(
            withAdapter(
              Effect.gen(function* () {
                const t = String(Date.now())
                yield* verifyJudged({ headers: { "v-c-signature": yield* sign(t, text) }, body: text })
              })
            )
          )
        }),
        { numRuns: RUNS * 4 }
      )
    },
    TEST_TIMEOUT
  )

  it(
    "forged, tampered, replayed-stale and wrongly keyed signatures never verify",
    async () => {
      const bodies = await Effect.runPromise(genuineBodies)
      await FastCheck.assert(
        FastCheck.asyncProperty(
          FastCheck.constantFrom(...bodies),
          FastCheck.oneof(
            FastCheck.record({ kind: FastCheck.constant("forged" as const), signature: headerValue }),
            FastCheck.record({
              kind: FastCheck.constant("other-key" as const),
              key: FastCheck.base64String({ minLength: 4, maxLength: 64 })
            }),
            FastCheck.record({ kind: FastCheck.constant("tampered" as const), at: FastCheck.nat() }),
            FastCheck.record({
              kind: FastCheck.constant("stale" as const),
              ageSeconds: FastCheck.integer({ min: 301, max: 10_000_000 })
            })
          ),
          async (body, attack) => {
            const exit = await Effect.runPromise(
              withAdapter(
                Effect.gen(function* () {
                  const now = String(Date.now())
                  switch (attack.kind) {
                    case "forged":
                      return yield* verifyJudged({ headers: { "v-c-signature": attack.signature }, body })
                    case "other-key": {
                      const key = attack.key === emulator.webhooks.key ? `${attack.key}AA==` : attack.key
                      const header = yield* Effect.orElseSucceed(sign(now, body, key), () => `t=${now};sig=x`)
                      return yield* verifyJudged({ headers: { "v-c-signature": header }, body })
                    }
                    case "tampered": {
                      const header = yield* sign(now, body)
                      const i = attack.at % body.length
                      const flipped = body.charAt(i) === "1" ? "2" : "1"
                      return yield* verifyJudged({
                        headers: { "v-c-signature": header },
                        body: `${body.slice(0, i)}${flipped}${body.slice(i + 1)}`
                      })
                    }
                    case "stale": {
                      const header = yield* sign(String(Date.now() - attack.ageSeconds * 1000), body)
                      return yield* verifyJudged({ headers: { "v-c-signature": header }, body })
                    }
                  }
                })
              )
            )
            assert.isTrue(Exit.isFailure(exit), `a ${attack.kind} signature verified`)
          }
        ),
        { numRuns: RUNS * 4 }
      )
    },
    TEST_TIMEOUT
  )
})

// ---------------------------------------------------------------------------------------------
// User input
// ---------------------------------------------------------------------------------------------

const { badCardNumber, badCvv, badExpiry, badReference, preflightTags } = Arbitraries

type BadInput =
  | { readonly field: "reference"; readonly value: string }
  | { readonly field: "number"; readonly value: string }
  | { readonly field: "expiry"; readonly value: { readonly month: number; readonly year: number } }
  | { readonly field: "cvv"; readonly value: string }
  | { readonly field: "idempotencyKey"; readonly value: string }
  | { readonly field: "amount"; readonly value: number }
  | { readonly field: "method"; readonly value: PaymentMethod.PaymentMethod }

const badInput: FastCheck.Arbitrary<BadInput> = FastCheck.oneof(
  badReference.map((value) => ({ field: "reference" as const, value })),
  badCardNumber.map((value) => ({ field: "number" as const, value })),
  badExpiry.map((value) => ({ field: "expiry" as const, value })),
  badCvv.map((value) => ({ field: "cvv" as const, value })),
  FastCheck.oneof(FastCheck.string({ maxLength: 7 }), FastCheck.string({ minLength: 65, maxLength: 90 })).map(
    (value) => ({ field: "idempotencyKey" as const, value })
  ),
  FastCheck.constant({ field: "amount" as const, value: 0 }),
  // methods CyberSource cannot take: UnsupportedMethod before any I/O
  FastCheck.constantFrom<PaymentMethod.PaymentMethod>(
    PaymentMethod.upiCollect("testsuccess@gocash"),
    PaymentMethod.upiIntent,
    { _tag: "Netbanking", bankCode: "TESTR" },
    { _tag: "Wallet", provider: "phonepe", phone: "9876543210" }
  ).map((value) => ({ field: "method" as const, value }))
)

const createInput = (bad: BadInput) => ({
  reference: bad.field === "reference" ? bad.value : fresh("ref"),
  amount: usd(bad.field === "amount" ? bad.value : 10_000),
  method:
    bad.field === "method"
      ? bad.value
      : PaymentMethod.card({
          number: bad.field === "number" ? bad.value : "4111111111111111",
          expiry: bad.field === "expiry" ? bad.value : { month: 12, year: 2031 },
          cvv: bad.field === "cvv" ? bad.value : "987"
        }),
  ...(bad.field === "idempotencyKey" ? { idempotencyKey: bad.value } : {})
})

const ref = PaymentRef.make({ provider: "cybersource", paymentId: PaymentId.make("7000000000000000000001") })

const assertPreflight = (exit: Exit.Exit<unknown, unknown>, label: string) => {
  assert.isTrue(Exit.isFailure(exit), `${label} was accepted`)
  if (Exit.isFailure(exit)) {
    const failure = Cause.failureOption(exit.cause)
    assert.isTrue(
      failure._tag === "Some" && isPaymentError(failure.value) && preflightTags.has(failure.value._tag),
      `${label}: ${Cause.pretty(exit.cause)}`
    )
  }
}

describe("user input at every port", () => {
  it(
    "an invalid sale or hold is a preflight error and sends nothing",
    () =>
      FastCheck.assert(
        FastCheck.asyncProperty(badInput, FastCheck.constantFrom("create", "authorize"), async (bad, port) => {
          const client = countingClient()
          const input = createInput(bad)
          const test: Effect.Effect<unknown, unknown, Ports> =
            port === "create" ? Payments.create(input) : Authorization.authorize(input)
          const exit = await Effect.runPromise(Effect.exit(test).pipe(Effect.provide(adapter(client))))
          assertPreflight(exit, bad.field)
          assert.strictEqual(client.requests(), 0, "a request was sent for invalid input")
        }),
        { numRuns: RUNS * 4 }
      ),
    TEST_TIMEOUT
  )

  it(
    "bad keys, zero amounts, foreign refs and bad cards at capture, void, refund and the vault send nothing",
    () =>
      FastCheck.assert(
        FastCheck.asyncProperty(
          FastCheck.oneof(FastCheck.string({ maxLength: 7 }), FastCheck.string({ minLength: 65, maxLength: 90 })),
          badCardNumber,
          FastCheck.constantFrom("capture", "void", "refund", "refund-zero", "foreign-ref", "enroll", "get-refund"),
          async (badKey, badNumber, which) => {
            const client = countingClient()
            const foreign = PaymentRef.make({
              provider: "cashfree",
              paymentId: PaymentId.make("12376123"),
              orderId: "order_8123"
            })
            const test: Effect.Effect<unknown, unknown, Ports> =
              which === "capture"
                ? Authorization.capture({ payment: ref, amount: usd(100), idempotencyKey: badKey })
                : which === "void"
                  ? Authorization.void({ payment: ref, idempotencyKey: badKey })
                  : which === "refund"
                    ? Payments.refund({ payment: ref, amount: usd(100), idempotencyKey: badKey })
                    : which === "refund-zero"
                      ? Payments.refund({ payment: ref, amount: Money.zero("USD") })
                      : which === "foreign-ref"
                        ? Payments.get(foreign)
                        : which === "get-refund"
                          ? Payments.getRefund(
                              RefundRef.make({ provider: "cashfree", refundId: RefundId.make("r1"), payment: foreign })
                            )
                          : VaultEnrollment.create({
                              customerId: "cus-1",
                              card: PaymentMethod.card({ number: badNumber, expiry: { month: 12, year: 2031 } })
                            })
            const exit = await Effect.runPromise(Effect.exit(test).pipe(Effect.provide(adapter(client))))
            assertPreflight(exit, which)
            assert.strictEqual(client.requests(), 0, `${which} sent a request for invalid input`)
          }
        ),
        { numRuns: RUNS * 2 }
      ),
    TEST_TIMEOUT
  )
})
