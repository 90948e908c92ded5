/**
 * The normalized network topology that every rule and the reachability
 * computation run on. Adapters build it from Pulumi resources
 * (`fromPulumi.ts`) or from a live Docker engine (`fromDocker.ts`); nothing
 * downstream knows which.
 */

import { DEFAULT_SEMANTICS, EngineSemantics } from "./engineSemantics";

/** Marks a value that cannot be known yet (a computed output during `pulumi preview`). */
export const UNKNOWN: unique symbol = Symbol.for("netguard.unknown");
export type Unknown = typeof UNKNOWN;
/** A value that may be unknown during a preview. */
export type Maybe<T> = T | Unknown;

export function isKnown<T>(value: Maybe<T>): value is T {
    return value !== UNKNOWN;
}

/** Key of the network node that stands for Docker's default bridge (`docker0`). */
export const DEFAULT_BRIDGE_KEY = "docker:default-bridge";
/** Docker's own name for the default bridge network. */
export const DEFAULT_BRIDGE_NAME = "bridge";
/** Key of the network node that stands for the swarm's routing-mesh network when the stack declares none. */
export const SWARM_INGRESS_KEY = "docker:swarm-ingress";
/** Docker's name for the routing mesh's network (`docker swarm init` creates it). */
export const SWARM_INGRESS_NAME = "ingress";

/** One IPAM config block of a network, as written. */
export interface IpamBlock {
    readonly subnet?: Maybe<string>;
    readonly gateway?: Maybe<string>;
    readonly ipRange?: Maybe<string>;
    /** Auxiliary (reserved) addresses, by host name. */
    readonly auxAddresses: Readonly<Record<string, Maybe<string>>>;
}

/**
 * Where a network lives: on one engine (`local`: bridge and the like) or
 * across a swarm (`swarm`: the overlay driver, created on a manager).
 */
export type NetworkScope = "local" | "swarm";

/**
 * Where a node comes from when a Compose project declares it (a file
 * previewed, or one a command resource's `docker compose` line runs): the
 * project and the key that declares it, so that messages speak Compose.
 */
export interface ComposeSource {
    readonly project: string;
    /** `networks.<key>` or `services.<name>`. */
    readonly key: string;
}

export interface NetworkNode {
    /** Unique key: the resource URN (a `docker network create` line adds a suffix), or the Docker name for live state. */
    readonly key: string;
    /** What violations are reported on (URN or Docker name); undefined for networks nobody declared, like the default bridge. */
    readonly resource?: string;
    /** Logical name (Pulumi) or Docker name (live). */
    readonly name: string;
    /** The network's name on the Docker engine, when known. */
    readonly dockerName?: Maybe<string>;
    readonly driver: string;
    readonly ipam: readonly IpamBlock[];
    /** No route out of the host. */
    readonly internal: boolean;
    /** Inter-container communication between members (Docker's `enable_icc`). */
    readonly interContainer: boolean;
    /** Driver options as written (`options`, `-o`), for rules that check what Docker accepts. */
    readonly driverOptions?: Readonly<Record<string, Maybe<string> | undefined>>;
    /** True only for Docker's default bridge. */
    readonly defaultBridge: boolean;
    /** Absent means `local`. */
    readonly scope?: NetworkScope;
    /** False for a network created with IPv4 off (`--ipv4=false`; IPv6-only where the engine honours it); absent means IPv4 on. */
    readonly ipv4?: boolean;
    /** IPv6 on (`ipv6: true`, `--ipv6`); absent means off or not known. */
    readonly ipv6?: boolean;
    /** IPv6 blocks as written that the engine drops (Docker 28+, IPv6 off): not the network's, kept so a rule can say so. */
    readonly ignoredIpam?: readonly IpamBlock[];
    /** Swarm networks only: plain containers (`docker run --network`) may join it too. */
    readonly attachable?: boolean;
    /** Swarm networks only: overlay traffic between nodes is IPsec-encrypted (driver option `encrypted`); absent while unknown. */
    readonly encrypted?: boolean;
    /** True only for the swarm's routing-mesh network (`ingress`): the cluster's "default network". */
    readonly ingress?: boolean;
    /**
     * Live state of several engines only: the node (or engine) a local
     * network lives on. Local networks of different nodes never meet, so
     * their subnets may repeat; a swarm network is on every node.
     */
    readonly node?: string;
    /**
     * Command lines only: the engine the command targets when it is not the
     * program's local one (a remote Command's host, `ssh HOST`, `docker -H`,
     * `DOCKER_HOST`, `--context`), as written; absent means the local engine.
     * Nodes of different engines never share a network.
     */
    readonly engineHost?: string;
    /** Declared in a Compose project. */
    readonly compose?: ComposeSource;
}

/** The scope of a network, `local` unless it says otherwise. */
export function networkScope(network: NetworkNode): NetworkScope {
    return network.scope ?? "local";
}

