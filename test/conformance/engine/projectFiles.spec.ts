/**
 * The real Pulumi CLI (scripts/pulumi-cli.sh) loads the repository's project
 * as it is, and refuses exactly the project and stack files that `netguard
 * preview` refuses, for the same reason: a generated corpus of files, each
 * judged by `pulumi stack init` and `pulumi preview` in a scratch file
 * backend and by netguard's reader.
 */
import * as assert from "assert";
import { execFile } from "child_process";
import * as fc from "fast-check";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { readStackSettings } from "../../../cli/commands/preview/stack/stackSettings";
import { REPO_ROOT } from "../../helpers/netguardCli";
import { pulumiCliFolder } from "./pulumiEngine";

const run = promisify(execFile);
const CORPUS_SEED = Number(process.env.NETGUARD_CORPUS_SEED ?? 20261206);
const CORPUS_RUNS = Number(process.env.NETGUARD_CORPUS_RUNS ?? 60);
/** What `pulumi preview` says once the files are loaded: it has no Node.js language host here. */
const LOADED = "failed to load language plugin nodejs";

/** Runs the CLI in `dir` with a backend, home and passphrase of its own; returns its error output, or "" on success. */
async function pulumi(bin: string, dir: string, args: string[], extraPath: string[] = []): Promise<{ stdout: string; error: string }> {
    const env = {
        ...process.env,
        PATH: [...extraPath, bin, process.env.PATH].join(path.delimiter),
        PULUMI_HOME: path.join(dir, ".pulumi-home"),
        PULUMI_BACKEND_URL: `file://${path.join(dir, ".backend")}`,
        PULUMI_CONFIG_PASSPHRASE: "",
        PULUMI_SKIP_UPDATE_CHECK: "1",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    };
    fs.mkdirSync(path.join(dir, ".backend"), { recursive: true });
    try {
        const { stdout } = await run(path.join(bin, "pulumi"), [...args, "--non-interactive"], { cwd: dir, env, maxBuffer: 16 << 20 });
        return { stdout, error: "" };
    } catch (err) {
        const failed = err as { stdout?: string; stderr?: string };
        return { stdout: failed.stdout ?? "", error: `${failed.stderr ?? ""}${failed.stdout ?? ""}` || String(err) };
    }
}

/** The CLI's verdict on the project in `dir` and its stack `dev`: undefined when it loads them, else its error text. */
async function cliVerdict(bin: string, dir: string): Promise<string | undefined> {
    const init = await pulumi(bin, dir, ["stack", "init", "dev"]);
    if (init.error) return init.error;
    const preview = await pulumi(bin, dir, ["preview", "--stack", "dev"]);
    return preview.error.includes(LOADED) ? undefined : preview.error;
}

function netguardVerdict(dir: string): string | undefined {
    try {
        readStackSettings(dir, "dev", { stackNamed: true });
        return undefined;
    } catch (error) {
        return (error as Error).message;
    }
}

/**
 * Whether netguard refused for the CLI's reason. A schema report lists every
 * complaint (each of ours must be one of them); otherwise the CLI names the
 * first problem it met, in Go's random map order, and ours names them all.
 */
function sameReasons(cli: string, ours: string): boolean {
    const ourText = ours.replace(/^could not (validate|unmarshal) '[^']*': /, "");
    const bullets = cli.split("\n").flatMap((line) => /^\s*\* (.*)$/.exec(line)?.[1] ?? []);
    if (bullets.length > 0) return ourText.split("; ").every((reason) => bullets.includes(reason));
    const reason = /error: (?:validating stack config: )?(?:could not (?:validate|unmarshal) '[^']*': )?(?:could not create secrets manager for new stack: invalid YAML file: could not unmarshal map: )?(.*)/.exec(cli)?.[1];
    return reason !== undefined && ourText.includes(reason.trim());
}

// ---- the corpus: project and stack files over the grammar netguard reads ----

/** Mostly the first, sometimes the second: a corpus with both verdicts in it. */
function mostly<T>(usual: fc.Arbitrary<T>, odd: fc.Arbitrary<T>): fc.Arbitrary<T> {
    return fc.oneof({ arbitrary: usual, weight: 7 }, { arbitrary: odd, weight: 1 });
}
const scalar = mostly(fc.constantFrom<unknown>("x", "10.0.0.0/24", "3", 3, 0, true, "true", ["a", "b"], [1, 2]), fc.constantFrom<unknown>(1.5, null));
const declaration = fc.record(
    {
        type: mostly(fc.constantFrom("string", "integer", "boolean", "array", "object"), fc.constant("int")),
        default: scalar,
        value: scalar,
        description: mostly(fc.constant<unknown>("what it is"), fc.constant(3)),
        secret: mostly(fc.boolean() as fc.Arbitrary<unknown>, fc.constant("yes")),
        items: mostly(fc.constantFrom<unknown>({ type: "string" }, { type: "integer" }, { type: "array", items: { type: "boolean" } }), fc.constantFrom<unknown>({ tpye: "string" }, { type: "array" })),
    },
    { requiredKeys: [] },
);
/** Sometimes a misspelt attribute beside the others. */
const misspelt = <T extends object>(arbitrary: fc.Arbitrary<T>, key: string) =>
    fc.tuple(arbitrary, fc.nat(9)).map(([entry, dice]) => (dice === 0 ? { ...entry, [key]: "string" } : entry));
