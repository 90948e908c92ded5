#!/usr/bin/env node
/**
 * `npm run build` (also `prepare`, so installing from git builds): turns the
 * TypeScript sources into what the package ships. Pulumi's Node.js runtime
 * compiles no TypeScript under node_modules, so everything here is JavaScript.
 *
 * - dist/components, dist/policies and what they import (dist/text,
 *   dist/addressing, dist/topology, dist/readers): the library (`tsc`, with
 *   declarations) behind the `docker-netguard` and `docker-netguard/policies`
 *   exports.
 * - dist/netguard.js: the CLI in one file. Its own libraries (commander,
 *   js-yaml, dockerode) are bundled in, so a user of the components does not
 *   install them; the packages it shares with the program it runs
 *   (@pulumi/*, the package's dependencies, typescript) stay external.
 * - policy-pack/: the CrossGuard pack, self-contained (PulumiPolicy.yaml, a
 *   package.json declaring its dependencies, one index.js), so that it runs
 *   from node_modules/docker-netguard/policy-pack and after its own `npm pack`.
 */
"use strict";
const { execFileSync } = require("child_process");
const fs = require("fs");
const path = require("path");
const esbuild = require("esbuild");

const ROOT = path.resolve(__dirname, "..");
const DIST = path.join(ROOT, "dist");
const PACK = path.join(ROOT, "policy-pack");
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));

/** Packages the installed package resolves at run time instead of carrying them. */
const installed = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})];

function bundle(entry, outfile, external) {
    esbuild.buildSync({
        entryPoints: [path.join(ROOT, entry)],
        outfile,
        bundle: true,
        platform: "node",
        format: "cjs",
        target: "node20",
        external,
        logLevel: "warning",
        legalComments: "none",
    });
}

function buildLibrary() {
    execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", path.join(ROOT, "tsconfig.build.json")], { stdio: "inherit" });
}

function buildCli() {
    // ssh2 (under dockerode) loads its optional native speedups in try/catch: leave them out.
    bundle("cli/main.ts", path.join(DIST, "netguard.js"), [...installed, "typescript", "cpu-features", "*.node"]);
}

function buildPolicyPack() {
    // The source pack (policies/package.json) declares what the pack imports; ranges come from this package.
    const packDeps = Object.keys(require(path.join(ROOT, "policies", "package.json")).dependencies);
    const range = (name) => pkg.dependencies?.[name] ?? pkg.peerDependencies?.[name];
    for (const name of packDeps) if (!range(name)) throw new Error(`build: ${name} is neither a dependency nor a peer dependency in package.json`);
    bundle("policies/index.ts", path.join(PACK, "index.js"), packDeps);
    fs.copyFileSync(path.join(ROOT, "policies", "PulumiPolicy.yaml"), path.join(PACK, "PulumiPolicy.yaml"));
    const manifest = {
        name: `${pkg.name}-policy-pack`,
        version: pkg.version,
        description: `CrossGuard policy pack of ${pkg.name} (built from its policies/ sources)`,
        license: pkg.license,
        main: "index.js",
        dependencies: Object.fromEntries(packDeps.map((name) => [name, range(name)])),
    };
    fs.writeFileSync(path.join(PACK, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
}

fs.rmSync(DIST, { recursive: true, force: true });
fs.rmSync(PACK, { recursive: true, force: true });
buildLibrary();
buildCli();
buildPolicyPack();
