import { createHash, createHmac } from "node:crypto"
import { spawn } from "node:child_process"
import * as NodeHttp from "node:http"
import * as NodePath from "node:path"
import { assert, describe, it } from "@effect/vitest"
import * as CyberSourceEmulator from "@payport/emulators/CyberSourceEmulator"
import * as EmulatorFaults from "@payport/emulators/EmulatorFaults"
import * as Effect from "effect/Effect"
import * as HttpSignature from "../src/internal/cybersource/HttpSignature.js"

// ---------------------------------------------------------------------------------------------
// Fixtures: providers/cybersource-vectors/*.json and the legacy activemerchant transcript, copied
// verbatim so the test does not depend on files outside the repository.
// ---------------------------------------------------------------------------------------------

const sample = {
  merchantId: "testrest",
  keyId: "08c94330-f618-42a3-b09d-e1e43be5efda",
  sharedSecret: "yBJxy6LjM2TmcPGu+GaJrHtkke25fPpUX+UY6/L/1tE="
}
const vectorDate = "Thu, 01 Jan 2026 00:00:00 GMT"
const vectorBody =
  '{"clientReferenceInformation":{"code":"TC50171_3"},"processingInformation":{"capture":false},"paymentInformation":{"card":{"number":"4111111111111111","expirationMonth":"12","expirationYear":"2031","securityCode":"123"}},"orderInformation":{"amountDetails":{"totalAmount":"102.21","currency":"USD"},"billTo":{"firstName":"John","lastName":"Doe","address1":"1 Market St","locality":"san francisco","administrativeArea":"CA","postalCode":"94105","country":"US","email":"test@cybs.com","phoneNumber":"4158880000"}}}'
const sigHeader = (headers: string, signature: string) =>
  `keyid="08c94330-f618-42a3-b09d-e1e43be5efda", algorithm="HmacSHA256", headers="${headers}", signature="${signature}"`
const vectors = [
  {
    name: "post",
    method: "POST",
    target: "/pts/v2/payments",
    body: vectorBody,
    digest: "SHA-256=2ARVogggBPEBhEEIA3GuaKn6AegIx5/DdjQmSF8MabU=",
    signature: sigHeader(
      "host date request-target digest v-c-merchant-id",
      "RwK9HHWN1JTTs0WWbSFWVh5+aHvg1wvVcHxoYSvPMnQ="
    ),
    expectStatus: 201
  },
  {
    name: "get",
    method: "GET",
    target: "/tss/v2/transactions/6750124114786780104953",
    body: "",
    digest: undefined,
    signature: sigHeader("host date request-target v-c-merchant-id", "6f79sGnsvFgKCvhyncalBR/EwqISiKSvAh9EbvwbLfI="),
    expectStatus: 404
  },
  {
    name: "getWithQuery",
    method: "GET",
    target: "/tms/v2/customers/D9F340DD3DB9C276E053A2598D0A41A3/payment-instruments?offset=0&limit=20",
    body: "",
    digest: undefined,
    signature: sigHeader("host date request-target v-c-merchant-id", "CjdyLbKYEebHq2utATIZxgAOwS9XXQehbedHOEEa+oo="),
    expectStatus: 404
  },
  {
    name: "patch",
    method: "PATCH",
    target: "/tms/v2/customers/D9F340DD3DB9C276E053A2598D0A41A3/payment-instruments/D9F3439F0448C901E053A2598D0AA1CC",
    body: '{"default":true}',
    digest: "SHA-256=aseIk8R7tfiFfFnfI/uTHtQU7LCaBcH2TtuewZvgH8A=",
    signature: sigHeader(
      "host date request-target digest v-c-merchant-id",
      "aRhDaWeY7XNdprE/HIvjkK7MqBK8boNSoTpU94hyfSU="
    ),
    expectStatus: 404
  },
  {
    name: "delete",
    method: "DELETE",
    target: "/tms/v2/customers/D9F340DD3DB9C276E053A2598D0A41A3",
    body: "",
    digest: undefined,
    signature: sigHeader("host date request-target v-c-merchant-id", "loOa03eoTmA1eD2wzZtBchkfh+WyKBLbEkZLMxxs/G0="),
    expectStatus: 404
  }
] as const

const legacy = {
  date: "Sun, 29 Jan 2023 17:13:30 GMT",
  body: '{"clientReferenceInformation":{"code":"b8779865d140125036016a0f85db907f"},"paymentInformation":{"card":{"number":"4111111111111111","expirationMonth":"12","expirationYear":"2031","securityCode":"987","type":"001"}},"orderInformation":{"amountDetails":{"totalAmount":"102.21","currency":"USD"},"billTo":{"firstName":"John","lastName":"Doe","address1":"1 Market St","locality":"san francisco","administrativeArea":"CA","postalCode":"94105","country":"US","email":"test@cybs.com","phoneNumber":"4158880000"},"shipTo":{"firstName":"Longbob","lastName":"Longsen","email":"test@cybs.com"}}}',
  digest: "SHA-256=wuV1cxGzs6KpuUKJmlD7pKV6MZ/5G1wQVoYbf8cRChM=",
  signature: sigHeader(
    "host date (request-target) digest v-c-merchant-id",
    "DJHeHWceVrsJydd8BCbGowr9dzQ/ry5cGN1FocLakEw="
  )
}

const webhookVector = {
  key: "c2VjcmV0LXdlYmhvb2sta2V5LTMyLWJ5dGVzLWxvbmchIQ==",
  keyId: "bf44c857-b182-bb05-e053-34b8d30a7a72",
  t: 1767225600000,
  rawBody:
    '{"eventType":"payments.payments.accept","webhookId":"wh_1","productId":"cardProcessing","organizationId":"testrest","eventDate":"2026-01-01T00:00:00Z","requestType":"NEW","retryNumber":0,"payload":[{"data":{"_links":{"self":{"href":"/pts/v2/payments/7000000000000000000001","method":"GET"}},"id":"7000000000000000000001","type":"payments"},"organizationId":"testrest"}]}',
  rawBodyVariant:
    "t=1767225600000;keyId=bf44c857-b182-bb05-e053-34b8d30a7a72;sig=BA3G5fQaypsPA/BtdFUZ1PHXva8x5dJigUy9fdj6J4M=",
  payloadVariant:
    "t=1767225600000;keyId=bf44c857-b182-bb05-e053-34b8d30a7a72;sig=zxDgCmkmtju1zsNIPVd/g4pS2PQbhuliI1SbvqquWbU="
}

// ---------------------------------------------------------------------------------------------
// A tiny independent signer (node:crypto), and helpers over real loopback HTTP
// ---------------------------------------------------------------------------------------------

interface SignOptions {
  readonly secret?: string
  readonly keyId?: string
  readonly merchantId?: string
  readonly date?: string
  readonly host?: string
  /** Leave this header out of the `headers="…"` list. */
  readonly unsigned?: string
  /** Send this `digest` instead of the right one. */
  readonly digest?: string
  readonly extra?: Readonly<Record<string, string>>
}

const b64hmac = (secret: string, text: string) =>
  createHmac("sha256", Buffer.from(secret, "base64")).update(text, "utf8").digest("base64")

/** Where to send and how to sign: a running emulator, or the line the CLI printed. */
interface Target {
  readonly baseUrl: string
  readonly merchantId: string
  readonly keyId: string
  readonly sharedSecret: string
}

const signedHeaders = (
  emulator: Target,
  method: string,
  target: string,
  body: string | undefined,
  o: SignOptions = {}
): Record<string, string> => {
  const values: Record<string, string> = {
    host: o.host ?? new URL(emulator.baseUrl).host,
    date: o.date ?? new Date().toUTCString(),
    "request-target": `${method.toLowerCase()} ${target}`,
    "v-c-merchant-id": o.merchantId ?? emulator.merchantId
  }
  if (body !== undefined) values.digest = `SHA-256=${createHash("sha256").update(body).digest("base64")}`
  const names = ["host", "date", "request-target", ...(body === undefined ? [] : ["digest"]), "v-c-merchant-id"].filter(
    (n) => n !== o.unsigned
  )
  const signature = b64hmac(o.secret ?? emulator.sharedSecret, names.map((n) => `${n}: ${values[n]}`).join("\n"))
  return {
    "v-c-merchant-id": values["v-c-merchant-id"] ?? "",
    date: values.date ?? "",
    ...(body === undefined ? {} : { digest: o.digest ?? values.digest ?? "", "content-type": "application/json" }),
    signature: `keyid="${o.keyId ?? emulator.keyId}", algorithm="HmacSHA256", headers="${names.join(" ")}", signature="${signature}"`,
    ...o.extra
  }
}

