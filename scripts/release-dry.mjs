#!/usr/bin/env node
// `npm run release:dry`: builds every public package from clean and packs it into `.release/`, as
// `npm publish` would, then prints each tarball's size, unpacked size and file count. Nothing is
// published.
import { execFileSync } from "node:child_process"
import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

const root = fileURLToPath(new URL("..", import.meta.url))
const publicPackages = readdirSync(join(root, "packages"), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => join("packages", entry.name))
  .filter((dir) => JSON.parse(readFileSync(join(root, dir, "package.json"), "utf8")).private !== true)

const out = join(root, ".release")
rmSync(out, { recursive: true, force: true })
mkdirSync(out)
for (const dir of publicPackages) rmSync(join(root, dir, "dist"), { recursive: true, force: true })
execFileSync("npx", ["tsc", "-b", "tsconfig.build.json"], { cwd: root, stdio: "inherit" })

const packed = JSON.parse(
  execFileSync(
    "npm",
    ["pack", "--json", "--pack-destination", out, ...publicPackages.flatMap((d) => ["--workspace", d])],
    {
      cwd: root,
      encoding: "utf8"
    }
  )
)
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`
console.log("| package | tarball | unpacked | files |\n|---|---|---|---|")
for (const p of packed) console.log(`| \`${p.name}\` | ${kb(p.size)} | ${kb(p.unpackedSize)} | ${p.entryCount} |`)
console.log(`\n${packed.length} tarballs in .release/`)
