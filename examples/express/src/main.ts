/** Runs the Express example on 127.0.0.1 (environment: see `@payport/example-http-api/Main`). */
import { configured } from "@payport/example-http-api/Main"
import { app } from "./app.js"

const { port, payport } = configured()
const server = app(payport).listen(port, "127.0.0.1", () => {
  console.log(`listening on http://127.0.0.1:${port}`)
})
const stop = () => server.close(() => void payport.close())
process.once("SIGINT", stop)
process.once("SIGTERM", stop)
