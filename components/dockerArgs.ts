/**
 * The arguments of the Docker resources the components declare, from their
 * plans: the only place plans meet `@pulumi/docker`, and where the user's
 * Inputs (labels, a computed environment) are combined with netguard's.
 */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { NetworkPlan } from "./plan/isolatedServiceNet";
import { ContainerPlan, PlannedEnv, SwarmServicePlan, environmentMap } from "./plan/workload";

type LabelList = { label: string; value: string }[];
/** A user's labels, as `docker.ContainerArgs` and `docker.ServiceArgs` take them. */
type GivenLabels = pulumi.Input<pulumi.Input<{ label: pulumi.Input<string>; value: pulumi.Input<string> }>[] | undefined>;

function labelList(labels: Record<string, string>): LabelList {
    return Object.entries(labels).map(([label, value]) => ({ label, value }));
}

/** The user's labels, then netguard's, which win in Docker (later entries win). */
function withOwnLabels(given: GivenLabels | undefined, own: Record<string, string>) {
    return pulumi.output(given ?? []).apply((list) => [...(list ?? []), ...labelList(own)]);
}

export function networkArgs(plan: NetworkPlan): docker.NetworkArgs {
    return {
        name: plan.dockerName,
        driver: plan.driver,
        ...(plan.attachable === undefined ? {} : { attachable: plan.attachable }),
        internal: plan.internal,
        ipamConfigs: [{ ...plan.ipamConfig }],
        options: plan.options,
        labels: labelList(plan.labels),
    };
}

/**
 * A container on the given networks, and no `networkMode`, so that the
 * provider leaves the default bridge once the networks are connected.
 */
export function containerArgs(plan: ContainerPlan, networksAdvanced: docker.types.input.ContainerNetworksAdvanced[]): docker.ContainerArgs {
    return {
        ...plan.containerArgs,
        name: plan.dockerName,
        image: plan.process.image,
        command: plan.process.command,
        envs: plan.process.envs,
        networksAdvanced,
        labels: withOwnLabels(plan.containerArgs?.labels, plan.labels),
    };
}

function environment(env: PlannedEnv | undefined): pulumi.Input<Record<string, string>> | undefined {
    if (env === undefined) return undefined;
    if (env.kind === "known") return env.map;
    return pulumi.output(env.envs).apply((list) => environmentMap(env.component, env.field, list));
}

/** A swarm service on the given networks: the process as its tasks' container. */
export function serviceArgs(plan: SwarmServicePlan, networksAdvanceds: docker.types.input.ServiceTaskSpecNetworksAdvanced[]): docker.ServiceArgs {
    return {
        ...plan.serviceArgs,
        name: plan.dockerName,
        mode: plan.mode,
        labels: withOwnLabels(plan.serviceArgs.labels, plan.labels),
        taskSpec: {
            ...plan.taskSpec,
            containerSpec: { ...plan.containerSpec, image: plan.image, args: plan.args, env: environment(plan.env) },
            networksAdvanceds,
        },
    };
}

/**
 * One attachment of a service. The network is named by its id: the swarm
 * stores a service's networks by id, and the provider reads them back so, so
 * a name would differ from the state on every refresh and replace the service.
 */
export function serviceAttachment(network: docker.Network, aliases: readonly string[]): docker.types.input.ServiceTaskSpecNetworksAdvanced {
    return { name: network.id, aliases: [...aliases] };
}
