/**
 * The Docker host as a node of the reachability matrices, named `@host`.
 * The host reaches a container by IP over every local bridge network the
 * container has an address on: the bridge (docker0, br-…) holds the
 * network's gateway address on the host, and what keeps traffic apart —
 * ICC off, `internal` — filters traffic Docker forwards between
 * interfaces, not the host's own packets. Never by name: the host does not
 * use Docker's embedded DNS.
 */
import { Attachment, ContainerNode, Topology, isKnown, networksByKey } from "./model";
import { ReachablePair } from "./reachability";

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

const ownAddress: HasAddress = (_container, attachment) => attachment.ipv4Address !== undefined && isKnown(attachment.ipv4Address);

/** Pairs `@host` → each container `running` says runs, over its bridge networks; sorted by target. */
export function reachabilityFromHost(topology: Topology, running: (container: ContainerNode) => boolean, hasAddress: HasAddress = ownAddress): ReachablePair[] {
    const networks = networksByKey(topology);
    const pairs: ReachablePair[] = [];
    for (const container of topology.containers) {
        if (!running(container)) continue;
        const via = container.attachments
            .filter((attachment) => hasAddress(container, attachment))
            .map((attachment) => (attachment.network !== undefined ? networks.get(attachment.network) : undefined))
            .filter((network) => network !== undefined && network.driver === "bridge")
            .map((network) => network?.name as string);
        if (via.length > 0) pairs.push({ from: HOST_NODE_NAME, to: container.name, networks: [...new Set(via)].sort(), byName: false });
    }
    return pairs.sort((a, b) => (a.to < b.to ? -1 : a.to > b.to ? 1 : 0));
}
