/**
 * The `VaultEnrollment` port on CyberSource TMS: create = instrument identifier (CyberSource
 * de-duplicates the card: 201 new, 200 existing) then a customer payment instrument; update =
 * PATCH with `if-match` (a stale ETag is `PreconditionFailed`); setDefault = PATCH `default: true`.
 *
 * @since 0.1.0
 */
import type * as Customer from "@payport/core/Customer"
import * as PaymentMethod from "@payport/core/PaymentMethod"
import * as VaultEnrollment from "@payport/core/VaultEnrollment"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import { type Call, CyberSourceClient, PROVIDER } from "./CyberSourceClient.js"
import { instrumentFrom } from "./CyberSourceVault.js"
import { instrumentIdentifier, instrumentsPath } from "./internal/instruments.js"
import * as Mapping from "./internal/mapping.js"
import { billToOf, pad2 } from "./internal/transactions.js"

const billTo = (address: Customer.Address | undefined, holder: string | undefined) => {
  if (address !== undefined) return billToOf(address)
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
        const digits = Redacted.value(PaymentMethod.normalizeNumber(input.card.number))
        const type = Mapping.cardTypeCodes[PaymentMethod.cardNetwork(digits)]
        const identifier = yield* instrumentIdentifier(client, input.card.number, operation)
        const bill = billTo(input.billing, input.card.holder)
        const call: Call = {
          operation,
          method: "POST",
          path: instrumentsPath(input.customerId),
          api: "tms",
          mutating: true,
          resource: "customer",
          resourceId: input.customerId,
          idempotencyKey: input.idempotencyKey,
          body: {
            ...(input.makeDefault === true ? { default: true } : {}),
            card: {
              expirationMonth: pad2(input.card.expiry.month),
              expirationYear: String(input.card.expiry.year),
              ...(type === undefined ? {} : { type })
            },
            ...(bill === undefined ? {} : { billTo: bill }),
            instrumentIdentifier: { id: identifier.id }
          }
        }
        return yield* client.execute(call, (response) =>
          instrumentFrom(
            call,
            response,
            input.customerId,
            `${"X".repeat(Math.max(0, digits.length - 4))}${digits.slice(-4)}`
          )
        )
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
              : { card: { expirationMonth: pad2(input.expiry.month), expirationYear: String(input.expiry.year) } }),
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
