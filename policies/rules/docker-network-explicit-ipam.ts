import { firstHost, tryParseCidr } from "../../topology/cidr";
import { IpamBlock, NetworkNode, Topology, isKnown } from "../../topology/model";
import { describeNetwork, isCommandLineNetwork } from "../describe";
import { Finding, Rule, noSettings } from "../rule";

/** Drivers whose networks Docker addresses from its default pools when no IPAM is given. */
const ADDRESSED_DRIVERS: readonly string[] = ["bridge", "overlay"];

/** Unknown values count as given: they are set, only not yet known. */
function givesSubnetAndGateway(block: IpamBlock): boolean {
    return block.subnet !== undefined && block.gateway !== undefined;
}

/** What is missing, said plainly. */
function whatIsMissing(network: NetworkNode): string {
    if (network.ipam.length === 0) return "has no IPAM config";
    if (network.ipam.some((block) => block.subnet !== undefined)) return "has a subnet but no gateway";
    if (network.ipam.some((block) => block.gateway !== undefined)) return "has a gateway but no subnet";
    return "has an IPAM config with neither subnet nor gateway";
}

/** The fix, with a concrete example: the network's own subnet when it has one. */
function howToFix(network: NetworkNode): string {
    const written = network.ipam.map((block) => block.subnet).find((subnet): subnet is string => subnet !== undefined && isKnown(subnet));
    const cidr = written !== undefined ? tryParseCidr(written) : undefined;
    const subnet = cidr && !cidr.hostBitsSet ? cidr.text : "10.20.1.0/24";
    const gateway = cidr && !cidr.hostBitsSet ? firstHost(cidr) : "10.20.1.1";
    return isCommandLineNetwork(network)
        ? `Pin both on the command line, e.g. docker network create --subnet ${subnet} --gateway ${gateway} ${network.name}.`
        : `Pin a subnet in 10.0.0.0/8 and a gateway inside it, e.g. ipamConfigs: [{ subnet: "${subnet}", gateway: "${gateway}" }], ` +
              "or create it as an IsolatedServiceNet (it allocates both).";
}

/**
 * `docker-network-explicit-ipam`: a bridge or overlay network must carry an
 * IPAM config that gives both subnet and gateway; otherwise Docker picks
 * them from its default pools, differently per host.
 */
export const dockerNetworkExplicitIpam: Rule = {
    name: "docker-network-explicit-ipam",
    description:
        "Bridge and overlay networks must pin their subnet and gateway in an IPAM config instead of taking whatever Docker's default pools hand out.",
    scope: "resource",
    readConfig: noSettings,
    // A live engine reports the subnet and gateway it allocated as if they had been asked for.
    judgesLiveState: false,
    check(topology: Topology): Finding[] {
        return topology.networks
            .filter((network) => !network.defaultBridge && ADDRESSED_DRIVERS.includes(network.driver))
            .filter((network) => !network.ipam.some(givesSubnetAndGateway))
            .map((network) => ({
                subject: network,
                message:
                    `${describeNetwork(network)} ${whatIsMissing(network)}: Docker then picks its addressing from the default pools, ` +
                    `which differs between hosts and can collide with the host's, a VPN's or another network's ranges. ${howToFix(network)}`,
            }));
    },
};
