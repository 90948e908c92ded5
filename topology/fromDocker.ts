/**
 * Builds the topology from a live Docker engine's inspect data (the JSON of
 * `GET /networks/{id}` and `GET /containers/{id}/json`), with Docker names as
 * names. A pure function over that JSON: `cli/audit/dockerEngine.ts` reads
 * it, the tests feed fixtures.
 *
 * Live state is what Docker did, not what someone wrote: attachments come from
 * `NetworkSettings.Networks` (a container created on the default bridge and
 * then connected elsewhere is on both), addresses are the assigned ones, and
 * a `networkMode` of `default` means nothing was written.
 */
import { DEFAULT_BRIDGE_KEY, Attachment, ContainerNode, IpamBlock, Link, NetworkNode, PublishedPort, Topology } from "./model";
import { parseContainerPort } from "./dockerPublish";
import { parseLink } from "./dockerSemantics";
import { OVERLAY_DRIVER, driverScope, networkInterContainer, overlayEncrypted } from "./driverOptions";
import { resolveSharedNamespaces } from "./sharedNamespaces";
import {
    DockerSwarmState,
    LiveTask,
    NetworkResolver,
    SWARM_SERVICE_ID_LABEL,
    SWARM_SERVICE_NAME_LABEL,
    isTaskContainer,
    liveTasks,
    serviceNode,
    serviceVirtualIps,
} from "./fromSwarm";

/** The label the `DualHomedContainer` component puts on its container. */
export const DUAL_HOMED_LABEL = "netguard.dual-homed";

/** Networks Docker predefines that are no network to attach to: they name a namespace mode. */
const NAMESPACE_NETWORKS: readonly string[] = ["host", "none"];
/** Their drivers. */
const NAMESPACE_DRIVERS: readonly string[] = ["host", "null"];

