/**
 * The Cashfree PG transport: base URL by environment, credentials, `x-api-version`, request ids,
 * idempotency keys, and the core call policy (timeouts, bounded retries honouring
 * `x-ratelimit-retry`, the "may money have moved?" rule) around every call.
 *
 * The client secret stays `Redacted` until each request's headers are built, just before it is
 * sent, and `x-client-secret` is added to `Headers.currentRedactedNames`, so HTTP spans show
 * `<redacted>` in its place.
 *
 * Provider-only calls go through this tag: `CashfreeClient.request({...})` returns the decoded
 * body and whether Cashfree replayed it (`x-idempotency-replayed`).
 *
 * @since 0.1.0
 */
import * as Ambiguity from "@payport/core/Ambiguity"
import * as HttpPolicy from "@payport/core/HttpPolicy"
import * as Idempotency from "@payport/core/Idempotency"
import { ConfigurationError, ConnectFailed, type OperationError } from "@payport/core/PaymentError"
import * as Provider from "@payport/core/Provider"
import * as Redaction from "@payport/core/Redaction"
import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import type * as ParseResult from "effect/ParseResult"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import * as Schema from "effect/Schema"
import { type ErrorContext, errorFromResponse, PROVIDER } from "./internal/mapping.js"
import * as Wire from "./internal/wire.js"

/**
 * Sandbox or production.
 *
 * @since 0.1.0
 * @category models
 */
export type Environment = "sandbox" | "production"

/**
 * The base URL of each environment.
 *
 * @since 0.1.0
 * @category constants
 */
export const baseUrls: { readonly [E in Environment]: string } = {
  sandbox: "https://sandbox.cashfree.com/pg",
  production: "https://api.cashfree.com/pg"
}

/**
 * The API version sent when none is configured.
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULT_API_VERSION = "2025-01-01"

/**
 * The header names whose values are secrets at Cashfree.
 *
 * @since 0.1.0
 * @category constants
 */
export const secretHeaders: ReadonlyArray<string> = ["x-client-secret", "x-partner-apikey", "x-webhook-signature"]

/**
 * Client options.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly clientId: string
  readonly clientSecret: Redacted.Redacted<string>
  readonly environment: Environment
  /** Overrides the environment's base URL (e.g. an emulator's `http://127.0.0.1:PORT/pg`). */
  readonly baseUrl?: string | undefined
  /** Sent as `x-api-version` on every call. Default `2025-01-01`. */
  readonly apiVersion?: string | undefined
  /** Timeouts and retry budget. Default `HttpPolicy.defaultTiming`. */
  readonly timing?: HttpPolicy.Timing | undefined
  /** Webhook timestamp tolerance. Default 300 s. */
  readonly webhookToleranceSeconds?: number | undefined
  /**
   * The Order Pay channel for entered cards: `link` (redirect to the bank's page, the default) or
   * `post` (Cashfree's native OTP; needs the headless-OTP flag on the account). Per payment:
   * `providerOptions.cashfree.channel`.
   */
  readonly cardChannel?: "link" | "post" | undefined
  /**
   * The `customer_details` to send when a payment names no customer: Cashfree requires a customer
   * id and a 10-digit phone on every order. Without it, such payments fail validation.
   */
  readonly guestCustomer?: { readonly id: string; readonly phone: string } | undefined
  /**
   * Record a client span per HTTP request (`@effect/platform`'s: method, URL, every header with
   * secrets redacted). Off by default: each operation already has its port span (`Payments.create`
   * with provider, operation and request id), per-request spans add CPU to every call, and they
   * put order and customer ids from URLs into traces.
   */
  readonly httpSpans?: boolean | undefined
}

/**
 * The resolved configuration, as the port modules read it.
 *
 * @since 0.1.0
 * @category models
 */
export interface Config {
  readonly clientId: string
  readonly environment: Environment
  readonly baseUrl: string
  readonly apiVersion: string
  readonly timing: HttpPolicy.Timing
  /** The client secret, which is also the webhook signing key. */
  readonly webhookSecret: Redacted.Redacted<string>
  readonly webhookToleranceSeconds: number
  readonly cardChannel: "link" | "post"
  readonly guestCustomer?: { readonly id: string; readonly phone: string } | undefined
}

/**
 * One call to Cashfree.
 *
 * @since 0.1.0
 * @category models
 */
