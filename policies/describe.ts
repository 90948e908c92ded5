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
    return network.resource !== undefined && network.key !== network.resource;
}

/** ` on node "n1"` for live state of several engines, else nothing. */
function onNode(node: string | undefined): string {
    return node === undefined ? "" : ` on node "${node}"`;
}

/**
 * `container "web"`, `service "web"` (a swarm service), or `container "web"
 * (docker command line in command "setup")`; live, with the node it runs on when known.
 */
export function describeContainer(container: ContainerNode): string {
    const what = workloadKind(container) === "service" ? "service" : "container";
    return container.origin === "command"
        ? `${what} "${container.name}" (docker command line in command "${resourceNameOf(container.resource)}")`
        : `${what} "${container.name}"${onNode(container.node)}`;
}

/** `network "app-net"`, or `network "app-net" (docker network create in command "setup")`; live, with its node when known. */
export function describeNetwork(network: NetworkNode): string {
    return isCommandLineNetwork(network) && network.resource !== undefined
        ? `network "${network.name}" (docker network create in command "${resourceNameOf(network.resource)}")`
        : `network "${network.name}"${onNode(network.node)}`;
}
