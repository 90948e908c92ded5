import * as assert from "assert";
import fc from "fast-check";
import { IsolatedServiceNet } from "../../../../components";
import { SubnetRegistry } from "../../../../components/programState";
import { allocateSubnet } from "../../../../components/plan/subnetAllocation";
import { cidrContainsCidr, cidrsOverlap, parseCidr } from "../../../../addressing/cidr";
import { runInline } from "../../../helpers/runInline";

const names = fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9-]{0,11}$/), { minLength: 1, maxLength: 12 });
const pools = fc.constantFrom("10.128.0.0/9", "10.20.0.0/16", "192.168.0.0/16", "172.20.0.0/14");

describe("subnet allocation", () => {
    it("puts every subnet inside the pool, at the requested size, on a block boundary (property)", () => {
        fc.assert(
            fc.property(names, pools, fc.integer({ min: 20, max: 28 }), (identities, poolText, prefix) => {
                const pool = parseCidr(poolText);
                for (const identity of identities) {
                    const subnet = allocateSubnet(identity, pool, prefix);
                    assert.ok(subnet, `no subnet for ${identity}`);
                    assert.ok(cidrContainsCidr(pool, subnet));
                    assert.strictEqual(subnet.prefix, prefix);
                    assert.strictEqual(subnet.hostBitsSet, false);
                }
            }),
        );
    });

    it("never moves a net when another is added or removed (property)", async () => {
        // Returns undefined when two names hash onto one block: that is reported (tested below), not a move.
        const subnetsOf = async (netNames: string[]) => {
            const subnets = new Map<string, string>();
            try {
                await runInline(() => {
                    for (const name of netNames) subnets.set(name, new IsolatedServiceNet(name, { addressPool: "10.0.0.0/8" }).subnet);
                });
            } catch (err) {
                if (/overlaps IsolatedServiceNet/.test((err as Error).message)) return undefined;
                throw err;
            }
            return subnets;
        };
        await fc.assert(
            fc.asyncProperty(names, fc.stringMatching(/^[a-z]{1,8}$/), async (existing, changed) => {
                const before = await subnetsOf(existing);
                const after = await subnetsOf(existing.includes(changed) ? existing.filter((n) => n !== changed) : [...existing, changed]);
                fc.pre(before !== undefined && after !== undefined);
                for (const [name, subnet] of after!) if (before!.has(name)) assert.strictEqual(subnet, before!.get(name), `${name} moved`);
            }),
            { numRuns: 25 },
        );
    });

    it("never hands out overlapping subnets: a clash is reported instead (property)", () => {
        fc.assert(
            fc.property(names, fc.integer({ min: 22, max: 26 }), (identities, prefix) => {
                const pool = parseCidr("10.20.0.0/18"); // small on purpose, so clashes happen
                const registry = new SubnetRegistry();
                const accepted: ReturnType<typeof parseCidr>[] = [];
                for (const identity of identities) {
                    const subnet = allocateSubnet(identity, pool, prefix)!;
                    const clash = registry.claim({ owner: identity, subnet, allocated: true });
                    const overlapsAccepted = accepted.some((other) => cidrsOverlap(other, subnet));
                    assert.strictEqual(clash !== undefined, overlapsAccepted);
                    if (!clash) accepted.push(subnet);
                }
            }),
        );
    });

    it("avoids Docker's default bridge range", () => {
        const pool = parseCidr("172.16.0.0/12");
        for (let i = 0; i < 200; i++) {
            const subnet = allocateSubnet(`net-${i}`, pool, 16)!;
            assert.notStrictEqual(subnet.text, "172.17.0.0/16");
        }
    });
});
