/**
 * esbuild: the client processes' bundles, and the minified + gzipped size of the minimal
 * "pay by card" programs.
 *
 * Client bundles inline Payport's workspace sources (which `exports` as TypeScript, as a
 * published build would ship compiled JS) and leave every other package external, loaded from
 * node_modules as in production, so no contender pays a TypeScript loader at start.
 */
import { mkdirSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { gzipSync } from "node:zlib"
import { build, type Plugin } from "esbuild"
import type { Contender } from "./Protocol.js"

const here = dirname(fileURLToPath(import.meta.url))
/** The bench workspace root. */
export const benchRoot = resolve(here, "..")

const externalButPayport: Plugin = {
  name: "external-but-payport",
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith("@payport/") ? undefined : { path: args.path, external: true }
    )
  }
}

/** How a client program is deployed: one file, or its dependencies loaded from node_modules. */
export type Form = "bundled" | "node_modules"

/** The file to run per contender, in each form. */
export type ClientBundles = { readonly [F in Form]: { readonly [C in Contender]: string } }

/**
 * Bundles each contender's client entry twice: into `.build/` with every dependency but
 * Payport's left external (loaded from node_modules, the form the measured loops run), and into
 * `.build/bundled/` with everything inlined, as a serverless deployment ships it (the cold start
 * figure). CommonJS dependencies inlined into ESM get a `require` from `createRequire`.
 */
export const buildClients = async (): Promise<ClientBundles> => {
  const entryPoints = ["floor", "payport", "sdk"].map((name) => join(here, "entries", `${name}.ts`))
  const common = {
    entryPoints,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    logLevel: "error"
  } as const
  const outdir = join(benchRoot, ".build")
  const bundled = join(outdir, "bundled")
  mkdirSync(bundled, { recursive: true })
  await Promise.all([
    build({ ...common, outdir, plugins: [externalButPayport] }),
    build({
      ...common,
      outdir: bundled,
      // An optional native dependency of the CyberSource SDK's cookie agent, absent here.
      external: ["deasync"],
      banner: {
        js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);'
      }
    })
  ])
  const files = (dir: string) => ({
    floor: join(dir, "floor.mjs"),
    "floor-http": join(dir, "floor.mjs"),
    "floor-same": join(dir, "floor.mjs"),
    payport: join(dir, "payport.mjs"),
    "payport-fetch": join(dir, "payport.mjs"),
    sdk: join(dir, "sdk.mjs")
  })
  return { node_modules: files(outdir), bundled: files(bundled) }
}

/** The minimal programs whose bundles are weighed. */
export const programs = {
  "payport-cashfree": "PayportCashfree.ts",
  "sdk-cashfree": "SdkCashfree.ts",
  "payport-cybersource": "PayportCyberSource.ts",
  "sdk-cybersource": "SdkCyberSource.ts"
} as const

/** One weighed program. */
export interface BundleSize {
  readonly program: keyof typeof programs
  readonly minifiedBytes: number
  readonly gzippedBytes: number
}

/**
 * Bundles (platform node, everything inlined but `deasync`, minified) and gzips each minimal
 * program.
 */
export const bundleSizes = async (): Promise<ReadonlyArray<BundleSize>> => {
  const sizes: Array<BundleSize> = []
  for (const [program, file] of Object.entries(programs) as Array<[keyof typeof programs, string]>) {
    const result = await build({
      entryPoints: [join(here, "programs", file)],
      bundle: true,
      minify: true,
      platform: "node",
      format: "esm",
      target: "node20",
      write: false,
      // An optional native dependency of the CyberSource SDK's cookie agent, absent here.
      external: ["deasync"],
      logLevel: "silent"
    })
    const bytes = result.outputFiles.reduce((n, f) => n + f.contents.byteLength, 0)
    const joined = Buffer.concat(result.outputFiles.map((f) => f.contents))
    sizes.push({ program, minifiedBytes: bytes, gzippedBytes: gzipSync(joined, { level: 9 }).byteLength })
  }
  return sizes
}
