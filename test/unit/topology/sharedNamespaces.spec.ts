import * as assert from "assert";
import { computeReachability } from "../../../topology/reachability";
import { topologyFromCommandLines } from "../../../readers/commandLine/dockerCommandLine";
import { resolveSharedNamespaces } from "../../../topology/sharedNamespaces";
import { CONTAINER, LOCAL_COMMAND, NETWORK, resource, runPolicy, unknown } from "../../helpers/policyHarness";

const FLOWS = "docker-forbidden-flows";
const deny = { deny: [{ from: "sidecar", to: "vault" }] };

const secrets = resource(NETWORK, "secrets", { name: "secrets", ipamConfigs: [{ subnet: "10.40.0.0/24" }] });
const app = resource(CONTAINER, "app", { name: "app", networksAdvanced: [{ name: "secrets" }] });
const vault = resource(CONTAINER, "vault", { name: "vault", networksAdvanced: [{ name: "secrets" }] });

describe("container:<other> network mode: the namespace of another container", () => {
    it("reaches and is reached as the other: flow rules apply to it (mode by Docker name)", async () => {
        const sidecar = resource(CONTAINER, "sidecar", { name: "sidecar", networkMode: "container:app" });
        const violations = await runPolicy(FLOWS, [secrets, app, vault, sidecar], deny);
        assert.deepStrictEqual(violations.map((v) => v.name), ["sidecar"]);
        assert.match(violations[0].message, /container "sidecar" can reach "vault" over "secrets"/);
        const reverse = await runPolicy(FLOWS, [secrets, app, vault, sidecar], { deny: [{ from: "vault", to: "sidecar" }] });
        assert.deepStrictEqual(reverse.map((v) => v.name), ["vault"]);
    });

    it("follows the mode's dependency when the other's id is unknown during a preview", async () => {
        const sidecar = resource(CONTAINER, "sidecar", { name: "sidecar", networkMode: unknown.string }, { propertyDependencies: { networkMode: [app] } });
        assert.deepStrictEqual((await runPolicy(FLOWS, [secrets, app, vault, sidecar], deny)).map((v) => v.name), ["sidecar"]);
    });

    it("reads --network container:NAME on command lines the same way", async () => {
        const setup = resource(LOCAL_COMMAND, "setup", { create: "docker run -d --name sidecar --network container:app busybox" });
        assert.deepStrictEqual((await runPolicy(FLOWS, [secrets, app, vault, setup], deny)).map((v) => v.name), ["setup"]);
    });

    it("adds no flow when the other container is not in the stack, and survives a cycle", () => {
        const lines = topologyFromCommandLines({ urn: "urn:c", name: "c" }, [
            { field: "create", text: "docker network create --subnet 10.1.0.0/24 n\ndocker run --name a --network container:b x\ndocker run --name b --network container:a x\ndocker run --name c --network container:zz x" },
        ]);
        const containers = resolveSharedNamespaces(lines.containers);
        assert.deepStrictEqual(containers.map((c) => c.sharesNamespaceOf !== undefined), [true, true, false]);
        assert.deepStrictEqual(computeReachability({ networks: lines.networks, containers }), []);
    });
});
