/**
 * The caller's idempotency key on CyberSource's wire, which has no idempotency header
 * (providers/cybersource.md §4).
 */
import * as Crypto from "@payport/core/Crypto"
import { IdempotencyConflict } from "@payport/core/PaymentError"
import * as Effect from "effect/Effect"
import { PROVIDER } from "./errors.js"
import type * as Wire from "./wire.js"

/**
 * CyberSource takes no idempotency header (providers/cybersource.md §4), so the key travels in two
 * documented request fields as a 30-hex-digit tag (the swagger's `transactionId` limit):
 * - `clientReferenceInformation.transactionId` on payments, captures and refunds (the swagger asks
 *   for a unique one on each): CyberSource refuses a repeated one (400 `INVALID_DATA` without
 *   `details`, client-node #45), so neither a replay nor a copy the network delivers twice can
 *   apply twice;
 * - `clientReferenceInformation.comments` on payments and follow-ons, which TSS details echo (the
 *   2020 swagger's `TssV2TransactionsGet200Response`), so a replay finds what its key created.
 */
export const keyTag = (key: string): Effect.Effect<string> =>
  Effect.map(Crypto.sha256(`payport-idempotency:${key}`), (digest) => Crypto.toHex(digest).slice(0, 30))

const COMMENTS_PREFIX = "payport-idempotency "

/** The `comments` text that carries a key's tag. */
export const commentsFor = (tag: string): string => `${COMMENTS_PREFIX}${tag}`

/** The tag a TSS record carries in `clientReferenceInformation.comments`, if any. */
export const tagOf = (details: Wire.TransactionDetails): string | undefined => {
  const comments = details.clientReferenceInformation?.comments
  return comments?.startsWith(COMMENTS_PREFIX) ? comments.slice(COMMENTS_PREFIX.length) : undefined
}

/** `IdempotencyConflict`: the key was used for a different request. */
export const conflict = (operation: string, key: string) =>
  new IdempotencyConflict({ provider: PROVIDER, operation, idempotencyKey: key })

/**
 * The `clientReferenceInformation` of a request made under a key: its merchant reference, the
 * key's tag as `transactionId` (CyberSource refuses a repeated one, so the request cannot apply
 * twice) and as `comments` (TSS details echo it, so the key's transaction can be found).
 */
export const clientReference = (tag: string, code?: string | undefined) => ({
  ...(code === undefined ? {} : { code }),
  transactionId: tag,
  comments: commentsFor(tag)
})
