/**
 * One PostgreSQL server for the package's tests, started before them and stopped after.
 */
import type { TestProject } from "vitest/node"
import { start } from "./Postgres.js"

declare module "vitest" {
  export interface ProvidedContext {
    readonly postgresUrl: string
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const server = await start()
  project.provide("postgresUrl", server.url)
  return () => server.stop()
}