interface Answer {
  readonly status: number
  readonly headers: Headers
  readonly json: unknown
}

const call = (
  emulator: Target,
  method: string,
  target: string,
  body?: unknown,
  o: SignOptions & { readonly sendBody?: string } = {}
): Effect.Effect<Answer> =>
  Effect.promise(async () => {
    const text = body === undefined ? undefined : JSON.stringify(body)
    const response = await fetch(`${emulator.baseUrl}${target}`, {
      method,
      headers: signedHeaders(emulator, method, target, text, o),
      ...(text === undefined ? {} : { body: o.sendBody ?? text })
    })
    const raw = await response.text()
    return {
      status: response.status,
      headers: response.headers,
      json: raw === "" ? undefined : (JSON.parse(raw) as unknown)
    }
  })

/** A raw node:http request, so the `Host` header can be what a remote client would send. */
const rawRequest = (
  baseUrl: string,
  method: string,
  target: string,
  headers: Readonly<Record<string, string>>,
  body: string
): Effect.Effect<{ readonly status: number; readonly text: string }> =>
  Effect.promise(
    () =>
      new Promise((resolve, reject) => {
        const url = new URL(baseUrl)
        const req = NodeHttp.request(
          {
            host: url.hostname,
            port: url.port,
            method,
            path: target,
            headers: { ...headers, "content-length": String(Buffer.byteLength(body)) }
          },
          (res) => {
            let text = ""
            res.setEncoding("utf8")
            res.on("data", (chunk: string) => {
              text += chunk
            })
            res.on("end", () => resolve({ status: res.statusCode ?? 0, text }))
          }
        )
        req.on("error", reject)
        req.end(body)
      })
  )

const at = (value: unknown, path: string): unknown =>
  path
    .split(".")
    .reduce<unknown>(
      (current, key) =>
        typeof current === "object" && current !== null ? (current as Record<string, unknown>)[key] : undefined,
      value
    )

const str = (value: unknown, path: string): string => {
  const found = at(value, path)
  assert.isString(found, `${path} should be a string`)
  return found as string
}

let counter = 0
const ref = (label: string) => `${label}-${++counter}`

const payment = (
  code: string,
  amount: string,
  options: { capture?: boolean; card?: string; currency?: string } = {}
) => ({
  clientReferenceInformation: { code },
  processingInformation: { capture: options.capture ?? false },
  paymentInformation: {
    card: {
      number: options.card ?? "4111111111111111",
      expirationMonth: "12",
      expirationYear: "2031",
      securityCode: "123"
    }
  },
  orderInformation: { amountDetails: { totalAmount: amount, currency: options.currency ?? "USD" } }
})

const amount = (value: string, currency = "USD") => ({
  orderInformation: { amountDetails: { totalAmount: value, currency } }
})

const emulated = <A>(
  body: (emulator: CyberSourceEmulator.CyberSourceEmulator) => Effect.Effect<A>,
  options?: CyberSourceEmulator.Options
) => Effect.scoped(Effect.flatMap(CyberSourceEmulator.start(options), body))

// ---------------------------------------------------------------------------------------------
// HTTP Signature
// ---------------------------------------------------------------------------------------------

describe("HTTP Signature", () => {
  const now = Date.parse(vectorDate)

  it("every documented vector verifies", () => {
    for (const v of vectors) {
      const headers = {
        host: "apitest.cybersource.com",
        date: vectorDate,
        "v-c-merchant-id": "testrest",
        signature: v.signature,
        ...(v.digest === undefined ? {} : { digest: v.digest })
      }
      const failure = HttpSignature.verify(
        { method: v.method, target: v.target, headers, body: new TextEncoder().encode(v.body) },
        sample,
        { now, maxSkewMs: 300_000, lenient: false }
      )
      assert.isUndefined(failure, `${v.name}: ${failure?.reason}`)
      if (v.digest !== undefined) assert.strictEqual(HttpSignature.digestOf(v.body), v.digest)
    }
    assert.strictEqual(HttpSignature.digestOf(""), "SHA-256=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=")
    assert.strictEqual(HttpSignature.digestOf("{}"), "SHA-256=RBNvo1WzZ4oRRq0W9+hknpT7T8If536DEMBg9hyq/4o=")
  })

  it.live("every vector is accepted over loopback with the Host the SDK sends", () =>
    emulated(
      (emulator) =>
        Effect.gen(function* () {
          for (const v of vectors) {
            const answer = yield* rawRequest(
              emulator.baseUrl,
              v.method,
              v.target,
              {
                host: "apitest.cybersource.com",
                date: vectorDate,
                "v-c-merchant-id": "testrest",
                signature: v.signature,
                "content-type": "application/json",
                ...(v.digest === undefined ? {} : { digest: v.digest })
              },
              v.body
            )
            assert.strictEqual(answer.status, v.expectStatus, `${v.name}: ${answer.text}`)
          }
          assert.deepStrictEqual(emulator.truth.authFailures(), [])
          assert.strictEqual(emulator.truth.paymentsFor("TC50171_3"), 1)
        }),
      { clock: () => Date.parse(vectorDate) + 30_000 }
    )
  )

  it.live("the legacy (request-target) transcript is refused by default and accepted when lenient", () =>
    Effect.gen(function* () {
      const headers = {
        host: "apitest.cybersource.com",
        date: legacy.date,
        "v-c-merchant-id": "testrest",
        digest: legacy.digest,
        signature: legacy.signature,
        "content-type": "application/json;charset=utf-8"
      }
      const clock = () => Date.parse(legacy.date) + 1_000
      const strict = yield* emulated(
        (emulator) =>
          Effect.map(rawRequest(emulator.baseUrl, "POST", "/pts/v2/payments/", headers, legacy.body), (answer) => ({
            answer,
            failures: emulator.truth.authFailures()
          })),
        { clock }
      )
      assert.strictEqual(strict.answer.status, 401)
      assert.strictEqual(strict.failures[0]?.reason, "missingSignedHeader")
      const lenient = yield* emulated(
        (emulator) => rawRequest(emulator.baseUrl, "POST", "/pts/v2/payments/", headers, legacy.body),
        { clock, lenientSignatures: true }
      )
      assert.strictEqual(lenient.status, 201)
      assert.strictEqual(str(JSON.parse(lenient.text), "status"), "AUTHORIZED")
    })
  )

  it.live("each refusal is 401 {response:{rmsg}} and the reason is recorded", () =>
    emulated((emulator) =>
      Effect.gen(function* () {
        const body = payment(ref("auth"), "10.00")
        const cases: ReadonlyArray<readonly [SignOptions & { readonly sendBody?: string }, string]> = [
          [{ secret: Buffer.from("not the secret").toString("base64") }, "signatureMismatch"],
          [{ digest: "SHA-256=2ARVogggBPEBhEEIA3GuaKn6AegIx5/DdjQmSF8MabU=" }, "digestMismatch"],
          [{ sendBody: JSON.stringify({ ...body, tampered: true }) }, "digestMismatch"],
          [{ unsigned: "digest" }, "missingSignedHeader"],
          [{ unsigned: "v-c-merchant-id" }, "missingSignedHeader"],
          [{ date: new Date(Date.now() - 6 * 60_000).toUTCString() }, "staleDate"],
          [{ date: new Date(Date.now() + 6 * 60_000).toUTCString() }, "staleDate"],
          [{ date: new Date().toISOString() }, "invalidDate"],
          [{ host: "apitest.cybersource.com" }, "signatureMismatch"],
          [{ keyId: "00000000-0000-0000-0000-000000000000" }, "unknownKeyId"],
          [{ merchantId: "someoneelse" }, "merchantMismatch"]
        ]
        for (const [options, reason] of cases) {
          const answer = yield* call(emulator, "POST", "/pts/v2/payments", body, options)
          assert.strictEqual(answer.status, 401, reason)
          assert.deepStrictEqual(answer.json, { response: { rmsg: "Authentication Failed" } })
          assert.strictEqual(emulator.truth.authFailures().at(-1)?.reason, reason)
        }
        const unsigned = yield* Effect.promise(() => fetch(`${emulator.baseUrl}/tss/v2/transactions/1`))
        assert.strictEqual(unsigned.status, 401)
        assert.strictEqual(emulator.truth.authFailures().at(-1)?.reason, "missingSignature")
        assert.strictEqual(emulator.truth.payments().length, 0)
        // Signed properly, the same request goes through; a GET carries no digest.
        assert.strictEqual((yield* call(emulator, "POST", "/pts/v2/payments", body)).status, 201)
        assert.strictEqual((yield* call(emulator, "GET", "/tss/v2/transactions/1")).status, 404)
      })
    )
  )
})

