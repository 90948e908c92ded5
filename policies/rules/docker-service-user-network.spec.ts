import * as assert from "assert";
import { CONTAINER, NETWORK, resource, runPolicy, unknown } from "../../test/helpers/policyHarness";
import { overlayNetwork, swarmService } from "../../test/helpers/swarmFixtures";

const POLICY = "docker-service-user-network";

const order = overlayNetwork("order", "10.21.1.0/24");
const bridge = resource(NETWORK, "local", { name: "local", driver: "bridge", ipamConfigs: [{ subnet: "10.21.9.0/24", gateway: "10.21.9.1" }] });
const mesh = overlayNetwork("mesh", "10.21.8.0/24", { ingress: true });

async function messagesFor(...resources: ReturnType<typeof resource>[]): Promise<string[]> {
    return (await runPolicy(POLICY, [order, bridge, mesh, ...resources])).map((v) => v.message);
}

describe(POLICY, () => {
    it("passes a service on a user-defined overlay, by name or by an id unknown during the preview", async () => {
        assert.deepStrictEqual(await messagesFor(swarmService("db", ["order"])), []);
        const byId = swarmService("db", [{ name: unknown.string }], {}, { propertyDependencies: { taskSpec: [order] } });
        assert.deepStrictEqual(await messagesFor(byId), []);
    });

    it("fails a service on no network that publishes through the routing mesh (only on ingress then), naming the mesh and the fix", async () => {
        for (const networks of [undefined, []]) {
            const messages = await messagesFor(swarmService("db", networks, { endpointSpec: { ports: [{ targetPort: 80 }] } }));
            assert.strictEqual(messages.length, 1);
            assert.match(messages[0], /^service "db" is on no user-defined overlay network: .*routing mesh's ingress network/);
            assert.match(messages[0], /scope: "swarm"/);
        }
    });

    it("leaves a service on no network that publishes nothing through the mesh to docker-no-default-bridge: its tasks land there", async () => {
        const hostMode = { endpointSpec: { ports: [{ targetPort: 80, publishedPort: 8080, publishMode: "host" }] } };
        assert.deepStrictEqual(await messagesFor(swarmService("db", undefined), swarmService("batch", [], hostMode)), []);
    });

    it("never counts the routing mesh's own endpoint of a publishing service as ingress membership", async () => {
        const published = { endpointSpec: { ports: [{ targetPort: 80, publishedPort: 8080 }] } };
        // On Docker's own ingress (the stack declares none), and on the stack's ingress network (`mesh`), which takes the mesh's endpoints.
        assert.deepStrictEqual(await runPolicy(POLICY, [order, swarmService("web", ["order"], published)]), []);
        assert.deepStrictEqual(await messagesFor(swarmService("web", ["order"], published)), []);
    });

    describe("fails a service with the ingress network as a member", () => {
        it('named "ingress" (Docker\'s routing mesh)', async () => {
            const [message, ...rest] = await messagesFor(swarmService("web", ["order", "ingress"]));
            assert.deepStrictEqual(rest, []);
            assert.match(message, /^service "web" names the routing mesh's network "ingress" as one of its networks: .*Docker refuses/);
        });

        it("a network of the stack created with ingress: true, by an unknown id", async () => {
            const web = swarmService("web", [{ name: unknown.string }], {}, { propertyDependencies: { taskSpec: [mesh] } });
            const messages = await messagesFor(web);
            assert.strictEqual(messages.length, 1);
            assert.match(messages[0], /routing mesh's network "mesh"/);
        });
    });

    describe("fails a service on a local network, which Docker refuses", () => {
        it("a bridge network of the stack, by name", async () => {
            const [message] = await messagesFor(swarmService("web", ["local"]));
            assert.match(message, /^service "web" is attached to local network "local" \(driver bridge\): Docker runs services only on swarm-scope networks/);
        });

        it("a bridge network of the stack by its unknown id, next to an overlay", async () => {
            const web = swarmService("web", ["order", { name: unknown.string }], {}, { propertyDependencies: { taskSpec: [order, bridge] } });
            const messages = await messagesFor(web);
            assert.strictEqual(messages.length, 1);
            assert.match(messages[0], /local network "local"/);
        });

        it("Docker's default bridge", async () => {
            const [message] = await messagesFor(swarmService("web", ["bridge"]));
            assert.match(message, /local network "bridge" \(Docker's default bridge\)/);
        });
    });

    it("reports on the service resource, mandatory by default", async () => {
        const web = swarmService("web", undefined, { endpointSpec: { ports: [{ targetPort: 80 }] } });
        const violations = await runPolicy(POLICY, [web]);
        assert.deepStrictEqual(violations.map((v) => [v.resource, v.name, v.level]), [[web.urn, "web", "mandatory"]]);
    });

    it("leaves host and none to their own policies, and never judges plain containers", async () => {
        assert.deepStrictEqual(await messagesFor(swarmService("agent", ["host"]), swarmService("batch", ["none"])), []);
        assert.deepStrictEqual(await messagesFor(resource(CONTAINER, "web", { image: "nginx" })), []);
    });

    it("does not judge what is unknown, or a network outside the stack named by name", async () => {
        assert.deepStrictEqual(await messagesFor(swarmService("a", [{ name: unknown.string }])), []);
        assert.deepStrictEqual(await messagesFor(swarmService("b", undefined, { taskSpec: unknown.object })), []);
        assert.deepStrictEqual(
            await messagesFor(swarmService("c", undefined, { taskSpec: { containerSpec: { image: "x" }, networksAdvanceds: unknown.array } })),
            [],
        );
        assert.deepStrictEqual(await messagesFor(swarmService("d", ["shared-overlay"])), []);
    });
});
