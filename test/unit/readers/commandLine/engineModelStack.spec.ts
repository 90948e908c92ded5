import { strict as assert } from "node:assert";
import { EngineContext, topologyFromCommandLines } from "../../../../readers/commandLine";
import { readResources } from "../../../../readers/pulumi/fromPulumi";
import { LOCAL_COMMAND_TYPE, NETWORK_TYPE } from "../../../../readers/pulumi/resourceFields";

const source = { urn: "urn:pulumi:s::p::command:local:Command::setup", name: "setup" };
const context = (networks: string[], containers: string[], own?: EngineContext["own"]): EngineContext => {
    const stack = { networks: new Set(networks), containers: new Set(containers) };
    return { own: own ?? stack, stack };
};
const refused = (text: string, ctx: EngineContext) =>
    topologyFromCommandLines(source, [{ field: "create", text }], new Map(), "20", ctx).notJudged.filter((e) => /refuses/.test(e.reason)).map((e) => [e.line, e.reason]);

describe("readers/commandLine: names the stack creates, and names nothing creates (from the oracle)", () => {
    it("lists a start on a network nothing in the stack creates as not judged, naming it; the created container stays", () => {
        const text = "docker create --name c1 --network n0 img\ndocker start c1";
        const read = topologyFromCommandLines(source, [{ field: "create", text }], new Map(), "20", context([], ["c1"]));
        assert.deepEqual(read.containers.map((c) => c.dockerName), ["c1"]);
        assert.deepEqual(read.notJudged.map((e) => e.line), [2]);
        assert.match(read.notJudged[0].reason, /network n0 not found.*unless n0 exists on the engine outside the stack/);
        assert.deepEqual(refused(text, context(["n0"], ["c1"], { networks: new Set(), containers: new Set(["c1"]) })), []);
    });

    it("a network or container the script creates later does not exist yet", () => {
        assert.deepEqual(refused("docker create --name c1 --network n0 img\ndocker start c1\ndocker network create n0", context(["n0"], ["c1"])).map((r) => r[0]), [2]);
        assert.deepEqual(refused("docker start c1\ndocker network connect n0 c1\ndocker run -d --name c1 img", context(["n0"], ["c1"])).map((r) => r[0]), [1, 2]);
    });

    it("refuses a legacy link to a container that does not exist yet, or to itself; not on a user-defined network", () => {
        assert.deepEqual(refused("docker run -d --name c1 --link c2:l img\ndocker run -d --name c2 img\ndocker create --name c3 --link c3:l img", context([], ["c1", "c2", "c3"])).map((r) => r[0]), [1, 3]);
        assert.deepEqual(refused("docker network create n\ndocker run -d --name c1 --network n --link c2:l img", context(["n"], ["c1"])), []);
    });

    it("then refuses what needs a container whose create was refused; rm -f of it succeeds", () => {
        const lines = refused("docker run -d --name c1 --link c9:l img\ndocker start c1\ndocker network connect bridge c1\ndocker rm -f c1\ndocker rm c1", context([], ["c1"]));
        assert.deepEqual(lines.map((r) => r[0]), [1, 2, 3, 5]);
    });

    it("a Command next to a docker.Network of that name: the network exists; a name nothing creates is listed", () => {
        const stack = "urn:pulumi:s::p::pulumi:pulumi:Stack::p-s";
        const command = (script: string) => ({
            urn: `urn:pulumi:s::p::${LOCAL_COMMAND_TYPE}::setup`, type: LOCAL_COMMAND_TYPE, name: "setup", parent: stack, props: { create: script },
        });
        const network = { urn: `urn:pulumi:s::p::${NETWORK_TYPE}::app`, type: NETWORK_TYPE, name: "app", parent: stack, props: { name: "app" } };
        const script = "docker run -d --name web --network app img\ndocker network connect app2 web";
        assert.deepEqual(readResources([network, command(script)] as never, "20").notJudged.map((e) => e.line), [2]);
        // Without it, the run's start is refused; a created container then takes any network name.
        assert.deepEqual(readResources([command(script)] as never, "20").notJudged.map((e) => e.line), [1]);
    });
    it("starts a container:X mode only when X runs and is not itself; a created container takes a connect to a network it names", () => {
        const ctx = context([], ["a", "b", "c", "d"]);
        const text = "docker create --name a img\ndocker create --name b --network container:a img\ndocker start b\ndocker create --name c --network container:c img\ndocker start c\ndocker create --name d --network container:zz img\ndocker start d";
        assert.deepEqual(refused(text, ctx).map((r) => r[0]), [3, 5, 7]);
        assert.deepEqual(refused("docker network create n\ndocker create --name a --network n img\ndocker network connect n a\ndocker start a\ndocker network connect n a", ctx).map((r) => r[0]), [5]);
    });
    it("under set -e, a refused command ends the script, unless it is the left side of && or || or a condition", () => {
        const ctx = context(["n"], ["a", "b"]);
        const created = (text: string) => topologyFromCommandLines(source, [{ field: "create", text }], new Map(), "29", ctx).containers.map((c) => c.dockerName);
        assert.deepEqual(created("set -euo pipefail\ndocker start zz\ndocker run -d --name a img"), []);
        assert.deepEqual(created("docker start zz\ndocker run -d --name a img"), ["a"]);
        assert.deepEqual(created("set -e\ndocker start zz && docker run -d --name a img\ndocker run -d --name b img"), ["b"]);
        assert.deepEqual(created("set -e\nif docker start zz; then docker run -d --name a img; fi\ndocker run -d --name b img"), ["a", "b"]);
        assert.deepEqual(created("set -e\nset +e\ndocker start zz\ndocker run -d --name b img"), ["b"]);
    });
});