// ---------------------------------------------------------------------------------------------
// Payments
// ---------------------------------------------------------------------------------------------

describe("payments", () => {
  it.live("authorize → partial capture → refund, bounded by what was captured", () =>
    emulated((emulator) =>
      Effect.gen(function* () {
        const code = ref("order")
        const auth = yield* call(emulator, "POST", "/pts/v2/payments", payment(code, "100.00"))
        assert.strictEqual(auth.status, 201)
        assert.strictEqual(at(auth.json, "status"), "AUTHORIZED")
        const id = str(auth.json, "id")
        assert.match(id, /^\d{22}$/)
        assert.match(str(auth.json, "submitTimeUtc"), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/)
        assert.deepStrictEqual(at(auth.json, "_links"), {
          authReversal: { method: "POST", href: `/pts/v2/payments/${id}/reversals` },
          self: { method: "GET", href: `/pts/v2/payments/${id}` },
          capture: { method: "POST", href: `/pts/v2/payments/${id}/captures` }
        })
        assert.deepStrictEqual(at(auth.json, "orderInformation.amountDetails"), {
          authorizedAmount: "100.00",
          currency: "USD"
        })
        assert.strictEqual(at(auth.json, "processorInformation.approvalCode"), "888888")
        assert.strictEqual(auth.headers.get("content-type"), "application/hal+json")
        assert.isString(auth.headers.get("v-c-correlation-id"))

        const capture = yield* call(emulator, "POST", `/pts/v2/payments/${id}/captures`, amount("40.00"))
        assert.strictEqual(capture.status, 201)
        assert.strictEqual(at(capture.json, "status"), "PENDING")
        const captureId = str(capture.json, "id")
        assert.deepStrictEqual(at(capture.json, "_links.void"), {
          method: "POST",
          href: `/pts/v2/captures/${captureId}/voids`
        })
        assert.deepStrictEqual(at(capture.json, "orderInformation.amountDetails"), {
          totalAmount: "40.00",
          currency: "USD"
        })

        const second = yield* call(emulator, "POST", `/pts/v2/payments/${id}/captures`, amount("25.00"))
        assert.strictEqual(second.status, 201)
        const over = yield* call(emulator, "POST", `/pts/v2/payments/${id}/captures`, amount("35.01"))
        assert.strictEqual(over.status, 400)
        assert.strictEqual(at(over.json, "status"), "INVALID_REQUEST")
        assert.strictEqual(at(over.json, "reason"), "EXCEEDS_AUTH_AMOUNT")

        const refund = yield* call(emulator, "POST", `/pts/v2/captures/${captureId}/refunds`, amount("10.00"))
        assert.strictEqual(refund.status, 201)
        assert.strictEqual(at(refund.json, "status"), "PENDING")
        assert.deepStrictEqual(at(refund.json, "refundAmountDetails"), { refundAmount: "10.00", currency: "USD" })
        const overCapture = yield* call(emulator, "POST", `/pts/v2/captures/${captureId}/refunds`, amount("30.01"))
        assert.strictEqual(at(overCapture.json, "reason"), "INVALID_AMOUNT")
        const rest = yield* call(emulator, "POST", `/pts/v2/payments/${id}/refunds`, amount("55.00"))
        assert.strictEqual(rest.status, 201)
        const overRefund = yield* call(emulator, "POST", `/pts/v2/payments/${id}/refunds`, amount("0.01"))
        assert.strictEqual(overRefund.status, 400)
        assert.strictEqual(at(overRefund.json, "reason"), "INVALID_AMOUNT")

        const truth = emulator.truth.payment(id)
        assert.strictEqual(truth?.authorized, 10_000)
        assert.strictEqual(truth?.captured, 6_500)
        assert.strictEqual(truth?.refunded, 6_500)
        assert.strictEqual(emulator.truth.paymentsFor(code), 1)
      })
    )
  )

  it.live("a sale links void and self, still says AUTHORIZED, and cannot be captured again", () =>
    emulated((emulator) =>
      Effect.gen(function* () {
        const sale = yield* call(emulator, "POST", "/pts/v2/payments", payment(ref("sale"), "4.99", { capture: true }))
        const id = str(sale.json, "id")
        assert.strictEqual(at(sale.json, "status"), "AUTHORIZED")
        assert.deepStrictEqual(Object.keys(at(sale.json, "_links") as object), ["void", "self"])
        assert.deepStrictEqual(at(sale.json, "orderInformation.amountDetails"), {
          totalAmount: "4.99",
          authorizedAmount: "4.99",
          currency: "USD"
        })
        const capture = yield* call(emulator, "POST", `/pts/v2/payments/${id}/captures`, amount("1.00"))
        assert.strictEqual(at(capture.json, "reason"), "EXCEEDS_AUTH_AMOUNT")
        assert.strictEqual(
          (yield* call(emulator, "POST", `/pts/v2/payments/${id}/refunds`, amount("4.99"))).status,
          201
        )
      })
    )
  )

  it.live("a reversal releases the hold once; repeating it is AUTH_ALREADY_REVERSED", () =>
    emulated((emulator) =>
      Effect.gen(function* () {
        const auth = yield* call(emulator, "POST", "/pts/v2/payments", payment(ref("rev"), "102.21"))
        const id = str(auth.json, "id")
        const reversal = {
          clientReferenceInformation: { code: "r" },
          reversalInformation: { reason: "testing", amountDetails: { totalAmount: "102.21" } }
        }
        const first = yield* call(emulator, "POST", `/pts/v2/payments/${id}/reversals`, reversal)
        assert.strictEqual(first.status, 201)
        assert.strictEqual(at(first.json, "status"), "REVERSED")
        assert.deepStrictEqual(at(first.json, "reversalAmountDetails"), {
          reversedAmount: "102.21",
          originalTransactionAmount: "102.21",
          currency: "USD"
        })
        const again = yield* call(emulator, "POST", `/pts/v2/payments/${id}/reversals`, reversal)
        assert.strictEqual(again.status, 400)
        assert.strictEqual(at(again.json, "reason"), "AUTH_ALREADY_REVERSED")
        const capture = yield* call(emulator, "POST", `/pts/v2/payments/${id}/captures`, amount("1.00"))
        assert.strictEqual(at(capture.json, "reason"), "AUTH_ALREADY_REVERSED")
        assert.strictEqual(
          at((yield* call(emulator, "POST", `/pts/v2/payments/${id}/refunds`, amount("1.00"))).json, "reason"),
          "INVALID_DATA"
        )
        assert.strictEqual(emulator.truth.payment(id)?.status, "REVERSED")
      })
    )
  )

  it.live("voids: a capture until settled, a sale not an authorization; a voided capture cannot be refunded", () =>
    emulated((emulator) =>
      Effect.gen(function* () {
        const auth = yield* call(emulator, "POST", "/pts/v2/payments", payment(ref("void"), "50.00"))
        const id = str(auth.json, "id")
        assert.strictEqual(
          at((yield* call(emulator, "POST", `/pts/v2/payments/${id}/voids`, {})).json, "reason"),
          "NOT_VOIDABLE"
        )
        const capture = yield* call(emulator, "POST", `/pts/v2/payments/${id}/captures`, amount("50.00"))
        const captureId = str(capture.json, "id")
        const voided = yield* call(emulator, "POST", `/pts/v2/captures/${captureId}/voids`, {
          clientReferenceInformation: { code: "v" }
        })
        assert.strictEqual(voided.status, 201)
        assert.strictEqual(at(voided.json, "status"), "VOIDED")
        assert.strictEqual(at(voided.json, "voidAmountDetails.voidAmount"), "50.00")
        const twice = yield* call(emulator, "POST", `/pts/v2/captures/${captureId}/voids`, {})
        assert.strictEqual(at(twice.json, "reason"), "NOT_VOIDABLE")
        const refund = yield* call(emulator, "POST", `/pts/v2/captures/${captureId}/refunds`, amount("1.00"))
        assert.strictEqual(at(refund.json, "reason"), "CAPTURE_ALREADY_VOIDED")
        assert.strictEqual(emulator.truth.payment(id)?.captured, 0)

        const sale = yield* call(emulator, "POST", "/pts/v2/payments", payment(ref("sale"), "7.00", { capture: true }))
        const settled = yield* call(
          emulator,
          "POST",
          "/pts/v2/payments",
          payment(ref("sale"), "8.00", { capture: true })
        )
        const saleVoid = yield* call(emulator, "POST", `/pts/v2/payments/${str(sale.json, "id")}/voids`, {})
        assert.strictEqual(at(saleVoid.json, "status"), "VOIDED")
        // sale was voided before settlement; the other one settles and becomes unvoidable
        assert.isAtLeast(emulator.simulate.settle(), 1)
        const late = yield* call(emulator, "POST", `/pts/v2/payments/${str(settled.json, "id")}/voids`, {})
        assert.strictEqual(at(late.json, "reason"), "NOT_VOIDABLE")
        assert.strictEqual(emulator.truth.payment(str(settled.json, "id"))?.status, "TRANSMITTED")
      })
    )
  )

  it.live("declines: the documented card, configurable amount triggers, partial approval", () =>
    emulated(
      (emulator) =>
        Effect.gen(function* () {
          const declined = yield* call(
            emulator,
            "POST",
            "/pts/v2/payments",
            payment(ref("d"), "10.00", { card: "42423482938483873" })
          )
          assert.strictEqual(declined.status, 201)
          assert.strictEqual(at(declined.json, "status"), "DECLINED")
          assert.deepStrictEqual(at(declined.json, "errorInformation"), {
            reason: "INVALID_ACCOUNT",
            message: "Decline - Invalid account number"
          })
          const id = str(declined.json, "id")
          assert.deepStrictEqual(Object.keys(at(declined.json, "_links") as object), ["self"])
          const code = str(declined.json, "clientReferenceInformation.code")
          assert.deepStrictEqual([emulator.truth.paymentsFor(code), emulator.truth.chargesFor(code)], [1, 0])
          assert.strictEqual(emulator.truth.payments(code)[0]?.createdStatus, "DECLINED")
          const reversal = yield* call(emulator, "POST", `/pts/v2/payments/${id}/reversals`, {
            reversalInformation: { amountDetails: { totalAmount: "10.00" } }
          })
          assert.strictEqual(at(reversal.json, "reason"), "MISSING_FIELD")
          assert.strictEqual(at(reversal.json, "message"), "Declined - The request is missing one or more fields")
          assert.strictEqual(
            at((yield* call(emulator, "POST", `/pts/v2/payments/${id}/refunds`, amount("1.00"))).json, "reason"),
            "INVALID_DATA"
          )

          const byAmount = yield* call(emulator, "POST", "/pts/v2/payments", payment(ref("d"), "13.130"))
          assert.strictEqual(at(byAmount.json, "status"), "DECLINED")
          assert.strictEqual(at(byAmount.json, "errorInformation.reason"), "INSUFFICIENT_FUND")
          const partial = yield* call(emulator, "POST", "/pts/v2/payments", payment(ref("p"), "20.00"))
          assert.strictEqual(at(partial.json, "status"), "PARTIAL_AUTHORIZED")
          assert.deepStrictEqual(at(partial.json, "orderInformation.amountDetails"), {
            totalAmount: "20.00",
            authorizedAmount: "10.00",
            currency: "USD"
          })
          const review = yield* call(emulator, "POST", "/pts/v2/payments", payment(ref("r"), "30.00"))
          assert.strictEqual(at(review.json, "status"), "AUTHORIZED_PENDING_REVIEW")
          assert.strictEqual(at(review.json, "errorInformation.reason"), "AVS_FAILED")
          const expired = yield* call(emulator, "POST", "/pts/v2/payments", {
            ...payment(ref("e"), "1.00"),
            paymentInformation: { card: { number: "4111111111111111", expirationMonth: "01", expirationYear: "2020" } }
          })
          assert.strictEqual(at(expired.json, "errorInformation.reason"), "EXPIRED_CARD")
        }),
      {
        amountTriggers: {
          "13.13": {
            status: "DECLINED",
            reason: "INSUFFICIENT_FUND",
            message: "Decline - Insufficient funds in the account."
          },
          "20.00": { status: "PARTIAL_AUTHORIZED" },
          "30.00": { status: "AUTHORIZED_PENDING_REVIEW", reason: "AVS_FAILED", message: "Soft Decline - AVS failed." }
        }
      }
    )
  )

  it.live("malformed requests are 400 INVALID_REQUEST with the documented reasons; unknown ids are 404", () =>
    emulated((emulator) =>
      Effect.gen(function* () {
        const noAmount = yield* call(emulator, "POST", "/pts/v2/payments", {
          paymentInformation: { card: { number: "4111111111111111", expirationMonth: "12", expirationYear: "2031" } }
        })
        assert.strictEqual(noAmount.status, 400)
        assert.deepStrictEqual(at(noAmount.json, "details"), [
          { field: "orderInformation.amountDetails.totalAmount", reason: "MISSING_FIELD" }
        ])
        assert.strictEqual(at(noAmount.json, "reason"), "MISSING_FIELD")
        assert.strictEqual(at(noAmount.json, "message"), "Declined - The request is missing one or more fields")
        assert.strictEqual(
          at(
            (yield* call(emulator, "POST", "/pts/v2/payments", payment(ref("x"), "1.00", { currency: "XYZ" }))).json,
            "reason"
          ),
          "INVALID_DATA"
        )
        // A fund code is ISO 4217 but no currency CyberSource takes payments in.
        const fund = yield* call(emulator, "POST", "/pts/v2/payments", payment(ref("x"), "1.00", { currency: "BOV" }))
        assert.strictEqual(fund.status, 400)
        assert.deepStrictEqual(at(fund.json, "details"), [
          { field: "orderInformation.amountDetails.currency", reason: "INVALID_DATA" }
        ])
        assert.strictEqual(
          at((yield* call(emulator, "POST", "/pts/v2/payments", payment(ref("x"), "1.001"))).json, "reason"),
          "INVALID_AMOUNT"
        )
        assert.strictEqual(
          at(
            (yield* call(emulator, "POST", "/pts/v2/payments", payment(ref("x"), "1.00", { card: "4111111111111112" })))
              .json,
            "reason"
          ),
          "INVALID_CARD"
        )
        const withTxn = {
          ...payment(ref("t"), "1.00"),
          clientReferenceInformation: { code: "t", transactionId: "txn-1" }
        }
        assert.strictEqual((yield* call(emulator, "POST", "/pts/v2/payments", withTxn)).status, 201)
        const repeated = yield* call(emulator, "POST", "/pts/v2/payments", withTxn)
        assert.deepStrictEqual(
          { status: repeated.status, reason: at(repeated.json, "reason") },
          { status: 400, reason: "INVALID_DATA" }
        )
        const missing = yield* call(emulator, "POST", "/pts/v2/payments/1234/captures", amount("1.00"))
        assert.strictEqual(missing.status, 404)
        assert.deepStrictEqual(at(missing.json, "errorInformation"), {
          reason: "NOT_FOUND ",
          message: "The requested resource does not exist."
        })
        assert.strictEqual(at(missing.json, "status"), "404")
      })
    )
  )

  it.live("network tokens, saved instruments, customer defaults, TOKEN_CREATE and 3-D Secure", () =>
    emulated((emulator) =>
      Effect.gen(function* () {
        const token = yield* call(emulator, "POST", "/pts/v2/payments", {
          clientReferenceInformation: { code: ref("nt") },
          processingInformation: { commerceIndicator: "internet", paymentSolution: "015" },
          paymentInformation: {
            tokenizedCard: {
              number: "4111111111111111",
              expirationMonth: 9,
              expirationYear: 2031,
              cryptogram: "EHuWW9PiBkWvqE5juRwDzAUFBAk=",
              type: "001",
              transactionType: "3"
            }
          },
          orderInformation: { amountDetails: { totalAmount: "102.21", currency: "USD" } }
        })
        assert.strictEqual(at(token.json, "status"), "AUTHORIZED")
        assert.deepStrictEqual(at(token.json, "paymentInformation.card"), { suffix: "1111", type: "001" })

        const saved = yield* call(emulator, "POST", "/pts/v2/payments", {
          ...payment(ref("save"), "0.00"),
          processingInformation: {
            actionList: ["TOKEN_CREATE"],
            actionTokenTypes: ["customer", "paymentInstrument", "instrumentIdentifier"]
          }
        })
        assert.strictEqual(at(saved.json, "status"), "AUTHORIZED")
        const customerId = str(saved.json, "tokenInformation.customer.id")
        const piId = str(saved.json, "tokenInformation.paymentInstrument.id")
        assert.match(customerId, /^[0-9A-F]{32}$/)
        assert.strictEqual(at(saved.json, "tokenInformation.instrumentidentifierNew"), true)

        const byInstrument = yield* call(emulator, "POST", "/pts/v2/payments", {
          clientReferenceInformation: { code: ref("pi") },
          paymentInformation: { paymentInstrument: { id: piId } },
          orderInformation: { amountDetails: { totalAmount: "5.00", currency: "USD" } }
        })
        assert.strictEqual(at(byInstrument.json, "status"), "AUTHORIZED")
        const byCustomer = yield* call(emulator, "POST", "/pts/v2/payments", {
          clientReferenceInformation: { code: ref("cust") },
          processingInformation: { capture: true },
          paymentInformation: { customer: { id: customerId } },
          orderInformation: { amountDetails: { totalAmount: "6.00", currency: "USD" } }
        })
        assert.strictEqual(at(byCustomer.json, "status"), "AUTHORIZED")
        const unknownPi = yield* call(emulator, "POST", "/pts/v2/payments", {
          paymentInformation: { paymentInstrument: { id: "F".repeat(32) } },
          orderInformation: { amountDetails: { totalAmount: "5.00", currency: "USD" } }
        })
        assert.strictEqual(at(unknownPi.json, "reason"), "INVALID_DATA")

        const unauthenticated = yield* call(
          emulator,
          "POST",
          "/pts/v2/payments",
          payment(ref("3ds"), "12.00", { card: "4000000000003220" })
        )
        assert.strictEqual(at(unauthenticated.json, "errorInformation.reason"), "CONSUMER_AUTHENTICATION_REQUIRED")
        const challenged = yield* call(emulator, "POST", "/pts/v2/payments", {
          ...payment(ref("3ds"), "12.00", { card: "4000000000003220" }),
          processingInformation: { actionList: ["CONSUMER_AUTHENTICATION"] }
        })
        assert.strictEqual(at(challenged.json, "status"), "PENDING_AUTHENTICATION")
        const authId = str(challenged.json, "consumerAuthenticationInformation.authenticationTransactionId")
        const validate = {
          ...payment(ref("3ds"), "12.00", { card: "4000000000003220" }),
          processingInformation: { actionList: ["VALIDATE_CONSUMER_AUTHENTICATION"] },
          consumerAuthenticationInformation: { authenticationTransactionId: authId }
        }
        // Before the payer finished: still waiting (PARes C), nothing authorized.
        const early = (yield* call(emulator, "POST", "/pts/v2/payments", validate)).json
        assert.strictEqual(at(early, "status"), "PENDING_AUTHENTICATION")
        assert.strictEqual(at(early, "consumerAuthenticationInformation.paresStatus"), "C")
        assert.strictEqual(emulator.simulate.completeAuthentication(str(challenged.json, "id")), authId)
        assert.strictEqual(
          at((yield* call(emulator, "POST", "/pts/v2/payments", validate)).json, "status"),
          "AUTHORIZED"
        )
      })
    )
  )
})

