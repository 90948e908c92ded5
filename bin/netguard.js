#!/usr/bin/env node
// Runs the TypeScript CLI directly: tsx compiles on load, so there is no build step.
require("tsx/cjs");
require("../cli/main").main(process.argv);
