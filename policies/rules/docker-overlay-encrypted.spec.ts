import * as assert from "assert";
import { NETWORK, resource, runPolicy, unknown } from "../../test/helpers/policyHarness";
import { overlayNetwork, swarmService } from "../../test/helpers/swarmFixtures";

const POLICY = "docker-overlay-encrypted";

async function messagesFor(...resources: ReturnType<typeof resource>[]): Promise<string[]> {
    return (await runPolicy(POLICY, resources)).map((v) => v.message);
}

describe(POLICY, () => {
    it("passes an overlay network with the encrypted option", async () => {
        assert.deepStrictEqual(await messagesFor(overlayNetwork("order", "10.21.1.0/24")), []);
    });

    it('passes the option whatever its value: Docker encrypts when the key is there ("", even "false")', async () => {
        for (const value of ["", "false", "0", "yes", unknown.string]) {
            assert.deepStrictEqual(await messagesFor(overlayNetwork("order", "10.21.1.0/24", { options: { encrypted: value } })), [], JSON.stringify(value));
        }
    });

    describe("fails an overlay network without it", () => {
        const variants: [string, Record<string, unknown>][] = [
            ["no options at all", { options: undefined }],
            ["other options only", { options: { "com.docker.network.driver.mtu": "1400" } }],
            ["attachable, no options", { options: {}, attachable: true }],
        ];
        for (const [what, change] of variants) {
            it(what, async () => {
                const messages = await messagesFor(overlayNetwork("order", "10.21.1.0/24", change));
                assert.strictEqual(messages.length, 1);
                assert.match(messages[0], /^network "order" is an overlay network without encryption: .*plain VXLAN/);
                assert.match(messages[0], /Set encrypted: true on its IsolatedServiceNet .*options: \{ encrypted: "true" \}/);
            });
        }
    });

    it("reports on the network resource, mandatory by default", async () => {
        const net = overlayNetwork("order", "10.21.1.0/24", { options: undefined });
        const [violation] = await runPolicy(POLICY, [net]);
        assert.deepStrictEqual([violation.resource, violation.name, violation.level], [net.urn, "order", "mandatory"]);
    });

    it("does not judge bridge networks, the routing mesh's ingress network, or options that are unknown", async () => {
        const bridge = resource(NETWORK, "web", { name: "web", driver: "bridge", ipamConfigs: [{ subnet: "10.21.2.0/24" }] });
        const ingress = overlayNetwork("mesh", "10.21.3.0/24", { options: undefined, ingress: true });
        const unknownOptions = overlayNetwork("later", "10.21.4.0/24", { options: unknown.object });
        assert.deepStrictEqual(await messagesFor(bridge, ingress, unknownOptions), []);
    });

    it("does not judge Docker's own ingress network that a publishing service puts in the preview", async () => {
        assert.deepStrictEqual(await messagesFor(swarmService("web", ["order"], { endpointSpec: { ports: [{ targetPort: 80, publishedPort: 8080 }] } })), []);
    });

    it("judges each network of a stack on its own", async () => {
        const violations = await runPolicy(POLICY, [overlayNetwork("a", "10.21.1.0/24"), overlayNetwork("b", "10.21.2.0/24", { options: undefined })]);
        assert.deepStrictEqual(violations.map((v) => v.name), ["b"]);
    });
});
