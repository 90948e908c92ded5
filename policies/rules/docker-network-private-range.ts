import { Cidr, PRIVATE_RANGES, cidrInsideAny, parseCidr, tryParseCidr } from "../../addressing/cidr";
import { Topology, isKnown } from "../../topology/model";
import { describeNetwork } from "../describe";
import { PolicyConfigError } from "../policyConfig";
import { Finding, Rule, stringListSetting } from "../rule";
import { RuleDoc } from "../ruleDoc";

export interface PrivateRangeConfig {
    /** Private space plus the configured extra ranges, parsed. */
    readonly allowed: readonly Cidr[];
    /** The configured extra ranges, as written (for messages). */
    readonly extraRanges: readonly string[];
}

const NAME = "docker-network-private-range";

/** Parsed once: `readConfig` runs for every resource the policy validates. */
const PRIVATE_CIDRS: readonly Cidr[] = PRIVATE_RANGES.map(parseCidr);

function readPrivateRangeConfig(raw: Record<string, unknown>): PrivateRangeConfig {
    const extraRanges = stringListSetting(NAME, raw, "extraRanges", []);
    const extra = extraRanges.map((range) => {
        const cidr = tryParseCidr(range);
        if (!cidr) {
            throw new PolicyConfigError(
                `policy ${NAME}: setting "extraRanges" has "${range}", which is not a CIDR block (write it like 100.64.0.0/10)`,
            );
        }
        return cidr;
    });
    return { allowed: [...PRIVATE_CIDRS, ...extra], extraRanges };
}

const doc: RuleDoc = {
    summary:
        "Network subnets must lie inside private address space (RFC 1918, IPv6 unique-local, or configured extra ranges), never over public addresses.",
    topic: "public subnets",
    reports:
        "A network subnet outside private address space: RFC 1918 (`10.0.0.0/8`, `172.16.0.0/12`, `192.168.0.0/16`) and IPv6 " +
        "unique-local `fc00::/7`, plus the ranges of the `extraRanges` setting. The tutorials' `192.169.0.0/16` and `172.32.0.0/24` " +
        "are public. Malformed subnets are `docker-network-ipam-consistent`'s.",
    rationale:
        "Docker routes a network's subnet to the network on the host. Over public addresses, the real hosts at those addresses become " +
        "unreachable from the containers, and traffic meant for them stays on this host: nothing fails until someone needs to reach " +
        "them. Private address space is never routed on the internet, so a subnet there shadows nothing but your own ranges " +
        "(`docker-network-no-overlap` watches those).",
    references: [
        { title: "RFC 1918: Address Allocation for Private Internets", url: "https://www.rfc-editor.org/rfc/rfc1918" },
        { title: "RFC 4193: Unique Local IPv6 Unicast Addresses", url: "https://www.rfc-editor.org/rfc/rfc4193" },
    ],
    settings: { extraRanges: { default: [] } },
    compose: {
        reports:
            "A `subnet` under a network's `ipam.config` outside private address space.",
        example:
            "networks:\n" +
            "  app:\n" +
            "    ipam:\n" +
            "      config:\n" +
            "        - subnet: 192.169.0.0/16\n" +
            "          gateway: 192.169.0.1\n" +
            "services:\n" +
            "  web:\n" +
            "    image: nginx:1.27-alpine\n" +
            "    networks: [app]",
    },
    examples: {
        bad: { docker: "docker network create --subnet 192.169.0.0/16 --gateway 192.169.0.1 alpine-net" },
        good: { docker: "docker network create --subnet 192.168.100.0/24 --gateway 192.168.100.1 alpine-net" },
    },
};

/** `docker-network-private-range`: see {@link doc}. */
export const dockerNetworkPrivateRange: Rule<PrivateRangeConfig> = {
    name: NAME,
    description: doc.summary,
    doc,
    scope: "resource",
    configSchema: {
        properties: {
            extraRanges: {
                type: "array",
                items: { type: "string" },
                description: "CIDR blocks allowed besides RFC 1918 and fc00::/7, e.g. a range your organisation owns.",
            },
        },
    },
    readConfig: readPrivateRangeConfig,
    judgesLiveState: true,
    check(topology: Topology, config: PrivateRangeConfig): Finding[] {
        const findings: Finding[] = [];
        const allowedText = [...PRIVATE_RANGES, ...config.extraRanges].join(", ");
        for (const network of topology.networks) {
            if (network.defaultBridge) continue;
            for (const block of network.ipam) {
                if (block.subnet === undefined || !isKnown(block.subnet)) continue;
                const subnet = tryParseCidr(block.subnet); // malformed ones are docker-network-ipam-consistent's
                if (!subnet || cidrInsideAny(subnet, config.allowed)) continue;
                const example = subnet.version === 4 ? "a subnet in 10.0.0.0/8 (or 172.16.0.0/12, 192.168.0.0/16)" : "a unique-local subnet in fd00::/8";
                findings.push({
                    subject: network,
                    message:
                        `${describeNetwork(network)} uses subnet ${block.subnet}, which is not private address space (${allowedText}): ` +
                        "its containers could no longer reach the real hosts at those public addresses, and traffic meant for them stays on this host. " +
                        `Pin ${example}, or, if your organisation owns this range, add it to the policy's extraRanges setting.`,
                });
            }
        }
        return findings;
    },
};
