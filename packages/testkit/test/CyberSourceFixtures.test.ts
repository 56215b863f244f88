import { createHash, createHmac } from "node:crypto"
import { assert, describe, it } from "@effect/vitest"
import * as CyberSourceEmulator from "@payport/emulators/CyberSourceEmulator"
import { CyberSourceFixtures } from "@payport/testkit"
import * as Effect from "effect/Effect"

const hmac = (base64Key: string, text: string) =>
  createHmac("sha256", Buffer.from(base64Key, "base64")).update(text).digest("base64")

/**
 * Authorizes a card payment through the emulator's HTTP API (POST /pts/v2/payments, signed with
 * CyberSource's HTTP Signature: HMAC-SHA256 over host, date, request-target, digest and merchant id)
 * and returns its id.
 */
const authorize = (emulator: CyberSourceEmulator.CyberSourceEmulator, code: string, amount: string) =>
  Effect.promise(async () => {
    const target = "/pts/v2/payments"
    const body = JSON.stringify({
      clientReferenceInformation: { code },
      processingInformation: { capture: false },
      paymentInformation: {
        card: { number: "4111111111111111", expirationMonth: "12", expirationYear: "2031", securityCode: "123" }
      },
      orderInformation: { amountDetails: { totalAmount: amount, currency: "USD" } }
    })
    const signed = {
      host: new URL(emulator.baseUrl).host,
      date: new Date().toUTCString(),
      "request-target": `post ${target}`,
      digest: `SHA-256=${createHash("sha256").update(body).digest("base64")}`,
      "v-c-merchant-id": emulator.merchantId
    }
    const signature = hmac(
      emulator.sharedSecret,
      Object.entries(signed)
        .map(([name, value]) => `${name}: ${value}`)
        .join("\n")
    )
    const response = await fetch(`${emulator.baseUrl}${target}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        date: signed.date,
        digest: signed.digest,
        "v-c-merchant-id": signed["v-c-merchant-id"],
        signature: `keyid="${emulator.keyId}", algorithm="HmacSHA256", headers="${Object.keys(signed).join(" ")}", signature="${signature}"`
      },
      body
    })
    const text = await response.text()
    assert.strictEqual(response.status, 201, text)
    const id = (JSON.parse(text) as { readonly id?: unknown }).id
    assert.isString(id)
    return id as string
  })

describe("CyberSourceFixtures", () => {
  it.live("webhook fixtures are the emulator's own notification, re-signed for the wrong key and a stale time", () =>
    Effect.gen(function* () {
      const emulator = yield* CyberSourceEmulator.Emulator
      const id = yield* authorize(emulator, "fx-1", "4.00")
      const snapshot = { ref: { paymentId: id } } as unknown as Parameters<
        typeof CyberSourceFixtures.webhookFixtures.genuine
      >[0]
      const { genuine, wrongSecret, stale, tamper } = CyberSourceFixtures.webhookFixtures
      const good = yield* genuine(snapshot)
      const delivery = emulator.webhooks.deliveries().find((d) => d.body.includes(`"id":"${id}"`))
      assert.isDefined(delivery)
      assert.strictEqual(good.body, delivery?.body)
      assert.strictEqual(good.headers["v-c-signature"], delivery?.headers["v-c-signature"])
      const header = (request: { readonly headers: Readonly<Record<string, unknown>> }) =>
        String(request.headers["v-c-signature"])
      const parts = (value: string) => Object.fromEntries(value.split(";").map((p) => p.split(/=(.*)/s).slice(0, 2)))
      const signed = parts(header(good))
      const payloadText = JSON.stringify((JSON.parse(String(good.body)) as { payload: unknown }).payload)
      assert.strictEqual(signed.sig, hmac(emulator.webhooks.key, `${signed.t}.${payloadText}`))
      const wrong = parts(header(yield* wrongSecret(snapshot)))
      assert.notStrictEqual(wrong.sig, signed.sig)
      const old = parts(header(yield* stale(snapshot)))
      assert.isBelow(Number(old.t), Date.now() - 9 * 60 * 1000)
      const tampered = tamper?.(good)
      assert.isDefined(tampered)
      assert.notStrictEqual(
        JSON.stringify((JSON.parse(String(tampered?.body)) as { payload: unknown }).payload),
        payloadText
      )
      assert.strictEqual(CyberSourceFixtures.fixtures.declines[0]?.code, "invalid_account")
    }).pipe(Effect.provide(CyberSourceEmulator.layer()))
  )
})
