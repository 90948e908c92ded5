/**
 * The nets of an imported program and their explicit IPAM: a source
 * network's IPv4 subnet, gateway and ip range are kept when the rules accept
 * them; a network without one (Compose's implicit `default`, a live network
 * Docker addressed from its pools, the default bridge's replacement) gets a
 * subnet from the components' own allocator, clear of every other subnet of
 * the program and of docker0.
 */
import { Cidr, PRIVATE_RANGES, canonicalCidr, cidrContainsCidr, cidrContainsIp, cidrInsideAny, cidrsOverlap, parseCidr, tryParseCidr, tryParseIp } from "../../../addressing/cidr";
import { AddressPlan, defaultGateway, isReservedByDocker } from "../../../addressing/ipam";
import { DEFAULT_ADDRESS_POOL, DEFAULT_PREFIX_LENGTH, allocateSubnet } from "../../../components/plan/subnetAllocation";
import { ipv4Block } from "../../../topology/ipamBlocks";
import { UserError } from "../../errors";
import { DEFAULT_BRIDGE, NetworkNode, isKnown } from "../../../topology/model";

/** One net of the program, before its members. */
export interface NetAddressing {
    readonly subnet: string;
    readonly gateway?: string;
    readonly ipRange?: string;
    /** The parsed plan static addresses are checked against. */
    readonly plan: AddressPlan;
    /** False when the subnet is not the source's: its static addresses cannot be kept. */
    readonly keptSource: boolean;
}

/** The default bridge's subnet, which no net may overlap. */
const DOCKER0 = parseCidr(DEFAULT_BRIDGE.ipam[0].subnet as string);

/** Why a source subnet cannot be kept, or undefined when it can. */
function subnetProblem(cidr: Cidr, text: string, taken: readonly Cidr[]): string | undefined {
    if (cidr.version !== 4) return "it is not IPv4";
    if (canonicalCidr(cidr) !== text) return "it has host bits set";
    if (!cidrInsideAny(cidr, PRIVATE_RANGES.map(parseCidr))) return "it is not private address space";
    if (cidrsOverlap(cidr, DOCKER0)) return "it overlaps the default bridge's 172.17.0.0/16";
    const clash = taken.find((other) => cidrsOverlap(other, cidr));
    return clash ? `it overlaps ${canonicalCidr(clash)}, kept for another net` : undefined;
}

/** The kept parts of a source network's IPv4 block, or why none is kept. */
export function sourceAddressing(network: NetworkNode, taken: readonly Cidr[]): { addressing?: NetAddressing; problem?: string } {
    const block = ipv4Block(network.ipam) ?? network.ipam.find((candidate) => candidate.subnet !== undefined);
    if (!block || block.subnet === undefined) return {};
    if (!isKnown(block.subnet)) return { problem: "its subnet is not known (a variable without value, or an external network)" };
    const subnet = tryParseCidr(block.subnet);
    if (!subnet) return { problem: `its subnet ${JSON.stringify(block.subnet)} is not a CIDR` };
    const problem = subnetProblem(subnet, block.subnet, taken);
    if (problem) return { problem: `its subnet ${block.subnet} is not kept: ${problem}` };
    const ipRange = block.ipRange !== undefined && isKnown(block.ipRange) ? tryParseCidr(block.ipRange) : undefined;
    const keptRange = ipRange && canonicalCidr(ipRange) === block.ipRange && cidrContainsCidr(subnet, ipRange) ? ipRange : undefined;
    const gateway = block.gateway !== undefined && isKnown(block.gateway) ? tryParseIp(block.gateway) : undefined;
    const keptGateway = gateway && cidrContainsIp(subnet, gateway) && !isReservedByDocker(subnet, gateway) ? gateway : undefined;
    return {
        addressing: {
            subnet: canonicalCidr(subnet),
            ...(keptGateway ? { gateway: keptGateway.text } : {}),
            ...(keptRange ? { ipRange: canonicalCidr(keptRange) } : {}),
            plan: { subnet, ipRange: keptRange, gateway: keptGateway ?? defaultGateway(subnet, keptRange), gatewayDefaulted: !keptGateway, auxAddresses: new Map() },
            keptSource: true,
        },
    };
}

/** Where subnets come from: the components' own default pool first, then the other private ranges. */
const POOLS: readonly string[] = [DEFAULT_ADDRESS_POOL, "172.16.0.0/12", "192.168.0.0/16"];

/**
 * A subnet for `name` from the components' allocator (their default pool and
 * prefix, hashed from the source and the net's name), retried with a new
 * identity until it overlaps nothing in `taken`; the other private ranges
 * when the pool is full.
 */
export function allocatedAddressing(identity: string, name: string, taken: readonly Cidr[]): NetAddressing {
    for (const poolText of POOLS) {
        const pool = parseCidr(poolText);
        for (let attempt = 0; attempt < 64; attempt++) {
            const subnet = allocateSubnet(`${identity}/${name}${attempt === 0 ? "" : `#${attempt}`}`, pool, DEFAULT_PREFIX_LENGTH);
            if (!subnet || taken.some((other) => cidrsOverlap(other, subnet)) || cidrsOverlap(subnet, DOCKER0)) continue;
            return { subnet: canonicalCidr(subnet), plan: { subnet, gateway: defaultGateway(subnet), gatewayDefaulted: true, auxAddresses: new Map() }, keptSource: false };
        }
    }
    throw new UserError(`no free /${DEFAULT_PREFIX_LENGTH} for net ${name} in ${POOLS.join(", ")} clear of the source's subnets: pin its subnet in the source, or edit the program`);
}
