/**
 * `npm run fuzz -- --runs N --seed S --engine 20|29 [--kind command|program|compose|all] [--json]`
 *
 * Generates cases (fast-check, seeded) of one kind — `command`: docker
 * command scripts, predicted by our command-line reader and run by `sh`;
 * `program`: `@pulumi/docker` programs, predicted by our preview and
 * deployed as the Docker provider deploys them; `compose`: Compose projects,
 * predicted by our Compose reader and brought up by the real `docker
 * compose`; `all`: the three, the runs split between them — runs each on a
 * real scratch engine, reads the engine back
 * and prints every disagreement. Failing cases are shrunk (one per cause, within
 * a time budget) and saved as regression fixtures under
 * test/fixtures/oracle/. Exit 0: no disagreement; 1: disagreements; 2: the
 * harness could not run (no engine, no image, bad flags).
 *
 * Other flags: --only INDEX (replay one case of the seed), --timeout SECONDS
 * (per case, default 60), --shrink-seconds S (shrinking budget of each kind,
 * default 120; 0 disables), --no-save (no fixtures).
 */
import fc from "fast-check";
import { DockerEngine, connectEngine } from "../cli/commands/audit/engine/dockerEngine";
import { releaseEngineLock, takeEngineLock } from "../scripts/engineLock";
import { OracleCase } from "./caseModel";
import { caseSpecArb } from "./commandCases";
import { Disagreement, causeOf } from "./compare";
import { fixtureOf, saveFixture } from "./fixtures";
import { cleanup } from "./measure";
import { Engine, runCase } from "./runCase";
import { IMAGE } from "./caseModel";
import { COMPOSE_FIXTURE_DIR, PROGRAM_FIXTURE_DIR, OracleFixture } from "./fixtures";
import { programSpecArb } from "./program/programCases";
import { programFixtureOf, runProgramCase } from "./program/runProgramCase";
import { ComposeSpec, composeSpecArb } from "./compose/composeCases";
import { composeFixtureOf, runComposeCase } from "./compose/runComposeCase";

class HarnessError extends Error {}

type KindName = "command" | "program" | "compose";

export const ENGINE_HOSTS: Readonly<Record<string, string>> = {
    "20": process.env.NETGUARD_ENGINE20_HOST ?? "unix:///var/run/docker.sock",
    "29": process.env.NETGUARD_ENGINE29_HOST ?? "unix:///run/netguard-e29/docker.sock",
};

interface Options {
    runs: number;
    seed: number;
    engine: string;
    kind: KindName | "all";
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
                if (kind !== "command" && kind !== "program" && kind !== "compose" && kind !== "all") throw new HarnessError(`--kind is command, program, compose or all, got ${kind ?? "nothing"}`);
                options.kind = kind;
                break;
            }
            case "--json": options.json = true; break;
            case "--no-save": options.save = false; break;
            default: throw new HarnessError(`unknown flag ${argv[i]} (usage: npm run fuzz -- --runs N --seed S --engine 20|29 [--kind command|program|compose|all] [--json] [--only I] [--timeout S] [--shrink-seconds S] [--no-save])`);
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

/** One case's outcome, whatever its kind. */
interface Outcome {
    readonly index: number;
    readonly id: string;
    readonly disagreements: Disagreement[];
    readonly millis: number;
    /** Commands or resources: what shrinking reduces. */
    readonly size: number;
    fixture(cause: string, engineVersion: string | null, shrunk: boolean): OracleFixture;
}

/** A kind of case: its generator and how one case runs. */
interface Kind<S> {
    readonly name: KindName;
    /** Case ids: `fz<seed>-<index>` for commands, `fp<seed>-<index>` for programs, `fc<seed>-<index>` for Compose projects (never the same names). */
    readonly idPrefix: string;
    readonly unit: string;
    arb(engine: string): fc.Arbitrary<S>;
    run(options: Options, index: number, spec: S, engine: Engine): Promise<Outcome>;
    readonly fixtureDir?: string;
}

function identity(options: Options, kind: Kind<unknown>, index: number) {
    const runId = `${kind.idPrefix}${options.seed}`;
    return { index, seed: options.seed, id: `${runId}-${index}`, runId, engine: options.engine };
}

const COMMAND: Kind<OracleCase["spec"]> = {
    name: "command",
    idPrefix: "fz",
    unit: "commands",
    arb: (engine) => caseSpecArb(engine),
    async run(options, index, spec, engine) {
        const result = await runCase({ ...identity(options, COMMAND as Kind<unknown>, index), spec }, engine);
        return { index, id: result.oracleCase.id, disagreements: result.disagreements, millis: result.millis, size: result.rendered.commands.length, fixture: (cause, version, shrunk) => fixtureOf(result, cause, version, shrunk) };
    },
};

const PROGRAM: Kind<ReturnType<typeof programSpecArb> extends fc.Arbitrary<infer S> ? S : never> = {
    name: "program",
    idPrefix: "fp",
    unit: "resources",
    arb: () => programSpecArb(),
    async run(options, index, spec, engine) {
        const result = await runProgramCase({ ...identity(options, PROGRAM as Kind<unknown>, index), spec }, engine);
        return { index, id: result.programCase.id, disagreements: result.disagreements, millis: result.millis, size: result.size, fixture: (cause, version, shrunk) => programFixtureOf(result, cause, version, shrunk) };
    },
    fixtureDir: PROGRAM_FIXTURE_DIR,
};

