/**
 * The Pulumi adapter on swarm resources: `docker.Network` with the overlay
 * driver and `docker.Service`, with the values a preview leaves unknown, as
 * the analyzer hands them over (props behind `unknownCheckingProxy`, parents
 * and property dependencies linked).
 */
import * as assert from "assert";
import { policyResources } from "../../policies/engineArgs";
import { SERVICE_TYPE, topologyFromResources } from "../../topology/fromPulumi";
import { ContainerNode, NetworkNode, Topology, UNKNOWN, containerNames, networkScope, workloadKind } from "../../topology/model";
import { computeReachability } from "../../topology/reachability";
import { DUAL_HOMED_SERVICE, NETWORK, SERVICE, resource, unknown } from "../helpers/policyHarness";
import { overlayNetwork, swarmService } from "../helpers/swarmFixtures";

function topologyOf(...resources: ReturnType<typeof resource>[]): Topology {
    return topologyFromResources(policyResources(resources));
}

function networkNamed(topology: Topology, name: string): NetworkNode {
    const network = topology.networks.find((n) => n.name === name);
    assert.ok(network, `no network ${name}`);
    return network;
}

function nodeNamed(topology: Topology, name: string): ContainerNode {
    const node = topology.containers.find((c) => c.name === name);
    assert.ok(node, `no node ${name}`);
    return node;
}

