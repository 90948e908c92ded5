import { tryParseCidr } from "../../addressing/cidr";
import { OVERLAY_DRIVER } from "../../topology/driverOptions";
import { defaultGateway } from "../../addressing/ipam";
import { blockVersion } from "../../topology/ipamBlocks";
import { honoursIpv4Disabled } from "../../topology/engineSemantics";
import { IpamBlock, NetworkNode, Topology, isKnown, semanticsOf } from "../../topology/model";
import { composeKey, declarationOf, describeNetwork } from "../describe";
import { Finding, Rule, noSettings } from "../rule";
import { DOCKER_DOCS, RuleDoc } from "../ruleDoc";

/** Drivers whose networks Docker addresses from its default pools when no IPAM is given. */
const ADDRESSED_DRIVERS: readonly string[] = ["bridge", OVERLAY_DRIVER];

/**
 * True when the block pins the IPv4 subnet. Its gateway then is pinned too:
 * written, or Docker's deterministic default (topology/ipam.ts). Unknown
 * and malformed subnets count as given: they are set, only not yet known
 * (or wrong, which docker-network-ipam-consistent says).
 */
function pinsIpv4Subnet(block: IpamBlock): boolean {
    return block.subnet !== undefined && blockVersion(block) !== 6;
}

/** An IPv6-only network (IPv4 off, on an engine that honours it) has only the subnets it names: one is enough. */
function isIpv6Only(network: NetworkNode, topology: Topology): boolean {
    return network.ipv4 === false && honoursIpv4Disabled(semanticsOf(topology));
}

function pinsItsAddressing(network: NetworkNode, topology: Topology): boolean {
    return isIpv6Only(network, topology) ? network.ipam.some((block) => block.subnet !== undefined) : network.ipam.some(pinsIpv4Subnet);
}

/** What is missing, said plainly. */
function whatIsMissing(network: NetworkNode): string {
    if (network.ipam.length === 0) return "has no IPAM config";
    if (network.ipam.some((block) => block.subnet !== undefined)) {
        return "has only IPv6 IPAM blocks, yet Docker still gives it an IPv4 subnet and gateway";
    }
    if (network.ipam.some((block) => block.gateway !== undefined)) return "has a gateway but no subnet";
    return "has an IPAM config without a subnet";
}

/** The fix, with a concrete example: the network's own subnet when it has one. */
function howToFix(network: NetworkNode): string {
    const written = network.ipam.map((block) => block.subnet).find((subnet): subnet is string => subnet !== undefined && isKnown(subnet));
    const cidr = written !== undefined ? tryParseCidr(written) : undefined;
    const usable = cidr && !cidr.hostBitsSet && cidr.version === 4 ? cidr : undefined;
    const subnet = usable?.text ?? "10.20.1.0/24";
    const gateway = (usable && defaultGateway(usable)?.text) ?? "10.20.1.1";
    const key = composeKey(network);
    if (declarationOf(network) === "compose") {
        return `Give network ${key} an ipam.config subnet and gateway in the Compose file, e.g. networks: { ${key}: { ipam: { config: [{ subnet: ${subnet}, gateway: ${gateway} }] } } }.`;
    }
    return declarationOf(network) === "command"
        ? `Pin both on the command line, e.g. docker network create --subnet ${subnet} --gateway ${gateway} ${network.name}.`
        : `Pin a subnet in 10.0.0.0/8 and a gateway inside it, e.g. ipamConfigs: [{ subnet: "${subnet}", gateway: "${gateway}" }], ` +
              "or create it as an IsolatedServiceNet (it allocates both).";
}

const doc: RuleDoc = {
    summary:
        "Bridge and overlay networks must pin their IPv4 subnet (and so their gateway) in an IPAM config instead of taking whatever Docker's default pools hand out.",
    topic: "networks without explicit IPAM",
    reports:
        "A bridge or overlay network without an IPAM block that pins its IPv4 subnet: no IPAM config (`docker network create` without " +
        "`--subnet`), a block with a gateway but no subnet, or IPv6 blocks only (Docker still adds an IPv4 subnet from its default pools) — unless the network is IPv6-only " +
        "(`--ipv4=false`, honoured from Docker 28 on), where an IPv6 subnet is all the addressing it has and pins it. " +
        "A subnet without a gateway passes: Docker's gateway is then deterministic, the subnet's first host (the ip range's first address " +
        "when one is given). `netguard audit` does not judge live networks with it: a live engine reports the subnet and gateway it " +
        "allocated as if they had been asked for.",
    rationale:
        "Without a subnet, Docker takes the next free block of its default address pools, in the order networks happen to be created on " +
        "that host. The same stack gets other addresses on another host or after a rebuild, so firewall rules and static addresses " +
        "cannot be written against it, and the block Docker picks can collide with ranges it does not know about: the host's LAN, a " +
        "VPN's routes.",
    references: [DOCKER_DOCS.networkCreate, DOCKER_DOCS.bridge],
    compose: {
        reports:
            "A network of the project with no `subnet` under `ipam.config`, the implicit `default` network (`<project>_default`, which every " +
            "service without `networks:` joins) included. An `external: true` network is not the project's: it is listed as not judged.",
        example:
            "services:\n" +
            "  web:\n" +
            "    image: nginx:1.27-alpine",
    },
    examples: {
        bad: { docker: "docker network create app-net" },
        good: { docker: "docker network create --subnet 10.20.1.0/24 --gateway 10.20.1.1 app-net" },
    },
};

/** `docker-network-explicit-ipam`: see {@link doc}. */
export const dockerNetworkExplicitIpam: Rule = {
    name: "docker-network-explicit-ipam",
    description: doc.summary,
    doc,
    scope: "resource",
    readConfig: noSettings,
    // A live engine reports the subnet and gateway it allocated as if they had been asked for.
    judgesLiveState: false,
    check(topology: Topology): Finding[] {
        return topology.networks
            .filter((network) => !network.defaultBridge && ADDRESSED_DRIVERS.includes(network.driver))
            .filter((network) => !pinsItsAddressing(network, topology))
            .map((network) => ({
                subject: network,
                message:
                    `${describeNetwork(network)} ${whatIsMissing(network)}: Docker then picks its addressing from the default pools, ` +
                    `which differs between hosts and can collide with the host's, a VPN's or another network's ranges. ${howToFix(network)}`,
            }));
    },
};
