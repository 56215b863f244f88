/**
 * The mapping tables are total over every value the documents list: the swagger's "Possible
 * values" (read from the spec file itself), providers/cybersource.md §2–§3, and the TMS error
 * examples. Each documented HTTP error becomes the right typed error.
 */
import { readFileSync } from "node:fs"
import { DeclineCode } from "@payport/core/PaymentError"
import { assert, describe, it } from "@effect/vitest"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { type Call, errorFor } from "../src/CyberSourceClient.js"
import * as Mapping from "../src/internal/mapping.js"
import { spec } from "./support/Swagger.js"

interface Node {
  readonly description?: string
  readonly properties?: Record<string, Node>
}

/** Every "Possible values: - A - B" list in the PTS responses of the swagger, by field. */
const possibleValues = (field: "status" | "reason"): ReadonlySet<string> => {
  const values = new Set<string>()
  const paths = spec().paths as unknown as Record<
    string,
    Record<string, { responses?: Record<string, { schema?: Node }> }>
  >
  for (const [path, ops] of Object.entries(paths)) {
    if (!path.startsWith("/pts/v2/")) continue
    for (const op of Object.values(ops)) {
      for (const response of Object.values(op.responses ?? {})) {
        const schema = response.schema
        const nodes = [schema?.properties?.[field], schema?.properties?.errorInformation?.properties?.[field]]
        for (const node of nodes) {
          const text = node?.description ?? ""
          const at = text.indexOf("Possible values")
          if (at < 0) continue
          for (const m of text.slice(at).matchAll(/-\s+([A-Z][A-Z_]+)/g)) if (m[1] !== undefined) values.add(m[1])
        }
      }
    }
  }
  return values
}

/** `CONSUMER_AUTHENTICATION_REQUIRED/FAILED` → both full names. */
const expandSlashes = (text: string) => text.replace(/\b([A-Z_]+)_([A-Z]+)\/([A-Z]+)\b/g, "$1_$2 $1_$3")
const md = readFileSync(`${process.env.PAYPORT_SHARED_DIR}/providers/cybersource.md`, "utf8")
const section = (from: string, to: string) => md.slice(md.indexOf(from), md.indexOf(to, md.indexOf(from)))
const upperWords = (text: string) =>
  new Set([...expandSlashes(text).matchAll(/\b([A-Z][A-Z_]{2,}[A-Z])\b/g)].map((m) => m[1] ?? ""))

