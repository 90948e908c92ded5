/**
 * What a reviewer asks first, from a diff's two sides: new paths to the
 * targets the pack's `docker-forbidden-flows` deny list names (directly or
 * through one intermediate container, the two hops a dual-homed container
 * makes), new bridges between networks, and overlay networks whose traffic
 * between nodes is no longer encrypted.
 */
import { ForbiddenFlowsConfig } from "../../../policies/rules/docker-forbidden-flows";
import { ContainerNode } from "../../../topology/model";
import { ContainerEntry, NetworkEntry, PreviewDocument } from "../../../document/previewDocument";
import { chosenNetworks } from "../../render/attachments";
import { isUnencryptedOverlay } from "../../render/swarm";

/** A path from `from` to a sensitive `to`, through `via` when it takes two hops. */
export interface SensitivePath {
    readonly from: string;
    readonly via: string | null;
    readonly to: string;
    /** The deny entry that names it, as written: `from GLOB to GLOB`. */
    readonly deny: string;
}

/** A container that now joins two networks no container of the base joined. */
export interface NewBridge {
    readonly container: string;
    readonly networks: readonly [string, string];
    readonly declared: boolean;
}

/** Paths listed before the rest are counted: enough to act on, bounded on a big host. */
export const MAX_SENSITIVE_PATHS = 200;
/** Candidate (source, hub, target) checks before the search stops: a `*` to `*` deny list on a big host stays fast. */
const MAX_CHECKS = 5_000_000;

/** The names a container answers to, as the deny globs see them (the rule's own matchers take topology nodes). */
function asNode(container: ContainerEntry): ContainerNode {
    return {
        key: container.name,
        resource: container.name,
        name: container.name,
        dockerName: container.dockerName ?? undefined,
        attachments: container.attachments.map((attachment) => ({ reference: attachment.network, aliases: attachment.aliases, staticAddress: false })),
        links: [],
        declaredMultiHomed: container.dualHomed,
        origin: "container",
    };
}

function reachMap(document: PreviewDocument): Map<string, Set<string>> {
    const reach = new Map<string, Set<string>>();
    for (const pair of document.reachability) {
        const set = reach.get(pair.from);
        if (set) set.add(pair.to);
        else reach.set(pair.from, new Set([pair.to]));
    }
    return reach;
}

/** On several networks it chose (the routing mesh's endpoint of a publishing service is Docker's, no bridge). */
function isMultiHomed(container: ContainerEntry): boolean {
    return chosenNetworks(container).length >= 2;
}

/**
 * Paths in the head from a container a deny entry's `from` matches to one
 * its `to` matches, that the base did not have: direct pairs, and two hops
 * through a container on several networks (it is reached on one and reaches
 * the target on another). A two-hop path is listed only where no direct one is.
 */
export function newSensitivePaths(base: PreviewDocument, head: PreviewDocument, config: ForbiddenFlowsConfig): SensitivePath[] {
    if (config.deny.length === 0) return [];
    const before = reachMap(base);
    const after = reachMap(head);
    const reachedBefore = (from: string, to: string) => before.get(from)?.has(to) === true;
    const reachesNow = (from: string, to: string) => after.get(from)?.has(to) === true;
    const nodes = new Map(head.containers.map((container) => [container.name, asNode(container)]));
    const hubs = head.containers.filter(isMultiHomed).map((container) => container.name);
    const paths: SensitivePath[] = [];
    const seen = new Set<string>();
    const add = (path: SensitivePath) => {
        const key = `${path.from}\u0000${path.via ?? ""}\u0000${path.to}`;
        if (seen.has(key) || paths.length >= MAX_SENSITIVE_PATHS) return;
        seen.add(key);
        paths.push(path);
    };
    let checks = 0;
    const full = () => paths.length >= MAX_SENSITIVE_PATHS || checks >= MAX_CHECKS;
    for (const entry of config.deny) {
        const deny = `from ${entry.from} to ${entry.to}`;
        const targets = head.containers.filter((container) => entry.matchesTo(nodes.get(container.name)!)).map((container) => container.name);
        const sources = head.containers.filter((container) => entry.matchesFrom(nodes.get(container.name)!)).map((container) => container.name);
        for (const to of targets) {
            const hubsTo = hubs.filter((via) => reachesNow(via, to));
            for (const from of sources) {
                if (full()) return paths;
                if (from === to) continue;
                if (reachesNow(from, to)) {
                    if (!reachedBefore(from, to)) add({ from, via: null, to, deny });
                    continue;
                }
                for (const via of hubsTo) {
                    checks++;
                    if (via === from || via === to || !reachesNow(from, via)) continue;
                    const hadPath = reachedBefore(from, to) || (reachedBefore(from, via) && reachedBefore(via, to));
                    if (!hadPath) add({ from, via, to, deny });
                }
            }
        }
    }
    return paths;
}

/** Pairs of networks a container of the head joins that no container of the base joined, each pair once. */
export function newBridges(base: PreviewDocument, head: PreviewDocument): NewBridge[] {
    const pairsOf = (container: ContainerEntry): [string, string][] => {
        const networks = chosenNetworks(container).sort();
        return networks.flatMap((a, i) => networks.slice(i + 1).map((b): [string, string] => [a, b]));
    };
    const joined = new Set(base.containers.flatMap(pairsOf).map((pair) => JSON.stringify(pair)));
    const bridges: NewBridge[] = [];
    for (const container of head.containers) {
        // pairsOf gives each pair of a container's networks once.
        for (const pair of pairsOf(container)) {
            if (joined.has(JSON.stringify(pair))) continue;
            bridges.push({ container: container.name, networks: pair, declared: container.dualHomed });
        }
    }
    return bridges;
}

/** An overlay network of the head whose traffic between nodes is plain VXLAN where the base's was encrypted, or that is new and not encrypted. */
export interface UnencryptedOverlay {
    readonly network: string;
    /** `lost`: the base's network of that name was encrypted (or was not an overlay); `new`: the base had none. */
    readonly change: "lost" | "new";
}

/** Overlay networks of the head without encryption that the base did not have so: each a reviewer must see (CIS Docker Benchmark 7.4). */
export function unencryptedOverlays(base: PreviewDocument, head: PreviewDocument): UnencryptedOverlay[] {
    const before = new Map<string, NetworkEntry>(base.networks.map((network) => [network.name, network]));
    return head.networks.filter(isUnencryptedOverlay).flatMap((network): UnencryptedOverlay[] => {
        const old = before.get(network.name);
        if (old === undefined) return [{ network: network.name, change: "new" }];
        return isUnencryptedOverlay(old) ? [] : [{ network: network.name, change: "lost" }];
    });
}

