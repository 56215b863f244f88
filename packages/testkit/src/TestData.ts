/**
 * The sandbox "magic values" the in-memory provider honours, mirrored from the providers' own
 * sandboxes so a test written against the in-memory provider reads the same as one written
 * against Cashfree or CyberSource: the same VPAs fail, the same OTP succeeds.
 *
 * Sources: `providers/cashfree.md` §5 (test cards, `…@gocash` VPAs, OTP `111000`, netbanking
 * `TESTR`/`3333`) and `providers/cybersource.md` §6 (card `42423482938483873` declines with
 * `INVALID_ACCOUNT`). Neither sandbox publishes a card per decline reason, so the remaining
 * declining cards are the widely used Luhn-valid `4000…` test numbers.
 *
 * @since 0.1.0
 */
import type { DeclineCode } from "@payport/core/PaymentError"

/**
 * Cards that succeed at once, without any action.
 *
 * @since 0.1.0
 * @category cards
 */
export const successCards = {
  visa: "4111111111111111",
  mastercard: "5105105105105100",
  visaCredit: "4576238912771450",
  rupay: "6074825972083818"
} as const

/**
 * A card that needs the issuer's OTP (Cashfree's Visa debit test card); the OTP is `OTP`.
 *
 * @since 0.1.0
 * @category cards
 */
export const otpCard = "4706131211212123"

/**
 * A card that needs a 3-D Secure step-up in the payer's browser.
 *
 * @since 0.1.0
 * @category cards
 */
export const threeDsCard = "4000000000003220"

/**
 * A card enrolled in 3-D Secure that the issuer authenticates without a challenge (frictionless):
 * it pays at once. The number is CyberSource's frictionless Visa test card.
 *
 * @since 0.1.0
 * @category cards
 */
export const threeDsFrictionlessCard = "4000000000002701"

/**
 * The OTP that completes an `Otp` action (Cashfree sandbox).
 *
 * @since 0.1.0
 * @category otp
 */
export const OTP = "111000"

/**
 * Cards that are declined synchronously, with the decline each one produces.
 *
 * @since 0.1.0
 * @category cards
 */
export const decliningCards: { readonly [number: string]: DeclineCode } = {
  // CyberSource sandbox: 201 DECLINED, reason INVALID_ACCOUNT.
  "42423482938483873": "invalid_account",
  "4000000000000002": "do_not_honor",
  "4000000000009995": "insufficient_funds",
  "4000000000000069": "expired_card",
  "4000000000000127": "incorrect_cvc",
  "4000000000009987": "lost_or_stolen",
  "4100000000000019": "suspected_fraud",
  "4000000000000119": "processor_declined"
}

/**
 * The UPI VPA that approves a collect request.
 *
 * @since 0.1.0
 * @category upi
 */
export const upiSuccessVpa = "testsuccess@gocash"

/**
 * UPI VPAs and the decline each produces. `testinvalid@gocash` is refused when the collect request
 * is made; the others fail when the collect request completes.
 *
 * @since 0.1.0
 * @category upi
 */
export const decliningVpas: { readonly [vpa: string]: DeclineCode } = {
  "testfailure@gocash": "processor_declined",
  "testinvalid@gocash": "invalid_account",
  "testdeclineuser@gocash": "user_cancelled",
  "testuserdropped@gocash": "user_cancelled",
  "testexpired@gocash": "upi_collect_expired",
  "testtimeoutbank@gocash": "issuer_unavailable",
  "testnetworkerror@gocash": "issuer_unavailable",
  "testinsufficientfunds@gocash": "insufficient_funds",
  "testbankdeclined@gocash": "do_not_honor",
  "testriskflagged@gocash": "risk_rejected",
  "testinvalidpin@gocash": "authentication_failed"
}

/**
 * VPAs refused when the collect request is made, rather than when it completes.
 *
 * @since 0.1.0
 * @category upi
 */
export const synchronouslyDecliningVpas: ReadonlySet<string> = new Set(["testinvalid@gocash"])

/**
 * The sandbox netbanking bank (Cashfree `TESTR`, code `3333`).
 *
 * @since 0.1.0
 * @category netbanking
 */
export const testBank = "TESTR"

/**
 * The phone Cashfree's sandbox uses for pay-later and cardless EMI.
 *
 * @since 0.1.0
 * @category wallets
 */
export const testPhone = "8714268343"

/**
 * A card expiry far enough ahead to be valid on any test clock.
 *
 * @since 0.1.0
 * @category cards
 */
export const expiry = { month: 12, year: 2031 } as const
