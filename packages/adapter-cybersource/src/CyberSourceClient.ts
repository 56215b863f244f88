/**
 * The CyberSource transport: base URL, HTTP Signature on every request, the documented headers,
 * the call policy (timeouts, bounded retries), and the translation of every failure into core's
 * error taxonomy.
 *
 * Provider-only operations are reachable through this tag: the `CyberSource` layer provides it
 * beside the ports (the `PgClient` pattern).
 *
 * @since 0.1.0
 */
import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as UrlParams from "@effect/platform/UrlParams"
import type * as Ambiguity from "@payport/core/Ambiguity"
import * as Crypto from "@payport/core/Crypto"
import * as HttpPolicy from "@payport/core/HttpPolicy"
import { ConfigurationError, type OperationError } from "@payport/core/PaymentError"
import * as Provider from "@payport/core/Provider"
import * as Redaction from "@payport/core/Redaction"
import * as Arr from "effect/Array"
import * as Clock from "effect/Clock"
import * as Config from "effect/Config"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import type * as Schema from "effect/Schema"
import * as Tracer from "effect/Tracer"
import * as HttpSignature from "./HttpSignature.js"
import * as Errors from "./internal/errors.js"
import * as Execution from "./internal/execution.js"

/**
 * The provider name on every ref and error.
 *
 * @since 0.1.0
 * @category constants
 */
export const PROVIDER: "cybersource" = Errors.PROVIDER

/**
 * Hosts per environment.
 *
 * @since 0.1.0
 * @category constants
 */
export const hosts = {
  sandbox: "apitest.cybersource.com",
  production: "api.cybersource.com"
} as const

/**
 * @since 0.1.0
 * @category models
 */
export type Environment = keyof typeof hosts

/**
 * Webhook verification settings: the shared key from `POST /kms/egress/v2/keys-sym` (base64) and,
 * when given, the `keyId` a signature must name.
 *
 * @since 0.1.0
 * @category models
 */
export interface WebhookOptions {
  readonly key: Redacted.Redacted<string>
  readonly keyId?: string | undefined
  /** Accepted clock difference for `t=` (default 300 s). */
  readonly toleranceSeconds?: number | undefined
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly merchantId: string
  /** The API key serial number (`keyid` in the signature). */
  readonly keyId: string
  /** The base64 shared secret. */
  readonly sharedSecret: Redacted.Redacted<string>
  /** Default `sandbox` (`apitest.cybersource.com`). */
  readonly environment?: Environment | undefined
  /** Overrides the URL (an emulator, a proxy). The signed host is then this URL's host. */
  readonly baseUrl?: string | undefined
  /** The host to sign (and send) when it differs from the URL's, as the SDK's `intermediateHost`. */
  readonly signedHost?: string | undefined
  /** TMS `profile-id` header. */
  readonly profileId?: string | undefined
  readonly timing?: Partial<HttpPolicy.Timing> | undefined
  readonly webhook?: WebhookOptions | undefined
  /**
   * Results per Transaction Search page (`limit`, 1–2000 as the search API allows; default 100).
   * Listing a reference's payments reads every page, whatever the size.
   */
  readonly searchPageSize?: number | undefined
  /**
   * Record a client span per HTTP request (`@effect/platform`'s: method, URL, every header with
   * secrets redacted). Off by default: each operation already has its port span (`Payments.create`
   * with provider, operation and request id), per-request spans add CPU to every call, and they
   * put order and customer ids from URLs into traces.
   */
  readonly httpSpans?: boolean | undefined
  /**
   * Run 3-D Secure (CyberSource Payer Authentication) with every card payment (`Card`,
   * `SavedCard`; a `NetworkToken` carries its own cryptogram and a merchant-initiated payment has
   * no payer to authenticate): the authorization asks for it (`CONSUMER_AUTHENTICATION`), and a
   * card whose issuer steps up answers `RequiresAction(ThreeDs)`, completed through
   * `ThreeDsAuthentication`. Off by default; `CYBERSOURCE_PAYER_AUTHENTICATION=true` in
   * `layerConfig`. Without it an enrolled card is declined `authentication_required`.
   */
  readonly payerAuthentication?: boolean | undefined
}

