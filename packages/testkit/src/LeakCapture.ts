/**
 * Leak tests: capture everything an operator could see while a program runs — every log line at
 * every level (message, annotations, cause), every span (name, attributes, events) and every error
 * a span ended with, printed every way (message, `String`, JSON) — then scan it for secrets.
 *
 * ```typescript
 * const capture = LeakCapture.make()
 * // run the program with `Effect.provide(capture.layer)` (or put `capture.layer` in the test layer)
 * assert.deepStrictEqual(LeakCapture.leaked(capture.text(), ["4111111111111111", clientSecret]), [])
 * ```
 *
 * @since 0.1.0
 */
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import type * as Option from "effect/Option"
import * as Tracer from "effect/Tracer"

/**
 * One recorded span.
 *
 * @since 0.1.0
 * @category models
 */
export interface RecordedSpan {
  readonly name: string
  readonly attributes: Map<string, unknown>
  readonly events: Array<{ readonly name: string; readonly attributes: Record<string, unknown> }>
  exit: Exit.Exit<unknown, unknown> | undefined
}

const show = (value: unknown): string => {
  if (typeof value === "string") return value
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}

/**
 * Every way an error can be printed: message, `String`, JSON.
 *
 * @since 0.1.0
 * @category rendering
 */
export const renderError = (error: unknown): string => {
  const message =
    typeof error === "object" && error !== null && "message" in error && typeof error.message === "string"
      ? error.message
      : ""
  return [message, String(error), show(error)].join("\n")
}

/** A span that records what is written to it and forwards everything to the real one. */
class RecordingSpan implements Tracer.Span {
  readonly _tag = "Span"
  constructor(
    readonly inner: Tracer.Span,
    readonly record: RecordedSpan
  ) {}
  get name() {
    return this.inner.name
  }
  get spanId() {
    return this.inner.spanId
  }
  get traceId() {
    return this.inner.traceId
  }
  get parent(): Option.Option<Tracer.AnySpan> {
    return this.inner.parent
  }
  get context() {
    return this.inner.context
  }
  get status() {
    return this.inner.status
  }
  get attributes() {
    return this.inner.attributes
  }
  get links() {
    return this.inner.links
  }
  get sampled() {
    return this.inner.sampled
  }
  get kind() {
    return this.inner.kind
  }
  end(endTime: bigint, exit: Exit.Exit<unknown, unknown>): void {
    this.record.exit = exit
    this.inner.end(endTime, exit)
  }
  attribute(key: string, value: unknown): void {
    this.record.attributes.set(key, value)
    this.inner.attribute(key, value)
  }
  event(name: string, startTime: bigint, attributes?: Record<string, unknown>): void {
    this.record.events.push({ name, attributes: attributes ?? {} })
    this.inner.event(name, startTime, attributes)
  }
  addLinks(links: ReadonlyArray<Tracer.SpanLink>): void {
    this.inner.addLinks(links)
  }
}

/**
 * A capture: install `layer` (or provide it) and read `text()` afterwards.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = () => {
  const lines: Array<string> = []
  const spans: Array<RecordedSpan> = []
  const logger = Logger.make(({ logLevel, message, annotations, cause, spans: logSpans }) => {
    lines.push(
      [
        logLevel.label,
        show(message),
        show(Object.fromEntries(annotations)),
        Cause.isEmpty(cause) ? "" : Cause.pretty(cause),
        [...logSpans].map((s) => s.label).join(",")
      ].join(" ")
    )
  })
  const recording = (base: Tracer.Tracer) =>
    Tracer.make({
      span: (name, parent, context, links, startTime, kind, options) => {
        const inner = base.span(name, parent, context, links, startTime, kind, options)
        const record: RecordedSpan = { name, attributes: new Map(inner.attributes), events: [], exit: undefined }
        spans.push(record)
        return new RecordingSpan(inner, record)
      },
      context: base.context
    })
  const layer = Layer.mergeAll(
    Logger.replace(Logger.defaultLogger, logger),
    Logger.minimumLogLevel(LogLevel.All),
    Layer.unwrapEffect(Effect.map(Effect.tracer, (base) => Layer.setTracer(recording(base))))
  )
  /** The errors spans ended with, printed every way. */
  const errors = (): ReadonlyArray<string> =>
    spans.flatMap((span) =>
      span.exit !== undefined && Exit.isFailure(span.exit)
        ? [
            Cause.pretty(span.exit.cause),
            ...[...Cause.failures(span.exit.cause)].map(renderError),
            ...[...Cause.defects(span.exit.cause)].map(renderError)
          ]
        : []
    )
  const text = () =>
    [
      ...lines,
      ...spans.map(
        (s) =>
          `${s.name} ${show(Object.fromEntries([...s.attributes].map(([k, v]) => [k, String(v)])))} ${show(s.events)}`
      ),
      ...errors()
    ].join("\n")
  return { lines, spans, errors, layer, text }
}

/**
 * Which of `needles` (text or patterns) appear in `haystack`.
 *
 * @since 0.1.0
 * @category scanning
 */
export const leaked = (haystack: string, needles: Iterable<string | RegExp>): ReadonlyArray<string> =>
  [...needles].flatMap((needle) =>
    typeof needle === "string"
      ? haystack.includes(needle)
        ? [needle]
        : []
      : needle.test(haystack)
        ? [String(needle)]
        : []
  )
