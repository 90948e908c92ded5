/**
 * The real Pulumi engine holds every verdict of `netguard preview` to
 * account. For each program of the corpus (the example stack, the tutorial's
 * programs, with the policy configs users write) and for every fixture the
 * policy specs evaluate, the stack is exported (`--export-state`), imported
 * into a local backend and judged by the real CLI's `pulumi policy analyze`
 * with this repository's pack, loaded by the CLI's own launcher: the
 * TypeScript sources through the CLI's TypeScript handling, and the built
 * pack that the package ships. The set of (policy, level, resource URN) and
 * the exit code must be the same.
 *
 * Needs the Pulumi CLI: scripts/pulumi-cli.sh builds it on first use (about
 * ten minutes cold, seconds when cached), as the Docker tier starts its engine.
 */
import * as assert from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { PreviewDocument } from "../../../document/previewDocument";
import { deploymentOf } from "../../../cli/commands/preview/stateExport";
import { RECORD_FIXTURES_VARIABLE, RecordedFixture } from "../../helpers/fixtureRecorder";
import { REPO_ROOT } from "../../helpers/netguardCli";
import { resource } from "../../helpers/policyHarness";
import { inPool } from "../../helpers/pool";
import { Analysis, analyzeState, pulumiCliFolder, verdictLines } from "./pulumiEngine";

const run = promisify(execFile);
/**
 * The programs are judged by the TypeScript pack in policies/, which the CLI
 * type-checks and loads with Pulumi's ts-node on every run (seconds each);
 * the many policy fixtures by the pack users install (policy-pack/, built
 * here from the same sources, plain JavaScript).
 */
const BUILT_PACK = path.join(REPO_ROOT, "policy-pack");
/** Concurrent engine runs: each is a CLI plus a Node.js pack that type-checks itself. */
const PARALLEL = Math.max(2, os.cpus().length);

interface Case {
    readonly title: string;
    /** Our verdicts, as `verdictLines`. */
    readonly ours: string[];
    /** Whether our exit code said "mandatory violations". */
    readonly oursMandatory: boolean;
    readonly stateFile: string;
    readonly packConfigFile?: string;
    /** The pack that judges it (default: the TypeScript sources in policies/). */
    readonly packFolder?: string;
}

interface Judged extends Case {
    readonly engine: Analysis;
}

/** Where a program runs: its project folder (Pulumi.yaml, Pulumi.<stack>.yaml) and environment. */
interface RunIn {
    readonly cwd?: string;
    readonly env?: NodeJS.ProcessEnv;
}

/** The programs of the corpus, each with the pack configs it is judged under. */
const PROGRAMS: [program: string, configs: Record<string, unknown>[], runIn?: RunIn][] = [
    ["index.ts", [{}, { all: "advisory" }, { "docker-network-no-overlap": { reserved: ["172.17.0.0/16", "10.20.2.0/24"] } }]],
    ["test/programs/default-bridge", [{}, { all: "advisory" }, { "docker-no-default-bridge": "disabled" }]],
    ["test/programs/legacy-links", [{}, { all: "advisory", "docker-no-legacy-links": "mandatory" }]],
    ["test/programs/network-connect", [{}]],
    ["test/programs/network-connect-shell", [{}]],
    ["test/programs/overlapping-by-id", [{}, { all: "advisory", "docker-multi-homing-declared": "mandatory", "docker-network-no-overlap": "disabled" }]],
    ["test/programs/public-range", [{}]],
    ["test/programs/pr-base", [{}]],
    ["test/programs/pr-head", [{}]],
    ["test/programs/shell-scripts", [{}]],
    // Overlay networks and services of raw resources: an unencrypted overlay, a service's ports, its undeclared bridge, one on docker0.
    ["test/programs/swarm-services", [{}, { all: "advisory", "docker-no-default-bridge": "mandatory" }]],
    // Services publishing through the routing mesh (on Docker's ingress network) and in host mode; one only on ingress, one on docker0.
    ["test/programs/swarm-ingress", [{}, { all: "advisory", "docker-service-user-network": "mandatory" }]],
    // Secrets in the stack's own config, decrypted with its passphrase; exported sealed by a passphrase provider.
    ["index.ts", [{}], { cwd: path.join(REPO_ROOT, "test/programs/secure-config"), env: { PULUMI_CONFIG_PASSPHRASE: "correct horse" } }],
    [
        "test/programs/forbidden-flow",
        [
            {},
            JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "test/programs/forbidden-flow/deny-frontend-to-vault.json"), "utf8")),
            { "docker-forbidden-flows": { enforcementLevel: "advisory", deny: [{ from: "*", to: "core-*" }] } },
        ],
    ],
];

function writeJson(file: string, value: unknown): string {
    fs.writeFileSync(file, JSON.stringify(value));
    return file;
}

/** `netguard preview PROGRAM --json --export-state FILE [--policy-config FILE]`, as a user runs it. */
async function programCase(dir: string, index: number, program: string, config: Record<string, unknown>, runIn: RunIn = {}): Promise<Case> {
    const stateFile = path.join(dir, `program-${index}.state.json`);
    const packConfigFile = Object.keys(config).length > 0 ? writeJson(path.join(dir, `program-${index}.config.json`), config) : undefined;
    const args = [path.join(REPO_ROOT, "bin", "netguard.js"), "preview", program, "--json", "--export-state", stateFile];
    if (packConfigFile) args.push("--policy-config", packConfigFile);
    let status = 0;
    let stdout: string;
    try {
        ({ stdout } = await run(process.execPath, args, { cwd: runIn.cwd ?? REPO_ROOT, env: { ...process.env, ...runIn.env }, maxBuffer: 64 << 20 }));
    } catch (err) {
        const failed = err as { code?: number; stdout?: string; stderr?: string };
        status = failed.code ?? -1;
        stdout = failed.stdout ?? "";
        assert.strictEqual(status, 1, `netguard preview ${program} failed: ${failed.stderr}`);
    }
    const document = JSON.parse(stdout) as PreviewDocument;
    return {
        title: `${path.relative(REPO_ROOT, path.resolve(runIn.cwd ?? REPO_ROOT, program))} ${JSON.stringify(config)}`,
        ours: verdictLines(document.violations),
        oursMandatory: status === 1,
        stateFile,
        packConfigFile,
    };
}

