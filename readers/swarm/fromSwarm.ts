/**
 * A swarm as a manager reports it (`GET /nodes`, `/services`, `/tasks`):
 * services become topology nodes of `kind: "service"`, one per service
 * whatever its number of tasks, and their tasks are kept beside the
 * topology (where each runs, its addresses), for the audit's JSON and its
 * probes. A pure module over that JSON: `cli/commands/audit/engine/dockerEngine.ts` reads
 * it, the tests feed fixtures.
 */
import { Attachment, ContainerNode, PublishedPort } from "../../topology/model";

type StringMap = Readonly<Record<string, string | undefined>>;

/** Labels Docker puts on a task's container: how a container is known as a task, not a container of its own. */
export const SWARM_SERVICE_ID_LABEL = "com.docker.swarm.service.id";
export const SWARM_SERVICE_NAME_LABEL = "com.docker.swarm.service.name";
export const SWARM_TASK_ID_LABEL = "com.docker.swarm.task.id";

/** The fields of a node (`GET /nodes`) the audit needs. */
export interface DockerNodeInspect {
    readonly ID: string;
    readonly Description?: { readonly Hostname?: string } | null;
    readonly Spec?: { readonly Role?: string; readonly Availability?: string; readonly Labels?: StringMap | null } | null;
    /** `State`: ready, down, unknown, disconnected; `Addr`: the address the node is seen at. */
    readonly Status?: { readonly State?: string; readonly Addr?: string; readonly Message?: string } | null;
    readonly ManagerStatus?: { readonly Leader?: boolean; readonly Reachability?: string; readonly Addr?: string } | null;
}

/** One network of a service's task template: `Target` is the network's id (or, as written, its name). */
export interface DockerServiceNetwork {
    readonly Target: string;
    readonly Aliases?: readonly string[] | null;
}

/** One port of a service's endpoint. */
export interface DockerServicePort {
    readonly Protocol?: string;
    readonly TargetPort?: number;
    readonly PublishedPort?: number;
    /** `ingress` (the routing mesh: every node) or `host` (the node a task runs on). */
    readonly PublishMode?: string;
}

/** The fields of a service (`GET /services`) the topology needs. */
export interface DockerServiceInspect {
    readonly ID: string;
    readonly Spec: {
        readonly Name: string;
        readonly Labels?: StringMap | null;
        readonly TaskTemplate?: {
            readonly ContainerSpec?: { readonly Labels?: StringMap | null } | null;
            readonly Networks?: readonly DockerServiceNetwork[] | null;
        } | null;
        /** The networks of services created with API < 1.25. */
        readonly Networks?: readonly DockerServiceNetwork[] | null;
        readonly Mode?: { readonly Replicated?: { readonly Replicas?: number } | null; readonly Global?: object | null } | null;
        readonly EndpointSpec?: { readonly Mode?: string; readonly Ports?: readonly DockerServicePort[] | null } | null;
    };
    readonly Endpoint?: {
        readonly Ports?: readonly DockerServicePort[] | null;
        /** The service's virtual IP on each network (`10.0.1.2/24`), the address its name resolves to. */
        readonly VirtualIPs?: readonly { readonly NetworkID?: string; readonly Addr?: string }[] | null;
    } | null;
}

/** The fields of a task (`GET /tasks`) the audit needs. */
export interface DockerTaskInspect {
    readonly ID: string;
    readonly ServiceID: string;
    readonly Slot?: number;
    readonly NodeID?: string;
    readonly DesiredState?: string;
    readonly Status?: {
        readonly State?: string;
        readonly Err?: string;
        readonly ContainerStatus?: { readonly ContainerID?: string; readonly PID?: number } | null;
    } | null;
    /** Each network the task is on, with its addresses (`10.0.1.3/24`). */
    readonly NetworksAttachments?: readonly { readonly Network?: { readonly ID?: string; readonly Spec?: { readonly Name?: string } | null } | null; readonly Addresses?: readonly string[] | null }[] | null;
}

