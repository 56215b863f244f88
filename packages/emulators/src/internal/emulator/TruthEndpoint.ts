/**
 * The emulators' HTTP truth endpoint: what money moved per merchant reference, readable by a
 * process other than the emulator's (a test driving the `payport-emulator` command).
 *
 * `GET /__payport/truth?reference=REF` on the emulator's own port answers one `Answer`;
 * `GET /__payport/truth` answers a `Summary`: the same totals over every attempt the emulator
 * holds, and one entry per reference. The reference is what the merchant names a payment by:
 * Cashfree's `order_id`, CyberSource's `clientReferenceInformation.code`. An unknown reference answers zeros, not 404, so "nothing was
 * charged" reads the same as for a reference that was never sent.
 *
 * The answer is the same shape for every provider:
 *
 * - `charges`: attempts the issuer approved (a sale or an authorisation), whatever happened to
 *   them afterwards; more than 1 means the customer was charged twice.
 * - `captures` / `captured`: captures in force and their sum. A sale counts as one capture; each
 *   capture of an authorisation counts one; voided or reversed ones count nothing.
 * - `refunds` / `refunded`: refunds in force (accepted, pending or settled; not cancelled, failed
 *   or voided) and their sum.
 * - `payments`: one record per attempt, oldest first.
 *
 * Amounts are JSON integers in the currency's minor unit (paise, cents), the unit of the in-process
 * truth API; never floats or decimal text. `currency` is the payments' currency, `null` when the
 * reference has none; when one reference's payments use several currencies (possible at
 * CyberSource) `currency`, `captured` and `refunded` are `null` and the sums are only per attempt.
 *
 * What is deliberately absent: card numbers (not even masked), CVVs, cryptograms, tokens, payer
 * page links, credentials. The records are built field by field from numbers and statuses, so
 * nothing the provider stored can leak through.
 *
 * The server answers every path under `/__payport/` here, before the fault engine looks at the
 * request: no fault rule, whatever it matches, delays or breaks a truth read, and a read neither
 * draws from the fault generator nor uses up a rule's `times`. No credentials are needed (the
 * emulator listens on loopback by default and the answer holds no secret), and reading changes
 * nothing: it does not advance the emulator's clock-driven state or emit webhooks.
 *
 * Provider-neutral: the Cashfree and CyberSource emulators each supply a `Source`.
 */
import * as Http from "./Http.js"

/** Every path under this prefix belongs to the emulator itself, not to the provider it emulates. */
export const PREFIX = "/__payport"

/** The truth endpoint's path. */
export const PATH = `${PREFIX}/truth`

/** One payment attempt as the endpoint reports it; amounts in minor units of `currency`. */
export type Attempt = {
  /** The provider's payment id (Cashfree `cf_payment_id` as text, CyberSource payment id). */
  readonly id: string
  /** The provider's current status of the attempt (`SUCCESS`, `VOID`, `AUTHORIZED`, `REVERSED`, …). */
  readonly status: string
  /** A sale captures at once; an authorisation holds the money for a later capture. */
  readonly kind: "sale" | "authorization"
  /** Whether the issuer approved it (funds held or moved), whatever happened afterwards. */
  readonly approved: boolean
  readonly currency: string
  /** The amount asked for. */
  readonly amount: number
  /** The amount approved (less than `amount` for a partial approval; 0 when not approved). */
  readonly authorized: number
  readonly captures: number
  readonly captured: number
  readonly refunds: number
  readonly refunded: number
}

/** What moved over a set of attempts. */
export type Totals = {
  /** The attempts' currency; `null` when there are none, or several (then the sums are `null`). */
  readonly currency: string | null
  /** Attempts the issuer approved. */
  readonly charges: number
  readonly captures: number
  readonly captured: number | null
  readonly refunds: number
  readonly refunded: number | null
}

/** The totals of one reference and its attempts. */
export type Entry = { readonly reference: string } & Totals & { readonly payments: ReadonlyArray<Attempt> }

/** The answer to `GET /__payport/truth?reference=REF`. */
export type Answer = { readonly provider: string } & Entry

/**
 * The answer to `GET /__payport/truth`: the totals over every attempt the emulator holds (with or
 * without a reference), and every reference in the order the emulator first saw it.
 */
export type Summary = { readonly provider: string } & Totals & { readonly references: ReadonlyArray<Entry> }

/** What an emulator tells the endpoint. */
export interface Source {
  /** `cashfree`, `cybersource`. */
  readonly provider: string
  /** Every reference the emulator knows, in the order it first saw each. */
  readonly references: () => ReadonlyArray<string>
  /**
   * The attempts made under `reference`, oldest first; empty for an unknown reference. Without a
   * reference: every attempt, including any made without one.
   */
  readonly attempts: (reference?: string) => ReadonlyArray<Attempt>
}

/** Whether `path` belongs to the emulator itself (the server then bypasses faults and the provider). */
export const owns = (path: string): boolean => path === PREFIX || path.startsWith(`${PREFIX}/`)

const sum = (attempts: ReadonlyArray<Attempt>, field: "captures" | "captured" | "refunds" | "refunded"): number =>
  attempts.reduce((total, attempt) => total + attempt[field], 0)

/** What moved over `attempts`; amounts are summed only within one currency. */
export const totals = (attempts: ReadonlyArray<Attempt>): Totals => {
  const currencies = new Set(attempts.map((p) => p.currency))
  const [only] = currencies
  const single = currencies.size === 1 && only !== undefined
  const none = currencies.size === 0
  return {
    currency: single ? only : null,
    charges: attempts.filter((p) => p.approved).length,
    captures: sum(attempts, "captures"),
    captured: single ? sum(attempts, "captured") : none ? 0 : null,
    refunds: sum(attempts, "refunds"),
    refunded: single ? sum(attempts, "refunded") : none ? 0 : null
  }
}

/** The totals of `reference`, with its attempts. */
export const entry = (source: Source, reference: string): Entry => {
  const payments = source.attempts(reference)
  return { reference, ...totals(payments), payments }
}

/** The answer for one reference. */
export const answer = (source: Source, reference: string): Answer => ({
  provider: source.provider,
  ...entry(source, reference)
})

/** The answer over every attempt and every reference. */
export const summary = (source: Source): Summary => ({
  provider: source.provider,
  ...totals(source.attempts()),
  references: source.references().map((reference) => entry(source, reference))
})

const noStore = { "cache-control": "no-store" }

const problem = (status: number, message: string, headers: Readonly<Record<string, string>> = {}): Http.Reply =>
  Http.json(status, { error: message }, { ...noStore, ...headers })

/**
 * Answers a request whose path `owns` accepts: `GET /__payport/truth` with or without
 * `reference`; 405 for another method there, 400 for an empty `reference`, 404 for any other path
 * under the prefix. Errors are `{"error": "…"}`.
 */
export const handle = (source: Source, request: Http.Request): Http.Reply => {
  if (request.path !== PATH) return problem(404, `no such emulator endpoint; the truth endpoint is GET ${PATH}`)
  if (request.method !== "GET") return problem(405, `${PATH} answers GET only`, { allow: "GET" })
  const reference = request.query.get("reference")
  if (reference === null) return Http.json(200, summary(source), noStore)
  if (reference === "") return problem(400, "reference must not be empty")
  return Http.json(200, answer(source, reference), noStore)
}