const projectKey = fc.constantFrom("size", "p:size", "port", "aws:region", "netguard:addressPool");
const project = fc.record(
    {
        name: mostly(fc.constant<unknown>("p"), fc.constantFrom<unknown>("", 7)),
        runtime: mostly(fc.constantFrom<unknown>("nodejs", { name: "nodejs", options: { typescript: true } }), fc.constantFrom<unknown>({ name: "nodejs", option: {} }, "", 3)),
        main: mostly(fc.constant<unknown>("index.ts"), fc.constantFrom<unknown>(null, 3)),
        config: fc.dictionary(projectKey, fc.oneof(scalar, misspelt(declaration, "tpye")), { maxKeys: 3 }),
    },
    { requiredKeys: ["name", "runtime"] },
).chain((doc) => fc.nat(19).map((dice) => (dice === 0 ? { nmae: doc.name, runtime: doc.runtime } : doc)));
const stackKey = mostly(fc.constantFrom("size", "p:size", "port", "aws:region", "p:config:port", "netguard:addressPool"), fc.constant("a:b:c"));
const stackValue = fc.constantFrom<unknown>("x", "8080", "abc", 8080, true, "false", ["a"], { k: "v" }, null);
const stack = fc.dictionary(stackKey, stackValue, { maxKeys: 3 });

describe("the real Pulumi CLI loads the project, and netguard preview refuses what it refuses", function () {
    this.timeout(900_000);
    let bin: string;
    let scratch: string;

    before(async () => {
        bin = await pulumiCliFolder();
        scratch = fs.mkdtempSync(path.join(os.tmpdir(), "netguard-project-files-"));
    });
    after(() => fs.rmSync(scratch, { recursive: true, force: true }));

    it("inits every stack of the repository and reads its config (files copied: stack init writes a salt)", async () => {
        const stacks = fs.readdirSync(REPO_ROOT).filter((file) => /^Pulumi\.[^.]+\.yaml$/.test(file));
        assert.ok(stacks.length >= 2, `stacks: ${stacks.join(", ")}`);
        const dir = fs.mkdtempSync(path.join(scratch, "repo-"));
        for (const file of ["Pulumi.yaml", "index.ts", ...stacks]) fs.copyFileSync(path.join(REPO_ROOT, file), path.join(dir, file));
        for (const file of stacks) {
            const name = file.split(".")[1];
            const init = await pulumi(bin, dir, ["stack", "init", name]);
            assert.strictEqual(init.error, "", `pulumi stack init ${name}`);
            const config = await pulumi(bin, dir, ["config", "--stack", name, "--json"]);
            assert.strictEqual(config.error, "", `pulumi config --stack ${name}`);
            const values = JSON.parse(config.stdout) as Record<string, { value: string }>;
            const ours = readStackSettings(REPO_ROOT, name, { stackNamed: true }).config;
            for (const [key, { value }] of Object.entries(values)) assert.strictEqual(ours[key], value, `${name}: ${key}`);
            // Past loading and config validation, preview stops only for want of a Node.js language host.
            const preview = await pulumi(bin, dir, ["preview", "--stack", name]);
            assert.ok(preview.error.includes(LOADED), `pulumi preview --stack ${name}: ${preview.error}`);
        }
    });

    it("runs `pulumi package get-schema ./provider` from the repository's root", async () => {
        const host = path.join(REPO_ROOT, "test", "conformance", "provider", "languageHost");
        const schema = await pulumi(bin, REPO_ROOT, ["package", "get-schema", "./provider"], [host]);
        assert.strictEqual(schema.error.replace(/warning: using pulumi-language-nodejs from \$PATH[^\n]*\n/g, ""), "");
        assert.ok("netguard:index:IsolatedServiceNet" in (JSON.parse(schema.stdout) as { resources: object }).resources);
    });

    it(`agrees with the CLI on ${CORPUS_RUNS} generated projects (seed ${CORPUS_SEED}): same verdict, same reasons`, async () => {
        const cases = fc.sample(fc.record({ project, stack }), { seed: CORPUS_SEED, numRuns: CORPUS_RUNS });
        const disagreements: string[] = [];
        let refused = 0;
        for (const [index, { project: doc, stack: config }] of cases.entries()) {
            const dir = path.join(scratch, `case-${index}`);
            fs.mkdirSync(dir);
            fs.writeFileSync(path.join(dir, "Pulumi.yaml"), yaml.dump(doc));
            fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), yaml.dump({ config }));
            fs.writeFileSync(path.join(dir, "index.ts"), "export {};\n"); // the CLI checks that `main` exists
            const theirs = await cliVerdict(bin, dir);
            const ours = netguardVerdict(dir);
            if (theirs !== undefined) refused++;
            const shown = `case ${index} (seed ${CORPUS_SEED}):\n${yaml.dump(doc)}---\n${yaml.dump({ config })}`;
            if ((theirs === undefined) !== (ours === undefined)) {
                disagreements.push(`${shown}CLI: ${theirs ?? "loads it"}\nnetguard: ${ours ?? "loads it"}`);
            } else if (theirs !== undefined && ours !== undefined && !sameReasons(theirs, ours)) {
                disagreements.push(`${shown}CLI: ${theirs}\nnetguard: ${ours}`);
            }
        }
        assert.deepStrictEqual(disagreements, [], disagreements.join("\n\n"));
        // A corpus that is all one verdict proves little.
        assert.ok(refused > CORPUS_RUNS / 5 && refused < CORPUS_RUNS * 0.9, `${refused} of ${CORPUS_RUNS} refused`);
    });
});
