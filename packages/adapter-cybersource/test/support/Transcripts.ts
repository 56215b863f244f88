/**
 * The response bodies of shared/providers/cybersource-sandbox-transcripts.md, read from the file
 * itself so the tests decode exactly what the document records.
 */
import { readFileSync } from "node:fs"

const text = readFileSync(`${process.env.PAYPORT_SHARED_DIR}/providers/cybersource-sandbox-transcripts.md`, "utf8")

/** §1: the HTTP response bodies in the pre-scrubbed transcripts (`-> "{…}"`). */
export const exchanges: ReadonlyArray<string> = text
  .split("\n")
  .filter((line) => /^\s*-> "\{/.test(line))
  .map((line) => line.trim().slice(4, -1).replace(/\\"/g, '"'))

/** §1: the request bodies (`<- "{…}"`). */
export const requests: ReadonlyArray<string> = text
  .split("\n")
  .filter((line) => /^\s*<- "\{/.test(line))
  .map((line) => line.trim().slice(4, -1).replace(/\\"/g, '"'))

/** §2: the fixture responses, by method name (`def successful_capture_response`). */
export const fixtures: Readonly<Record<string, string>> = Object.fromEntries(
  [...text.matchAll(/def (\w+)\n\s*<<-RESPONSE\n([\s\S]*?)\n\s*RESPONSE/g)].map((m) => [m[1] ?? "", m[2] ?? ""])
)

/** §3: the bodies quoted in issues, in order (the last one is a truncated prefix). */
export const quoted: ReadonlyArray<string> = text
  .slice(text.indexOf("## 3."))
  .split("\n")
  .map((line) => line.trim())
  .filter((line) => line.startsWith("{"))
