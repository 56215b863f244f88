/**
 * Where webhook event ids are remembered, chosen by `PAYPORT_WEBHOOK_STORE`:
 * - `memory` (the default): in this process only — enough for one replica;
 * - `postgres://user:password@host:port/database`: PostgreSQL, shared by every replica;
 * - `sqlite:<file>`: a SQLite file, shared by the processes of one machine.
 *
 * The SQL stores are `@payport/webhooks-sql` on `@effect/sql-pg` / `@effect/sql-sqlite-node`; their
 * table is created by its migration at start. A bad value, or a store that cannot be opened, is a
 * `ConfigurationError` naming the variable (the value itself, which may hold a password, is never
 * printed).
 */
import type * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import * as PgClient from "@effect/sql-pg/PgClient"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import { Provider, WebhookDeduplication } from "@payport/core"
import { ConfigurationError } from "@payport/core/PaymentError"
import { SqlDeduplicator } from "@payport/webhooks-sql"
import * as Config from "effect/Config"
import type { ConfigError } from "effect/ConfigError"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"

const VARIABLE = "PAYPORT_WEBHOOK_STORE"

const unusable = (reason: string) => new ConfigurationError({ operation: "configure", variable: VARIABLE, reason })

/** The deduplicator `PAYPORT_WEBHOOK_STORE` names. */
export const layer: Layer.Layer<WebhookDeduplication.WebhookDeduplicator, ConfigurationError> = Layer.unwrapEffect(
  Effect.map(
    Provider.read(VARIABLE, Config.redacted(VARIABLE).pipe(Config.withDefault(Redacted.make("memory")))),
    (store) => {
      const value = Redacted.value(store)
      if (value === "memory") return WebhookDeduplication.layerMemory()
      const client: Layer.Layer<SqlClient.SqlClient, SqlError | ConfigError> | undefined = /^postgres(ql)?:\/\//.test(
        value
      )
        ? PgClient.layer({ url: store })
        : value.startsWith("sqlite:") && value.length > "sqlite:".length
          ? SqliteClient.layer({ filename: value.slice("sqlite:".length) })
          : undefined
      if (client === undefined) return Layer.fail(unusable("must be memory, postgres://… or sqlite:<file>"))
      return SqlDeduplicator.layer().pipe(
        Layer.provide(client),
        Layer.mapError((error) => unusable(`cannot open the webhook store (${error.message})`))
      )
    }
  )
)
