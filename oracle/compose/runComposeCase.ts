/**
 * One Compose case end to end: our preview of the project (the built-in
 * reader, as `netguard preview compose.yaml` reads it where the plugin is
 * missing: topology, not-judged list, the pack's verdicts), the project
 * brought up by the real Compose (`docker compose up -d`) on the scratch
 * engine, read back with the command oracle's reader (measure.ts), and the
 * comparison:
 * - a project Compose brought up: the state (networks, blocks, options,
 *   containers with Docker's names, attachments, static addresses, aliases,
 *   ports, modes, links) equals the preview's, and no verdict said Docker
 *   refuses it;
 * - a project Compose (or the engine under it) refused: a verdict says Docker
 *   refuses something, or the preview lists something as not judged; the
 *   state it left half-made is not compared.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { judgeTopology } from "../../policies/judgeTopology";
import { policyNames } from "../../policies/pack";
import { readPackConfig } from "../../policies/policyConfig";
import { ComposeError, readComposeProject } from "../../readers/compose";
import { EngineSemantics } from "../../topology/engineSemantics";
import { Disagreement, compareStates } from "../compare";
import { OracleFixture, slug } from "../fixtures";
import { BoundedRun, cleanup, measure, runBounded } from "../measure";
import { NState } from "../normalized";
import { normalizeTopology } from "../predict";
import { Engine } from "../runCase";
import { SAYS_REFUSED } from "../program/runProgramCase";
import { ComposeNames, ComposeSpec, composeYaml } from "./composeCases";

export interface ComposeCase {
    readonly index: number;
    readonly seed: number;
    readonly id: string;
    readonly runId: string;
    readonly engine: string;
    readonly spec: ComposeSpec;
}

export interface ComposePrediction {
    readonly state: NState;
    /** Verdicts that say Docker refuses something. */
    readonly refusals: readonly string[];
    readonly notJudged: readonly string[];
    /** Set when our reader refused the project. */
    readonly failure?: string;
}

export interface ComposeResult {
    readonly composeCase: ComposeCase;
    readonly yaml: string;
    readonly prediction: ComposePrediction;
    readonly run: BoundedRun;
    readonly measured: NState;
    readonly disagreements: Disagreement[];
    readonly millis: number;
    /** Services declared (the size shrinking reduces). */
    readonly size: number;
}

/** A project written to a folder of its own, for as long as `use` runs. */
async function withProjectFile<T>(text: string, use: (file: string) => Promise<T> | T): Promise<T> {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), "netguard-oracle-compose-"));
    try {
        const file = path.join(folder, "compose.yaml");
        fs.writeFileSync(file, text);
        return await use(file);
    } finally {
        fs.rmSync(folder, { recursive: true, force: true });
    }
}

export function predictCompose(file: string, project: string, semantics: EngineSemantics): ComposePrediction {
    let reading;
    try {
        reading = readComposeProject([file], { env: {}, usePlugin: false, semantics });
    } catch (err) {
        if (err instanceof ComposeError) return { state: { networks: {}, containers: {} }, refusals: [], notJudged: [], failure: err.message };
        throw err;
    }
    const topology = { ...reading.topology, engine: semantics };
    const { violations } = judgeTopology(topology, readPackConfig({}, policyNames));
    return {
        state: normalizeTopology(topology, project),
        refusals: violations.filter((v) => SAYS_REFUSED.test(v.message)).map((v) => `${v.policy}: ${v.message}`),
        notJudged: reading.notJudged.map((entry) => `${entry.key}: ${entry.reason}`),
    };
}

function compose(args: readonly string[], dockerHost: string, timeoutMs: number): Promise<BoundedRun> {
    return runBounded("docker", ["compose", ...args], { ...process.env, DOCKER_HOST: dockerHost }, timeoutMs);
}

/** Compose's reason, without its progress lines. */
function reason(stderr: string): string {
    const lines = stderr.split("\n").map((line) => line.trim()).filter((line) => line !== "" && !/^(Network|Container|Volume) .* (Creat|Start|Stopp|Remov|Wait)/.test(line));
    return lines.slice(-3).join(" | ");
}

export function compareCompose(identity: { id: string; seed: number; index: number }, prediction: ComposePrediction, run: BoundedRun, measured: NState): Disagreement[] {
    const disagreement = (field: string, predicted: unknown, measuredValue: unknown): Disagreement => ({ case: identity.id, seed: identity.seed, index: identity.index, field, predicted, measured: measuredValue });
    if (run.timedOut) return [disagreement("compose up: timed out", "done", "timed out")];
    const refused = run.status !== 0;
    if (prediction.failure !== undefined) return refused ? [] : [disagreement("project: accepted", `refused by our reader: ${prediction.failure}`, "brought up")];
    if (refused) {
        const said = prediction.refusals.length > 0 || prediction.notJudged.length > 0;
        return said ? [] : [disagreement("project: refused", "judged as if it ran", reason(run.stderr))];
    }
    return [
        ...(prediction.refusals.length > 0 ? [disagreement("project: accepted", `refused (${prediction.refusals[0].slice(0, 200)})`, "brought up")] : []),
        ...compareStates(identity, prediction.state, measured),
    ];
}

export async function runComposeCase(composeCase: ComposeCase, { engine, dockerHost, timeoutMs, semantics }: Engine): Promise<ComposeResult> {
    const started = Date.now();
    const names = new ComposeNames(composeCase.id, composeCase.index);
    const text = composeYaml(composeCase.spec, names, composeCase.runId);
    const identity = { id: composeCase.id, seed: composeCase.seed, index: composeCase.index };
    return withProjectFile(text, async (file) => {
        const prediction = predictCompose(file, names.project, semantics ?? "29");
        const projectArgs = ["-p", names.project, "-f", file];
        await cleanup(engine);
        let run: BoundedRun;
        let measured: NState;
        try {
            run = await compose([...projectArgs, "up", "-d"], dockerHost, timeoutMs);
            // A project Compose gave up on may still be losing a container while it is read: read again once.
            measured = await measure(engine, composeCase.runId, names.project).catch(() => measure(engine, composeCase.runId, names.project));
        } finally {
            await compose([...projectArgs, "down", "--timeout", "0", "--remove-orphans"], dockerHost, timeoutMs);
            await cleanup(engine);
        }
        const disagreements = compareCompose(identity, prediction, run, measured);
        return { composeCase, yaml: text, prediction, run, measured, disagreements, millis: Date.now() - started, size: composeCase.spec.services.length };
    });
}

/** A Compose case as a regression fixture (see fixtures.ts): the project's YAML in `script`, Compose's refusal in `refused`. */
export function composeFixtureOf(result: ComposeResult, cause: string, engineVersion: string | null, shrunk: boolean): OracleFixture {
    const { composeCase, run } = result;
    return {
        kind: "compose",
        name: `c${composeCase.engine}-${slug(cause)}`,
        cause,
        engine: composeCase.engine,
        engineVersion,
        seed: composeCase.seed,
        index: composeCase.index,
        id: composeCase.id,
        shrunk,
        spec: composeCase.spec,
        script: result.yaml,
        measured: result.measured,
        refused: run.status === 0 ? [] : [{ argv: ["docker", "compose", "up", "-d"], lines: [], stderr: reason(run.stderr) }],
        disagreements: result.disagreements,
    };
}