/**
 * Records an attribute on the current span, when there is one. Outside a span (no tracer
 * installed: the port adds none) `Effect.annotateCurrentSpan` would build and drop an exception
 * with its stack trace.
 */
const annotateSpan = (key: string, value: string): Effect.Effect<void> =>
  Effect.withFiberRuntime((fiber) => {
    const span = Context.getOption(fiber.currentContext, Tracer.ParentSpan)
    if (Option.isSome(span) && span.value._tag === "Span") span.value.attribute(key, value)
    return Effect.void
  })

/**
 * Which API family a call belongs to: it decides the content types and how error bodies read.
 *
 * @since 0.1.0
 * @category models
 */
export type Api = "pts" | "tss" | "tms"

/**
 * One provider call.
 *
 * @since 0.1.0
 * @category models
 */
export interface Call {
  /** The port operation, e.g. `Payments.create`, for spans and errors. */
  readonly operation: string
  readonly method: "GET" | "POST" | "PATCH" | "DELETE"
  /** Path with query string, e.g. `/tss/v2/transactions/123`. */
  readonly path: string
  readonly api: Api
  /** A JSON value, serialised once; its exact bytes are digested and sent. */
  readonly body?: unknown
  readonly headers?: Readonly<Record<string, string>>
  /** Whether the call changes state at CyberSource. */
  readonly mutating: boolean
  /** What a 404 is about, e.g. `payment`. */
  readonly resource: string
  readonly resourceId?: string
  readonly idempotencyKey?: string
}

/**
 * A response as received: status, lowercase headers, the body text and, when it parses, its JSON.
 *
 * @since 0.1.0
 * @category models
 */
