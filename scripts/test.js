#!/usr/bin/env node
/**
 * `npm test`: every tier, in the order that keeps a cold machine busy.
 *
 *   node scripts/test.js                 all tiers
 *   node scripts/test.js unit docker-29  only the named tiers (see TIERS)
 *
 * The long builds the conformance tiers need (the Pulumi CLI, Docker Engine
 * 29, the Compose CLI plugin: each cached after its first run) start at once in
 * the background, while the type-check and the unit tier run; each
 * conformance tier waits only for the builds it needs. Every tier prints its
 * time, and the run ends with one line `tests: N passed, N failed`.
 * The oracle's tiers (fuzz-20, fuzz-29) count a case that agrees with the
 * engine as passed, one with known disagreements only as pending, and each
 * new or vanished disagreement as a failure. Exit
 * status: 0 when every tier passed, 1 otherwise.
 */
"use strict";
const { spawn } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

const ROOT = path.resolve(__dirname, "..");
const MOCHA = path.join(ROOT, "node_modules", "mocha", "bin", "mocha.js");
const LOGS = fs.mkdtempSync(path.join(os.tmpdir(), "netguard-test-"));

/** The conformance tiers' mocha options; each tier names its folder (the unit tier is plain `mocha`, .mocharc.json). */
const CONFORMANCE_MOCHA = ["--config", "test/conformance/.mocharc.json"];

/**
 * The oracle's bounded run in every CI run, per kind of case (docker command
 * lines; @pulumi/docker programs): a fixed seed, so that its disagreements
 * are known ones. Each known disagreement is kept in KNOWN_DISAGREEMENTS
 * (with a fixture under test/fixtures/oracle/); the tier fails on a new one,
 * and on a known one that is gone (remove it: the ratchet only tightens). A
 * larger run is `npm run fuzz -- --kind K --runs N --seed S`.
 */
const FUZZ = { command: { runs: 120, seed: 20261206 }, program: { runs: 60, seed: 1 }, compose: { runs: 60, seed: 1 } };
/** In the titles of the unit tests that need the Compose plugin (test/unit/readers/compose/composeHelpers.ts). */
const COMPOSE_PLUGIN_TAG = "[compose plugin]";
const KNOWN_DISAGREEMENTS = path.join(ROOT, "test", "fixtures", "oracle", "known-disagreements.json");

/** Background builds, by name: a script that prints its result as its last stdout line. */
const BUILDS = {
    "pulumi-cli": ["bash", "scripts/pulumi-cli.sh"],
    "engine-29": ["bash", "scripts/docker-engine-29-build.sh"],
    compose: ["bash", "scripts/docker-compose.sh", "install"],
};

/** @typedef {{ name: string, needs?: string[], command?: () => Promise<string[]> | string[], specs?: string[], env?: Record<string, string>, engine?: "20" | "29", fuzz?: "20" | "29" }} Tier */
/** @type {Tier[]} */
const TIERS = [
    { name: "typecheck", command: () => [process.execPath, require.resolve("typescript/bin/tsc"), "--noEmit", "-p", "."] },
    // Needs no engine, no Pulumi CLI, no browser: proven by pointing DOCKER_HOST nowhere.
    { name: "unit", command: () => [process.execPath, MOCHA, "--fgrep", COMPOSE_PLUGIN_TAG, "--invert"], env: { DOCKER_HOST: "unix:///nonexistent" } },
    { name: "engine", needs: ["pulumi-cli"], specs: ["test/conformance/engine"] },
    { name: "provider", needs: ["pulumi-cli"], specs: ["test/conformance/provider"] },
    { name: "package", specs: ["test/conformance/package"] },
    { name: "render", specs: ["test/conformance/render"] },
    // The unit tests left out above, which need the Compose plugin (and no engine): a missing plugin fails them here.
    { name: "compose", needs: ["compose"], command: () => [process.execPath, MOCHA, "--fgrep", COMPOSE_PLUGIN_TAG], env: { DOCKER_HOST: "unix:///nonexistent", NETGUARD_REQUIRE_COMPOSE_PLUGIN: "1" } },
    { name: "docker-20", needs: ["compose"], specs: ["test/conformance/docker"], engine: "20" },
    { name: "docker-29", needs: ["engine-29", "compose"], specs: ["test/conformance/docker"], engine: "29" },
    { name: "fuzz-20", needs: ["compose"], fuzz: "20" },
    { name: "fuzz-29", needs: ["engine-29", "compose"], fuzz: "29" },
];

