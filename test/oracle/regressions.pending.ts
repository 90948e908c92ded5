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
import { PROGRAM_FIXTURE_DIR, loadFixtures } from "../../oracle/fixtures";
import { replayProgram } from "../../oracle/program/runProgramCase";
import { replay } from "./replay";
import { SETTLED_BOTH, SETTLED_PROGRAMS_BOTH, SETTLED_PROGRAMS_STATES, SETTLED_REFUSALS, SETTLED_STATES } from "./settled";

// What the reader settles is replayed by test/unit/readers/commandLine/oracleRegressions.spec.ts; only the rest is pending.
describe("oracle regressions (pending: the reader against the engine's measured truth)", () => {
    for (const fixture of loadFixtures().filter((f) => !SETTLED_BOTH.includes(f.name))) {
        it(`${fixture.name}: engine ${fixture.engineVersion ?? fixture.engine}, seed ${fixture.seed}, index ${fixture.index}`, async () => {
            const found = await replay(fixture);
            const disagreements = [...(SETTLED_REFUSALS.includes(fixture.name) ? [] : found.refusals), ...(SETTLED_STATES.includes(fixture.name) ? [] : found.states)];
            assert.deepEqual(disagreements, [], `the reader disagrees with engine ${fixture.engine} on:\n${fixture.script}`);
        });
    }
});

// Program fixtures (test/fixtures/oracle/program): what the preview settles is replayed by
// test/unit/readers/pulumi/programOracleRegressions.spec.ts; only the rest is pending.
describe("program oracle regressions (pending: our preview against the engine's measured truth)", () => {
    for (const fixture of loadFixtures(PROGRAM_FIXTURE_DIR).filter((f) => !SETTLED_PROGRAMS_BOTH.includes(f.name))) {
        it(`${fixture.name}: engine ${fixture.engineVersion ?? fixture.engine}, seed ${fixture.seed}, index ${fixture.index}`, async () => {
            const found = await replayProgram(fixture);
            const disagreements = [...found.refusals, ...(SETTLED_PROGRAMS_STATES.includes(fixture.name) ? [] : found.states)];
            assert.deepEqual(disagreements, [], `our preview disagrees with engine ${fixture.engine} on:\n${fixture.script}`);
        });
    }
});
