/**
 * The arguments the components share: a net's settings and a service's spec
 * (its process, its place on the net, its container or swarm-service
 * settings). Types only, so that plans, components and the cross-language
 * surface (provider/) all import them without importing one another.
 */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { NetworkScope } from "../topology/model";

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

/**
 * One service that lives on an isolated net: a container on a local-scope
 * net, a swarm service (`replicas`, `serviceArgs`) on a swarm-scope one.
 */
export interface ServiceSpec extends ContainerProcess, ServiceAddressing, ServiceReplication {
    /** Local scope only: any other container settings; networking is the component's job. */
    containerArgs?: ContainerArgsBesidesNetworking;
}

/** A net's settings but its scope (a union type, which the cross-language surface in provider/ gives as a string). */
export interface NetSettingsBesidesScope {
    /** Swarm scope only: IPsec-encrypt the overlay's traffic between nodes (driver option `encrypted`). Default true. */
    encrypted?: boolean;
    /** Swarm scope only: plain containers (a DualHomedContainer) may join the overlay too. Default false. */
    attachable?: boolean;
    /** The net's CIDR, e.g. `10.20.1.0/24`. When absent, a subnet is allocated from `addressPool`. */
    subnet?: string;
    /** Gateway address; default: the first host address of the subnet. */
    gateway?: string;
    /** Range Docker hands dynamic addresses from; must be inside the subnet. Static addresses go outside it. */
    ipRange?: string;
    /** No route out of the host (Docker's `--internal`). Default false. */
    internal?: boolean;
    /** Traffic between members (Docker's `enable_icc`). Default true; an overlay has no such switch, so swarm scope refuses false. */
    interContainer?: boolean;
    /** Pool to allocate the subnet from; default: stack config `netguard:addressPool`, else 10.128.0.0/9. */
    addressPool?: string;
    /** Prefix length of an allocated subnet. Default 24. */
    prefixLength?: number;
    /** Labels for the Docker network. */
    labels?: Record<string, string>;
}

/** A net's own settings: scope, addressing, isolation and labels. */
export interface NetSettings extends NetSettingsBesidesScope {
    /**
     * `local` (default): a bridge network on one engine, its services containers.
     * `swarm`: an overlay network across the swarm, its services swarm services
     * (created on a swarm manager).
     */
    scope?: NetworkScope;
}

export interface IsolatedServiceNetArgs extends NetSettings {
    /** The services that live only on this net, by service key (also their DNS name). */
    services?: Record<string, ServiceSpec>;
}

/** How a dual-homed container sits on one of its nets. */
export interface AttachmentSettings {
    /** Extra DNS names on this net; the component's name is always one. */
    aliases?: string[];
    /** Static address on this net: inside its subnet, not its gateway, outside its ip range. */
    ipv4Address?: string;
    /** Which net's gateway becomes the default route (highest wins; Docker 28+). */
    gwPriority?: number;
}