// ---------------------------------------------------------------------------------------------
// Transaction Search
// ---------------------------------------------------------------------------------------------

describe("processor details", () => {
  it.live(
    "an approved authorization answers processorInformation (approval, ids, response, AVS, CVN when a security code was sent) and TSS details repeat it",
    () =>
      emulated((emulator) =>
        Effect.gen(function* () {
          const auth = yield* call(emulator, "POST", "/pts/v2/payments", payment(ref("proc"), "12.00"))
          const info = at(auth.json, "processorInformation")
          assert.strictEqual(at(info, "approvalCode"), "888888")
          assert.strictEqual(at(info, "responseCode"), "100")
          assert.match(str(info, "networkTransactionId"), /^\d{15}$/)
          assert.strictEqual(at(info, "transactionId"), at(info, "networkTransactionId"))
          assert.deepStrictEqual(at(info, "avs"), { code: "X", codeRaw: "I1" })
          assert.deepStrictEqual(at(info, "cardVerification"), { resultCode: "M", resultCodeRaw: "M" })
          const details = yield* call(emulator, "GET", `/tss/v2/transactions/${str(auth.json, "id")}`)
          const tss = at(details.json, "processorInformation")
          assert.strictEqual(at(tss, "processor.name"), "vdcpaymentech")
          assert.strictEqual(at(tss, "approvalCode"), "888888")
          assert.strictEqual(at(tss, "networkTransactionId"), at(info, "networkTransactionId"))
          assert.deepStrictEqual(at(tss, "avs"), { code: "X", codeRaw: "I1" })
          // TSS documents `cardVerification.resultCode` only.
          assert.deepStrictEqual(at(tss, "cardVerification"), { resultCode: "M" })

          const { securityCode: _, ...cardWithoutCode } = payment(ref("nocvn"), "1.00").paymentInformation.card
          const withoutCvn = yield* call(emulator, "POST", "/pts/v2/payments", {
            ...payment(ref("nocvn"), "1.00"),
            paymentInformation: { card: cardWithoutCode }
          })
          assert.strictEqual(at(withoutCvn.json, "status"), "AUTHORIZED")
          assert.isUndefined(at(withoutCvn.json, "processorInformation.cardVerification"))
        })
      )
  )
})

