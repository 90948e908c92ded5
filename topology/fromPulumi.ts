/**
 * Builds the topology from Pulumi resources: the ones CrossGuard hands a
 * policy (`PolicyResource`, props wrapped by `unknownCheckingProxy`) or the
 * ones `netguard preview` records in-process, which have the same shape.
 *
 * This is where the Docker provider's semantics live (a container with no
 * network lands on the default bridge, `networkMode: "bridge"` next to
 * `networksAdvanced` leaves it, …); the rules only judge the result.
 */
import { CommandLineTopology, CommandScript, NetworkConnection, NotJudgedLine, applyNetworkConnections, topologyFromCommandLines } from "./dockerCommandLine";
import { isDefaultBridgeMode, isServiceNamespaceNetwork, isSharedNamespaceMode, parseLink, withUndeclaredServiceEndpoints } from "./dockerSemantics";
import { driverScope, networkInterContainer, overlayEncrypted } from "./driverOptions";
import { resolveSharedNamespaces } from "./sharedNamespaces";
import {
    Attachment,
    ContainerNode,
    DEFAULT_BRIDGE,
    DEFAULT_BRIDGE_KEY,
    DEFAULT_BRIDGE_NAME,
    IpamBlock,
    Maybe,
    NetworkNode,
    PublishedPort,
    SWARM_INGRESS,
    SWARM_INGRESS_KEY,
    Topology,
    UNKNOWN,
    isKnown,
} from "./model";

export const NETWORK_TYPE = "docker:index/network:Network";
export const CONTAINER_TYPE = "docker:index/container:Container";
export const SERVICE_TYPE = "docker:index/service:Service";
export const DUAL_HOMED_TYPE = "netguard:index:DualHomedContainer";
export const DUAL_HOMED_SERVICE_TYPE = "netguard:index:DualHomedService";
/** `@pulumi/command` resources: their scripts are read for `docker` command lines. */
export const COMMAND_TYPES: readonly string[] = ["command:local:Command", "command:remote:Command"];

/** The part of a CrossGuard `PolicyResource` (or a recorded resource) that the topology needs. */
export interface ResourceView {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    /** Resource inputs; may be wrapped by `unknownCheckingProxy`. */
    readonly props: Record<string, unknown>;
    readonly parent?: ResourceView;
    /** Resources each input property depends on (e.g. the networks behind `networksAdvanced`). */
    readonly propertyDependencies?: Record<string, ResourceView[]>;
}

/** The sentinel CrossGuard leaves in props for unknown strings when they are not proxied. */
const UNKNOWN_STRING_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/**
 * True for `@pulumi/policy`'s UnknownValueError. Recognized by shape, not
 * `instanceof`: when `pulumi preview --policy-pack` installs the pack's own
 * dependencies, its copy of `@pulumi/policy` is not the one this module sees.
 */
function isUnknownValueError(err: unknown): boolean {
    return err instanceof Error && err.constructor.name === "UnknownValueError" && "unknownTypeSentinel" in err;
}

/** Reads one field, turning CrossGuard's unknown values into {@link UNKNOWN}. */
export function readField(source: unknown, key: string): Maybe<unknown> {
    if (source === null || typeof source !== "object") return undefined;
    try {
        const value = (source as Record<string, unknown>)[key];
        return value === UNKNOWN_STRING_SENTINEL ? UNKNOWN : value;
    } catch (err) {
        if (isUnknownValueError(err)) return UNKNOWN;
        throw err;
    }
}

function readString(source: unknown, key: string): Maybe<string> | undefined {
    const value = readField(source, key);
    if (value === UNKNOWN) return UNKNOWN;
    return typeof value === "string" && value !== "" ? value : undefined;
}

function readBoolean(source: unknown, key: string): boolean | undefined {
    const value = readField(source, key);
    return typeof value === "boolean" ? value : value === "true" ? true : value === "false" ? false : undefined;
}

/** Reads an array field; unknown arrays and unknown elements come back as {@link UNKNOWN}. */
export function readArray(source: unknown, key: string): Maybe<unknown[]> {
    const value = readField(source, key);
    if (value === UNKNOWN) return UNKNOWN;
    if (!Array.isArray(value)) return [];
    const items: unknown[] = [];
    for (let i = 0; i < value.length; i++) items.push(readField(value, String(i)));
    return items;
}

function readStrings(source: unknown, key: string): string[] {
    const items = readArray(source, key);
    return isKnown(items) ? items.filter((item): item is string => typeof item === "string") : [];
}

