import * as assert from "assert";
import { CONTAINER, DUAL_HOMED_CONTAINER, DUAL_HOMED_SERVICE, ISOLATED_SERVICE_NET, NETWORK, resource, runPolicy, unknown } from "../../test/helpers/policyHarness";
import { overlayNetwork, swarmService } from "../../test/helpers/swarmFixtures";

const POLICY = "docker-multi-homing-declared";

const web = resource(NETWORK, "web", { name: "web", ipamConfigs: [{ subnet: "10.20.2.0/24", gateway: "10.20.2.1" }] });
const orders = resource(NETWORK, "orders", { name: "orders", ipamConfigs: [{ subnet: "10.20.1.0/24", gateway: "10.20.1.1" }] });

describe(POLICY, () => {
    const component = resource(DUAL_HOMED_CONTAINER, "api");
    const declared = resource(CONTAINER, "api", { networksAdvanced: [{ name: "web" }, { name: "orders" }] }, { parent: component });
    const frontend = resource(CONTAINER, "frontend", { networksAdvanced: [{ name: "web", aliases: ["www"] }] });

    it("passes single-homed containers and the container of a DualHomedContainer", async () => {
        assert.deepStrictEqual(await runPolicy(POLICY, [web, orders, component, declared, frontend]), []);
    });

    it("follows the parent chain: a DualHomedContainer inside another component is still declared", async () => {
        const outer = resource("acme:index:Shop", "shop");
        const nested = resource(DUAL_HOMED_CONTAINER, "gateway", {}, { parent: outer });
        const container = resource(CONTAINER, "gateway", { networksAdvanced: [{ name: "web" }, { name: "orders" }] }, { parent: nested });
        assert.deepStrictEqual(await runPolicy(POLICY, [web, orders, outer, nested, container]), []);
    });

    it("reports a plain container on two networks, saying to declare it as a DualHomedContainer", async () => {
        const sneaky = resource(CONTAINER, "sneaky", { networksAdvanced: [{ name: "web" }, { name: "orders" }] });
        const violations = await runPolicy(POLICY, [web, orders, frontend, sneaky]);
        assert.deepStrictEqual(violations.map((v) => [v.name, v.resource]), [["sneaky", sneaky.urn]]);
        assert.match(violations[0].message, /container "sneaky" is attached to 2 networks \("web", "orders"\)/);
        assert.match(violations[0].message, /Declare it as a DualHomedContainer/);
    });

    it("does not say members can reach it on a network with inter-container traffic off", async () => {
        const quiet = resource(NETWORK, "quiet", { name: "quiet", options: { "com.docker.network.bridge.enable_icc": "false" }, ipamConfigs: [{ subnet: "10.20.3.0/24", gateway: "10.20.3.1" }] });
        const sneaky = resource(CONTAINER, "sneaky", { networksAdvanced: [{ name: "web" }, { name: "quiet" }] });
        const [violation] = await runPolicy(POLICY, [web, quiet, sneaky]);
        assert.match(violation.message, /it is a bridge between them; every member of "web" can reach it; on "quiet" inter-container traffic is off, so members there cannot reach it/);
        assert.doesNotMatch(violation.message, /only bridge|every member of each/);
    });

    it("reports networkMode naming a user-defined network beside networksAdvanced naming another: the provider keeps both", async () => {
        const both = resource(CONTAINER, "both", { networkMode: "orders", networksAdvanced: [{ name: "web" }] });
        const violations = await runPolicy(POLICY, [web, orders, both]);
        assert.deepStrictEqual(violations.map((v) => v.name), ["both"]);
        assert.match(violations[0].message, /attached to 2 networks \("orders", "web"\)/);
        // The default bridge is the one network the provider disconnects; the same network twice is one.
        for (const networkMode of ["bridge", "default", "web", unknown.string]) {
            const single = resource(CONTAINER, "single", { networkMode, networksAdvanced: [{ name: "web" }] });
            assert.deepStrictEqual(await runPolicy(POLICY, [web, orders, single]), [], String(networkMode));
        }
    });

    it("does not take another component as a declaration", async () => {
        const net = resource(ISOLATED_SERVICE_NET, "web");
        const member = resource(CONTAINER, "web-app", { networksAdvanced: [{ name: "web" }, { name: "orders" }] }, { parent: net });
        assert.deepStrictEqual((await runPolicy(POLICY, [net, web, orders, member])).map((v) => v.name), ["web-app"]);
    });

    it("counts a network outside the stack, named as written", async () => {
        const external = resource(CONTAINER, "bridge-out", { networksAdvanced: [{ name: "web" }, { name: "legacy-net" }] });
        assert.deepStrictEqual((await runPolicy(POLICY, [web, external])).map((v) => v.name), ["bridge-out"]);
    });

    describe("networks referenced by id or unknown name", () => {
        it("resolves id references through property dependencies", async () => {
            const byId = resource(CONTAINER, "by-id", { networksAdvanced: [{ name: "web-id" }, { name: "orders-id" }] }, {
                propertyDependencies: { networksAdvanced: [web, orders] },
            });
            assert.deepStrictEqual((await runPolicy(POLICY, [web, orders, byId])).map((v) => v.name), ["by-id"]);
        });

        it("resolves names unknown during preview through property dependencies", async () => {
            const computedWeb = resource(NETWORK, "web", { name: unknown.string });
            const computedOrders = resource(NETWORK, "orders", { name: unknown.string });
            const pending = resource(CONTAINER, "pending", { networksAdvanced: [{ name: unknown.string }, { name: unknown.string }] }, {
                propertyDependencies: { networksAdvanced: [computedWeb, computedOrders] },
            });
            assert.deepStrictEqual((await runPolicy(POLICY, [computedWeb, computedOrders, pending])).map((v) => v.name), ["pending"]);
        });

        it("gives the dependency to the unknown reference, not to a known name outside the stack", async () => {
            const computedWeb = resource(NETWORK, "web", { name: unknown.string });
            const mixed = resource(CONTAINER, "mixed", { networksAdvanced: [{ name: "legacy-net" }, { name: unknown.string }] }, {
                propertyDependencies: { networksAdvanced: [computedWeb] },
            });
            const violations = await runPolicy(POLICY, [computedWeb, mixed]);
            assert.deepStrictEqual(violations.map((v) => v.name), ["mixed"]);
            assert.match(violations[0].message, /2 networks \("legacy-net", "web"\)/);
        });

        it("does not guess: unknown references it cannot resolve may be one network", async () => {
            const opaque = resource(CONTAINER, "opaque", { networksAdvanced: [{ name: unknown.string }, { name: unknown.string }] });
            const unknownList = resource(CONTAINER, "unknown-list", { networksAdvanced: unknown.array });
            assert.deepStrictEqual(await runPolicy(POLICY, [web, orders, opaque, unknownList]), []);
        });
    });

    describe("swarm services", () => {
        const front = overlayNetwork("front", "10.21.2.0/24");
        const back = overlayNetwork("back", "10.21.1.0/24");

        it("passes the service of a DualHomedService on two overlays, and a service on one", async () => {
            const component = resource(DUAL_HOMED_SERVICE, "api");
            const api = swarmService("api", ["front", "back"], {}, { parent: component });
            assert.deepStrictEqual(await runPolicy(POLICY, [front, back, component, api, swarmService("db", ["back"])]), []);
        });

        it("does not count the routing mesh's endpoint of a publishing service as a second network", async () => {
            assert.deepStrictEqual(await runPolicy(POLICY, [back, swarmService("web", ["back"], { endpointSpec: { ports: [{ targetPort: 80, publishedPort: 8080 }] } })]), []);
        });

        it("reports a plain service on two overlays, by ids unknown during the preview, saying to declare a DualHomedService", async () => {
            const sneaky = swarmService("sneaky", [{ name: unknown.string }, { name: unknown.string }], {}, { propertyDependencies: { taskSpec: [front, back] } });
            const violations = await runPolicy(POLICY, [front, back, sneaky]);
            assert.deepStrictEqual(violations.map((v) => [v.name, v.resource]), [["sneaky", sneaky.urn]]);
            assert.match(violations[0].message, /^service "sneaky" is attached to 2 networks \("front", "back"\)/);
            assert.match(violations[0].message, /Declare it as a DualHomedService/);
        });
    });
});