describe("mapping tables are total over the documents", () => {
  it("every documented transaction status has a meaning", () => {
    const swagger = possibleValues("status")
    assert.isAbove(swagger.size, 8)
    // cybersource.md §2 adds CANCELLED, FAILED (voids), DECLINED, INVALID_REQUEST (refunds); §9 hyperswitch's statuses
    const doc = [
      "CANCELLED",
      "FAILED",
      "SUCCEEDED",
      "TRANSMITTED",
      "ACCEPTED",
      "CHALLENGE",
      "STATUS_NOT_RECEIVED",
      "REJECTED",
      "SERVER_ERROR",
      "PENDING_REVIEW"
    ]
    for (const status of [...swagger, ...doc]) {
      if (status === "INVALID_REQUEST" || status === "SERVER_ERROR") continue
      assert.isDefined(Mapping.statusClass(status), status)
    }
    for (const status of swagger)
      assert.isTrue(Object.hasOwn(Mapping.transactionStatuses, status) || status === "SERVER_ERROR", status)
  })

  it("every documented 201 decline reason maps to a core DeclineCode", () => {
    const swagger = [...possibleValues("reason")].filter(
      (r) =>
        // the 201 list: the reasons that are not 400/502 reasons
        !Object.hasOwn(Mapping.invalidRequestReasons, r) && !Object.hasOwn(Mapping.serverErrorReasons, r)
    )
    const doc = [...upperWords(section("**201 DECLINED**", "AVS_FAILED/CONTACT_PROCESSOR arrive"))].filter(
      (w) => !["DECLINED", "NODE", "AUTHORIZED_PENDING_REVIEW"].includes(w)
    )
    const watchlists = [
      "CUSTOMER_WATCHLIST_MATCH",
      "ADDRESS_COUNTRY_WATCHLIST_MATCH",
      "EMAIL_COUNTRY_WATCHLIST_MATCH",
      "IP_COUNTRY_WATCHLIST_MATCH"
    ]
    const all = new Set([...swagger, ...doc, ...watchlists])
    assert.isAbove(all.size, 30)
    for (const reason of all) {
      if (reason.endsWith("_MATCH") && reason.startsWith("WATCHLIST")) continue
      assert.isTrue(Object.hasOwn(Mapping.declineReasons, reason), `decline reason ${reason} is not mapped`)
      assert.isTrue(Schema.is(DeclineCode)(Mapping.declineCode(reason)))
    }
    assert.strictEqual(Mapping.declineCode("INVALID_ACCOUNT"), "invalid_account")
    assert.strictEqual(Mapping.declineCode("INSUFFICIENT_FUND"), "insufficient_funds")
    assert.strictEqual(Mapping.declineCode("SOMETHING_NEW"), "generic_decline")
  })

  it("every documented 400 reason of payments, captures, reversals, voids and refunds has a rejection", () => {
    const doc = [...upperWords(section("- **PTS 400**", "Live messages"))].filter(
      (w) => !["PTS", "INVALID_REQUEST", "NODE"].includes(w)
    )
    const swagger = [...possibleValues("reason")].filter(
      (r) => !Object.hasOwn(Mapping.declineReasons, r) && !Object.hasOwn(Mapping.serverErrorReasons, r)
    )
    for (const reason of new Set([...doc, ...swagger])) {
      assert.isTrue(Object.hasOwn(Mapping.invalidRequestReasons, reason), `400 reason ${reason} is not mapped`)
    }
    for (const reason of ["EXCEEDS_AUTH_AMOUNT", "NOT_VOIDABLE", "AUTH_ALREADY_REVERSED"]) {
      assert.strictEqual(Mapping.rejection(reason)._tag, "InvalidState", reason)
    }
  })

  it("every documented 502 reason is ambiguous", () => {
    for (const reason of ["SYSTEM_ERROR", "SERVER_TIMEOUT", "SERVICE_TIMEOUT"]) {
      assert.strictEqual(Mapping.serverErrorReasons[reason as keyof typeof Mapping.serverErrorReasons], "ambiguous")
    }
  })

  it("every TMS error type in the swagger examples is mapped", () => {
    const types = new Set<string>()
    const paths = spec().paths as unknown as Record<
      string,
      Record<
        string,
        { responses?: Record<string, { examples?: Record<string, { errors?: ReadonlyArray<{ type: string }> }> }> }
      >
    >
    for (const [path, ops] of Object.entries(paths)) {
      if (!path.startsWith("/tms")) continue
      for (const op of Object.values(ops))
        for (const r of Object.values(op.responses ?? {}))
          for (const ex of Object.values(r.examples ?? {})) for (const e of ex.errors ?? []) types.add(e.type)
    }
    assert.isAbove(types.size, 5)
    for (const type of types) assert.isTrue(Object.hasOwn(Mapping.tmsErrorTypes, type), type)
  })
})

const call = (overrides?: Partial<Call>): Call => ({
  operation: "Test.op",
  method: "GET",
  path: "/x",
  api: "tms",
  mutating: false,
  resource: "instrument",
  resourceId: "PI1",
  ...overrides
})
const response = (status: number, body: unknown, headers: Record<string, string> = {}) => {
  const text = typeof body === "string" ? body : JSON.stringify(body)
  return {
    status,
    headers,
    text,
    json: Option.liftThrowable(JSON.parse)(text) as Option.Option<unknown>,
    requestId: "corr"
  }
}
const tms = (type: string, message: string) => ({ errors: [{ type, message }] })

