/**
 * A throwaway PostgreSQL server for tests: `initdb` into a temporary directory, `pg_ctl start` on
 * a free port on 127.0.0.1 (its socket in the same directory), trust authentication for the
 * `payport` role, durability off (a test database need not survive a power cut), and `stop`
 * removes everything.
 *
 * The binaries are looked up in `PAYPORT_PG_BIN`, then Debian's `/usr/lib/postgresql/<version>/bin`
 * (newest first), then `PATH`. `initdb` and `postgres` refuse to run as root, so as root the
 * directory is handed to the `postgres` user (which Debian's package creates; `nobody` otherwise)
 * and every command runs as that user through `runuser`.
 */
import { execFileSync, spawnSync } from "node:child_process"
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"

export interface Server {
  readonly url: string
  readonly stop: () => void
}

const binDir = (): string => {
  const fromEnv = process.env.PAYPORT_PG_BIN
  if (fromEnv !== undefined && existsSync(join(fromEnv, "initdb"))) return fromEnv
  const debian = "/usr/lib/postgresql"
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .filter((v) => existsSync(join(debian, v, "bin", "initdb")))
      .sort((a, b) => Number(b) - Number(a))
    if (versions[0] !== undefined) return join(debian, versions[0], "bin")
  }
  for (const dir of (process.env.PATH ?? "").split(":")) {
    if (dir !== "" && existsSync(join(dir, "initdb")) && existsSync(join(dir, "pg_ctl"))) return dir
  }
  throw new Error(
    "PostgreSQL binaries (initdb, pg_ctl) not found: install the postgresql package or set PAYPORT_PG_BIN"
  )
}

/** The unprivileged user to run the server as when we are root. */
const serverUser = (): { readonly name: string; readonly uid: number; readonly gid: number } => {
  for (const name of ["postgres", "nobody"]) {
    const uid = spawnSync("id", ["-u", name], { encoding: "utf8" })
    const gid = spawnSync("id", ["-g", name], { encoding: "utf8" })
    if (uid.status === 0 && gid.status === 0) return { name, uid: Number(uid.stdout), gid: Number(gid.stdout) }
  }
  throw new Error("no unprivileged user (postgres, nobody) to run PostgreSQL as")
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once("error", reject)
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      probe.close(() => resolve(port))
    })
  })

/** Starts a server; the caller must call `stop`. */
export const start = async (): Promise<Server> => {
  const bin = binDir()
  const root = mkdtempSync(join(tmpdir(), "payport-pg-"))
  const data = join(root, "data")
  const log = join(root, "server.log")
  const asRoot = process.getuid?.() === 0
  const user = asRoot ? serverUser() : undefined
  if (user !== undefined) chownSync(root, user.uid, user.gid)
  const exec = (tool: string, args: ReadonlyArray<string>) => {
    const command = join(bin, tool)
    try {
      if (user === undefined) execFileSync(command, args, { stdio: "pipe", cwd: root })
      else execFileSync("runuser", ["-u", user.name, "--", command, ...args], { stdio: "pipe", cwd: root })
    } catch (error) {
      const output = existsSync(log) ? readFileSync(log, "utf8") : ""
      throw new Error(`${tool} failed: ${String(error)}\n${output}`)
    }
  }
  exec("initdb", ["-D", data, "-U", "payport", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"])
  const port = await freePort()
  const settings = [
    `-p ${port}`,
    `-k ${root}`,
    "-c listen_addresses=127.0.0.1",
    "-c fsync=off",
    "-c synchronous_commit=off",
    "-c full_page_writes=off",
    "-c max_connections=200"
  ].join(" ")
  exec("pg_ctl", ["-D", data, "-l", log, "-o", settings, "-w", "-t", "60", "start"])
  let stopped = false
  return {
    url: `postgres://payport@127.0.0.1:${port}/postgres`,
    stop: () => {
      if (stopped) return
      stopped = true
      try {
        exec("pg_ctl", ["-D", data, "-m", "immediate", "-w", "-t", "30", "stop"])
      } finally {
        rmSync(root, { recursive: true, force: true })
      }
    }
  }
}
