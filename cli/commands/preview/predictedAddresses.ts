/**
 * The addresses Docker would most likely hand out, for the preview's own
 * IPAM view only. A real preview does not know them (Docker assigns them at
 * create), so they are never fed to the program as values: they are worked
 * out after the run from what it registered, and only from known, non-secret
 * addressing.
 */
import { UNKNOWN_SENTINEL } from "../../../policies/analyzerProps";
import { RegisteredResource } from "../../../policies/engineArgs";
import { CONTAINER_TYPE, NETWORK_TYPE } from "../../../readers/pulumi/resourceFields";
import { PredictedIpam } from "./predictedIpam";

/** Container logical name → Docker network name → the address it would likely get. */
export type PredictedAddresses = ReadonlyMap<string, ReadonlyMap<string, string>>;

function records(value: unknown): Record<string, unknown>[] {
    return Array.isArray(value) ? value.filter((item): item is Record<string, unknown> => item !== null && typeof item === "object") : [];
}

/** True when the value holds an unknown, or (`secrets` given) a secret, anywhere inside. */
function hidesSomething(value: unknown, secrets: readonly string[] = []): boolean {
    const text = JSON.stringify(value) ?? "";
    return text.includes(UNKNOWN_SENTINEL) || secrets.some((secret) => text.includes(JSON.stringify(secret)));
}

/**
 * Predictions of dynamic addresses for the stack's containers, in
 * registration order (as Docker would serve them). Networks whose addressing
 * is unknown or secret get none; static addresses, secret or not, are only
 * marked as taken.
 */
export function predictAddresses(resources: readonly RegisteredResource[]): PredictedAddresses {
    const ipam = new PredictedIpam();
    const predicted = new Map<string, Map<string, string>>();
    for (const resource of resources) {
        if (resource.type === NETWORK_TYPE) {
            if (!hidesSomething([resource.inputs.name, resource.inputs.ipamConfigs], resource.secrets)) ipam.addNetwork(resource.inputs);
        } else if (resource.type === CONTAINER_TYPE) {
            const entries = records(resource.inputs.networksAdvanced).filter((entry) => !hidesSomething([entry.name, entry.ipv4Address]));
            const staticOn = new Set(entries.filter((entry) => entry.ipv4Address !== undefined).map((entry) => entry.name));
            const dynamic = ipam.attach({ networksAdvanced: entries }).filter((data) => !staticOn.has(data.networkName));
            if (dynamic.length > 0) predicted.set(resource.name, new Map(dynamic.map((data) => [data.networkName, data.ipAddress])));
        }
    }
    return predicted;
}
