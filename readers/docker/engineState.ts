/**
 * What a Docker engine reports, as the live reader takes it: the fields of
 * its network and container inspect data (`GET /networks/{id}`, `GET
 * /containers/{id}/json`) the topology needs, and several engines' reports
 * merged into one state (a name on more than one engine qualified by node).
 */
import { driverScope } from "../../topology/driverOptions";
import { DockerSwarmState } from "../swarm/fromSwarm";


/** Networks Docker predefines that are no network to attach to: they name a namespace mode. */
export const NAMESPACE_NETWORKS: readonly string[] = ["host", "none"];
/** Their drivers. */
const NAMESPACE_DRIVERS: readonly string[] = ["host", "null"];

export function isNamespaceNetwork(network: DockerNetworkInspect): boolean {
    return NAMESPACE_NETWORKS.includes(network.Name) || NAMESPACE_DRIVERS.includes(network.Driver ?? "");
}

type StringMap = Readonly<Record<string, string | undefined>>;

/** The fields of a network inspect (`GET /networks/{id}`) the topology needs. */
export interface DockerNetworkInspect {
    readonly Id: string;
    readonly Name: string;
    readonly Driver?: string;
    /** `local`, `swarm` (overlay networks made on a manager) or `global`. */
    readonly Scope?: string;
    readonly Internal?: boolean;
    /** API 1.47+: false for an IPv6-only network. */
    readonly EnableIPv4?: boolean;
    readonly EnableIPv6?: boolean;
    /** Swarm networks: plain containers may join too. */
    readonly Attachable?: boolean;
    /** The swarm's routing-mesh network. */
    readonly Ingress?: boolean;
    readonly IPAM?: {
        readonly Config?: readonly {
            readonly Subnet?: string;
            readonly Gateway?: string;
            readonly IPRange?: string;
            readonly AuxiliaryAddresses?: StringMap | null;
        }[] | null;
    } | null;
    readonly Options?: StringMap | null;
    readonly Labels?: StringMap | null;
}

/** One endpoint of `NetworkSettings.Networks`. */
export interface DockerEndpointInspect {
    readonly NetworkID?: string;
    readonly Aliases?: readonly string[] | null;
    /** Links given on a user-defined network (`--link` with `--network`), as `target:alias`. */
    readonly Links?: readonly string[] | null;
    readonly IPAddress?: string;
    readonly GlobalIPv6Address?: string;
    /** The interface's MAC address (matches it to the interface inside the namespace). */
    readonly MacAddress?: string;
    /** Set when an address was requested (`--ip`, `ipv4Address`; `--ip6`). */
    readonly IPAMConfig?: { readonly IPv4Address?: string; readonly IPv6Address?: string } | null;
}

/** The fields of a container inspect (`GET /containers/{id}/json`) the topology needs. */
export interface DockerContainerInspect {
    readonly Id: string;
    /** `/name`, as Docker reports it. */
    readonly Name: string;
    /** `Pid`: the container's main process on the engine's host (0 when it does not run). */
    readonly State?: { readonly Running?: boolean; readonly Pid?: number } | null;
    readonly Config?: { readonly Labels?: StringMap | null } | null;
    readonly HostConfig?: {
        readonly NetworkMode?: string;
        /** `/target:/self/alias`, as Docker reports it. */
        readonly Links?: readonly string[] | null;
        /** Ports as requested, by `PORT/PROTO` (`HostPort` empty when Docker picks one). */
        readonly PortBindings?: DockerPortMap | null;
    } | null;
    readonly NetworkSettings?: {
        readonly Networks?: Readonly<Record<string, DockerEndpointInspect>> | null;
        /** Ports as bound on a running container (null entries: exposed, not published). */
        readonly Ports?: DockerPortMap | null;
    } | null;
}

/** `{"80/tcp": [{"HostIp": "0.0.0.0", "HostPort": "8080"}]}`, as the engine reports port bindings. */
export type DockerPortMap = Readonly<Record<string, readonly { readonly HostIp?: string; readonly HostPort?: string }[] | null>>;

/** What an engine reports: every network and container to put in the topology. */
export interface DockerEngineState {
    readonly networks: readonly DockerNetworkInspect[];
    readonly containers: readonly DockerContainerInspect[];
    /** Nodes, services and tasks, read from a swarm manager; absent when no manager was read. */
    readonly swarm?: DockerSwarmState;
    /** The node (or engine) each container runs on, by container id, when known. */
    readonly containerNodes?: Readonly<Record<string, string>>;
    /** Several engines: the node each local network lives on, by network id (their subnets may repeat across nodes). */
    readonly networkNodes?: Readonly<Record<string, string>>;
}

/** Docker's own default bridge: the network flagged `default_bridge` (named `bridge` unless the daemon says otherwise). */
export function isDefaultBridgeNetwork(network: DockerNetworkInspect): boolean {
    return network.Options?.["com.docker.network.bridge.default_bridge"] === "true";
}

/** A container's name without Docker's leading slash. */
export function dockerContainerName(container: DockerContainerInspect): string {
    return container.Name.replace(/^\//, "");
}

/** A network made on a swarm manager (the overlay driver): it spans the swarm's nodes. */
export function isSwarmNetwork(network: DockerNetworkInspect): boolean {
    return network.Scope === "swarm" || (network.Scope === undefined && driverScope(network.Driver ?? "") === "swarm");
}

/** One engine's state and the node (or engine) name its containers run on. */
export interface NodeEngineState {
    readonly node: string;
    readonly state: DockerEngineState;
}

/**
 * Several engines as one state. Swarm networks are the same network on
 * every node (one node per id); local networks and containers are each
 * engine's own, so a name that occurs on more than one engine (every
 * engine has a `bridge`) is qualified as `NAME@NODE`. Every container
 * records its node.
 */
export function mergeEngineStates(engines: readonly NodeEngineState[], swarm?: DockerSwarmState): DockerEngineState {
    const localNames = new Map<string, number>();
    const containerNames = new Map<string, number>();
    const count = (counts: Map<string, number>, name: string) => counts.set(name, (counts.get(name) ?? 0) + 1);
    for (const { state } of engines) {
        for (const network of state.networks) if (!isSwarmNetwork(network) && !isNamespaceNetwork(network)) count(localNames, network.Name);
        for (const container of state.containers) count(containerNames, dockerContainerName(container));
    }
    const networks: DockerNetworkInspect[] = [];
    const swarmIds = new Set<string>();
    const containers: DockerContainerInspect[] = [];
    const containerNodes: Record<string, string> = {};
    const networkNodes: Record<string, string> = {};
    for (const { node, state } of engines) {
        for (const network of state.networks) {
            if (isSwarmNetwork(network)) {
                if (!swarmIds.has(network.Id)) networks.push(network);
                swarmIds.add(network.Id);
            } else if (isNamespaceNetwork(network)) {
                // `host` and `none` are modes, no nodes: each engine's are kept so that its containers' endpoints on them are recognised.
                networks.push(network);
            } else {
                networks.push((localNames.get(network.Name) ?? 0) > 1 ? { ...network, Name: `${network.Name}@${node}` } : network);
                networkNodes[network.Id] = node;
            }
        }
        for (const container of state.containers) {
            const name = dockerContainerName(container);
            containers.push((containerNames.get(name) ?? 0) > 1 ? { ...container, Name: `/${name}@${node}` } : container);
            containerNodes[container.Id] = node;
        }
    }
    return { networks, containers, containerNodes, ...(engines.length > 1 ? { networkNodes } : {}), ...(swarm ? { swarm } : {}) };
}
