import { IpAddress, tryParseIp } from "../../addressing/cidr";
import { StaticAddressProblem } from "../../addressing/ipam";
import { checksIpv6AddressWithoutIpv6 } from "../../topology/engineSemantics";
import { endpointAddressRefusal, placeStaticAddress } from "../../topology/ipamBlocks";
import { ContainerNode, NetworkNode, Topology, networksByKey, semanticsOf } from "../../topology/model";
import { declarationOf, describeContainer } from "../describe";
import { Finding, Rule, noSettings } from "../rule";
import { DOCKER_DOCS, RuleDoc } from "../ruleDoc";

/** A static address on a resolved network, with what is known of it. */
interface StaticAddress {
    readonly container: ContainerNode;
    readonly network: NetworkNode;
    readonly text: string;
    /** Undefined when the text is not an IP address. */
    readonly ip?: IpAddress;
}

/** What is wrong with one static address's place in its network's IPAM, or undefined when nothing provably is. */
function placementProblem(address: StaticAddress, topology: Topology): string | undefined {
    const { network, text, ip } = address;
    if (!ip) return `"${text}" is not an IP address`;
    const placement = placeStaticAddress(network.ipam, ip);
    // Only Docker's endpoint check (a subnet of the family) applies to an address it never allocates.
    if (unallocatedIpv6(address, topology) && placement.kind !== "no-subnet") return undefined;
    switch (placement.kind) {
        case "no-subnet":
            return `${text} is on network "${network.name}", which has no explicit IPv${ip.version} subnet (Docker refuses a static address on a network without a configured subnet)`;
        case "outside":
            return `${text} is outside network "${network.name}"'s subnet ${placement.subnets.join(", ")} (Docker refuses it)`;
        case "undecidable":
            return undefined;
        case "inside":
            return placement.problem && describeProblem(address, placement.problem);
    }
}

/** One sentence for a problem inside the subnet. */
function describeProblem(address: StaticAddress, problem: StaticAddressProblem): string {
    const { network, text } = address;
    switch (problem.kind) {
        case "gateway":
            return `${text} is network "${network.name}"'s gateway${problem.defaulted ? " (none is written: Docker's default, the first free address of the ip range or subnet)" : ""}`;
        case "network":
        case "broadcast":
            return `${text} is the ${problem.kind} address of network "${network.name}"'s subnet ${problem.subnet.text}`;
        case "aux":
            return `${text} is reserved on network "${network.name}" as aux address "${problem.host}" (Docker never gives it to a container)`;
        case "dynamic-range":
            return `${text} is inside network "${network.name}"'s ip range ${problem.ipRange.text}, the pool Docker hands dynamic addresses from (it collides after restarts)`;
    }
}

/** An IPv6 address Docker 20.10 keeps but never allocates, nor checks against the subnet: on a network without IPv6 on. */
function unallocatedIpv6(address: StaticAddress, topology: Topology): boolean {
    return address.ip?.version === 6 && address.network.ipv6 !== true && !checksIpv6AddressWithoutIpv6(semanticsOf(topology));
}

/** Every known static address on a declared network (the default bridge is the bridge rule's business). */
function staticAddresses(topology: Topology): StaticAddress[] {
    const networks = networksByKey(topology);
    const addresses: StaticAddress[] = [];
    for (const container of topology.containers) {
        for (const attachment of container.attachments) {
            const network = attachment.network !== undefined ? networks.get(attachment.network) : undefined;
            if (!network || network.defaultBridge) continue;
            const requested = [attachment.staticAddress ? attachment.ipv4Address : undefined, attachment.staticIpv6 ? attachment.ipv6Address : undefined];
            for (const text of requested) {
                if (typeof text === "string") addresses.push({ container, network, text, ip: tryParseIp(text) });
            }
        }
    }
    return addresses;
}

/**
 * Addresses Docker checks and then drops, on the network `networkMode` already
 * joined: only its endpoint check applies, with the engine's semantics.
 */
