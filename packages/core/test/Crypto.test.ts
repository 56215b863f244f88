import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as FastCheck from "effect/FastCheck"
import { Crypto, Redaction } from "@payport/core"

describe("Crypto", () => {
  it.effect("SHA-256 and HMAC-SHA256 match the published vectors", () =>
    Effect.gen(function* () {
      assert.strictEqual(
        Crypto.toHex(yield* Crypto.sha256("abc")),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
      )
      // RFC 4231 test case 2.
      assert.strictEqual(
        Crypto.toHex(yield* Crypto.hmacSha256(Crypto.utf8("Jefe"), "what do ya want for nothing?")),
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
      )
    })
  )

  it.effect("reproduces the Cashfree webhook signature vector (providers/cashfree.md §4)", () =>
    Effect.gen(function* () {
      const body =
        '{"data":{"order":{"order_id":"order_1"}},"event_time":"2025-01-15T11:16:10+05:30","type":"PAYMENT_SUCCESS_WEBHOOK"}'
      const mac = yield* Crypto.hmacSha256(Crypto.utf8("cfsk_ma_test_dummysecret"), `1746427759733${body}`)
      assert.strictEqual(Crypto.toBase64(mac), "sRBLS5CC3frJa8w+sUW5lYHBq4z9l2b//urpgouEKw0=")
    })
  )

  it("base64 matches RFC 4648 and round-trips any bytes", () => {
    const vectors = [
      ["", ""],
      ["f", "Zg=="],
      ["fo", "Zm8="],
      ["foo", "Zm9v"],
      ["foob", "Zm9vYg=="],
      ["fooba", "Zm9vYmE="],
      ["foobar", "Zm9vYmFy"]
    ]
    for (const [text, encoded] of vectors) {
      assert.strictEqual(Crypto.toBase64(Crypto.utf8(text ?? "")), encoded)
      assert.deepStrictEqual(Crypto.fromBase64(encoded ?? ""), Crypto.utf8(text ?? ""))
    }
    FastCheck.assert(
      FastCheck.property(FastCheck.uint8Array({ maxLength: 100 }), (bytes) => {
        assert.deepStrictEqual(Crypto.fromBase64(Crypto.toBase64(bytes)), new Uint8Array(bytes))
      }),
      { numRuns: 300 }
    )
    assert.isUndefined(Crypto.fromBase64("not base64!"))
    assert.isUndefined(Crypto.fromBase64("abcde"))
  })

  it("constant-time comparison is plain equality in outcome", () => {
    FastCheck.assert(
      FastCheck.property(FastCheck.string(), FastCheck.string(), (a, b) => {
        assert.strictEqual(Crypto.constantTimeEqual(a, b), a === b)
        assert.isTrue(Crypto.constantTimeEqual(a, a))
      }),
      { numRuns: 300 }
    )
    assert.isFalse(Crypto.constantTimeEqual("abc", "abcd"))
    assert.isFalse(Crypto.constantTimeEqual("", "a"))
  })
})

describe("Redaction", () => {
  it("scrubs card numbers anywhere, keeping the last four digits", () => {
    const text = 'card 4111 1111 1111 1111 and {"pan_like":"5555-5555-5555-4444"} id 6461731521426399003043'
    const scrubbed = Redaction.scrub(text)
    assert.notInclude(scrubbed, "4111 1111 1111 1111")
    assert.notInclude(scrubbed, "5555-5555-5555-4444")
    assert.include(scrubbed, "************1111")
    // A 22-digit provider id is not a card number and survives.
    assert.include(scrubbed, "6461731521426399003043")
  })

  it("leaves digit runs that fail Luhn alone (order ids, phone numbers)", () => {
    assert.strictEqual(Redaction.scrub("order 1234567890123 phone 9999999999"), "order 1234567890123 phone 9999999999")
  })

  it("blanks sensitive JSON fields whatever their value", () => {
    const body = JSON.stringify({
      card: { number: "4111111111111111", securityCode: "123", expirationMonth: "12" },
      card_cvv: "999",
      cryptogram: "AgAAAAAABk4DWZ4C28yUQAAAAAA=",
      client_secret: "cfsk_live_x",
      otp: 111000,
      order_id: "order_1"
    })
    const scrubbed = Redaction.scrub(body)
    for (const secret of [
      "4111111111111111",
      '"123"',
      '"999"',
      "AgAAAAAABk4DWZ4C28yUQAAAAAA=",
      "cfsk_live_x",
      "111000"
    ]) {
      assert.notInclude(scrubbed, secret)
    }
    assert.include(scrubbed, '"order_id":"order_1"')
    assert.include(scrubbed, '"expirationMonth":"12"')
  })

  it("raw bodies are scrubbed before truncation and redacted", () => {
    const body = `${"x".repeat(Redaction.MAX_RAW_LENGTH - 8)}4111111111111111`
    const raw = Redaction.raw(body)
    assert.strictEqual(String(raw), "<redacted>")
  })

  it("redacts secret headers, case-insensitively", () => {
    const headers = Redaction.redactHeaders({ "X-Client-Secret": "s3cret", "x-client-id": "app", Signature: "sig" })
    assert.deepStrictEqual(headers, { "X-Client-Secret": "<redacted>", "x-client-id": "app", Signature: "<redacted>" })
  })
})
