import * as assert from "assert";
import fc from "fast-check";
import { Cidr, formatIp, parseCidr, parseIp, subnetAt } from "../../../addressing/cidr";
import { AddressAllocator, defaultGateway, rangePastAllocatorBitmap, staticAddressProblem } from "../../../addressing/ipam";
import { effectiveGatewayText, placeStaticAddress, planOfBlock } from "../../../topology/ipamBlocks";
import { IpamBlock, UNKNOWN } from "../../../topology/model";
import { PredictedIpam } from "../../../cli/commands/preview/predictedIpam";

/** A random IPv4 subnet of prefix 8..30 and, maybe, an ip range inside it. */
const subnetAndRange = fc
    .record({ base: fc.integer({ min: 0, max: 0xffffffff }), prefix: fc.integer({ min: 8, max: 30 }), extra: fc.integer({ min: 0, max: 6 }), index: fc.nat() })
    .map(({ base, prefix, extra, index }) => {
        const subnet = parseCidr(`${formatIp(BigInt(base), 4)}/${prefix}`);
        const canonical = parseCidr(`${formatIp(subnet.first, 4)}/${prefix}`);
        const rangePrefix = Math.min(32, prefix + extra);
        const count = 1 << (rangePrefix - prefix);
        const ipRange = extra === 0 ? undefined : subnetAt(canonical, rangePrefix, BigInt(index % count));
        return { subnet: canonical, ipRange };
    });

function block(subnet: Cidr, ipRange?: Cidr, extra: Partial<IpamBlock> = {}): IpamBlock {
    return { subnet: subnet.text, ipRange: ipRange?.text, auxAddresses: {}, ...extra };
}

