/**
 * One case end to end: render, predict, run on the engine (clean before and
 * after), read back, compare.
 */
import { DockerEngine } from "../cli/commands/audit/engine/dockerEngine";
import { EngineSemantics } from "../topology/engineSemantics";
import { OracleCase } from "./caseModel";
import { Disagreement, compareRefusals, compareStates } from "./compare";
import { ScriptRun, cleanup, measure, runScript } from "./measure";
import { NState } from "./normalized";
import { Prediction, predict } from "./predict";
import { RenderedCase, renderCase } from "./render";

export interface CaseResult {
    readonly oracleCase: OracleCase;
    readonly rendered: RenderedCase;
    readonly prediction: Prediction;
    readonly run: ScriptRun;
    readonly measured: NState;
    readonly disagreements: Disagreement[];
    readonly millis: number;
}

export interface Engine {
    readonly engine: DockerEngine;
    readonly dockerHost: string;
    readonly timeoutMs: number;
    /** The engine's family, for the reader's refusal rules. */
    readonly semantics?: EngineSemantics;
}

export async function runCase(oracleCase: OracleCase, { engine, dockerHost, timeoutMs, semantics }: Engine): Promise<CaseResult> {
    const started = Date.now();
    const rendered = renderCase(oracleCase);
    const prefix = `${oracleCase.id}-`;
    const prediction = await predict(rendered.script, prefix, semantics);
    await cleanup(engine);
    let run: ScriptRun;
    let measured: NState;
    try {
        run = await runScript(rendered.script, dockerHost, timeoutMs);
        measured = await measure(engine, oracleCase.runId, prefix);
    } finally {
        await cleanup(engine);
    }
    const identity = { id: oracleCase.id, seed: oracleCase.seed, index: oracleCase.index };
    const disagreements = [
        ...compareStates(identity, prediction.state, measured, (name) => {
            const lines = new Set(rendered.commands.filter((c) => c.argv.includes(name)).flatMap((c) => c.lines));
            return prediction.notJudged.filter((entry) => entry.line !== null && lines.has(entry.line)).map((entry) => entry.reason);
        }),
        ...compareRefusals(identity, run, rendered.commands, prediction.notJudged),
    ];
    return { oracleCase, rendered, prediction, run, measured, disagreements, millis: Date.now() - started };
}
