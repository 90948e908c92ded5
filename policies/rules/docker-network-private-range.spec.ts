import * as assert from "assert";
import { LOCAL_COMMAND, NETWORK, resource, runPolicy, unknown } from "../../test/helpers/policyHarness";

const POLICY = "docker-network-private-range";

function network(subnet: unknown) {
    // IPv6 on for an IPv6 block: Docker 28+ drops one without it.
    return resource(NETWORK, "app-net", { name: "app", ipv6: typeof subnet === "string" && subnet.includes(":"), ipamConfigs: [{ subnet, gateway: "10.20.1.1" }] });
}

async function messages(subnet: unknown, settings: Record<string, unknown> = {}): Promise<string[]> {
    return (await runPolicy(POLICY, [network(subnet)], settings)).map((v) => v.message);
}

describe(POLICY, () => {
    it("passes subnets in RFC 1918 space and IPv6 unique-local space", async () => {
        for (const subnet of ["10.20.1.0/24", "172.16.5.0/24", "172.31.255.0/24", "192.168.1.0/24", "fd12:3456::/64"]) {
            assert.deepStrictEqual(await messages(subnet), [], subnet);
        }
    });

    describe("fails a subnet outside private space", () => {
        const variants: [string, string][] = [
            ["the tutorials' 192.169.0.0/16", "192.169.0.0/16"],
            ["172.32.0.0/24, just past 172.16.0.0/12", "172.32.0.0/24"],
            ["a block that only straddles private space", "172.0.0.0/8"],
            ["a public IPv4 block", "8.8.8.0/24"],
            ["a global IPv6 block", "2001:db8::/64"],
        ];
        for (const [what, subnet] of variants) {
            it(what, async () => {
                const found = await messages(subnet);
                assert.strictEqual(found.length, 1);
                assert.ok(found[0].startsWith(`network "app-net" uses subnet ${subnet}, which is not private address space`), found[0]);
                assert.match(found[0], /Pin a (subnet in 10\.0\.0\.0\/8|unique-local subnet in fd00::\/8)/);
            });
        }
    });

    it("judges every block, and docker network create lines", async () => {
        const dual = resource(NETWORK, "dual", { ipv6: true, ipamConfigs: [{ subnet: "10.1.0.0/24" }, { subnet: "192.169.1.0/24" }, { subnet: "2001:db8::/64" }] });
        assert.strictEqual((await runPolicy(POLICY, [dual])).length, 2);
        const cmd = resource(LOCAL_COMMAND, "setup", { create: "docker network create --subnet 192.169.0.0/16 --gateway 192.169.0.1 alpine-net" });
        const [violation] = await runPolicy(POLICY, [cmd]);
        assert.strictEqual(violation.resource, cmd.urn);
        assert.match(violation.message, /network "alpine-net" \(docker network create in command "setup"\) uses subnet 192\.169\.0\.0\/16/);
    });

    describe("extraRanges setting", () => {
        it("allows a range the organisation owns, and lists it in messages", async () => {
            const settings = { extraRanges: ["100.64.0.0/10"] };
            assert.deepStrictEqual(await messages("100.64.1.0/24", settings), []);
            assert.match((await messages("192.169.0.0/16", settings))[0], /fc00::\/7, 100\.64\.0\.0\/10\)/);
            assert.strictEqual((await messages("100.64.1.0/24")).length, 1);
        });

        it("rejects a range that is not a CIDR block, or not a list, naming the setting and value", async () => {
            await assert.rejects(() => messages("10.0.0.0/24", { extraRanges: ["100.64/10"] }), /policy docker-network-private-range: setting "extraRanges" has "100\.64\/10", which is not a CIDR block/);
            await assert.rejects(() => messages("10.0.0.0/24", { extraRanges: "100.64.0.0/10" }), /setting "extraRanges" must be a list of strings, got "100\.64\.0\.0\/10"/);
        });
    });

    it("skips unknown subnets and malformed ones (docker-network-ipam-consistent reports those)", async () => {
        assert.deepStrictEqual(await messages(unknown.string), []);
        assert.deepStrictEqual(await messages("192.169.0/16"), []);
        assert.deepStrictEqual(await runPolicy(POLICY, [resource(NETWORK, "n", { ipamConfigs: unknown.array })]), []);
    });
});
