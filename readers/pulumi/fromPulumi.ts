/**
 * Builds the topology from Pulumi resources: the ones CrossGuard hands a
 * policy (`PolicyResource`, props wrapped by `unknownCheckingProxy`) or the
 * ones `netguard preview` records in-process, which have the same shape.
 *
 * This is where the Docker provider's semantics live (a container with no
 * network lands on the default bridge, `networkMode: "bridge"` next to
 * `networksAdvanced` leaves it, …); the rules only judge the result.
 */
import { CommandLineTopology, DockerNames, StackContext, NetworkConnection, NotJudgedLine, applyNetworkConnections } from "../commandLine";
import { DEFAULT_SEMANTICS, EngineSemantics } from "../../topology/engineSemantics";
import { ipv6BlocksKept } from "../../topology/ipamBlocks";
import { commandLinesFromResource } from "./commandResources";
import { containerFromResource, serviceFromResource } from "./containers";
import { NETWORK_TYPE, ResourceView, readArray, readBoolean, readField, readString, readStringMap, stringOr } from "./resourceFields";
import { driverScope, networkInterContainer, overlayEncrypted } from "../../topology/driverOptions";
import { resolveSharedNamespaces } from "../../topology/sharedNamespaces";
import { ContainerNode, DEFAULT_BRIDGE, DEFAULT_BRIDGE_KEY, IpamBlock, Maybe, NetworkNode, SWARM_INGRESS, SWARM_INGRESS_KEY, Topology, UNKNOWN, defaultBridgeKeyOn, isKnown } from "../../topology/model";

/**
 * The network a resource declares, or undefined for other types, holding
 * what `semantics`' Docker creates: 28+ drops an IPv6 block written without
 * `ipv6: true` (kept as `ignoredIpam` for the rules to say so).
 */
