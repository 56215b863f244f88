#!/usr/bin/env node
// Runs a Payport provider emulator: `payport-emulator cashfree|cybersource [flags]` (see the README).
import "../dist/internal/cli.js"
