import * as assert from "assert";
import { CONTAINER, NETWORK, Violation, resource, runPolicy, unknown } from "../../test/helpers/policyHarness";
import { overlayNetwork, swarmService } from "../../test/helpers/swarmFixtures";
import { NetworkNode, Topology } from "../../topology/model";
import { dockerNetworkNoOverlap } from "./docker-network-no-overlap";

const POLICY = "docker-network-no-overlap";

function net(name: string, subnet: string | typeof unknown.string, extra: Record<string, unknown> = {}) {
    return resource(NETWORK, name, { name, driver: "bridge", ipamConfigs: [{ subnet, ...extra }] });
}

function names(violations: Violation[]): (string | null)[] {
    return violations.map((v) => v.name);
}

describe(POLICY, () => {
    const passing = [net("orders", "10.20.1.0/24"), net("web", "10.20.2.0/24"), net("office", "192.168.10.0/24")];

    it("passes disjoint subnets outside the reserved range", async () => {
        assert.deepStrictEqual(await runPolicy(POLICY, passing), []);
    });

    it("reports the narrower of two nested subnets, naming the other", async () => {
        const wide = net("wide", "10.20.0.0/16");
        const violations = await runPolicy(POLICY, [...passing, wide]);
        // orders and web are both inside wide: each is reported, wide is not.
        assert.deepStrictEqual(names(violations).sort(), ["orders", "web"]);
        assert.match(violations[0].message, /subnet 10\.20\.[12]\.0\/24 overlaps network "wide"'s subnet 10\.20\.0\.0\/16/);
        assert.match(violations[0].message, /Pin a subnet/);
        assert.strictEqual(violations[0].level, "mandatory");
    });

    it("reports the later of two identical subnets", async () => {
        const copy = net("orders-copy", "10.20.1.0/24");
        const violations = await runPolicy(POLICY, [...passing, copy]);
        assert.deepStrictEqual(names(violations), ["orders-copy"]);
        assert.match(violations[0].message, /network "orders"'s subnet 10\.20\.1\.0\/24/);
        // Declaration order decides, not the name.
        const first = await runPolicy(POLICY, [copy, ...passing]);
        assert.deepStrictEqual(names(first), ["orders"]);
    });

    it("reports a subnet on docker0's 172.17.0.0/16 by default, inside or around it", async () => {
        const inside = await runPolicy(POLICY, [...passing, net("docker0ish", "172.17.5.0/24")]);
        assert.deepStrictEqual(names(inside), ["docker0ish"]);
        assert.match(inside[0].message, /overlaps the reserved range 172\.17\.0\.0\/16/);
        const around = await runPolicy(POLICY, [...passing, net("everything", "172.16.0.0/12")]);
        assert.deepStrictEqual(names(around), ["everything"]);
    });

    it("takes reserved ranges from config (e.g. the office VPN), replacing the default", async () => {
        const settings = { reserved: ["192.168.0.0/16", "10.99.0.0/16"] };
        const violations = await runPolicy(POLICY, [...passing, net("docker0ish", "172.17.5.0/24")], settings);
        assert.deepStrictEqual(names(violations), ["office"]);
        assert.match(violations[0].message, /reserved range 192\.168\.0\.0\/16/);
    });

    it("compares IPv6 subnets with IPv6 only", async () => {
        // IPv6 on: Docker 28+ drops an IPv6 block without it.
        const v6 = ["v6a", "v6b"].map((name, i) => resource(NETWORK, name, { name, driver: "bridge", ipv6: true, ipamConfigs: [{ subnet: ["fd00:1::/64", "fd00:1::/48"][i] }] }));
        assert.deepStrictEqual(names(await runPolicy(POLICY, [...passing, ...v6])), ["v6a"]);
    });

    it("holds two networks with IPv6 on to one IPv6 subnet as Docker does: it refuses the second; without IPv6 on, the block takes no pool (the Compose oracle's finding)", async () => {
        const dual = (name: string, v4: string, ipv6: boolean) => resource(NETWORK, name, { name, driver: "bridge", ipv6, ipamConfigs: [{ subnet: v4 }, { subnet: "fd00:40::/64" }] });
        const both = await runPolicy(POLICY, [dual("first", "10.40.1.0/24", true), dual("second", "10.40.2.0/24", true)], { dockerVersion: "20" });
        assert.deepStrictEqual(names(both), ["second"]);
        assert.match(both[0].message, /Docker refuses whichever of the two is created second/);
        // 20.10 keeps the block of a network without IPv6 on, but allocates nothing from it (measured: both networks are created).
        assert.deepStrictEqual(names(await runPolicy(POLICY, [dual("first", "10.40.1.0/24", true), dual("second", "10.40.2.0/24", false)], { dockerVersion: "20" })), []);
    });

    it("looks at every IPAM block of a network and reports the network once", async () => {
        const multi = resource(NETWORK, "multi", {
            name: "multi",
            ipamConfigs: [{ subnet: "10.20.1.0/25" }, { subnet: "10.20.2.128/25" }],
        });
        const violations = await runPolicy(POLICY, [...passing, multi]);
        assert.deepStrictEqual(names(violations), ["multi"]);
        assert.match(violations[0].message, /"orders".*"web"/);
    });

    it("decides from what is known: unknown and malformed subnets are skipped", async () => {
        const unknownSubnet = net("later", unknown.string);
        const unknownIpam = resource(NETWORK, "computed", { name: "computed", ipamConfigs: unknown.array });
        const malformed = net("typo", "10.20.1.0/33");
        const container = resource(CONTAINER, "web-1", { networksAdvanced: [{ name: unknown.string }] });
        assert.deepStrictEqual(await runPolicy(POLICY, [...passing, unknownSubnet, unknownIpam, malformed, container]), []);
    });

    it("rejects a reserved range that is not a CIDR block, naming it", async () => {
        await assert.rejects(
            () => runPolicy(POLICY, passing, { reserved: ["10.0.0.0/8", "office-vpn"] }),
            /docker-network-no-overlap: setting "reserved" has "office-vpn", which is not a CIDR block/,
        );
        await assert.rejects(() => runPolicy(POLICY, passing, { reserved: "10.0.0.0/8" }), /"reserved" must be a list of strings/);
    });

    it("sweeps instead of comparing pairs: 1,000 networks, one finding per overlap", () => {
        // Straight to the rule: the point is the cost of check(), not the engine.
        const networks = Array.from({ length: 1000 }, (_, i) => ({
            key: `n${i}`,
            resource: `n${i}`,
            name: `n${i}`,
            driver: "bridge",
            ipam: [{ subnet: `10.${Math.floor(i / 250)}.${i % 250}.0/24`, auxAddresses: {} }],
            internal: false,
            interContainer: true,
            defaultBridge: false,
        }));
        networks.push({ ...networks[0], key: "dup", resource: "dup", name: "dup" });
        const config = dockerNetworkNoOverlap.readConfig({});
        const started = process.hrtime.bigint();
        const findings = dockerNetworkNoOverlap.check({ networks, containers: [] }, config);
        const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
        assert.deepStrictEqual(findings.map((f) => f.subject.name), ["dup"]);
        assert.ok(elapsedMs < 500, `took ${elapsedMs} ms`);
    });

    describe("both scopes", () => {
        it("reports an overlay over a local bridge of the stack: the swarm's nodes have both", async () => {
            const violations = await runPolicy(POLICY, [net("orders", "10.20.1.0/24"), overlayNetwork("mesh-orders", "10.20.0.0/16")]);
            assert.deepStrictEqual(names(violations), ["orders"]);
            assert.match(violations[0].message, /subnet 10\.20\.1\.0\/24 overlaps network "mesh-orders"'s subnet 10\.20\.0\.0\/16: a swarm node that has both routes the shared addresses to only one of them/);
        });

        it("reports two overlays that overlap, and an overlay over a reserved range", async () => {
            const violations = await runPolicy(POLICY, [overlayNetwork("a", "10.21.1.0/24"), overlayNetwork("b", "10.21.1.0/24"), overlayNetwork("c", "172.17.5.0/24")]);
            assert.deepStrictEqual(names(violations).sort(), ["b", "c"]);
        });

        it("reports a stack overlay over the routing mesh's ingress (10.0.0.0/24) once a service publishes through it, on the stack's network", async () => {
            const published = swarmService("web", ["wide"], { endpointSpec: { ports: [{ targetPort: 80, publishedPort: 8080 }] } });
            for (const subnet of ["10.0.0.0/24", "10.0.0.0/16", "10.0.0.128/25"]) {
                const violations = await runPolicy(POLICY, [overlayNetwork("wide", subnet), published]);
                assert.deepStrictEqual(names(violations), ["wide"], subnet);
                assert.match(violations[0].message, new RegExp(`subnet ${subnet.replace(/\./g, "\\.")} overlaps network "ingress"'s subnet 10\\.0\\.0\\.0/24`));
            }
            assert.deepStrictEqual(await runPolicy(POLICY, [overlayNetwork("wide", "10.0.0.0/16"), swarmService("db", ["wide"])]), [], "no publishing service: no mesh in the model");
        });

        it("passes overlays and bridges on disjoint subnets", async () => {
            assert.deepStrictEqual(await runPolicy(POLICY, [net("web", "10.20.2.0/24"), overlayNetwork("order", "10.21.1.0/24"), overlayNetwork("web-s", "10.21.2.0/24")]), []);
        });

        describe("live state of several engines", () => {
            const live = (name: string, subnet: string, extra: Partial<NetworkNode>): NetworkNode => ({
                key: `${extra.node ?? "swarm"}/${name}`,
                resource: `${extra.node ?? "swarm"}/${name}`,
                name,
                dockerName: name,
                driver: "bridge",
                ipam: [{ subnet, auxAddresses: {} }],
                internal: false,
                interContainer: true,
                defaultBridge: false,
                ...extra,
            });
            const check = (networks: NetworkNode[]) =>
                dockerNetworkNoOverlap.check({ networks, containers: [] } as Topology, dockerNetworkNoOverlap.readConfig({})).map((f) => f.message);

            it("lets local networks of different nodes repeat a subnet", () => {
                assert.deepStrictEqual(check([live("app", "10.30.0.0/24", { node: "n1" }), live("app", "10.30.0.0/24", { node: "n2" })]), []);
            });

            it("reports local networks on one node, and an overlay over any node's local bridge, naming the node", () => {
                const same = check([live("a", "10.30.0.0/24", { node: "n1" }), live("b", "10.30.0.0/25", { node: "n1" })]);
                assert.strictEqual(same.length, 1);
                assert.match(same[0], /^network "b" on node "n1": subnet 10\.30\.0\.0\/25 overlaps network "a" \(node "n1"\)'s subnet/);
                const overlay = check([
                    live("local", "10.30.0.0/24", { node: "n2" }),
                    live("ov", "10.30.0.0/16", { driver: "overlay", scope: "swarm" }),
                    live("other", "10.30.0.0/24", { node: "n3" }),
                ]);
                assert.strictEqual(overlay.length, 2);
                assert.ok(overlay.every((message) => /overlaps network "ov"'s subnet 10\.30\.0\.0\/16: a swarm node that has both/.test(message)), overlay.join("\n"));
            });

            it("still finds the clash behind a block it does not clash with", () => {
                const found = check([
                    live("ov", "10.31.0.0/16", { driver: "overlay", scope: "swarm" }),
                    live("wide", "10.31.0.0/20", { node: "n1" }),
                    live("narrow", "10.31.1.0/24", { node: "n2" }),
                ]);
                assert.strictEqual(found.length, 2);
                assert.match(found[1], /network "narrow" on node "n2": .*overlaps network "ov"'s subnet/);
            });
        });
    });
});
