/**
 * What a change (say, a pull request) does to a stack, from two
 * `netguard preview --json` documents: reachable pairs gained and lost,
 * networks added, removed or changed, policy violations gained and resolved.
 * This is the `netguard diff --json` document (documented in the README).
 */
import { Violation } from "../../../policies/evaluate";
import { ReachablePair } from "../../../topology/reachability";
import { ContainerEntry, NetworkEntry, PreviewDocument } from "../../../document/previewDocument";
import { portText } from "../../render/ports";

/** Network fields compared between base and head. */
export const COMPARED_FIELDS = ["dockerName", "driver", "subnet", "gateway", "ipRange", "internal", "interContainer", "scope", "attachable", "encrypted"] as const;
export type NetworkField = (typeof COMPARED_FIELDS)[number];

/**
 * Network fields whose change replaces the network and every container on
 * it. The docker provider's network resource has no update: every argument
 * (`name`, `driver`, `options` — where ICC and overlay encryption live —,
 * `internal`, `attachable`, each `ipamConfigs` field) forces a new resource,
 * and Docker cannot change a network's scope, attachability or encryption in
 * place either. So: all of them.
 */
export const REPLACING_FIELDS: readonly NetworkField[] = COMPARED_FIELDS;

/** Container (and service) fields compared between base and head (the attachments split into what a reviewer reads). */
export const CONTAINER_FIELDS = ["dockerName", "kind", "replicas", "networkMode", "networks", "aliases", "ipv4Address", "ports", "dualHomed"] as const;
export type ContainerField = (typeof CONTAINER_FIELDS)[number];

/**
 * Container fields whose change replaces the container: the provider's
 * `name`, `networksAdvanced` (network, aliases, address), `networkMode` and
 * `ports` all force a new resource, and a container that becomes a service
 * (or the reverse) is another resource altogether. A service's `replicas`
 * is scaled in place. `dualHomed` is netguard's declaration (the
 * container's parent component), not a provider argument.
 */
export const CONTAINER_REPLACING_FIELDS: readonly ContainerField[] = ["dockerName", "kind", "networkMode", "networks", "aliases", "ipv4Address", "ports"];

export interface ContainerChange {
    /** The container's logical name (the same on both sides). */
    readonly name: string;
    /** The fields whose values differ, in {@link CONTAINER_FIELDS} order. */
    readonly fields: ContainerField[];
    readonly before: ContainerEntry;
    readonly after: ContainerEntry;
    /** True when a changed field is one of {@link CONTAINER_REPLACING_FIELDS}. */
    readonly replaces: boolean;
}

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
    readonly containers: { readonly added: ContainerEntry[]; readonly removed: ContainerEntry[]; readonly changed: ContainerChange[] };
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
        const replaces = fields.some((field) => REPLACING_FIELDS.includes(field));
        changes.push({ name: after.name, fields, before: old, after, replaces, replacedContainers: replaces ? replacedOn(after.name) : [] });
    }
    return changes;
}

/** A container field's value in a comparable, readable form: one text per network (sorted), or one text. */
export function containerFieldValue(container: ContainerEntry, field: ContainerField): string[] {
    const perNetwork = (value: (attachment: ContainerEntry["attachments"][number]) => string | null) =>
        container.attachments
            .map((attachment) => ({ network: attachment.network, text: value(attachment) }))
            .filter((entry): entry is { network: string; text: string } => entry.text !== null)
            .map((entry) => `${entry.network}: ${entry.text}`)
            .sort();
    switch (field) {
        case "dockerName":
            return container.dockerName === null ? [] : [container.dockerName];
        case "kind":
            return [container.kind];
        case "replicas":
            // Services only: null is a count the swarm decides (global mode) or not known yet.
            return container.kind !== "service" ? [] : [container.replicas === null ? "unknown" : String(container.replicas)];
        case "networkMode":
            // Not "none": that is a network mode of its own.
            return [container.networkMode ?? "(not set)"];
        case "networks":
            return [...new Set(container.attachments.map((attachment) => attachment.network))].sort();
        case "aliases":
            return perNetwork((attachment) => (attachment.aliases.length > 0 ? [...attachment.aliases].sort().join(", ") : null));
        case "ipv4Address":
            return perNetwork((attachment) => attachment.ipv4Address);
        case "ports":
            return container.ports.map(portText).sort();
        case "dualHomed":
            return [container.dualHomed ? "yes" : "no"];
    }
}

function containerChangeList(base: PreviewDocument, head: PreviewDocument): ContainerChange[] {
    const before = new Map(base.containers.map((container) => [container.name, container]));
    const changes: ContainerChange[] = [];
    for (const after of head.containers) {
        const old = before.get(after.name);
        if (!old) continue;
        const fields = CONTAINER_FIELDS.filter((field) => JSON.stringify(containerFieldValue(old, field)) !== JSON.stringify(containerFieldValue(after, field)));
        if (fields.length === 0) continue;
        changes.push({ name: after.name, fields, before: old, after, replaces: fields.some((field) => CONTAINER_REPLACING_FIELDS.includes(field)) });
    }
    return changes;
}

/** Compares a base and a head preview. */
export function diffPreviews(base: PreviewDocument, head: PreviewDocument): PreviewDiff {
    const byName = (network: NetworkEntry) => network.name;
    const byContainerName = (container: ContainerEntry) => container.name;
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
        containers: {
            added: missingFrom(head.containers, base.containers, byContainerName),
            removed: missingFrom(base.containers, head.containers, byContainerName),
            changed: containerChangeList(base, head),
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