describe("topology/fromPulumi: swarm networks and services", () => {
    it("uses the provider's type token for services", () => {
        assert.strictEqual(SERVICE_TYPE, SERVICE);
    });

    describe("overlay networks", () => {
        it("are swarm-scope, attachable as written (default false), encrypted when the option key is there, members always reach each other", () => {
            const topology = topologyOf(
                overlayNetwork("order", "10.21.1.0/24", { attachable: true, options: { encrypted: "", "com.docker.network.bridge.enable_icc": "false" } }),
                overlayNetwork("plain", "10.21.2.0/24", { options: undefined }),
            );
            const order = networkNamed(topology, "order");
            assert.deepStrictEqual(
                [networkScope(order), order.attachable, order.encrypted, order.ingress, order.interContainer],
                ["swarm", true, true, false, true],
            );
            const plain = networkNamed(topology, "plain");
            assert.deepStrictEqual([networkScope(plain), plain.attachable, plain.encrypted], ["swarm", false, false]);
        });

        it("marks a routing-mesh network (ingress: true)", () => {
            assert.strictEqual(networkNamed(topologyOf(overlayNetwork("mesh", "10.21.3.0/24", { ingress: true })), "mesh").ingress, true);
        });

        it("leaves encryption unknown while the options are, and the bridge driver local without swarm fields", () => {
            assert.strictEqual(networkNamed(topologyOf(overlayNetwork("later", "10.21.4.0/24", { options: unknown.object })), "later").encrypted, undefined);
            const bridge = networkNamed(topologyOf(resource(NETWORK, "web", { name: "web", options: { encrypted: "true" } })), "web");
            assert.deepStrictEqual([networkScope(bridge), bridge.scope, bridge.encrypted, bridge.attachable], ["local", undefined, undefined, undefined]);
        });
    });

    describe("services", () => {
        const order = overlayNetwork("order", "10.21.1.0/24");
        const web = overlayNetwork("web", "10.21.2.0/24");

        it("are one node of kind service with their replicas, Docker name and attachments with aliases", () => {
            const topology = topologyOf(order, swarmService("order-db", [{ name: "order", aliases: ["postgres"] }], { name: "shop-order-db" }));
            const db = nodeNamed(topology, "order-db");
            assert.deepStrictEqual(
                [workloadKind(db), db.replicas, db.dockerName, db.origin, db.declaredMultiHomed, db.links, db.ports],
                ["service", 2, "shop-order-db", "container", false, [], []],
            );
            assert.deepStrictEqual(db.attachments, [{ reference: "order", network: order.urn, aliases: ["postgres"], staticAddress: false }]);
        });

        it("count one replica unless written, and an unknown number for global mode or computed counts", () => {
            const replicasOf = (mode: unknown) => nodeNamed(topologyOf(swarmService("s", ["order"], { mode })), "s").replicas;
            assert.strictEqual(replicasOf(undefined), 1);
            assert.strictEqual(replicasOf({ replicated: {} }), 1);
            assert.strictEqual(replicasOf({ replicated: { replicas: 0 } }), 0);
            assert.strictEqual(replicasOf({ global: true }), UNKNOWN);
            assert.strictEqual(replicasOf({ replicated: { replicas: unknown.number } }), UNKNOWN);
            assert.strictEqual(replicasOf(unknown.object), UNKNOWN);
        });

        it("resolve networks named by an id unknown during the preview through the taskSpec dependencies, in order", () => {
            const api = swarmService("api", [{ name: unknown.string }, { name: unknown.string, aliases: ["order-api"] }], {}, { propertyDependencies: { taskSpec: [web, order] } });
            const topology = topologyOf(order, web, api);
            assert.deepStrictEqual(nodeNamed(topology, "api").attachments.map((a) => [a.network, a.aliases]), [[web.urn, []], [order.urn, ["order-api"]]]);
        });

        it("keep an unknown network list as one unresolved attachment, and no list as none", () => {
            const unknownList = swarmService("a", undefined, { taskSpec: { containerSpec: { image: "x" }, networksAdvanceds: unknown.array } });
            const unknownSpec = swarmService("b", undefined, { taskSpec: unknown.object });
            const none = swarmService("c", undefined);
            const topology = topologyOf(unknownList, unknownSpec, none);
            assert.deepStrictEqual(nodeNamed(topology, "a").attachments, [{ reference: UNKNOWN, aliases: [], staticAddress: false }]);
            assert.deepStrictEqual(nodeNamed(topology, "b").attachments, [{ reference: UNKNOWN, aliases: [], staticAddress: false }]);
            assert.deepStrictEqual(nodeNamed(topology, "c").attachments, []);
            assert.ok(!topology.networks.some((n) => n.defaultBridge), "a service never lands on the default bridge");
        });

        it('read "host" and "none" as the network mode, not as networks', () => {
            const topology = topologyOf(swarmService("agent", ["host"]), swarmService("batch", ["none"]));
            assert.deepStrictEqual([nodeNamed(topology, "agent").networkMode, nodeNamed(topology, "agent").attachments], ["host", []]);
            assert.strictEqual(nodeNamed(topology, "batch").networkMode, "none");
        });

        it("publish endpointSpec ports on every interface (no host address in either publish mode)", () => {
            const ports = [
                { targetPort: 80, publishedPort: 8080 },
                { targetPort: 53, publishedPort: 5353, protocol: "udp", publishMode: "host" },
                { targetPort: 9000 },
                { targetPort: unknown.number, publishedPort: 1 },
            ];
            const node = nodeNamed(topologyOf(swarmService("web", ["web"], { endpointSpec: { ports } })), "web");
            assert.deepStrictEqual(node.ports, [
                { internal: 80, external: 8080, protocol: "tcp" },
                { internal: 53, external: 5353, protocol: "udp" },
                { internal: 9000, protocol: "tcp" },
            ]);
        });

        it("are declared multi-homed inside a DualHomedService", () => {
            const component = resource(DUAL_HOMED_SERVICE, "api");
            const topology = topologyOf(web, order, component, swarmService("api", ["web", "order"], {}, { parent: component }), swarmService("free", ["web", "order"]));
            assert.deepStrictEqual([nodeNamed(topology, "api").declaredMultiHomed, nodeNamed(topology, "free").declaredMultiHomed], [true, false]);
        });

        it("answer to tasks.<name> for their logical name, Docker name and every alias", () => {
            const node = nodeNamed(topologyOf(order, swarmService("db", [{ name: "order", aliases: ["postgres"] }], { name: "shop-db" })), "db");
            assert.deepStrictEqual(containerNames(node).sort(), ["db", "postgres", "shop-db", "tasks.db", "tasks.postgres", "tasks.shop-db"]);
        });

        it("reach services and containers of their overlay both ways by name, and nothing across overlays", () => {
            const attachable = overlayNetwork("web", "10.21.2.0/24", { attachable: true });
            const topology = topologyOf(
                order,
                attachable,
                swarmService("db", ["order"]),
                swarmService("www", ["web"]),
                resource("docker:index/container:Container", "debug", { name: "debug", networksAdvanced: [{ name: "web" }] }),
            );
            assert.deepStrictEqual(
                computeReachability(topology).map((p) => `${p.from}>${p.to}${p.byName ? "" : " (ip)"}`),
                ["debug>www", "www>debug"],
            );
        });
    });
});
