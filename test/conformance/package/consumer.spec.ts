/**
 * docker-netguard as a user gets it: `npm pack` of this repository installed
 * into a fresh project that has only @pulumi/pulumi, @pulumi/docker and
 * typescript (at the versions of package-lock.json). Its program runs
 * through @pulumi/pulumi's own `cmd/run` (its ts-node, type-checking, which
 * compiles nothing under node_modules) against a mock engine; the installed
 * pack runs through `cmd/run-policy-pack`, as the Pulumi CLI starts a Node.js
 * pack, and judges a resource over the Analyzer gRPC API.
 */
import * as grpc from "@grpc/grpc-js";
import * as assert from "assert";
import { ChildProcess, execFileSync, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import { builtinModules } from "module";
import * as os from "os";
import * as path from "path";
import { PACK_NAME, rules } from "../../../policies/pack";
import { REPO_ROOT } from "../../helpers/netguardCli";
import { MockEngine, startMockEngine } from "./mockEngine";

/* eslint-disable @typescript-eslint/no-require-imports */
const analyzerGrpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
const analyzerPb = require("@pulumi/pulumi/proto/analyzer_pb");
const structPb = require("google-protobuf/google/protobuf/struct_pb");

const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { name: string; version: string };
const lock = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, { version: string }> };
const locked = (name: string) => lock.packages[`node_modules/${name}`].version;
const PACK_FOLDER = "policy-pack";

/**
 * The project a user starts from: `pulumi new typescript`'s tsconfig.json (pulumi/templates
 * typescript/tsconfig.json: commonjs until March 2026, nodenext since), the package from a
 * tarball. Strict, and no skipLibCheck: every declaration file the program reaches is checked.
 */
const TEMPLATE_COMPILER_OPTIONS = {
    strict: true,
    outDir: "bin",
    target: "es2020",
    module: "commonjs",
    moduleResolution: "node",
    sourceMap: true,
    experimentalDecorators: true,
    pretty: true,
    noFallthroughCasesInSwitch: true,
    noImplicitReturns: true,
    forceConsistentCasingInFileNames: true,
};
const CONSUMER_TSCONFIG = { compilerOptions: TEMPLATE_COMPILER_OPTIONS, files: ["index.ts"] };
/** The current template: the same program under `module`/`moduleResolution` nodenext. */
const NODENEXT_TSCONFIG = { compilerOptions: { ...TEMPLATE_COMPILER_OPTIONS, module: "nodenext", moduleResolution: "nodenext" }, files: ["../index.ts"] };
/**
 * A team composing its own pack from ours. Importing `@pulumi/policy` itself reaches its
 * declarations (1.21's proxy.d.ts does not type-check), so this project needs skipLibCheck
 * whatever docker-netguard does; what it checks is that our `policies` still fit `PolicyPack`.
 */
const COMPOSER_TSCONFIG = { compilerOptions: { ...TEMPLATE_COMPILER_OPTIONS, skipLibCheck: true }, files: ["index.ts"] };
const COMPOSER_PROGRAM = `import { PolicyPack, ResourceValidationPolicy } from "@pulumi/policy";
import { PACK_NAME, policies } from "docker-netguard/policies";

const theirs: ResourceValidationPolicy = { name: "team-no-latest", description: "No :latest images.", validateResource: () => {} };
export function compose(): PolicyPack {
    return new PolicyPack(\`\${PACK_NAME}-team\`, { policies: [...policies, theirs] });
}
`;
const CONSUMER_PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import { DualHomedContainer, DualHomedService, IsolatedServiceNet } from "docker-netguard";
import { PACK_NAME, policies, rules } from "docker-netguard/policies";

const data = new IsolatedServiceNet("data", {
    subnet: "10.30.1.0/24",
    internal: true,
    services: { db: { image: "postgres:16-alpine", aliases: ["postgres"], ipv4Address: "10.30.1.10" } },
});
const front = new IsolatedServiceNet("front", { subnet: "10.30.2.0/24", services: { web: { image: "nginx:1.27-alpine" } } });
new DualHomedContainer("api", { image: "node:20-alpine", attachments: [{ net: front }, { net: data, aliases: ["data-api"] }] });