const COMPOSE: Kind<ComposeSpec> = {
    name: "compose",
    idPrefix: "fc",
    unit: "services",
    arb: () => composeSpecArb(),
    async run(options, index, spec, engine) {
        const result = await runComposeCase({ ...identity(options, COMPOSE as Kind<unknown>, index), spec }, engine);
        return { index, id: result.composeCase.id, disagreements: result.disagreements, millis: result.millis, size: result.size, fixture: (cause, version, shrunk) => composeFixtureOf(result, cause, version, shrunk) };
    },
    fixtureDir: COMPOSE_FIXTURE_DIR,
};

/**
 * Shrinks a failing case with fast-check (replaying its path in the seed)
 * while some disagreement of the same cause remains; stops at the deadline
 * with the smallest failing case found so far.
 */
async function shrink<S>(options: Options, kind: Kind<S>, engine: Engine, result: Outcome, cause: string, deadline: number): Promise<Outcome | undefined> {
    let smallest: Outcome | undefined;
    const property = fc.asyncProperty(kind.arb(options.engine), async (spec) => {
        if (Date.now() > deadline) return true;
        const attempt = await kind.run(options, result.index, spec, engine);
        const fails = attempt.disagreements.some((d) => causeOf(d) === cause);
        if (fails) smallest = attempt;
        return !fails;
    });
    await fc.check(property, { seed: options.seed, path: String(result.index), numRuns: 1, endOnFailure: false });
    return smallest;
}

/** Runs `runs` cases of one kind; shrinks and saves one fixture per cause. */
async function runKind<S>(options: Options, kind: Kind<S>, runs: number, engine: Engine & { version: string | null }): Promise<Outcome[]> {
    const specs = fc.sample(kind.arb(options.engine), { seed: options.seed, numRuns: runs });
    if (options.only !== undefined && options.only >= specs.length) throw new HarnessError(`--only ${options.only}: the seed gives ${specs.length} ${kind.name} cases (raise --runs)`);
    const indexes = options.only !== undefined ? [options.only] : specs.map((_, i) => i);
    const results: Outcome[] = [];
    const started = Date.now();
    for (const index of indexes) {
        const result = await kind.run(options, index, specs[index], engine);
        results.push(result);
        progress(`${kind.name} case ${result.id} (seed ${options.seed}, index ${index}): ${(result.millis / 1000).toFixed(1)}s, ${result.size} ${kind.unit}, ${result.disagreements.length} disagreements`);
    }
    const times = results.map((r) => r.millis).sort((a, b) => a - b);
    if (times.length > 0) progress(`${results.length} ${kind.name} cases in ${((Date.now() - started) / 1000).toFixed(1)}s: median ${(times[Math.floor(times.length / 2)] / 1000).toFixed(2)}s, max ${(times[times.length - 1] / 1000).toFixed(2)}s per case`);
    if (!options.save) return results;
    // The shrinking budget starts once the cases have run (each kind has its own).
    const deadline = Date.now() + options.shrinkSeconds * 1000;
    const seen = new Set<string>();
    for (const result of results) {
        for (const cause of new Set(result.disagreements.map(causeOf))) {
            if (seen.has(cause)) continue;
            seen.add(cause);
            const smaller = Date.now() < deadline ? await shrink(options, kind, engine, result, cause, deadline) : undefined;
            const saved = saveFixture((smaller ?? result).fixture(cause, engine.version, smaller !== undefined), kind.fixtureDir);
            if (saved.written) progress(`${cause}: ${smaller ? `shrunk ${result.size} -> ${smaller.size} ${kind.unit}, ` : ""}saved ${saved.file}`);
        }
    }
    return results;
}

function printHuman(results: readonly Outcome[], disagreements: readonly Disagreement[]): void {
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
    // Runs on one engine share its scratch label and ranges: they take turns.
    const lock = `netguard-fuzz-${options.engine}`;
    await takeEngineLock(60 * 60_000, progress, lock);
    try {
        return await fuzz(options);
    } finally {
        releaseEngineLock(lock);
    }
}

async function fuzz(options: Options): Promise<number> {
    const engine = await openEngine(options);
    const leftovers = await cleanup(engine.engine);
    progress(`engine ${engine.version} at ${engine.dockerHost}; seed ${options.seed}; ${options.runs} runs of kind ${options.kind}${leftovers ? `; removed ${leftovers} leftovers` : ""}`);
    // `all`: the runs split between the kinds, commands first (what does not divide goes to them).
    const share = (kind: KindName) => (options.kind === kind ? options.runs : options.kind === "all" ? Math.floor(options.runs / 3) : 0);
    const composeRuns = share("compose");
    const programRuns = share("program");
    const commandRuns = options.kind === "all" ? options.runs - programRuns - composeRuns : share("command");
    try {
        const results = [
            ...(commandRuns > 0 ? await runKind(options, COMMAND, commandRuns, engine) : []),
            ...(programRuns > 0 ? await runKind(options, PROGRAM, programRuns, engine) : []),
            ...(composeRuns > 0 ? await runKind(options, COMPOSE, composeRuns, engine) : []),
        ];
        const disagreements = results.flatMap((r) => r.disagreements);
        if (options.json) process.stdout.write(`${JSON.stringify({ cases: results.length, seed: options.seed, engine: options.engine, kind: options.kind, disagreements })}\n`);
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