describe("topology/ipam", () => {
    it("finds the ip ranges 20.10's allocator bit map (2^64 - 1 addresses) cannot reach: those ending at a /64's last address", () => {
        const past = (subnet: string, range: string) => rangePastAllocatorBitmap(parseCidr(subnet), parseCidr(range));
        assert.deepStrictEqual(past("fd00:1::/64", "fd00:1:0:0:8000::/65"), [1n << 63n, (1n << 64n) - 1n]);
        assert.strictEqual(past("fd00:1::/64", "fd00:1:0:0:8000::/66"), undefined);
        assert.strictEqual(past("fd00:1::/64", "fd00:1::/65"), undefined);
        assert.strictEqual(past("fd00:1::/120", "fd00:1::80/121"), undefined);
        assert.strictEqual(past("10.0.0.0/24", "10.0.0.128/25"), undefined);
    });

    describe("the gateway Docker takes when none is written", () => {
        it("is the subnet's first host (property: any IPv4 subnet up to /30)", () => {
            fc.assert(
                fc.property(subnetAndRange, ({ subnet }) => {
                    assert.strictEqual(effectiveGatewayText(block(subnet)), formatIp(subnet.first + 1n, 4));
                }),
            );
        });

        it("is the ip range's first address that Docker does not reserve (property)", () => {
            fc.assert(
                fc.property(subnetAndRange, ({ subnet, ipRange }) => {
                    fc.pre(ipRange !== undefined && ipRange.last > ipRange.first);
                    const range = ipRange as Cidr;
                    const expected = range.first === subnet.first ? range.first + 1n : range.first;
                    assert.strictEqual(effectiveGatewayText(block(subnet, range)), formatIp(expected, 4));
                }),
            );
        });

        it("follows Docker at the edges: /31 and /32 reserve nothing, IPv6 reserves the anycast address", () => {
            assert.strictEqual(defaultGateway(parseCidr("10.0.0.0/31"))?.text, "10.0.0.0");
            assert.strictEqual(defaultGateway(parseCidr("10.0.0.7/32"))?.text, "10.0.0.7");
            assert.strictEqual(defaultGateway(parseCidr("fd00:1::/64"))?.text, "fd00:1::1");
            assert.strictEqual(defaultGateway(parseCidr("fd00:1::/128")), undefined);
        });

        it("is the written gateway when there is one, unknown when it depends on an unknown value", () => {
            assert.strictEqual(effectiveGatewayText({ subnet: "10.0.0.0/24", gateway: "10.0.0.254", auxAddresses: {} }), "10.0.0.254");
            assert.strictEqual(effectiveGatewayText({ subnet: UNKNOWN, auxAddresses: {} }), UNKNOWN);
            assert.strictEqual(effectiveGatewayText({ subnet: "10.0.0.0/24", ipRange: UNKNOWN, auxAddresses: {} }), UNKNOWN);
            assert.strictEqual(effectiveGatewayText({ auxAddresses: {} }), undefined);
        });
    });

    describe("static addresses", () => {
        it("clash with the gateway (written or defaulted), reserved, aux and dynamic addresses", () => {
            const blocks: IpamBlock[] = [{ subnet: "10.0.0.0/24", ipRange: "10.0.0.128/25", auxAddresses: { nas: "10.0.0.20" } }];
            const problem = (text: string) => {
                const placement = placeStaticAddress(blocks, parseIp(text));
                return placement.kind === "inside" ? placement.problem?.kind : placement.kind;
            };
            assert.strictEqual(problem("10.0.0.128"), "gateway"); // the ip range's first address
            assert.strictEqual(problem("10.0.0.0"), "network");
            assert.strictEqual(problem("10.0.0.255"), "broadcast");
            assert.strictEqual(problem("10.0.0.20"), "aux");
            assert.strictEqual(problem("10.0.0.200"), "dynamic-range");
            assert.strictEqual(problem("10.0.1.1"), "outside");
            assert.strictEqual(problem("10.0.0.10"), undefined);
            assert.strictEqual(placeStaticAddress([], parseIp("10.0.0.10")).kind, "no-subnet");
            assert.strictEqual(placeStaticAddress([{ subnet: UNKNOWN, auxAddresses: {} }], parseIp("10.0.0.10")).kind, "undecidable");
        });

        it("go to the block whose subnet holds them", () => {
            const blocks: IpamBlock[] = [
                { subnet: "10.0.0.0/24", auxAddresses: {} },
                { subnet: "10.0.1.0/24", gateway: "10.0.1.254", auxAddresses: {} },
            ];
            const placement = placeStaticAddress(blocks, parseIp("10.0.1.254"));
            assert.strictEqual(placement.kind === "inside" && placement.problem?.kind, "gateway");
        });
    });

    describe("dynamic addresses (AddressAllocator)", () => {
        it("never hands out the gateway, a reserved, aux or taken address, and stays in the range (property)", () => {
            fc.assert(
                fc.property(subnetAndRange, fc.array(fc.nat(), { maxLength: 4 }), fc.boolean(), ({ subnet, ipRange }, auxOffsets, writeGateway) => {
                    const size = Number(subnet.last - subnet.first + 1n);
                    const aux: Record<string, string> = {};
                    auxOffsets.forEach((offset, i) => (aux[`h${i}`] = formatIp(subnet.first + BigInt(offset % size), 4)));
                    const gateway = writeGateway ? formatIp(subnet.last - 1n, 4) : undefined;
                    const plan = planOfBlock({ subnet: subnet.text, ipRange: ipRange?.text, gateway, auxAddresses: aux });
                    assert.ok(plan !== undefined && plan !== UNKNOWN);
                    const allocator = new AddressAllocator(plan);
                    const range = ipRange ?? subnet;
                    for (let i = 0; i < 12; i++) {
                        const ip = allocator.next();
                        if (ip === undefined) break;
                        assert.ok(ip.value >= range.first && ip.value <= range.last, `${ip.text} outside ${range.text}`);
                        const problem = staticAddressProblem(plan, ip);
                        assert.ok(problem === undefined || problem.kind === "dynamic-range", `${ip.text}: ${problem?.kind}`);
                    }
                }),
            );
        });
    });

    describe("the offline preview's predicted addresses", () => {
        it("skip Docker's default gateway of a subnet without one, and aux addresses", () => {
            const ipam = new PredictedIpam();
            ipam.addNetwork({ name: "app", ipamConfigs: [{ subnet: "10.30.0.0/24", auxAddress: { nas: "10.30.0.2" } }] });
            const [first] = ipam.attach({ networksAdvanced: [{ name: "app" }] });
            assert.deepStrictEqual(first, { networkName: "app", ipAddress: "10.30.0.3", gateway: "10.30.0.1", ipPrefixLength: 24 });
        });

        it("use the IPv4 block of a dual-stack network, and attach networkMode's network beside the advanced ones", () => {
            const ipam = new PredictedIpam();
            ipam.addNetwork({ name: "v6", ipamConfigs: [{ subnet: "fd00:1::/64" }, { subnet: "10.31.0.0/24", gateway: "10.31.0.1" }] });
            ipam.addNetwork({ name: "other", ipamConfigs: [{ subnet: "10.32.0.0/24" }] });
            const datas = ipam.attach({ networkMode: "v6", networksAdvanced: [{ name: "other", ipv4Address: "10.32.0.9" }] });
            assert.deepStrictEqual(datas.map((d) => [d.networkName, d.ipAddress]), [["v6", "10.31.0.2"], ["other", "10.32.0.9"]]);
        });
    });
});
