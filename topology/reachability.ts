/**
 * Who can reach whom, predicted from the topology alone.
 *
 * Docker's model: two containers reach each other when they share a network
 * whose inter-container traffic is on; nothing is routed between networks.
 * On a user-defined network a member resolves the others by name (embedded
 * DNS); on the default bridge only by IP, except through a `--link`, which
 * gives the linking container (only) a name for its target. A container
 * in another's network namespace (`container:<other>`) reaches and is
 * reached as the other is.
 *
 * Swarm: a service is one node for all its tasks and reaches and is reached
 * like a container, over the overlay networks it shares with other services
 * and with plain containers on attachable overlays, by name (its name and
 * aliases: the virtual IP; `tasks.<name>`: each task). The routing mesh's
 * `ingress` network is the cluster's default network: like the default
 * bridge, its members have addresses there but no names.
 *
 * The host (`@host`, see hostNode.ts) reaches containers over their
 * bridges; a container in the host's network namespace reaches what the
 * host reaches. `@host` is the local engine's host: containers a command
 * runs on another engine (`engineHost`) are not its.
 */
import { ATTACHED, HOST_NODE_NAME, HasAddress, bridgesFromHost, inHostNamespace } from "./hostNode";
import { ContainerNode, Topology, containerNames, networksByKey, sameEngine } from "./model";
import { namespaceOwner } from "./sharedNamespaces";

/** One ordered pair: `from` can open a connection to `to`. */
export interface ReachablePair {
    /** Names as the topology gives them (logical names for Pulumi, Docker names for live state). */
    readonly from: string;
    readonly to: string;
    /** Names of the shared networks that carry the traffic, sorted. */
    readonly networks: string[];
    /** Whether `from` can resolve `to` by a name (not just its address). */
    readonly byName: boolean;
}

/** True when `from` has a legacy link to any name of `to`. */
function linksTo(from: ContainerNode, to: ContainerNode): boolean {
    if (from.links.length === 0) return false;
    const names = new Set(containerNames(to));
    return from.links.some((link) => names.has(link.target));
}

/** One reachable ordered pair of container nodes (for rules that need more than names). */
export interface ReachableContainers {
    readonly from: ContainerNode;
    readonly to: ContainerNode;
    /** Names of the shared networks that carry the traffic, sorted. */
    readonly networks: string[];
    readonly byName: boolean;
}

/** Every reachable ordered pair of containers, unsorted. Cost is linear in the number of pairs. */
export function reachableContainers(topology: Topology): ReachableContainers[] {
    const membersByNetwork = new Map<string, ContainerNode[]>();
    const byKey = new Map(topology.containers.map((container) => [container.key, container]));
    for (const container of topology.containers) {
        const seen = new Set<string>();
        // A container in another's namespace (`container:<other>`) is on the other's networks.
        for (const attachment of namespaceOwner(container, byKey).attachments) {
            if (attachment.network === undefined || seen.has(attachment.network)) continue;
            seen.add(attachment.network);
            const members = membersByNetwork.get(attachment.network) ?? [];
            members.push(container);
            membersByNetwork.set(attachment.network, members);
        }
    }

    const pairs = new Map<string, { from: ContainerNode; to: ContainerNode; networks: Set<string>; byName: boolean }>();
    for (const network of topology.networks) {
        const members = membersByNetwork.get(network.key);
        if (!members || !network.interContainer) continue;
        for (const from of members) {
            for (const to of members) {
                if (from === to) continue;
                const id = `${from.key}\u0000${to.key}`;
                const pair = pairs.get(id) ?? { from, to, networks: new Set<string>(), byName: false };
                pair.networks.add(network.name);
                pair.byName ||= !(network.defaultBridge || network.ingress === true) || linksTo(from, to);
                pairs.set(id, pair);
            }
        }
    }
    return [...pairs.values()].map((pair) => ({ ...pair, networks: [...pair.networks].sort() })).concat(pairsFromHostNamespace(topology, byKey));
}

/** A container in the host's namespace (`host` mode, or `container:` of one) reaches, by IP only, whatever the host reaches. */
function pairsFromHostNamespace(topology: Topology, byKey: ReadonlyMap<string, ContainerNode>): ReachableContainers[] {
    const sources = topology.containers.filter((container) => inHostNamespace(namespaceOwner(container, byKey)));
    if (sources.length === 0) return [];
    const networks = networksByKey(topology);
    const targets = topology.containers.map((to) => ({ to, via: bridgesFromHost(to, networks, ATTACHED) })).filter(({ via }) => via.length > 0);
    return sources.flatMap((from) => targets.filter(({ to }) => to !== from && sameEngine(from, to)).map(({ to, via }) => ({ from, to, networks: via, byName: false })));
}

/** Pairs `@host` → each container of the local engine `running` says runs (a remote host's are not this host's), over the bridges it has an address on (see hostNode.ts); sorted by target. */
export function reachabilityFromHost(topology: Topology, running: (container: ContainerNode) => boolean = () => true, hasAddress: HasAddress = ATTACHED): ReachablePair[] {
    const networks = networksByKey(topology);
    return topology.containers
        .filter((container) => container.engineHost === undefined && running(container))
        .map((container) => ({ from: HOST_NODE_NAME, to: container.name, networks: bridgesFromHost(container, networks, hasAddress), byName: false }))
        .filter((pair) => pair.networks.length > 0)
        .sort(comparePairs);
}

/** Every reachable ordered pair, sorted by `from` then `to`. Cost is linear in the number of pairs. */
export function computeReachability(topology: Topology): ReachablePair[] {
    return reachableContainers(topology)
        .map((pair) => ({ from: pair.from.name, to: pair.to.name, networks: pair.networks, byName: pair.byName }))
        .sort(comparePairs);
}

/** The order every list of pairs is printed in: by `from`, then `to`. */
export function comparePairs(a: Pick<ReachablePair, "from" | "to">, b: Pick<ReachablePair, "from" | "to">): number {
    return a.from === b.from ? compare(a.to, b.to) : compare(a.from, b.from);
}

function compare(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}
