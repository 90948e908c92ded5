/**
 * The oracle's saved disagreements (test/fixtures/oracle, measured on real
 * Docker 20.10 and 29 engines) that the command-line reader now settles,
 * replayed offline: no engine needed.
 */
import { strict as assert } from "node:assert";
import { loadFixtures } from "../../../../oracle/fixtures";
import { replay } from "../../../oracle/replay";
import { SETTLED_BOTH, SETTLED_REFUSALS, SETTLED_STATES } from "../../../oracle/settled";

describe("oracle regressions: the reader agrees with the engine's measured truth", () => {
    const fixtures = new Map(loadFixtures().map((fixture) => [fixture.name, fixture]));
    const cases: [string, boolean, boolean][] = [
        ...SETTLED_BOTH.map((name): [string, boolean, boolean] => [name, true, true]),
        ...SETTLED_REFUSALS.map((name): [string, boolean, boolean] => [name, true, false]),
        ...SETTLED_STATES.map((name): [string, boolean, boolean] => [name, false, true]),
    ];
    for (const [name, refusals, states] of cases) {
        it(`${name}: ${refusals ? "every refused command listed as not judged" : ""}${refusals && states ? ", " : ""}${states ? "the state the script leaves" : ""}`, async () => {
            const fixture = fixtures.get(name);
            assert.ok(fixture, `no fixture ${name}`);
            const found = await replay(fixture);
            assert.deepEqual([...(refusals ? found.refusals : []), ...(states ? found.states : [])], [], `engine ${fixture.engine}:\n${fixture.script}`);
        });
    }
});
