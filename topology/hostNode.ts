/**
 * The Docker host as a node of the reachability matrices, named `@host`.
 * The host reaches a container by IP over every local bridge network the
 * container has an address on: the bridge (docker0, br-…) holds the
 * network's gateway address on the host, and what keeps traffic apart —
 * ICC off, `internal` — filters traffic Docker forwards between
 * interfaces, not the host's own packets. Never by name: the host does not
 * use Docker's embedded DNS. A container in the host's network namespace
 * (network mode `host`) is the host as far as the network goes: it reaches
 * what the host reaches.
 */
import { Attachment, ContainerNode, NetworkNode, isKnown } from "./model";

export const HOST_NODE_NAME = "@host";

/** The host as a probe source: on no network of its own, so it reaches containers only through their bridges. */
export const HOST_NODE: ContainerNode = {
    key: HOST_NODE_NAME,
    resource: HOST_NODE_NAME,
    name: HOST_NODE_NAME,
    attachments: [],
    links: [],
    declaredMultiHomed: false,
    origin: "container",
};

/** Whether an attachment has an address (a container's own; a service's tasks have theirs, which the audit knows). */
export type HasAddress = (container: ContainerNode, attachment: Attachment) => boolean;

/** Docker gives a running container an address on every network it is attached to (of one family or both). */
export const ATTACHED: HasAddress = (_container, attachment) => attachment.network !== undefined;

/** True when a container's network mode is the host's namespace. */
export function inHostNamespace(container: ContainerNode): boolean {
    return container.networkMode !== undefined && isKnown(container.networkMode) && container.networkMode === "host";
}

/** Names of the local bridge networks on which the host reaches `container` (it has an address there), sorted; empty: not at all. */
export function bridgesFromHost(container: ContainerNode, networks: ReadonlyMap<string, NetworkNode>, hasAddress: HasAddress): string[] {
    const via = container.attachments
        .filter((attachment) => hasAddress(container, attachment))
        .map((attachment) => (attachment.network !== undefined ? networks.get(attachment.network) : undefined))
        .filter((network): network is NetworkNode => network !== undefined && network.driver === "bridge")
        .map((network) => network.name);
    return [...new Set(via)].sort();
}