describe("stored credentials", () => {
  it.live(
    "initiator: a merchant-initiated payment with the previous network id is authorized; the documented limits are enforced",
    () =>
      emulated((emulator) =>
        Effect.gen(function* () {
          const withInitiator = (initiator: unknown, commerceIndicator = "recurring") => {
            const body = payment(ref("mit"), "5.00")
            return {
              ...body,
              processingInformation: {
                ...body.processingInformation,
                commerceIndicator,
                authorizationOptions: { initiator }
              }
            }
          }
          const mit = {
            type: "merchant",
            storedCredentialUsed: true,
            merchantInitiatedTransaction: { previousTransactionId: "016150703802094" }
          }
          const ok = yield* call(emulator, "POST", "/pts/v2/payments", withInitiator(mit))
          assert.strictEqual(at(ok.json, "status"), "AUTHORIZED")
          const cases: ReadonlyArray<readonly [unknown, string, string]> = [
            [
              { ...mit, type: "cardholder" },
              "processingInformation.authorizationOptions.initiator.type",
              "INVALID_DATA"
            ],
            [
              { ...mit, merchantInitiatedTransaction: { previousTransactionId: "0161507038020941" } },
              "processingInformation.authorizationOptions.initiator.merchantInitiatedTransaction.previousTransactionId",
              "INVALID_DATA"
            ],
            [
              { ...mit, merchantInitiatedTransaction: { previousTransactionId: "016150703802094", reason: "6" } },
              "processingInformation.authorizationOptions.initiator.merchantInitiatedTransaction.reason",
              "INVALID_DATA"
            ],
            [
              { type: "merchant", storedCredentialUsed: true },
              "processingInformation.authorizationOptions.initiator.merchantInitiatedTransaction.previousTransactionId",
              "MISSING_FIELD"
            ],
            [
              { type: "customer", credentialStoredOnFile: "yes" },
              "processingInformation.authorizationOptions.initiator.credentialStoredOnFile",
              "INVALID_DATA"
            ]
          ]
          for (const [initiator, field, reason] of cases) {
            const res = yield* call(emulator, "POST", "/pts/v2/payments", withInitiator(initiator))
            assert.strictEqual(res.status, 400, field)
            assert.strictEqual(at(res.json, "reason"), reason, field)
            assert.strictEqual(at(res.json, "details.0.field"), field)
          }
          const longIndicator = yield* call(
            emulator,
            "POST",
            "/pts/v2/payments",
            withInitiator({ type: "customer" }, "x".repeat(21))
          )
          assert.strictEqual(at(longIndicator.json, "details.0.field"), "processingInformation.commerceIndicator")
        })
      )
  )
})

