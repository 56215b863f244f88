#!/usr/bin/env node
// Runs a Payport provider emulator: `payport-emulator cashfree|cybersource [--port N] ...`.
// The emulators are TypeScript sources (workspace packages export their sources), so register tsx first.
import { register } from "tsx/esm/api"

register()
await import("../src/internal/cli.ts")
