import * as assert from "assert";
import { LOCAL_COMMAND, NETWORK, resource, runPolicy, unknown } from "../../test/helpers/policyHarness";

const POLICY = "docker-network-explicit-ipam";

const passing = { name: "app", driver: "bridge", ipamConfigs: [{ subnet: "10.20.1.0/24", gateway: "10.20.1.1" }] };

async function messages(inputs: Record<string, unknown>): Promise<string[]> {
    return (await runPolicy(POLICY, [resource(NETWORK, "app-net", inputs)])).map((v) => v.message);
}

async function commandMessages(create: string): Promise<string[]> {
    return (await runPolicy(POLICY, [resource(LOCAL_COMMAND, "setup", { create })])).map((v) => v.message);
}

describe(POLICY, () => {
    it("passes a bridge or overlay network with subnet and gateway", async () => {
        assert.deepStrictEqual(await messages(passing), []);
        assert.deepStrictEqual(await messages({ ...passing, driver: "overlay" }), []);
        assert.deepStrictEqual(await messages({ ...passing, driver: undefined }), []); // bridge is the default driver
    });

    it("passes when one of several blocks (dual stack) gives both", async () => {
        const ipamConfigs = [...passing.ipamConfigs, { subnet: "fd00:20:1::/64" }];
        assert.deepStrictEqual(await messages({ ...passing, ipamConfigs }), []);
    });

    it("passes a subnet without gateway: Docker's gateway is then the subnet's first host, not a pool's pick", async () => {
        assert.deepStrictEqual(await messages({ ...passing, ipamConfigs: [{ subnet: "10.20.1.0/24" }] }), []);
        assert.deepStrictEqual(await messages({ ...passing, ipamConfigs: [{ subnet: "10.20.1.0/24", ipRange: "10.20.1.128/25" }] }), []);
        assert.deepStrictEqual(await commandMessages("docker network create --subnet 10.30.0.0/16 app"), []);
    });

    it("does not judge drivers that Docker does not address from its pools (macvlan, host, null)", async () => {
        assert.deepStrictEqual(await messages({ name: "lan", driver: "macvlan" }), []);
    });

    describe("fails", () => {
        const variants: [string, Record<string, unknown>, RegExp][] = [
            ["no ipamConfigs", { ipamConfigs: undefined }, /network "app-net" has no IPAM config: Docker then picks/],
            ["an empty ipamConfigs", { ipamConfigs: [] }, /has no IPAM config/],
            ["only an IPv6 block (Docker still adds an IPv4 subnet from its pools)", { ipv6: true, ipamConfigs: [{ subnet: "fd00:20:1::/64", gateway: "fd00:20:1::1" }] }, /has only IPv6 IPAM blocks, yet Docker still gives it an IPv4 subnet and gateway: Docker then picks/],
            ["a gateway without subnet", { ipamConfigs: [{ gateway: "10.20.1.1" }] }, /has a gateway but no subnet/],
            ["a block with neither", { ipamConfigs: [{ ipRange: "10.20.1.0/25" }] }, /has an IPAM config without a subnet/],
            ["an overlay network without", { driver: "overlay", ipamConfigs: [] }, /has no IPAM config/],
        ];
        for (const [what, change, message] of variants) {
            it(what, async () => {
                const found = await messages({ ...passing, ...change });
                assert.strictEqual(found.length, 1);
                assert.match(found[0], message);
                assert.match(found[0], /Pin a subnet in 10\.0\.0\.0\/8 and a gateway inside it/);
            });
        }
    });

    describe("docker network create", () => {
        it("passes --subnet with --gateway", async () => {
            assert.deepStrictEqual(await commandMessages("docker network create --subnet 10.20.1.0/24 --gateway=10.20.1.1 app"), []);
        });

        it("fails without them, saying which flags to add", async () => {
            const [message] = await commandMessages("docker network create -d bridge app");
            assert.match(message, /network "app" \(docker network create in command "setup"\) has no IPAM config/);
            assert.match(message, /docker network create --subnet 10\.20\.1\.0\/24 --gateway 10\.20\.1\.1 app/);
            const [ipv6Only] = await commandMessages("docker network create --ipv6 --subnet fd00:30::/64 app");
            assert.match(ipv6Only, /has only IPv6 IPAM blocks/);
        });
    });

    it("decides from what is known", async () => {
        assert.deepStrictEqual(await messages({ ...passing, ipamConfigs: unknown.array }), []);
        assert.deepStrictEqual(await messages({ ...passing, ipamConfigs: [{ subnet: unknown.string, gateway: "10.20.1.1" }] }), []);
        assert.deepStrictEqual(await messages({ ...passing, driver: unknown.string }), []);
        // An unknown subnet may well be IPv4: not judged.
        assert.deepStrictEqual(await messages({ ...passing, ipamConfigs: [{ subnet: unknown.string }] }), []);
        assert.deepStrictEqual(await commandMessages("docker network create --subnet $SUBNET --gateway $GW app"), []);
    });
});
