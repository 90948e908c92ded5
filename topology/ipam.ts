/**
 * Docker's IPAM rules, in one place: which gateway a block gets, which
 * addresses Docker keeps for itself, which block an address belongs to and
 * where a static address may go. The components' address plan, the rules,
 * the predicted addresses of an offline preview and the command-line adapter
 * all ask this module, so that a fix to Docker's semantics is made once.
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
import { Cidr, IpAddress, cidrContainsCidr, cidrContainsIp, formatIp, isNetworkOrBroadcast, tryParseCidr, tryParseIp } from "./cidr";
import { IpamBlock, Maybe, UNKNOWN, isKnown } from "./model";

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

type Unknowable = typeof UNKNOWN;

/** Parses a text that may be absent or unknown; `UNKNOWN` for unknown, undefined for absent or malformed. */
function parseMaybe<T>(text: Maybe<string> | undefined, parse: (text: string) => T | undefined): T | Unknowable | undefined {
    if (text === undefined) return undefined;
    if (!isKnown(text)) return UNKNOWN;
    return parse(text);
}

/**
 * The address plan of a block as written, or `UNKNOWN` when its subnet is
 * unknown, or undefined when it has no well-formed subnet (Docker then takes
 * one from its pools, or refuses the block: other rules say which).
 */
export function planOfBlock(block: IpamBlock): AddressPlan | Unknowable | undefined {
    const subnet = parseMaybe(block.subnet, tryParseCidr);
    // Two returns, not `return subnet`: without strictNullChecks (Pulumi's TypeScript
    // loading when the program's folder has no tsconfig.json) that narrowing is lost.
    if (subnet === undefined) return undefined;
    if (subnet === UNKNOWN) return UNKNOWN;
    const ipRange = parseMaybe(block.ipRange, tryParseCidr);
    const written = parseMaybe(block.gateway, tryParseIp);
    const auxAddresses = new Map<bigint, string>();
    for (const [host, text] of Object.entries(block.auxAddresses)) {
        const ip = parseMaybe(text, tryParseIp);
        if (ip !== undefined && ip !== UNKNOWN && ip.version === subnet.version) auxAddresses.set(ip.value, host);
    }
    let gateway: IpAddress | undefined;
    if (block.gateway !== undefined) gateway = written === UNKNOWN ? undefined : written;
    // An unknown ip range leaves Docker's own choice unknown too.
    else if (ipRange !== UNKNOWN) gateway = defaultGateway(subnet, ipRange);
    return {
        subnet,
        ipRange: ipRange === UNKNOWN ? undefined : ipRange,
        gateway,
        gatewayDefaulted: block.gateway === undefined,
        auxAddresses,
    };
}

/**
 * The gateway of a block as Docker will have it: the written text, Docker's
 * choice when only the subnet is written, `UNKNOWN` when that depends on an
 * unknown value, undefined when there is no subnet to take it from.
 */
export function effectiveGatewayText(block: IpamBlock): Maybe<string> | undefined {
    if (block.gateway !== undefined) return block.gateway;
    const plan = planOfBlock(block);
    if (plan === UNKNOWN) return UNKNOWN;
    if (plan === undefined) return undefined;
    return plan.gateway?.text ?? (block.ipRange !== undefined && !isKnown(block.ipRange) ? UNKNOWN : undefined);
}

/** The IP version of a block as Docker files it: by its subnet, IPv4 when it has none; undefined when unknown or malformed. */
export function blockVersion(block: IpamBlock): 4 | 6 | undefined {
    if (block.subnet === undefined) return 4;
    if (!isKnown(block.subnet)) return undefined;
    return tryParseCidr(block.subnet)?.version;
}

/**
 * The block a network's IPv4 addressing comes from: the first IPv4 block
 * that writes its subnet, else one whose subnet is not known yet, else one
 * without a subnet, else undefined (an IPv6-only config, or none: Docker
 * then takes an IPv4 subnet from its default pools).
 */
export function ipv4Block(blocks: readonly IpamBlock[]): IpamBlock | undefined {
    return (
        blocks.find((block) => block.subnet !== undefined && blockVersion(block) === 4) ??
        blocks.find((block) => block.subnet !== undefined && !isKnown(block.subnet)) ??
        blocks.find((block) => block.subnet === undefined)
    );
}

/** How many blocks Docker files as IPv4 for certain (a block without subnet is one; an unknown subnet is not counted). */
export function knownIpv4BlockCount(blocks: readonly IpamBlock[]): number {
    return blocks.filter((block) => blockVersion(block) === 4).length;
}

/** True when the CIDR text `outer` holds `inner`, an address or a block; false when either is unknown or malformed. */
export function cidrTextHolds(outer: Maybe<string> | undefined, inner: Maybe<string> | undefined): boolean {
    if (outer === undefined || inner === undefined || !isKnown(outer) || !isKnown(inner)) return false;
    const subnet = tryParseCidr(outer);
    if (!subnet) return false;
    const ip = tryParseIp(inner);
    if (ip) return cidrContainsIp(subnet, ip);
    const block = tryParseCidr(inner);
    return block !== undefined && cidrContainsCidr(subnet, block);
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

/** Where a static address lands among a network's blocks. */
export type StaticPlacement =
    | { readonly kind: "inside"; readonly plan: AddressPlan; readonly problem?: StaticAddressProblem }
    /** No block's subnet holds it; `subnets` as written. */
    | { readonly kind: "outside"; readonly subnets: readonly string[] }
    /** No block configures a subnet of the address's version: Docker accepts static addresses only there. */
    | { readonly kind: "no-subnet" }
    /** Cannot tell: a subnet is unknown or malformed. */
    | { readonly kind: "undecidable" };

/**
 * Places a static address among a network's blocks, as Docker does: in the
 * block whose subnet holds it. Docker takes a static address only on a
 * network with a configured subnet of its IP version.
 */
export function placeStaticAddress(blocks: readonly IpamBlock[], ip: IpAddress): StaticPlacement {
    const candidates = blocks.filter((block) => block.subnet !== undefined && blockVersion(block) !== (ip.version === 4 ? 6 : 4));
    if (candidates.length === 0) return { kind: "no-subnet" };
    let undecidable = false;
    for (const block of candidates) {
        const plan = planOfBlock(block);
        if (plan === undefined || plan === UNKNOWN) {
            undecidable = true;
            continue;
        }
        if (cidrContainsIp(plan.subnet, ip)) return { kind: "inside", plan, problem: staticAddressProblem(plan, ip) };
    }
    if (undecidable) return { kind: "undecidable" };
    return { kind: "outside", subnets: candidates.map((block) => String(block.subnet)) };
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