export interface Response {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly text: string
  readonly json: Option.Option<unknown>
  readonly requestId?: string | undefined
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Service {
  readonly merchantId: string
  readonly baseUrl: string
  /** The host signed into every request. */
  readonly host: string
  readonly profileId: string | undefined
  readonly timing: HttpPolicy.Timing
  /** Results per Transaction Search page. */
  readonly searchPageSize: number
  /**
   * The transport enforces attempt deadlines itself (`HttpPolicy.enforcesDeadlines`, e.g.
   * `@payport/http-node`): timeouts around requests sent with `send` need no fiber of their own.
   */
  readonly transportDeadlines: boolean
  readonly webhook: WebhookOptions | undefined
  /** Whether card payments run payer authentication (see `Options.payerAuthentication`). */
  readonly payerAuthentication: boolean
  /** The signed client (base URL, documented headers, signature last). */
  readonly http: HttpClient.HttpClient
  /**
   * One attempt: sends the call and returns a 2xx response; every other outcome is a typed error.
   * An ambiguous failure of a mutation (sent, no definite answer) is `OutcomeUnknown`.
   */
  readonly send: (call: Call) => Effect.Effect<Response, OperationError>
  /**
   * `send` under the call policy, then `interpret` the 2xx response. A keyed mutation joins the
   * request still in flight under its key. `reconcile` looks up what an earlier request under the
   * key made (`Some` is the answer): it runs when CyberSource refuses an attempt in a way such a
   * request explains (a repeated `transactionId`, and whatever `refusals` names).
   */
  readonly execute: <A>(
    call: Call,
    interpret: (response: Response) => Effect.Effect<A, OperationError>,
    options?: {
      readonly reconcile?: Effect.Effect<Option.Option<A>, OperationError> | undefined
      readonly refusals?: ((error: OperationError) => boolean) | undefined
    }
  ) => Effect.Effect<A, OperationError>
  /**
   * Whether this client has sent a mutation under `key` (the last 10,000 keys): a later step of that
   * key's operation that ends without a definite answer (a read before sending again that fails)
   * cannot say nothing applied, so it is `OutcomeUnknown`.
   */
  readonly mayHaveApplied: (key: string) => boolean
  /**
   * The call policy for `call`: the client's timing, no idempotency at CyberSource, and the
   * client's registry of keys in doubt. For operations that run their own attempts under
   * `HttpPolicy.execute` (a creation that reconciles before retrying).
   */
  readonly policy: (call: Call) => HttpPolicy.Policy
}

/**
 * @since 0.1.0
 * @category tags
 */
export class CyberSourceClient extends Context.Tag("@payport/adapter-cybersource/CyberSourceClient")<
  CyberSourceClient,
  Service
>() {}

/**
 * Header names whose values are secrets, added to `Headers.currentRedactedNames`.
 *
 * @since 0.1.0
 * @category constants
 */
export const redactedHeaderNames: ReadonlyArray<string> = ["signature", "v-c-signature"]

const contentTypes: Readonly<Record<Api, { readonly accept: string; readonly contentType: string }>> = {
  pts: { accept: "application/hal+json;charset=utf-8", contentType: "application/json;charset=utf-8" },
  tss: { accept: "application/hal+json;charset=utf-8", contentType: "application/json;charset=utf-8" },
  tms: { accept: "application/json;charset=utf-8", contentType: "application/json;charset=utf-8" }
}

/**
 * The error core's `Ambiguity` gives `observation` on `call`.
 *
 * @since 0.1.0
 * @category errors
 */
export const observed: (
  call: Call,
  observation: Ambiguity.Observation,
  response?: Response,
  providerRef?: string
) => OperationError = Errors.observed

/**
 * The typed error for a non-2xx response, from the documented bodies: PTS `{status, reason,
 * message}`, gateway `{response:{rmsg}}`, TMS `{errors:[…]}`, and bare statuses. CyberSource's
 * refusal of a repeated `clientReferenceInformation.transactionId` (400 `INVALID_DATA` without
 * `details`) is `OutcomeUnknown`: a request under the same key reached CyberSource before.
 *
 * @since 0.1.0
 * @category errors
 */
export const errorFor: (call: Call, response: Response) => OperationError = Errors.errorFor

/**
 * Decodes a 2xx body with `schema`. A body that does not decode is `ProviderResponseInvalid` for a
 * read and `OutcomeUnknown` for a mutation (it may have executed).
 *
 * @since 0.1.0
 * @category decoding
 */
export const decode: <A, I>(
  schema: Schema.Schema<A, I>,
  call: Call
) => (response: Response) => Effect.Effect<A, OperationError> = Errors.decode

/**
 * `ProviderResponseInvalid` (read) or `OutcomeUnknown` (mutation) for a response that decoded
 * but does not make sense (an unknown status, an amount that does not parse).
 *
 * @since 0.1.0
 * @category decoding
 */
export const invalid: (call: Call, response: Response, reason: string) => OperationError = Errors.invalid

const encoder = new TextEncoder()

/** The Transaction Search page size the adapter asks for unless configured otherwise. */
const DEFAULT_SEARCH_PAGE_SIZE = 100

const resolveTiming = (timing: Partial<HttpPolicy.Timing> | undefined): HttpPolicy.Timing => ({
  ...HttpPolicy.defaultTiming,
  ...timing
})

/**
 * Builds the client.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: Options
): Effect.Effect<Service, ConfigurationError, HttpClient.HttpClient | Scope.Scope> =>
  Effect.gen(function* () {
    // Prepared once: every request signs with it (no key import per request).
    const key = Crypto.hmacKey(yield* HttpSignature.decodeSecret(options.sharedSecret))
    const environment = options.environment ?? "sandbox"
    const baseUrl = (options.baseUrl ?? `https://${hosts[environment]}`).replace(/\/+$/, "")
    const url = yield* Effect.try({
      try: () => new URL(baseUrl),
      catch: () =>
        new ConfigurationError({
          provider: PROVIDER,
          operation: "configure",
          variable: "CYBERSOURCE_BASE_URL",
          reason: "must be an absolute http(s) URL"
        })
    })
    const host = options.signedHost ?? url.host
    const searchPageSize = options.searchPageSize ?? DEFAULT_SEARCH_PAGE_SIZE
    if (!Number.isInteger(searchPageSize) || searchPageSize < 1 || searchPageSize > 2000) {
      return yield* new ConfigurationError({
        provider: PROVIDER,
        operation: "configure",
        variable: "searchPageSize",
        reason: "must be a whole number from 1 to 2000"
      })
    }
    const basePath = url.pathname.replace(/\/+$/, "")
    const timing = resolveTiming(options.timing)
    const redacted = [...redactedHeaderNames, ...Redaction.secretHeaderNames]
    yield* Effect.locallyScopedWith(Headers.currentRedactedNames, Arr.appendAll(redacted))

    const origin = `${url.origin}${basePath}`
    /** The signature headers for a request: method, path + query as sent, exact body bytes. */
    const signFor = (method: string, target: string, body: Uint8Array | undefined, now: number) =>
      HttpSignature.signWithKeySync(
        {
          method,
          host,
          target,
          date: HttpSignature.formatDate(now),
          merchantId: options.merchantId,
          keyId: options.keyId,
          body
        },
        key
      )

