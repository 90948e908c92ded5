import * as assert from "assert";
import { LOCAL_COMMAND, NETWORK, resource, runPolicy, unknown } from "../../test/helpers/policyHarness";

const POLICY = "docker-network-ipam-consistent";

const block = { subnet: "10.20.1.0/24", gateway: "10.20.1.1", ipRange: "10.20.1.128/25", auxAddress: { router: "10.20.1.2" } };

async function messages(change: Record<string, unknown>): Promise<string[]> {
    const net = resource(NETWORK, "app-net", { name: "app", ipv6: true, ipamConfigs: [{ ...block, ...change }] });
    return (await runPolicy(POLICY, [net])).map((v) => v.message);
}

async function networkMessages(inputs: Record<string, unknown>): Promise<string[]> {
    return (await runPolicy(POLICY, [resource(NETWORK, "app-net", { name: "app", ...inputs })])).map((v) => v.message);
}

describe(POLICY, () => {
    describe("IPv6 on and off, as each engine creates the network", () => {
        const v4 = { subnet: "10.20.1.0/24" };
        const v6 = { subnet: "fd00:20:1::/64" };
        it("Docker 20.10 refuses IPv6 on without an IPv6 subnet; 29 picks one", async () => {
            const net = [resource(NETWORK, "app-net", { name: "app", ipv6: true, ipamConfigs: [v4] })];
            const on20 = (await runPolicy(POLICY, net, { dockerVersion: "20" })).map((v) => v.message);
            assert.equal(on20.length, 1);
            assert.match(on20[0], /has IPv6 on and no IPv6 subnet, which Docker 20\.10 refuses/);
            assert.deepStrictEqual(await runPolicy(POLICY, net, { dockerVersion: "29" }), []);
            assert.deepStrictEqual(await runPolicy(POLICY, [resource(NETWORK, "app-net", { name: "app", ipv6: true, ipamConfigs: [v4, v6] })], { dockerVersion: "20" }), []);
        });
        it("Docker 28+ ignores an IPv6 block with IPv6 off (said, never as a refusal); 20.10 keeps it", async () => {
            const net = [resource(NETWORK, "app-net", { name: "app", ipamConfigs: [v4, v6] })];
            const on29 = (await runPolicy(POLICY, net, { dockerVersion: "29" })).map((v) => v.message);
            assert.equal(on29.length, 1);
            assert.match(on29[0], /the IPv6 block fd00:20:1::\/64 with IPv6 off: Docker 28\+ ignores it/);
            assert.doesNotMatch(on29[0], /refuse|reject/i);
            assert.deepStrictEqual(await runPolicy(POLICY, net, { dockerVersion: "20" }), []);
        });
    });

    it("passes a consistent block (IPv4 and IPv6)", async () => {
        assert.deepStrictEqual(await messages({}), []);
        assert.deepStrictEqual(await messages({ subnet: "fd00:20:1::/64", gateway: "fd00:20:1::1", ipRange: "fd00:20:1::/80", auxAddress: {} }), []);
        assert.deepStrictEqual(await messages({ subnet: "10.20.1.0/31", gateway: "10.20.1.0", ipRange: undefined, auxAddress: {} }), []);
    });

    describe("fails", () => {
        const variants: [string, Record<string, unknown>, RegExp][] = [
            ["a malformed subnet", { subnet: "10.20.1/24", gateway: undefined, ipRange: undefined, auxAddress: {} }, /its subnet "10\.20\.1\/24" is malformed: "10\.20\.1" is not an IP address\. Write it as address\/prefix/],
            ["host bits in the subnet", { subnet: "10.20.1.5/24" }, /its subnet 10\.20\.1\.5\/24 has host bits set\. Write the network address: 10\.20\.1\.0\/24/],
            ["a gateway outside the subnet", { gateway: "10.20.2.1" }, /its gateway 10\.20\.2\.1 is outside its subnet 10\.20\.1\.0\/24\. Use an address inside 10\.20\.1\.0\/24, e\.g\. 10\.20\.1\.1/],
            ["an IPv6 gateway on an IPv4 subnet", { gateway: "fd00::1" }, /its gateway fd00::1 is outside its subnet/],
            ["the gateway on the network address", { gateway: "10.20.1.0" }, /its gateway 10\.20\.1\.0 is the network address of 10\.20\.1\.0\/24/],
            ["the gateway on the broadcast address", { gateway: "10.20.1.255", ipRange: "10.20.1.0/25" }, /its gateway 10\.20\.1\.255 is the broadcast address/],
            ["a malformed gateway", { gateway: "10.20.1.1/24" }, /its gateway "10\.20\.1\.1\/24" is malformed: "10\.20\.1\.1\/24" is not an IP address/],
            ["an ip range outside the subnet", { ipRange: "10.20.0.0/23" }, /its ip range 10\.20\.0\.0\/23 is not inside its subnet 10\.20\.1\.0\/24\. Use a block inside 10\.20\.1\.0\/24, e\.g\. 10\.20\.1\.128\/25/],
            ["host bits in the ip range", { ipRange: "10.20.1.130/25" }, /its ip range 10\.20\.1\.130\/25 has host bits set\. Write the network address: 10\.20\.1\.128\/25/],
            ["a malformed ip range", { ipRange: "10.20.1.128" }, /its ip range "10\.20\.1\.128" is malformed: "10\.20\.1\.128" is not a CIDR block/],
            ["an aux address outside the subnet", { auxAddress: { router: "10.20.9.2" } }, /its aux address "router" \(10\.20\.9\.2\) is outside its subnet 10\.20\.1\.0\/24/],
            ["a malformed aux address", { auxAddress: { router: "router.local" } }, /its aux address "router" \("router\.local"\) is malformed/],
        ];
        for (const [what, change, message] of variants) {
            it(what, async () => {
                const found = await messages(change);
                assert.strictEqual(found.length, 1, found.join("\n"));
                assert.ok(found[0].startsWith('network "app-net": '), found[0]);
                assert.match(found[0], message);
            });
        }
    });

    it("reports every problem of a network, one message each", async () => {
        const found = await messages({ subnet: "10.20.1.5/24", gateway: "10.30.0.1", ipRange: "10.40.0.0/24", auxAddress: { a: "1.2.3.4" } });
        assert.strictEqual(found.length, 4);
    });

    it("judges docker network create lines, pairing each address with the subnet that holds it", async () => {
        // Overlay networks may have several IPv4 blocks; bridge networks may not (see below).
        const consistent = "docker network create -d overlay --subnet 10.1.0.0/24 --subnet 10.2.0.0/24 --gateway 10.2.0.1 --gateway 10.1.0.1 --ip-range 10.2.0.128/25 --aux-address host1=10.1.0.5 two";
        const setup = (create: string) => runPolicy(POLICY, [resource(LOCAL_COMMAND, "setup", { create })]);
        assert.deepStrictEqual(await setup(consistent), []);
        // Docker's CLI refuses a gateway outside every subnet: the line is not judged (the reader lists it), so no violation.
        assert.deepStrictEqual(await setup("docker network create --subnet 10.1.0.0/24 --gateway 10.9.0.1 app"), []);
    });

    it("reports a bridge network with more than one IPv4 block, which Docker refuses; IPv6 blocks beside one are fine", async () => {
        const two = await networkMessages({ ipamConfigs: [{ subnet: "10.20.1.0/24" }, { subnet: "10.20.2.0/24" }] });
        assert.strictEqual(two.length, 1);
        assert.match(two[0], /network "app-net" has 2 IPv4 IPAM blocks, and Docker's bridge driver refuses more than one/);
        // A block without subnet is IPv4 too (Docker takes its subnet from the default pools).
        assert.strictEqual((await networkMessages({ ipamConfigs: [{ subnet: "10.20.1.0/24" }, { gateway: "10.20.2.1" }] })).filter((m) => /IPv4 IPAM blocks/.test(m)).length, 1);
        assert.deepStrictEqual(await networkMessages({ ipv6: true, ipamConfigs: [{ subnet: "10.20.1.0/24" }, { subnet: "fd00:1::/64" }] }), []);
        assert.deepStrictEqual(await networkMessages({ ipamConfigs: [{ subnet: "10.20.1.0/24" }, { subnet: unknown.string }] }), []);
        const overlay = await runPolicy(POLICY, [resource(NETWORK, "o", { name: "o", driver: "overlay", ipamConfigs: [{ subnet: "10.20.1.0/24" }, { subnet: "10.20.2.0/24" }] })]);
        assert.deepStrictEqual(overlay, []);
        // The daemon refuses the line ("bridge driver doesn't support multiple subnets"): not judged, listed by the reader.
        assert.deepStrictEqual(await runPolicy(POLICY, [resource(LOCAL_COMMAND, "setup", { create: "docker network create --subnet 10.1.0.0/24 --subnet 10.2.0.0/24 two" })]), []);
    });

    it("reports an aux address on the gateway, written or Docker's default", async () => {
        const [written] = await networkMessages({ ipamConfigs: [{ subnet: "10.20.1.0/24", gateway: "10.20.1.1", auxAddress: { router: "10.20.1.1" } }] });
        assert.match(written, /its aux address "router" \(10\.20\.1\.1\) is its gateway: Docker cannot reserve it/);
        const [defaulted] = await networkMessages({ ipamConfigs: [{ subnet: "10.20.1.0/24", auxAddress: { router: "10.20.1.1" } }] });
        assert.match(defaulted, /is its gateway \(Docker's default\)/);
        assert.deepStrictEqual(await networkMessages({ ipamConfigs: [{ subnet: "10.20.1.0/24", ipRange: "10.20.1.128/25", auxAddress: { router: "10.20.1.1" } }] }), []);
    });

    it("decides from what is known and never crashes on unknown values", async () => {
        assert.deepStrictEqual(await messages({ subnet: unknown.string }), []);
        assert.deepStrictEqual(await messages({ gateway: unknown.string, ipRange: unknown.string, auxAddress: { router: unknown.string } }), []);
        assert.deepStrictEqual(await messages({ auxAddress: unknown.object }), []);
        // A gateway that is no address is wrong whatever the subnet becomes.
        assert.match((await messages({ subnet: unknown.string, gateway: "gateway" }))[0], /its gateway "gateway" is malformed/);
        assert.deepStrictEqual(await runPolicy(POLICY, [resource(NETWORK, "n", { ipamConfigs: unknown.array })]), []);
    });
});
