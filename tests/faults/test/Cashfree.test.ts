import { faultSuite } from "../src/Suite.js"

faultSuite("cashfree")
