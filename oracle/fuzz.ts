/**
 * `npm run fuzz -- --runs N --seed S --engine 20|29 [--kind command] [--json]`
 *
 * Generates docker command scripts (fast-check, seeded), predicts each with
 * our reader, runs it on a real scratch engine, reads the engine back and
 * prints every disagreement. Failing cases are shrunk (one per cause, within
 * a time budget) and saved as regression fixtures under
 * test/fixtures/oracle/. Exit 0: no disagreement; 1: disagreements; 2: the
 * harness could not run (no engine, no image, bad flags).
 *
 * Other flags: --only INDEX (replay one case of the seed), --timeout SECONDS
 * (per case, default 60), --shrink-seconds S (total shrinking budget,
 * default 120; 0 disables), --no-save (no fixtures).
 */
import fc from "fast-check";
import { DockerEngine, connectEngine } from "../cli/commands/audit/engine/dockerEngine";
import { OracleCase } from "./caseModel";
import { caseSpecArb } from "./commandCases";
import { Disagreement, causeOf } from "./compare";
import { fixtureOf, saveFixture } from "./fixtures";
import { cleanup } from "./measure";
import { CaseResult, Engine, runCase } from "./runCase";
import { IMAGE } from "./caseModel";

class HarnessError extends Error {}

export const ENGINE_HOSTS: Readonly<Record<string, string>> = {
    "20": process.env.NETGUARD_ENGINE20_HOST ?? "unix:///var/run/docker.sock",
    "29": process.env.NETGUARD_ENGINE29_HOST ?? "unix:///run/netguard-e29/docker.sock",
};

interface Options {
    runs: number;
    seed: number;
    engine: string;
    kind: string;
    json: boolean;
    only?: number;
    timeoutSeconds: number;
    shrinkSeconds: number;
    save: boolean;
}

function parseFlags(argv: readonly string[]): Options {
    const options: Options = { runs: 20, seed: Date.now() % 2 ** 31, engine: "20", kind: "command", json: false, timeoutSeconds: 60, shrinkSeconds: 120, save: true };
    const integer = (flag: string, value: string | undefined, min: number) => {
        if (value === undefined || !/^\d+$/.test(value) || Number(value) < min) throw new HarnessError(`${flag} needs an integer >= ${min}, got ${value ?? "nothing"}`);
        return Number(value);
    };
    for (let i = 0; i < argv.length; i++) {
        const [flag, inline] = argv[i].includes("=") ? [argv[i].slice(0, argv[i].indexOf("=")), argv[i].slice(argv[i].indexOf("=") + 1)] : [argv[i], undefined];
        const value = () => inline ?? argv[++i];
        switch (flag) {
            case "--runs": options.runs = integer(flag, value(), 1); break;
            case "--seed": options.seed = integer(flag, value(), 0); break;
            case "--only": options.only = integer(flag, value(), 0); break;
            case "--timeout": options.timeoutSeconds = integer(flag, value(), 1); break;
            case "--shrink-seconds": options.shrinkSeconds = integer(flag, value(), 0); break;
            case "--engine": {
                const engine = value();
                if (engine !== "20" && engine !== "29") throw new HarnessError(`--engine is 20 or 29, got ${engine ?? "nothing"}`);
                options.engine = engine;
                break;
            }
            case "--kind": {
                const kind = value();
                if (kind !== "command") throw new HarnessError(`--kind: only "command" (docker command lines) is generated, got ${kind ?? "nothing"}`);
                break;
            }
            case "--json": options.json = true; break;
            case "--no-save": options.save = false; break;
            default: throw new HarnessError(`unknown flag ${argv[i]} (usage: npm run fuzz -- --runs N --seed S --engine 20|29 [--kind command] [--json] [--only I] [--timeout S] [--shrink-seconds S] [--no-save])`);
        }
    }
    return options;
}

const progress = (text: string) => process.stderr.write(`fuzz: ${text}\n`);

async function openEngine(options: Options): Promise<Engine & { version: string | null }> {
    const dockerHost = ENGINE_HOSTS[options.engine];
    let engine: DockerEngine;
    try {
        engine = await connectEngine({ ...process.env, DOCKER_HOST: dockerHost });
    } catch (err) {
        const start = options.engine === "29" ? "scripts/docker-engine.sh start --engine 29" : "scripts/docker-engine.sh start";
        throw new HarnessError(`engine ${options.engine}: ${(err as Error).message} (start it with ${start})`);
    }
    const major = (engine.version ?? "").split(".")[0];
    if (major !== options.engine) throw new HarnessError(`--engine ${options.engine}, but the engine at ${dockerHost} is ${engine.version ?? "of unknown version"}`);
    try {
        await engine.docker.getImage(IMAGE).inspect();
    } catch {
        throw new HarnessError(`the engine at ${dockerHost} has no image ${IMAGE}: DOCKER_HOST=${dockerHost} scripts/build-test-image.sh`);
    }
    return { engine, dockerHost, timeoutMs: options.timeoutSeconds * 1000, version: engine.version, semantics: options.engine === "20" ? "20" : "29" };
}

