/**
 * What Docker refuses from a command's own words, before any state: the
 * docker CLI's checks of its flags, and the daemon's first checks of a
 * container's network mode. The simulated engine (engineModel.ts) applies
 * them, then the checks that need what the script built so far.
 */
import { NetworkFlag } from "./dockerCliArgs";
import { tryParseCidr, tryParseIp, cidrContainsIp, cidrsOverlap, Cidr } from "../../addressing/cidr";
import { Maybe, isKnown } from "../../topology/model";

/** The networks every engine has (`default` is the CLI's name for the default bridge). */
export const BUILTIN_NETWORKS: ReadonlySet<string> = new Set(["default", "bridge", "host", "none"]);

/** Docker's `NetworkMode.IsUserDefined`: not the default bridge, host, none or another container's namespace. */
export function isUserDefinedNetwork(reference: string): boolean {
    return !BUILTIN_NETWORKS.has(reference) && !reference.startsWith("container:");
}

// ---------------------------------------------------------------------------
// The docker CLI's refusals (before the daemon sees the command)

/** `docker network create`'s IPAM flags as the CLI consolidates them (`consolidateIpam`); undefined when it accepts them or cannot be judged. */
export function ipamFlagsRefusal(subnets: readonly Maybe<string>[], ranges: readonly Maybe<string>[], gateways: readonly Maybe<string>[], aux: readonly Maybe<string>[]): string | undefined {
    const all = [...subnets, ...ranges, ...gateways, ...aux];
    if (!all.every(isKnown)) return undefined;
    if (subnets.length < ranges.length || subnets.length < gateways.length) return "every ip-range or gateway must have a corresponding subnet";
    const cidrs: Cidr[] = [];
    for (const text of subnets as string[]) {
        const cidr = tryParseCidr(text);
        if (cidr === undefined) return undefined;
        if (cidrs.some((other) => other.version === cidr.version && cidrsOverlap(other, cidr))) return "multiple overlapping subnet configuration is not supported";
        cidrs.push(cidr);
    }
    // An address (or a range's first address) matches every subnet that holds it.
    const matching = (text: string) => {
        const ip = tryParseIp(text.split("/")[0]);
        return ip === undefined ? undefined : cidrs.map((cidr, i) => (cidr.version === ip.version && cidrContainsIp(cidr, ip) ? i : -1)).filter((i) => i >= 0);
    };
    const claim = (values: readonly string[], what: string, taken: string): string | undefined => {
        const owner = new Map<number, string>();
        for (const value of values) {
            const found = matching(value);
            if (found === undefined) return undefined;
            if (found.length === 0) return `no matching subnet for ${what} ${value}`;
            for (const i of found) {
                if (owner.has(i)) return `cannot configure multiple ${taken} (${value}, ${owner.get(i)}) ${what === "range" ? "on" : "for"} the same subnet (${String(subnets[i])})`;
                owner.set(i, value);
            }
        }
        return undefined;
    };
    return claim(ranges as string[], "range", "ranges") ?? claim(gateways as string[], "gateway", "gateways") ?? (aux as string[]).map((a) => (matching(a)?.length === 0 ? `no matching subnet for aux-address ${a}` : undefined)).find((m) => m !== undefined);
}

/** What `docker run`/`create` asks of its networks. */
export interface RunNetworking {
    readonly specs: readonly NetworkFlag[];
    readonly ip?: Maybe<string>;
    readonly ip6?: Maybe<string>;
    readonly aliases: readonly string[];
}

/** The CLI's checks of `--network` and the flags that apply to the first network (`parseNetworkOpts`). */
export function runNetworkingRefusal({ specs, ip, ip6, aliases }: RunNetworking): string | undefined {
    const first = specs[0]?.reference ?? "default";
    if (!isKnown(first)) return undefined;
    const aliased = [{ reference: first, aliases }, ...specs].filter((spec) => spec.aliases.length > 0);
    if (aliased.some((spec) => isKnown(spec.reference) && !isUserDefinedNetwork(spec.reference))) return "network-scoped aliases are only supported for user-defined networks";
    if (specs.length > 0) {
        if (specs[0].aliases.length > 0 && aliases.length > 0) return "conflicting options: cannot specify both --network-alias and per-network alias";
        if (specs[0].ip !== undefined && ip !== undefined) return "conflicting options: cannot specify both --ip and per-network IPv4 address";
        if (specs[0].ip6 !== undefined && ip6 !== undefined) return "conflicting options: cannot specify both --ip6 and per-network IPv6 address";
    }
    const seen = new Set<string>();
    for (const spec of specs) {
        if (!isKnown(spec.reference)) return undefined;
        if (seen.has(spec.reference)) return `network ${JSON.stringify(spec.reference)} is specified multiple times`;
        seen.add(spec.reference);
    }
    const user = specs.filter((spec) => isUserDefinedNetwork(spec.reference as string)).length;
    if (user > 0 && user < specs.length) return "conflicting options: cannot attach both user-defined and non-user-defined network-modes";
    return undefined;
}

/** What `docker run`/`create` asks of the daemon that the container node does not keep. */
export interface CreateRequest {
    /** How many `--network` endpoints the request names (20.10's API takes one). */
    readonly endpoints: number;
    /** Static addresses written for a namespace mode (host, none, `container:`), which has no attachment to hold them. */
    readonly namespaceAddresses: readonly Maybe<string>[];
    /** `-p` or `-P`. */
    readonly publishes: boolean;
}
