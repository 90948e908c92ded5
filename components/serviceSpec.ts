import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { NetguardInputError } from "./inputError";
import { managedLabels } from "./naming";
import type { ServiceReplication } from "./swarmService";

/**
 * What a container runs. The fields shared by every component's containers,
 * kept apart from `containerArgs` so that the cross-language surface
 * (provider/) extends the same declarations.
 */
export interface ContainerProcess {
    /** The image to run, e.g. `postgres:16-alpine`. */
    image: pulumi.Input<string>;
    /** Command and arguments, replacing the image's CMD. */
    command?: pulumi.Input<pulumi.Input<string>[]>;
    /** Environment, as `KEY=value` strings. */
    envs?: pulumi.Input<pulumi.Input<string>[]>;
}

/** A service's place on its net. */
export interface ServiceAddressing {
    /** Extra DNS names on the net; the service key is always one. */
    aliases?: string[];
    /** Local scope only (Docker gives a swarm service's tasks their addresses): inside the subnet, not the gateway, outside `ipRange`. */
    ipv4Address?: string;
}

/** Container settings beyond the process; networking is the component's job. */
export type ContainerArgsBesidesNetworking = Omit<docker.ContainerArgs, "image" | "networkMode" | "networksAdvanced">;

/**
 * One service that lives on an isolated net: a container on a local-scope
 * net, a swarm service (`replicas`, `serviceArgs`) on a swarm-scope one.
 */
export interface ServiceSpec extends ContainerProcess, ServiceAddressing, ServiceReplication {
    /** Local scope only: any other container settings; networking is the component's job. */
    containerArgs?: ContainerArgsBesidesNetworking;
}

/** DNS labels Docker's embedded DNS can serve: letters, digits, `-`, `_` and `.`. */
const DNS_NAME = /^[a-zA-Z0-9]([a-zA-Z0-9_.-]{0,61}[a-zA-Z0-9])?$/;

/** Checks a DNS name (service key or alias); throws {@link NetguardInputError}. */
export function checkDnsName(component: string, field: string, name: unknown): string {
    if (typeof name !== "string" || !DNS_NAME.test(name)) {
        throw new NetguardInputError(component, field, name, "is not a valid DNS name (letters, digits, '-', '_', '.'; at most 63 characters)");
    }
    return name;
}

/** Checks an optional list of aliases. */
export function checkAliases(component: string, field: string, aliases: unknown): string[] {
    if (aliases === undefined) return [];
    if (!Array.isArray(aliases)) throw new NetguardInputError(component, field, aliases, "must be a list of names");
    return aliases.map((alias, i) => checkDnsName(component, `${field}[${i}]`, alias));
}

/** Checks that an optional field is a string, so that CIDR math never sees a number or an Output. */
export function optionalString(component: string, field: string, value: unknown): string | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== "string") {
        throw new NetguardInputError(component, field, value, "must be a plain string (not an Output or a number)");
    }
    return value;
}

/**
 * The arguments of a service's container: the spec's settings, the given
 * attachments, netguard's labels merged over the user's, and no `networkMode`,
 * so the provider leaves the default bridge once the networks are connected.
 */
export function containerArgsFor(
    spec: ContainerProcess & { containerArgs?: ContainerArgsBesidesNetworking },
    dockerName: string,
    networksAdvanced: docker.types.input.ContainerNetworksAdvanced[],
    labels: Record<string, string>,
): docker.ContainerArgs {
    const userLabels = spec.containerArgs?.labels ?? [];
    return {
        ...spec.containerArgs,
        name: dockerName,
        image: spec.image,
        command: spec.command,
        envs: spec.envs,
        networksAdvanced,
        labels: pulumi.output(userLabels).apply((given) => [...(given ?? []), ...managedLabels(labels)]),
    };
}
