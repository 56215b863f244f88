import { defineConfig } from "vitest/config"

/** Shared vitest settings for every workspace package. */
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: [new URL("./vitest.setup.ts", import.meta.url).pathname],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "threads",
    poolOptions: { threads: { maxThreads: 2, minThreads: 1 } }
  }
})
