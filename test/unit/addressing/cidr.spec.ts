import * as assert from "assert";
import fc from "fast-check";
import {
    canonicalCidrText,
    canonicalIpText,
    cidrContainsCidr,
    cidrsOverlap,
    isNetworkOrBroadcast,
    parseCidr,
    parseIp,
    subnetAt,
    subnetCount,
} from "../../../addressing/cidr";

describe("topology/cidr", () => {
    it("parses blocks and flags host bits", () => {
        const block = parseCidr("10.20.1.0/24");
        assert.strictEqual(block.prefix, 24);
        assert.strictEqual(block.hostBitsSet, false);
        assert.strictEqual(parseCidr("10.20.1.5/24").hostBitsSet, true);
    });

    it("spells addresses canonically (RFC 5952), keeping a block's prefix and host bits and leaving other text alone", () => {
        assert.deepStrictEqual(
            ["fd00:199:f:0::5", "FD00:0:0:1:0:0:0:1", "10.1.2.3", "not-an-ip"].map(canonicalIpText),
            ["fd00:199:f::5", "fd00:0:0:1::1", "10.1.2.3", "not-an-ip"],
        );
        assert.deepStrictEqual(["fd00:199:f:0::/64", "fd00:199:f:0:8000::/65", "fd00::7/64", "10.0.0.0/8", "x/64"].map(canonicalCidrText), ["fd00:199:f::/64", "fd00:199:f:0:8000::/65", "fd00::7/64", "10.0.0.0/8", "x/64"]);
    });

    it("rejects malformed text with a reason", () => {
        assert.throws(() => parseCidr("10.20.1.0"), /not a CIDR block/);
        assert.throws(() => parseCidr("10.20.1.0/33"), /invalid prefix length/);
        assert.throws(() => parseCidr("10.300.1.0/24"), /not an IP address/);
        assert.throws(() => parseIp("10.1"), /not an IP address/);
    });

    it("knows network and broadcast addresses", () => {
        const block = parseCidr("10.20.1.0/24");
        assert.ok(isNetworkOrBroadcast(block, parseIp("10.20.1.0")));
        assert.ok(isNetworkOrBroadcast(block, parseIp("10.20.1.255")));
        assert.ok(!isNetworkOrBroadcast(block, parseIp("10.20.1.1")));
    });

    it("carves distinct, contained blocks out of a pool (property)", () => {
        const pool = parseCidr("10.128.0.0/9");
        fc.assert(
            fc.property(fc.integer({ min: 9, max: 30 }), fc.bigInt({ min: 0n, max: (1n << 21n) - 1n }), fc.bigInt({ min: 0n, max: (1n << 21n) - 1n }), (prefix, i, j) => {
                const count = subnetCount(pool, prefix);
                const a = subnetAt(pool, prefix, i % count);
                const b = subnetAt(pool, prefix, j % count);
                assert.ok(a && b);
                assert.ok(cidrContainsCidr(pool, a) && cidrContainsCidr(pool, b));
                assert.strictEqual(cidrsOverlap(a, b), i % count === j % count);
                assert.strictEqual(a.hostBitsSet, false);
            }),
        );
    });
});
