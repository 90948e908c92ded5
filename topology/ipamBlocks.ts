/**
 * Docker's IPAM rules (`addressing/ipam.ts`) asked of a network's IPAM
 * blocks as the topology has them: texts as written, any of them possibly
 * {@link UNKNOWN} during a preview. Which block is a network's IPv4 one,
 * the plan of a block, its effective gateway, where a static address lands.
 */
import { IpAddress, canonicalCidrText, canonicalIpText, cidrContainsCidr, cidrContainsIp, tryParseCidr, tryParseIp } from "../addressing/cidr";
import { AddressPlan, StaticAddressProblem, defaultGateway, staticAddressProblem } from "../addressing/ipam";
import { EngineSemantics, acceptsIpv6WithoutSubnet, keepsIpv6BlockWithoutIpv6 } from "./engineSemantics";
import { Attachment, IpamBlock, Maybe, UNKNOWN, isKnown } from "./model";

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

/**
 * IPv6 on with no IPv6 subnet written, on an engine that then refuses the
 * network (20.10 has no default IPv6 pool). A block whose subnet is absent
 * or not known yet leaves it undecided: false.
 */
export function refusesIpv6WithoutSubnet(semantics: EngineSemantics, ipv6: boolean, blocks: readonly IpamBlock[]): boolean {
    if (!ipv6 || acceptsIpv6WithoutSubnet(semantics)) return false;
    if (blocks.some((block) => block.subnet === undefined || !isKnown(block.subnet))) return false;
    return !blocks.some((block) => blockVersion(block) === 6);
}

/** The blocks an engine keeps, and the IPv6 ones it drops: 28+ keeps an IPv6 block only with IPv6 on. */
export function ipv6BlocksKept(semantics: EngineSemantics, ipv6: boolean, blocks: readonly IpamBlock[]): { kept: IpamBlock[]; dropped: IpamBlock[] } {
    const drops = (block: IpamBlock) => !ipv6 && !keepsIpv6BlockWithoutIpv6(semantics) && blockVersion(block) === 6;
    return { kept: blocks.filter((block) => !drops(block)), dropped: blocks.filter(drops) };
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
 * The check Docker runs on a static address in endpoint settings before it
 * allocates anything, even when the container already has an endpoint on the
 * network (the settings are then dropped): 20.10 wants a configured subnet of
 * the address's family, 28+ one that holds the address (measured on both).
 * Docker's words, or undefined when it passes or a subnet is unknown.
 */
export function endpointAddressRefusal(semantics: EngineSemantics, blocks: readonly IpamBlock[], address: string): string | undefined {
    const ip = tryParseIp(address);
    if (ip === undefined) return undefined;
    const placement = placeStaticAddress(blocks, ip);
    if (placement.kind === "no-subnet" && semantics === "20") return "user specified IP address is supported only when connecting to networks with user configured subnets";
    if (placement.kind === "no-subnet" || (placement.kind === "outside" && semantics !== "20")) return `no configured subnet contains IP address ${address}`;
    return undefined;
}

/** The given fields of `record` that hold known texts, in the spelling `canonical` gives (absent fields stay absent). */
function respelled<T extends object>(record: T, fields: readonly (keyof T)[], canonical: (text: string) => string): T {
    const copy = { ...record } as Record<string, unknown>;
    for (const field of fields) {
        const text = copy[field as string];
        if (typeof text === "string") copy[field as string] = canonical(text);
    }
    return copy as T;
}

/** A block as an engine that respells addresses keeps it (`storesCanonicalAddresses`), as does Compose when it creates a network. */
export function canonicalBlock(block: IpamBlock): IpamBlock {
    const auxAddresses = respelled(block.auxAddresses, Object.keys(block.auxAddresses), canonicalIpText);
    return { ...respelled(respelled(block, ["subnet", "ipRange"], canonicalCidrText), ["gateway"], canonicalIpText), auxAddresses };
}

/** An attachment's static addresses as an engine that respells addresses keeps them. */
export function canonicalAttachment(attachment: Attachment): Attachment {
    return respelled(attachment, ["ipv4Address", "ipv6Address"], canonicalIpText);
}

/**
 * The blocks Docker's IPAM allocates pools for, which are the ones that can
 * overlap another network's (measured on both engines: two networks with
 * IPv6 on and one IPv6 subnet are refused, "Pool overlaps"): every IPv4
 * block, and the IPv6 ones only with IPv6 on (20.10 keeps an IPv6 block
 * written without it, unallocated; 28+ drops it).
 */
export function allocatedBlocks(network: { readonly ipam: readonly IpamBlock[]; readonly ipv6?: boolean }): IpamBlock[] {
    return network.ipam.filter((block) => network.ipv6 === true || blockVersion(block) !== 6);
}
