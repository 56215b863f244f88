/**
 * The `VaultEnrollment` port on CyberSource: create = a zero-amount authorization that verifies the
 * card and creates its TMS tokens (`TOKEN_CREATE`: instrument identifier and customer payment
 * instrument) in one request, then the instrument read back; update = PATCH with `if-match` (a
 * stale ETag is `PreconditionFailed`); setDefault = PATCH `default: true`.
 *
 * @since 0.1.0
 */
import type * as Customer from "@payport/core/Customer"
import { OrderReference } from "@payport/core/Ids"
import * as Money from "@payport/core/Money"
import { ProviderResponseInvalid } from "@payport/core/PaymentError"
import type * as PaymentRequest from "@payport/core/PaymentRequest"
import * as VaultEnrollment from "@payport/core/VaultEnrollment"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { type Call, CyberSourceClient, PROVIDER } from "./CyberSourceClient.js"
import { instrumentFrom, readInstrument } from "./CyberSourceVault.js"
import { instrumentsPath } from "./internal/instruments.js"
import { keyTag } from "./internal/keys.js"
import * as Tx from "./internal/transactions.js"

const billTo = (address: Customer.Address | undefined, holder: string | undefined) => {
  if (address !== undefined) return Tx.billToOf(address)
  if (holder === undefined) return undefined
  const split = holder.lastIndexOf(" ")
  return split < 0
    ? { firstName: holder, lastName: holder }
    : { firstName: holder.slice(0, split), lastName: holder.slice(split + 1) }
}

/**
 * The `VaultEnrollment` service over the `CyberSourceClient`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<VaultEnrollment.VaultEnrollment.Service, never, CyberSourceClient> = Effect.gen(
  function* () {
    const client = yield* CyberSourceClient

    const create = (input: VaultEnrollment.Create) =>
      Effect.gen(function* () {
        const operation = "VaultEnrollment.create"
        const tag = yield* keyTag(input.idempotencyKey)
        // The card is verified and saved in one request: a zero-amount authorization with
        // `TOKEN_CREATE` (instrument identifier and customer payment instrument). A decline fails
        // `PaymentDeclined` and saves nothing; a repeat under the same key finds what it made.
        const verification: PaymentRequest.CreatePayment = {
          reference: OrderReference.make(`verify-${tag}`),
          amount: Money.unsafeMake(0, input.currency ?? "USD"),
          method: input.card,
          customer: { id: input.customerId },
          ...(input.billing === undefined ? {} : { billing: input.billing }),
          saveInstrument: true,
          captureMode: "manual",
          idempotencyKey: input.idempotencyKey
        }
        const verified = yield* Tx.createOnce(client, verification, operation)
        const instrumentId = verified.savedInstrumentId
        if (instrumentId === undefined) {
          return yield* new ProviderResponseInvalid({
            provider: PROVIDER,
            operation,
            reason: "the verification saved no payment instrument"
          })
        }
        const saved = yield* readInstrument(client, input.customerId, instrumentId, operation)
        return input.makeDefault === true && !saved.isDefault
          ? yield* patch({ customerId: input.customerId, instrumentId }, saved.etag, { default: true }, operation)
          : saved
      })

    const patch = (
      key: { readonly customerId: VaultEnrollment.Create["customerId"]; readonly instrumentId: string },
      etag: string | undefined,
      body: Record<string, unknown>,
      operation: string
    ) => {
      const call: Call = {
        operation,
        method: "PATCH",
        path: instrumentsPath(key.customerId, key.instrumentId),
        api: "tms",
        mutating: true,
        resource: "instrument",
        resourceId: key.instrumentId,
        body,
        ...(etag === undefined ? {} : { headers: { "if-match": etag } })
      }
      return client.execute(call, (response) => instrumentFrom(call, response, key.customerId))
    }

    return VaultEnrollment.make({
      provider: PROVIDER,
      create,
      update: (input) => {
        const bill = billTo(input.billing, input.holder)
        return patch(
          input,
          input.etag,
          {
            ...(input.expiry === undefined
              ? {}
              : { card: { expirationMonth: Tx.pad2(input.expiry.month), expirationYear: String(input.expiry.year) } }),
            ...(bill === undefined ? {} : { billTo: bill })
          },
          "VaultEnrollment.update"
        )
      },
      setDefault: (input) => patch(input, input.etag, { default: true }, "VaultEnrollment.setDefault")
    })
  }
)

/**
 * The `VaultEnrollment` port; requires the `CyberSourceClient`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<VaultEnrollment.VaultEnrollment, never, CyberSourceClient> = Layer.effect(
  VaultEnrollment.VaultEnrollment,
  make
)