describe("transaction search", () => {
  it.live(
    "search by clientReferenceInformation.code finds the payment and its follow-ons; details show the state",
    () =>
      emulated((emulator) =>
        Effect.gen(function* () {
          const code = ref("recon")
          const auth = yield* call(emulator, "POST", "/pts/v2/payments", payment(code, "20.00"))
          const id = str(auth.json, "id")
          const capture = yield* call(emulator, "POST", `/pts/v2/payments/${id}/captures`, amount("20.00"))
          yield* call(emulator, "POST", "/pts/v2/payments", payment(ref("other"), "1.00"))

          const search = yield* call(emulator, "POST", "/tss/v2/searches", {
            save: "false",
            name: "MRN",
            timezone: "America/Chicago",
            query: `clientReferenceInformation.code:${code} AND submitTimeUtc:[NOW/DAY-7DAYS TO NOW/DAY+1DAY}`,
            offset: 0,
            limit: 100,
            sort: "id:asc,submitTimeUtc:asc"
          })
          assert.strictEqual(search.status, 201)
          assert.strictEqual(at(search.json, "totalCount"), 2)
          const summaries = at(search.json, "_embedded.transactionSummaries") as ReadonlyArray<unknown>
          const ids = summaries.map((s) => str(s, "id"))
          assert.sameMembers(ids, [id, str(capture.json, "id")])
          const auths = summaries.filter((s) => str(s, "applicationInformation.applications.0.name") === "ics_auth")
          assert.strictEqual(auths.length, 1)
          assert.strictEqual(str(auths[0], "_links.transactionDetail.href"), `/tss/v2/transactions/${id}`)

          const none = yield* call(emulator, "POST", "/tss/v2/searches", {
            query: `clientReferenceInformation.code:${ref("none")}`
          })
          assert.deepStrictEqual([none.status, at(none.json, "count")], [201, 0])

          const details = yield* call(emulator, "GET", `/tss/v2/transactions/${id}`)
          assert.strictEqual(details.status, 200)
          assert.strictEqual(at(details.json, "applicationInformation.status"), "AUTHORIZED")
          assert.strictEqual(at(details.json, "clientReferenceInformation.code"), code)
          assert.strictEqual(at(details.json, "orderInformation.amountDetails.authorizedAmount"), "20.00")
          assert.deepStrictEqual(at(details.json, "_links.relatedTransactions"), [
            { href: `/tss/v2/transactions/${str(capture.json, "id")}`, method: "GET" }
          ])
          const captureDetails = yield* call(emulator, "GET", `/tss/v2/transactions/${str(capture.json, "id")}`)
          assert.strictEqual(at(captureDetails.json, "applicationInformation.status"), "PENDING")
          assert.strictEqual(at(captureDetails.json, "rootId"), id)
          assert.strictEqual(
            at((yield* call(emulator, "POST", "/tss/v2/searches", { query: "nonsense" })).json, "reason"),
            "INVALID_DATA"
          )
        })
      )
  )
})

// ---------------------------------------------------------------------------------------------
// Token Management
// ---------------------------------------------------------------------------------------------

describe("card data", () => {
  it.live("no response echoes a PAN, security code or cryptogram", () =>
    emulated((emulator) =>
      Effect.gen(function* () {
        const seen: Array<string> = []
        const keep = (answer: Answer) => {
          seen.push(JSON.stringify(answer.json))
          return answer
        }
        const auth = keep(
          yield* call(emulator, "POST", "/pts/v2/payments", {
            ...payment(ref("pan"), "9.00"),
            processingInformation: { actionList: ["TOKEN_CREATE"] }
          })
        )
        keep(yield* call(emulator, "GET", `/tss/v2/transactions/${str(auth.json, "id")}`))
        const customerId = str(auth.json, "tokenInformation.customer.id")
        keep(yield* call(emulator, "GET", `/tms/v2/customers/${customerId}`))
        keep(
          yield* call(emulator, "POST", `/tms/v2/customers/${customerId}/payment-instruments`, {
            card: { number: "4111111111111111", securityCode: "123", expirationMonth: "12", expirationYear: "2031" },
            instrumentIdentifier: { card: { number: "4111111111111111" } }
          })
        )
        keep(yield* call(emulator, "GET", `/tms/v2/customers/${customerId}/payment-instruments`))
        keep(
          yield* call(emulator, "POST", "/pts/v2/payments", {
            clientReferenceInformation: { code: ref("nt") },
            paymentInformation: {
              tokenizedCard: {
                number: "4111111111111111",
                expirationMonth: "12",
                expirationYear: "2031",
                cryptogram: "EHuWW9PiBkWvqE5juRwDzAUFBAk="
              }
            },
            orderInformation: { amountDetails: { totalAmount: "1.00", currency: "USD" } }
          })
        )
        for (const text of seen) {
          assert.notInclude(text, "4111111111111111")
          assert.notInclude(text, "EHuWW9PiBkWvqE5juRwDzAUFBAk=")
          assert.notInclude(text, '"securityCode"')
        }
      })
    )
  )
})

describe("token management", () => {
  it.live("customers and the five payment-instrument operations, with ETags, pagination and 412", () =>
    emulated((emulator) =>
      Effect.gen(function* () {
        const customer = yield* call(emulator, "POST", "/tms/v2/customers", {
          buyerInformation: { merchantCustomerID: "Your customer identifier", email: "test@cybs.com" },
          clientReferenceInformation: { code: "TC50171_3" },
          merchantDefinedInformation: [{ name: "data1", value: "Your customer data" }]
        })
        assert.strictEqual(customer.status, 201)
        const customerId = str(customer.json, "id")
        assert.match(customerId, /^[0-9A-F]{32}$/)
        assert.strictEqual(customer.headers.get("location"), `/tms/v2/customers/${customerId}`)
        assert.isString(customer.headers.get("etag"))
        assert.strictEqual(at(customer.json, "buyerInformation.email"), "test@cybs.com")
        assert.strictEqual(customer.headers.get("content-type"), "application/json;charset=utf-8")

        const first = yield* call(emulator, "POST", "/tms/v1/instrumentidentifiers", {
          card: { number: "4111111111111111" }
        })
        const again = yield* call(emulator, "POST", "/tms/v1/instrumentidentifiers", {
          card: { number: "4111111111111111" }
        })
        assert.deepStrictEqual([first.status, again.status], [201, 200])
        assert.strictEqual(str(first.json, "id"), str(again.json, "id"))
        assert.strictEqual(at(first.json, "card.number"), "411111XXXXXX1111")
        const other = yield* call(emulator, "POST", "/tms/v1/instrumentidentifiers", {
          card: { number: "5555555555554444" }
        })

        const base = `/tms/v2/customers/${customerId}/payment-instruments`
        const pis: Array<string> = []
        for (const ii of [str(first.json, "id"), str(other.json, "id"), str(first.json, "id")]) {
          const created = yield* call(emulator, "POST", base, {
            default: "false",
            card: { expirationMonth: "12", expirationYear: "2031" },
            billTo: { firstName: "John", lastName: "Doe", country: "US" },
            instrumentIdentifier: { id: ii }
          })
          assert.strictEqual(created.status, 201)
          pis.push(str(created.json, "id"))
        }
        assert.strictEqual(at((yield* call(emulator, "GET", `${base}/${pis[0]}`)).json, "default"), true)

        const page1 = yield* call(emulator, "GET", `${base}?offset=0&limit=2`)
        assert.strictEqual(page1.status, 200)
        assert.deepStrictEqual(
          [at(page1.json, "offset"), at(page1.json, "limit"), at(page1.json, "count"), at(page1.json, "total")],
          [0, 2, 2, 3]
        )
        assert.strictEqual(page1.headers.get("x-total-count"), "3")
        assert.deepStrictEqual(at(page1.json, "_links"), {
          self: { href: `${base}?offset=0&limit=2` },
          first: { href: `${base}?offset=0&limit=2` },
          next: { href: `${base}?offset=2&limit=2` },
          last: { href: `${base}?offset=2&limit=2` }
        })
        const page2 = yield* call(emulator, "GET", `${base}?offset=2&limit=2`)
        assert.strictEqual(at(page2.json, "count"), 1)
        assert.strictEqual(at(page2.json, "_links.prev.href"), `${base}?offset=0&limit=2`)
        assert.isUndefined(at(page2.json, "_links.next"))
        assert.strictEqual(str(page2.json, "_embedded.paymentInstruments.0.id"), pis[2])
        assert.strictEqual((yield* call(emulator, "GET", `${base}?limit=101`)).status, 400)

        const got = yield* call(emulator, "GET", `${base}/${pis[1]}`)
        const etag = got.headers.get("etag") ?? ""
        assert.strictEqual(at(got.json, "card.type"), "002")
        const patched = yield* call(
          emulator,
          "PATCH",
          `${base}/${pis[1]}`,
          { default: true },
          { extra: { "if-match": etag } }
        )
        assert.strictEqual(patched.status, 200)
        assert.strictEqual(at(patched.json, "default"), true)
        assert.notStrictEqual(patched.headers.get("etag"), etag)
        const stale = yield* call(
          emulator,
          "PATCH",
          `${base}/${pis[1]}`,
          { billTo: { firstName: "Stale" } },
          { extra: { "if-match": etag } }
        )
        assert.strictEqual(stale.status, 412)
        assert.deepStrictEqual(stale.json, {
          errors: [
            {
              type: "conflict",
              message: "Action cannot be performed as the if-match header value does not match the token etag"
            }
          ]
        })

        const refused = yield* call(emulator, "DELETE", `${base}/${pis[1]}`)
        assert.strictEqual(refused.status, 409)
        assert.strictEqual((yield* call(emulator, "DELETE", `${base}/${pis[0]}`)).status, 204)
        const gone = yield* call(emulator, "GET", `${base}/${pis[0]}`)
        assert.deepStrictEqual([gone.status, at(gone.json, "errors.0.type")], [410, "notAvailable"])
        assert.strictEqual(
          at((yield* call(emulator, "GET", `/tms/v2/customers/${customerId}`)).json, "defaultPaymentInstrument.id"),
          pis[1]
        )

        const unknown = yield* call(emulator, "GET", `/tms/v2/customers/${"0".repeat(32)}`)
        assert.deepStrictEqual([unknown.status, at(unknown.json, "errors.0.message")], [404, "Token not found"])
        const badProfile = yield* call(emulator, "GET", `/tms/v2/customers/${customerId}`, undefined, {
          extra: { "profile-id": "nope" }
        })
        assert.strictEqual(badProfile.status, 424)
        const goodProfile = yield* call(emulator, "GET", `/tms/v2/customers/${customerId}`, undefined, {
          extra: { "profile-id": "93B32398-AD51-4CC2-A682-EA3E93614EB1" }
        })
        assert.strictEqual(goodProfile.status, 200)
        assert.strictEqual((yield* call(emulator, "DELETE", `/tms/v2/customers/${customerId}`)).status, 204)
        assert.strictEqual((yield* call(emulator, "GET", `/tms/v2/customers/${customerId}`)).status, 410)
        assert.deepStrictEqual(emulator.truth.tokens(), {
          customers: 0,
          paymentInstruments: 0,
          instrumentIdentifiers: 0
        })
      })
    )
  )
})

