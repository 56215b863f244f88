import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { PaymentError, Redaction } from "@payport/core"

const ctx = { provider: "cashfree", operation: "Payments.create", httpStatus: 400, requestId: "req_1" }

/** One instance of every error class, with each group's defining fields. */
const samples: ReadonlyArray<PaymentError.PaymentError> = [
  new PaymentError.ValidationError({ field: "amount", reason: "must not be negative" }),
  new PaymentError.UnsupportedCurrency({ ...ctx, currency: "JPY" }),
  new PaymentError.UnsupportedMethod({ ...ctx, method: "NetworkToken" }),
  new PaymentError.ConfigurationError({ variable: "PAYPORT_PROVIDER", reason: "is not set" }),
  new PaymentError.PaymentDeclined({
    ...ctx,
    decline: PaymentError.Decline.of("insufficient_funds", { providerCode: "51" }),
    raw: Redaction.raw('{"card_number":"4111111111111111","reason":"funds"}')
  }),
  new PaymentError.InvalidRequest({ ...ctx, details: "order_amount is invalid", field: "order_amount" }),
  new PaymentError.Unauthenticated({ ...ctx, httpStatus: 401 }),
  new PaymentError.NotFound({ ...ctx, resource: "payment", id: "12345" }),
  new PaymentError.InvalidState({ ...ctx, reason: "capture after void" }),
  new PaymentError.IdempotencyConflict({ ...ctx, idempotencyKey: "key-00000001" }),
  new PaymentError.PreconditionFailed({ ...ctx, reason: "etag mismatch" }),
  new PaymentError.RateLimited({ ...ctx, retryAfterMillis: 2000 }),
  new PaymentError.ProviderUnavailable({ ...ctx, reason: "502" }),
  new PaymentError.ConnectFailed({ ...ctx, reason: "ECONNREFUSED" }),
  new PaymentError.OutcomeUnknown({
    ...ctx,
    idempotencyKey: "key-00000002",
    reason: "read timeout",
    providerRef: "o_1"
  }),
  new PaymentError.SignatureInvalid({ ...ctx, reason: "mismatch" }),
  new PaymentError.TimestampOutOfTolerance({ ...ctx, timestamp: "1", toleranceSeconds: 300 }),
  new PaymentError.UnknownEvent({ ...ctx, eventType: "SOMETHING_NEW" }),
  new PaymentError.ProviderResponseInvalid({ ...ctx, reason: "truncated JSON", raw: Redacted.make('{"a":') })
]

const expectedGroup: Record<PaymentError.PaymentError["_tag"], readonly [PaymentError.ErrorGroup, PaymentError.Retry]> =
  {
    ValidationError: ["preflight", "after-fix"],
    UnsupportedCurrency: ["preflight", "after-fix"],
    UnsupportedMethod: ["preflight", "after-fix"],
    ConfigurationError: ["preflight", "after-fix"],
    PaymentDeclined: ["declined", "after-fix"],
    InvalidRequest: ["rejected", "after-fix"],
    Unauthenticated: ["rejected", "after-fix"],
    NotFound: ["rejected", "never"],
    InvalidState: ["rejected", "never"],
    IdempotencyConflict: ["rejected", "after-fix"],
    PreconditionFailed: ["rejected", "after-fix"],
    RateLimited: ["transient", "same-key"],
    ProviderUnavailable: ["transient", "same-key"],
    ConnectFailed: ["transient", "same-key"],
    OutcomeUnknown: ["unknown", "never"],
    SignatureInvalid: ["webhook", "never"],
    TimestampOutOfTolerance: ["webhook", "never"],
    UnknownEvent: ["webhook", "never"],
    ProviderResponseInvalid: ["invalid-response", "never"]
  }

describe("PaymentError", () => {
  it("has a sample of every error in the union", () => {
    assert.deepStrictEqual(new Set(samples.map((e) => e._tag)), new Set(Object.keys(expectedGroup)))
  })

  for (const error of samples) {
    it(`${error._tag} encodes to JSON and decodes back to an equal instance of its class`, () =>
      Effect.gen(function* () {
        const encoded = yield* Schema.encode(PaymentError.PaymentError)(error)
        const json = JSON.parse(JSON.stringify(encoded)) as unknown
        const decoded = yield* Schema.decodeUnknown(PaymentError.PaymentError)(json)
        assert.strictEqual(decoded.constructor, error.constructor)
        assert.strictEqual(decoded._tag, error._tag)
        assert.strictEqual(decoded.message, error.message)
        assert.strictEqual(decoded.provider, error.provider)
        assert.strictEqual(decoded.operation, error.operation)
      }).pipe(Effect.runPromise))

    it(`${error._tag} is in group ${expectedGroup[error._tag][0]} with retry ${expectedGroup[error._tag][1]}`, () => {
      assert.strictEqual(error.group, expectedGroup[error._tag][0])
      assert.strictEqual(error.retry, expectedGroup[error._tag][1])
      assert.strictEqual(PaymentError.isTransient(error), error.group === "transient")
      assert.strictEqual(PaymentError.isOutcomeUnknown(error), error.group === "unknown")
      assert.isAbove(error.message.length, 10)
    })
  }

  it("errors raised before any provider default to provider payport, operation validate", () => {
    const error = new PaymentError.ValidationError({ field: "reference", reason: "must not be empty" })
    assert.strictEqual(error.provider, "payport")
    assert.strictEqual(error.operation, "validate")
    assert.strictEqual(error.message, "Invalid reference: must not be empty")
  })

  it("a hard decline advises never retrying; a soft one after a fix", () => {
    const hard = new PaymentError.PaymentDeclined({ ...ctx, decline: PaymentError.Decline.of("lost_or_stolen") })
    const soft = new PaymentError.PaymentDeclined({ ...ctx, decline: PaymentError.Decline.of("insufficient_funds") })
    assert.strictEqual(hard.retry, "never")
    assert.isTrue(hard.hard)
    assert.strictEqual(soft.retry, "after-fix")
    assert.strictEqual(soft.code, "insufficient_funds")
    assert.include(hard.message, "lost_or_stolen")
  })

  it("the raw body is scrubbed, and neither printing nor the message shows it", () => {
    const declined = samples[4] as PaymentError.PaymentDeclined
    const shown = `${declined.message} ${String(declined)} ${JSON.stringify(declined)}`
    assert.notInclude(shown, "4111111111111111")
    assert.isTrue(declined.raw !== undefined && !Redacted.value(declined.raw).includes("4111111111111111"))
  })
})
