/**
 * What the processor (acquirer, card network, issuer or bank) said about a payment: the
 * identifiers that reconciliation, disputes and merchant-initiated follow-ups need, the
 * processor's own response, and the address and security-code checks.
 *
 * Every field is optional: each provider returns a different subset, and only when its processor
 * sends it. Codes stay as the provider wrote them (processors differ, and a dispute quotes the
 * exact value); the AVS and CVV checks add a neutral reading where the provider documents the code.
 * Nothing secret is kept here: no card number, security code, cryptogram or token.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { constructorCheck } from "./internal/construct.js"

/**
 * The neutral reading of an address (AVS) or security-code (CVV/CVN) check:
 * - `match`: everything that was checked matched;
 * - `partial`: some of it matched (AVS: the postal code but not the street, or the reverse);
 * - `no_match`: it was checked and did not match, or the issuer flagged it as suspicious;
 * - `unavailable`: no result: the issuer or processor does not support the check, could not be
 *   reached, or had no data to check.
 *
 * @since 0.1.0
 * @category models
 */
export const VerificationResult = Schema.Literal("match", "partial", "no_match", "unavailable")
/**
 * @since 0.1.0
 * @category models
 */
export type VerificationResult = typeof VerificationResult.Type

/**
 * The result of one verification (AVS or CVV).
 *
 * @since 0.1.0
 * @category models
 */
export class Verification extends Schema.Class<Verification>("@payport/core/Verification")({
  /** The provider's result code, as sent (e.g. CyberSource's AVS `Y`, CVN `M`). */
  code: Schema.String,
  /** The processor's raw code, when the provider passes it on beside its own; for diagnosis only. */
  raw: Schema.optional(Schema.String),
  /** The neutral reading of `code`; absent when the provider's documents do not list the code. */
  result: Schema.optional(VerificationResult)
}) {}

const processorFields = {
  /** The processor or gateway that handled the payment (e.g. `vdcpaymentech`, `CASHFREE`). */
  name: Schema.optional(Schema.String),
  /** The issuer's approval (authorization) code. */
  approvalCode: Schema.optional(Schema.String),
  /**
   * The card network's transaction id (Visa TID, Mastercard trace id): the reference that
   * merchant-initiated follow-ups of a stored credential carry.
   */
  networkTransactionId: Schema.optional(Schema.String),
  /** The processor's or gateway's own id of the transaction, when it differs from the provider's. */
  transactionId: Schema.optional(Schema.String),
  /** The retrieval reference number (RRN), or the bank's reference for UPI, netbanking and wallets. */
  retrievalReference: Schema.optional(Schema.String),
  /** The processor's response code, as sent (an ISO 8583 code such as `00`, or the processor's own). */
  responseCode: Schema.optional(Schema.String),
  /** The processor's response text, as sent. */
  responseMessage: Schema.optional(Schema.String),
  /** When the processor finished the payment attempt (approved or declined it). */
  completedAt: Schema.optional(Schema.DateTimeUtc),
  /** The address verification (AVS) result. */
  avs: Schema.optional(Verification),
  /** The security-code (CVV/CVC/CVN) check result. */
  cvv: Schema.optional(Verification)
}

const checkProcessor = constructorCheck(processorFields)

type Props = Schema.Struct.Constructor<typeof processorFields>

/**
 * The processor's details of a payment. See the module documentation.
 *
 * @since 0.1.0
 * @category models
 */
export class Processor extends Schema.Class<Processor>("@payport/core/Processor")(processorFields) {
  constructor(props: Schema.Struct.Constructor<typeof processorFields>, options?: Schema.MakeOptions) {
    super(checkProcessor(props, options), true)
  }
}

/**
 * The fields of a `Processor`, each of which may be missing or blank.
 *
 * @since 0.1.0
 * @category constructors
 */
export type Parts = {
  readonly [K in keyof Props]?: Props[K] | undefined
}

const keys = Object.keys(processorFields) as ReadonlyArray<keyof Parts>

const present = (value: unknown): boolean =>
  value !== undefined && !(typeof value === "string" && value.trim().length === 0)

/**
 * A `Processor` from the fields a provider returned, leaving out missing and blank ones (providers
 * send `""` for "no value"); `undefined` when nothing is left.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromParts = (parts: Parts): Processor | undefined => {
  const kept: Record<string, unknown> = {}
  for (const key of keys) if (present(parts[key])) kept[key] = parts[key]
  return Object.keys(kept).length === 0 ? undefined : Processor.make(kept as Props)
}

/**
 * A verification result from a provider's code, its raw counterpart and the provider's table of
 * neutral readings; `undefined` when there is no code.
 *
 * @since 0.1.0
 * @category constructors
 */
export const verification = (
  code: string | undefined,
  raw: string | undefined,
  readings: { readonly [code: string]: VerificationResult }
): Verification | undefined => {
  const trimmed = code?.trim()
  if (trimmed === undefined || trimmed.length === 0) return undefined
  const result = Object.hasOwn(readings, trimmed.toUpperCase()) ? readings[trimmed.toUpperCase()] : undefined
  const rawCode = raw?.trim()
  return Verification.make({
    code: trimmed,
    ...(rawCode === undefined || rawCode.length === 0 ? {} : { raw: rawCode }),
    ...(result === undefined ? {} : { result })
  })
}

/**
 * Merges two observations of the same payment's processor details: each field of `preferred`
 * wins where it is present, and `other` fills the rest, so an observation that lacks the details
 * (a webhook, a follow-on's answer) never erases what an earlier one carried.
 *
 * @since 0.1.0
 * @category combinators
 */
export const merge = (other: Processor | undefined, preferred: Processor | undefined): Processor | undefined => {
  if (other === undefined) return preferred
  if (preferred === undefined) return other
  const parts: Record<string, unknown> = {}
  for (const key of keys) {
    const value = preferred[key] ?? other[key]
    if (value !== undefined) parts[key] = value
  }
  return Processor.make(parts as Props)
}