describe("documented error bodies become typed errors", () => {
  const cases: ReadonlyArray<readonly [string, number, unknown, string, Partial<Call>?]> = [
    ["TMS 400 invalidRequest", 400, tms("invalidRequest", "Invalid HTTP Body"), "InvalidRequest"],
    ["TMS 403", 403, tms("403ForbiddenResponse", "Request not permitted"), "Unauthenticated"],
    ["TMS 404", 404, tms("notFound", "Token not found"), "NotFound"],
    [
      "TMS 409 (token linked)",
      409,
      { errors: [{ type: "conflict", message: "Conflict. The token is linked to a Payment Instrument." }] },
      "InvalidState"
    ],
    ["TMS 410", 410, tms("notAvailable", "Token not available."), "NotFound"],
    [
      "TMS 412 stale ETag",
      412,
      tms("conflict", "Action cannot be performed as the if-match header value does not match the token etag"),
      "PreconditionFailed"
    ],
    ["TMS 424 profile", 424, tms("notFound", "Profile not found"), "ConfigurationError"],
    ["TMS 500 read", 500, tms("serverError", "Internal server error"), "ProviderUnavailable"],
    ["TMS 500 mutation", 500, tms("serverError", "Internal server error"), "OutcomeUnknown", { mutating: true }],
    ["401 rmsg", 401, { response: { rmsg: "Authentication Failed" } }, "Unauthenticated"],
    ["front-door 400 rmsg", 400, { response: { rmsg: "Bad Request" } }, "InvalidRequest"],
    [
      "PTS 404 trailing space",
      404,
      { status: "404", errorInformation: { reason: "NOT_FOUND ", message: "The requested resource does not exist." } },
      "NotFound",
      { api: "pts" }
    ],
    [
      "PTS 400 EXCEEDS_AUTH_AMOUNT",
      400,
      { status: "INVALID_REQUEST", reason: "EXCEEDS_AUTH_AMOUNT", message: "x" },
      "InvalidState",
      { api: "pts", mutating: true }
    ],
    [
      "PTS 400 NOT_VOIDABLE",
      400,
      { status: "INVALID_REQUEST", reason: "NOT_VOIDABLE" },
      "InvalidState",
      { api: "pts", mutating: true }
    ],
    [
      "PTS 400 AUTH_ALREADY_REVERSED",
      400,
      { status: "INVALID_REQUEST", reason: "AUTH_ALREADY_REVERSED" },
      "InvalidState",
      { api: "pts", mutating: true }
    ],
    [
      "PTS 400 INVALID_CARD",
      400,
      { status: "INVALID_REQUEST", reason: "INVALID_CARD" },
      "PaymentDeclined",
      { api: "pts", mutating: true }
    ],
    [
      "PTS 400 PROCESSOR_UNAVAILABLE",
      400,
      { status: "INVALID_REQUEST", reason: "PROCESSOR_UNAVAILABLE" },
      "ProviderUnavailable",
      { api: "pts", mutating: true }
    ],
    [
      "PTS 400 MISSING_FIELD",
      400,
      {
        status: "INVALID_REQUEST",
        reason: "MISSING_FIELD",
        details: [{ field: "orderInformation.amountDetails.totalAmount", reason: "MISSING_FIELD" }]
      },
      "InvalidRequest",
      { api: "pts" }
    ],
    [
      "PTS 502 SERVER_TIMEOUT mutation",
      502,
      { status: "SERVER_ERROR", reason: "SERVER_TIMEOUT", message: "x" },
      "OutcomeUnknown",
      { api: "pts", mutating: true }
    ],
    [
      "PTS 502 SERVICE_TIMEOUT read",
      502,
      { status: "SERVER_ERROR", reason: "SERVICE_TIMEOUT" },
      "ProviderUnavailable",
      { api: "tss" }
    ],
    ["429", 429, "", "RateLimited"],
    ["unparseable 503", 503, "<html>gateway</html>", "ProviderUnavailable"]
  ]
  for (const [name, status, body, tag, overrides] of cases) {
    it(`${name} → ${tag}`, () => {
      const error = errorFor(call(overrides), response(status, body, { "retry-after": "2" }))
      assert.strictEqual(error._tag, tag)
      assert.strictEqual(error.httpStatus, status)
      assert.strictEqual(error.provider, "cybersource")
      assert.strictEqual(error.requestId, "corr")
      if (error._tag === "RateLimited") assert.strictEqual(error.retryAfterMillis, 2000)
      if (error._tag === "PaymentDeclined") assert.strictEqual(error.decline.code, "invalid_number")
    })
  }
})
