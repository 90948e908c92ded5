/**
 * The containers and swarm services that `docker.Container` and
 * `docker.Service` resources declare (the Docker provider's semantics: a
 * container with no network lands on the default bridge, a service's tasks
 * get the routing mesh when they publish through it, …).
 */
import { isDefaultBridgeMode, isServiceNamespaceNetwork, isSharedNamespaceMode, parseLink, withUndeclaredServiceEndpoints } from "../../topology/dockerSemantics";
import { Attachment, ContainerNode, DEFAULT_BRIDGE_KEY, DEFAULT_BRIDGE_NAME, Maybe, PublishedPort, UNKNOWN, isKnown } from "../../topology/model";
import { CONTAINER_TYPE, DUAL_HOMED_SERVICE_TYPE, DUAL_HOMED_TYPE, ResourceView, SERVICE_TYPE, readArray, readBoolean, readField, readString, readStrings } from "./resourceFields";


/** The Docker provider's default `ports[].ip`. */
const PROVIDER_DEFAULT_PORT_IP = "0.0.0.0";

function readPort(source: unknown, key: string): number | undefined {
    const value = readField(source, key);
    const port = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
    return typeof port === "number" && Number.isInteger(port) && port >= 0 && port <= 65535 ? port : undefined;
}

/**
 * The `ports` input: a port written without `ip` gets the provider's schema
 * default, 0.0.0.0 (every IPv4 interface: the provider sends that address,
 * never Docker's empty "every interface of both families"). Entries whose container port is not known
 * yet are left out rather than guessed; a host address that is not known yet
 * is kept unknown-free by leaving the entry out too.
 */
function readPorts(props: unknown): PublishedPort[] {
    const entries = readArray(props, "ports");
    if (!isKnown(entries)) return [];
    const ports: PublishedPort[] = [];
    for (const entry of entries) {
        const internal = readPort(entry, "internal");
        const ip = readString(entry, "ip");
        if (internal === undefined || ip === UNKNOWN) continue;
        const external = readPort(entry, "external");
        const protocol = readString(entry, "protocol");
        ports.push({
            internal,
            ...(external === undefined ? {} : { external }),
            ip: ip ?? PROVIDER_DEFAULT_PORT_IP,
            protocol: protocol !== undefined && isKnown(protocol) ? protocol : "tcp",
        });
    }
    return ports;
}

/** True when the resource is, or is a child of, a `DualHomedContainer` or a `DualHomedService`. */
function insideDualHomed(resource: ResourceView): boolean {
    for (let r: ResourceView | undefined = resource; r; r = r.parent) {
        if (r.type === DUAL_HOMED_TYPE || r.type === DUAL_HOMED_SERVICE_TYPE) return true;
    }
    return false;
}

/**
 * The container a resource declares, with attachments whose `network` is
 * still unresolved (see {@link topologyFromResources}), or undefined for other types.
 */
export function containerFromResource(resource: ResourceView): ContainerNode | undefined {
    if (resource.type !== CONTAINER_TYPE) return undefined;
    const { props } = resource;
    const networkMode = readString(props, "networkMode");
    const advanced = readArray(props, "networksAdvanced");
    const attachments: Attachment[] = [];
    if (!isKnown(advanced)) {
        attachments.push({ reference: UNKNOWN, aliases: [], staticAddress: false });
    } else if (advanced.length > 0) {
        // The provider creates the container on networkMode's network and then disconnects only the
        // default bridge before connecting the advanced ones: a user-defined network there stays.
        const names = advanced.map((entry) => readString(entry, "name"));
        if (networkMode !== undefined && isKnown(networkMode) && !isDefaultBridgeMode(networkMode) && !isSharedNamespaceMode(networkMode) && !names.includes(networkMode)) {
            attachments.push({ reference: networkMode, aliases: [], staticAddress: false });
        }
        for (const entry of advanced) {
            const reference = readString(entry, "name") ?? UNKNOWN;
            // The network networkMode names is joined at create; connecting it again changes nothing but is checked (measured on 20.10 and 29).
            const joinedAtCreate = isKnown(networkMode) && reference === networkMode;
            const ipv4Address = readString(entry, "ipv4Address");
            const ipv6Address = readString(entry, "ipv6Address");
            if (joinedAtCreate) {
                const dropped = [ipv4Address, ipv6Address].filter((text): text is string => text !== undefined && isKnown(text));
                attachments.push({ reference, aliases: [], staticAddress: false, ...(dropped.length > 0 ? { droppedAddresses: dropped } : {}) });
                continue;
            }
            attachments.push({
                reference,
                network: reference === DEFAULT_BRIDGE_NAME ? DEFAULT_BRIDGE_KEY : undefined,
                aliases: readStrings(entry, "aliases"),
                ipv4Address,
                ...(ipv6Address === undefined ? {} : { ipv6Address, staticIpv6: true }),
                staticAddress: ipv4Address !== undefined,
            });
        }
    } else if (isDefaultBridgeMode(networkMode)) {
        // The provider's default: no network given means Docker's default bridge.
        attachments.push({ reference: DEFAULT_BRIDGE_NAME, network: DEFAULT_BRIDGE_KEY, aliases: [], staticAddress: false });
    } else if (!isSharedNamespaceMode(networkMode)) {
        attachments.push({ reference: networkMode ?? UNKNOWN, aliases: [], staticAddress: false });
    }
    return {
        key: resource.urn,
        resource: resource.urn,
        name: resource.name,
        dockerName: readString(props, "name"),
        networkMode,
        attachments,
        links: readStrings(props, "links").map(parseLink),
        declaredMultiHomed: insideDualHomed(resource),
        origin: "container",
        ports: readPorts(props),
        ...(readBoolean(props, "publishAllPorts") === true ? { publishAllPorts: true } : {}),
    };
}

