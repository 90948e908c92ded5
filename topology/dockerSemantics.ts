/**
 * How Docker reads the network fields that both a `docker.Container` and a
 * `docker run` line carry (`networkMode`/`--network`, `links`/`--link`),
 * where a service's tasks land besides the networks it names, and how Docker
 * writes a container port (`80/tcp`, in `-p` values and in inspect data's
 * port keys alike). Shared by the readers so that they cannot disagree.
 */
import {
    Attachment,
    ContainerNode,
    isDefaultBridgeKey,
    DEFAULT_BRIDGE_NAME,
    Link,
    Maybe,
    UNKNOWN,
    defaultBridgeAttachment,
    isKnown,
    publishesThroughRoutingMesh,
    routingMeshAttachment,
} from "./model";

/** True when `networkMode` names the default bridge (no mode at all included: Docker's default). */
export function isDefaultBridgeMode(mode: Maybe<string> | undefined): boolean {
    return mode === undefined || mode === DEFAULT_BRIDGE_NAME || mode === "default";
}

/** Network modes that share a namespace (or have none) instead of attaching to a network. */
export function isSharedNamespaceMode(mode: Maybe<string> | undefined): boolean {
    return mode === "host" || mode === "none" || (typeof mode === "string" && /^(container|service):/.test(mode));
}

/** The daemon's checks of a namespace mode against links and published ports (both engines, before anything else): its refusal, or undefined. */
export function namespaceModeConflict(mode: Maybe<string> | undefined, linked: boolean, publishes: boolean): string | undefined {
    if (mode === undefined || !isKnown(mode)) return undefined;
    if (mode.startsWith("container:")) {
        if (linked) return "conflicting options: container type network can't be used with links. This would result in undefined behavior";
        if (publishes) return "conflicting options: port publishing and the container type network mode";
    }
    if (mode === "host" && linked) return "conflicting options: host type networking can't be used with links. This would result in undefined behavior";
    return undefined;
}

/** A container created with no network (`none`) refuses every later connect, such as the provider's connect of `networksAdvanced` (both engines). */
export function noneModeConnectRefusal(mode: Maybe<string> | undefined, connects: boolean): string | undefined {
    return mode === "none" && connects ? "container cannot be connected to multiple networks with one of the networks in private (none) mode" : undefined;
}

/** Parses one legacy link as Docker writes it: `target`, `target:alias`, or `/target:/self/alias`. */
export function parseLink(value: string): Link {
    const [target, alias] = value.replace(/^\//, "").split(":");
    return alias ? { target, alias: alias.replace(/^.*\//, "") } : { target };
}

/**
 * The other container of a `container:<other>` mode, as written; UNKNOWN
 * when the mode itself is unknown (it may be one); undefined for other modes.
 */
export function sharedNamespaceTarget(mode: Maybe<string> | undefined): Maybe<string> | undefined {
    if (mode === UNKNOWN) return UNKNOWN;
    return typeof mode === "string" && mode.startsWith("container:") ? mode.slice("container:".length) : undefined;
}

/**
 * Networks a swarm service may name that are no network of its own: `host`
 * (the task shares its node's namespace) and `none`. Docker reads
 * `--network host` on `docker service create` as the container's
 * `--network host`, so the topology records it as the node's network mode.
 */
export function isServiceNamespaceNetwork(name: string): boolean {
    return name === "host" || name === "none";
}

/** True for an endpoint Docker gave a service without its naming it (see {@link withUndeclaredServiceEndpoints}). */
function undeclaredServiceEndpoint(attachment: Attachment): boolean {
    return attachment.routingMesh === true || isDefaultBridgeKey(attachment.network);
}

/**
 * A service with the endpoints Docker gives its tasks besides the networks
 * it names (measured on Docker 20.10): one on the routing mesh's `ingress`
 * network when it publishes a port in ingress mode (the default), else, on
 * no network at all, one on its node's default bridge, as `docker run`
 * without `--network`. None in a namespace mode (`host`, `none`, unknown)
 * or while its networks are unknown. A service cannot name the default
 * bridge (Docker refuses it), so a service's attachment to it is always
 * Docker's doing; recomputed from scratch, so it follows network changes.
 */
export function withUndeclaredServiceEndpoints(service: ContainerNode): ContainerNode {
    const declared = service.attachments.filter((attachment) => !undeclaredServiceEndpoint(attachment));
    const added: Attachment[] = [];
    if (service.networkMode === undefined) {
        if (publishesThroughRoutingMesh(service.ports)) added.push(routingMeshAttachment());
        else if (declared.length === 0) added.push(defaultBridgeAttachment());
    }
    return { ...service, attachments: [...declared, ...added] };
}

/** A port or a `LOW-HIGH` range of ports, as Docker reads one; undefined when malformed. */
export function portRange(text: string): [number, number] | undefined {
    const match = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(text);
    if (!match) return undefined;
    const low = Number(match[1]);
    const high = match[2] === undefined ? low : Number(match[2]);
    return low >= 1 && high <= 65535 && low <= high ? [low, high] : undefined;
}

/** `80`, `80/udp`, `8000-8010/tcp`: a container port (range) and its protocol, as Docker writes port keys too. */
export function parseContainerPort(text: string): { range: [number, number]; protocol: string } | undefined {
    const slash = text.indexOf("/");
    const protocol = slash < 0 ? "tcp" : text.slice(slash + 1).toLowerCase();
    const range = portRange(slash < 0 ? text : text.slice(0, slash));
    return range && ["tcp", "udp", "sctp"].includes(protocol) ? { range, protocol } : undefined;
}
