import { Cidr, IpAddress, cidrContainsIp, firstHost, isNetworkOrBroadcast, tryParseCidr, tryParseIp } from "../../topology/cidr";
import { ContainerNode, IpamBlock, NetworkNode, Topology, isKnown, networksByKey } from "../../topology/model";
import { describeContainer } from "../describe";
import { Finding, Rule, noSettings } from "../rule";

/** A static address on a resolved network, with what is known of it. */
interface StaticAddress {
    readonly container: ContainerNode;
    readonly network: NetworkNode;
    readonly text: string;
    /** Undefined when the text is not an IP address. */
    readonly ip?: IpAddress;
}

/** What is wrong with one static address's place in its network's IPAM, or undefined when nothing provably is. */
function placementProblem(address: StaticAddress): string | undefined {
    const { network, text, ip } = address;
    if (!ip) return `"${text}" is not an IP address`;
    const blocks = network.ipam;
    if (blocks.length === 0) {
        return `${text} is on network "${network.name}", which has no explicit subnet (Docker accepts static addresses only on networks with a configured subnet)`;
    }
    let undecidable = false;
    for (const block of blocks) {
        if (block.subnet === undefined || !isKnown(block.subnet)) {
            undecidable = true;
            continue;
        }
        const subnet = tryParseCidr(block.subnet);
        if (!subnet) {
            undecidable = true; // a malformed subnet is the IPAM rule's finding
            continue;
        }
        if (cidrContainsIp(subnet, ip)) return problemInside(address, ip, block, subnet);
    }
    if (undecidable) return undefined;
    const subnets = blocks.map((block) => String(block.subnet)).join(", ");
    return `${text} is outside network "${network.name}"'s subnet ${subnets}`;
}

/** Problems of an address inside `subnet`: the gateway, the network or broadcast address, the dynamic pool. */
function problemInside(address: StaticAddress, ip: IpAddress, block: IpamBlock, subnet: Cidr): string | undefined {
    const { network, text } = address;
    // Without an explicit gateway, Docker takes the subnet's first host address.
    const gateway = block.gateway === undefined ? firstHost(subnet) : block.gateway;
    const gatewayIp = isKnown(gateway) ? tryParseIp(gateway) : undefined;
    if (gatewayIp && gatewayIp.version === ip.version && gatewayIp.value === ip.value) {
        return `${text} is network "${network.name}"'s gateway${block.gateway === undefined ? " (Docker's default, the first host address)" : ""}`;
    }
    if (isNetworkOrBroadcast(subnet, ip)) {
        return `${text} is the ${ip.value === subnet.first ? "network" : "broadcast"} address of network "${network.name}"'s subnet ${subnet.text}`;
    }
    const ipRange = block.ipRange !== undefined && isKnown(block.ipRange) ? tryParseCidr(block.ipRange) : undefined;
    if (ipRange && cidrContainsIp(ipRange, ip)) {
        return `${text} is inside network "${network.name}"'s ip range ${ipRange.text}, the pool Docker hands dynamic addresses from (it collides after restarts)`;
    }
    return undefined;
}

/** Every known static address on a declared network (the default bridge is the bridge rule's business). */
function staticAddresses(topology: Topology): StaticAddress[] {
    const networks = networksByKey(topology);
    const addresses: StaticAddress[] = [];
    for (const container of topology.containers) {
        for (const attachment of container.attachments) {
            const { ipv4Address } = attachment;
            if (!attachment.staticAddress || ipv4Address === undefined || !isKnown(ipv4Address)) continue;
            const network = attachment.network !== undefined ? networks.get(attachment.network) : undefined;
            if (!network || network.defaultBridge) continue;
            addresses.push({ container, network, text: ipv4Address, ip: tryParseIp(ipv4Address) });
        }
    }
    return addresses;
}

/**
 * `docker-container-static-ip-valid`: a static address must lie inside its
 * network's subnet, off the gateway, the network and broadcast addresses and
 * the dynamic ip range, and be used once per network. Duplicates are found
 * with one map per stack, not by comparing pairs; the later holder is reported.
 */
export const dockerContainerStaticIpValid: Rule = {
    name: "docker-container-static-ip-valid",
    description:
        "A container's static address must be inside its network's subnet, not the gateway, network or broadcast address, outside the dynamic ip range, and unique on the network.",
    scope: "stack",
    readConfig: noSettings,
    judgesLiveState: true,
    check(topology: Topology): Finding[] {
        const problems = new Map<ContainerNode, string[]>();
        const add = (container: ContainerNode, problem: string) => problems.set(container, [...(problems.get(container) ?? []), problem]);
        const holders = new Map<string, ContainerNode>();
        for (const address of staticAddresses(topology)) {
            const problem = placementProblem(address);
            if (problem) add(address.container, problem);
            if (!address.ip) continue;
            const key = `${address.network.key}\u0000${address.ip.version}:${address.ip.value}`;
            const holder = holders.get(key);
            if (holder === undefined) holders.set(key, address.container);
            else if (holder !== address.container) {
                add(address.container, `${address.text} on network "${address.network.name}" is already container "${holder.name}"'s`);
            }
        }
        return [...problems].map(([container, list]) => ({
            subject: container,
            message:
                `${describeContainer(container)}: static address ${list.join("; ")}. ` +
                "Pick an unused address inside the subnet, outside the ip range and off the gateway " +
                "(IsolatedServiceNet checks this at construction), or drop ipv4Address and let Docker assign one.",
        }));
    },
};
