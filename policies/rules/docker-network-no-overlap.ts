import { Cidr, IpVersion, tryParseCidr } from "../../addressing/cidr";
import { allocatedBlocks } from "../../topology/ipamBlocks";
import { NetworkNode, Topology, isKnown, networkScope, sameEngine } from "../../topology/model";
import { declarationOf, describeNetwork } from "../describe";
import { PolicyConfigError } from "../policyConfig";
import { Finding, Rule, stringListSetting } from "../rule";
import { DOCKER_DOCS, RuleDoc } from "../ruleDoc";

const NAME = "docker-network-no-overlap";

/** Docker's default bridge (`docker0`): a subnet over it makes hosts there unreachable from containers. */
const DEFAULT_RESERVED = ["172.17.0.0/16"];

export interface NoOverlapConfig {
    /** Ranges no network may overlap (docker0, an office VPN, …), parsed. */
    readonly reserved: readonly Cidr[];
}

/** A block in the sweep: one subnet of a declared network, or one reserved range. */
interface Block {
    readonly cidr: Cidr;
    /** The network that declares it; undefined for a reserved range. */
    readonly network?: NetworkNode;
    /** Declaration order (networks first, in stack order), for the tie-break between identical subnets. */
    readonly order: number;
}

function describe(block: Block): string {
    if (!block.network) return `the reserved range ${block.cidr.text}`;
    const where = block.network.node ?? block.network.engineHost;
    const node = where === undefined ? "" : ` (${block.network.node !== undefined ? "node" : "host"} "${where}")`;
    return `network "${block.network.name}"${node}'s subnet ${block.cidr.text}`;
}

/**
 * Whether two overlapping blocks clash: always with a reserved range; two
 * local networks only on one engine (live state of several engines knows
 * their nodes: docker0-like bridges on two hosts never meet); an overlay is
 * on every node, so it clashes with every local network of the stack.
 * Networks that command lines create on different engines (`engineHost`)
 * never meet either.
 */
function clash(a: Block, b: Block): boolean {
    if (!a.network || !b.network) return true;
    if (!sameEngine(a.network, b.network)) return false;
    const local = networkScope(a.network) === "local" && networkScope(b.network) === "local";
    return !(local && a.network.node !== undefined && b.network.node !== undefined && a.network.node !== b.network.node);
}

function readConfig(raw: Record<string, unknown>): NoOverlapConfig {
    const texts = stringListSetting(NAME, raw, "reserved", DEFAULT_RESERVED);
    const reserved = texts.map((text) => {
        const cidr = tryParseCidr(text);
        if (!cidr) {
            throw new PolicyConfigError(`policy ${NAME}: setting "reserved" has "${text}", which is not a CIDR block (e.g. 172.17.0.0/16)`);
        }
        return cidr;
    });
    return { reserved };
}

/**
 * The known, parseable subnets Docker allocates for declared networks (an
 * IPv6 block of a network without IPv6 on takes no pool); unknown or
 * malformed ones are left to other rules.
 */
function subnetBlocks(topology: Topology): Block[] {
    const blocks: Block[] = [];
    for (const network of topology.networks) {
        // The default bridge node is Docker's own docker0; the reserved setting covers it.
        if (network.defaultBridge) continue;
        for (const ipam of allocatedBlocks(network)) {
            if (ipam.subnet === undefined || !isKnown(ipam.subnet)) continue;
            const cidr = tryParseCidr(ipam.subnet);
            if (cidr) blocks.push({ cidr, network, order: blocks.length });
        }
    }
    return blocks;
}

/** Wider blocks first at one start address; reserved ranges before subnets, then declaration order. */
function sweepOrder(a: Block, b: Block): number {
    if (a.cidr.version !== b.cidr.version) return a.cidr.version - b.cidr.version;
    if (a.cidr.first !== b.cidr.first) return a.cidr.first < b.cidr.first ? -1 : 1;
    if (a.cidr.prefix !== b.cidr.prefix) return a.cidr.prefix - b.cidr.prefix;
    if (!a.network !== !b.network) return a.network ? 1 : -1;
    return a.order - b.order;
}

/** One finding per network, naming every block its subnets overlap. */
function findingsFor(overlaps: Map<NetworkNode, { subject: Block; other: Block }[]>): Finding[] {
    return [...overlaps].map(([network, pairs]) => {
        const what = pairs.map(({ subject, other }) => `subnet ${subject.cidr.text} overlaps ${describe(other)}`).join("; ");
        const overlay = pairs.some(({ subject, other }) => other.network && [subject.network, other.network].some((n) => n && networkScope(n) === "swarm"));
        const why = overlay
            ? "a swarm node that has both routes the shared addresses to only one of them, and tasks there may fail to start"
            : pairs.some(({ other }) => other.network)
              ? "Docker refuses whichever of the two is created second (\"Pool overlaps\"), or, where both exist, routes the shared addresses to only one of the bridges"
              : "containers there can no longer reach the hosts in that range";
        return {
            subject: network,
            message:
                `${describeNetwork(network)}: ${what}: ${why}. ` +
                "Pin a subnet that overlaps no other network and no reserved range (e.g. a free /24 in 10.0.0.0/8)" +
                (declarationOf(network) === "compose" ? " in the network's ipam.config in the Compose file." : ", or let IsolatedServiceNet allocate one."),
        };
    });
}

