/**
 * Docker's IPAM and option semantics as topology/ipam.ts and
 * topology/driverOptions.ts predict them, checked against a real engine:
 * the gateway of a subnet written without one, the first dynamic address,
 * a static address on an aux address, two IPv4 blocks on a bridge, an
 * IPv6-only config, and boolean driver options. No traffic is sent.
 */
import * as assert from "assert";
import { parseCidr, parseIp } from "../../../addressing/cidr";
import { ENABLE_ICC, parseGoBool } from "../../../topology/driverOptions";
import { AddressAllocator, defaultGateway } from "../../../addressing/ipam";
import { placeStaticAddress, planOfBlock } from "../../../topology/ipamBlocks";
import { UNKNOWN } from "../../../topology/model";
import { auditJson, docker, dockerSucceeds, testLabels } from "./dockerCli";
import { ENGINE_TAG, PROBE_IMAGE, releaseDockerEngine, useDockerEngine } from "./engine";

const SUITE = "netguard.test.suite=ipam-semantics";
const labels = testLabels(SUITE);

interface InspectedIpam {
    Subnet?: string;
    Gateway?: string;
    IPRange?: string;
}

function ipamConfig(network: string): InspectedIpam[] {
    return JSON.parse(docker("network", "inspect", "--format", "{{json .IPAM.Config}}", network)) as InspectedIpam[];
}

/** The gateway a member sees: some engines leave a defaulted gateway out of the network's IPAM config. */
function containerGateway(container: string, network: string): string {
    return docker("inspect", "--format", `{{(index .NetworkSettings.Networks "${network}").Gateway}}`, container);
}

function containerAddress(container: string, network: string): string {
    return docker("inspect", "--format", `{{(index .NetworkSettings.Networks "${network}").IPAddress}}`, container);
}

describe(`${ENGINE_TAG} IPAM and driver option semantics`, function () {
    before(async function () {
        await useDockerEngine(this);
    });

    after(async function () {
        this.timeout(5 * 60_000);
        await releaseDockerEngine(SUITE);
    });

    it("takes the subnet's first host as gateway when none is written, as predicted", () => {
        docker("network", "create", ...labels, "--subnet", "10.231.20.0/24", "ngi-plain");
        docker("run", "-d", "--name", "ngi-plain-member", ...labels, "--network", "ngi-plain", PROBE_IMAGE);
        assert.strictEqual(containerGateway("ngi-plain-member", "ngi-plain"), defaultGateway(parseCidr("10.231.20.0/24"))?.text);
        assert.strictEqual(containerGateway("ngi-plain-member", "ngi-plain"), "10.231.20.1");
    });

    it("takes the ip range's first address as gateway when an ip range is written, as predicted", () => {
        docker("network", "create", ...labels, "--subnet", "10.231.21.0/24", "--ip-range", "10.231.21.128/25", "ngi-ranged");
        docker("run", "-d", "--name", "ngi-ranged-member", ...labels, "--network", "ngi-ranged", PROBE_IMAGE);
        const predicted = defaultGateway(parseCidr("10.231.21.0/24"), parseCidr("10.231.21.128/25"))?.text;
        assert.strictEqual(containerGateway("ngi-ranged-member", "ngi-ranged"), predicted);
    });

    it("hands out the first dynamic address the allocator predicts, skipping gateway and aux addresses", () => {
        docker("network", "create", ...labels, "--subnet", "10.231.23.0/24", "--aux-address", "nas=10.231.23.2", "ngi-aux");
        docker("run", "-d", "--name", "ngi-dynamic", ...labels, "--network", "ngi-aux", PROBE_IMAGE);
        const plan = planOfBlock({ subnet: "10.231.23.0/24", auxAddresses: { nas: "10.231.23.2" } });
        assert.ok(plan !== undefined && plan !== UNKNOWN);
        assert.strictEqual(containerAddress("ngi-dynamic", "ngi-aux"), new AddressAllocator(plan).next()?.text);
    });

    it("refuses a static address on an aux address: a clash, as predicted", () => {
        const placement = placeStaticAddress([{ subnet: "10.231.23.0/24", auxAddresses: { nas: "10.231.23.2" } }], parseIp("10.231.23.2"));
        assert.strictEqual(placement.kind === "inside" && placement.problem?.kind, "aux");
        assert.strictEqual(dockerSucceeds("run", "-d", "--name", "ngi-on-aux", ...labels, "--network", "ngi-aux", "--ip", "10.231.23.2", PROBE_IMAGE), false);
    });

    it("refuses two IPv4 blocks on a bridge network", () => {
        assert.strictEqual(dockerSucceeds("network", "create", ...labels, "--subnet", "10.231.24.0/24", "--subnet", "10.231.25.0/24", "ngi-two"), false);
    });

    it("gives an IPv6-only config an IPv4 subnet from its default pools", () => {
        docker("network", "create", ...labels, "--ipv6", "--subnet", "fd00:231:26::/64", "ngi-v6");
        const subnets = ipamConfig("ngi-v6").map((block) => parseCidr(String(block.Subnet)).version).sort();
        assert.deepStrictEqual(subnets, [4, 6]);
    });

    it("reads boolean driver options with Go's ParseBool: refuses what it rejects, turns ICC off for every false form", () => {
        assert.strictEqual(parseGoBool("yes"), undefined);
        assert.strictEqual(dockerSucceeds("network", "create", ...labels, "--subnet", "10.231.27.0/24", "-o", `${ENABLE_ICC}=yes`, "ngi-yes"), false);
        for (const [i, value] of ["0", "f", "False"].entries()) {
            assert.strictEqual(parseGoBool(value), false);
            assert.ok(dockerSucceeds("network", "create", ...labels, "--subnet", `10.231.${28 + i}.0/24`, "-o", `${ENABLE_ICC}=${value}`, `ngi-icc-${i}`), value);
        }
        // The audit reads the live options through the same parser: ICC off on all three.
        const audit = auditJson(SUITE);
        const icc = audit.doc.networks.filter((n) => n.name.startsWith("ngi-icc-")).map((n) => [n.name, n.interContainer]);
        assert.deepStrictEqual(icc, [["ngi-icc-0", false], ["ngi-icc-1", false], ["ngi-icc-2", false]]);
    });
});
