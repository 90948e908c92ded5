/** How a document's containers sit on its networks (shared by the Markdown views). */
import { ContainerEntry } from "../preview/document";

/** The distinct networks a container is attached to, in attachment order. */
export function attachedNetworks(container: ContainerEntry): string[] {
    return [...new Set(container.attachments.map((attachment) => attachment.network))];
}

/** On several networks: declared (`DualHomedContainer`) or not. */
export function isMultiHomed(container: ContainerEntry): boolean {
    return container.dualHomed || attachedNetworks(container).length >= 2;
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