function isNamespaceNetwork(network: DockerNetworkInspect): boolean {
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
    /** The interface's MAC address (matches it to the interface inside the namespace). */
    readonly MacAddress?: string;
    /** Set when an address was requested (`--ip`, `ipv4Address`). */
    readonly IPAMConfig?: { readonly IPv4Address?: string } | null;
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

function nonEmpty(value: string | undefined | null): string | undefined {
    return value ? value : undefined;
}

function ipamBlocks(network: DockerNetworkInspect): IpamBlock[] {
    return (network.IPAM?.Config ?? []).map((block) => {
        const auxAddresses: Record<string, string> = {};
        for (const [host, address] of Object.entries(block.AuxiliaryAddresses ?? {})) {
            if (address) auxAddresses[host] = address;
        }
        return {
            subnet: nonEmpty(block.Subnet),
            gateway: nonEmpty(block.Gateway),
            ipRange: nonEmpty(block.IPRange),
            auxAddresses,
        };
    });
}

/**
 * The network node. Its key is the Docker name (unique on an engine), and
 * the default bridge keeps the model's {@link DEFAULT_BRIDGE_KEY}, so that
 * the rules find it as they do in a preview.
 */
function networkNode(network: DockerNetworkInspect, key: string): NetworkNode {
    const swarm = isSwarmNetwork(network);
    const defaultBridge = !swarm && isDefaultBridgeNetwork(network);
    const driver = network.Driver || (swarm ? OVERLAY_DRIVER : "bridge");
    const options = network.Options ?? {};
    return {
        key,
        resource: defaultBridge ? undefined : network.Name,
        name: network.Name,
        dockerName: network.Name,
        driver,
        ipam: ipamBlocks(network),
        internal: network.Internal === true,
        interContainer: networkInterContainer(driver, options),
        driverOptions: options,
        defaultBridge,
        ...(swarm
            ? { scope: "swarm", attachable: network.Attachable === true, encrypted: overlayEncrypted(options), ...(network.Ingress === true ? { ingress: true } : {}) }
            : {}),
    };
}

/** A network made on a swarm manager (the overlay driver): it spans the swarm's nodes. */
function isSwarmNetwork(network: DockerNetworkInspect): boolean {
    return network.Scope === "swarm" || (network.Scope === undefined && driverScope(network.Driver ?? "") === "swarm");
}

/** Docker's own aliases (the short and full container id) are no names anyone chose. */
function chosenAliases(endpoint: DockerEndpointInspect, containerId: string): string[] {
    const own = new Set([containerId, containerId.slice(0, 12)]);
    return [...new Set((endpoint.Aliases ?? []).filter((alias) => alias && !own.has(alias)))];
}

/** Links from `HostConfig.Links` (default bridge) and from each endpoint (user-defined networks). */
function containerLinks(container: DockerContainerInspect): Link[] {
    const links = (container.HostConfig?.Links ?? []).map(parseLink);
    for (const endpoint of Object.values(container.NetworkSettings?.Networks ?? {})) {
        links.push(...(endpoint.Links ?? []).map(parseLink));
    }
    const seen = new Set<string>();
    return links.filter((link) => {
        const id = `${link.target}\u0000${link.alias ?? ""}`;
        return seen.has(id) ? false : (seen.add(id), true);
    });
}

/**
 * Published ports: the bindings of a running container (what Docker did),
 * else the requested ones. An empty `HostIp` binds every interface.
 */
function publishedPorts(container: DockerContainerInspect): PublishedPort[] {
    const running = container.NetworkSettings?.Ports;
    const bindings = running && Object.keys(running).length > 0 ? running : container.HostConfig?.PortBindings ?? {};
    const ports: PublishedPort[] = [];
    for (const [key, hosts] of Object.entries(bindings)) {
        const parsed = parseContainerPort(key);
        if (!parsed || !hosts) continue;
        for (const host of hosts) {
            const external = host.HostPort ? Number(host.HostPort) : undefined;
            ports.push({
                internal: parsed.range[0],
                ...(external !== undefined && Number.isInteger(external) && external > 0 ? { external } : {}),
                ...(host.HostIp ? { ip: host.HostIp } : {}),
                protocol: parsed.protocol,
            });
        }
    }
    return ports;
}

/** The topology of live state, and what the audit keeps beside it. */
export interface LiveTopology {
    readonly topology: Topology;
    /** The current tasks of the services in the topology. */
    readonly tasks: readonly LiveTask[];
    /** Per service key, its virtual IP on each network (by network key). */
    readonly virtualIps: ReadonlyMap<string, ReadonlyMap<string, string>>;
    /** Task containers whose service was not read (no manager among the engines): neither listed nor judged, by container name. */
    readonly unjudgedTaskContainers: readonly TaskContainerRef[];
    /**
     * Task containers of services the manager did not report among those
     * read (a label scope their containers match and their service does
     * not): neither listed nor judged, the service being what is audited.
     */
    readonly outOfScopeTaskContainers: readonly TaskContainerRef[];
}

/** A task's container, by container name, and its service's name (as the container's labels say). */
export interface TaskContainerRef {
    readonly container: string;
    readonly service: string;
}

/**
 * The topology of an engine's state. Networks `host` and `none` are modes,
 * not networks: they become no node and no attachment (the container's
 * `networkMode` says it). The default bridge is a node only when a container
 * is on it, as in a preview.
 */
export function topologyFromDocker(state: DockerEngineState): Topology {
    return liveTopologyFromDocker(state).topology;
}

/**
 * The topology, services and tasks included: a service is one node (see
 * `fromSwarm.ts`); its tasks' containers are no containers of their own.
 */
export function liveTopologyFromDocker(state: DockerEngineState): LiveTopology {
    const keyById = new Map<string, string>();
    const keyByName = new Map<string, string>();
    const nameByKey = new Map<string, string>();
    const ingressKeys = new Set<string>();
    const namespaceIds = new Set<string>();
    const nodes: NetworkNode[] = [];
    let defaultBridgeTaken = false;
    for (const network of state.networks) {
        if (isNamespaceNetwork(network)) {
            namespaceIds.add(network.Id);
            continue;
        }
        // Several engines have several default bridges: the first is the model's, the others keep their (qualified) names.
        const defaultBridge: boolean = isDefaultBridgeNetwork(network) && !defaultBridgeTaken;
        defaultBridgeTaken ||= defaultBridge;
        // Names are unique on one engine; should two ever share one, the later keeps its id.
        const key = defaultBridge ? DEFAULT_BRIDGE_KEY : keyByName.has(network.Name) ? network.Id : network.Name;
        keyById.set(network.Id, key);
        if (!keyByName.has(network.Name)) keyByName.set(network.Name, key);
        nameByKey.set(key, network.Name);
        const owner = state.networkNodes?.[network.Id];
        const node = owner !== undefined ? { ...networkNode(network, key), node: owner } : networkNode(network, key);
        if (node.ingress) ingressKeys.add(key);
        nodes.push(node);
    }
    const resolver: NetworkResolver = {
        key: (idOrName) => keyById.get(idOrName) ?? keyByName.get(idOrName),
        name: (idOrName) => {
            const key = keyById.get(idOrName) ?? keyByName.get(idOrName);
            return (key !== undefined ? nameByKey.get(key) : undefined) ?? idOrName;
        },
        isIngress: (idOrName) => ingressKeys.has(keyById.get(idOrName) ?? keyByName.get(idOrName) ?? ""),
    };

    const services = state.swarm?.services ?? [];
    const serviceIds = new Set(services.map((service) => service.ID));
    const unjudgedTaskContainers: TaskContainerRef[] = [];
    const outOfScopeTaskContainers: TaskContainerRef[] = [];
    const plain = state.containers.filter((container) => {
        const labels = container.Config?.Labels;
        if (!isTaskContainer(labels)) return true;
        const ref = { container: dockerContainerName(container), service: labels?.[SWARM_SERVICE_NAME_LABEL] ?? "(unknown)" };
        if (!state.swarm) unjudgedTaskContainers.push(ref);
        else if (!serviceIds.has(labels?.[SWARM_SERVICE_ID_LABEL] ?? "")) outOfScopeTaskContainers.push(ref);
        return false;
    });

    const declared = plain.map((container): ContainerNode => {
        const name = dockerContainerName(container);
        const attachments: Attachment[] = [];
        for (const [networkName, endpoint] of Object.entries(container.NetworkSettings?.Networks ?? {})) {
            if (NAMESPACE_NETWORKS.includes(networkName) || namespaceIds.has(endpoint.NetworkID ?? "")) continue;
            const key = (endpoint.NetworkID ? keyById.get(endpoint.NetworkID) : undefined) ?? keyByName.get(networkName);
            // On a swarm network the manager allocates every address and the engine records it as if requested: no static address.
            const swarmScope = nodes.some((node) => node.key === key && node.scope === "swarm");
            const requested = swarmScope ? undefined : nonEmpty(endpoint.IPAMConfig?.IPv4Address);
            attachments.push({
                network: key,
                reference: endpoint.NetworkID ? resolver.name(endpoint.NetworkID) : networkName,
                aliases: chosenAliases(endpoint, container.Id),
                ipv4Address: requested ?? nonEmpty(endpoint.IPAddress) ?? nonEmpty(endpoint.IPAMConfig?.IPv4Address),
                staticAddress: requested !== undefined,
            });
        }
        const mode = container.HostConfig?.NetworkMode;
        const node = state.containerNodes?.[container.Id];
        return {
            key: container.Id,
            resource: name,
            name,
            dockerName: name,
            // `default` is what Docker records when no mode was given.
            networkMode: mode && mode !== "default" ? mode : undefined,
            attachments,
            links: containerLinks(container),
            declaredMultiHomed: container.Config?.Labels?.[DUAL_HOMED_LABEL] === "true",
            origin: "container",
            ports: publishedPorts(container),
            ...(node !== undefined ? { node } : {}),
        };
    });
    // A task whose service names no network lands on its node's default bridge (Docker 20.10 does this):
    // local endpoints of task containers belong to their service and their task too.
    const localEndpoints = new Map<string, { network: string; reference: string; ipv4Address?: string }[]>();
    for (const container of state.containers) {
        if (!isTaskContainer(container.Config?.Labels) || !state.swarm) continue;
        for (const [networkName, endpoint] of Object.entries(container.NetworkSettings?.Networks ?? {})) {
            const key = (endpoint.NetworkID ? keyById.get(endpoint.NetworkID) : undefined) ?? keyByName.get(networkName);
            const network = nodes.find((node) => node.key === key);
            if (key === undefined || !network || network.scope === "swarm") continue;
            const address = nonEmpty(endpoint.IPAddress);
            localEndpoints.set(container.Id, [...(localEndpoints.get(container.Id) ?? []), { network: key, reference: network.name, ...(address ? { ipv4Address: address } : {}) }]);
        }
    }
    const tasks = state.swarm
        ? liveTasks(state.swarm, serviceIds, resolver).map((task) => {
              const local = task.containerId ? localEndpoints.get(task.containerId) : undefined;
              return local ? { ...task, attachments: [...task.attachments, ...local] } : task;
          })
        : [];
    const serviceNodes = services.map((service) => {
        const node = serviceNode(service, resolver, DUAL_HOMED_LABEL);
        const attached = new Set(node.attachments.map((attachment) => attachment.network));
        const extra: Attachment[] = [];
        for (const task of tasks.filter((t) => t.serviceKey === service.ID)) {
            for (const local of (task.containerId ? localEndpoints.get(task.containerId) : undefined) ?? []) {
                if (attached.has(local.network)) continue;
                attached.add(local.network);
                extra.push({ network: local.network, reference: local.reference, aliases: [], staticAddress: false });
            }
        }
        return extra.length > 0 ? { ...node, attachments: [...node.attachments, ...extra] } : node;
    });

    // `container:<id>` joins another container's namespace: reachability follows it.
    const containers = [...resolveSharedNamespaces(declared), ...serviceNodes];
    const used = new Set(containers.flatMap((container) => container.attachments.map((attachment) => attachment.network)));
    const virtualIps = new Map(services.map((service) => [service.ID, serviceVirtualIps(service, resolver)]));
    return {
        topology: { networks: nodes.filter((network) => !network.defaultBridge || used.has(network.key)), containers },
        tasks,
        virtualIps,
        unjudgedTaskContainers,
        outOfScopeTaskContainers,
    };
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
