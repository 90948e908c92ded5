/**
 * One program case end to end: our preview of the program (run in-process
 * under Pulumi's mocks, as `netguard preview` runs it: topology, not-judged
 * list, the pack's verdicts), the program deployed as the Docker provider
 * deploys it (oracle/deployProgram.ts), the engine read back with the
 * command oracle's reader (measure.ts), and the comparison:
 * - the state left (networks, attachments, static addresses, aliases,
 *   ports, modes, links), without the resources the engine refused;
 * - every resource the engine refused must carry a violation that says Docker
 *   refuses something (or a not-judged entry); one it needed is skipped;
 * - every resource our preview says Docker refuses must have been refused.
 * A program our preview cannot run (a component refuses its input) is not
 * deployed either: `pulumi up` runs the same program and fails the same way.
 */
import { Violation, evaluatePolicies } from "../../policies/evaluate";
import { policies, policyNames } from "../../policies/pack";
import { PackConfig } from "../../policies/policyConfig";
import { DOCKER_VERSION_SETTING } from "../../policies/policySettings";
import { policyResources } from "../../policies/engineArgs";
import { readResources } from "../../readers/pulumi/fromPulumi";
import { previewDocument } from "../../document/previewDocument";
import { runProgram } from "../../cli/commands/preview/program/runProgram";
import { CaseIdentity, Disagreement, compareStates } from "../compare";
import { FUZZ_LABEL, IMAGE } from "../caseModel";
import { Refusal, deployPreview } from "../deployProgram";
import { cleanup, measure } from "../measure";
import { NState } from "../normalized";
import { normalizeTopology } from "../predict";
import { Engine } from "../runCase";
import { OracleFixture, slug } from "../fixtures";
import { PROGRAM_STACK, ProgramNames, ProgramSpec } from "./programModel";
import { declarations, programOf, programSource } from "./programRender";

export interface ProgramCase {
    readonly index: number;
    readonly seed: number;
    readonly id: string;
    readonly runId: string;
    readonly engine: string;
    readonly spec: ProgramSpec;
}

/** Our preview of a program, in the shape compared. */
export interface ProgramPrediction {
    readonly state: NState;
    readonly violations: readonly Violation[];
    /** URN of each resource with its Docker name and parent (for violations on a component). */
    readonly resources: readonly { urn: string; dockerName: string; parent: string | null }[];
    /** Not-judged entries, by resource URN. */
    readonly notJudged: readonly { resource: string; reason: string }[];
    /** Set when the program itself failed (a component refused its input). */
    readonly failure?: string;
    readonly document?: ReturnType<typeof previewDocument>;
}

export interface ProgramResult {
    readonly programCase: ProgramCase;
    readonly source: string;
    readonly prediction: ProgramPrediction;
    readonly refusals: readonly Refusal[];
    readonly measured: NState;
    readonly disagreements: Disagreement[];
    readonly millis: number;
    /** Resources declared (the size shrinking reduces). */
    readonly size: number;
}

function packConfig(semantics: "20" | "29"): PackConfig {
    return new Map(policyNames.map((name) => [name, { settings: { [DOCKER_VERSION_SETTING]: semantics } }]));
}

export async function predictProgram(programCase: ProgramCase, semantics: "20" | "29"): Promise<ProgramPrediction> {
    const names = new ProgramNames(programCase.id, programCase.index);
    const program = programOf(declarations(programCase.spec, names));
    let run;
    try {
        run = await runProgram(program, { project: programCase.id, stack: PROGRAM_STACK, config: {}, secretKeys: [] }, { timeoutSeconds: 30 });
    } catch (err) {
        return { state: { networks: {}, containers: {} }, violations: [], resources: [], notJudged: [], failure: (err as Error).message };
    }
    const violations = await evaluatePolicies(policies, run.resources, packConfig(semantics));
    const { topology, notJudged } = readResources(policyResources(run.resources), semantics);
    return {
        state: normalizeTopology(topology, `${programCase.id}-`),
        violations,
        resources: run.resources.map((r) => ({ urn: r.urn, dockerName: typeof r.inputs.name === "string" ? r.inputs.name : r.name, parent: r.parent })),
        notJudged: notJudged.map((entry) => ({ resource: entry.resource, reason: entry.reason })),
        document: previewDocument(run.resources, topology, violations, notJudged),
    };
}

/** A violation that says Docker refuses (or rejects) something. */
export const SAYS_REFUSED = /\b(refuse|reject)/i;

function without(state: NState, names: ReadonlySet<string>): NState {
    const keep = <T>(record: Record<string, T>) => Object.fromEntries(Object.entries(record).filter(([name]) => !names.has(name)));
    return { networks: keep(state.networks), containers: keep(state.containers) };
}

/**
 * The refusals both ways. `refused`: what the engine refused (skipped ones
 * left out: they never reached it).
 */
