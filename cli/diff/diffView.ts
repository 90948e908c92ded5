/** What the human-readable views of a diff need, beyond the JSON diff itself. */
import { PreviewDocument } from "../preview/document";
import { ContainerChanges, NetworkField, PreviewDiff, containerChanges, diffPreviews } from "./diffPreviews";

export interface DiffView {
    readonly diff: PreviewDiff;
    readonly containers: ContainerChanges;
    /** File names (or labels) of the two sides, for headings. */
    readonly baseLabel: string;
    readonly headLabel: string;
}

export function diffView(base: PreviewDocument, head: PreviewDocument, baseLabel: string, headLabel: string): DiffView {
    return { diff: diffPreviews(base, head), containers: containerChanges(base, head), baseLabel, headLabel };
}

/** A network field's value as people say it: "none" for null, yes/no and on/off for the flags. */
export function fieldValue(field: NetworkField, value: string | boolean | null): string {
    if (value === null) return "none";
    if (field === "internal") return value ? "yes" : "no";
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
    };
    return labels[field];
}
