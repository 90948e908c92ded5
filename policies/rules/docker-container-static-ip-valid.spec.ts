import * as assert from "assert";
import fc from "fast-check";
import { PredictedIpam } from "../../cli/commands/preview/predictedIpam";
import { Cidr, formatIp, parseCidr, subnetAt } from "../../addressing/cidr";
import { RegisteredResource } from "../engineArgs";
import { CONTAINER, NETWORK, Violation, resource, runPolicy, unknown } from "../../test/helpers/policyHarness";

const POLICY = "docker-container-static-ip-valid";

const orders = resource(NETWORK, "orders", {
    name: "orders",
    driver: "bridge",
    ipamConfigs: [{ subnet: "10.20.1.0/24", gateway: "10.20.1.1", ipRange: "10.20.1.128/25" }],
});

/** A container on `orders` (by its Docker name) with a static address. */
function member(name: string, ipv4Address: string, network: RegisteredResource = orders): RegisteredResource {
    return resource(CONTAINER, name, { image: "busybox", networksAdvanced: [{ name: network.inputs.name, ipv4Address }] });
}

function names(violations: Violation[]): (string | null)[] {
    return violations.map((v) => v.name);
}

async function violationsFor(address: string): Promise<Violation[]> {
    return runPolicy(POLICY, [orders, member("db", "10.20.1.10"), member("odd", address)]);
}