/** The fixtures the policy specs evaluate, recorded by running those specs once. */
async function fixtureCases(dir: string): Promise<Case[]> {
    const recorded = path.join(dir, "fixtures");
    // --no-config: the repository's config would add every spec, this one included.
    const mocha = [require.resolve("mocha/bin/mocha.js"), "--no-config", "-r", "tsx/cjs", "-r", "./test/helpers/fixtureRecorder.ts"];
    await run(process.execPath, [...mocha, "--extension", "ts", "--reporter", "dot", "policies/**/*.spec.ts"], {
        cwd: REPO_ROOT,
        env: { ...process.env, [RECORD_FIXTURES_VARIABLE]: recorded },
        maxBuffer: 64 << 20,
    });
    const pulumiVersion = (require("@pulumi/pulumi/package.json") as { version: string }).version;
    return fs.readdirSync(recorded).map((file, index) => {
        const fixture = JSON.parse(fs.readFileSync(path.join(recorded, file), "utf8")) as RecordedFixture;
        const state = deploymentOf([resource("pulumi:pulumi:Stack", "netguard-test-test"), ...fixture.resources], { pulumiVersion, providerVersions: {} });
        return {
            title: `fixture of "${fixture.test}" ${JSON.stringify(fixture.packConfig)}`,
            ours: verdictLines(fixture.violations),
            oursMandatory: fixture.violations.some((violation) => violation.level === "mandatory"),
            stateFile: writeJson(path.join(dir, `fixture-${index}.state.json`), state),
            packConfigFile: writeJson(path.join(dir, `fixture-${index}.config.json`), fixture.packConfig),
            packFolder: BUILT_PACK,
        };
    });
}

describe("the real Pulumi engine agrees with netguard preview", function () {
    // Cold: the CLI build (about ten minutes) and one engine run per case, two at a time.
    this.timeout(60 * 60_000);
    let dir: string;
    const judged: Judged[] = [];

    before(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "netguard-conformance-"));
        await pulumiCliFolder();
        await run(process.execPath, [path.join(REPO_ROOT, "scripts", "build.js")], { cwd: REPO_ROOT });
        const programCases = await inPool(
            PROGRAMS.flatMap(([program, configs, runIn]) => configs.map((config) => [program, config, runIn] as const)).map(
                ([program, config, runIn], index) => () => programCase(dir, index, program, config, runIn),
            ),
            os.cpus().length,
        );
        const cases = [...programCases, ...(await fixtureCases(dir))];
        const started = Date.now();
        const analyses = await inPool(
            cases.map((c) => () => analyzeState(c.stateFile, { packConfigFile: c.packConfigFile, packFolder: c.packFolder })),
            PARALLEL,
        );
        process.stderr.write(`    engine conformance: ${cases.length} cases judged by pulumi policy analyze in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
        cases.forEach((c, i) => judged.push({ ...c, engine: analyses[i] }));
    });

    after(() => {
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it("judges the whole corpus: every program and config, and more than a hundred policy fixtures", () => {
        assert.strictEqual(judged.filter((c) => !c.title.startsWith("fixture")).length, PROGRAMS.flatMap(([, configs]) => configs).length);
        assert.ok(judged.length > 100, `only ${judged.length} cases`);
    });

    it("reports the same (policy, level, resource) set for every case", () => {
        const disagreements = judged
            .filter((c) => JSON.stringify(verdictLines(c.engine.violations)) !== JSON.stringify(c.ours))
            .map((c) => `${c.title}\n  netguard: ${JSON.stringify(c.ours)}\n  engine:   ${JSON.stringify(verdictLines(c.engine.violations))}\n  ${c.engine.stderr.trim().slice(0, 800)}`);
        assert.deepStrictEqual(disagreements, []);
    });

    it("fails exactly where netguard exits 1 (a mandatory violation), and for no other reason", () => {
        const disagreements = judged
            .filter((c) => (c.engine.status !== 0) !== c.oursMandatory || (c.engine.status !== 0 && !/mandatory policy violations/.test(c.engine.stderr)))
            .map((c) => `${c.title}: engine exit ${c.engine.status}, netguard mandatory=${c.oursMandatory}: ${c.engine.stderr.trim().slice(0, 800)}`);
        assert.deepStrictEqual(disagreements, []);
    });

    it("has cases on both sides: some with mandatory violations, some clean", () => {
        assert.ok(judged.some((c) => c.oursMandatory));
        assert.ok(judged.some((c) => !c.oursMandatory && c.ours.length === 0));
        assert.ok(judged.some((c) => c.ours.some((line) => line.includes(" advisory "))));
    });

    it("pulumi-cli.sh answers from its cache in seconds", async () => {
        const started = Date.now();
        const { stdout } = await run("bash", [path.join(REPO_ROOT, "scripts", "pulumi-cli.sh")]);
        assert.strictEqual(stdout.trim().split("\n").pop(), await pulumiCliFolder());
        assert.ok(fs.existsSync(path.join(await pulumiCliFolder(), "pulumi-analyzer-policy-nodejs")));
        process.stderr.write(`    pulumi-cli.sh with a warm cache: ${Date.now() - started} ms\n`);
    });
});