// ---------------------------------------------------------------------------------------------
// Webhooks
// ---------------------------------------------------------------------------------------------

describe("webhooks", () => {
  it("the signer reproduces both documented variants of the vector", () => {
    const input = {
      key: webhookVector.key,
      keyId: webhookVector.keyId,
      t: webhookVector.t,
      rawBody: webhookVector.rawBody
    }
    assert.strictEqual(CyberSourceEmulator.signWebhook({ ...input, variant: "rawBody" }), webhookVector.rawBodyVariant)
    assert.strictEqual(CyberSourceEmulator.signWebhook(input), webhookVector.payloadVariant)
  })

  it.live("deliveries are signed as documented and verify independently", () =>
    Effect.gen(function* () {
      const received: Array<{ readonly headers: NodeHttp.IncomingHttpHeaders; readonly body: string }> = []
      const receiver = yield* Effect.acquireRelease(
        Effect.promise(
          () =>
            new Promise<NodeHttp.Server>((resolve) => {
              const server = NodeHttp.createServer((req, res) => {
                let body = ""
                req.setEncoding("utf8")
                req.on("data", (chunk: string) => {
                  body += chunk
                })
                req.on("end", () => {
                  received.push({ headers: req.headers, body })
                  res.writeHead(200).end()
                })
              })
              server.listen(0, "127.0.0.1", () => resolve(server))
            })
        ),
        (server) => Effect.promise(() => new Promise<void>((resolve) => server.close(() => resolve())))
      )
      const address = receiver.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      const emulator = yield* CyberSourceEmulator.start({ webhookUrl: `http://127.0.0.1:${port}/hooks` })
      const auth = yield* call(emulator, "POST", "/pts/v2/payments", payment(ref("wh"), "3.00"))
      const id = str(auth.json, "id")
      const delivery = yield* Effect.promise(() =>
        emulator.webhooks.wait((d) => d.event === "payments.payments.accept")
      )
      assert.strictEqual(delivery.state, "delivered")
      const hit = received[0]
      assert.isDefined(hit)
      const header = String(hit?.headers["v-c-signature"])
      const parts = Object.fromEntries(
        header.split(";").map((p) => [p.slice(0, p.indexOf("=")), p.slice(p.indexOf("=") + 1)])
      )
      const payload = JSON.stringify((JSON.parse(hit?.body ?? "{}") as { payload: unknown }).payload)
      assert.strictEqual(parts.keyId, CyberSourceEmulator.defaultWebhookKey.keyId)
      assert.strictEqual(parts.sig, b64hmac(emulator.webhooks.key, `${parts.t}.${payload}`))
      assert.strictEqual(hit?.headers["v-c-event-type"], "payments.payments.accept")
      assert.strictEqual(at(JSON.parse(hit?.body ?? "{}"), "payload.0.data.id"), id)
      assert.strictEqual(at(JSON.parse(hit?.body ?? "{}"), "payload.0.data._links.self.href"), `/pts/v2/payments/${id}`)

      const rawVariant = yield* CyberSourceEmulator.start({
        webhookUrl: `http://127.0.0.1:${port}/hooks`,
        webhookSignatureVariant: "rawBody"
      })
      const captured = yield* call(rawVariant, "POST", "/pts/v2/payments", payment(ref("wh"), "3.00"))
      yield* call(rawVariant, "POST", `/pts/v2/payments/${str(captured.json, "id")}/captures`, amount("3.00"))
      const capture = yield* Effect.promise(() =>
        rawVariant.webhooks.wait((d) => d.event === "payments.captures.accept")
      )
      const rawParts = Object.fromEntries(
        String(capture.headers["v-c-signature"])
          .split(";")
          .map((p) => [p.slice(0, p.indexOf("=")), p.slice(p.indexOf("=") + 1)])
      )
      assert.strictEqual(rawParts.sig, b64hmac(rawVariant.webhooks.key, `${rawParts.t}.${capture.body}`))
    }).pipe(Effect.scoped)
  )
})

// ---------------------------------------------------------------------------------------------
// Faults and truth
// ---------------------------------------------------------------------------------------------