export interface Request<A, I> {
  /** The port operation, for spans and errors (`Payments.create`). */
  readonly operation: string
  readonly method: "GET" | "POST" | "DELETE"
  /** Relative to the base URL, starting with `/`; path segments already encoded. */
  readonly path: string
  readonly query?: Readonly<Record<string, string>> | undefined
  /** Built at send time, so card data is unwrapped only then. */
  readonly body?: (() => Wire.JsonValue) | undefined
  /** Send `x-client-id`/`x-client-secret` (default). Order Pay and OTP calls are unauthenticated. */
  readonly authenticated?: boolean | undefined
  /** The call's idempotency key; required for authenticated POSTs, sent as a UUID. */
  readonly idempotencyKey?: string | undefined
  readonly schema: Schema.Schema<A, I>
  /** What a 404 means, for `NotFound`. */
  readonly resource?: { readonly name: string; readonly id?: string | undefined } | undefined
}

/**
 * A decoded response.
 *
 * @since 0.1.0
 * @category models
 */
export interface Response<A> {
  readonly body: A
  readonly status: number
  /** `x-idempotency-replayed: true`: Cashfree returned the stored result of an earlier call with this key. */
  readonly replayed: boolean
  readonly requestId: string
}

/**
 * @since 0.1.0
 * @category tags
 */
export class CashfreeClient extends Context.Tag("@payport/adapter-cashfree/CashfreeClient")<
  CashfreeClient,
  CashfreeClient.Service
>() {}

/**
 * @since 0.1.0
 * @category models
 */
export declare namespace CashfreeClient {
  /** @since 0.1.0 */
  export interface Service {
    readonly config: Config
    /** Sends one call under the call policy and decodes the answer. */
    readonly request: <A, I>(request: Request<A, I>) => Effect.Effect<Response<A>, OperationError>
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * The `x-idempotency-key` for a Payport key: Cashfree requires UUIDs, so a key that is not one is
 * mapped to a name-based UUID (the same key always gives the same UUID).
 *
 * @since 0.1.0
 * @category idempotency
 */
export const idempotencyHeader = (key: string): Effect.Effect<string> =>
  UUID.test(key) ? Effect.succeed(key.toLowerCase()) : Idempotency.uuidFromName(key)

/** The body as JSON, or why it is not: the message of `JSON.parse`'s error. */
const parseJson = (text: string): Either.Either<unknown, string> => {
  try {
    return Either.right(JSON.parse(text))
  } catch (error) {
    return Either.left(error instanceof Error ? error.message : "not JSON")
  }
}

const decodeErrorBody = Schema.decodeUnknownEither(Wire.ErrorBody)

/** One decoder per wire schema, compiled once (a request names its schema each time). */
const decoders = new WeakMap<Schema.Schema.Any, (input: unknown) => Either.Either<unknown, ParseResult.ParseError>>()

const decoderFor = <A, I>(
  schema: Schema.Schema<A, I>
): ((input: unknown) => Either.Either<A, ParseResult.ParseError>) => {
  let decoder = decoders.get(schema)
  if (decoder === undefined) {
    decoder = Schema.decodeUnknownEither(schema)
    decoders.set(schema, decoder)
  }
  return decoder as (input: unknown) => Either.Either<A, ParseResult.ParseError>
}

/**
 * Builds the client over the ambient `HttpClient`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: Options
): Effect.Effect<CashfreeClient.Service, never, HttpClient.HttpClient | Scope.Scope> =>
  Effect.gen(function* () {
    yield* Effect.locallyScopedWith(Headers.currentRedactedNames, (names) => [...names, ...secretHeaders])
    const config: Config = {
      clientId: options.clientId,
      environment: options.environment,
      baseUrl: (options.baseUrl ?? baseUrls[options.environment]).replace(/\/+$/, ""),
      apiVersion: options.apiVersion ?? DEFAULT_API_VERSION,
      timing: options.timing ?? HttpPolicy.defaultTiming,
      webhookSecret: options.clientSecret,
      webhookToleranceSeconds: options.webhookToleranceSeconds ?? 300,
      cardChannel: options.cardChannel ?? "link",
      guestCustomer: options.guestCustomer
    }
    // Only the documented headers go on the wire (no b3/traceparent): trace ids are ours, and
    // building them would cost every request. One wrapper either way: with HTTP
    // spans off no span is made, so there is nothing to propagate.
    const httpSpans = options.httpSpans === true
    const base = yield* HttpClient.HttpClient
    // A transport that cuts requests at the attempt's deadline (`@payport/http-node`) lets the
    // policy time attempts out without a fiber per attempt: every wait of an attempt is its request.
    const transportDeadlines = HttpPolicy.enforcesDeadlines(base)
    const client = httpSpans
      ? HttpClient.withTracerPropagation(base, false)
      : HttpClient.withTracerDisabledWhen(base, () => true)
    // Order Pay and OTP are called from where the payer is; Cashfree documents them without
    // credentials, so the secret never travels on them.
    const openHeaders = { "x-api-version": config.apiVersion, accept: "application/json" }
    const secret = options.clientSecret
    /** Every header of one request, built once (each `setHeader` copies the request and its headers). */
    const headersFor = (signed: boolean, requestId: string, key: string | undefined): Record<string, string> => {
      const headers: Record<string, string> = signed
        ? { ...openHeaders, "x-client-id": config.clientId, "x-client-secret": Redacted.value(secret) }
        : { ...openHeaders }
      headers["x-request-id"] = requestId
      if (key !== undefined) headers["x-idempotency-key"] = key
      return headers
    }