describe(POLICY, () => {
    it("passes unique static addresses inside the subnet, off the gateway, outside the ip range", async () => {
        const dynamic = resource(CONTAINER, "cache", { networksAdvanced: [{ name: "orders" }] });
        assert.deepStrictEqual(await runPolicy(POLICY, [orders, member("db", "10.20.1.10"), member("queue", "10.20.1.11"), dynamic]), []);
    });

    it("reports an address outside the subnet", async () => {
        const violations = await violationsFor("10.20.2.10");
        assert.deepStrictEqual(names(violations), ["odd"]);
        assert.match(violations[0].message, /static address 10\.20\.2\.10 is outside network "orders"'s subnet 10\.20\.1\.0\/24/);
        assert.match(violations[0].message, /Pick an unused address inside the subnet/);
    });

    it("reports the gateway, written or Docker's default", async () => {
        assert.match((await violationsFor("10.20.1.1"))[0].message, /10\.20\.1\.1 is network "orders"'s gateway/);
        const noGateway = resource(NETWORK, "plain", { name: "plain", ipamConfigs: [{ subnet: "10.30.0.0/24" }] });
        const violations = await runPolicy(POLICY, [noGateway, member("odd", "10.30.0.1", noGateway)]);
        assert.deepStrictEqual(names(violations), ["odd"]);
        assert.match(violations[0].message, /gateway \(none is written: Docker's default/);
    });

    it("checks an address given again on the network networkMode joined as each engine does: 20.10 wants a subnet of its family, 28+ one that holds it (the program oracle's finding)", async () => {
        // The provider creates the container on networkMode's network, then connects networksAdvanced: Docker keeps the first endpoint
        // and drops the address, but refuses the container when its endpoint check fails (measured on both engines).
        const rejoined = (name: string, address: Record<string, string>) =>
            resource(CONTAINER, name, { image: "busybox", networkMode: "orders", networksAdvanced: [{ name: "orders", ...address }] });
        const resources = [orders, rejoined("outside", { ipv4Address: "10.20.2.10" }), rejoined("no-v6", { ipv6Address: "fd00:1::10" }), rejoined("fine", { ipv4Address: "10.20.1.1" })];
        const on29 = await runPolicy(POLICY, resources, { dockerVersion: "29" });
        assert.deepStrictEqual(names(on29), ["outside", "no-v6"]);
        assert.match(on29[0].message, /10\.20\.2\.10 on network "orders", already joined through its network mode, is dropped, but Docker checks it first and refuses the container: no configured subnet contains IP address 10\.20\.2\.10/);
        const on20 = await runPolicy(POLICY, resources, { dockerVersion: "20" });
        assert.deepStrictEqual(names(on20), ["no-v6"]);
        assert.match(on20[0].message, /refuses the container: user specified IP address is supported only when connecting to networks with user configured subnets/);
    });

    it("holds an IPv6 address on a network without IPv6 on as each engine does: 20.10 never allocates nor checks it, 28+ has dropped the block and refuses it (the Compose oracle's finding)", async () => {
        const dual = (name: string, ipv6: boolean) => resource(NETWORK, name, { name, ipv6, ipamConfigs: [{ subnet: "10.32.0.0/24" }, { subnet: "fd00:32::/64" }] });
        const on = (network: ReturnType<typeof dual>, name: string, ipv6Address: string) =>
            resource(CONTAINER, name, { image: "busybox", networksAdvanced: [{ name: String(network.inputs.name), ipv6Address }] });
        const off = dual("sixless", false);
        const outside = [off, on(off, "far", "fd00:99::5"), on(off, "near", "fd00:32::5")];
        assert.deepStrictEqual(names(await runPolicy(POLICY, outside, { dockerVersion: "20" })), []);
        assert.deepStrictEqual(names(await runPolicy(POLICY, outside, { dockerVersion: "29" })), ["far", "near"]);
        const six = dual("six", true);
        assert.deepStrictEqual(names(await runPolicy(POLICY, [six, on(six, "far", "fd00:99::5")], { dockerVersion: "20" })), ["far"]);
    });

    it("reports an aux (reserved) address, and Docker's default gateway of a subnet with an ip range", async () => {
        const reserved = resource(NETWORK, "lan", { name: "lan", ipamConfigs: [{ subnet: "10.31.0.0/24", ipRange: "10.31.0.128/25", auxAddress: { nas: "10.31.0.20" } }] });
        const violations = await runPolicy(POLICY, [reserved, member("nas-twin", "10.31.0.20", reserved), member("gw", "10.31.0.128", reserved), member("ok", "10.31.0.21", reserved)]);
        assert.deepStrictEqual(names(violations), ["nas-twin", "gw"]);
        assert.match(violations[0].message, /10\.31\.0\.20 is reserved on network "lan" as aux address "nas"/);
        assert.match(violations[1].message, /10\.31\.0\.128 is network "lan"'s gateway \(none is written/);
    });

    it("agrees with explicit-ipam and the predicted addresses on Docker's gateway of any subnet written without one (property)", async () => {
        await fc.assert(
            fc.asyncProperty(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 16, max: 29 }), async (index, prefix) => {
                const subnet = subnetAt(parseCidr("10.0.0.0/8"), prefix, BigInt(index) % (1n << BigInt(prefix - 8))) as Cidr;
                const gateway = formatIp(subnet.first + 1n, 4);
                const net = resource(NETWORK, "plain", { name: "plain", ipamConfigs: [{ subnet: subnet.text }] });
                const onGateway = member("odd", gateway, net);
                const next = member("fine", formatIp(subnet.first + 2n, 4), net);
                assert.deepStrictEqual(names(await runPolicy(POLICY, [net, onGateway, next])), ["odd"]);
                assert.deepStrictEqual(await runPolicy("docker-network-explicit-ipam", [net]), []);
                const ipam = new PredictedIpam();
                ipam.addNetwork({ name: "plain", ipamConfigs: [{ subnet: subnet.text }] });
                assert.deepStrictEqual(ipam.attach({ networksAdvanced: [{ name: "plain" }] }).map((d) => [d.ipAddress, d.gateway]), [[formatIp(subnet.first + 2n, 4), gateway]]);
            }),
            { numRuns: 40 },
        );
    });

    it("reports the network and the broadcast address", async () => {
        assert.match((await violationsFor("10.20.1.0"))[0].message, /10\.20\.1\.0 is the network address/);
        assert.match((await violationsFor("10.20.1.255"))[0].message, /10\.20\.1\.255 is the broadcast address/);
    });

    it("reports an address inside the ip range (the dynamic pool)", async () => {
        const violations = await violationsFor("10.20.1.200");
        assert.deepStrictEqual(names(violations), ["odd"]);
        assert.match(violations[0].message, /inside network "orders"'s ip range 10\.20\.1\.128\/25/);
    });

    it("reports the later holder of an address used twice on one network, naming the first", async () => {
        const violations = await violationsFor("10.20.1.10");
        assert.deepStrictEqual(names(violations), ["odd"]);
        assert.match(violations[0].message, /10\.20\.1\.10 on network "orders" is already container "db"'s/);
    });

    it("allows one address on two different networks", async () => {
        const other = resource(NETWORK, "other", { name: "other", ipamConfigs: [{ subnet: "10.20.1.0/24" }] });
        assert.deepStrictEqual(await runPolicy(POLICY, [orders, other, member("db", "10.20.1.10"), member("twin", "10.20.1.10", other)]), []);
    });

    it("reports text that is not an address, and a static address on a network without a subnet", async () => {
        assert.match((await violationsFor("10.20.1.x"))[0].message, /"10\.20\.1\.x" is not an IP address/);
        const auto = resource(NETWORK, "auto", { name: "auto", driver: "bridge" });
        const violations = await runPolicy(POLICY, [auto, member("odd", "172.30.0.5", auto)]);
        assert.deepStrictEqual(names(violations), ["odd"]);
        assert.match(violations[0].message, /no explicit IPv4 subnet/);
        // IPv6 blocks alone: Docker's IPv4 subnet then comes from its pools, where static addresses are refused.
        const v6 = resource(NETWORK, "v6", { name: "v6", ipamConfigs: [{ subnet: "fd00:7::/64" }] });
        const [onV6] = await runPolicy(POLICY, [v6, member("odd", "10.7.0.5", v6)]);
        assert.match(onV6.message, /10\.7\.0\.5 is on network "v6", which has no explicit IPv4 subnet/);
    });

    it("reports each container once, with every problem", async () => {
        const twice = resource(NETWORK, "twice", { name: "twice", ipamConfigs: [{ subnet: "10.40.0.0/24" }] });
        const both = resource(CONTAINER, "both", {
            networksAdvanced: [
                { name: "orders", ipv4Address: "10.20.1.1" },
                { name: "twice", ipv4Address: "10.50.0.5" },
            ],
        });
        const violations = await runPolicy(POLICY, [orders, twice, both]);
        assert.deepStrictEqual(names(violations), ["both"]);
        assert.match(violations[0].message, /gateway; 10\.50\.0\.5 is outside network "twice"'s subnet/);
    });

    describe("networks referenced by id or unknown name", () => {
        it("resolves a reference to the network's id through property dependencies", async () => {
            const byId = resource(CONTAINER, "odd", { networksAdvanced: [{ name: "orders-id", ipv4Address: "10.20.1.200" }] }, {
                propertyDependencies: { networksAdvanced: [orders] },
            });
            assert.deepStrictEqual(names(await runPolicy(POLICY, [orders, byId])), ["odd"]);
        });

        it("resolves an unknown network name (a real preview) through property dependencies", async () => {
            const web = resource(NETWORK, "web", { name: unknown.string, ipamConfigs: [{ subnet: "10.20.2.0/24" }] });
            const odd = resource(
                CONTAINER,
                "odd",
                {
                    networksAdvanced: [
                        { name: unknown.string, ipv4Address: "10.20.2.1" },
                        { name: unknown.string, ipv4Address: "10.20.1.1" },
                    ],
                },
                { propertyDependencies: { networksAdvanced: [web, orders] } },
            );
            const violations = await runPolicy(POLICY, [orders, web, odd]);
            assert.deepStrictEqual(names(violations), ["odd"]);
            assert.match(violations[0].message, /10\.20\.2\.1 is network "web"'s gateway.*10\.20\.1\.1 is network "orders"'s gateway/);
        });

        it("decides nothing it cannot know: unknown addresses, subnets and unresolved networks", async () => {
            const computed = resource(NETWORK, "computed", { name: "computed", ipamConfigs: [{ subnet: unknown.string }] });
            const unresolved = resource(CONTAINER, "lost", { networksAdvanced: [{ name: unknown.string, ipv4Address: "1.2.3.4" }] });
            const resources = [
                orders,
                computed,
                member("pending", unknown.string),
                member("anywhere", "10.99.0.5", computed),
                unresolved,
                resource(CONTAINER, "opaque", { networksAdvanced: unknown.array }),
            ];
            assert.deepStrictEqual(await runPolicy(POLICY, resources), []);
        });
    });
});
