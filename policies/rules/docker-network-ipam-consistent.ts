import {
    Cidr,
    IpAddress,
    canonicalCidr,
    cidrContainsCidr,
    cidrContainsIp,
    parseCidr,
    parseIp,
    subnetAt,
} from "../../addressing/cidr";
import { refusedBooleanOptions } from "../../topology/driverOptions";
import { defaultGateway, isReservedByDocker } from "../../addressing/ipam";
import { knownIpv4BlockCount, planOfBlock, refusesIpv6WithoutSubnet } from "../../topology/ipamBlocks";
import { EngineSemantics } from "../../topology/engineSemantics";
import { IpamBlock, Maybe, NetworkNode, Topology, UNKNOWN, isKnown, semanticsOf } from "../../topology/model";
import { describeNetwork } from "../describe";
import { Finding, Rule, noSettings } from "../rule";
import { DOCKER_DOCS, RuleDoc } from "../ruleDoc";

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
        const example = defaultGateway(subnet)?.text ?? "a host address";
        if (!cidrContainsIp(subnet, gateway)) {
            problems.push(`its gateway ${gateway.text} is outside its subnet ${subnet.text}. Use an address ${inside}, e.g. ${example}`);
        } else if (isReservedByDocker(subnet, gateway)) {
            const which = gateway.value === subnet.first ? "network" : "broadcast";
            problems.push(`its gateway ${gateway.text} is the ${which} address of ${subnet.text}. Use a host address, e.g. ${example}`);
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

    const plan = planOfBlock(block);
    const gateway = plan !== undefined && plan !== UNKNOWN ? plan.gateway : undefined;
    for (const [host, text] of Object.entries(block.auxAddresses)) {
        const auxResult = parsed(text, parseIp);
        if (auxResult && "problem" in auxResult) {
            problems.push(`its aux address "${host}" ("${String(text)}") is malformed: ${auxResult.problem}. Give a single address ${inside || "inside the subnet"}`);
        } else if (auxResult && subnet && !cidrContainsIp(subnet, auxResult.value)) {
            problems.push(`its aux address "${host}" (${auxResult.value.text}) is outside its subnet ${subnet.text}. Reserve an address ${inside}`);
        } else if (auxResult && gateway && auxResult.value.version === gateway.version && auxResult.value.value === gateway.value) {
            problems.push(
                `its aux address "${host}" (${auxResult.value.text}) is its gateway${plan !== undefined && plan !== UNKNOWN && plan.gatewayDefaulted ? " (Docker's default)" : ""}: ` +
                    "Docker cannot reserve it and refuses the network. Reserve another address",
            );
        }
    }
    return problems;
}

/** Problems of the network as a whole: what Docker's bridge driver refuses, and IPv6 blocks it ignores. */
function networkProblems(network: NetworkNode, semantics: EngineSemantics): string[] {
    const problems: string[] = [];
    if (refusesIpv6WithoutSubnet(semantics, network.ipv6 === true, network.ipam)) {
        problems.push(
            "has IPv6 on and no IPv6 subnet, which Docker 20.10 refuses (it has no default IPv6 pool: \"could not find an available, " +
                "non-overlapping IPv6 address pool\"). Add an IPv6 block (e.g. a ULA /64 such as fd00:1::/64) or turn IPv6 off",
        );
    }
    for (const block of network.ignoredIpam ?? []) {
        problems.push(
            `has the IPv6 block ${String(block.subnet)} with IPv6 off: Docker 28+ ignores it and the network gets no IPv6 subnet. ` +
                "Turn IPv6 on (`ipv6: true`, `--ipv6`) or remove the block",
        );
    }
    if (network.driver === "bridge" && knownIpv4BlockCount(network.ipam) > 1) {
        problems.push(
            `has ${knownIpv4BlockCount(network.ipam)} IPv4 IPAM blocks, and Docker's bridge driver refuses more than one ` +
                "(a block without subnet is IPv4 too). Keep one IPv4 block; IPv6 blocks may sit beside it",
        );
    }
    for (const { option, value } of refusedBooleanOptions(network.driver, network.driverOptions ?? {})) {
        problems.push(
            `has driver option ${option} = ${JSON.stringify(value)}, which Docker refuses: booleans are 1, t, T, TRUE, true, True ` +
                "or 0, f, F, FALSE, false, False (Go's strconv.ParseBool). Write \"true\" or \"false\"",
        );
    }
    return problems;
}

