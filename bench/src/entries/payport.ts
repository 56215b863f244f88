/** The payport contender's client process (bundled by `Build.ts`, spawned by `main.ts`). */
import { start } from "../Client.js"
import { make } from "../contenders/Payport.js"

start(make)