/** A container's membership in one network. */
export interface Attachment {
    /** Key of the network node, or undefined when the reference could not be resolved. */
    readonly network?: string;
    /** The network as the container named it (name, id, or unknown). */
    readonly reference: Maybe<string>;
    /** DNS names of the container on this network besides its own name. */
    readonly aliases: readonly string[];
    /** Static IPv4 address, when one is requested (or, live, assigned). */
    readonly ipv4Address?: Maybe<string>;
    /** True when `ipv4Address` was requested rather than handed out by Docker. */
    readonly staticAddress: boolean;
    /** Static IPv6 address (`--ip6`), or, live, the one Docker assigned. */
    readonly ipv6Address?: Maybe<string>;
    /** True when `ipv6Address` was requested (`ipv6Address`, `--ip6`) rather than handed out by Docker. */
    readonly staticIpv6?: boolean;
    /**
     * Static addresses asked for again on the network the container joined at
     * create (a `networksAdvanced` entry naming `networkMode`'s network):
     * Docker keeps the endpoint it had and drops them, but checks them first
     * and refuses the container on a bad one (`endpointAddressRefusal`).
     */
    readonly droppedAddresses?: readonly string[];
    /**
     * True for the endpoint Docker itself gives a service that publishes a
     * port in ingress mode (the default) on the routing mesh's `ingress`
     * network: nobody declared it, yet its tasks have an address there that
     * other publishing services' tasks reach (by address only). Absent
     * means a declared attachment.
     */
    readonly routingMesh?: boolean;
}

/** A legacy `--link`: the container resolves `target` (and `alias`) through /etc/hosts. */
export interface Link {
    readonly target: string;
    readonly alias?: string;
    /** A name Compose adds to each link it makes (`<service>-<n>`, `<project>-<service>-<n>`), not one the file writes. */
    readonly composeAdded?: true;
}

export type ContainerOrigin = "container" | "command";

/** A container port published on the host (`ports`, `-p`, the engine's port bindings). */
export interface PublishedPort {
    /** The port inside the container. */
    readonly internal: number;
    /** The host port; undefined when Docker picks one (or it is not known yet). */
    readonly external?: number;
    /** The host address it is bound to; undefined when written without one (Docker binds every interface). */
    readonly ip?: string;
    /** `tcp`, `udp` or `sctp`. */
    readonly protocol: string;
    /**
     * Services only: `host` for a port published on the node a task runs on
     * (`mode=host`); absent means the routing mesh (`ingress`, Docker's
     * default for services), or a container's port.
     */
    readonly publishMode?: ServicePublishMode;
}

export type ServicePublishMode = "ingress" | "host";

/** True when a service's published ports put its tasks on the routing mesh (any port in ingress mode, the default). */
export function publishesThroughRoutingMesh(ports: readonly PublishedPort[] | undefined): boolean {
    return (ports ?? []).some((port) => port.publishMode !== "host");
}

/** Host addresses that mean "every interface of the host". */
const ALL_INTERFACES = new Set(["", "0.0.0.0", "::", "[::]"]);

/** True when a published port is reachable on every interface of the host (no address, `0.0.0.0` or `::`). */
export function publishedOnAllInterfaces(port: PublishedPort): boolean {
    return port.ip === undefined || ALL_INTERFACES.has(port.ip);
}

/**
 * What a topology node runs as: a plain container, or a swarm service whose
 * tasks (`replicas` of them) share its networks, aliases and rules. Other
 * members reach a service by its name (a virtual IP that balances over the
 * tasks) and reach each task through `tasks.<name>`.
 */
export type WorkloadKind = "container" | "service";

export interface ContainerNode {
    /** Unique key: the resource URN (plus a suffix for containers inside command lines), or the Docker id. */
    readonly key: string;
    /** What violations are reported on: the URN, or the Docker name for live state. */
    readonly resource: string;
    /** Logical name (Pulumi) or Docker name (live). */
    readonly name: string;
    /** The container's name on the Docker engine, when known. */
    readonly dockerName?: Maybe<string>;
    /** `networkMode` as written (`host`, `container:x`, a network name, …), if any. */
    readonly networkMode?: Maybe<string>;
    readonly attachments: readonly Attachment[];
    readonly links: readonly Link[];
    /** Key of the container whose network namespace this one joined (`container:<other>`), when resolved. */
    readonly sharesNamespaceOf?: string;
    /** Attached to several networks on purpose (the container of a `DualHomedContainer`). */
    readonly declaredMultiHomed: boolean;
    /** A `docker.Container` (or live container), or a `docker run` line inside a command resource. */
    readonly origin: ContainerOrigin;
    /** Ports published on the host; absent means none. */
    readonly ports?: readonly PublishedPort[];
    /** Every port the image exposes is published too (`publishAllPorts`, `-P`): which ones the image decides. */
    readonly publishAllPorts?: boolean;
    /** Absent means `container`. */
    readonly kind?: WorkloadKind;
    /** Services only: the number of tasks asked for (1 unless written; unknown during a preview when computed). */
    readonly replicas?: Maybe<number>;
    /** Live state only: the swarm node (or engine) the container runs on, when known. */
    readonly node?: string;
    /**
     * Command lines only: the engine the command targets when it is not the
     * program's local one (a remote Command's host, `ssh HOST`, `docker -H`,
     * `DOCKER_HOST`, `--context`), as written; absent means the local engine.
     * Nodes of different engines never share a network.
     */
    readonly engineHost?: string;
    /** Declared in a Compose project. */
    readonly compose?: ComposeSource;
}

