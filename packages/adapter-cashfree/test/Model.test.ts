/**
 * The testkit's model-based property against the adapter talking to a fresh Cashfree emulator
 * per run over loopback HTTP (`x-api-version` 2025-01-01 and 2022-09-01, whose ids are integers).
 * `PAYPORT_PROPERTY_RUNS` sets the number of runs per version (default 50).
 *
 * One adjustment to the command set: Cashfree sends a payment webhook only when an attempt ends
 * (`PAYMENT_SUCCESS/FAILED/USER_DROPPED_WEBHOOK`), never while it is pending, so "re-deliver a
 * webhook" has nothing to re-deliver for a payment still in `RequiresAction`; those commands are
 * not generated (every other webhook re-delivery, duplicate or out of order, is).
 */
import { Model } from "@payport/testkit"
import * as CashfreeFixtures from "@payport/testkit/CashfreeFixtures"
import { describe, it } from "@effect/vitest"
import * as FastCheck from "effect/FastCheck"
import { adapter } from "./support/Loopback.js"

const runs = Number(process.env.PAYPORT_PROPERTY_RUNS ?? 50)

type Command<R> = Model.Command<R>

/** A webhook re-delivery aimed at a payment the model says is still waiting on the payer. */
const webhookForPending = <R>(command: Command<R>, model: Readonly<Model.State>): boolean => {
  if (!command.toString().startsWith("webhook(") || !("index" in command) || typeof command.index !== "number")
    return false
  const target = model.payments[command.index % Math.max(1, model.payments.length)]
  return target?.status === "RequiresAction"
}

const onlyDeliverableWebhooks = <R>(command: Command<R>): Command<R> => ({
  check: (model) => command.check(model) && !webhookForPending(command, model),
  run: (model, real) => command.run(model, real),
  toString: () => command.toString()
})

const check = <R>(harness: Model.Harness<R>) =>
  FastCheck.assert(
    FastCheck.asyncProperty(
      FastCheck.commands(
        Model.commands(harness).map((arbitrary) => arbitrary.map(onlyDeliverableWebhooks)),
        { maxCommands: 8 }
      ),
      (commands) => Model.runCommands(harness, commands)
    ),
    { numRuns: runs }
  )

describe("model-based property against the Cashfree emulator", () => {
  for (const apiVersion of ["2025-01-01", "2022-09-01"] as const) {
    it(
      `agrees with the model on ${apiVersion}`,
      () => check(CashfreeFixtures.harness(adapter({ apiVersion }))),
      120_000
    )
  }
})