function caseOf(options: Options, index: number, spec: OracleCase["spec"]): OracleCase {
    return { index, seed: options.seed, id: `fz${options.seed}-${index}`, runId: `fz${options.seed}`, engine: options.engine, spec };
}

/**
 * Shrinks a failing case with fast-check (replaying its path in the seed)
 * while some disagreement of the same cause remains; stops at the deadline
 * with the smallest failing case found so far.
 */
async function shrink(options: Options, engine: Engine, result: CaseResult, cause: string, deadline: number): Promise<CaseResult | undefined> {
    let smallest: CaseResult | undefined;
    const property = fc.asyncProperty(caseSpecArb(options.engine), async (spec) => {
        if (Date.now() > deadline) return true;
        const attempt = await runCase(caseOf(options, result.oracleCase.index, spec), engine);
        const fails = attempt.disagreements.some((d) => causeOf(d) === cause);
        if (fails) smallest = attempt;
        return !fails;
    });
    await fc.check(property, { seed: options.seed, path: String(result.oracleCase.index), numRuns: 1, endOnFailure: false });
    return smallest;
}

function printHuman(results: readonly CaseResult[], disagreements: readonly Disagreement[]): void {
    const byCause = new Map<string, Disagreement[]>();
    for (const d of disagreements) byCause.set(causeOf(d), [...(byCause.get(causeOf(d)) ?? []), d]);
    const out: string[] = [`${results.length} cases, ${disagreements.length} disagreements in ${byCause.size} causes`];
    for (const [cause, list] of [...byCause].sort((a, b) => b[1].length - a[1].length)) {
        out.push(`\n${cause}  (${list.length}; cases ${[...new Set(list.map((d) => d.index))].join(", ")})`);
        for (const d of list.slice(0, 3)) out.push(`  case ${d.case} (seed ${d.seed}, index ${d.index}) ${d.field}\n    predicted ${JSON.stringify(d.predicted)}\n    measured  ${JSON.stringify(d.measured)}`);
    }
    process.stdout.write(`${out.join("\n")}\n`);
}

async function main(argv: readonly string[]): Promise<number> {
    const options = parseFlags(argv);
    const engine = await openEngine(options);
    const leftovers = await cleanup(engine.engine);
    progress(`engine ${engine.version} at ${engine.dockerHost}; seed ${options.seed}; ${options.runs} runs${leftovers ? `; removed ${leftovers} leftovers` : ""}`);
    const specs = fc.sample(caseSpecArb(options.engine), { seed: options.seed, numRuns: options.runs });
    const indexes = options.only !== undefined ? [options.only] : specs.map((_, i) => i);
    if (options.only !== undefined && options.only >= specs.length) throw new HarnessError(`--only ${options.only}: the seed gives ${specs.length} cases (raise --runs)`);
    const results: CaseResult[] = [];
    const started = Date.now();
    try {
        for (const index of indexes) {
            const result = await runCase(caseOf(options, index, specs[index]), engine);
            results.push(result);
            progress(`case ${result.oracleCase.id} (seed ${options.seed}, index ${index}): ${(result.millis / 1000).toFixed(1)}s, ${result.rendered.commands.length} commands, ${result.disagreements.length} disagreements`);
        }
        const elapsed = Date.now() - started;
        const times = results.map((r) => r.millis).sort((a, b) => a - b);
        progress(`${results.length} cases in ${(elapsed / 1000).toFixed(1)}s: median ${(times[Math.floor(times.length / 2)] / 1000).toFixed(2)}s, max ${(times[times.length - 1] / 1000).toFixed(2)}s per case`);
        const disagreements = results.flatMap((r) => r.disagreements);
        if (options.save) {
            const deadline = Date.now() + options.shrinkSeconds * 1000;
            const seen = new Set<string>();
            for (const result of results) {
                for (const cause of new Set(result.disagreements.map(causeOf))) {
                    if (seen.has(cause)) continue;
                    seen.add(cause);
                    const smaller = Date.now() < deadline ? await shrink(options, engine, result, cause, deadline) : undefined;
                    const saved = saveFixture(fixtureOf(smaller ?? result, cause, engine.version, smaller !== undefined));
                    const size = (r: CaseResult) => r.rendered.commands.length;
                    if (saved.written) progress(`${cause}: ${smaller ? `shrunk ${size(result)} -> ${size(smaller)} commands, ` : ""}saved ${saved.file}`);
                }
            }
        }
        if (options.json) process.stdout.write(`${JSON.stringify({ cases: results.length, seed: options.seed, engine: options.engine, disagreements })}\n`);
        else printHuman(results, disagreements);
        return disagreements.length === 0 ? 0 : 1;
    } finally {
        await cleanup(engine.engine);
    }
}

main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
        process.stderr.write(`fuzz: error: ${err instanceof HarnessError ? err.message : (err as Error).stack ?? String(err)}\n`);
        process.exit(2);
    },
);
