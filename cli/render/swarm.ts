/**
 * How the views say what swarm adds to a network or a workload: an overlay
 * network's encryption and attachability, a service and its replicas. One
 * home for the wording, shared by the text, Markdown, Mermaid and diff views.
 */
import { OVERLAY_DRIVER } from "../../topology/driverOptions";
import { ContainerEntry, NetworkEntry, PreviewDocument } from "../../document/previewDocument";
import { plural } from "./markdown";

/**
 * An overlay network whose traffic between nodes travels as plain VXLAN (CIS
 * Docker Benchmark 7.4). The routing mesh's is not flagged, as
 * docker-overlay-encrypted does not judge it: it carries published ports' traffic.
 */
export function isUnencryptedOverlay(network: NetworkEntry): boolean {
    return network.scope === "swarm" && network.driver === OVERLAY_DRIVER && !network.encrypted && network.ingress !== true;
}

/** `overlay · encrypted`, `overlay · NOT encrypted`, `attachable`: what a swarm network's label adds; nothing for a local one. */
export function swarmNetworkFlags(network: NetworkEntry): string[] {
    if (network.scope !== "swarm") return [];
    const kind =
        network.driver !== OVERLAY_DRIVER
            ? `${network.driver} · swarm scope`
            : network.ingress === true
              ? "overlay · routing mesh"
              : network.encrypted
                ? "overlay · encrypted"
                : "overlay · NOT encrypted";
    return [kind, ...(network.attachable ? ["attachable"] : [])];
}

/** True when a document has a swarm network: the views then show scope and encryption columns. */
export function hasSwarmNetwork(document: Pick<PreviewDocument, "networks">): boolean {
    return document.networks.some((network) => network.scope === "swarm");
}

/** A network's scope as a table cell: `local`, `swarm`, `swarm, attachable`. */
export function scopeText(network: NetworkEntry): string {
    return network.scope === "swarm" && network.attachable ? "swarm, attachable" : network.scope;
}

/** A network's encryption as a table cell: only overlay networks carry traffic between hosts. */
export function encryptionText(network: NetworkEntry, warn: string): string {
    if (network.scope !== "swarm" || network.driver !== OVERLAY_DRIVER) return "n/a";
    if (network.ingress === true && !network.encrypted) return "no (routing mesh)";
    return network.encrypted ? "yes" : `${warn}no`;
}

export function isService(container: ContainerEntry): boolean {
    return container.kind === "service";
}

/** `×3`, or `× ?` when the count is the swarm's (global mode) or not known yet. */
export function replicasText(container: ContainerEntry): string {
    return container.replicas === null ? "× ?" : `×${container.replicas}`;
}

/** `service ×3` for a service; undefined for a plain container. */
export function workloadText(container: ContainerEntry): string | undefined {
    return isService(container) ? `service ${replicasText(container)}` : undefined;
}

/** "container" or "service", for sentences. */
export function workloadNoun(container: ContainerEntry): string {
    return isService(container) ? "service" : "container";
}

/** "3 containers", "2 containers, 1 service", "2 services": workloads counted by kind. */
export function workloadCounts(containers: readonly ContainerEntry[]): string {
    const services = containers.filter(isService).length;
    const plain = containers.length - services;
    if (services === 0) return plural(plain, "container");
    return plain === 0 ? plural(services, "service") : `${plural(plain, "container")}, ${plural(services, "service")}`;
}
