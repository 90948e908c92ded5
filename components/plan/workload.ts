/**
 * The plan of one workload (a container, or a swarm service) whichever
 * component declares it: its names, labels, and its process in the shape
 * Docker takes. The user's Inputs pass through untouched.
 */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { ContainerArgsBesidesNetworking, ContainerProcess, ServiceArgsBesidesNetworking, ServiceReplication } from "../args";
import { PlanContext } from "../programState";
import { dockerName, managedLabels } from "./naming";
import { fail, fieldPath } from "./validate";

/** What names a workload: its logical name (URN) and Docker name, and netguard's labels for it. */
export interface WorkloadIdentity {
    readonly logicalName: string;
    /** Includes project and stack. */
    readonly dockerName: string;
    /** netguard's own labels; the user's (an Input) are merged in when the resource is declared. */
    readonly labels: Record<string, string>;
}

/** A container, as `docker.Container` takes it but for its networks. */
export interface ContainerPlan extends WorkloadIdentity {
    readonly kind: "container";
    readonly process: ContainerProcess;
    readonly containerArgs?: ContainerArgsBesidesNetworking;
}

/** A service's environment: checked now when plain, when it resolves when computed. */
export type PlannedEnv =
    | { readonly kind: "known"; readonly map: Record<string, string> }
    | { readonly kind: "computed"; readonly envs: pulumi.Input<pulumi.Input<string>[]>; readonly component: string; readonly field: string };

/** A swarm service, as `docker.Service` takes it but for its networks. */
export interface SwarmServicePlan extends WorkloadIdentity {
    readonly kind: "service";
    readonly image: pulumi.Input<string>;
    /** Replaces the image's CMD, as for a container: the task spec's `args` (its `commands` is the entrypoint). */
    readonly args?: pulumi.Input<pulumi.Input<string>[]>;
    readonly env?: PlannedEnv;
    readonly mode: docker.ServiceArgs["mode"];
    /** The user's service settings, `containerSpec` and `taskSpec` taken apart. */
    readonly serviceArgs: Omit<ServiceArgsBesidesNetworking, "containerSpec" | "taskSpec">;
    readonly containerSpec?: ServiceArgsBesidesNetworking["containerSpec"];
    readonly taskSpec?: ServiceArgsBesidesNetworking["taskSpec"];
}

export type WorkloadPlan = ContainerPlan | SwarmServicePlan;

function identity(context: PlanContext, logicalName: string, labels: Record<string, string>): WorkloadIdentity {
    return { logicalName, dockerName: dockerName(context, logicalName), labels: managedLabels(context, labels) };
}

/** A container named `logicalName`, labelled with `labels` besides netguard's own. */
export function planContainer(
    context: PlanContext,
    logicalName: string,
    spec: ContainerProcess & { containerArgs?: ContainerArgsBesidesNetworking },
    labels: Record<string, string>,
): ContainerPlan {
    const { image, command, envs } = spec;
    return { kind: "container", ...identity(context, logicalName, labels), process: { image, command, envs }, containerArgs: spec.containerArgs };
}

/** Checks `replicas` (a whole number >= 0) against `serviceArgs.mode`; returns the service's mode. */
export function serviceMode(component: string, prefix: string, spec: ServiceReplication): docker.ServiceArgs["mode"] {
    const { replicas } = spec;
    if (replicas !== undefined && (typeof replicas !== "number" || !Number.isInteger(replicas) || replicas < 0)) {
        fail(component, fieldPath(prefix, "replicas"), replicas, "must be a whole number, 0 or more");
    }
    const mode = spec.serviceArgs?.mode;
    if (mode !== undefined && replicas !== undefined) {
        const shown = pulumi.Output.isInstance(mode) ? "(an Output)" : mode;
        fail(component, fieldPath(prefix, "serviceArgs.mode"), shown, `conflicts with replicas = ${replicas}: give one of them`);
    }
    return mode ?? { replicated: { replicas: replicas ?? 1 } };
}

/** `KEY=value` strings as the task spec's environment map; `field` names the list in errors. */
export function environmentMap(component: string, field: string, list: readonly unknown[]): Record<string, string> {
    return Object.fromEntries(
        list.map((entry, i) => {
            const at = typeof entry === "string" ? entry.indexOf("=") : -1;
            // `docker run -e KEY` copies KEY from the client's environment; a service spec cannot.
            if (at <= 0) fail(component, `${field}[${i}]`, entry, "must be KEY=value");
            const text = entry as string;
            return [text.slice(0, at), text.slice(at + 1)];
        }),
    );
}

function plannedEnv(component: string, field: string, envs: ContainerProcess["envs"]): PlannedEnv | undefined {
    if (envs === undefined) return undefined;
    if (Array.isArray(envs) && envs.every((entry) => typeof entry === "string")) {
        return { kind: "known", map: environmentMap(component, field, envs) };
    }
    return { kind: "computed", envs, component, field };
}

/** A swarm service named `logicalName`; `prefix` is the spec's field path in errors (`""` for a component's own args). */
export function planSwarmService(
    context: PlanContext,
    component: string,
    prefix: string,
    logicalName: string,
    spec: ContainerProcess & ServiceReplication,
    labels: Record<string, string>,
): SwarmServicePlan {
    const mode = serviceMode(component, prefix, spec);
    const { containerSpec, taskSpec, ...serviceArgs } = spec.serviceArgs ?? {};
    return {
        kind: "service",
        ...identity(context, logicalName, labels),
        image: spec.image,
        args: spec.command,
        env: plannedEnv(component, fieldPath(prefix, "envs"), spec.envs),
        mode,
        serviceArgs,
        containerSpec,
        taskSpec,
    };
}
