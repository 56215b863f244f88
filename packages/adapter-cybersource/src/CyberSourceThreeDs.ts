/**
 * The `ThreeDsAuthentication` port on CyberSource: completes a card payment that waits in
 * `RequiresAction(ThreeDs)` after the payer's step-up, with CyberSource Payer Authentication's
 * validation inside the final authorization (`VALIDATE_CONSUMER_AUTHENTICATION`).
 *
 * Payments ask for 3-D Secure when the client runs payer authentication
 * (`CyberSourceClient.Options.payerAuthentication`). The completion may run in any process: it
 * reads what it needs back from CyberSource (the card's TMS token, the authentication id, the
 * amount and capture mode) and keeps nothing between `create` and `complete`. The payment keeps
 * the ref `create` returned; `Payments.get`, captures, voids and refunds of that ref act on the
 * final authorization. At most one final authorization is made per payment, whatever the key and
 * however many processes complete it.
 *
 * @since 0.1.0
 */
import * as HttpPolicy from "@payport/core/HttpPolicy"
import * as ThreeDsAuthentication from "@payport/core/ThreeDsAuthentication"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { CyberSourceClient, PROVIDER } from "./CyberSourceClient.js"
import { completeOnce } from "./internal/completion.js"

/**
 * The `ThreeDsAuthentication` service over the `CyberSourceClient`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<ThreeDsAuthentication.ThreeDsAuthentication.Service, never, CyberSourceClient> =
  Effect.map(CyberSourceClient, (client) => {
    // The completion spans several requests (reads, the authorization, a reconcile): one deadline for all.
    const once = HttpPolicy.withOperationDeadline(client.timing.deadline)
    return ThreeDsAuthentication.make({
      provider: PROVIDER,
      complete: (request) => once(completeOnce(client, request))
    })
  })

/**
 * The `ThreeDsAuthentication` port; requires the `CyberSourceClient`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<ThreeDsAuthentication.ThreeDsAuthentication, never, CyberSourceClient> = Layer.effect(
  ThreeDsAuthentication.ThreeDsAuthentication,
  make
)
