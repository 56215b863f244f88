/**
 * Captures everything an operator could see while a program runs: every log line (minimum level
 * `All`), every span's name, attributes, events and failure, and every request's signature as it
 * went on the wire — so a test can assert that no secret appears in what was observed.
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Inspectable from "effect/Inspectable"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Tracer from "effect/Tracer"

/** What was observed. */
export interface Captured {
  readonly lines: Array<string>
  readonly spans: Array<Tracer.Span>
  /** `signature="…"` values of the requests sent (secrets that must not be observed elsewhere). */
  readonly signatures: Array<string>
  /** Requests sent, for proof that traffic happened. */
  readonly requests: Array<string>
}

/** A fresh capture and the layers that feed it. */
export const make = () => {
  const captured: Captured = { lines: [], spans: [], signatures: [], requests: [] }
  const logger = Logger.make(({ logLevel, message, annotations, cause, spans }) => {
    captured.lines.push(
      `${logLevel.label} ${show(message)} ${Inspectable.format(message)} ${show(annotations)} ${show(spans)} ${Cause.pretty(cause)}`
    )
  })
  const tracer = Layer.unwrapEffect(
    Effect.map(Effect.tracer, (base) =>
      Layer.setTracer(
        Tracer.make({
          span: (...args) => {
            const span = base.span(...args)
            captured.spans.push(span)
            return span
          },
          context: base.context
        })
      )
    )
  )
  const observability = Layer.mergeAll(
    Logger.replace(Logger.defaultLogger, logger),
    Logger.minimumLogLevel(LogLevel.All),
    tracer
  )
  /** `fetch`, recording each signed request as it leaves. */
  const client = Layer.effect(
    HttpClient.HttpClient,
    Effect.map(HttpClient.HttpClient, (base) =>
      // `transform` sees the request after every `mapRequest` of the clients built on this one,
      // i.e. as signed and sent.
      HttpClient.transform(base, (response, request) =>
        Effect.zipRight(
          Effect.sync(() => {
            captured.requests.push(`${request.method} ${request.url}`)
            const signature = /signature="([^"]+)"/.exec(request.headers.signature ?? "")?.[1]
            if (signature !== undefined) captured.signatures.push(signature)
          }),
          response
        )
      )
    )
  ).pipe(Layer.provide(FetchHttpClient.layer))
  return { captured, observability, client }
}

/** Everything observed, as one text: log lines, spans (attributes, events, failures), errors. */
export const observedText = (captured: Captured, errors: ReadonlyArray<unknown> = []): string => {
  const spans = captured.spans.map((s) => {
    const attributes = show(Object.fromEntries(s.attributes))
    const events = "events" in s ? show((s as { readonly events: unknown }).events) : ""
    const failure = s.status._tag === "Ended" && Exit.isFailure(s.status.exit) ? failureText(s.status.exit.cause) : ""
    return `${s.name} ${attributes} ${events} ${failure}`
  })
  return [...captured.lines, ...spans, ...errors.map(errorText)].join("\n")
}

/** An error as a person or an exporter would render it: message, string, JSON, inspection. */
export const errorText = (error: unknown): string =>
  `${String(error)} ${error instanceof Error ? error.message : ""} ${show(error)} ${Inspectable.format(error)}`

const failureText = (cause: Cause.Cause<unknown>): string =>
  `${Cause.pretty(cause)} ${Cause.failures(cause).pipe((chunk) => [...chunk].map(errorText).join(" "))}`

/** JSON that also renders bigints (span event times) and never throws. */
const show = (value: unknown): string => {
  try {
    return JSON.stringify(value, (_, v: unknown) => (typeof v === "bigint" ? v.toString() : v)) ?? ""
  } catch {
    return String(value)
  }
}
