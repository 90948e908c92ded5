/**
 * The program oracle's saved disagreements (test/fixtures/oracle/program,
 * measured on real Docker 20.10 and 29 engines with programs deployed as the
 * Docker provider deploys them) that our preview now settles, replayed
 * offline: the program runs under mocks again, no engine needed.
 */
import { strict as assert } from "node:assert";
import { PROGRAM_FIXTURE_DIR, loadFixtures } from "../../../../oracle/fixtures";
import { replayProgram } from "../../../../oracle/program/runProgramCase";
import { SETTLED_PROGRAMS_BOTH, SETTLED_PROGRAMS_STATES } from "../../../oracle/settled";

describe("program oracle regressions: our preview agrees with the engine's measured truth", () => {
    const fixtures = new Map(loadFixtures(PROGRAM_FIXTURE_DIR).map((fixture) => [fixture.name, fixture]));
    const cases: [string, boolean][] = [...SETTLED_PROGRAMS_BOTH.map((name): [string, boolean] => [name, true]), ...SETTLED_PROGRAMS_STATES.map((name): [string, boolean] => [name, false])];
    it("has a fixture for every settled name", () => {
        assert.deepEqual(cases.map(([name]) => name).filter((name) => !fixtures.has(name)), []);
    });
    for (const [name, refusals] of cases) {
        it(`${name}: ${refusals ? "every refused resource carries a refusal, and " : ""}the state the program leaves`, async () => {
            const fixture = fixtures.get(name);
            assert.ok(fixture, `no fixture ${name}`);
            const found = await replayProgram(fixture);
            assert.deepEqual([...(refusals ? found.refusals : []), ...found.states], [], `engine ${fixture.engine}:\n${fixture.script}`);
        });
    }
});