/** The kind of a topology node, `container` unless it says otherwise. */
export function workloadKind(container: ContainerNode): WorkloadKind {
    return container.kind ?? "container";
}

export interface Topology {
    readonly networks: readonly NetworkNode[];
    readonly containers: readonly ContainerNode[];
    /** The Docker whose semantics judge it; absent means {@link DEFAULT_SEMANTICS}. */
    readonly engine?: EngineSemantics;
}

/** The semantics that judge `topology`. */
export function semanticsOf(topology: Topology): EngineSemantics {
    return topology.engine ?? DEFAULT_SEMANTICS;
}

/** True when two nodes are on the same Docker engine (both local, or the same remote host). */
export function sameEngine(a: { engineHost?: string }, b: { engineHost?: string }): boolean {
    return a.engineHost === b.engineHost;
}

/** The key of a remote engine's default bridge (each engine has its own docker0). */
export function defaultBridgeKeyOn(engineHost: string | undefined): string {
    return engineHost === undefined ? DEFAULT_BRIDGE_KEY : `${DEFAULT_BRIDGE_KEY}@${engineHost}`;
}

/** True for the key of the default bridge of any engine. */
export function isDefaultBridgeKey(key: string | undefined): boolean {
    return key === DEFAULT_BRIDGE_KEY || (key !== undefined && key.startsWith(`${DEFAULT_BRIDGE_KEY}@`));
}

/** A network node for Docker's default bridge, added by adapters when a container lands on it. */
export const DEFAULT_BRIDGE: NetworkNode = {
    key: DEFAULT_BRIDGE_KEY,
    name: DEFAULT_BRIDGE_NAME,
    dockerName: DEFAULT_BRIDGE_NAME,
    driver: "bridge",
    ipam: [{ subnet: "172.17.0.0/16", gateway: "172.17.0.1", auxAddresses: {} }],
    internal: false,
    interContainer: true,
    defaultBridge: true,
};

/**
 * A network node for the swarm's routing-mesh network as `docker swarm init`
 * makes it (10.0.0.0/24, not encrypted), added by the Pulumi adapters when a
 * service publishes through it and the stack declares no ingress network of
 * its own. Docker's, not the stack's: no resource to report on.
 */
export const SWARM_INGRESS: NetworkNode = {
    key: SWARM_INGRESS_KEY,
    name: SWARM_INGRESS_NAME,
    dockerName: SWARM_INGRESS_NAME,
    driver: "overlay",
    ipam: [{ subnet: "10.0.0.0/24", gateway: "10.0.0.1", auxAddresses: {} }],
    internal: false,
    interContainer: true,
    defaultBridge: false,
    scope: "swarm",
    attachable: false,
    encrypted: false,
    ingress: true,
};

/** The routing mesh's endpoint of a service that publishes in ingress mode, on the given network (Docker's `ingress` by default). */
export function routingMeshAttachment(network: string = SWARM_INGRESS_KEY): Attachment {
    return { network, reference: SWARM_INGRESS_NAME, aliases: [], staticAddress: false, routingMesh: true };
}

/** The default bridge, where a container (or a service's task) with no network lands. */
export function defaultBridgeAttachment(): Attachment {
    return { reference: DEFAULT_BRIDGE_NAME, network: DEFAULT_BRIDGE_KEY, aliases: [], staticAddress: false };
}

/**
 * Every name a container answers to: logical name, Docker name and all
 * aliases. A service answers to each of them (its virtual IP) and to
 * `tasks.<name>` (the address of each task): Docker's embedded DNS serves
 * `tasks.` before the service name and before every alias.
 */
export function containerNames(container: ContainerNode): string[] {
    const names = new Set<string>([container.name]);
    if (container.dockerName !== undefined && isKnown(container.dockerName)) names.add(container.dockerName);
    for (const attachment of container.attachments) attachment.aliases.forEach((alias) => names.add(alias));
    if (workloadKind(container) === "service") for (const name of [...names]) names.add(`tasks.${name}`);
    return [...names];
}

const networkIndexes = new WeakMap<readonly NetworkNode[], ReadonlyMap<string, NetworkNode>>();

/**
 * Index of networks by key, for rules that walk attachments: built once per
 * network list (topologies are not changed once read), since per-container
 * questions (host bindings, static addresses) ask it for every container.
 */
export function networksByKey(topology: Topology): ReadonlyMap<string, NetworkNode> {
    let index = networkIndexes.get(topology.networks);
    if (index === undefined) {
        index = new Map(topology.networks.map((network) => [network.key, network]));
        networkIndexes.set(topology.networks, index);
    }
    return index;
}
