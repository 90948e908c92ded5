/**
 * Swarm resources as a program registers them, for the policy specs: an
 * overlay network with explicit IPAM (encrypted unless told otherwise) and
 * a `docker.Service` on the networks it names.
 */
import { RegisteredResource } from "../../policies/engineArgs";
import { NETWORK, ResourceExtras, SERVICE, resource } from "./policyHarness";

/** `docker network create -d overlay --subnet SUBNET --opt encrypted NAME`, as a `docker.Network`. */
export function overlayNetwork(name: string, subnet: string, extra: Record<string, unknown> = {}, extras: ResourceExtras = {}): RegisteredResource {
    const gateway = subnet.replace(/0\/\d+$/, "1");
    return resource(NETWORK, name, { name, driver: "overlay", ipamConfigs: [{ subnet, gateway }], options: { encrypted: "true" }, ...extra }, extras);
}

/** One `taskSpec.networksAdvanceds` entry. */
export interface ServiceNetwork {
    readonly name: unknown;
    readonly aliases?: string[];
}

/** `docker service create --name NAME --replicas 2 --network … busybox`, as a `docker.Service`. */
export function swarmService(
    name: string,
    networks: readonly (string | ServiceNetwork)[] | undefined,
    extra: Record<string, unknown> = {},
    extras: ResourceExtras = {},
): RegisteredResource {
    const networksAdvanceds = networks?.map((network) => (typeof network === "string" ? { name: network } : network));
    return resource(
        SERVICE,
        name,
        {
            name,
            taskSpec: { containerSpec: { image: "netguard-probe:local" }, ...(networksAdvanceds ? { networksAdvanceds } : {}) },
            mode: { replicated: { replicas: 2 } },
            ...extra,
        },
        extras,
    );
}