describe("faults", () => {
  it.live("error, rate limit, reset, commit-then-drop and latency are observable; truth counts payments", () =>
    emulated(
      (emulator) =>
        Effect.gen(function* () {
          const match = { method: "POST", path: "/pts/v2/payments" }
          emulator.faults.add(EmulatorFaults.error(502, { match, times: 1 }))
          const failed = yield* call(emulator, "POST", "/pts/v2/payments", payment(ref("f"), "1.00"))
          assert.strictEqual(failed.status, 502)
          assert.strictEqual(at(failed.json, "status"), "SERVER_ERROR")
          assert.strictEqual(at(failed.json, "reason"), "SYSTEM_ERROR")
          assert.strictEqual(at(failed.json, "message"), "Error - General system failure.")
          assert.isString(at(failed.json, "id"))

          emulator.faults.add(EmulatorFaults.error(504, { match, times: 1 }))
          assert.strictEqual(
            at((yield* call(emulator, "POST", "/pts/v2/payments", payment(ref("f"), "1.00"))).json, "reason"),
            "SERVER_TIMEOUT"
          )

          emulator.faults.add(EmulatorFaults.rateLimit(3, { match, times: 1 }))
          const limited = yield* call(emulator, "POST", "/pts/v2/payments", payment(ref("f"), "1.00"))
          assert.deepStrictEqual([limited.status, limited.headers.get("retry-after")], [429, "3"])

          emulator.faults.add(EmulatorFaults.reset({ match, times: 1 }))
          const resetCode = ref("reset")
          const reset = yield* Effect.either(
            Effect.tryPromise(() =>
              fetch(`${emulator.baseUrl}/pts/v2/payments`, {
                method: "POST",
                headers: signedHeaders(
                  emulator,
                  "POST",
                  "/pts/v2/payments",
                  JSON.stringify(payment(resetCode, "1.00"))
                ),
                body: JSON.stringify(payment(resetCode, "1.00"))
              })
            )
          )
          assert.strictEqual(reset._tag, "Left")
          assert.strictEqual(emulator.truth.paymentsFor(resetCode), 0)

          emulator.faults.add(EmulatorFaults.commitThenDrop({ match, times: 1 }))
          const dropCode = ref("drop")
          const dropped = yield* Effect.either(
            Effect.tryPromise(() =>
              fetch(`${emulator.baseUrl}/pts/v2/payments`, {
                method: "POST",
                headers: signedHeaders(emulator, "POST", "/pts/v2/payments", JSON.stringify(payment(dropCode, "1.00"))),
                body: JSON.stringify(payment(dropCode, "1.00"))
              })
            )
          )
          assert.strictEqual(dropped._tag, "Left")
          assert.strictEqual(emulator.truth.paymentsFor(dropCode), 1)
          assert.strictEqual(emulator.truth.chargesFor(dropCode), 1)
          const found = yield* call(emulator, "POST", "/tss/v2/searches", {
            query: `clientReferenceInformation.code:${dropCode}`
          })
          assert.strictEqual(at(found.json, "count"), 1)

          emulator.faults.add(EmulatorFaults.latency(20, { match: { path: /^\/tms\// }, times: 1 }))
          assert.strictEqual((yield* call(emulator, "GET", `/tms/v2/customers/${"0".repeat(32)}`)).status, 404)
          emulator.faults.add(EmulatorFaults.error(500, { match: { path: /^\/tms\// }, times: 1 }))
          const tmsError = yield* call(emulator, "GET", `/tms/v2/customers/${"0".repeat(32)}`)
          assert.deepStrictEqual([tmsError.status, at(tmsError.json, "errors.0.type")], [500, "serverError"])
          assert.deepStrictEqual(
            emulator.faults.applied().map((a) => a.kind),
            ["error", "error", "rateLimit", "reset", "commitThenDrop", "latency", "error"]
          )
        }),
      { seed: 11 }
    )
  )
})

// ---------------------------------------------------------------------------------------------
// Standalone CLI
// ---------------------------------------------------------------------------------------------

describe("payport-emulator cybersource", () => {
  it.live("prints one JSON line with the credentials and serves signed requests", () =>
    Effect.gen(function* () {
      const secret = Buffer.from("cli-test-shared-secret-32-bytes!").toString("base64")
      const bin = NodePath.join(import.meta.dirname, "..", "bin", "payport-emulator.mjs")
      const child = yield* Effect.acquireRelease(
        Effect.sync(() =>
          spawn(
            process.execPath,
            [
              bin,
              "cybersource",
              "--port",
              "0",
              "--merchant-id",
              "m_cli",
              "--key-id",
              "k_cli",
              "--shared-secret",
              secret
            ],
            { stdio: ["ignore", "pipe", "inherit"] }
          )
        ),
        (started) => Effect.sync(() => started.kill("SIGTERM"))
      )
      const line = yield* Effect.promise(
        () =>
          new Promise<string>((resolve, reject) => {
            let out = ""
            child.stdout?.setEncoding("utf8")
            child.stdout?.on("data", (chunk: string) => {
              out += chunk
              const end = out.indexOf("\n")
              if (end >= 0) resolve(out.slice(0, end))
            })
            child.once("exit", (code) => reject(new Error(`emulator exited with ${code}`)))
          })
      )
      const printed = JSON.parse(line) as Target & { readonly provider: string }
      assert.strictEqual(printed.provider, "cybersource")
      assert.match(printed.baseUrl, /^http:\/\/127\.0\.0\.1:\d+$/)
      assert.deepStrictEqual([printed.merchantId, printed.keyId, printed.sharedSecret], ["m_cli", "k_cli", secret])
      const created = yield* call(printed, "POST", "/pts/v2/payments", payment(ref("cli"), "1.00"))
      assert.deepStrictEqual([created.status, at(created.json, "status")], [201, "AUTHORIZED"])
      const wrong = yield* call({ ...printed, sharedSecret: sample.sharedSecret }, "GET", "/tss/v2/transactions/1")
      assert.strictEqual(wrong.status, 401)
    }).pipe(Effect.scoped)
  )
})

// ---------------------------------------------------------------------------------------------
// What reconciliation and idempotency rely on
// ---------------------------------------------------------------------------------------------

describe("merchant references on transactions", () => {
  it.live(
    "TSS details echo clientReferenceInformation.comments of payments and follow-ons (2020 swagger TssV2TransactionsGet200Response)",
    () =>
      emulated((emulator) =>
        Effect.gen(function* () {
          const code = ref("comments")
          const body = payment(code, "30.00")
          const auth = yield* call(emulator, "POST", "/pts/v2/payments", {
            ...body,
            clientReferenceInformation: { code, comments: "payport-idempotency abc", transactionId: "tx-1" }
          })
          const id = str(auth.json, "id")
          const capture = yield* call(emulator, "POST", `/pts/v2/payments/${id}/captures`, {
            clientReferenceInformation: { comments: "capture note" },
            ...amount("10.00")
          })
          const details = yield* call(emulator, "GET", `/tss/v2/transactions/${id}`)
          assert.strictEqual(at(details.json, "clientReferenceInformation.comments"), "payport-idempotency abc")
          assert.strictEqual(at(details.json, "clientReferenceInformation.code"), code)
          const captureDetails = yield* call(emulator, "GET", `/tss/v2/transactions/${str(capture.json, "id")}`)
          assert.strictEqual(at(captureDetails.json, "clientReferenceInformation.comments"), "capture note")
          // without comments, none is invented
          const plain = yield* call(emulator, "POST", "/pts/v2/payments", payment(ref("plain"), "1.00"))
          const plainDetails = yield* call(emulator, "GET", `/tss/v2/transactions/${str(plain.json, "id")}`)
          assert.isUndefined(at(plainDetails.json, "clientReferenceInformation.comments"))
          // a repeated transactionId is refused (client-node #45) and creates nothing
          const again = yield* call(emulator, "POST", "/pts/v2/payments", {
            ...body,
            clientReferenceInformation: { code, transactionId: "tx-1" }
          })
          assert.deepStrictEqual([again.status, at(again.json, "reason")], [400, "INVALID_DATA"])
          assert.strictEqual(emulator.truth.paymentsFor(code), 1)
        })
      )
  )

  it.live(
    "a capture, refund or void repeating a transactionId is refused 400 INVALID_DATA without details and applies nothing (swagger: a unique transactionId per payment, capture, refund, credit)",
    () =>
      emulated((emulator) =>
        Effect.gen(function* () {
          const code = ref("repeat")
          const auth = yield* call(emulator, "POST", "/pts/v2/payments", payment(code, "50.00"))
          const id = str(auth.json, "id")
          const refused = (reply: { readonly status: number; readonly json: unknown }) =>
            assert.deepStrictEqual(
              [reply.status, at(reply.json, "status"), at(reply.json, "reason"), at(reply.json, "details")],
              [400, "INVALID_REQUEST", "INVALID_DATA", undefined]
            )
          const capture = { clientReferenceInformation: { code, transactionId: "cap-1" }, ...amount("20.00") }
          const first = yield* call(emulator, "POST", `/pts/v2/payments/${id}/captures`, capture)
          assert.strictEqual(first.status, 201)
          refused(yield* call(emulator, "POST", `/pts/v2/payments/${id}/captures`, capture))
          assert.strictEqual(emulator.truth.payment(id)?.captureIds.length, 1)
          assert.strictEqual(emulator.truth.payment(id)?.captured, 2000)
          // the id is taken across kinds: a refund cannot reuse it either
          refused(
            yield* call(emulator, "POST", `/pts/v2/payments/${id}/refunds`, {
              clientReferenceInformation: { code, transactionId: "cap-1" },
              ...amount("5.00")
            })
          )
          const refund = { clientReferenceInformation: { code, transactionId: "ref-1" }, ...amount("5.00") }
          assert.strictEqual((yield* call(emulator, "POST", `/pts/v2/payments/${id}/refunds`, refund)).status, 201)
          refused(yield* call(emulator, "POST", `/pts/v2/payments/${id}/refunds`, refund))
          assert.strictEqual(emulator.truth.payment(id)?.refundIds.length, 1)
          assert.strictEqual(emulator.truth.payment(id)?.refunded, 500)
          const refundId = emulator.truth.payment(id)?.refundIds[0] ?? ""
          const voiding = { clientReferenceInformation: { code, transactionId: "void-1" } }
          assert.strictEqual((yield* call(emulator, "POST", `/pts/v2/refunds/${refundId}/voids`, voiding)).status, 201)
          refused(yield* call(emulator, "POST", `/pts/v2/refunds/${refundId}/voids`, voiding))
        })
      )
  )
})