    // The signer runs last, over the final URL and the exact body bytes about to be sent.
    const signer = (request: HttpClientRequest.HttpClientRequest) =>
      Effect.map(Clock.currentTimeMillis, (now) => {
        const target = Either.match(UrlParams.makeUrl(request.url, request.urlParams, request.hash), {
          onLeft: () => request.url,
          onRight: (full) => `${full.pathname}${full.search}`
        })
        const body = request.body._tag === "Uint8Array" ? request.body.body : undefined
        return HttpClientRequest.setHeaders(request, { ...signFor(request.method, target, body, now) })
      })

    const base = yield* HttpClient.HttpClient
    // Checked on the client as provided, before any wrapper hides it.
    const transportDeadlines = HttpPolicy.enforcesDeadlines(base)
    const http = base.pipe(
      HttpClient.mapRequest(HttpClientRequest.prependUrl(origin)),
      // only the documented headers go on the wire (no b3/traceparent)
      HttpClient.withTracerPropagation(false),
      HttpClient.withTracerDisabledWhen(() => options.httpSpans !== true),
      HttpClient.mapRequestEffect(signer)
    )

    // `send` builds each request once, signed, and sends it on this client: the same bytes and
    // headers `http` produces, without a copy of the request per header and a signing effect.
    const direct =
      options.httpSpans === true
        ? HttpClient.withTracerPropagation(base, false)
        : HttpClient.withTracerDisabledWhen(base, () => true)

    const send = (call: Call): Effect.Effect<Response, OperationError> =>
      Effect.gen(function* () {
        const types = contentTypes[call.api]
        const withBody = HttpSignature.hasDigest(call.method)
        const full = `${origin}${call.path}`
        const parsed = new URL(full)
        const now = yield* Clock.currentTimeMillis
        const body = withBody ? encoder.encode(JSON.stringify(call.body ?? {})) : undefined
        const signed = signFor(call.method, `${parsed.pathname}${parsed.search}`, body, now)
        const sent: Record<string, string> = {
          accept: types.accept,
          "user-agent": "Mozilla/5.0 (compatible; payport)"
        }
        if (call.api === "tms" && options.profileId !== undefined) sent["profile-id"] = options.profileId
        if (call.headers !== undefined) Object.assign(sent, call.headers)
        Object.assign(sent, signed)
        let request = HttpClientRequest.make(call.method)(full, { headers: sent })
        if (body !== undefined) request = HttpClientRequest.bodyUint8Array(request, body, types.contentType)
        const response = yield* direct.execute(request).pipe(
          Effect.catchTags({
            RequestError: (error) => Effect.fail(Errors.fromTransport(call, error)),
            ResponseError: () =>
              Effect.fail(Errors.observed(call, { _tag: "Lost", reason: "the response could not be read" }))
          })
        )
        const text = yield* response.text.pipe(
          Effect.catchAll(() =>
            Effect.fail(Errors.observed(call, { _tag: "Lost", reason: "the response body was cut off" }))
          )
        )
        const json = Option.liftThrowable(JSON.parse)(text) as Option.Option<unknown>
        const headers = response.headers
        const requestId = headers["v-c-correlation-id"]
        const received: Response = { status: response.status, headers, text, json, requestId }
        if (requestId !== undefined) yield* annotateSpan("cybersource.correlation_id", requestId)
        if (response.status >= 200 && response.status < 300) return received
        return yield* Effect.fail(Errors.errorFor(call, received))
      }).pipe((effect) =>
        // the platform's HTTP span reads the redacted names per request
        options.httpSpans === true
          ? Effect.locallyWith(effect, Headers.currentRedactedNames, Arr.appendAll(redacted))
          : effect
      )