/** What a manager reports about its swarm. */
export interface DockerSwarmState {
    readonly nodes: readonly DockerNodeInspect[];
    readonly services: readonly DockerServiceInspect[];
    readonly tasks: readonly DockerTaskInspect[];
}

/** How the topology reader resolves a network a service or task names. */
export interface NetworkResolver {
    /** The network node key for a Docker network id or name; undefined when it is not in the topology. */
    key(idOrName: string): string | undefined;
    /** The network's name, for an id or name (the reference as written when unknown). */
    name(idOrName: string): string;
    /** True for the swarm's routing-mesh network. */
    isIngress(idOrName: string): boolean;
}

/** The address of `10.0.1.3/24`. */
function addressOf(cidr: string | undefined): string | undefined {
    const address = cidr?.split("/")[0];
    return address ? address : undefined;
}

/**
 * The name of each node: its hostname, or, when several nodes share one
 * (engines on one machine), the hostname and the node id's first 12 characters.
 */
export function nodeNames(nodes: readonly DockerNodeInspect[]): Map<string, string> {
    const count = new Map<string, number>();
    for (const node of nodes) {
        const host = node.Description?.Hostname || node.ID.slice(0, 12);
        count.set(host, (count.get(host) ?? 0) + 1);
    }
    return new Map(
        nodes.map((node) => {
            const host = node.Description?.Hostname || node.ID.slice(0, 12);
            return [node.ID, (count.get(host) ?? 0) > 1 ? `${host}-${node.ID.slice(0, 12)}` : host];
        }),
    );
}

/** A task as the audit reports it. */
export interface LiveTask {
    readonly id: string;
    /** `<service>.<slot>` (replicated) or `<service>.<node id>` (global), as `docker service ps` names it. */
    readonly name: string;
    /** The key of its service's topology node. */
    readonly serviceKey: string;
    readonly nodeId?: string;
    /** The node's name (see {@link nodeNames}). */
    readonly node?: string;
    /** What the task is (`running`, `pending`, `failed`, …). */
    readonly state: string;
    readonly desiredState: string;
    /** The task's container on its node's engine. */
    readonly containerId?: string;
    readonly attachments: readonly LiveTaskAttachment[];
}

export interface LiveTaskAttachment {
    /** Key of the network node, when the network is in the topology. */
    readonly network?: string;
    /** The network's name. */
    readonly reference: string;
    readonly ipv4Address?: string;
}

/** True when the task's container runs now. */
export function taskRunning(task: LiveTask): boolean {
    return task.state === "running";
}

/** A service's published ports: the routing mesh (`ingress`) and host mode both bind every interface of the node. */
function servicePorts(service: DockerServiceInspect): PublishedPort[] {
    const ports = service.Endpoint?.Ports ?? service.Spec.EndpointSpec?.Ports ?? [];
    return ports
        .filter((port) => port.TargetPort !== undefined)
        .map((port) => ({
            internal: port.TargetPort as number,
            ...(port.PublishedPort ? { external: port.PublishedPort } : {}),
            protocol: port.Protocol ?? "tcp",
            ...(port.PublishMode === "host" ? { publishMode: "host" as const } : {}),
        }));
}

/**
 * The topology node of a service: its networks and aliases as its task
 * template says, plus `ingress` when the routing mesh put it there (it
 * publishes ports in ingress mode: the service has a virtual IP on it),
 * marked `routingMesh` as the Pulumi and command-line readers mark it.
 * A service has no address of its own: its tasks' addresses are the tasks'.
 */
