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
