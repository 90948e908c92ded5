import * as assert from "assert";
import { CONTAINER, LOCAL_COMMAND, resource, runPolicy, unknown } from "../../test/helpers/policyHarness";
import { swarmService } from "../../test/helpers/swarmFixtures";

const POLICY = "docker-no-shared-network-namespace";

async function messages(inputs: Record<string, unknown>, settings: Record<string, unknown> = {}): Promise<string[]> {
    const container = resource(CONTAINER, "monitor", { image: "prom/node-exporter", name: "node-exporter", ...inputs });
    return (await runPolicy(POLICY, [container], settings)).map((v) => v.message);
}

describe(POLICY, () => {
    describe("what Docker refuses of a namespace mode, whatever allow says", () => {
        const allowAll = { allow: ["*"] };
        it("container: with published ports (ports or publishAllPorts)", async () => {
            for (const inputs of [{ ports: [{ internal: 80 }] }, { publishAllPorts: true }]) {
                const found = await messages({ networkMode: "container:db", ...inputs }, allowAll);
                assert.equal(found.length, 1);
                assert.match(found[0], /which Docker refuses \("conflicting options: port publishing and the container type network mode"\)/);
            }
        });
        it("none with networks to join", async () => {
            const found = await messages({ networkMode: "none", networksAdvanced: [{ name: "app" }] }, allowAll);
            assert.equal(found.length, 1);
            assert.match(found[0], /Docker refuses \("container cannot be connected to multiple networks with one of the networks in private \(none\) mode"\)/);
        });
        it("not a container: mode without ports or links", async () => {
            assert.deepStrictEqual(await messages({ networkMode: "container:db" }, allowAll), []);
        });
    });

    it("passes a container on its own network", async () => {
        assert.deepStrictEqual(await messages({ networksAdvanced: [{ name: "app" }] }), []);
        assert.deepStrictEqual(await messages({ networkMode: "app" }), []);
        assert.deepStrictEqual(await messages({ networkMode: "none" }), []); // isolated, not shared
    });

    describe("fails", () => {
        const variants: [string, string, RegExp][] = [
            ["networkMode host", "host", /container "monitor" shares the host's network namespace \(networkMode "host"\): .*sees every host interface/],
            ["networkMode container:…", "container:db", /shares the network namespace of container "db" \(networkMode "container:db"\)/],
            ["networkMode service:…", "service:db", /shares the network namespace of service "db"/],
        ];
        for (const [what, networkMode, message] of variants) {
            it(what, async () => {
                const found = await messages({ networkMode });
                assert.strictEqual(found.length, 1);
                assert.match(found[0], message);
                assert.match(found[0], /Attach it to an IsolatedServiceNet/);
            });
        }

        it("--network host and --net=container:… in docker command lines", async () => {
            const cmd = resource(LOCAL_COMMAND, "setup", { create: "docker run -d --network host --name agent img && docker run --net=container:agent sidecar" });
            const found = await runPolicy(POLICY, [cmd]);
            assert.deepStrictEqual(found.map((v) => v.resource), [cmd.urn, cmd.urn]);
            assert.match(found[0].message, /container "agent" \(docker command line in command "setup"\) shares the host's network namespace \(--network host\)/);
            assert.match(found[1].message, /container "setup line 1 \(2\)" .* of container "agent"/);
        });
    });

    describe("allow setting", () => {
        it("lets containers matching a glob of logical or Docker names share a namespace", async () => {
            assert.deepStrictEqual(await messages({ networkMode: "host" }, { allow: ["mon*"] }), []);
            assert.deepStrictEqual(await messages({ networkMode: "host" }, { allow: ["node-*"] }), []);
            assert.strictEqual((await messages({ networkMode: "host" }, { allow: ["web-*"] })).length, 1);
        });

        it("rejects a glob outside the supported syntax, naming the entry", async () => {
            await assert.rejects(() => messages({ networkMode: "host" }, { allow: ["mon*", "+(a|b)"] }), /policy docker-no-shared-network-namespace: setting "allow\[1\]": glob "\+\(a\|b\)" has "\(" at character 2: extglob groups are not supported/);
        });

        it("rejects a setting that is not a list of strings", async () => {
            await assert.rejects(() => messages({ networkMode: "host" }, { allow: "mon*" }), /policy docker-no-shared-network-namespace: setting "allow" must be a list of strings, got "mon\*"/);
        });
    });

    it("skips an unknown network mode", async () => {
        assert.deepStrictEqual(await messages({ networkMode: unknown.string }), []);
        assert.deepStrictEqual(await messages({ networkMode: "host", name: unknown.string }, { allow: ["node-*"] }).then((m) => m.length), 1);
    });

    describe("swarm services", () => {
        it('fails a service on the "host" network: its tasks share their node\'s namespace', async () => {
            const violations = await runPolicy(POLICY, [swarmService("agent", ["host"])]);
            assert.deepStrictEqual(violations.map((v) => v.name), ["agent"]);
            assert.match(violations[0].message, /^service "agent" shares the host's network namespace \(network "host"\)/);
            assert.match(violations[0].message, /swarm-scope IsolatedServiceNet/);
        });

        it('passes a service on an overlay or on "none", and one the allow setting names', async () => {
            assert.deepStrictEqual(await runPolicy(POLICY, [swarmService("web", ["front"]), swarmService("batch", ["none"])]), []);
            assert.deepStrictEqual(await runPolicy(POLICY, [swarmService("agent", ["host"])], { allow: ["agent"] }), []);
        });
    });
});