export function serviceNode(service: DockerServiceInspect, networks: NetworkResolver, dualHomedLabel: string): ContainerNode {
    const name = service.Spec.Name;
    const declared = service.Spec.TaskTemplate?.Networks ?? service.Spec.Networks ?? [];
    const attachments: Attachment[] = declared.map((network) => ({
        network: networks.key(network.Target),
        reference: networks.name(network.Target),
        aliases: [...new Set((network.Aliases ?? []).filter((alias) => alias))],
        staticAddress: false,
    }));
    const attached = new Set(attachments.map((attachment) => attachment.network));
    for (const vip of service.Endpoint?.VirtualIPs ?? []) {
        if (!vip.NetworkID || !networks.isIngress(vip.NetworkID)) continue;
        const key = networks.key(vip.NetworkID);
        if (attached.has(key)) continue;
        attached.add(key);
        attachments.push({ network: key, reference: networks.name(vip.NetworkID), aliases: [], staticAddress: false, routingMesh: true });
    }
    const replicated = service.Spec.Mode?.Replicated;
    const labels = { ...service.Spec.TaskTemplate?.ContainerSpec?.Labels, ...service.Spec.Labels };
    return {
        key: service.ID,
        resource: name,
        name,
        dockerName: name,
        attachments,
        links: [],
        declaredMultiHomed: labels[dualHomedLabel] === "true",
        origin: "container",
        ports: servicePorts(service),
        kind: "service",
        // A global service asks for no number (one task per eligible node): left out, as unknown.
        ...(replicated ? { replicas: replicated.Replicas ?? 1 } : service.Spec.Mode?.Global ? {} : { replicas: 1 }),
    };
}

/** The service's virtual IP on each network (by network key): the address its name resolves to there. */
export function serviceVirtualIps(service: DockerServiceInspect, networks: NetworkResolver): Map<string, string> {
    const vips = new Map<string, string>();
    for (const vip of service.Endpoint?.VirtualIPs ?? []) {
        const key = vip.NetworkID ? networks.key(vip.NetworkID) : undefined;
        const address = addressOf(vip.Addr);
        if (key !== undefined && address) vips.set(key, address);
    }
    return vips;
}

/**
 * The current tasks of the services: those meant to run, and any that
 * still runs (a task being replaced). Finished tasks the swarm keeps as
 * history are left out.
 */
export function liveTasks(swarm: DockerSwarmState, serviceKeys: ReadonlySet<string>, networks: NetworkResolver): LiveTask[] {
    const names = nodeNames(swarm.nodes);
    const serviceNames = new Map(swarm.services.map((service) => [service.ID, service.Spec.Name]));
    return swarm.tasks
        .filter((task) => serviceKeys.has(task.ServiceID))
        .filter((task) => task.DesiredState !== "shutdown" || task.Status?.State === "running")
        .map((task): LiveTask => {
            const service = serviceNames.get(task.ServiceID) ?? task.ServiceID;
            return {
                id: task.ID,
                name: task.Slot ? `${service}.${task.Slot}` : `${service}.${task.NodeID ?? task.ID}`,
                serviceKey: task.ServiceID,
                ...(task.NodeID ? { nodeId: task.NodeID, node: names.get(task.NodeID) ?? task.NodeID.slice(0, 12) } : {}),
                state: task.Status?.State ?? "unknown",
                desiredState: task.DesiredState ?? "unknown",
                ...(task.Status?.ContainerStatus?.ContainerID ? { containerId: task.Status.ContainerStatus.ContainerID } : {}),
                attachments: (task.NetworksAttachments ?? []).map((attachment) => {
                    const id = attachment.Network?.ID ?? attachment.Network?.Spec?.Name ?? "";
                    const address = addressOf(attachment.Addresses?.[0]);
                    return {
                        network: networks.key(id),
                        reference: attachment.Network?.Spec?.Name ?? networks.name(id),
                        ...(address ? { ipv4Address: address } : {}),
                    };
                }),
            };
        })
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** True for a container that is a swarm task (its service is judged, not the container). */
export function isTaskContainer(labels: StringMap | null | undefined): boolean {
    return Boolean(labels?.[SWARM_TASK_ID_LABEL] || labels?.[SWARM_SERVICE_ID_LABEL]);
}
