#!/usr/bin/env node
// The installed package runs its build (dist/netguard.js, from `npm run build`);
// a checkout, which has the TypeScript sources, runs them through tsx instead, so
// that editing them needs no rebuild.
const fs = require("fs");
const path = require("path");

const sources = path.join(__dirname, "..", "cli", "main.ts");
if (fs.existsSync(sources)) {
    require("tsx/cjs");
    require(sources).main(process.argv);
} else {
    require("../dist/netguard.js").main(process.argv);
}
