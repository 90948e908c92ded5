/**
 * What the components need to declare a swarm service (`docker.Service`): the
 * settings beyond its process and networks, and the translation of a
 * container-shaped spec (image, command, `KEY=value` envs) into a task spec.
 */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { NetguardInputError } from "./inputError";
import { managedLabels } from "./naming";
import { ContainerProcess } from "./serviceSpec";

/** Container settings of a service's tasks beyond the process, which the component writes. */
export type ServiceContainerSpecBesidesProcess = Omit<docker.types.input.ServiceTaskSpecContainerSpec, "image" | "args" | "env">;

/** Task settings beyond the container and its networks (placement, restart policy, resources, …). */
export type ServiceTaskSpecBesidesNetworking = Omit<docker.types.input.ServiceTaskSpec, "containerSpec" | "networksAdvanceds">;

/**
 * Service settings beyond the process and the networks, which are the
 * component's job. `mode` is allowed for a global service; with `replicas`
 * it is an error, since the two would disagree.
 */
export type ServiceArgsBesidesNetworking = Omit<docker.ServiceArgs, "taskSpec" | "name"> & {
    /** Extra settings of each task's container (e.g. `commands` for an entrypoint, `user`, `mounts`). */
    containerSpec?: ServiceContainerSpecBesidesProcess;
    /** Extra settings of each task (e.g. `placement`, `restartPolicy`, `resources`). */
    taskSpec?: ServiceTaskSpecBesidesNetworking;
};

/** How many tasks a swarm service runs, and its other settings. Swarm-scope nets only. */
export interface ServiceReplication {
    /** Tasks to run (`docker service create --replicas`). Default 1. */
    replicas?: number;
    /** Any other service settings; networking is the component's job. */
    serviceArgs?: ServiceArgsBesidesNetworking;
}

/** `prefix.name`, or `name` alone for a component's own args. */
export function fieldPath(prefix: string, name: string): string {
    return prefix === "" ? name : `${prefix}.${name}`;
}

/** Checks `replicas` (a whole number >= 0) against `serviceArgs.mode`; returns the service's mode. */
export function serviceMode(component: string, prefix: string, spec: ServiceReplication): docker.ServiceArgs["mode"] {
    const { replicas } = spec;
    if (replicas !== undefined && (typeof replicas !== "number" || !Number.isInteger(replicas) || replicas < 0)) {
        throw new NetguardInputError(component, fieldPath(prefix, "replicas"), replicas, "must be a whole number, 0 or more");
    }
    const mode = spec.serviceArgs?.mode;
    if (mode !== undefined && replicas !== undefined) {
        const shown = pulumi.Output.isInstance(mode) ? "(an Output)" : mode;
        throw new NetguardInputError(component, fieldPath(prefix, "serviceArgs.mode"), shown, `conflicts with replicas = ${replicas}: give one of them`);
    }
    return mode ?? { replicated: { replicas: replicas ?? 1 } };
}

/**
 * `KEY=value` strings as the task spec's environment map. A plain list is
 * checked at construction; a computed one when it resolves.
 */
function environment(component: string, field: string, envs: ContainerProcess["envs"]): pulumi.Input<Record<string, string>> | undefined {
    if (envs === undefined) return undefined;
    const toMap = (list: readonly string[]): Record<string, string> =>
        Object.fromEntries(
            list.map((entry, i) => {
                const at = typeof entry === "string" ? entry.indexOf("=") : -1;
                // `docker run -e KEY` copies KEY from the client's environment; a service spec cannot.
                if (at <= 0) throw new NetguardInputError(component, `${field}[${i}]`, entry, "must be KEY=value");
                return [entry.slice(0, at), entry.slice(at + 1)];
            }),
        );
    if (Array.isArray(envs) && envs.every((entry) => typeof entry === "string")) return toMap(envs as string[]);
    return pulumi.output(envs).apply(toMap);
}

/**
 * The arguments of a service: its settings, the given attachments, one
 * Docker name, netguard's labels merged over the user's, the process as a
 * task's container (`command` replaces the image's CMD, as for a container:
 * that is the task spec's `args`).
 */
export function serviceArgsFor(
    component: string,
    prefix: string,
    spec: ContainerProcess & ServiceReplication,
    dockerName: string,
    networksAdvanceds: docker.types.input.ServiceTaskSpecNetworksAdvanced[],
    labels: Record<string, string>,
): docker.ServiceArgs {
    const mode = serviceMode(component, prefix, spec);
    const { containerSpec, taskSpec, ...serviceArgs } = spec.serviceArgs ?? {};
    const userLabels = serviceArgs.labels ?? [];
    return {
        ...serviceArgs,
        name: dockerName,
        mode,
        labels: pulumi.output(userLabels).apply((given) => [...(given ?? []), ...managedLabels(labels)]),
        taskSpec: {
            ...taskSpec,
            containerSpec: {
                ...containerSpec,
                image: spec.image,
                args: spec.command,
                env: environment(component, fieldPath(prefix, "envs"), spec.envs),
            },
            networksAdvanceds,
        },
    };
}

/**
 * One attachment of a service. The network is named by its id: the swarm
 * stores a service's networks by id, and the provider reads them back so, so
 * a name would differ from the state on every refresh and replace the service.
 */
export function serviceAttachment(network: docker.Network, aliases: string[]): docker.types.input.ServiceTaskSpecNetworksAdvanced {
    return { name: network.id, aliases };
}