function readStringMap(source: unknown, key: string): Record<string, Maybe<string>> {
    const value = readField(source, key);
    if (value === null || typeof value !== "object") return {};
    const result: Record<string, Maybe<string>> = {};
    for (const name of Object.keys(value)) {
        const item = readField(value, name);
        if (item === UNKNOWN || typeof item === "string") result[name] = item;
    }
    return result;
}

/** The network a resource declares, or undefined for other types. */
export function networkFromResource(resource: ResourceView): NetworkNode | undefined {
    if (resource.type !== NETWORK_TYPE) return undefined;
    const { props } = resource;
    const ipamConfigs = readArray(props, "ipamConfigs");
    const ipam: IpamBlock[] = (isKnown(ipamConfigs) ? ipamConfigs : [{ subnet: UNKNOWN, gateway: UNKNOWN }]).map((block) => ({
        subnet: readString(block, "subnet"),
        gateway: readString(block, "gateway"),
        ipRange: readString(block, "ipRange"),
        auxAddresses: readStringMap(block, "auxAddress"),
    }));
    const options = readStringMap(props, "options");
    const driver = stringOr(readString(props, "driver"), "bridge");
    return {
        key: resource.urn,
        resource: resource.urn,
        name: resource.name,
        dockerName: readString(props, "name"),
        driver,
        ipam,
        internal: readBoolean(props, "internal") ?? false,
        interContainer: networkInterContainer(driver, options),
        driverOptions: options,
        defaultBridge: false,
        ...swarmFields(props, driver, options),
    };
}

/**
 * What only swarm networks carry. The provider has no `scope` input: the
 * driver decides (overlay). `ingress` marks a routing-mesh network
 * (`docker network create --ingress`). Encryption is unknown, not false,
 * while the options map itself is.
 */
function swarmFields(props: unknown, driver: string, options: Readonly<Record<string, Maybe<string>>>): Partial<NetworkNode> {
    if (driverScope(driver) !== "swarm") return {};
    return {
        scope: "swarm",
        attachable: readBoolean(props, "attachable") ?? false,
        ...(readField(props, "options") === UNKNOWN ? {} : { encrypted: overlayEncrypted(options) }),
        ingress: readBoolean(props, "ingress") ?? false,
    };
}

function stringOr(value: Maybe<string> | undefined, fallback: string): string {
    return value !== undefined && isKnown(value) ? value : fallback;
}

function readPort(source: unknown, key: string): number | undefined {
    const value = readField(source, key);
    const port = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
    return typeof port === "number" && Number.isInteger(port) && port >= 0 && port <= 65535 ? port : undefined;
}

/**
 * The `ports` input: the provider binds a port written without `ip` on every
 * interface (its default, 0.0.0.0). Entries whose container port is not known
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
            ...(ip === undefined ? {} : { ip }),
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
            const ipv4Address = readString(entry, "ipv4Address");
            const reference = readString(entry, "name") ?? UNKNOWN;
            attachments.push({
                reference,
                network: reference === DEFAULT_BRIDGE_NAME ? DEFAULT_BRIDGE_KEY : undefined,
                aliases: readStrings(entry, "aliases"),
                ipv4Address,
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

/**
 * The `docker` command lines in the `create`/`update`/`delete` scripts of a
 * `@pulumi/command` resource, or undefined for other types.
 */
export function commandLinesFromResource(resource: ResourceView): CommandLineTopology | undefined {
    if (!COMMAND_TYPES.includes(resource.type)) return undefined;
    const { props } = resource;
    const scripts: CommandScript[] = ["create", "update", "delete"]
        .map((field) => ({ field, text: readString(props, field) }))
        .filter((script): script is CommandScript => script.text !== undefined);
    const environment = readField(props, "environment");
    const env = environment === UNKNOWN ? UNKNOWN : new Map(Object.entries(readStringMap(props, "environment")).filter(
        (entry): entry is [string, string] => isKnown(entry[1]),
    ));
    return topologyFromCommandLines({ urn: resource.urn, name: resource.name }, scripts, env);
}

/** The stack's networks by Docker name and by key; built once per topology, not per container. */
interface NetworkIndex {
    readonly byDockerName: ReadonlyMap<string, NetworkNode>;
    readonly byUrn: ReadonlyMap<string, NetworkNode>;
}

function indexNetworks(networks: readonly NetworkNode[]): NetworkIndex {
    const byDockerName = new Map<string, NetworkNode>();
    for (const network of networks) {
        if (network.dockerName !== undefined && isKnown(network.dockerName)) byDockerName.set(network.dockerName, network);
    }
    return { byDockerName, byUrn: new Map(networks.map((network) => [network.key, network])) };
}

/**
 * Resolves each attachment to a network of the stack: first by the network's
 * Docker name, then, for references that are unknown (a network's `id` or
 * computed `name` during preview) or did not match, through the property
 * dependencies of the container, in order.
 */
