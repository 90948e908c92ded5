import * as assert from "assert";
import { ContainerNode, DEFAULT_BRIDGE, NetworkNode, Topology } from "../../../topology/model";
import { computeReachability } from "../../../topology/reachability";

function network(name: string, extra: Partial<NetworkNode> = {}): NetworkNode {
    return { key: name, resource: name, name, dockerName: name, driver: "bridge", ipam: [], internal: false, interContainer: true, defaultBridge: false, ...extra };
}

function container(name: string, networks: string[], extra: Partial<ContainerNode> = {}): ContainerNode {
    return {
        key: name,
        resource: name,
        name,
        dockerName: name,
        attachments: networks.map((n) => ({ network: n, reference: n, aliases: [], staticAddress: false })),
        links: [],
        declaredMultiHomed: false,
        origin: "container",
        ...extra,
    };
}

const pairsOf = (topology: Topology) => computeReachability(topology).map((p) => `${p.from}>${p.to}${p.byName ? "" : " (ip)"}`);

describe("topology/reachability", () => {
    it("connects members of a user-defined network both ways, by name", () => {
        const topology = { networks: [network("a")], containers: [container("x", ["a"]), container("y", ["a"])] };
        assert.deepStrictEqual(pairsOf(topology), ["x>y", "y>x"]);
    });

    it("routes nothing between networks, except through a container on both", () => {
        const topology = {
            networks: [network("a"), network("b")],
            containers: [container("x", ["a"]), container("y", ["b"]), container("hub", ["a", "b"])],
        };
        assert.deepStrictEqual(pairsOf(topology), ["hub>x", "hub>y", "x>hub", "y>hub"]);
    });

    it("gives nothing when inter-container traffic is off", () => {
        const topology = { networks: [network("a", { interContainer: false })], containers: [container("x", ["a"]), container("y", ["a"])] };
        assert.deepStrictEqual(pairsOf(topology), []);
    });

    it("keeps internal networks reachable among members", () => {
        const topology = { networks: [network("a", { internal: true })], containers: [container("x", ["a"]), container("y", ["a"])] };
        assert.deepStrictEqual(pairsOf(topology), ["x>y", "y>x"]);
    });

    it("reaches by IP only on the default bridge, and by name one way through a link", () => {
        const topology = {
            networks: [DEFAULT_BRIDGE],
            containers: [
                container("db", [DEFAULT_BRIDGE.key]),
                container("app", [DEFAULT_BRIDGE.key], { links: [{ target: "db", alias: "database" }] }),
                container("other", [DEFAULT_BRIDGE.key]),
            ],
        };
        assert.deepStrictEqual(pairsOf(topology), ["app>db", "app>other (ip)", "db>app (ip)", "db>other (ip)", "other>app (ip)", "other>db (ip)"]);
    });

    it("lists every shared network of a pair once", () => {
        const topology = { networks: [network("a"), network("b")], containers: [container("x", ["a", "b"]), container("y", ["b", "a"])] };
        assert.deepStrictEqual(computeReachability(topology)[0].networks, ["a", "b"]);
    });

    describe("swarm", () => {
        const overlay = (name: string, extra: Partial<NetworkNode> = {}) => network(name, { driver: "overlay", scope: "swarm", encrypted: true, ...extra });
        const service = (name: string, networks: string[], extra: Partial<ContainerNode> = {}) => container(name, networks, { kind: "service", replicas: 2, ...extra });

        it("connects services and containers of one overlay both ways, by name", () => {
            const topology = { networks: [overlay("a", { attachable: true })], containers: [service("db", ["a"]), service("api", ["a"]), container("debug", ["a"])] };
            assert.deepStrictEqual(pairsOf(topology), ["api>db", "api>debug", "db>api", "db>debug", "debug>api", "debug>db"]);
        });

        it("routes nothing between overlays, except through a service on both", () => {
            const topology = { networks: [overlay("a"), overlay("b")], containers: [service("x", ["a"]), service("y", ["b"]), service("hub", ["a", "b"])] };
            assert.deepStrictEqual(pairsOf(topology), ["hub>x", "hub>y", "x>hub", "y>hub"]);
        });

        it("reaches members of the routing mesh's ingress network by IP only, like the default bridge", () => {
            const topology = { networks: [overlay("ingress", { ingress: true, encrypted: false })], containers: [service("x", ["ingress"]), service("y", ["ingress"])] };
            assert.deepStrictEqual(pairsOf(topology), ["x>y (ip)", "y>x (ip)"]);
        });
    });
});

