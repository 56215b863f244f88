// `npm start`: the checkout demo. Until examples/checkout exists (issue 7), say so clearly.
import { existsSync } from "node:fs"

const demo = new URL("../examples/checkout/package.json", import.meta.url)
if (!existsSync(demo)) {
  console.log(
    [
      "Payport: the checkout demo (examples/checkout) is not built yet.",
      "What exists today is @payport/core; run `npm test` to see its specification pass.",
      "Once the adapters and emulators land, `npm start` will run one provider-neutral checkout",
      "against Cashfree, CyberSource and the in-memory provider and print a table of each step."
    ].join("\n")
  )
  process.exit(0)
}