const doc: RuleDoc = {
    summary:
        "A network's IPAM config and driver options must be what Docker accepts: well-formed CIDRs without host bits, gateway, ip range and aux addresses inside the subnet, one IPv4 block per bridge network, booleans Go can parse.",
    topic: "IPAM Docker refuses",
    reports:
        "In each IPAM block: a malformed subnet, gateway, ip range or aux address; host bits set in a subnet or ip range; a gateway, " +
        "ip range or aux address outside the subnet; a gateway on the subnet's network or broadcast address; an aux address on the " +
        "gateway (written or Docker's default). On the network: more than one IPv4 block on a bridge network (a block without subnet is " +
        "IPv4); IPv6 on with no IPv6 subnet (Docker 20.10 refuses it); an IPv6 block with IPv6 off (Docker 28+ ignores it); a boolean bridge driver option (`enable_icc`, `enable_ip_masquerade`, `inhibit_ipv4`) that Go's `strconv.ParseBool` " +
        "rejects, such as `\"yes\"`. Docker's default bridge is not judged.",
    rationale:
        "Docker checks these only when it creates the network, which a preview never does: the mistake surfaces at `pulumi up`, " +
        "halfway through a deployment, as a refused network and everything depending on it. What it does not refuse, it may read " +
        "otherwise than written, so the network is not the one reviewed.",
    references: [DOCKER_DOCS.networkCreate],
    compose: {
        reports:
            "A network's `ipam.config` entries (`subnet`, `gateway`, `ip_range`, `aux_addresses`) and `driver_opts` as Docker checks them when " +
            "Compose creates the network: malformed or with host bits, a gateway, range or aux address outside its subnet, two IPv4 blocks on a " +
            "bridge, a boolean option Go cannot parse.",
        example:
            "networks:\n" +
            "  app:\n" +
            "    ipam:\n" +
            "      config:\n" +
            "        - subnet: 10.20.1.0/24\n" +
            "          gateway: 10.20.2.1\n" +
            "services:\n" +
            "  web:\n" +
            "    image: nginx:1.27-alpine\n" +
            "    networks: [app]",
    },
    examples: {
        // A program: Docker's CLI refuses this as a command line, so netguard lists it as not judged rather than judging it.
        bad: {
            program:
                'import * as docker from "@pulumi/docker";\n' +
                "\n" +
                'new docker.Network("app-net", { name: "app-net", ipamConfigs: [{ subnet: "10.20.1.0/24", gateway: "10.20.2.1" }] });',
        },
        good: { docker: "docker network create --subnet 10.20.1.0/24 --gateway 10.20.1.1 app-net" },
    },
};

/** `docker-network-ipam-consistent`: see {@link doc}. */
export const dockerNetworkIpamConsistent: Rule = {
    name: "docker-network-ipam-consistent",
    description: doc.summary,
    doc,
    scope: "resource",
    readConfig: noSettings,
    judgesLiveState: true,
    check(topology: Topology): Finding[] {
        const findings: Finding[] = [];
        for (const network of topology.networks) {
            if (network.defaultBridge) continue;
            for (const problem of networkProblems(network, semanticsOf(topology))) {
                findings.push({ subject: network, message: `${describeNetwork(network)} ${problem}.` });
            }
            for (const problem of network.ipam.flatMap(blockProblems)) {
                findings.push({ subject: network, message: `${describeNetwork(network)}: ${problem}.` });
            }
        }
        return findings;
    },
};