    const request = <A, I>(spec: Request<A, I>): Effect.Effect<Response<A>, OperationError> =>
      Effect.gen(function* () {
        const signed = spec.authenticated !== false
        const key =
          spec.method === "POST" && signed && spec.idempotencyKey !== undefined
            ? yield* idempotencyHeader(spec.idempotencyKey)
            : undefined
        const requestId = yield* HttpPolicy.requestId
        const mutating = spec.method !== "GET"
        // Cashfree replays authenticated POSTs by key; a DELETE is idempotent by nature.
        const idempotent = !mutating || key !== undefined || spec.method === "DELETE"
        const context: ErrorContext = {
          operation: spec.operation,
          requestId,
          safeToRetry: idempotent,
          mutating,
          idempotencyKey: spec.idempotencyKey,
          resource: spec.resource
        }
        const base = { provider: PROVIDER, operation: spec.operation, requestId }
        const decode = decoderFor(spec.schema)
        const call: Ambiguity.Call = {
          ...base,
          mutating,
          idempotent,
          idempotencyKey: spec.idempotencyKey
        }

        const transport = (error: HttpClientError.HttpClientError): OperationError => {
          const code = Ambiguity.transportCodes(error.cause)[0]
          const reason = code === undefined ? `transport failure (${error.reason})` : `transport failure (${code})`
          if (error.reason === "InvalidUrl") {
            return new ConfigurationError({
              ...base,
              variable: "CASHFREE_BASE_URL",
              reason: "does not form a valid URL"
            })
          }
          // A request that could not be built was never sent.
          if (error._tag === "RequestError" && error.reason !== "Transport")
            return new ConnectFailed({ ...base, reason })
          return Ambiguity.errorFor(
            Ambiguity.neverSent(error.cause) ? { _tag: "NotSent", reason } : { _tag: "Lost", reason },
            call
          )
        }

        const once = Effect.gen(function* () {
          let http = HttpClientRequest.make(spec.method)(`${config.baseUrl}${spec.path}`, {
            headers: headersFor(signed, requestId, key),
            ...(spec.query === undefined ? {} : { urlParams: spec.query })
          })
          if (spec.body !== undefined)
            http = HttpClientRequest.bodyText(http, Wire.stringify(spec.body()), "application/json")
          const response = yield* client.execute(http).pipe(Effect.mapError(transport))
          // Already lower-case names (`Headers` are), so no copy.
          const headers: Readonly<Record<string, string>> = response.headers
          const text = yield* response.text.pipe(
            Effect.mapError(() =>
              Ambiguity.errorFor(
                { _tag: "Lost", reason: "the response body was cut off" },
                { ...call, httpStatus: response.status }
              )
            )
          )
          // Only when Debug is enabled, so calls at other log levels pay nothing for it.
          yield* Effect.whenLogLevel(
            Effect.suspend(() =>
              Effect.logDebug("cashfree call").pipe(
                Effect.annotateLogs({
                  "cashfree.operation": spec.operation,
                  "http.method": spec.method,
                  "http.path": spec.path,
                  "http.status": response.status,
                  "cashfree.request_id": requestId
                })
              )
            ),
            "Debug"
          )
          const json = parseJson(text)
          if (response.status < 200 || response.status >= 300) {
            const body = Either.isRight(json) ? Either.getOrUndefined(decodeErrorBody(json.right)) : undefined
            return yield* Effect.fail(errorFromResponse(response.status, text, body, headers, context))
          }
          const decoded = Either.flatMap(json, (value) =>
            Either.mapLeft(decode(value), (error) => `the body does not decode (${Wire.describeParseError(error)})`)
          )
          if (Either.isLeft(decoded)) {
            const reason = Either.isLeft(json) ? "the body is not JSON" : decoded.left
            const invalid = {
              ...base,
              httpStatus: response.status,
              requestId: headers["x-request-id"] ?? requestId,
              raw: Redaction.raw(text)
            }
            // A success that does not decode may still have moved money.
            return yield* Effect.fail(Ambiguity.errorFor({ _tag: "Undecodable", reason }, { ...call, ...invalid }))
          }
          return {
            body: decoded.right,
            status: response.status,
            replayed: headers["x-idempotency-replayed"]?.toLowerCase() === "true",
            requestId: headers["x-request-id"] ?? requestId
          }
        })

        return yield* HttpPolicy.execute(
          {
            ...config.timing,
            provider: PROVIDER,
            operation: spec.operation,
            mutating,
            idempotent,
            transportDeadlines,
            ...(spec.idempotencyKey === undefined ? {} : { idempotencyKey: spec.idempotencyKey })
          },
          () => once
        )
      }).pipe((call) =>
        // Also here, not only in the layer: the platform's HTTP span reads the names per request.
        httpSpans
          ? Effect.locallyWith(call, Headers.currentRedactedNames, (names) => [...names, ...secretHeaders])
          : call
      )

