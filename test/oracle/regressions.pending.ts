/**
 * PENDING: replays the oracle's saved regression fixtures
 * (test/fixtures/oracle/*.json, written by `npm run fuzz`) through our
 * command-line reader and asserts what the real engine MEASURED. These fail
 * until the reader is fixed; the file is named `.pending.ts` so that the
 * default mocha spec (test/**\/*.spec.ts) does not pick it up. Run it with
 *
 *     npx mocha --no-config --require tsx/cjs --extension ts test/oracle/regressions.pending.ts
 */
import { strict as assert } from "node:assert";
import { compareRefusals, compareStates } from "../../oracle/compare";
import { loadFixtures } from "../../oracle/fixtures";
import { predict } from "../../oracle/predict";

describe("oracle regressions (pending: the reader against the engine's measured truth)", () => {
    for (const fixture of loadFixtures()) {
        it(`${fixture.name}: engine ${fixture.engineVersion ?? fixture.engine}, seed ${fixture.seed}, index ${fixture.index}`, async () => {
            const prediction = await predict(fixture.script, `${fixture.id}-`);
            const identity = { id: fixture.id, seed: fixture.seed, index: fixture.index };
            const commands = fixture.refused.map((refused) => ({ step: -1, argv: refused.argv, lines: refused.lines }));
            const run = { invocations: fixture.refused.map((r) => ({ argv: r.argv, status: 1, stderr: r.stderr })), timedOut: false, shellStatus: 0, shellStderr: "" };
            const disagreements = [...compareStates(identity, prediction.state, fixture.measured), ...compareRefusals(identity, run, commands, prediction.notJudged)];
            assert.deepEqual(disagreements, [], `the reader disagrees with engine ${fixture.engine} on:\n${fixture.script}`);
        });
    }
});
