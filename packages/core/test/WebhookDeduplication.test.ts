import { assert, describe, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as TestClock from "effect/TestClock"
import { Customer, Ids, Instrument, WebhookDeduplication, WebhookEvent } from "@payport/core"

const event = (eventId: string) =>
  WebhookEvent.InstrumentUpdated.make({
    eventId,
    provider: "memory",
    eventType: "INSTRUMENT_UPDATED",
    occurredAt: DateTime.unsafeMake(0),
    instrument: Instrument.Instrument.make({
      id: Ids.InstrumentId.make("ins_1"),
      customerId: Customer.Customer.make({ id: Ids.CustomerId.make("cus_1"), provider: "memory" }).id,
      provider: "memory",
      kind: "card",
      display: "•••• 1111",
      status: "Active",
      isDefault: false,
      meta: {}
    })
  })

describe("WebhookDeduplication", () => {
  it.effect("handles an event once, however often it is delivered", () =>
    Effect.gen(function* () {
      const dedupe = yield* WebhookDeduplication.make()
      let handled = 0
      const handle = () => Effect.sync(() => ++handled)
      assert.strictEqual(yield* WebhookDeduplication.once(dedupe, event("e1"), handle), 1)
      assert.isUndefined(yield* WebhookDeduplication.once(dedupe, event("e1"), handle))
      assert.strictEqual(yield* WebhookDeduplication.once(dedupe, event("e2"), handle), 2)
      assert.strictEqual(handled, 2)
    })
  )

  it.effect("forgets ids after the window and beyond the capacity", () =>
    Effect.gen(function* () {
      const dedupe = yield* WebhookDeduplication.make({ capacity: 2, window: "1 hour" })
      assert.isTrue(yield* dedupe.firstSeen("a"))
      yield* TestClock.adjust("61 minutes")
      assert.isTrue(yield* dedupe.firstSeen("a"))
      assert.isTrue(yield* dedupe.firstSeen("b"))
      assert.isTrue(yield* dedupe.firstSeen("c"))
      // Capacity 2: "a" (the oldest) was forgotten to make room for "c".
      assert.isTrue(yield* dedupe.firstSeen("a"))
      assert.isFalse(yield* dedupe.firstSeen("c"))
    })
  )

  it.effect("a failed handler leaves the id unseen, so the next delivery handles the event", () =>
    Effect.gen(function* () {
      const dedupe = yield* WebhookDeduplication.make()
      const failed = yield* Effect.flip(
        WebhookDeduplication.once(dedupe, event("e1"), () => Effect.fail("down" as const))
      )
      assert.strictEqual(failed, "down")
      assert.strictEqual(
        yield* WebhookDeduplication.once(dedupe, event("e1"), () => Effect.succeed("handled")),
        "handled"
      )
      assert.isUndefined(yield* WebhookDeduplication.once(dedupe, event("e1"), () => Effect.succeed("again")))
    })
  )

  it.effect("the WebhookDeduplicator service: concurrent deliveries of one event run the handler once", () =>
    Effect.gen(function* () {
      const dedupe = yield* WebhookDeduplication.WebhookDeduplicator
      let handled = 0
      const results = yield* Effect.forEach(
        Array.from({ length: 50 }, () => event("e1")),
        (e) => WebhookDeduplication.once(dedupe, e, () => Effect.sync(() => ++handled)),
        { concurrency: "unbounded" }
      )
      assert.strictEqual(handled, 1)
      assert.strictEqual(results.filter((r) => r !== undefined).length, 1)
      assert.strictEqual(WebhookDeduplication.key(event("e1")), "memory:e1")
    }).pipe(Effect.provide(WebhookDeduplication.layerMemory()))
  )
})
