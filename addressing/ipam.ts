/**
 * Docker's IPAM rules, in one place: which gateway a block gets, which
 * addresses Docker keeps for itself, which block an address belongs to and
 * where a static address may go, on parsed addresses. The components'
 * address plan asks this module directly; the rules, the predicted addresses
 * of an offline preview and the command-line reader ask it through
 * `topology/ipamBlocks.ts` (the same questions of a network's blocks as
 * written, values possibly unknown), so that a fix to Docker's semantics is
 * made once.
 *
 * What Docker does (libnetwork, default IPAM driver):
 * - each block's pool reserves its network address (IPv4 except /31 and /32;
 *   IPv6 always: the subnet-router anycast address) and, for IPv4 wider than
 *   /31, its broadcast address;
 * - without a written gateway the driver allocates one: the lowest free
 *   address of the ip range when one is given, else of the subnet (so the
 *   subnet's first host for an ordinary block);
 * - aux addresses are reserved after the gateway: containers never get them;
 * - a static address goes to the block whose subnet holds it;
 * - a block without a subnet is an IPv4 block whose subnet comes from the
 *   daemon's default pools.
 */
import { Cidr, IpAddress, cidrContainsCidr, cidrContainsIp, formatIp, isNetworkOrBroadcast } from "./cidr";

/** One IPAM block with its known, well-formed parts parsed. */
export interface AddressPlan {
    readonly subnet: Cidr;
    /** The dynamic range, when one is given (and well formed). */
    readonly ipRange?: Cidr;
    /** The gateway Docker uses: the written one, else its own choice ({@link defaultGateway}); undefined when unknown. */
    readonly gateway?: IpAddress;
    /** True when nobody wrote the gateway and Docker picks it. */
    readonly gatewayDefaulted: boolean;
    /** Reserved (aux) addresses by value, with the host name they are reserved for. */
    readonly auxAddresses: ReadonlyMap<bigint, string>;
}

/** True when Docker keeps the address for itself: the network address or, for IPv4, the broadcast address. */
export function isReservedByDocker(subnet: Cidr, ip: IpAddress): boolean {
    return isNetworkOrBroadcast(subnet, ip);
}

/**
 * The gateway Docker allocates when none is written: the lowest address of
 * the ip range (or, without one, of the subnet) that it does not reserve.
 * Undefined when no address is left.
 */
export function defaultGateway(subnet: Cidr, ipRange?: Cidr): IpAddress | undefined {
    const range = ipRange && ipRange.version === subnet.version && cidrContainsCidr(subnet, ipRange) ? ipRange : subnet;
    // The reserved addresses are at the two ends of the subnet: at most two steps are skipped.
    for (let value = range.first; value <= range.last && value <= range.first + 2n; value++) {
        const ip = { text: formatIp(value, subnet.version), version: subnet.version, value };
        if (!isReservedByDocker(subnet, ip)) return ip;
    }
    return undefined;
}

/**
 * Docker 20.10's allocator keeps a block's addresses in a bit map of at most
 * 2^64 - 1 bits (libnetwork counts a /64 or wider IPv6 subnet's addresses in
 * a uint64, where 2^64 wraps to 0, and takes one off): it hands out nothing
 * from an ip range that reaches past the map. The range's offsets in the
 * subnet, `[first, last]`, when it does; undefined otherwise.
 */
export function rangePastAllocatorBitmap(subnet: Cidr, ipRange: Cidr): readonly [bigint, bigint] | undefined {
    const hostBits = BigInt((subnet.version === 4 ? 32 : 128) - subnet.prefix);
    const size = subnet.version === 6 && hostBits >= 64n ? (1n << 64n) - 1n : 1n << hostBits;
    const first = ipRange.first - subnet.first;
    const last = ipRange.last - subnet.first;
    return cidrContainsCidr(subnet, ipRange) && last >= size ? [first, last] : undefined;
}

/** Why a static address cannot go where it is asked for. */
export type StaticAddressProblem =
    | { readonly kind: "gateway"; readonly gateway: IpAddress; readonly defaulted: boolean }
    | { readonly kind: "network" | "broadcast"; readonly subnet: Cidr }
    | { readonly kind: "aux"; readonly host: string }
    | { readonly kind: "dynamic-range"; readonly ipRange: Cidr };

/**
 * What keeps a static address inside `plan.subnet` from being a container's:
 * the gateway, an address Docker reserves, an aux address, or the dynamic
 * range (Docker may hand it to another container first). Undefined when it
 * may go there. The caller checks that the subnet holds the address.
 */
export function staticAddressProblem(plan: AddressPlan, ip: IpAddress): StaticAddressProblem | undefined {
    const { subnet, gateway, ipRange } = plan;
    if (gateway && gateway.version === ip.version && gateway.value === ip.value) {
        return { kind: "gateway", gateway, defaulted: plan.gatewayDefaulted };
    }
    if (isReservedByDocker(subnet, ip)) return { kind: ip.value === subnet.first ? "network" : "broadcast", subnet };
    const host = ip.version === subnet.version ? plan.auxAddresses.get(ip.value) : undefined;
    if (host !== undefined) return { kind: "aux", host };
    if (ipRange && cidrContainsIp(ipRange, ip)) return { kind: "dynamic-range", ipRange };
    return undefined;
}

/**
 * Hands out dynamic addresses as Docker's IPAM would, lowest first: from the
 * ip range (or the subnet), skipping reserved, aux and taken addresses.
 */
export class AddressAllocator {
    private readonly taken = new Set<bigint>();

    constructor(readonly plan: AddressPlan) {
        if (plan.gateway) this.taken.add(plan.gateway.value);
        for (const value of plan.auxAddresses.keys()) this.taken.add(value);
    }

    /** Records a static address so that no dynamic one is handed out on it. */
    claim(ip: IpAddress): void {
        this.taken.add(ip.value);
    }

    /** The next free dynamic address, or undefined when the range is exhausted. */
    next(): IpAddress | undefined {
        const { subnet } = this.plan;
        const range = this.plan.ipRange && cidrContainsCidr(subnet, this.plan.ipRange) ? this.plan.ipRange : subnet;
        for (let value = range.first; value <= range.last; value++) {
            const ip = { text: formatIp(value, subnet.version), version: subnet.version, value };
            if (this.taken.has(value) || isReservedByDocker(subnet, ip)) continue;
            this.taken.add(value);
            return ip;
        }
        return undefined;
    }
}