    return CashfreeClient.of({ config, request })
  })

/**
 * The client as a layer over `HttpClient.HttpClient`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<CashfreeClient, never, HttpClient.HttpClient> =>
  Layer.scoped(CashfreeClient, make(options))

const environments: ReadonlyArray<Environment> = ["sandbox", "production"]

/**
 * Options from the environment: `CASHFREE_CLIENT_ID`, `CASHFREE_CLIENT_SECRET` (required),
 * `CASHFREE_ENVIRONMENT` (`sandbox` default, or `production`), `CASHFREE_BASE_URL`,
 * `CASHFREE_API_VERSION`. A missing or invalid one fails with a `ConfigurationError` naming it.
 * `extra` supplies what has no variable (timing, guest customer, card channel…).
 *
 * @since 0.1.0
 * @category configuration
 */
export const optionsFromConfig = (
  extra?: Omit<Options, "clientId" | "clientSecret" | "environment" | "baseUrl" | "apiVersion">
): Effect.Effect<Options, ConfigurationError> =>
  Effect.gen(function* () {
    // Every missing or invalid variable is named at once.
    const read = yield* Provider.all({
      clientId: Provider.string("CASHFREE_CLIENT_ID"),
      clientSecret: Provider.secret("CASHFREE_CLIENT_SECRET"),
      environment: Provider.optional("CASHFREE_ENVIRONMENT"),
      baseUrl: Provider.optional("CASHFREE_BASE_URL"),
      apiVersion: Provider.optional("CASHFREE_API_VERSION")
    })
    const { clientId, clientSecret, baseUrl, apiVersion } = read
    const environmentText = read.environment ?? "sandbox"
    const environment = environments.find((e) => e === environmentText.trim().toLowerCase())
    if (environment === undefined) {
      return yield* new ConfigurationError({
        provider: PROVIDER,
        operation: "configure",
        variable: "CASHFREE_ENVIRONMENT",
        reason: `${JSON.stringify(environmentText.slice(0, 20))} is not an environment; use sandbox or production`
      })
    }
    if (apiVersion !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(apiVersion)) {
      return yield* new ConfigurationError({
        provider: PROVIDER,
        operation: "configure",
        variable: "CASHFREE_API_VERSION",
        reason: "must be a date like 2025-01-01"
      })
    }
    return { ...extra, clientId, clientSecret, environment, baseUrl, apiVersion }
  })

/**
 * The client configured from the environment (see `optionsFromConfig`).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  extra?: Omit<Options, "clientId" | "clientSecret" | "environment" | "baseUrl" | "apiVersion">
): Layer.Layer<CashfreeClient, ConfigurationError, HttpClient.HttpClient> =>
  Layer.scoped(CashfreeClient, Effect.flatMap(optionsFromConfig(extra), make))
