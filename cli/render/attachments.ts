/** How a document's containers sit on its networks (shared by the Markdown views). */
import { ContainerEntry } from "../../document/previewDocument";

/** The distinct networks a container is attached to, in attachment order. */
export function attachedNetworks(container: ContainerEntry): string[] {
    return [...new Set(container.attachments.map((attachment) => attachment.network))];
}

/** On several networks: declared (`DualHomedContainer`) or not. */
export function isMultiHomed(container: ContainerEntry): boolean {
    return container.dualHomed || attachedNetworks(container).length >= 2;
}

/**
 * On several networks it chose without being declared: the routing mesh's
 * endpoint of a publishing service does not count (docker-multi-homing-declared
 * does not count it either).
 */
export function isUndeclaredBridge(container: ContainerEntry): boolean {
    return !container.dualHomed && chosenNetworks(container).length >= 2;
}

/** The distinct networks a container chose, in attachment order: all but the routing mesh's endpoint of a publishing service. */
export function chosenNetworks(container: ContainerEntry): string[] {
    return [...new Set(container.attachments.filter((attachment) => attachment.routingMesh !== true).map((attachment) => attachment.network))];
}

/** Each network's containers (by attached network name), in document order: built once per view, not once per network. */
export function containersByNetwork(containers: readonly ContainerEntry[]): Map<string, ContainerEntry[]> {
    const byNetwork = new Map<string, ContainerEntry[]>();
    for (const container of containers) {
        for (const network of attachedNetworks(container)) {
            const members = byNetwork.get(network);
            if (members) members.push(container);
            else byNetwork.set(network, [container]);
        }
    }
    return byNetwork;
}
