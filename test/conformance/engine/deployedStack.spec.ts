/**
 * A stack that is already deployed, judged as the README tells users to:
 * `pulumi stack export > state.json`, then `pulumi policy analyze` with the
 * pack. The state is written by hand in the shape a real export has: secrets
 * (as `--show-secrets` writes them), resources of another provider, and no
 * provider resources (as older states have).
 */
import * as assert from "assert";
import * as path from "path";
import { analyzeState, verdictLines } from "./pulumiEngine";

const STATE = path.join(__dirname, "fixtures", "deployed-stack.state.json");
const urn = (type: string, name: string) => `urn:pulumi:prod::shop::${type}::${name}`;

describe("pulumi policy analyze on a deployed stack's export", function () {
    this.timeout(30 * 60_000); // may build the Pulumi CLI first

    it("judges the Docker resources, leaves the others alone, and never prints a secret", async () => {
        const analysis = await analyzeState(STATE);
        assert.deepStrictEqual(verdictLines(analysis.violations), [
            `docker-no-default-bridge mandatory ${urn("docker:index/container:Container", "adminer")}`,
            `docker-no-legacy-links mandatory ${urn("docker:index/container:Container", "adminer")}`,
        ], analysis.stderr);
        assert.notStrictEqual(analysis.status, 0);
        assert.match(analysis.stderr, /mandatory policy violations/);
        assert.doesNotMatch(analysis.stderr, /s3cr3t/);
    });
});