export function networkFromResource(resource: ResourceView, semantics: EngineSemantics = DEFAULT_SEMANTICS): NetworkNode | undefined {
    if (resource.type !== NETWORK_TYPE) return undefined;
    const { props } = resource;
    const ipamConfigs = readArray(props, "ipamConfigs");
    const written: IpamBlock[] = (isKnown(ipamConfigs) ? ipamConfigs : [{ subnet: UNKNOWN, gateway: UNKNOWN }]).map((block) => ({
        subnet: readString(block, "subnet"),
        gateway: readString(block, "gateway"),
        ipRange: readString(block, "ipRange"),
        auxAddresses: readStringMap(block, "auxAddress"),
    }));
    // IPv6 not known yet (computed): keep the blocks as written rather than guess.
    const ipv6Field = readField(props, "ipv6");
    const ipv6 = readBoolean(props, "ipv6") ?? false;
    const { kept: ipam, dropped } = ipv6Field === UNKNOWN ? { kept: written, dropped: [] } : ipv6BlocksKept(semantics, ipv6, written);
    const options = readStringMap(props, "options");
    const driver = stringOr(readString(props, "driver"), "bridge");
    return {
        key: resource.urn,
        resource: resource.urn,
        name: resource.name,
        dockerName: readString(props, "name"),
        driver,
        ipam,
        ...(ipv6 ? { ipv6 } : {}),
        ...(dropped.length > 0 ? { ignoredIpam: dropped } : {}),
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

/** The stack's networks by Docker name and by key; built once per topology, not per container. */
interface NetworkIndex {
    readonly byDockerName: ReadonlyMap<string, NetworkNode>;
    readonly byUrn: ReadonlyMap<string, NetworkNode>;
}

function indexNetworks(networks: readonly NetworkNode[]): NetworkIndex {
    const byDockerName = new Map<string, NetworkNode>();
    for (const network of networks) {
        if (network.dockerName !== undefined && isKnown(network.dockerName)) byDockerName.set(onEngine(network, network.dockerName), network);
    }
    return { byDockerName, byUrn: new Map(networks.map((network) => [network.key, network])) };
}

/** A Docker name on the engine of `node`: names of different engines are different networks. */
function onEngine(node: { engineHost?: string }, dockerName: string): string {
    return `${node.engineHost ?? ""}\u0000${dockerName}`;
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
        const named = isKnown(attachment.reference) ? byDockerName.get(onEngine(container, attachment.reference)) : undefined;
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
export function topologyFromResources(resources: readonly ResourceView[], semantics?: EngineSemantics): Topology {
    return readResources(resources, semantics).topology;
}

/**
 * The names every resource of the stack creates, and each command
 * resource's own: a command's script is read knowing which networks and
 * containers exist in the stack (a name nothing creates may not exist).
 */
function stackNames(resources: readonly ResourceView[], semantics?: EngineSemantics): { all: DockerNames; own: Map<string, DockerNames>; contexts: Map<string, StackContext["remote"]> } {
    const networks = new Set<string>();
    const containers = new Set<string>();
    const own = new Map<string, DockerNames>();
    // Names on remote engines, by host; each resource's own there.
    const remote = new Map<string, { networks: Set<string>; containers: Set<string> }>();
    const ownRemote = new Map<string, ReadonlyMap<string, DockerNames>>();
    // A resource whose name is not known yet may be any network (or container): none is then missing.
    const unnamed = { networks: false, containers: false };
    const add = (kind: "networks" | "containers", set: Set<string>, node: { dockerName?: Maybe<string> } | undefined) => {
        if (node?.dockerName !== undefined && isKnown(node.dockerName)) set.add(node.dockerName);
        else if (node !== undefined) unnamed[kind] = true;
    };
    for (const resource of resources) {
        add("networks", networks, networkFromResource(resource, semantics));
        add("containers", containers, containerFromResource(resource) ?? serviceFromResource(resource));
        const lines = commandLinesFromResource(resource, semantics);
        if (lines === undefined) continue;
        own.set(resource.urn, lines.claimed);
        lines.claimed.networks.forEach((name) => networks.add(name));
        lines.claimed.containers.forEach((name) => containers.add(name));
        ownRemote.set(resource.urn, lines.claimedRemote);
        for (const [host, names] of lines.claimedRemote) {
            const there = remote.get(host) ?? { networks: new Set<string>(), containers: new Set<string>() };
            names.networks.forEach((name) => there.networks.add(name));
            names.containers.forEach((name) => there.containers.add(name));
            remote.set(host, there);
        }
    }
    const none: DockerNames = { networks: new Set(), containers: new Set() };
    const contexts = new Map([...ownRemote].map(([urn, mine]) => [urn, new Map([...remote].map(([host, stack]) => [host, { own: mine.get(host) ?? none, stack }]))]));
    return { all: { networks, containers, anyName: unnamed.networks || unnamed.containers }, own, contexts };
}

/** The topology, and the command lines of command resources that no rule could judge: the scripts are read once for both. */
/** `semantics`: the Docker that runs the scripts' commands (its refusals differ), default 29. */
export function readResources(resources: readonly ResourceView[], semantics?: EngineSemantics): { topology: Topology; notJudged: NotJudgedLine[] } {
    const networks: NetworkNode[] = [];
    const declared: ContainerNode[] = [];
    const connections: NetworkConnection[] = [];
    const starts: CommandLineTopology["starts"] = [];
    const notJudged: NotJudgedLine[] = [];
    const stack = stackNames(resources, semantics);
    for (const resource of resources) {
        const network = networkFromResource(resource, semantics);
        if (network) networks.push(network);
        const container = containerFromResource(resource) ?? serviceFromResource(resource);
        if (container) declared.push(container);
        const own = stack.own.get(resource.urn);
        const commandLines = commandLinesFromResource(resource, semantics, own && { own, stack: stack.all, remote: stack.contexts.get(resource.urn) });
        if (commandLines) {
            networks.push(...commandLines.networks);
            declared.push(...commandLines.containers);
            connections.push(...commandLines.connections);
            starts.push(...commandLines.starts);
            notJudged.push(...commandLines.notJudged);
        }
    }
    // `docker network connect` may attach a container that another resource declares.
    const containers = applyNetworkConnections(declared, connections, (connection, reason) => {
        const at = connection.at;
        if (at) notJudged.push({ resource: connection.resource, name: at.name, field: at.field, line: at.line, excerpt: at.excerpt, reason });
    });
    // Docker refuses to start a container that nothing in the stack creates.
    for (const { container, at } of starts) {
        if (!containers.some((node) => node.dockerName === container && (node.kind ?? "container") === "container")) {
            notJudged.push({ ...at, reason: `Docker refuses this command (Error response from daemon: No such container: ${container}): nothing in the stack creates it` });
        }
    }
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
            networks: [...networks, ...(uses(DEFAULT_BRIDGE_KEY) ? [DEFAULT_BRIDGE] : []), ...remoteBridges(meshed), ...(uses(SWARM_INGRESS_KEY) ? [SWARM_INGRESS] : [])],
            containers: meshed,
            ...(semantics ? { engine: semantics } : {}),
        },
        notJudged,
    };
}

/** The default bridge of each remote engine a container lands on (command lines on other hosts). */
function remoteBridges(containers: readonly ContainerNode[]): NetworkNode[] {
    const hosts = new Set(containers.filter((c) => c.engineHost !== undefined && c.attachments.some((a) => a.network === defaultBridgeKeyOn(c.engineHost))).map((c) => c.engineHost!));
    return [...hosts].map((host) => ({ ...DEFAULT_BRIDGE, key: defaultBridgeKeyOn(host), engineHost: host }));
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