    const execution = Execution.make({ send, timing, transportDeadlines })

    return CyberSourceClient.of({
      merchantId: options.merchantId,
      baseUrl,
      host,
      profileId: options.profileId,
      timing,
      searchPageSize,
      transportDeadlines,
      webhook: options.webhook,
      payerAuthentication: options.payerAuthentication === true,
      http,
      send,
      execute: execution.execute,
      policy: execution.policy,
      mayHaveApplied: execution.mayHaveApplied
    })
  })

/**
 * The client as a layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<CyberSourceClient, ConfigurationError, HttpClient.HttpClient> =>
  Layer.scoped(CyberSourceClient, make(options))

/**
 * Options from the environment: `CYBERSOURCE_MERCHANT_ID`, `CYBERSOURCE_KEY_ID`,
 * `CYBERSOURCE_SHARED_SECRET`, `CYBERSOURCE_ENVIRONMENT` (`sandbox` default, or `production`),
 * `CYBERSOURCE_BASE_URL`, `CYBERSOURCE_WEBHOOK_KEY`, `CYBERSOURCE_WEBHOOK_KEY_ID`. A missing or
 * invalid value fails with a `ConfigurationError` naming the variable.
 *
 * @since 0.1.0
 * @category configuration
 */
export const optionsFromConfig: Effect.Effect<Options, ConfigurationError> = Effect.gen(function* () {
  // Every missing or invalid variable is named at once.
  const { merchantId, keyId, sharedSecret, environmentText } = yield* Provider.all({
    merchantId: Provider.string("CYBERSOURCE_MERCHANT_ID"),
    keyId: Provider.string("CYBERSOURCE_KEY_ID"),
    sharedSecret: Provider.secret("CYBERSOURCE_SHARED_SECRET"),
    environmentText: Provider.optional("CYBERSOURCE_ENVIRONMENT")
  })
  const environment = environmentText?.trim().toLowerCase()
  if (environment !== undefined && environment !== "sandbox" && environment !== "production") {
    return yield* new ConfigurationError({
      provider: PROVIDER,
      operation: "configure",
      variable: "CYBERSOURCE_ENVIRONMENT",
      reason: "must be sandbox or production"
    })
  }
  const baseUrl = yield* Provider.optional("CYBERSOURCE_BASE_URL")
  const payerAuthentication = (yield* Provider.optional("CYBERSOURCE_PAYER_AUTHENTICATION"))?.trim().toLowerCase()
  if (payerAuthentication !== undefined && payerAuthentication !== "true" && payerAuthentication !== "false") {
    return yield* new ConfigurationError({
      provider: PROVIDER,
      operation: "configure",
      variable: "CYBERSOURCE_PAYER_AUTHENTICATION",
      reason: "must be true or false"
    })
  }
  const webhookKeyId = yield* Provider.optional("CYBERSOURCE_WEBHOOK_KEY_ID")
  const webhookKey = yield* Provider.read(
    "CYBERSOURCE_WEBHOOK_KEY",
    Config.option(Config.redacted(Config.nonEmptyString("CYBERSOURCE_WEBHOOK_KEY")))
  )
  return {
    merchantId,
    keyId,
    sharedSecret,
    ...(environment === undefined ? {} : { environment }),
    ...(baseUrl === undefined ? {} : { baseUrl }),
    ...(payerAuthentication === "true" ? { payerAuthentication: true } : {}),
    ...(Option.isSome(webhookKey) ? { webhook: { key: webhookKey.value, keyId: webhookKeyId } } : {})
  }
})

/**
 * The client from the environment (see `optionsFromConfig`), with optional overrides for what the
 * environment does not carry (timing, profile id, signed host).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  overrides?: Partial<Omit<Options, "merchantId" | "keyId" | "sharedSecret">>
): Layer.Layer<CyberSourceClient, ConfigurationError, HttpClient.HttpClient> =>
  Layer.scoped(
    CyberSourceClient,
    Effect.flatMap(optionsFromConfig, (options) => make({ ...options, ...overrides }))
  )
