/**
 * Reachability in compact form: "every member of net X reaches every other"
 * once per network, instead of n·(n-1) pair lines, and individual pairs only
 * for what network membership does not explain (links on the default
 * bridge, partial cliques). Derived from the document's pairs, so the summary
 * never claims a pair that the preview did not compute.
 */
import { PreviewDocument } from "../preview/document";
import { ReachablePair } from "../../topology/reachability";
import { attachedNetworks } from "./attachments";

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
    for (const container of document.containers) {
        for (const network of attachedNetworks(container)) {
            members.set(network, [...(members.get(network) ?? []), container.name]);
        }
    }
    for (const list of members.values()) list.sort();
    return members;
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
        const clique = names.flatMap((from) => names.filter((to) => to !== from).map((to) => pairs.get(pairKey(from, to))));
        const complete = clique.every((pair) => pair !== undefined && pair.networks.includes(network.name));
        if (!complete) continue;
        groups.push({ network: network.name, members: names, byName: clique.every((pair) => pair?.byName) });
    }

    const groupsOf = new Map<string, NetworkGroup[]>();
    for (const group of groups) {
        for (const member of group.members) groupsOf.set(member, [...(groupsOf.get(member) ?? []), group]);
    }
    const explained = (pair: ReachablePair) =>
        (groupsOf.get(pair.from) ?? []).some((group) => group.members.includes(pair.to) && pair.networks.includes(group.network) && (group.byName || !pair.byName));

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
