import { fileURLToPath } from "node:url"
import { defineConfig, mergeConfig } from "vitest/config"
import shared from "../../vitest.shared.ts"

export default mergeConfig(
  shared,
  defineConfig({
    test: {
      globalSetup: [fileURLToPath(new URL("./test/support/globalSetup.ts", import.meta.url))],
      testTimeout: 300_000
    }
  })
)
