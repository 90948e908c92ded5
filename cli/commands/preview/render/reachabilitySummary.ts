/**
 * Reachability in compact form: "every member of net X reaches every other"
 * once per network, instead of n·(n-1) pair lines, and individual pairs only
 * for what network membership does not explain (links on the default
 * bridge, partial cliques). Derived from the document's pairs, so the summary
 * never claims a pair that the preview did not compute.
 */
import { PreviewDocument } from "../../../../document/previewDocument";
import { ReachablePair } from "../../../../topology/reachability";
import { containersByNetwork } from "../../../render/attachments";

/** Every member of `network` reaches every other member. */
export interface NetworkGroup {
    readonly network: string;
    /** Member names, sorted. */
    readonly members: string[];
    /** Whether every pair in the group resolves by name (else: by IP, some pairs perhaps by name, listed apart). */
    readonly byName: boolean;
}

/** A pair that no group explains; `bothWays` when the reverse pair holds alike. */
export interface PairLine extends ReachablePair {
    readonly bothWays: boolean;
}

export interface ReachabilitySummary {
    readonly groups: NetworkGroup[];
    /** Networks with two or more members whose inter-container traffic is off. */
    readonly isolatedMembers: { readonly network: string; readonly members: string[] }[];
    readonly pairs: PairLine[];
    /** Number of ordered pairs in the document. */
    readonly total: number;
}

const pairKey = (from: string, to: string) => `${from}\u0000${to}`;

/** Members of each network, by network name (containers attached twice to one net count once). */
function membersByNetwork(document: PreviewDocument): Map<string, string[]> {
    const members = new Map<string, string[]>();
    for (const [network, containers] of containersByNetwork(document.containers)) members.set(network, containers.map((container) => container.name).sort());
    return members;
}

/**
 * Whether every member reaches every other over `network` (and whether all
 * by name); stops at the first missing pair, so a big network with few
 * pairs costs little.
 */
function cliqueOn(network: string, names: readonly string[], pairs: ReadonlyMap<string, ReachablePair>): { byName: boolean } | undefined {
    let byName = true;
    for (const from of names) {
        for (const to of names) {
            if (to === from) continue;
            const pair = pairs.get(pairKey(from, to));
            if (pair === undefined || !pair.networks.includes(network)) return undefined;
            byName &&= pair.byName;
        }
    }
    return { byName };
}

/** Groups the document's reachable pairs by network; see the module comment. */
export function summarizeReachability(document: PreviewDocument): ReachabilitySummary {
    const pairs = new Map(document.reachability.map((pair) => [pairKey(pair.from, pair.to), pair]));
    const members = membersByNetwork(document);
    const groups: NetworkGroup[] = [];
    const isolatedMembers: ReachabilitySummary["isolatedMembers"][number][] = [];

    for (const network of document.networks) {
        const names = members.get(network.name) ?? [];
        if (names.length < 2) continue;
        if (!network.interContainer) {
            isolatedMembers.push({ network: network.name, members: names });
            continue;
        }
        const clique = cliqueOn(network.name, names, pairs);
        if (clique) groups.push({ network: network.name, members: names, byName: clique.byName });
    }

    // Indexed once: a group of n members explains n·(n-1) pairs, each looked up in constant time.
    const groupsOf = new Map<string, NetworkGroup[]>();
    const memberSets = new Map<NetworkGroup, Set<string>>();
    for (const group of groups) {
        memberSets.set(group, new Set(group.members));
        for (const member of group.members) {
            const list = groupsOf.get(member);
            if (list) list.push(group);
            else groupsOf.set(member, [group]);
        }
    }
    const explained = (pair: ReachablePair) =>
        (groupsOf.get(pair.from) ?? []).some(
            (group) => memberSets.get(group)?.has(pair.to) === true && pair.networks.includes(group.network) && (group.byName || !pair.byName),
        );

    const residual = document.reachability.filter((pair) => !explained(pair));
    const residualKeys = new Map(residual.map((pair) => [pairKey(pair.from, pair.to), pair]));
    const sameAs = (a: ReachablePair, b: ReachablePair | undefined) => b !== undefined && a.byName === b.byName && a.networks.join("\u0000") === b.networks.join("\u0000");
    const lines: PairLine[] = [];
    for (const pair of residual) {
        const reverse = residualKeys.get(pairKey(pair.to, pair.from));
        const bothWays = sameAs(pair, reverse);
        if (bothWays && pair.to < pair.from) continue; // shown once, from the smaller name
        lines.push({ ...pair, bothWays });
    }
    return { groups, isolatedMembers, pairs: lines, total: document.reachability.length };
}

/** Network pairs shown in the isolation summary; the rest are counted. */
const MAX_ISOLATION_LINES = 20;

/**
 * What isolates what, one line per pair of networks: whether any container
 * only on one reaches a container only on the other (read from the pairs),
 * and which containers sit on both, the only bridges there can be.
 */
export function isolationLines(document: Pick<PreviewDocument, "containers" | "reachability">): string[] {
    const byNetwork = [...containersByNetwork(document.containers)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const lines: string[] = [];
    let pairs = 0;
    for (let i = 0; i < byNetwork.length; i++) {
        for (let j = i + 1; j < byNetwork.length; j++) {
            pairs++;
            if (lines.length >= MAX_ISOLATION_LINES) continue;
            const [a, membersA] = byNetwork[i];
            const [b, membersB] = byNetwork[j];
            const namesB = new Set(membersB.map((c) => c.name));
            const bridges = membersA.filter((c) => namesB.has(c.name)).map((c) => c.name);
            const onlyA = new Set(membersA.map((c) => c.name).filter((name) => !bridges.includes(name)));
            const onlyB = new Set([...namesB].filter((name) => !bridges.includes(name)));
            const crossing = document.reachability.filter((p) => (onlyA.has(p.from) && onlyB.has(p.to)) || (onlyB.has(p.from) && onlyA.has(p.to))).length;
            const between = crossing === 0 ? "isolated: nothing only on one reaches anything only on the other" : `${crossing} pairs reach across`;
            const via = bridges.length === 0 ? "no container is on both" : `only ${bridges.join(", ")} ${bridges.length === 1 ? "is" : "are"} on both`;
            lines.push(`${a} and ${b}: ${between}; ${via}`);
        }
    }
    if (pairs > lines.length) lines.push(`…and ${pairs - lines.length} more pairs of networks (netguard preview --json has every reachable pair)`);
    return lines;
}
