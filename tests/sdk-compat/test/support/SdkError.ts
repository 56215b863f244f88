/**
 * What an official SDK rejects with when the server answers an HTTP error. Both SDKs reject with
 * an object carrying `response.status` and a parsed body (`response.data` for axios, which
 * cashfree-pg uses as is; cybersource-rest-client puts the body text in `response.text`), so the
 * tests read it structurally instead of importing the SDKs' HTTP client.
 */

/** The HTTP status and JSON body of a rejected SDK call. */
export interface HttpFailure {
  readonly status: number
  readonly body: unknown
}

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === "object" && value !== null

/** Reads the HTTP status and body of an SDK rejection; throws when it is not an HTTP failure. */
export const httpFailure = (error: unknown): HttpFailure => {
  const response = isRecord(error) ? error.response : undefined
  if (!isRecord(response) || typeof response.status !== "number")
    throw new Error(`not an HTTP failure: ${String(error)}`, { cause: error })
  if ("data" in response) return { status: response.status, body: response.data }
  const text = response.text
  return { status: response.status, body: typeof text === "string" && text !== "" ? JSON.parse(text) : undefined }
}

/** Awaits a call that must fail with an HTTP error, and returns that error. */
export const failureOf = async (call: () => Promise<unknown>): Promise<HttpFailure> => {
  try {
    await call()
  } catch (error) {
    return httpFailure(error)
  }
  throw new Error("the call succeeded; an HTTP failure was expected")
}

/** A string field of a JSON object body (the error `code`, `type`, `reason`…). */
export const field = (body: unknown, name: string): unknown => (isRecord(body) ? body[name] : undefined)
