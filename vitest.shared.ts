import { existsSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { defineConfig } from "vitest/config"

/**
 * The project's reference documents (provider specs, transcripts, vectors) live in `shared/`
 * beside the repository. Tests read them through `PAYPORT_SHARED_DIR`.
 */
const sharedDir = [fileURLToPath(new URL("../shared", import.meta.url)), "/work/shared"].find((dir) => existsSync(dir))

/**
 * Workspace packages export their built JavaScript; inside the repository, tests read their
 * TypeScript sources through the `@payport/source` export condition, so no build step is needed
 * between an edit and a test run. (The consumer test installs the packed tarballs instead.)
 */
const conditions = ["@payport/source", "node"]

/** Shared vitest settings for every workspace package. */
export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: [fileURLToPath(new URL("./vitest.setup.ts", import.meta.url))],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "threads",
    poolOptions: { threads: { maxThreads: 2, minThreads: 1 } },
    env: { PAYPORT_SHARED_DIR: sharedDir ?? "shared-documents-not-found" }
  }
})
