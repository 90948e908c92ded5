/**
 * CIDR and address arithmetic for the rule core and the components.
 *
 * Parsing and formatting go through `ipaddr.js`; a parsed block is kept as an
 * inclusive range of bigints so that containment, overlap and allocation are
 * plain comparisons for IPv4 and IPv6 alike.
 */
import * as ipaddr from "ipaddr.js";

export type IpVersion = 4 | 6;

/** A parsed CIDR block. `first`/`last` are the network and last address of the block. */
export interface Cidr {
    /** The text as written, e.g. `10.20.1.0/24`. */
    readonly text: string;
    readonly version: IpVersion;
    readonly prefix: number;
    readonly first: bigint;
    readonly last: bigint;
    /** True when the written address is not the network address (e.g. `10.0.0.5/24`). */
    readonly hostBitsSet: boolean;
}

/** A parsed single address. */
export interface IpAddress {
    readonly text: string;
    readonly version: IpVersion;
    readonly value: bigint;
}

/** Thrown for text that is not a CIDR block or an address; the message says why. */
export class AddressSyntaxError extends Error {}

function bitsOf(version: IpVersion): number {
    return version === 4 ? 32 : 128;
}

function toBigInt(addr: ipaddr.IPv4 | ipaddr.IPv6): bigint {
    return addr.toByteArray().reduce((acc, byte) => (acc << 8n) | BigInt(byte), 0n);
}

/** Formats a numeric address of the given version back to text. */
export function formatIp(value: bigint, version: IpVersion): string {
    const bytes: number[] = [];
    for (let i = 0; i < bitsOf(version) / 8; i++) {
        bytes.unshift(Number(value & 0xffn));
        value >>= 8n;
    }
    return ipaddr.fromByteArray(bytes).toString();
}

/** Parses one address (IPv4 in dotted-quad form only, IPv6 in any standard form). */
export function parseIp(text: string): IpAddress {
    const trimmed = typeof text === "string" ? text.trim() : "";
    if (!ipaddr.IPv4.isValidFourPartDecimal(trimmed) && !(trimmed.includes(":") && ipaddr.IPv6.isValid(trimmed))) {
        throw new AddressSyntaxError(`"${text}" is not an IP address`);
    }
    const addr = ipaddr.parse(trimmed);
    return { text: trimmed, version: addr.kind() === "ipv4" ? 4 : 6, value: toBigInt(addr) };
}

/** Parses a CIDR block such as `10.20.1.0/24`; throws {@link AddressSyntaxError}. */
export function parseCidr(text: string): Cidr {
    const trimmed = typeof text === "string" ? text.trim() : "";
    const slash = trimmed.indexOf("/");
    if (slash < 0) {
        throw new AddressSyntaxError(`"${text}" is not a CIDR block (expected address/prefix, e.g. 10.20.1.0/24)`);
    }
    const ip = parseIp(trimmed.slice(0, slash));
    const prefixText = trimmed.slice(slash + 1);
    const prefix = Number(prefixText);
    const bits = bitsOf(ip.version);
    if (!/^\d{1,3}$/.test(prefixText) || prefix > bits) {
        throw new AddressSyntaxError(`"${text}" has an invalid prefix length "${prefixText}" (0-${bits})`);
    }
    const hostBits = BigInt(bits - prefix);
    const first = (ip.value >> hostBits) << hostBits;
    const last = first + (1n << hostBits) - 1n;
    return { text: trimmed, version: ip.version, prefix, first, last, hostBitsSet: first !== ip.value };
}

/** Parses, returning undefined instead of throwing: for rules that judge text they did not write. */
export function tryParseCidr(text: string): Cidr | undefined {
    try {
        return parseCidr(text);
    } catch {
        return undefined;
    }
}

export function tryParseIp(text: string): IpAddress | undefined {
    try {
        return parseIp(text);
    } catch {
        return undefined;
    }
}

/**
 * An address's canonical spelling (RFC 5952 for IPv6: `fd00:1:0::5` is
 * `fd00:1::5`); text that is not an address is returned as written.
 */
export function canonicalIpText(text: string): string {
    const ip = tryParseIp(text);
    return ip === undefined ? text : formatIp(ip.value, ip.version);
}

/** A block's address spelled canonically, host bits and prefix kept as written; other text as written. */
export function canonicalCidrText(text: string): string {
    const cidr = tryParseCidr(text);
    return cidr === undefined ? text : `${canonicalIpText(text.trim().slice(0, text.trim().indexOf("/")))}/${cidr.prefix}`;
}

/** The canonical form of a block: its network address and prefix. */
export function canonicalCidr(cidr: Cidr): string {
    return `${formatIp(cidr.first, cidr.version)}/${cidr.prefix}`;
}

export function cidrContainsIp(cidr: Cidr, ip: IpAddress): boolean {
    return cidr.version === ip.version && ip.value >= cidr.first && ip.value <= cidr.last;
}

export function cidrContainsCidr(outer: Cidr, inner: Cidr): boolean {
    return outer.version === inner.version && inner.first >= outer.first && inner.last <= outer.last;
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
    return a.version === b.version && a.first <= b.last && b.first <= a.last;
}

/** Number of addresses in the block. */
export function cidrSize(cidr: Cidr): bigint {
    return cidr.last - cidr.first + 1n;
}

/**
 * True when the address is the block's network address or, for IPv4, its
 * broadcast address: neither can be given to a container or a gateway.
 */
export function isNetworkOrBroadcast(cidr: Cidr, ip: IpAddress): boolean {
    if (cidr.version === 4 && cidr.prefix >= 31) return false; // point-to-point blocks have no such addresses
    return ip.value === cidr.first || (cidr.version === 4 && ip.value === cidr.last);
}

/**
 * The `index`-th block of length `prefix` inside `pool`, or undefined when the
 * pool has fewer such blocks. Used by the subnet allocator.
 */
export function subnetAt(pool: Cidr, prefix: number, index: bigint): Cidr | undefined {
    const bits = bitsOf(pool.version);
    if (prefix < pool.prefix || prefix > bits || index < 0n) return undefined;
    const count = 1n << BigInt(prefix - pool.prefix);
    if (index >= count) return undefined;
    const first = pool.first + (index << BigInt(bits - prefix));
    return parseCidr(`${formatIp(first, pool.version)}/${prefix}`);
}

/** How many blocks of length `prefix` fit in `pool`. */
export function subnetCount(pool: Cidr, prefix: number): bigint {
    return prefix < pool.prefix ? 0n : 1n << BigInt(prefix - pool.prefix);
}

/** RFC 1918 private IPv4 space and IPv6 unique-local space. */
export const PRIVATE_RANGES: readonly string[] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"];

/** True when the block lies entirely inside one of the given ranges. */
export function cidrInsideAny(cidr: Cidr, ranges: readonly Cidr[]): boolean {
    return ranges.some((range) => cidrContainsCidr(range, cidr));
}
