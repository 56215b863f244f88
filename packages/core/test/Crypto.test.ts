import { createHash, createHmac } from "node:crypto"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as FastCheck from "effect/FastCheck"
import { Crypto, Idempotency, Redaction } from "@payport/core"

// node:crypto (OpenSSL) is the oracle; the implementation under test is pure TypeScript.
const nodeHash = (algorithm: "sha256" | "sha1", data: Uint8Array): string =>
  createHash(algorithm).update(data).digest("hex")
const nodeHmac = (key: Uint8Array, data: Uint8Array): string => createHmac("sha256", key).update(data).digest("hex")

/** Deterministic filler bytes, so failures reproduce. */
const filler = (length: number, seed = 1): Uint8Array =>
  Uint8Array.from({ length }, (_, i) => (i * 31 + seed * 7) & 0xff)

/** Byte arrays of 0–300 bytes, with the padding boundaries (55/56, 63/64/65, 119/120) drawn often. */
const message = FastCheck.oneof(
  FastCheck.uint8Array({ maxLength: 300 }),
  FastCheck.constantFrom(0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 121, 127, 128, 129).chain((length) =>
    FastCheck.uint8Array({ minLength: length, maxLength: length })
  )
)

/** HMAC keys of 0–200 bytes, with the block-size boundaries (63/64/65) drawn often. */
const key = FastCheck.oneof(
  FastCheck.uint8Array({ maxLength: 200 }),
  FastCheck.constantFrom(63, 64, 65, 131).chain((length) =>
    FastCheck.uint8Array({ minLength: length, maxLength: length })
  )
)