/**
 * A service's task count: `mode.replicated.replicas`, 1 when not written (as
 * Docker). A global service runs one task on every eligible node, a number
 * the cluster decides, not the program: unknown, like a computed count.
 */
function readReplicas(props: unknown): Maybe<number> {
    const mode = readField(props, "mode");
    if (mode === UNKNOWN) return UNKNOWN;
    const global = readField(mode, "global");
    if (global === UNKNOWN || global === true) return UNKNOWN;
    const replicated = readField(mode, "replicated");
    if (replicated === UNKNOWN) return UNKNOWN;
    const replicas = readField(replicated, "replicas");
    if (replicas === UNKNOWN) return UNKNOWN;
    return typeof replicas === "number" && Number.isInteger(replicas) && replicas >= 0 ? replicas : 1;
}

/**
 * `endpointSpec.ports`. Neither of Docker's publish modes takes a host
 * address: `ingress` (the default: the routing mesh) listens on every
 * interface of every node, `host` on every interface of the task's node.
 * So every entry is published on all interfaces (no `ip`). Entries whose
 * target port is not known yet are left out rather than guessed; an
 * unknown mode is taken as the default.
 */
function readServicePorts(props: unknown): PublishedPort[] {
    const endpointSpec = readField(props, "endpointSpec");
    const entries = endpointSpec === UNKNOWN ? UNKNOWN : readArray(endpointSpec, "ports");
    if (!isKnown(entries)) return [];
    const ports: PublishedPort[] = [];
    for (const entry of entries) {
        const internal = readPort(entry, "targetPort");
        if (internal === undefined) continue;
        const external = readPort(entry, "publishedPort");
        const protocol = readString(entry, "protocol");
        ports.push({
            internal,
            ...(external === undefined || external === 0 ? {} : { external }),
            protocol: protocol !== undefined && isKnown(protocol) ? protocol : "tcp",
            ...(readString(entry, "publishMode") === "host" ? { publishMode: "host" as const } : {}),
        });
    }
    return ports;
}

/**
 * The swarm service a `docker.Service` declares (one node for all its
 * tasks), or undefined for other types. Its attachments are the entries of
 * `taskSpec.networksAdvanceds` (`name` is the network's name or id), still
 * unresolved; `host` or `none` there is its network mode, not an attachment.
 * Docker's own endpoints follow (the routing mesh's, or the default
 * bridge: see `withUndeclaredServiceEndpoints`). A service that names
 * `ingress` itself has a declared attachment there (Docker refuses it).
 */
export function serviceFromResource(resource: ResourceView): ContainerNode | undefined {
    if (resource.type !== SERVICE_TYPE) return undefined;
    const { props } = resource;
    const taskSpec = readField(props, "taskSpec");
    const entries = taskSpec === UNKNOWN ? UNKNOWN : readArray(taskSpec, "networksAdvanceds");
    const attachments: Attachment[] = [];
    let networkMode: string | undefined;
    if (!isKnown(entries)) {
        attachments.push({ reference: UNKNOWN, aliases: [], staticAddress: false });
    } else {
        for (const entry of entries) {
            const reference = readString(entry, "name") ?? UNKNOWN;
            if (isKnown(reference) && isServiceNamespaceNetwork(reference)) {
                networkMode = reference;
                continue;
            }
            // Swarm hands out every task address itself: a service has no static address.
            attachments.push({ reference, aliases: readStrings(entry, "aliases"), staticAddress: false });
        }
    }
    return withUndeclaredServiceEndpoints({
        key: resource.urn,
        resource: resource.urn,
        name: resource.name,
        dockerName: readString(props, "name"),
        ...(networkMode === undefined ? {} : { networkMode }),
        attachments,
        links: [],
        declaredMultiHomed: insideDualHomed(resource),
        origin: "container",
        ports: readServicePorts(props),
        kind: "service",
        replicas: readReplicas(props),
    });
}