export function compareProgramRefusals(identity: CaseIdentity, prediction: ProgramPrediction, refused: readonly Refusal[]): Disagreement[] {
    const out: Disagreement[] = [];
    const push = (field: string, predicted: unknown, measured: unknown) => out.push({ case: identity.id, seed: identity.seed, index: identity.index, field, predicted, measured });
    const byUrn = new Map(prediction.resources.map((r) => [r.urn, r]));
    const lineage = (urn: string): string[] => {
        const chain: string[] = [];
        for (let at: string | null | undefined = urn; at; at = byUrn.get(at)?.parent) chain.push(at);
        return chain;
    };
    // On the resource (or a component around it), or naming it: an overlap is reported on one network of two, Docker refuses the second created.
    const names = (urn: string) => [`"${urn.split("::").pop()}"`, byUrn.get(urn)?.dockerName ?? urn];
    const refusing = (urn: string) =>
        prediction.violations.filter((v) => SAYS_REFUSED.test(v.message) && ((v.resource !== null && lineage(urn).includes(v.resource)) || names(urn).some((name) => v.message.includes(name))));
    const engineRefused = refused.filter((r) => r.dependsOn === undefined);
    for (const refusal of engineRefused) {
        const listed = prediction.notJudged.some((entry) => lineage(refusal.urn).includes(entry.resource));
        if (!listed && refusing(refusal.urn).length === 0) {
            const said = prediction.violations.filter((v) => v.resource !== null && lineage(refusal.urn).includes(v.resource)).map((v) => v.policy);
            push(`refused: ${refusal.dockerName}`, `judged as if it ran${said.length > 0 ? ` (violations: ${said.join(", ")})` : ""}`, refusal.message);
        }
    }
    const refusedUrns = new Set(refused.map((r) => r.urn));
    for (const resource of prediction.resources) {
        if (refusedUrns.has(resource.urn) || !resource.urn.includes("docker:index/")) continue;
        // A violation naming two resources (an overlap: Docker refuses whichever comes second) holds when one of them was refused.
        const own = prediction.violations.filter((v) => v.resource === resource.urn && SAYS_REFUSED.test(v.message) && !refused.some((r) => names(r.urn).some((name) => v.message.includes(name))));
        if (own.length > 0) push(`accepted: ${resource.dockerName}`, `refused (${own.map((v) => v.policy).join(", ")}: ${own[0].message.slice(0, 200)})`, "created");
    }
    return out;
}

export async function runProgramCase(programCase: ProgramCase, { engine, semantics }: Engine): Promise<ProgramResult> {
    const started = Date.now();
    const names = new ProgramNames(programCase.id, programCase.index);
    const decls = declarations(programCase.spec, names);
    const source = programSource(decls, names);
    const prediction = await predictProgram(programCase, semantics ?? "29");
    const identity = { id: programCase.id, seed: programCase.seed, index: programCase.index };
    const empty: NState = { networks: {}, containers: {} };
    if (prediction.failure !== undefined || prediction.document === undefined) {
        return { programCase, source, prediction, refusals: [], measured: empty, disagreements: [], millis: Date.now() - started, size: decls.length };
    }
    const refusals: Refusal[] = [];
    await cleanup(engine);
    let measured: NState;
    try {
        await deployPreview(engine.docker, prediction.document, { image: IMAGE, labels: { [FUZZ_LABEL]: programCase.runId }, onRefused: (refusal) => refusals.push(refusal) });
        measured = await measure(engine, programCase.runId, `${programCase.id}-`);
    } finally {
        await cleanup(engine);
    }
    const gone = new Set(refusals.map((r) => r.dockerName));
    const disagreements = [...compareStates(identity, without(prediction.state, gone), without(measured, gone)), ...compareProgramRefusals(identity, prediction, refusals)];
    return { programCase, source, prediction, refusals, measured, disagreements, millis: Date.now() - started, size: decls.length };
}

/** The refusals a program fixture recorded (`argv`: the Docker name, then what it needed when it was skipped). */
export function fixtureRefusals(fixture: OracleFixture, prediction: ProgramPrediction): Refusal[] {
    return fixture.refused.map(({ argv, stderr }) => {
        const dependsOn = argv[1] ?? /^not created: it needs (\S+),/.exec(stderr)?.[1];
        const urn = prediction.resources.find((r) => r.dockerName === argv[0])?.urn ?? argv[0];
        return { urn, dockerName: argv[0], message: stderr, ...(dependsOn ? { dependsOn } : {}) };
    });
}

/** A saved program fixture through our preview again, offline: the disagreements on refusals and on the state left. */
export async function replayProgram(fixture: OracleFixture): Promise<{ refusals: Disagreement[]; states: Disagreement[] }> {
    const programCase = { index: fixture.index, seed: fixture.seed, id: fixture.id, runId: fixture.id.replace(/-\d+$/, ""), engine: fixture.engine, spec: fixture.spec as ProgramSpec };
    const prediction = await predictProgram(programCase, fixture.engine === "20" ? "20" : "29");
    const refusals = fixtureRefusals(fixture, prediction);
    const gone = new Set(refusals.map((r) => r.dockerName));
    const identity = { id: fixture.id, seed: fixture.seed, index: fixture.index };
    return { states: compareStates(identity, without(prediction.state, gone), without(fixture.measured, gone)), refusals: compareProgramRefusals(identity, prediction, refusals) };
}

/** A program case as a regression fixture (see fixtures.ts). */
export function programFixtureOf(result: ProgramResult, cause: string, engineVersion: string | null, shrunk: boolean): OracleFixture {
    const { programCase } = result;
    return {
        kind: "program",
        name: `p${programCase.engine}-${slug(cause)}`,
        cause,
        engine: programCase.engine,
        engineVersion,
        seed: programCase.seed,
        index: programCase.index,
        id: programCase.id,
        shrunk,
        spec: programCase.spec,
        script: result.source,
        measured: result.measured,
        refused: result.refusals.map((refusal) => ({ argv: [refusal.dockerName, ...(refusal.dependsOn ? [refusal.dependsOn] : [])], lines: [], stderr: refusal.message })),
        disagreements: result.disagreements,
    };
}