const edge = new IsolatedServiceNet("edge", { scope: "swarm", subnet: "10.31.1.0/24", services: { proxy: { image: "nginx:1.27-alpine", replicas: 2 } } });
const core = new IsolatedServiceNet("core", { scope: "swarm", subnet: "10.31.2.0/24", internal: true });
new DualHomedService("gateway", { image: "busybox", attachments: [{ net: edge }, { net: core, aliases: ["core-gw"] }] });

export const subnets: string[] = [data.subnet, front.subnet];
export const pack = { name: PACK_NAME, policies: policies.length, rules: rules.map((rule) => rule.name) };
export const levels: (string | undefined)[] = policies.map((policy) => policy.enforcementLevel);
export const stack: string = pulumi.getStack();
`;

interface PackedFile {
    path: string;
}

function run(command: string, args: string[], cwd: string): string {
    return execFileSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 * 1024 * 1024 });
}

/** Runs node with `args` without blocking this process, whose event loop serves the mock engine. */
function node(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<{ status: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
        const child = spawn(process.execPath, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk) => (stdout += chunk));
        child.stderr.on("data", (chunk) => (stderr += chunk));
        child.on("close", (status) => resolve({ status, stdout, stderr }));
    });
}

/** What the Node.js language host would start for `pulumi preview` of the program in `dir`. */
function pulumiRun(engine: MockEngine, dir: string, program: string) {
    const runner = require.resolve("@pulumi/pulumi/cmd/run", { paths: [dir] });
    const env: NodeJS.ProcessEnv = { ...process.env, PULUMI_NODEJS_TYPESCRIPT: "true", PULUMI_CONFIG: "{}" };
    delete env.PULUMI_NODEJS_TRANSPILE_ONLY;
    const flags = [`--monitor=${engine.address}`, `--engine=${engine.address}`, "--project=consumer", "--stack=dev", "--organization=organization", `--pwd=${dir}`, "--dry-run"];
    return node([runner, ...flags, program], { cwd: dir, env });
}

/** Starts a Node.js policy pack the way the Pulumi CLI does and returns the port it announces. */
async function startPack(packDir: string, engine: string): Promise<{ child: ChildProcess; port: number }> {
    const launcher = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [packDir] });
    const child = spawn(process.execPath, [launcher, engine, "."], { cwd: packDir, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr!.on("data", (chunk) => (stderr += chunk));
    const port = await new Promise<number>((resolve, reject) => {
        let out = "";
        child.stdout!.on("data", (chunk) => {
            out += chunk;
            if (out.includes("\n")) resolve(Number(out.split("\n")[0].trim()));
        });
        child.on("exit", (code) => reject(new Error(`the pack exited with ${code} before announcing a port: ${stderr}`)));
    });
    return { child, port };
}

describe("the package, installed from its tarball into a fresh project", function () {
    this.timeout(600_000);
    let work: string;
    let consumer: string;
    let packed: { filename: string; size: number; unpackedSize: number; files: PackedFile[] };
    let engine: MockEngine;

    before(() => {
        work = fs.mkdtempSync(path.join(os.tmpdir(), "netguard-consumer-"));
        // `npm pack` runs `prepare`, which builds: the tarball is what a user would get.
        [packed] = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", work], REPO_ROOT));
        consumer = path.join(work, "consumer");
        fs.mkdirSync(consumer);
        const dependencies = {
            [pkg.name]: `file:${path.join(work, packed.filename)}`,
            "@pulumi/pulumi": locked("@pulumi/pulumi"),
            "@pulumi/docker": locked("@pulumi/docker"),
            typescript: locked("typescript"),
            "@types/node": locked("@types/node"),
        };
        fs.writeFileSync(path.join(consumer, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", private: true, dependencies }, null, 2));
        fs.writeFileSync(path.join(consumer, "Pulumi.yaml"), "name: consumer\nruntime: nodejs\n");
        fs.writeFileSync(path.join(consumer, "tsconfig.json"), JSON.stringify(CONSUMER_TSCONFIG, null, 2));
        fs.writeFileSync(path.join(consumer, "index.ts"), CONSUMER_PROGRAM);
        fs.mkdirSync(path.join(consumer, "nodenext"));
        fs.writeFileSync(path.join(consumer, "nodenext", "tsconfig.json"), JSON.stringify(NODENEXT_TSCONFIG, null, 2));
        fs.mkdirSync(path.join(consumer, "composer"));
        fs.writeFileSync(path.join(consumer, "composer", "tsconfig.json"), JSON.stringify(COMPOSER_TSCONFIG, null, 2));
        fs.writeFileSync(path.join(consumer, "composer", "index.ts"), COMPOSER_PROGRAM);
        // No install scripts: @pulumi/docker's would fetch its provider plugin, which a preview under mocks does not need.
        run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts"], consumer);
    });
    beforeEach(async () => {
        engine = await startMockEngine("consumer", "dev");
    });
    afterEach(() => engine.stop());
    after(() => fs.rmSync(work, { recursive: true, force: true }));

    it("holds only what users need: built JavaScript, declarations, the pack, the bin, README and LICENSE", () => {
        const files = packed.files.map((file) => file.path).sort();
        const unexpected = files.filter((file) => !/^(dist\/.+\.(js|d\.ts)|policy-pack\/(index\.js|package\.json|PulumiPolicy\.yaml)|bin\/netguard\.js|package\.json|README\.md|LICENSE)$/.test(file));
        assert.deepStrictEqual(unexpected, []);
        for (const needed of ["dist/components/index.js", "dist/components/index.d.ts", "dist/policies/pack.js", "dist/policies/pack.d.ts", "dist/netguard.js", "LICENSE"]) {
            assert.ok(files.includes(needed), `${needed} is in the tarball`);
        }
        assert.deepStrictEqual(files.filter((file) => file.endsWith("PulumiPolicy.yaml")), [`${PACK_FOLDER}/PulumiPolicy.yaml`], "exactly one policy pack");
        console.log(`      tarball ${packed.filename}: ${packed.files.length} files, ${packed.size} bytes (${packed.unpackedSize} unpacked)`);
    });

    /** `tsc --noEmit --listFiles` in the consumer: unlike ts-node (cmd/run), tsc checks every .d.ts it loads. */
    function tsc(project: string) {
        const result = spawnSync(process.execPath, [path.join(consumer, "node_modules", "typescript", "bin", "tsc"), "--noEmit", "--listFiles", "-p", project], {
            cwd: consumer,
            encoding: "utf8",
            maxBuffer: 64 * 1024 * 1024,
        });
        const lines = result.stdout.split("\n");
        const files = lines.filter((line) => path.isAbsolute(line.trim())).map((line) => path.relative(consumer, line.trim()));
        // The template sets `pretty`: drop its colours from the message.
        const errors = lines.filter((line) => !path.isAbsolute(line.trim())).join("\n").replace(/\x1b\[[0-9;]*m/g, "").trim();
        return { status: result.status, files, errors: `${errors}${result.stderr}` };
    }

    for (const [label, project] of [
        ["the template tsconfig (commonjs)", "."],
        ["the template tsconfig with nodenext", "nodenext"],
    ]) {
        it(`type-checks a program importing docker-netguard and docker-netguard/policies with tsc under ${label}, strict and without skipLibCheck`, () => {
            const result = tsc(project);
            assert.strictEqual(result.status, 0, `tsc failed:\n${result.errors}`);
            assert.ok(result.files.includes(path.join("node_modules", pkg.name, "dist", "policies", "pack.d.ts")), "the program reached the policies' declarations");
            const upstream = result.files.filter((file) => file.startsWith(path.join("node_modules", "@pulumi", "policy")));
            assert.ok(!upstream.some((file) => /proxy\.d\.ts$|policy[\\/]index\.d\.ts$/.test(file)), `our declarations do not reach @pulumi/policy's index.d.ts or proxy.d.ts: ${upstream.join(", ")}`);
        });
    }

    it("lets a team compose its own PolicyPack from the exported policies (tsc, skipLibCheck for @pulumi/policy's own declarations)", () => {
        const result = tsc("composer");
        assert.strictEqual(result.status, 0, `tsc failed:\n${result.errors}`);
    });

    it("runs a TypeScript program with the components under @pulumi/pulumi's cmd/run, type-checked", async () => {
        const result = await pulumiRun(engine, consumer, ".");
        assert.strictEqual(result.status, 0, `cmd/run failed:\n${result.stderr}\n${result.stdout}\n${engine.logs.join("\n")}`);

        const byName = (type: string, name: string) => engine.registrations.find((r) => r.type === type && r.name === name);
        const net = byName("docker:index/network:Network", "data");
        assert.ok(net, `the network was registered: ${engine.registrations.map((r) => `${r.type} ${r.name}`).join(", ")}`);
        assert.deepStrictEqual(net.inputs.ipamConfigs, [{ subnet: "10.30.1.0/24", gateway: "10.30.1.1" }]);
        assert.strictEqual(net.inputs.internal, true);
        assert.strictEqual(net.parent, byName("netguard:index:IsolatedServiceNet", "data")?.urn);
        const db = byName("docker:index/container:Container", "data-db");
        const attachments = db?.inputs.networksAdvanced as { aliases: string[]; ipv4Address: string }[];
        assert.deepStrictEqual(attachments.map((a) => [a.aliases, a.ipv4Address]), [[["db", "postgres"], "10.30.1.10"]]);
        const api = byName("docker:index/container:Container", "api");
        assert.ok(api && api.parent === byName("netguard:index:DualHomedContainer", "api")?.urn, "the container api is the DualHomedContainer's child");
        assert.strictEqual((api.inputs.networksAdvanced as unknown[]).length, 2);
        assert.deepStrictEqual([byName("docker:index/network:Network", "edge")?.inputs.driver, byName("docker:index/network:Network", "edge")?.inputs.options], ["overlay", { encrypted: "true" }]);
        assert.deepStrictEqual(byName("docker:index/service:Service", "edge-proxy")?.inputs.mode, { replicated: { replicas: 2 } });
        const gateway = byName("docker:index/service:Service", "gateway");
        assert.ok(gateway && gateway.parent === byName("netguard:index:DualHomedService", "gateway")?.urn, "the service gateway is the DualHomedService's child");

        const stack = engine.registrations.find((r) => r.type === "pulumi:pulumi:Stack");
        const outputs = engine.outputs.get(stack!.urn)!;
        assert.deepStrictEqual(outputs.subnets, ["10.30.1.0/24", "10.30.2.0/24"]);
        // The installed policies are this repository's, one per rule.
        assert.deepStrictEqual(outputs.pack, { name: PACK_NAME, policies: rules.length, rules: rules.map((rule) => rule.name) });
    });

    it("fails under cmd/run, as pulumi preview would, when the program has a type error", async () => {
        const broken = path.join(consumer, "broken");
        fs.mkdirSync(broken, { recursive: true });
        fs.writeFileSync(path.join(broken, "index.ts"), `import { IsolatedServiceNet } from "docker-netguard";\nnew IsolatedServiceNet("n", { subnet: 24 });\n`);
        const result = await pulumiRun(engine, consumer, "./broken");
        assert.notStrictEqual(result.status, 0);
        assert.match(`${result.stderr}${engine.logs.join("\n")}`, /TS2322/);
    });

    it("runs the installed netguard bin on the program, resolving docker-netguard from the project", () => {
        const result = spawnSync(process.execPath, [path.join(consumer, "node_modules", ".bin", "netguard"), "preview", "--json"], { cwd: consumer, encoding: "utf8" });
        assert.strictEqual(result.status, 0, result.stderr);
        const doc = JSON.parse(result.stdout) as { networks: { name: string; subnet: string }[]; violations: unknown[] };
        assert.deepStrictEqual(doc.networks.map((n) => [n.name, n.subnet]), [
            ["data", "10.30.1.0/24"],
            ["front", "10.30.2.0/24"],
            ["edge", "10.31.1.0/24"],
            ["core", "10.31.2.0/24"],
        ]);
        assert.deepStrictEqual(doc.violations, []);
        assert.strictEqual(spawnSync(process.execPath, [path.join(consumer, "node_modules", ".bin", "netguard"), "--version"], { encoding: "utf8" }).stdout.trim(), pkg.version);
    });

    it("does not make a component user install what only the CLI or the tests need", () => {
        const installed = (name: string) => fs.existsSync(path.join(consumer, "node_modules", name, "package.json"));
        const cliOrTestOnly = ["commander", "dockerode", "tsx", "esbuild", "mocha", "fast-check", "@pulumi/command"];
        assert.deepStrictEqual(cliOrTestOnly.filter(installed), []);
        assert.ok(installed("@pulumi/policy") && installed("ipaddr.js"), "the pack's and the components' own dependencies are there");
    });

    describe(`the pack in node_modules/${pkg.name}/${PACK_FOLDER}`, () => {
        const packDir = () => path.join(consumer, "node_modules", pkg.name, PACK_FOLDER);

        it("is self-contained JavaScript: it requires only Node.js built-ins and its declared dependencies, and follows the package's version", () => {
            const manifest = JSON.parse(fs.readFileSync(path.join(packDir(), "package.json"), "utf8")) as { version: string; main: string; dependencies: Record<string, string> };
            assert.strictEqual(manifest.version, pkg.version);
            const code = fs.readFileSync(path.join(packDir(), manifest.main), "utf8");
            const required = new Set([...code.matchAll(/\brequire\("([^"]+)"\)/g)].map((match) => match[1]));
            const outside = [...required].filter((name) => {
                const bare = name.replace(/^node:/, "");
                const root = bare.startsWith("@") ? bare.split("/").slice(0, 2).join("/") : bare.split("/")[0];
                return !builtinModules.includes(bare) && !(root in manifest.dependencies);
            });
            assert.deepStrictEqual(outside, []);
            const packedFiles = (JSON.parse(run("npm", ["pack", "--dry-run", "--json"], packDir()))[0].files as PackedFile[]).map((file) => file.path).sort();
            assert.deepStrictEqual(packedFiles, ["PulumiPolicy.yaml", "index.js", "package.json"]);
        });

        it("starts through cmd/run-policy-pack and rejects a container on the default bridge over the Analyzer API", async () => {
            const { child, port } = await startPack(packDir(), engine.address);
            const client = new analyzerGrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
            try {
                const request = new analyzerPb.AnalyzeRequest();
                request.setType("docker:index/container:Container");
                request.setName("web-01");
                request.setUrn("urn:pulumi:dev::consumer::docker:index/container:Container::web-01");
                request.setProperties(structPb.Struct.fromJavaScript({ image: "nginx", name: "web-01" }));
                request.setOptions(new analyzerPb.AnalyzerResourceOptions());
                const response = await new Promise<{ getDiagnosticsList(): { getPolicyname(): string; getEnforcementlevel(): number; getPolicypackname(): string; getPolicypackversion(): string }[] }>(
                    (resolve, reject) => client.analyze(request, (err: Error | null, res: never) => (err ? reject(err) : resolve(res))),
                );
                const verdicts = response.getDiagnosticsList().map((d) => [d.getPolicypackname(), d.getPolicypackversion(), d.getPolicyname(), d.getEnforcementlevel()]);
                assert.deepStrictEqual(verdicts, [["docker-netguard", pkg.version, "docker-no-default-bridge", analyzerPb.EnforcementLevel.MANDATORY]]);
            } finally {
                client.close();
                child.kill();
            }
        });
    });
});
