/**
 * Delivers an emulator's webhooks: POSTs the exact body bytes that were signed to the target URL,
 * retries a non-2xx answer or a network failure after the configured delays (the providers retry
 * too, so handlers must de-duplicate), and records every delivery so tests can read what was sent
 * — including deliveries that had no URL to go to (`skipped`), which still carry the signed body
 * and headers.
 *
 * Provider-neutral and stable: the Cashfree and CyberSource emulators both use it. The provider
 * builds the body and headers (signature scheme, header names); this module only transports.
 */

/** One HTTP attempt of a delivery. */
export interface Attempt {
  readonly at: number
  /** The receiver's status, when it answered. */
  readonly status?: number
  /** Why the attempt failed without a status (connection refused, timeout, …). */
  readonly error?: string
}

/** A webhook the emulator emitted. */
export interface Delivery {
  /** Sequence number, from 1, in emission order. */
  readonly id: number
  /** The provider's event name, e.g. `PAYMENT_SUCCESS_WEBHOOK`. */
  readonly event: string
  readonly url: string | undefined
  /** The headers of the latest attempt (of the first, before any attempt is made). */
  readonly headers: Readonly<Record<string, string>>
  /** The raw body, exactly as signed and sent. */
  readonly body: string
  /**
   * `pending` while attempts remain, `delivered` after a 2xx, `failed` when attempts ran out,
   * `skipped` when there was no URL.
   */
  readonly state: "pending" | "delivered" | "failed" | "skipped"
  readonly attempts: ReadonlyArray<Attempt>
}

/** A webhook to send. `headers` gets the 1-based attempt number (for `x-webhook-attempt`-style headers). */
export interface Outgoing {
  readonly event: string
  readonly url: string | undefined
  readonly headers: (attempt: number) => Readonly<Record<string, string>>
  readonly body: string
}

/** Sender options. */
export interface Options {
  /** Delays before each retry; default none (one attempt). */
  readonly retryDelaysMs?: ReadonlyArray<number>
  /** Per-attempt timeout; default 5 s. */
  readonly timeoutMs?: number
  readonly now: () => number
}

/** Sends and records webhooks. */
export interface Sender {
  readonly send: (outgoing: Outgoing) => Delivery
  /** Every delivery so far, oldest first (snapshots). */
  readonly deliveries: () => ReadonlyArray<Delivery>
  /**
   * The first delivery (past or future) matching `predicate` that is no longer `pending`; rejects
   * after `timeoutMs` (default 5 s).
   */
  readonly wait: (predicate?: (delivery: Delivery) => boolean, timeoutMs?: number) => Promise<Delivery>
  /** Forgets recorded deliveries (in-flight ones keep going but are no longer listed). */
  readonly clear: () => void
  /** Stops retries and aborts in-flight attempts. */
  readonly close: () => void
}

interface Mutable {
  id: number
  event: string
  url: string | undefined
  headers: Readonly<Record<string, string>>
  body: string
  state: Delivery["state"]
  attempts: Array<Attempt>
}

const snapshot = (d: Mutable): Delivery => ({ ...d, attempts: [...d.attempts] })

/** A sender; call `close` when the emulator stops. */
export const make = (options: Options): Sender => {
  const retryDelays = options.retryDelaysMs ?? []
  const timeoutMs = options.timeoutMs ?? 5_000
  let records: Array<Mutable> = []
  let nextId = 1
  let closed = false
  const timers = new Set<ReturnType<typeof setTimeout>>()
  const controllers = new Set<AbortController>()
  const listeners = new Set<() => void>()
  const notify = () => {
    for (const listener of [...listeners]) listener()
  }

  const attempt = async (record: Mutable, number: number): Promise<void> => {
    if (closed || record.url === undefined) return
    const headers = { "content-type": "application/json", ...outgoingHeaders.get(record)?.(number) }
    record.headers = headers
    const controller = new AbortController()
    controllers.add(controller)
    const timer = setTimeout(() => controller.abort(), timeoutMs)
    let result: Attempt
    try {
      const response = await fetch(record.url, {
        method: "POST",
        headers,
        body: record.body,
        signal: controller.signal
      })
      await response.arrayBuffer().catch(() => undefined)
      result = { at: options.now(), status: response.status }
    } catch (error) {
      result = { at: options.now(), error: error instanceof Error ? error.message : String(error) }
    } finally {
      clearTimeout(timer)
      controllers.delete(controller)
    }
    record.attempts.push(result)
    const ok = result.status !== undefined && result.status >= 200 && result.status < 300
    const delay = retryDelays[number - 1]
    if (ok) record.state = "delivered"
    else if (delay === undefined || closed) record.state = "failed"
    else {
      const t = setTimeout(() => {
        timers.delete(t)
        void attempt(record, number + 1)
      }, delay)
      timers.add(t)
    }
    notify()
  }

  const outgoingHeaders = new WeakMap<Mutable, Outgoing["headers"]>()

  return {
    send: (outgoing) => {
      const record: Mutable = {
        id: nextId++,
        event: outgoing.event,
        url: outgoing.url,
        headers: { "content-type": "application/json", ...outgoing.headers(1) },
        body: outgoing.body,
        state: outgoing.url === undefined ? "skipped" : "pending",
        attempts: []
      }
      outgoingHeaders.set(record, outgoing.headers)
      records.push(record)
      if (record.state === "pending") void attempt(record, 1)
      else notify()
      return snapshot(record)
    },
    deliveries: () => records.map(snapshot),
    wait: (predicate = () => true, waitMs = 5_000) =>
      new Promise<Delivery>((resolve, reject) => {
        const check = (): boolean => {
          const found = records.find((r) => r.state !== "pending" && predicate(snapshot(r)))
          if (found === undefined) return false
          cleanup()
          resolve(snapshot(found))
          return true
        }
        const timer = setTimeout(() => {
          cleanup()
          reject(new Error(`no matching webhook delivery within ${waitMs} ms`))
        }, waitMs)
        const cleanup = () => {
          clearTimeout(timer)
          listeners.delete(listener)
        }
        const listener = () => {
          check()
        }
        listeners.add(listener)
        check()
      }),
    clear: () => {
      records = []
    },
    close: () => {
      closed = true
      for (const t of timers) clearTimeout(t)
      timers.clear()
      for (const c of controllers) c.abort()
    }
  }
}