function droppedAddressProblems(topology: Topology): [ContainerNode, string][] {
    const networks = networksByKey(topology);
    return topology.containers.flatMap((container) =>
        container.attachments.flatMap((attachment) => {
            const network = attachment.network !== undefined ? networks.get(attachment.network) : undefined;
            if (!network || network.defaultBridge) return [];
            return (attachment.droppedAddresses ?? []).flatMap((text): [ContainerNode, string][] => {
                const refusal = tryParseIp(text) === undefined ? `"${text}" is not an IP address` : endpointAddressRefusal(semanticsOf(topology), network.ipam, text);
                if (refusal === undefined) return [];
                return [[container, `${text} on network "${network.name}", already joined through its network mode, is dropped, but Docker checks it first and refuses the container: ${refusal}`]];
            });
        }),
    );
}

const doc: RuleDoc = {
    summary:
        "A container's static address must be inside its network's subnet, not the gateway, network, broadcast or a reserved (aux) address, outside the dynamic ip range, and unique on the network.",
    topic: "invalid static addresses",
    reports:
        "A static `ipv4Address` or `ipv6Address` (or `--ip`, `--ip6`) on a network without an explicit subnet or outside its subnet, on the gateway (written or " +
        "Docker's default), on the subnet's network or broadcast address, on an aux (reserved) address, inside the ip range, or held by " +
        "two containers on one network (the later is reported); and one asked for again on the network `networkMode` already joined, which " +
        "Docker drops but checks first (20.10: the network needs a subnet of its family; 28+: a subnet that holds it). Addresses on Docker's default bridge are `docker-no-default-bridge`'s.",
    rationale:
        "Docker refuses a static address on a network without a configured subnet, outside the subnet, or already taken (the gateway " +
        "and aux addresses are), but only when the container starts, which a preview never does. Inside the ip range, the address is " +
        "one Docker also hands out to containers without a static address: the container starts today and collides with another after " +
        "a restart.",
    references: [DOCKER_DOCS.networkCreate, { title: "Docker CLI reference: docker run (--network, --ip)" }],
    compose: {
        reports:
            "`ipv4_address` or `ipv6_address` under a service's `networks:` entry outside the network's `ipam.config` subnet (or on a network " +
            "without one, as the implicit default network is), on its gateway, network, broadcast or an `aux_addresses` address, inside its " +
            "`ip_range`, or held by two containers (a service with `deploy.replicas` above 1 asks for the same address for each).",
        example:
            "networks:\n" +
            "  app:\n" +
            "    ipam:\n" +
            "      config:\n" +
            "        - subnet: 10.20.1.0/24\n" +
            "          gateway: 10.20.1.1\n" +
            "services:\n" +
            "  db:\n" +
            "    image: postgres:16-alpine\n" +
            "    networks:\n" +
            "      app:\n" +
            "        ipv4_address: 10.20.2.10",
    },
    examples: {
        bad: {
            docker:
                "docker network create --subnet 10.20.1.0/24 --gateway 10.20.1.1 app\n" +
                "docker run -d --name web --network app --ip 10.20.1.1 nginx:1.27-alpine",
        },
        good: {
            docker:
                "docker network create --subnet 10.20.1.0/24 --gateway 10.20.1.1 app\n" +
                "docker run -d --name web --network app --ip 10.20.1.10 nginx:1.27-alpine",
        },
    },
};

/**
 * `docker-container-static-ip-valid`: see {@link doc}. Duplicates are found
 * with one map per stack, not by comparing pairs.
 */
export const dockerContainerStaticIpValid: Rule = {
    name: "docker-container-static-ip-valid",
    description: doc.summary,
    doc,
    scope: "stack",
    readConfig: noSettings,
    judgesLiveState: true,
    check(topology: Topology): Finding[] {
        const problems = new Map<ContainerNode, string[]>();
        const add = (container: ContainerNode, problem: string) => problems.set(container, [...(problems.get(container) ?? []), problem]);
        const holders = new Map<string, ContainerNode>();
        for (const [container, problem] of droppedAddressProblems(topology)) add(container, problem);
        for (const address of staticAddresses(topology)) {
            const problem = placementProblem(address, topology);
            if (problem) add(address.container, problem);
            // Two containers cannot hold one address Docker allocates.
            if (!address.ip || unallocatedIpv6(address, topology)) continue;
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
                (declarationOf(container) === "compose"
                    ? "(the network's ipam.config in the Compose file), or drop the address (ipv4_address, ipv6_address under its networks.<net>) and let Docker assign one."
                    : "(IsolatedServiceNet checks this at construction), or drop the address (ipv4Address, ipv6Address) and let Docker assign one."),
        }));
    },
};
