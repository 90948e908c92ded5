import {
    Cidr,
    IpAddress,
    canonicalCidr,
    cidrContainsCidr,
    cidrContainsIp,
    firstHost,
    isNetworkOrBroadcast,
    parseCidr,
    parseIp,
    subnetAt,
} from "../../topology/cidr";
import { IpamBlock, Maybe, Topology, isKnown } from "../../topology/model";
import { describeNetwork } from "../describe";
import { Finding, Rule, noSettings } from "../rule";

/** Parse results: the value, a problem to report, or nothing to judge (absent or unknown). */
type Parsed<T> = { value: T } | { problem: string } | undefined;

function parsed<T>(text: Maybe<string> | undefined, parse: (text: string) => T): Parsed<T> {
    if (text === undefined || !isKnown(text)) return undefined;
    try {
        return { value: parse(text) };
    } catch (err) {
        return { problem: (err as Error).message };
    }
}

/** The problems of one IPAM block, each a sentence that says how to fix it. */
function blockProblems(block: IpamBlock): string[] {
    const problems: string[] = [];
    const subnetResult = parsed(block.subnet, parseCidr);
    let subnet: Cidr | undefined;
    if (subnetResult && "problem" in subnetResult) {
        problems.push(`its subnet "${String(block.subnet)}" is malformed: ${subnetResult.problem}. Write it as address/prefix, e.g. 10.20.1.0/24`);
    } else if (subnetResult) {
        subnet = subnetResult.value;
        if (subnet.hostBitsSet) {
            problems.push(`its subnet ${subnet.text} has host bits set. Write the network address: ${canonicalCidr(subnet)}`);
        }
    }
    const inside = subnet ? `inside ${canonicalCidr(subnet)}` : "";

    const gatewayResult = parsed(block.gateway, parseIp);
    if (gatewayResult && "problem" in gatewayResult) {
        problems.push(`its gateway "${String(block.gateway)}" is malformed: ${gatewayResult.problem}. Give a single address ${inside || "inside the subnet"}`);
    } else if (gatewayResult && subnet) {
        const gateway: IpAddress = gatewayResult.value;
        if (!cidrContainsIp(subnet, gateway)) {
            problems.push(`its gateway ${gateway.text} is outside its subnet ${subnet.text}. Use an address ${inside}, e.g. ${firstHost(subnet)}`);
        } else if (isNetworkOrBroadcast(subnet, gateway)) {
            const which = gateway.value === subnet.first ? "network" : "broadcast";
            problems.push(`its gateway ${gateway.text} is the ${which} address of ${subnet.text}. Use a host address, e.g. ${firstHost(subnet)}`);
        }
    }

    const rangeResult = parsed(block.ipRange, parseCidr);
    if (rangeResult && "problem" in rangeResult) {
        problems.push(`its ip range "${String(block.ipRange)}" is malformed: ${rangeResult.problem}. Write it as a block ${inside || "inside the subnet"}`);
    } else if (rangeResult) {
        const range = rangeResult.value;
        if (range.hostBitsSet) {
            problems.push(`its ip range ${range.text} has host bits set. Write the network address: ${canonicalCidr(range)}`);
        }
        if (subnet && !cidrContainsCidr(subnet, range)) {
            const upperHalf = subnetAt(subnet, subnet.prefix + 1, 1n);
            problems.push(
                `its ip range ${range.text} is not inside its subnet ${subnet.text}. Use a block ${inside}` +
                    (upperHalf ? `, e.g. ${canonicalCidr(upperHalf)}` : ""),
            );
        }
    }

    for (const [host, text] of Object.entries(block.auxAddresses)) {
        const auxResult = parsed(text, parseIp);
        if (auxResult && "problem" in auxResult) {
            problems.push(`its aux address "${host}" ("${String(text)}") is malformed: ${auxResult.problem}. Give a single address ${inside || "inside the subnet"}`);
        } else if (auxResult && subnet && !cidrContainsIp(subnet, auxResult.value)) {
            problems.push(`its aux address "${host}" (${auxResult.value.text}) is outside its subnet ${subnet.text}. Reserve an address ${inside}`);
        }
    }
    return problems;
}

/**
 * `docker-network-ipam-consistent`: each IPAM block must hold together:
 * well-formed CIDRs without host bits, a gateway inside the subnet that is
 * neither its network nor its broadcast address, and an ip range and aux
 * addresses inside the subnet. Docker rejects or silently rewrites the rest.
 */
export const dockerNetworkIpamConsistent: Rule = {
    name: "docker-network-ipam-consistent",
    description:
        "A network's IPAM config must be consistent: well-formed CIDRs without host bits, and gateway, ip range and aux addresses inside the subnet.",
    scope: "resource",
    readConfig: noSettings,
    judgesLiveState: true,
    check(topology: Topology): Finding[] {
        const findings: Finding[] = [];
        for (const network of topology.networks) {
            if (network.defaultBridge) continue;
            for (const problem of network.ipam.flatMap(blockProblems)) {
                findings.push({ subject: network, message: `${describeNetwork(network)}: ${problem}.` });
            }
        }
        return findings;
    },
};
