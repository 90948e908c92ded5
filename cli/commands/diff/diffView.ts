/** What the human-readable views of a diff need, beyond the JSON diff itself. */
import { PreviewDocument } from "../../../document/previewDocument";
import { Exposure, newExposure } from "../../render/ports";
import { ForbiddenFlowsConfig } from "../../../policies/rules/docker-forbidden-flows";
import { NewBridge, SensitivePath, UnencryptedOverlay, newBridges, newSensitivePaths, unencryptedOverlays } from "./reviewerFindings";
import { ContainerChange, ContainerField, NetworkField, PreviewDiff, containerFieldValue, diffPreviews } from "./diffPreviews";

export interface DiffView {
    readonly diff: PreviewDiff;
    /** New paths to the targets the deny list names (empty without a policy config that has one). */
    readonly sensitivePaths: SensitivePath[];
    /** Pairs of networks that a container joins for the first time. */
    readonly bridges: NewBridge[];
    /** Overlay networks that lose their encryption, or come without it. */
    readonly unencrypted: UnencryptedOverlay[];
    /** The head's preview, for the picture of the change. */
    readonly head: PreviewDocument;
    /** File names (or labels) of the two sides, for headings. */
    readonly baseLabel: string;
    readonly headLabel: string;
}

export function diffView(base: PreviewDocument, head: PreviewDocument, baseLabel: string, headLabel: string, flows: ForbiddenFlowsConfig = { deny: [] }): DiffView {
    return {
        diff: diffPreviews(base, head),
        sensitivePaths: newSensitivePaths(base, head, flows),
        bridges: newBridges(base, head),
        unencrypted: unencryptedOverlays(base, head),
        head,
        baseLabel,
        headLabel,
    };
}

/** A network field's value as people say it: "none" for null, yes/no and on/off for the flags. */
export function fieldValue(field: NetworkField, value: string | boolean | null): string {
    if (value === null) return "none";
    if (field === "internal" || field === "attachable" || field === "encrypted") return value ? "yes" : "no";
    if (field === "interContainer") return value ? "on" : "off";
    return String(value);
}

/** The field's name as people say it. */
export function fieldLabel(field: NetworkField): string {
    const labels: Record<NetworkField, string> = {
        dockerName: "Docker name",
        driver: "driver",
        subnet: "subnet",
        gateway: "gateway",
        ipRange: "ip range",
        internal: "internal",
        interContainer: "ICC",
        scope: "scope",
        attachable: "attachable",
        encrypted: "encrypted",
    };
    return labels[field];
}

/** A container field's name as people say it. */
export function containerFieldLabel(field: ContainerField): string {
    const labels: Record<ContainerField, string> = {
        dockerName: "Docker name",
        kind: "kind",
        replicas: "replicas",
        networkMode: "network mode",
        networks: "networks",
        aliases: "aliases",
        ipv4Address: "static address",
        ports: "published ports",
        dualHomed: "declared dual-homed",
    };
    return labels[field];
}

/** One changed field of a container as [label, before, after], values joined ("none" when empty). */
export function containerFieldChanges(change: ContainerChange): [string, string, string][] {
    const shown = (values: string[]) => (values.length > 0 ? values.join("; ") : "none");
    return change.fields.map((field) => [
        containerFieldLabel(field),
        shown(containerFieldValue(change.before, field)),
        shown(containerFieldValue(change.after, field)),
    ]);
}

/** True when the head changes nothing netguard models: the only case a view may say "no change". */
export function diffIsEmpty(diff: PreviewDiff): boolean {
    const lists = [
        diff.reachability.added, diff.reachability.removed,
        diff.networks.added, diff.networks.removed, diff.networks.changed,
        diff.containers.added, diff.containers.removed, diff.containers.changed,
        diff.violations.added, diff.violations.removed,
    ];
    return lists.every((list) => list.length === 0);
}

/** Ports the head publishes that the base did not (new containers' and changed ones'), those on every interface first. */
export function diffExposure(diff: PreviewDiff): Exposure[] {
    const exposure = [
        ...diff.containers.added.flatMap((container) => newExposure(undefined, container)),
        ...diff.containers.changed.flatMap((change) => newExposure(change.before, change.after)),
    ];
    return exposure.sort((a, b) => Number(b.open) - Number(a.open));
}
