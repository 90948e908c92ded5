/**
 * How messages name what they judge: the container or network, and, for
 * ones declared in a `docker` command line, the command resource that runs it
 * (the violation is reported on that resource, so the reader must find the line).
 */
import { ContainerNode, NetworkNode, workloadKind } from "../topology/model";

/** The logical name in a URN (its last `::` segment). */
function resourceNameOf(urn: string): string {
    return urn.split("::").pop() ?? urn;
}

/** True for a network declared by a `docker network create` line (its key is `<command URN>#<n>`). */
export function isCommandLineNetwork(network: NetworkNode): boolean {
    return network.compose === undefined && network.resource !== undefined && network.key !== network.resource;
}

/**
 * Where a node was declared, so that a message says how to fix it in the same
 * words: a Compose project (a file previewed, or one a Command's `docker
 * compose` line runs), a `docker` command line, or a Pulumi resource (or live state).
 */
export type Declaration = "compose" | "command" | "resource";

export function declarationOf(node: ContainerNode | NetworkNode): Declaration {
    if (node.compose !== undefined) return "compose";
    if ("attachments" in node) return node.origin === "command" ? "command" : "resource";
    return isCommandLineNetwork(node) ? "command" : "resource";
}

/** A Compose node's own key: `web` of `services.web`, `back` of `networks.back`. */
export function composeKey(node: ContainerNode | NetworkNode): string {
    return (node.compose?.key ?? node.name).replace(/^(services|networks)\./, "");
}

/** ` (services.web of Compose project "shop")`, and the command that runs it when a Command's script does. */
function composePlace(node: ContainerNode | NetworkNode): string {
    const source = node.compose!;
    const command = node.resource !== undefined && node.resource !== node.key ? ` in command "${resourceNameOf(node.resource)}"` : "";
    return ` (${source.key} of Compose project "${source.project}"${command})`;
}

/** ` on node "n1"` for live state of several engines, else nothing. */
function onNode(node: string | undefined): string {
    return node === undefined ? "" : ` on node "${node}"`;
}

/** `, on host "db1"` for a command line that targets another engine, else nothing. */
function onHost(engineHost: string | undefined): string {
    return engineHost === undefined ? "" : `, on host "${engineHost}"`;
}

/**
 * `container "web"`, `service "web"` (a swarm service), or `container "web"
 * (docker command line in command "setup")`; live, with the node it runs on when known.
 */
export function describeContainer(container: ContainerNode): string {
    const what = workloadKind(container) === "service" ? "service" : "container";
    if (container.compose !== undefined) return `${what} "${container.name}"${composePlace(container)}`;
    return container.origin === "command"
        ? `${what} "${container.name}" (docker command line in command "${resourceNameOf(container.resource)}"${onHost(container.engineHost)})`
        : `${what} "${container.name}"${onNode(container.node)}`;
}

/** `network "app-net"`, or `network "app-net" (docker network create in command "setup")`; live, with its node when known. */
export function describeNetwork(network: NetworkNode): string {
    if (network.compose !== undefined) return `network "${network.name}"${composePlace(network)}`;
    return isCommandLineNetwork(network) && network.resource !== undefined
        ? `network "${network.name}" (docker network create in command "${resourceNameOf(network.resource)}"${onHost(network.engineHost)})`
        : `network "${network.name}"${onNode(network.node)}`;
}