const NIST_448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
const MILLION_A = "a".repeat(1_000_000)

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

  it("SHA-256 matches the FIPS 180-4 vectors", () => {
    const vectors: ReadonlyArray<readonly [string, string]> = [
      ["", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"],
      ["abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"],
      [NIST_448, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"],
      [MILLION_A, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"]
    ]
    for (const [text, hex] of vectors) {
      assert.strictEqual(Crypto.toHex(Crypto.sha256Sync(text)), hex)
      assert.strictEqual(Crypto.toHex(Crypto.sha256Sync(Crypto.utf8(text))), hex)
    }
  })

  it("SHA-1 matches the FIPS 180-4 vectors", () => {
    const vectors: ReadonlyArray<readonly [string, string]> = [
      ["", "da39a3ee5e6b4b0d3255bfef95601890afd80709"],
      ["abc", "a9993e364706816aba3e25717850c26c9cd0d89d"],
      [NIST_448, "84983e441c3bd26ebaae4aa1f95129e5e54670f1"],
      [MILLION_A, "34aa973cd4c4daa4f61eeb2bdbad27316534016f"]
    ]
    for (const [text, hex] of vectors) {
      assert.strictEqual(Crypto.toHex(Crypto.sha1Sync(text)), hex)
      assert.strictEqual(Crypto.toHex(Crypto.sha1Sync(Crypto.utf8(text))), hex)
    }
  })

  it("HMAC-SHA256 matches RFC 4231 test cases 1–7", () => {
    const bytes = (length: number, byte: number) => new Uint8Array(length).fill(byte)
    const cases: ReadonlyArray<readonly [Uint8Array, Uint8Array, string]> = [
      [bytes(20, 0x0b), Crypto.utf8("Hi There"), "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"],
      [
        Crypto.utf8("Jefe"),
        Crypto.utf8("what do ya want for nothing?"),
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
      ],
      [bytes(20, 0xaa), bytes(50, 0xdd), "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"],
      [
        Uint8Array.from({ length: 25 }, (_, i) => i + 1),
        bytes(50, 0xcd),
        "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"
      ],
      // Test case 5 specifies the output truncated to 128 bits.
      [bytes(20, 0x0c), Crypto.utf8("Test With Truncation"), "a3b6167473100ee06e0c796c2955552b"],
      [
        bytes(131, 0xaa),
        Crypto.utf8("Test Using Larger Than Block-Size Key - Hash Key First"),
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
      ],
      [
        bytes(131, 0xaa),
        Crypto.utf8(
          "This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm."
        ),
        "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"
      ]
    ]
    for (const [k, data, hex] of cases) {
      assert.strictEqual(Crypto.toHex(Crypto.hmacSha256Sync(k, data)).slice(0, hex.length), hex)
      assert.strictEqual(Crypto.toHex(Crypto.hmacSha256Sync(Crypto.hmacKey(k), data)).slice(0, hex.length), hex)
    }
  })

  it("hashes every length from 0 to 300 bytes like node:crypto", () => {
    const prepared = Crypto.hmacKey(filler(32, 9))
    for (let length = 0; length <= 300; length++) {
      const data = filler(length)
      assert.strictEqual(Crypto.toHex(Crypto.sha256Sync(data)), nodeHash("sha256", data), `sha256, ${length} bytes`)
      assert.strictEqual(Crypto.toHex(Crypto.sha1Sync(data)), nodeHash("sha1", data), `sha1, ${length} bytes`)
      assert.strictEqual(
        Crypto.toHex(Crypto.hmacSha256Sync(prepared, data)),
        nodeHmac(filler(32, 9), data),
        `hmac, ${length} bytes`
      )
    }
    for (let length = 0; length <= 200; length++) {
      const k = filler(length, 3)
      const data = filler(100)
      assert.strictEqual(Crypto.toHex(Crypto.hmacSha256Sync(k, data)), nodeHmac(k, data), `hmac key, ${length} bytes`)
    }
  })

  it("SHA-256, SHA-1 and HMAC-SHA256 agree with node:crypto on random inputs", () => {
    FastCheck.assert(
      FastCheck.property(message, key, (data, k) => {
        const copy = Uint8Array.from(data)
        assert.strictEqual(Crypto.toHex(Crypto.sha256Sync(data)), nodeHash("sha256", data))
        assert.strictEqual(Crypto.toHex(Crypto.sha1Sync(data)), nodeHash("sha1", data))
        const mac = Crypto.toHex(Crypto.hmacSha256Sync(k, data))
        assert.strictEqual(mac, nodeHmac(k, data))
        assert.strictEqual(Crypto.toHex(Crypto.hmacSha256Sync(Crypto.hmacKey(k), data)), mac)
        assert.deepStrictEqual(data, copy, "inputs are not modified")
      }),
      { numRuns: 500 }
    )
  })

  it("a prepared key signs many messages, interleaved with other hashing, like the raw key", () => {
    FastCheck.assert(
      FastCheck.property(key, FastCheck.array(message, { maxLength: 8 }), (k, messages) => {
        const prepared = Crypto.hmacKey(k)
        for (const data of messages) {
          Crypto.sha256Sync(data)
          Crypto.sha1Sync(data)
          assert.strictEqual(Crypto.toHex(Crypto.hmacSha256Sync(prepared, data)), nodeHmac(k, data))
        }
      }),
      { numRuns: 100 }
    )
  })

  it("text is hashed as its UTF-8 bytes", () => {
    FastCheck.assert(
      FastCheck.property(FastCheck.string({ unit: "grapheme", maxLength: 80 }), (text) => {
        const data = Crypto.utf8(text)
        assert.strictEqual(Crypto.toHex(Crypto.sha256Sync(text)), nodeHash("sha256", data))
        assert.strictEqual(Crypto.toHex(Crypto.sha1Sync(text)), nodeHash("sha1", data))
        assert.strictEqual(Crypto.toHex(Crypto.hmacSha256Sync(data, text)), nodeHmac(data, data))
      }),
      { numRuns: 200 }
    )
  })

  it("text of any size and script is hashed as its UTF-8 bytes", () => {
    // Around the size where text stops being encoded into the shared buffer (16 KiB / 3 bytes).
    for (const unit of ["a", "é", "€", "😀"]) {
      for (const length of [5000, 5461, 5462, 6000, 20_000]) {
        const text = unit.repeat(Math.ceil(length / unit.length)).slice(0, length)
        const data = Crypto.utf8(text)
        assert.strictEqual(Crypto.toHex(Crypto.sha256Sync(text)), nodeHash("sha256", data), `${unit} × ${length}`)
        assert.strictEqual(Crypto.toHex(Crypto.hmacSha256Sync(data, text)), nodeHmac(data, data), `${unit} × ${length}`)
      }
    }
  })

  it.effect("the Effect functions return what the synchronous ones do", () =>
    Effect.gen(function* () {
      const k = filler(40)
      for (const data of ["", "abc", filler(64), filler(121)]) {
        assert.deepStrictEqual(yield* Crypto.sha256(data), Crypto.sha256Sync(data))
        assert.deepStrictEqual(yield* Crypto.sha1(data), Crypto.sha1Sync(data))
        assert.deepStrictEqual(yield* Crypto.hmacSha256(k, data), Crypto.hmacSha256Sync(k, data))
      }
    })
  )

  it.effect("uuidFromName keeps its derivation: SHA-256 in the RFC 9562 version 8 layout", () =>
    Effect.gen(function* () {
      // Pinned values, produced by the WebCrypto implementation this replaced.
      assert.strictEqual(
        yield* Idempotency.uuidFromName(JSON.stringify(["payport", "sale", "order_1", 1000])),
        "98015528-edf2-8b9a-9710-9f69f18353d8"
      )
      assert.strictEqual(yield* Idempotency.uuidFromName(""), "e3b0c442-98fc-8c14-9afb-f4c8996fb924")
      assert.strictEqual(yield* Idempotency.uuidFromName("4111111111111111"), "9bbef194-7662-8ca5-ac17-da75fd57734d")
      const expected = (name: string): string => {
        const digest = createHash("sha256").update(name).digest().subarray(0, 16)
        digest[6] = ((digest[6] ?? 0) & 0x0f) | 0x80
        digest[8] = ((digest[8] ?? 0) & 0x3f) | 0x80
        const h = digest.toString("hex")
        return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`
      }
      const names = FastCheck.sample(FastCheck.string({ unit: "grapheme", maxLength: 120 }), 200)
      for (const name of names) assert.strictEqual(yield* Idempotency.uuidFromName(name), expected(name))
    })
  )

  it("hex and base64 match node's Buffer encodings", () => {
    FastCheck.assert(
      FastCheck.property(FastCheck.uint8Array({ maxLength: 200 }), (bytes) => {
        assert.strictEqual(Crypto.toHex(bytes), Buffer.from(bytes).toString("hex"))
        assert.strictEqual(Crypto.toBase64(bytes), Buffer.from(bytes).toString("base64"))
      }),
      { numRuns: 300 }
    )
  })

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
