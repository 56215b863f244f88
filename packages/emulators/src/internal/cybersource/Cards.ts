/**
 * Card facts the emulator needs: brand → CyberSource card type code, Luhn, expiry, masking, and
 * the default decline triggers.
 */
import { luhnCheckDigit } from "../../Prng.js"
import type { Trigger } from "./Env.js"

/** Leading digits → CyberSource `card.type` code (providers/cybersource.md §2), first match wins. */
const brandTable: ReadonlyArray<readonly [RegExp, string]> = [
  [/^4/, "001"],
  [/^(5[1-5]|2[2-7])/, "002"],
  [/^3[47]/, "003"],
  [/^(6011|64[4-9]|65)/, "004"],
  [/^3(0[0-5]|[689])/, "005"],
  [/^35/, "007"],
  [/^62/, "062"],
  [/^(60|81|82|508)/, "061"],
  [/^(50|5[6-9]|6)/, "042"]
]

/** The CyberSource type code for a card number, if its brand is recognised. */
export const typeOf = (number: string): string | undefined => brandTable.find(([prefix]) => prefix.test(number))?.[1]

/** Whether `number` is 12–19 digits passing the Luhn check. */
export const isValidNumber = (number: string): boolean =>
  /^\d{12,19}$/.test(number) && luhnCheckDigit(number.slice(0, -1)) === number.slice(-1)

/** Whether the card's expiry month has ended before `now`. */
export const isExpired = (month: string, year: string, now: number): boolean => {
  const m = Number(month)
  const y = Number(year.length === 2 ? `20${year}` : year)
  if (!Number.isInteger(m) || !Number.isInteger(y)) return false
  const date = new Date(now)
  const current = date.getUTCFullYear() * 12 + date.getUTCMonth() + 1
  return y * 12 + m < current
}

/** Two-digit month text (`9` → `"09"`). */
export const month = (value: string): string => value.padStart(2, "0")

/** TMS masking of a PAN: first six, `X`s, last four (`411111XXXXXX1111`). */
export const mask = (number: string): string =>
  `${number.slice(0, 6)}${"X".repeat(Math.max(0, number.length - 10))}${number.slice(-4)}`

/**
 * Cards that force an outcome. `42423482938483873` is the documented sandbox decline
 * (providers/cybersource.md §6); the rest mirror testkit's `TestData.decliningCards` and
 * `TestData.threeDsCard` so one set of magic numbers works across every provider Payport tests.
 */
export const defaultCardTriggers: { readonly [number: string]: Trigger } = {
  "42423482938483873": { status: "DECLINED", reason: "INVALID_ACCOUNT", message: "Decline - Invalid account number" },
  "4000000000000002": {
    status: "DECLINED",
    reason: "GENERAL_DECLINE",
    message: "Decline - General decline of the card. No other information provided by the issuing bank."
  },
  "4000000000009995": {
    status: "DECLINED",
    reason: "INSUFFICIENT_FUND",
    message: "Decline - Insufficient funds in the account."
  },
  "4000000000000069": { status: "DECLINED", reason: "EXPIRED_CARD", message: "Decline - Expired card." },
  "4000000000000127": {
    status: "DECLINED",
    reason: "INVALID_CVN",
    message: "Decline - Invalid Card Verification Number (CVN)."
  },
  "4000000000009987": { status: "DECLINED", reason: "STOLEN_LOST_CARD", message: "Decline - Stolen or lost card." },
  "4100000000000019": {
    status: "DECLINED",
    reason: "DECISION_PROFILE_REJECT",
    message: "Decline - The order has been rejected by Decision Manager."
  },
  "4000000000000119": {
    status: "DECLINED",
    reason: "PROCESSOR_DECLINED",
    message: "Decline - General decline by the processor."
  },
  "4000000000003220": {
    status: "PENDING_AUTHENTICATION",
    reason: "CONSUMER_AUTHENTICATION_REQUIRED",
    message:
      "The cardholder is enrolled in Payer Authentication. Please authenticate the cardholder before continuing with the transaction."
  }
}

/**
 * What CyberSource's Payer Authentication sandbox does with a card (3-D Secure 2.2.0 test cases,
 * "Testing Payer Authentication › Test Cases for 3-D Secure 2.x" in the Payer Authentication REST
 * developer guide, developer.cybersource.com/docs/cybs/en-us/payer-authentication/developer/all/
 * rest/payer-auth/pa-testing-intro/pa-testing-3ds-2x-intro/):
 *
 * - `frictionless` (2.1): enrolled, authenticated without a challenge (PARes `Y`).
 * - `frictionlessFailed` (2.2): enrolled, refused without a challenge (PARes `N`).
 * - `attempted` (2.3): enrolled, issuer stand-in (PARes `A`, attempts ECI).
 * - `unavailable` (2.6): authentication not available when checking enrollment (VERes `U`,
 *   directory server error 101); the merchant may authorize without liability shift.
 * - `challenge` (2.9): enrolled, step-up; validation after a passed challenge gives PARes `Y`.
 * - `challengeFailed` (2.10): step-up; validation gives PARes `N`.
 * - `challengeUnavailable` (2.11): step-up; validation gives PARes `U` (no liability shift).
 */
export type ThreeDsScenario =
  | "frictionless"
  | "frictionlessFailed"
  | "attempted"
  | "unavailable"
  | "challenge"
  | "challengeFailed"
  | "challengeUnavailable"

/**
 * The documented 3-D Secure 2.2.0 Visa and Mastercard test cards, by outcome (see
 * `ThreeDsScenario` for the source). Cards not listed are treated as not able to authenticate
 * (VERes `U`) and need no authentication to be authorized.
 */
export const threeDsTestCards: { readonly [number: string]: ThreeDsScenario } = {
  "4000000000002701": "frictionless",
  "5200000000002235": "frictionless",
  "4000000000002925": "frictionlessFailed",
  "5200000000002276": "frictionlessFailed",
  "4000000000002719": "attempted",
  "5200000000002482": "attempted",
  "4000000000002990": "unavailable",
  "5200000000002409": "unavailable",
  "4000000000002503": "challenge",
  "5200000000002151": "challenge",
  "4000000000002370": "challengeFailed",
  "5200000000002490": "challengeFailed",
  "4000000000002420": "challengeUnavailable",
  "5200000000002664": "challengeUnavailable"
}