function elapsed(since) {
    const seconds = Math.round((Date.now() - since) / 1000);
    return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, "0")}s`;
}

function say(text) {
    process.stdout.write(`\n== ${text}\n`);
}

/**
 * Runs a command with its output on ours (and, when `log` is given, kept there too);
 * with `stdoutFile`, its stdout goes to that file alone (a result to read back).
 * Resolves with its exit code.
 */
function run(argv, { env = {}, log, quiet = false, stdoutFile } = {}) {
    return new Promise((resolve) => {
        const stdout = stdoutFile ? fs.openSync(stdoutFile, "w") : "pipe";
        const child = spawn(argv[0], argv.slice(1), { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", stdout, "pipe"] });
        if (typeof stdout === "number") fs.closeSync(stdout); // the child holds its own copy
        const sink = log ? fs.createWriteStream(log) : undefined;
        const forward = (stream, target) =>
            stream?.on("data", (chunk) => {
                sink?.write(chunk);
                if (!quiet) target.write(chunk);
            });
        forward(child.stdout, process.stdout);
        forward(child.stderr, process.stderr);
        child.on("error", (error) => {
            process.stderr.write(`test: cannot run ${argv.join(" ")}: ${error.message}\n`);
            resolve(127);
        });
        child.on("close", (code) => {
            sink?.end();
            resolve(code ?? 1);
        });
    });
}

/** The last line a command wrote to its stdout file (the scripts print their result there). */
const lastLine = (file) => fs.readFileSync(file, "utf8").trim().split("\n").pop()?.trim();

/** Starts every build now; each resolves with its last stdout line, or rejects naming its log. */
function startBuilds(names) {
    const builds = {};
    for (const name of names) {
        const log = path.join(LOGS, `build-${name}.log`);
        const result = path.join(LOGS, `build-${name}.out`);
        const started = Date.now();
        builds[name] = run(BUILDS[name], { log, quiet: true, stdoutFile: result }).then((code) => {
            if (code !== 0) throw new Error(`build ${name} failed (exit ${code}); its log:\n${fs.readFileSync(log, "utf8").split("\n").slice(-30).join("\n")}`);
            say(`build ${name}: done in ${elapsed(started)}`);
            return lastLine(result);
        });
        builds[name].catch(() => undefined); // reported when a tier waits for it
    }
    return builds;
}

/** Engine 29 for one tier: started (cached build) for it, stopped after it when this run started it. */
async function withEngine29(body) {
    const hostFile = path.join(LOGS, "engine-29-host.out");
    const wasRunning = (await run(["bash", "scripts/docker-engine.sh", "status", "--engine", "29"], { quiet: true })) === 0;
    if ((await run(["bash", "scripts/docker-engine.sh", "start", "--engine", "29"], { stdoutFile: hostFile })) !== 0) return { code: 1 };
    const host = lastLine(hostFile);
    if (!host) return { code: 1 };
    try {
        // As for the system engine in .ci/run: the probe image, and a single-node swarm for the swarm specs.
        const env = { DOCKER_HOST: host, NETGUARD_DOCKER_STATE_DIR: path.join(LOGS, "engine-29-state") };
        for (const step of [["scripts/build-test-image.sh"], ["scripts/docker-swarm.sh", "start"]]) {
            const code = await run(["bash", ...step], { env });
            if (code !== 0) return { code };
        }
        return await body(host);
    } finally {
        if (!wasRunning) await run(["bash", "scripts/docker-engine.sh", "stop", "--engine", "29"]);
    }
}

/** One disagreement as the ratchet knows it: stable for a fixed seed. */
const signature = (d) => `case ${d.index} ${d.field}`;

/** Runs the oracle on `engine`, each kind in turn, and holds its disagreements to the known ones. */
async function fuzzTier(engine, log) {
    const knownFile = fs.existsSync(KNOWN_DISAGREEMENTS) ? JSON.parse(fs.readFileSync(KNOWN_DISAGREEMENTS, "utf8")) : {};
    const total = { code: 0, passed: 0, failed: 0, pending: 0 };
    const reports = [];
    for (const [kind, { runs, seed }] of Object.entries(FUZZ)) {
        const result = await fuzzKind(engine, kind, runs, seed, knownFile[kind] ?? { seed, runs });
        reports.push(result.report);
        total.code = Math.max(total.code, result.code);
        total.passed += result.passed;
        total.failed += result.failed;
        total.pending += result.pending;
    }
    fs.writeFileSync(log, `${reports.join("\n")}\n`);
    return total;
}

/** One kind of case on `engine`: its disagreements against the known ones for that kind. */
async function fuzzKind(engine, kind, runs, seed, known) {
    const out = path.join(LOGS, `fuzz-${engine}-${kind}.json`);
    const progress = path.join(LOGS, `fuzz-${engine}-${kind}.progress.log`);
    const argv = [process.execPath, "--import", "tsx", "oracle/fuzz.ts", "--kind", kind, "--runs", String(runs), "--seed", String(seed), "--engine", engine, "--json", "--no-save", "--shrink-seconds", "0"];
    // The JSON document alone goes to its file; the per-case progress to another.
    const code = await run(argv, { log: progress, quiet: true, stdoutFile: out });
    if (code !== 0 && code !== 1) {
        process.stderr.write(fs.readFileSync(progress, "utf8").split("\n").slice(-20).join("\n"));
        return { code, passed: 0, failed: 1, pending: 0, report: `oracle (${kind}) on Docker ${engine}: the harness failed (exit ${code})` };
    }
    if (known.seed !== seed || known.runs !== runs) {
        const report = `${path.relative(ROOT, KNOWN_DISAGREEMENTS)} holds ${kind} cases for seed ${known.seed} and ${known.runs} runs, not ${seed} and ${runs}: regenerate it`;
        process.stderr.write(`test: ${report}\n`);
        return { code: 1, passed: 0, failed: 1, pending: 0, report };
    }
    const disagreements = JSON.parse(fs.readFileSync(out, "utf8")).disagreements;
    const found = new Set(disagreements.map(signature));
    const casesDisagreeing = new Set(disagreements.map((d) => d.index)).size;
    const expected = new Set(known[engine] ?? []);
    const fresh = [...found].filter((d) => !expected.has(d));
    const gone = [...expected].filter((d) => !found.has(d));
    const report = [
        `oracle (${kind}) on Docker ${engine}: ${runs} cases (seed ${seed}), ${found.size} disagreements, ${expected.size} known`,
        ...fresh.map((d) => `  NEW: ${d}`),
        ...gone.map((d) => `  GONE (remove it from ${path.relative(ROOT, KNOWN_DISAGREEMENTS)}): ${d}`),
    ].join("\n");
    process.stdout.write(`${report}\n`);
    const failed = fresh.length + gone.length;
    // Cases that agree pass; those with known disagreements only are counted apart, as pending work.
    return { code: failed > 0 ? 1 : 0, passed: runs - casesDisagreeing, failed, pending: casesDisagreeing, report };
}

/** Counts of one mocha run, read from its closing lines. */
function counts(log) {
    const text = fs.existsSync(log) ? fs.readFileSync(log, "utf8") : "";
    const count = (word) => Number(new RegExp(`^\\s*(\\d+) ${word}`, "m").exec(text)?.[1] ?? 0);
    return { passed: count("passing"), failed: count("failing"), pending: count("pending") };
}

async function runTier(tier) {
    const log = path.join(LOGS, `${tier.name}.log`);
    if (tier.fuzz === "29") return withEngine29(() => fuzzTier("29", log));
    if (tier.fuzz) return fuzzTier(tier.fuzz, log);
    if (tier.command) return { code: await run(await tier.command(), { env: tier.env, log }), ...counts(log) };
    const mocha = [process.execPath, MOCHA, ...CONFORMANCE_MOCHA, ...tier.specs];
    const env = { ...tier.env, ...(tier.engine ? { NETGUARD_DOCKER_ENGINE: tier.engine } : {}) };
    if (tier.engine === "29") {
        const result = await withEngine29((host) =>
            run(["bash", "scripts/docker-engine.sh", "exec", "--engine", "29", "--", ...mocha], { env: { ...env, DOCKER_HOST: host }, log }).then((code) => ({ code })),
        );
        return { ...result, ...counts(log) };
    }
    return { code: await run(mocha, { env, log }), ...counts(log) };
}

async function main() {
    const wanted = process.argv.slice(2);
    const unknown = wanted.filter((name) => !TIERS.some((tier) => tier.name === name));
    if (unknown.length > 0) {
        process.stderr.write(`test: unknown tier ${unknown.join(", ")}; tiers: ${TIERS.map((tier) => tier.name).join(", ")}\n`);
        process.exit(2);
    }
    const tiers = wanted.length > 0 ? TIERS.filter((tier) => wanted.includes(tier.name)) : TIERS;
    const builds = startBuilds([...new Set(tiers.flatMap((tier) => tier.needs ?? []))]);
    const total = { passed: 0, failed: 0, pending: 0 };
    const summary = [];
    let failedTiers = 0;
    const started = Date.now();
    for (const tier of tiers) {
        const waited = Date.now();
        try {
            await Promise.all((tier.needs ?? []).map((name) => builds[name]));
        } catch (error) {
            process.stderr.write(`test: tier ${tier.name} cannot run: ${error.message}\n`);
            summary.push(`${tier.name}: FAILED (a build it needs failed)`);
            total.failed++;
            failedTiers++;
            continue;
        }
        if (Date.now() - waited > 1000) say(`tier ${tier.name}: waited ${elapsed(waited)} for its builds`);
        say(`tier ${tier.name}`);
        const began = Date.now();
        const result = await runTier(tier);
        // A tier that failed before it counted anything (a set-up step) still counts as one failure.
        const passed = result.passed ?? 0;
        const pending = result.pending ?? 0;
        const failed = result.code !== 0 ? Math.max(result.failed ?? 0, 1) : (result.failed ?? 0);
        if (result.code !== 0) failedTiers++;
        total.passed += passed;
        total.failed += failed;
        total.pending += pending;
        summary.push(`${tier.name}: ${result.code === 0 ? "ok" : "FAILED"} in ${elapsed(began)} (${passed} passed, ${failed} failed${pending ? `, ${pending} pending` : ""})`);
        say(`tier ${tier.name}: ${summary[summary.length - 1]}`);
    }
    say(`tiers (total ${elapsed(started)}; logs in ${LOGS}):\n${summary.map((line) => `   ${line}`).join("\n")}`);
    process.stdout.write(`tests: ${total.passed} passed, ${total.failed} failed${total.pending ? `, ${total.pending} skipped` : ""}\n`);
    // Any tier that failed fails the run, whatever the counts say.
    process.exit(failedTiers > 0 || total.failed > 0 ? 1 : 0);
}

main().catch((error) => {
    process.stderr.write(`test: ${error.stack ?? error}\n`);
    process.exit(2);
});
