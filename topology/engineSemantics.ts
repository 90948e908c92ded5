/**
 * Which Docker judges a topology. Docker's networking changed between the
 * 20.10 engine (2021, Debian 12's docker.io) and today's (28 and 29), and a
 * verdict depends on it: each difference below is one function of the
 * semantics, so that readers and rules ask, never guess.
 *
 * Known semantics: "20" (20.10.x) and "29" (28.x and 29.x behave alike in
 * every fact here). Another version is judged with the nearest known one,
 * and the caller is told so.
 */

export type EngineSemantics = "20" | "29";

/** What a preview assumes when nothing says otherwise: the Docker users run today. */
export const DEFAULT_SEMANTICS: EngineSemantics = "29";

/** The engine a document was judged for: its version (as reported, or the family a preview assumed) and the semantics used. */
export interface EngineInfo {
    readonly version: string;
    readonly semantics: EngineSemantics;
}

/** The family a preview assumes for `--docker-version 20|29` or `netguard:dockerVersion`. */
export function assumedEngine(semantics: EngineSemantics): EngineInfo {
    return { version: semantics === "20" ? "20.10.x" : "29.x", semantics };
}

/** Parses `20` or `29` (as a flag or config value gives it); undefined for anything else. */
export function parseSemantics(text: string): EngineSemantics | undefined {
    const major = /^(\d+)(?:\.\d+)*(?:\.x)?$/.exec(text.trim())?.[1];
    return major === "20" || major === "29" ? major : undefined;
}

/**
 * The semantics for an engine that reports `version` (e.g. `29.9.0`,
 * `20.10.24+dfsg1`), and a warning when it is neither family we know: the
 * nearest major wins (a tie goes to the newer), and 28.x counts as 29.
 */
export function engineOfVersion(version: string | null): { engine: EngineInfo; warning?: string } {
    const major = Number(/^(\d+)\./.exec(version ?? "")?.[1]);
    if (!Number.isInteger(major)) {
        return {
            engine: { version: version ?? "unknown", semantics: DEFAULT_SEMANTICS },
            warning: `the engine reports no version we can read (${JSON.stringify(version)}): judged with Docker ${DEFAULT_SEMANTICS}'s semantics`,
        };
    }
    if (major === 20 || major === 28 || major === 29) return { engine: { version: version as string, semantics: major === 20 ? "20" : "29" } };
    const semantics: EngineSemantics = Math.abs(major - 20) < Math.abs(major - 29) ? "20" : "29";
    return {
        engine: { version: version as string, semantics },
        warning: `Docker ${version} is neither 20.10 nor 28/29, the engines netguard knows: judged with Docker ${semantics}'s semantics, the nearest`,
    };
}

/**
 * `com.docker.network.bridge.gateway_mode_ipv4` / `_ipv6` (Docker 28+): in
 * `routed` and `nat-unprotected` mode a bridge network's containers are
 * reached at their own addresses from outside the host, with no NAT (which
 * ports: {@link portsReachedAtContainerAddress}). Docker 20.10 ignores the
 * option without a word.
 */
export const GATEWAY_MODE_OPTIONS = ["com.docker.network.bridge.gateway_mode_ipv4", "com.docker.network.bridge.gateway_mode_ipv6"] as const;
const DIRECTLY_ROUTED_MODES = new Set(["routed", "nat-unprotected"]);

export function gatewayModeRoutesDirectly(semantics: EngineSemantics, mode: string | undefined): boolean {
    return semantics !== "20" && mode !== undefined && DIRECTLY_ROUTED_MODES.has(mode);
}

/**
 * Which ports of a bridge network's containers a host that routes to the
 * network's subnet through the Docker host reaches at the containers' own
 * addresses (measured on 20.10.24 and 29.9, with `-p PORT`). 20.10 ignores
 * the gateway mode, and its packet filter lets any forwarded packet to a
 * published container port through: the published ports, in every mode. 28+ drops traffic to container addresses from outside in
 * `nat` mode; `routed` opens only the published ports; `nat-unprotected`
 * opens every port.
 */
export function portsReachedAtContainerAddress(semantics: EngineSemantics, mode: string | undefined): "none" | "published" | "all" {
    if (semantics === "20") return "published";
    if (mode === "nat-unprotected") return "all";
    return mode === "routed" ? "published" : "none";
}

/**
 * A container on one network connecting to a port published on a host
 * address: with the userland proxy on (Docker's default), docker-proxy
 * answers it on both engines; with it off, 28+ forwards it (hairpin NAT from
 * a bridge) and 20.10 does not. Both test engines run with the proxy on.
 */
export function publishedPortReachableFromOtherNetwork(semantics: EngineSemantics, userlandProxy: boolean): boolean {
    return userlandProxy || semantics !== "20";
}

/**
 * An internal network's containers and the host (measured): on 20.10 they
 * keep a default route through the bridge's gateway and reach the host's
 * other addresses; 28+ gives them no default route. The model holds
 * `@host` → containers only, so this fact is not in its matrices yet.
 */
export function internalNetworkRoutesToHost(semantics: EngineSemantics): boolean {
    return semantics === "20";
}

/** `--ipv4=false` (Docker 28+) makes an IPv6-only network; 20.10 ignores it and still gives the network an IPv4 subnet. */
export function honoursIpv4Disabled(semantics: EngineSemantics): boolean {
    return semantics !== "20";
}

/** `--ipv6` without an IPv6 subnet: Docker 29 picks a ULA /64 from its pools; 20.10 refuses to create the network. */
export function acceptsIpv6WithoutSubnet(semantics: EngineSemantics): boolean {
    return semantics !== "20";
}


/**
 * An IPv6 block written without `--ipv6` (measured): 20.10 keeps it in the
 * network's IPAM config (IPv6 stays off); 28+ drops it.
 */
export function keepsIpv6BlockWithoutIpv6(semantics: EngineSemantics): boolean {
    return semantics === "20";
}

/**
 * How the engine stores the addresses a command writes (subnets, ranges,
 * gateways, aux and static addresses), measured: 20.10 keeps the text as
 * written (`fd00:1:0::5`); 28+ parses it and keeps the canonical spelling
 * (`fd00:1::5`).
 */
export function storesCanonicalAddresses(semantics: EngineSemantics): boolean {
    return semantics !== "20";
}

/**
 * 20.10 allocates from a bit map of at most 2^64 - 1 addresses per block
 * (`rangePastAllocatorBitmap`): with IPv6 on, an ip range that ends at a /64
 * subnet's last address cannot give the network its gateway (create is
 * refused) nor a container its dynamic address (start is refused). 28+
 * allocates from the whole range.
 */
export function allocatorBitmapLimited(semantics: EngineSemantics): boolean {
    return semantics === "20";
}

/**
 * A static IPv6 address on a network without IPv6 on (measured, `--ip6` and
 * Compose's `ipv6_address`): 20.10 keeps it in the endpoint's settings but
 * never allocates it, so never checks it; 28+ has dropped the network's IPv6
 * block and refuses the address ("no configured subnet contains IP address").
 */
export function checksIpv6AddressWithoutIpv6(semantics: EngineSemantics): boolean {
    return semantics !== "20";
}
