/** Replays a saved oracle fixture through the reader, offline: the disagreements on refusals and on the state left. */
import { Disagreement, compareRefusals, compareStates } from "../../oracle/compare";
import { OracleFixture } from "../../oracle/fixtures";
import { predict } from "../../oracle/predict";

export async function replay(fixture: OracleFixture): Promise<{ refusals: Disagreement[]; states: Disagreement[] }> {
    const prediction = await predict(fixture.script, `${fixture.id}-`, fixture.engine === "20" ? "20" : "29");
    const identity = { id: fixture.id, seed: fixture.seed, index: fixture.index };
    const commands = fixture.refused.map((refused) => ({ step: -1, argv: refused.argv, lines: refused.lines }));
    const run = { invocations: fixture.refused.map((r) => ({ argv: r.argv, status: 1, stderr: r.stderr })), timedOut: false, shellStatus: 0, shellStderr: "" };
    return { states: compareStates(identity, prediction.state, fixture.measured), refusals: compareRefusals(identity, run, commands, prediction.notJudged) };
}
