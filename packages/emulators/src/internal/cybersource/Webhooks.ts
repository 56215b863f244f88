/**
 * Signed webhook notifications (providers/cybersource.md §5): the documented body
 * `{webhookId, eventType, productId, organizationId, eventDate, requestType, retryNumber, payload}`
 * and the `v-c-signature: t=<ms>;keyId=<uuid>;sig=<base64>` header, where
 * `sig = base64(HMAC-SHA256(base64decode(key), "<t>.<signed text>"))`. The guide says the signed
 * text is "the payload from the body"; CyberSource's own plugins sign `JSON.stringify(body.payload)`
 * (variant `payload`), other readings sign the raw body (variant `rawBody`).
 */
import { hmacBase64 } from "./HttpSignature.js"

/** Which text follows `t.` in the signed string. */
export type SignatureVariant = "payload" | "rawBody"

/** The `v-c-signature` header value for a body. */
export const signatureHeader = (input: {
  readonly key: string
  readonly keyId: string
  readonly t: number
  readonly rawBody: string
  readonly variant: SignatureVariant
}): string => {
  const signed =
    input.variant === "rawBody"
      ? input.rawBody
      : JSON.stringify((JSON.parse(input.rawBody) as { readonly payload?: unknown }).payload)
  return `t=${input.t};keyId=${input.keyId};sig=${hmacBase64(input.key, `${input.t}.${signed}`)}`
}

/** One notification body, serialised in the documented member order. */
export const notificationBody = (input: {
  readonly eventType: string
  readonly webhookId: string
  readonly organizationId: string
  readonly eventDate: string
  readonly retryNumber: number
  readonly resource: string
  readonly id: string
  readonly href: string
}): string =>
  JSON.stringify({
    eventType: input.eventType,
    webhookId: input.webhookId,
    productId: "cardProcessing",
    organizationId: input.organizationId,
    eventDate: input.eventDate,
    requestType: "NEW",
    retryNumber: input.retryNumber,
    payload: [
      {
        data: { _links: { self: { href: input.href, method: "GET" } }, id: input.id, type: input.resource },
        organizationId: input.organizationId
      }
    ]
  })