const doc: RuleDoc = {
    summary: "Network subnets must not overlap each other or a reserved range such as docker0's 172.17.0.0/16.",
    topic: "overlapping subnets",
    reports:
        "Two subnets of the stack that overlap (the narrower, or for identical ones the later, is reported, naming the other), or a " +
        "subnet over a reserved range: the `reserved` setting, by default Docker's default bridge `172.17.0.0/16`. An overlay spans " +
        "every node, so it must not overlap any local network either; local networks of different engines (a live audit of several) " +
        "never meet and may repeat.",
    rationale:
        "A host routes each subnet to one network. Where two of its networks share addresses, Docker either refuses the second one " +
        "(at `pulumi up`, not in a preview) or routes the shared addresses to only one of them, and the containers on the other lose " +
        "those peers; a subnet over `docker0`'s range, or over one the host reaches through its LAN or a VPN (add it to `reserved`), " +
        "cuts the containers off from the hosts there.",
    references: [DOCKER_DOCS.networkCreate, DOCKER_DOCS.bridge],
    settings: { reserved: { default: ["172.17.0.0/16"] } },
    compose: {
        reports:
            "Two networks of the project whose `ipam.config` subnets overlap, or a subnet over a reserved range such as docker0's " +
            "`172.17.0.0/16`.",
        example:
            "networks:\n" +
            "  front:\n" +
            "    ipam:\n" +
            "      config:\n" +
            "        - subnet: 10.20.0.0/16\n" +
            "  back:\n" +
            "    ipam:\n" +
            "      config:\n" +
            "        - subnet: 10.20.5.0/24\n" +
            "services:\n" +
            "  web:\n" +
            "    image: nginx:1.27-alpine\n" +
            "    networks: [front]\n" +
            "  db:\n" +
            "    image: postgres:16-alpine\n" +
            "    networks: [back]",
    },
    examples: {
        // A program: in one script Docker refuses the second network ("Pool overlaps"), which netguard lists as not judged.
        bad: {
            program:
                'import * as docker from "@pulumi/docker";\n' +
                "\n" +
                'new docker.Network("net-a", { name: "net-a", ipamConfigs: [{ subnet: "10.50.0.0/16", gateway: "10.50.0.1" }] });\n' +
                'new docker.Network("net-b", { name: "net-b", ipamConfigs: [{ subnet: "10.50.1.0/24", gateway: "10.50.1.1" }] });',
        },
        good: {
            docker:
                "docker network create --subnet 10.50.0.0/24 --gateway 10.50.0.1 net-a\n" +
                "docker network create --subnet 10.50.1.0/24 --gateway 10.50.1.1 net-b",
        },
    },
};

/**
 * `docker-network-no-overlap`: see {@link doc}.
 *
 * CIDR blocks either nest or are disjoint, so after sorting by start address
 * (wider first) every overlap is a block inside one still open on a stack:
 * O(n log n) instead of comparing all pairs. The block inside (the narrower,
 * or for identical subnets the later one) is reported, naming the nearest
 * block around it; a subnet around a reserved range is reported too.
 */
export const dockerNetworkNoOverlap: Rule<NoOverlapConfig> = {
    name: NAME,
    description: doc.summary,
    doc,
    scope: "stack",
    configSchema: {
        properties: {
            reserved: {
                type: "array",
                items: { type: "string" },
                description: "CIDR blocks no network may overlap (default: Docker's default bridge, 172.17.0.0/16).",
            },
        },
    },
    readConfig,
    judgesLiveState: true,
    check(topology: Topology, config: NoOverlapConfig): Finding[] {
        const reserved: Block[] = config.reserved.map((cidr, i) => ({ cidr, order: i }));
        const blocks = [...reserved, ...subnetBlocks(topology)].sort(sweepOrder);
        const overlaps = new Map<NetworkNode, { subject: Block; other: Block }[]>();
        const report = (found: Block, around: Block) => {
            // A network nobody declared (Docker's routing mesh in a preview) is never the one to fix: the stack's is.
            const [subject, other] = found.network?.resource === undefined && around.network ? [around, found] : [found, around];
            const network = subject.network as NetworkNode;
            overlaps.set(network, [...(overlaps.get(network) ?? []), { subject, other }]);
        };
        // The blocks that contain the current start address, outermost first.
        const open: Block[] = [];
        let version: IpVersion | undefined;
        for (const block of blocks) {
            if (block.cidr.version !== version) {
                open.length = 0;
                version = block.cidr.version;
            }
            while (open.length > 0 && open[open.length - 1].cidr.last < block.cidr.first) open.pop();
            if (block.network) {
                // The nearest block around it that it clashes with (nesting depth is small).
                const around = [...open].reverse().find((outer) => clash(block, outer));
                if (around) report(block, around);
            } else {
                // A reserved range inside subnets: every one of them overlaps it.
                // Reserved ranges overlapping each other are the user's own list, not a finding.
                for (const outer of open) if (outer.network) report(outer, block);
            }
            open.push(block);
        }
        return findingsFor(overlaps);
    },
};
