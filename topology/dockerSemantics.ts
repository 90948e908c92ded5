/**
 * How Docker reads the network fields that both a `docker.Container` and a
 * `docker run` line carry (`networkMode`/`--network`, `links`/`--link`),
 * and where a service's tasks land besides the networks it names. Shared by
 * the Pulumi adapter and the command-line adapter so the two cannot disagree.
 */
import {
    Attachment,
    ContainerNode,
    DEFAULT_BRIDGE_KEY,
    DEFAULT_BRIDGE_NAME,
    Link,
    Maybe,
    UNKNOWN,
    defaultBridgeAttachment,
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
    return attachment.routingMesh === true || attachment.network === DEFAULT_BRIDGE_KEY;
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
