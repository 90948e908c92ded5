/**
 * Builds the topology from a live Docker engine's inspect data (the JSON of
 * `GET /networks/{id}` and `GET /containers/{id}/json`), with Docker names as
 * names. A pure function over that JSON: `cli/commands/audit/engine/dockerEngine.ts` reads
 * it, the tests feed fixtures.
 *
 * Live state is what Docker did, not what someone wrote: attachments come from
 * `NetworkSettings.Networks` (a container created on the default bridge and
 * then connected elsewhere is on both), addresses are the assigned ones, and
 * a `networkMode` of `default` means nothing was written.
 */
import { DEFAULT_BRIDGE_KEY, Attachment, ContainerNode, Link, NetworkNode, PublishedPort, Topology } from "../../topology/model";
import { parseContainerPort, parseLink } from "../../topology/dockerSemantics";
import { resolveSharedNamespaces } from "../../topology/sharedNamespaces";
import { LiveTask, NetworkResolver, SWARM_SERVICE_ID_LABEL, SWARM_SERVICE_NAME_LABEL, isTaskContainer, liveTasks, serviceNode, serviceVirtualIps } from "../swarm/fromSwarm";
import { NAMESPACE_NETWORKS, DockerContainerInspect, DockerEndpointInspect, DockerEngineState, dockerContainerName, isDefaultBridgeNetwork, isNamespaceNetwork } from "./engineState";
import { networkNode, nonEmpty } from "./networks";

/** The label the `DualHomedContainer` component puts on its container. */
export const DUAL_HOMED_LABEL = "netguard.dual-homed";

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
 * Published ports: the bindings of a running container (what Docker did,
 * none at all included), else the requested ones. An empty `HostIp` binds
 * every interface. A running container's entry without a host port is no
 * binding: Docker 28+ lists so a port it opens at the container's own
 * address on a network in routed gateway mode.
 */
function publishedPorts(container: DockerContainerInspect): PublishedPort[] {
    const live = container.NetworkSettings?.Ports;
    // Without a state (older recordings), bindings that are there say it runs.
    const running = live != null && (container.State?.Running ?? Object.keys(live).length > 0);
    const bindings = (running ? live : container.HostConfig?.PortBindings) ?? {};
    const ports: PublishedPort[] = [];
    for (const [key, hosts] of Object.entries(bindings)) {
        const parsed = parseContainerPort(key);
        if (!parsed || !hosts) continue;
        for (const host of hosts) {
            if (running && !host.HostPort) continue;
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
            // The requested IPv6 address (`--ip6`), else the one Docker assigned.
            const requested6 = swarmScope ? undefined : nonEmpty(endpoint.IPAMConfig?.IPv6Address);
            const ipv6 = requested6 ?? nonEmpty(endpoint.IPAMConfig?.IPv6Address) ?? nonEmpty(endpoint.GlobalIPv6Address);
            attachments.push({
                ...(ipv6 ? { ipv6Address: ipv6 } : {}),
                ...(requested6 ? { staticIpv6: true } : {}),
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

