/** The floor contender's client process (bundled by `Build.ts`, spawned by `main.ts`). */
import { start } from "../Client.js"
import { make } from "../contenders/Floor.js"

start(make)
