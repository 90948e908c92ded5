/**
 * The Pulumi adapter on swarm resources: `docker.Network` with the overlay
 * driver and `docker.Service`, with the values a preview leaves unknown, as
 * the analyzer hands them over (props behind `unknownCheckingProxy`, parents
 * and property dependencies linked).
 */
import * as assert from "assert";
import { policyResources } from "../../../../policies/engineArgs";
import { topologyFromResources } from "../../../../readers/pulumi/fromPulumi";
import { SERVICE_TYPE } from "../../../../readers/pulumi/resourceFields";
import {
    ContainerNode,
    DEFAULT_BRIDGE,
    NetworkNode,
    SWARM_INGRESS,
    SWARM_INGRESS_KEY,
    Topology,
    UNKNOWN,
    containerNames,
    defaultBridgeAttachment,
    networkScope,
    routingMeshAttachment,
    workloadKind,
} from "../../../../topology/model";
import { computeReachability } from "../../../../topology/reachability";
import { DUAL_HOMED_SERVICE, NETWORK, SERVICE, resource, unknown } from "../../../helpers/policyHarness";
import { overlayNetwork, swarmService } from "../../../helpers/swarmFixtures";

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

        it("keep an unknown network list as one unresolved attachment; with no list, tasks land on the default bridge (Docker 20.10)", () => {
            const unknownList = swarmService("a", undefined, { taskSpec: { containerSpec: { image: "x" }, networksAdvanceds: unknown.array } });
            const unknownSpec = swarmService("b", undefined, { taskSpec: unknown.object });
            const none = swarmService("c", undefined);
            const topology = topologyOf(unknownList, unknownSpec, none);
            assert.deepStrictEqual(nodeNamed(topology, "a").attachments, [{ reference: UNKNOWN, aliases: [], staticAddress: false }]);
            assert.deepStrictEqual(nodeNamed(topology, "b").attachments, [{ reference: UNKNOWN, aliases: [], staticAddress: false }]);
            assert.deepStrictEqual(nodeNamed(topology, "c").attachments, [defaultBridgeAttachment()]);
            assert.deepStrictEqual(topology.networks.filter((n) => n.defaultBridge), [DEFAULT_BRIDGE]);
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
                { internal: 53, external: 5353, protocol: "udp", publishMode: "host" },
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

        describe("publishing through the routing mesh (Docker 20.10, measured)", () => {
            const published = { endpointSpec: { ports: [{ targetPort: 80, publishedPort: 8080 }] } };
            const hostMode = { endpointSpec: { ports: [{ targetPort: 80, publishedPort: 8081, publishMode: "host" }] } };

            it("puts a service publishing in ingress mode on Docker's ingress network, which the topology adds as the swarm made it", () => {
                const topology = topologyOf(order, swarmService("web", ["order"], published), swarmService("solo", undefined, published));
                assert.deepStrictEqual(nodeNamed(topology, "web").attachments.map((a) => [a.network, a.routingMesh]), [[order.urn, undefined], [SWARM_INGRESS_KEY, true]]);
                assert.deepStrictEqual(nodeNamed(topology, "solo").attachments, [routingMeshAttachment()], "not on the default bridge too");
                const ingress = networkNamed(topology, "ingress");
                assert.deepStrictEqual(ingress, SWARM_INGRESS);
                assert.deepStrictEqual(
                    [ingress.ipam[0].subnet, ingress.ipam[0].gateway, networkScope(ingress), ingress.ingress, ingress.encrypted, ingress.resource],
                    ["10.0.0.0/24", "10.0.0.1", "swarm", true, false, undefined],
                );
                assert.ok(!topology.networks.some((n) => n.defaultBridge));
            });

            it("leaves host-mode ports off the mesh, and adds no ingress node when no service publishes through it", () => {
                const topology = topologyOf(order, swarmService("web", ["order"], hostMode), swarmService("db", ["order"]));
                assert.deepStrictEqual(nodeNamed(topology, "web").attachments.map((a) => a.network), [order.urn]);
                assert.ok(!topology.networks.some((n) => n.ingress === true));
            });

            it("hands the mesh's endpoints to the stack's own ingress network when it declares one", () => {
                const mesh = overlayNetwork("mesh", "10.21.8.0/24", { ingress: true });
                const topology = topologyOf(order, mesh, swarmService("web", ["order"], published));
                assert.deepStrictEqual(nodeNamed(topology, "web").attachments.map((a) => [a.network, a.routingMesh]), [[order.urn, undefined], [mesh.urn, true]]);
                assert.deepStrictEqual(topology.networks.filter((n) => n.ingress === true).map((n) => n.name), ["mesh"]);
            });

            it("predicts the publishing services' tasks reach each other over ingress by address only, and no one else there", () => {
                const topology = topologyOf(
                    order,
                    web,
                    swarmService("a", ["order"], published),
                    swarmService("b", ["web"], published),
                    swarmService("c", ["web"], hostMode),
                );
                assert.deepStrictEqual(
                    computeReachability(topology).map((p) => `${p.from}>${p.to} ${p.networks.join(",")}${p.byName ? "" : " (ip)"}`),
                    ["a>b ingress (ip)", "b>a ingress (ip)", "b>c web", "c>b web"],
                );
            });
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
