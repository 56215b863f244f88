/**
 * Saved payment instruments (Cashfree token vault, CyberSource customer payment instruments)
 * and the network-token cryptograms fetched for them.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { CustomerId, InstrumentId } from "./Ids.js"
import { CardExpiry } from "./PaymentMethod.js"
import { constructorCheck } from "./internal/construct.js"

/**
 * @since 0.1.0
 * @category models
 */
export const InstrumentStatus = Schema.Literal("Active", "Inactive", "Closed")
/**
 * @since 0.1.0
 * @category models
 */
export type InstrumentStatus = typeof InstrumentStatus.Type

/**
 * Network-token details of a saved card, when the provider tokenised it.
 *
 * @since 0.1.0
 * @category models
 */
export class TokenDetails extends Schema.Class<TokenDetails>("@payport/core/TokenDetails")({
  /** Payment Account Reference: stable across tokens of the same card. */
  par: Schema.optional(Schema.String),
  status: Schema.optional(Schema.String),
  tokenReferenceId: Schema.optional(Schema.String)
}) {}

const instrumentFields = {
  id: InstrumentId,
  customerId: CustomerId,
  provider: Schema.String,
  kind: Schema.Literal("card", "bank_account", "upi", "other"),
  /** e.g. `•••• 1111`. */
  display: Schema.String,
  network: Schema.optional(Schema.String),
  issuer: Schema.optional(Schema.String),
  country: Schema.optional(Schema.String),
  cardType: Schema.optional(Schema.String),
  expiry: Schema.optional(CardExpiry),
  holder: Schema.optional(Schema.String),
  status: InstrumentStatus,
  isDefault: Schema.Boolean,
  tokenDetails: Schema.optional(TokenDetails),
  /** The version tag for optimistic concurrency (`VaultEnrollment.update`), where the provider has one. */
  etag: Schema.optional(Schema.String),
  meta: Schema.Record({ key: Schema.String, value: Schema.String })
}

const checkInstrument = constructorCheck(instrumentFields)

/**
 * A saved payment instrument. `display` is masked; the provider's extra fields are in `meta`.
 *
 * @since 0.1.0
 * @category models
 */
export class Instrument extends Schema.Class<Instrument>("@payport/core/Instrument")(instrumentFields) {
  constructor(props: Schema.Struct.Constructor<typeof instrumentFields>, options?: Schema.MakeOptions) {
    super(checkInstrument(props, options), true)
  }
}

/**
 * A network-token cryptogram for one payment with a saved card. The token PAN and cryptogram stay
 * `Redacted` and do not encode to text.
 *
 * @since 0.1.0
 * @category models
 */
export class Cryptogram extends Schema.Class<Cryptogram>("@payport/core/Cryptogram")({
  instrumentId: InstrumentId,
  tokenPan: Schema.RedactedFromSelf(Schema.String),
  expiry: CardExpiry,
  cryptogram: Schema.RedactedFromSelf(Schema.String),
  tokenRequestorId: Schema.optional(Schema.String),
  eci: Schema.optional(Schema.String)
}) {}
