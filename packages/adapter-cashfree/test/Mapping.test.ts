import * as Money from "@payport/core/Money"
import { describe, assert, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import * as Mapping from "../src/internal/mapping.js"
import * as Wire from "../src/internal/wire.js"
import { enumOf, specText } from "./support/OpenApi.js"

const sameSet = (actual: ReadonlyArray<string>, expected: ReadonlyArray<string>, what: string) =>
  assert.deepStrictEqual([...new Set(actual)].sort(), [...new Set(expected)].sort(), what)

const covers = (table: object, values: ReadonlyArray<string>, what: string) => {
  for (const value of values) assert.isTrue(Object.hasOwn(table, value), `${what}: ${value} is not mapped`)
}

describe("mapping tables are total over the documented values", () => {
  it("payment_status", () => {
    sameSet(Mapping.paymentStatusValues, enumOf("PaymentEntity", "payment_status"), "payment_status")
    covers(Mapping.paymentStatuses, enumOf("PaymentEntity", "payment_status"), "payment_status")
    for (const outcome of Object.values(Mapping.paymentStatuses)) assert.isDefined(Mapping.outcomeStatus[outcome])
  })
  it("refund_status (the enum, plus FAILED from its description)", () => {
    const documented = [...enumOf("RefundEntity", "refund_status"), "FAILED"]
    sameSet(Mapping.refundStatusValues, documented, "refund_status")
    covers(Mapping.refundStatuses, documented, "refund_status")
  })
  it("authorization action × status", () => {
    const actions = enumOf("AuthorizationInPaymentsEntity", "action")
    const statuses = enumOf("AuthorizationInPaymentsEntity", "status")
    sameSet(Mapping.authorizationActionValues, actions, "authorization.action")
    sameSet(Mapping.authorizationStatusValues, statuses, "authorization.status")
    for (const action of Mapping.authorizationActionValues)
      covers(Mapping.authorizationStatuses[action], statuses, action)
  })
  it("instrument_status, authenticate_status, Order Pay channel and action", () => {
    covers(Mapping.instrumentStatuses, enumOf("InstrumentEntity", "instrument_status"), "instrument_status")
    covers(
      Mapping.authenticateStatuses,
      enumOf("OrderAuthenticateEntity", "authenticate_status"),
      "authenticate_status"
    )
    covers(Mapping.channelActions, enumOf("PayOrderEntity", "channel"), "channel")
    covers(Mapping.payActions, enumOf("PayOrderEntity", "action"), "action")
    covers(Mapping.paymentMethodKeys, enumOf("PayOrderEntity", "payment_method"), "payment_method")
  })
  it("order_status, payment_group (documented in prose)", () => {
    covers(Mapping.orderStatuses, ["ACTIVE", "PAID", "EXPIRED", "TERMINATED", "TERMINATION_REQUESTED"], "order_status")
    covers(Mapping.paymentGroups, Mapping.paymentGroupValues, "payment_group")
  })
  it("error types: every schema's enum, and the types the errors page lists", () => {
    const fromSchemas = [
      "BadRequestError",
      "ApiError404",
      "ApiError409",
      "IdempotencyError",
      "RateLimitError",
      "ApiError",
      "ApiError502"
    ].flatMap((name) => enumOf(name, "type"))
    covers(
      Mapping.errorTypes,
      [
        ...fromSchemas,
        "authentication_error",
        "api_connection_error",
        "feature_not_enabled",
        "validation_error",
        "bad_gateway_error"
      ],
      "type"
    )
  })
  it("webhook types", () => covers(Mapping.webhookTypes, Mapping.webhookTypeValues, "webhook type"))
})

describe("HTTP errors become typed errors", () => {
  const context = {
    operation: "Payments.refund",
    requestId: "req-1",
    safeToRetry: true,
    mutating: true,
    idempotencyKey: "key-00000001"
  }
  const cases: ReadonlyArray<readonly [number, Wire.ErrorBody | undefined, string]> = [
    [
      400,
      { message: "bad URL, please check API documentation", code: "request_failed", type: "invalid_request_error" },
      "InvalidRequest"
    ],
    [
      400,
      { message: "invalid value for parameter: card_cvv", code: "card_cvv_invalid", type: "invalid_request_error" },
      "InvalidRequest"
    ],
    [
      400,
      { message: "x-api-version missing", code: "version_missing", type: "invalid_request_error" },
      "ConfigurationError"
    ],
    [
      401,
      { message: "authentication Failed", code: "request_failed", type: "authentication_error" },
      "Unauthenticated"
    ],
    [404, { message: "order not found", code: "order_not_found", type: "invalid_request_error" }, "NotFound"],
    [404, { message: "orderpay not found", code: "orderpay_not_found", type: "invalid_request_error" }, "NotFound"],
    [404, { message: "instrument not found", code: "instrument_not_found", type: "invalid_request_error" }, "NotFound"],
    [404, undefined, "NotFound"],
    [
      409,
      { message: "order with same id is already present", code: "order_already_exists", type: "invalid_request_error" },
      "InvalidRequest"
    ],
    [422, { message: "different body", code: "request_invalid", type: "idempotency_error" }, "IdempotencyConflict"],
    [
      429,
      { message: "Too many requests from IP. Check headers", code: "request_failed", type: "rate_limit_error" },
      "RateLimited"
    ],
    [500, { message: "internal Server Error", code: "internal_error", type: "api_error" }, "ProviderUnavailable"],
    [502, { message: "bank", code: "bank_processing_failure", type: "api_error" }, "ProviderUnavailable"],
    [503, undefined, "ProviderUnavailable"],
    [418, undefined, "InvalidRequest"]
  ]
  for (const [status, body, tag] of cases) {
    it(`${status} ${body?.code ?? "(no body)"} → ${tag}`, () => {
      const error = Mapping.errorFromResponse(
        status,
        JSON.stringify(body ?? ""),
        body,
        { "x-ratelimit-retry": "7" },
        context
      )
      assert.strictEqual(error._tag, tag)
      assert.strictEqual(error.provider, "cashfree")
      assert.strictEqual(error.httpStatus, status)
    })
  }
  it("field codes name the Payport field; 409 names the reference; 429 carries the hint", () => {
    const cvv = Mapping.errorFromResponse(400, "", { code: "card_cvv_invalid" }, {}, context)
    assert.strictEqual(cvv._tag === "InvalidRequest" ? cvv.field : undefined, "method.cvv")
    const vpa = Mapping.errorFromResponse(400, "", { code: "upi.vpa_invalid" }, {}, context)
    assert.strictEqual(vpa._tag === "InvalidRequest" ? vpa.field : undefined, "method.vpa")
    const dup = Mapping.errorFromResponse(409, "", { code: "order_already_exists" }, {}, context)
    assert.strictEqual(dup._tag === "InvalidRequest" ? dup.field : undefined, "reference")
    const limited = Mapping.errorFromResponse(429, "", undefined, { "x-ratelimit-retry": "7" }, context)
    assert.strictEqual(limited._tag === "RateLimited" ? limited.retryAfterMillis : undefined, 7000)
  })
  it("a 5xx on a call Cashfree does not replay is OutcomeUnknown", () => {
    const error = Mapping.errorFromResponse(500, "", undefined, {}, { ...context, safeToRetry: false })
    assert.strictEqual(error._tag, "OutcomeUnknown")
  })
  it("every error code in the spec's examples maps to a rejection, not a success or a crash", () => {
    const codes = [...new Set([...specText.matchAll(/"code"\s*:\s*"([^"]+)"/g)].map((m) => m[1] ?? ""))]
    assert.isAbove(codes.length, 10)
    for (const code of codes) {
      const error = Mapping.errorFromResponse(400, "", { code, type: "invalid_request_error" }, {}, context)
      assert.oneOf(error._tag, ["InvalidRequest", "NotFound", "ProviderUnavailable", "ConfigurationError"], code)
    }
  })
})

describe("declines", () => {
  const failed = (details: Wire.ErrorDetails, kind: "Card" | "Upi" = "Card") =>
    Mapping.declineFromDetails(details, kind, "failed")
  it("documented error_details map exactly", () => {
    const d = failed({ error_code: "TRANSACTION_DECLINED", error_reason: "auth_declined", error_source: "customer" })
    assert.strictEqual(d.code, "do_not_honor")
    assert.strictEqual(d.providerCode, "TRANSACTION_DECLINED")
  })
  it("the raw issuer answer refines the generic documented pair (SPEC25's ZM example is a wrong UPI PIN)", () => {
    const example = {
      error_code: "TRANSACTION_DECLINED",
      error_description: "issuer bank or payment service provider declined the transaction",
      error_reason: "auth_declined",
      error_source: "customer",
      error_code_raw: "ZM",
      error_description_raw: "INVALID / INCORRECT MPIN"
    }
    assert.strictEqual(failed(example).code, "authentication_failed")
    assert.strictEqual(failed(example).providerCode, "TRANSACTION_DECLINED")
    const refined = (error_reason: string, error_description_raw: string, kind: "Card" | "Upi" = "Card") =>
      failed({ error_code: "TRANSACTION_DECLINED", error_reason, error_description_raw }, kind).code
    assert.strictEqual(refined("insufficient_funds", "INSUFFICIENT FUNDS"), "insufficient_funds")
    assert.strictEqual(refined("invalid_card_details", "DECLINE FOR CVV2 FAILURE"), "incorrect_cvc")
    assert.strictEqual(refined("card_expired", "EXPIRED CARD"), "expired_card")
    assert.strictEqual(refined("collect_expired", "COLLECT EXPIRED", "Upi"), "upi_collect_expired")
    assert.strictEqual(refined("card_blocked", "STOLEN CARD, PICK UP"), "lost_or_stolen")
    // Nothing specific beside the generic pair: the exact table.
    assert.strictEqual(refined("auth_declined", "DO NOT HONOUR"), "do_not_honor")
    assert.strictEqual(refined("bank_rejected", "DEBIT HAS BEEN FAILED"), "do_not_honor")
  })
  it("undocumented codes are read by their words; expired depends on the method", () => {
    assert.strictEqual(failed({ error_code: "INSUFFICIENT_FUNDS" }).code, "insufficient_funds")
    assert.strictEqual(failed({ error_reason: "invalid_cvv" }).code, "incorrect_cvc")
    assert.strictEqual(failed({ error_code: "TRANSACTION_EXPIRED" }, "Upi").code, "upi_collect_expired")
    assert.strictEqual(failed({ error_code: "CARD_EXPIRED" }, "Card").code, "expired_card")
    assert.strictEqual(failed({ error_code: "RISK_REJECTED" }).code, "risk_rejected")
    assert.strictEqual(failed({ error_code: "SOMETHING_ELSE" }).code, "generic_decline")
    assert.strictEqual(failed({}).code, "generic_decline")
  })
  it("user dropped and cancelled are user_cancelled", () => {
    assert.strictEqual(Mapping.declineFromDetails(undefined, "Card", "dropped").code, "user_cancelled")
    assert.strictEqual(Mapping.declineFromDetails(undefined, "Card", "cancelled").code, "user_cancelled")
  })
})

describe("amounts and ids", () => {
  it("decimal amounts convert exactly, both ways", () => {
    assert.strictEqual(Either.getOrThrow(Mapping.money(10.01, "INR", "a")).amount, 1001)
    assert.strictEqual(Either.getOrThrow(Mapping.money("100.81", "INR", "a")).amount, 10081)
    assert.strictEqual(Either.getOrThrow(Mapping.money(22.4, "INR", "a")).amount, 2240)
    assert.strictEqual(Either.getOrThrow(Mapping.money("10.500", "INR", "a")).amount, 1050)
    assert.isTrue(Either.isLeft(Mapping.money(10.015, "INR", "a")))
    assert.isTrue(Either.isLeft(Mapping.money(-1, "INR", "a")))
    const big = Money.unsafeMake(999_999_999_999_999, "INR")
    assert.strictEqual(
      Wire.stringify({ order_amount: new Wire.Decimal(Money.toDecimal(big)), n: undefined }),
      '{"order_amount":9999999999999.99}'
    )
    assert.strictEqual(Wire.stringify({ a: [new Wire.Decimal("0.05"), "x", null, true] }), '{"a":[0.05,"x",null,true]}')
  })
  it("cf_* ids decode from integers (2022-09-01) and strings (later)", () => {
    const decode = Schema.decodeUnknownSync(Wire.Id)
    assert.strictEqual(decode(12376123), "12376123")
    assert.strictEqual(decode("12376123"), "12376123")
    const entity = Schema.decodeUnknownSync(Wire.PaymentEntity)({
      cf_payment_id: 5114910432645,
      order_id: "o_1",
      payment_status: "SUCCESS",
      payment_amount: 1,
      payment_currency: "INR"
    })
    const payment = Either.getOrThrow(Mapping.paymentFromEntity(entity, { now: DateTime.unsafeMake(0) }))
    assert.strictEqual(payment.ref.paymentId, "5114910432645")
  })
})
