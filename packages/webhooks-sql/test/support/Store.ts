/**
 * A `SqlClient` layer from a store name: `postgres://…` (PostgreSQL) or `sqlite:<file>` (SQLite).
 */
import type * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import * as PgClient from "@effect/sql-pg/PgClient"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import type { ConfigError } from "effect/ConfigError"
import type * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"

export const sqlLayer = (
  store: string,
  maxConnections = 8
): Layer.Layer<SqlClient.SqlClient, SqlError | ConfigError> =>
  store.startsWith("sqlite:")
    ? SqliteClient.layer({ filename: store.slice("sqlite:".length) })
    : PgClient.layer({ url: Redacted.make(store), maxConnections })
