/**
 * What a change (say, a pull request) does to a stack, from two
 * `netguard preview --json` documents: reachable pairs gained and lost,
 * networks added, removed or changed, policy violations gained and resolved.
 * This is the `netguard diff --json` document (DESIGN.md, "CLI").
 */
import { Violation } from "../../policies/evaluate";
import { ReachablePair } from "../../topology/reachability";
import { ContainerEntry, NetworkEntry, PreviewDocument } from "../preview/document";

/** Network fields that Docker cannot change in place: a new value replaces the network and every container on it. */
export const REPLACING_FIELDS = ["subnet", "gateway"] as const;

/** Network fields compared between base and head. */
export const COMPARED_FIELDS = ["dockerName", "driver", "subnet", "gateway", "ipRange", "internal", "interContainer"] as const;
export type NetworkField = (typeof COMPARED_FIELDS)[number];

export interface NetworkChange {
    /** The network's logical name (the same on both sides). */
    readonly name: string;
    /** The fields whose values differ, in {@link COMPARED_FIELDS} order. */
    readonly fields: NetworkField[];
    readonly before: NetworkEntry;
    readonly after: NetworkEntry;
    /** True when a changed field is one of {@link REPLACING_FIELDS}. */
    readonly replaces: boolean;
    /** Containers on this network in the head that exist in the base too: replaced with it (empty unless `replaces`). */
    readonly replacedContainers: string[];
}

/** The `netguard diff --json` document. Pairs and violations are compared as whole values, in the preview's shape. */
export interface PreviewDiff {
    readonly reachability: { readonly added: ReachablePair[]; readonly removed: ReachablePair[] };
    readonly networks: { readonly added: NetworkEntry[]; readonly removed: NetworkEntry[]; readonly changed: NetworkChange[] };
    readonly violations: { readonly added: Violation[]; readonly removed: Violation[] };
}

function pairKey(pair: ReachablePair): string {
    return JSON.stringify([pair.from, pair.to, [...pair.networks].sort(), pair.byName]);
}

function violationKey(violation: Violation): string {
    return JSON.stringify([violation.policy, violation.level, violation.resource, violation.name, violation.message]);
}

/** Items of `from` that `other` lacks, counting duplicates (a multiset difference), in `from`'s order. */
function missingFrom<T>(from: readonly T[], other: readonly T[], key: (item: T) => string): T[] {
    const available = new Map<string, number>();
    for (const item of other) available.set(key(item), (available.get(key(item)) ?? 0) + 1);
    return from.filter((item) => {
        const count = available.get(key(item)) ?? 0;
        if (count === 0) return true;
        available.set(key(item), count - 1);
        return false;
    });
}

/**
 * The head's containers by network, keeping only those that exist in the
 * base too (new ones are created, not replaced): built once, so the diff
 * stays linear however many networks change.
 */
function survivingMembers(base: PreviewDocument, head: PreviewDocument): Map<string, string[]> {
    const existing = new Set(base.containers.map((container) => container.name));
    const members = new Map<string, string[]>();
    for (const container of head.containers) {
        if (!existing.has(container.name)) continue;
        for (const network of new Set(container.attachments.map((attachment) => attachment.network))) {
            const list = members.get(network);
            if (list) list.push(container.name);
            else members.set(network, [container.name]);
        }
    }
    return members;
}

function networkChanges(base: PreviewDocument, head: PreviewDocument): NetworkChange[] {
    const before = new Map(base.networks.map((network) => [network.name, network]));
    let survivors: Map<string, string[]> | undefined;
    const replacedOn = (network: string) => (survivors ??= survivingMembers(base, head)).get(network) ?? [];
    const changes: NetworkChange[] = [];
    for (const after of head.networks) {
        const old = before.get(after.name);
        if (!old) continue;
        const fields = COMPARED_FIELDS.filter((field) => old[field] !== after[field]);
        if (fields.length === 0) continue;
        const replaces = fields.some((field) => (REPLACING_FIELDS as readonly string[]).includes(field));
        changes.push({ name: after.name, fields, before: old, after, replaces, replacedContainers: replaces ? replacedOn(after.name) : [] });
    }
    return changes;
}

/** Compares a base and a head preview. */
export function diffPreviews(base: PreviewDocument, head: PreviewDocument): PreviewDiff {
    const byName = (network: NetworkEntry) => network.name;
    return {
        reachability: {
            added: missingFrom(head.reachability, base.reachability, pairKey),
            removed: missingFrom(base.reachability, head.reachability, pairKey),
        },
        networks: {
            added: missingFrom(head.networks, base.networks, byName),
            removed: missingFrom(base.networks, head.networks, byName),
            changed: networkChanges(base, head),
        },
        violations: {
            added: missingFrom(head.violations, base.violations, violationKey),
            removed: missingFrom(base.violations, head.violations, violationKey),
        },
    };
}

/** True when the head brings a mandatory violation the base did not have: the diff's exit code 1. */
export function addsMandatoryViolation(diff: PreviewDiff): boolean {
    return diff.violations.added.some((violation) => violation.level === "mandatory");
}

/** Containers that exist only on one side (by logical name), for the human-readable views. */
export interface ContainerChanges {
    readonly added: ContainerEntry[];
    readonly removed: ContainerEntry[];
}

export function containerChanges(base: PreviewDocument, head: PreviewDocument): ContainerChanges {
    const byName = (container: ContainerEntry) => container.name;
    return { added: missingFrom(head.containers, base.containers, byName), removed: missingFrom(base.containers, head.containers, byName) };
}

/** A pair present on both sides whose networks or name resolution differ (shown as removed + added in JSON). */
export interface PairChange {
    readonly before: ReachablePair;
    readonly after: ReachablePair;
}

/** Splits a diff's pairs into really new, really gone, and changed (same `from`/`to` on both sides). */
export function classifyPairs(diff: PreviewDiff): { added: ReachablePair[]; removed: ReachablePair[]; changed: PairChange[] } {
    const endpoints = (pair: ReachablePair) => `${pair.from}\u0000${pair.to}`;
    const removedByEndpoints = new Map(diff.reachability.removed.map((pair) => [endpoints(pair), pair]));
    const addedEndpoints = new Set(diff.reachability.added.map(endpoints));
    const changed: PairChange[] = [];
    const added: ReachablePair[] = [];
    for (const pair of diff.reachability.added) {
        const before = removedByEndpoints.get(endpoints(pair));
        if (before) changed.push({ before, after: pair });
        else added.push(pair);
    }
    const removed = diff.reachability.removed.filter((pair) => !addedEndpoints.has(endpoints(pair)));
    return { added, removed, changed };
}
