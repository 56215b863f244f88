/**
 * The raw floor's CyberSource HTTP Signature: the minimum a hand-written client needs, on
 * `node:crypto`. Every request is signed when it is sent (fresh `date`), because the emulator
 * only accepts a `date` within 5 minutes and a full run can last longer than that.
 */
import { createHash, createHmac } from "node:crypto"

/** What the floor signs with. */
export interface Credentials {
  readonly host: string
  readonly merchantId: string
  readonly keyId: string
  readonly key: Buffer
}

/** Builds the signing credentials from the emulator's line (`sharedSecret` is base64). */
export const credentials = (baseUrl: string, merchantId: string, keyId: string, sharedSecret: string): Credentials => ({
  host: new URL(baseUrl).host,
  merchantId,
  keyId,
  key: Buffer.from(sharedSecret, "base64")
})

/** The headers of one signed request; `body` is digested for POST. */
export const sign = (c: Credentials, method: "GET" | "POST", target: string, body?: string): Record<string, string> => {
  const date = new Date().toUTCString()
  const digest = body === undefined ? undefined : `SHA-256=${createHash("sha256").update(body).digest("base64")}`
  const names =
    digest === undefined
      ? "host date request-target v-c-merchant-id"
      : "host date request-target digest v-c-merchant-id"
  const text =
    digest === undefined
      ? `host: ${c.host}\ndate: ${date}\nrequest-target: ${method.toLowerCase()} ${target}\nv-c-merchant-id: ${c.merchantId}`
      : `host: ${c.host}\ndate: ${date}\nrequest-target: ${method.toLowerCase()} ${target}\ndigest: ${digest}\nv-c-merchant-id: ${c.merchantId}`
  const signature = createHmac("sha256", c.key).update(text).digest("base64")
  const headers: Record<string, string> = {
    date,
    "v-c-merchant-id": c.merchantId,
    signature: `keyid="${c.keyId}", algorithm="HmacSHA256", headers="${names}", signature="${signature}"`
  }
  if (digest !== undefined) {
    headers.digest = digest
    headers["content-type"] = "application/json;charset=utf-8"
  }
  return headers
}