function resolveAttachments(container: ContainerNode, resource: ResourceView | undefined, index: NetworkIndex): ContainerNode {
    const { byDockerName, byUrn } = index;
    // A service's networks are inside `taskSpec`: the engine records their dependencies under it.
    const dependencyNetworks = ["networksAdvanced", "networkMode", "taskSpec"]
        .flatMap((property) => resource?.propertyDependencies?.[property] ?? [])
        .map((dependency) => byUrn.get(dependency.urn))
        .filter((network): network is NetworkNode => network !== undefined);

    const claimed = new Set<string>();
    const resolved = container.attachments.map((attachment) => {
        if (attachment.network !== undefined) return attachment;
        const named = isKnown(attachment.reference) ? byDockerName.get(attachment.reference) : undefined;
        if (named) claimed.add(named.key);
        return named ? { ...attachment, network: named.key } : attachment;
    });
    const spare = dependencyNetworks.filter((network) => !claimed.has(network.key));
    // Unknown references take the spare dependencies first: a known name that matched
    // no network of the stack may be a network outside it, not the one depended on.
    const unresolved = resolved
        .map((attachment, index) => ({ attachment, index }))
        .filter(({ attachment }) => attachment.network === undefined)
        .sort((a, b) => Number(isKnown(a.attachment.reference)) - Number(isKnown(b.attachment.reference)));
    const attachments = [...resolved];
    for (const { attachment, index } of unresolved) {
        const next = spare.shift();
        if (next) attachments[index] = { ...attachment, network: next.key };
    }
    return { ...container, attachments };
}

/**
 * The topology of a set of resources (a whole stack, or a single resource for
 * resource-scoped rules). Adds the default bridge when a container lands on it.
 */
export function topologyFromResources(resources: readonly ResourceView[]): Topology {
    return readResources(resources).topology;
}

/** The topology, and the command lines of command resources that no rule could judge: the scripts are read once for both. */
export function readResources(resources: readonly ResourceView[]): { topology: Topology; notJudged: NotJudgedLine[] } {
    const networks: NetworkNode[] = [];
    const declared: ContainerNode[] = [];
    const connections: NetworkConnection[] = [];
    const notJudged: NotJudgedLine[] = [];
    for (const resource of resources) {
        const network = networkFromResource(resource);
        if (network) networks.push(network);
        const container = containerFromResource(resource) ?? serviceFromResource(resource);
        if (container) declared.push(container);
        const commandLines = commandLinesFromResource(resource);
        if (commandLines) {
            networks.push(...commandLines.networks);
            declared.push(...commandLines.containers);
            connections.push(...commandLines.connections);
            notJudged.push(...commandLines.notJudged);
        }
    }
    // `docker network connect` may attach a container that another resource declares.
    const containers = applyNetworkConnections(declared, connections);
    const resourceByUrn = new Map(resources.map((resource) => [resource.urn, resource]));
    const index = indexNetworks(networks);
    const attached = containers.map((node) => resolveAttachments(node, resourceByUrn.get(node.resource), index));
    // `container:<id>` is unknown during a preview: the mode's dependency names the other container.
    const containerByUrn = new Map(attached.map((node) => [node.key, node]));
    const resolved = resolveSharedNamespaces(attached, (node) =>
        (resourceByUrn.get(node.key)?.propertyDependencies?.networkMode ?? [])
            .map((dependency) => containerByUrn.get(dependency.urn))
            .find((other) => other !== undefined),
    );
    const meshed = onDeclaredIngress(resolved, networks);
    const uses = (key: string) => meshed.some((c) => c.attachments.some((a) => a.network === key));
    return {
        topology: {
            networks: [...networks, ...(uses(DEFAULT_BRIDGE_KEY) ? [DEFAULT_BRIDGE] : []), ...(uses(SWARM_INGRESS_KEY) ? [SWARM_INGRESS] : [])],
            containers: meshed,
        },
        notJudged,
    };
}

/**
 * Routing-mesh endpoints go to the stack's own ingress network when it
 * declares one (`ingress: true`: it replaces Docker's); otherwise they stay
 * on Docker's, which the topology then adds.
 */
function onDeclaredIngress(containers: readonly ContainerNode[], networks: readonly NetworkNode[]): ContainerNode[] {
    const declared = networks.find((network) => network.ingress === true);
    if (!declared) return [...containers];
    return containers.map((container) =>
        container.attachments.some((a) => a.routingMesh === true)
            ? { ...container, attachments: container.attachments.map((a) => (a.routingMesh === true ? { ...a, network: declared.key } : a)) }
            : container,
    );
}
