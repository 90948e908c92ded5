/**
 * Predicted against measured reachability: which ordered pairs differ, in
 * the networks that carry them or in whether a name resolves.
 */
import { ReachablePair } from "../../../../topology/reachability";
import { Mismatch, PairSide } from "../../../../document/auditDocument";

/** What the measurement can speak about. */
export interface MeasuredScope {
    /** Containers probed from inside. */
    readonly probed: ReadonlySet<string>;
    /** Per target, the networks on which its address was pinged. */
    readonly pingedNetworks: ReadonlyMap<string, ReadonlySet<string>>;
}

const key = (pair: { from: string; to: string }) => `${pair.from}\u0000${pair.to}`;

function sameSide(a: PairSide, b: PairSide): boolean {
    return a.byName === b.byName && a.networks.length === b.networks.length && a.networks.every((n, i) => n === b.networks[i]);
}

/**
 * Pairs that differ. Predicted pairs from containers that were not probed,
 * or over networks where the target's address was not pinged, are out of
 * the measurement's reach and not compared.
 */
export function reachabilityMismatches(predicted: readonly ReachablePair[], measured: readonly ReachablePair[], scope: MeasuredScope): Mismatch[] {
    const comparable = new Map<string, ReachablePair>();
    for (const pair of predicted) {
        if (!scope.probed.has(pair.from)) continue;
        const pinged = scope.pingedNetworks.get(pair.to);
        const networks = pair.networks.filter((network) => pinged?.has(network));
        if (networks.length > 0) comparable.set(key(pair), { ...pair, networks });
    }
    const mismatches: Mismatch[] = [];
    const seen = new Set<string>();
    for (const pair of measured) {
        seen.add(key(pair));
        const expected = comparable.get(key(pair));
        const side = { networks: pair.networks, byName: pair.byName };
        if (!expected || !sameSide(expected, side)) {
            mismatches.push({ from: pair.from, to: pair.to, predicted: expected ? { networks: expected.networks, byName: expected.byName } : null, measured: side });
        }
    }
    for (const [id, pair] of comparable) {
        if (!seen.has(id)) mismatches.push({ from: pair.from, to: pair.to, predicted: { networks: pair.networks, byName: pair.byName }, measured: null });
    }
    return mismatches.sort((a, b) => (a.from === b.from ? (a.to < b.to ? -1 : 1) : a.from < b.from ? -1 : 1));
}
