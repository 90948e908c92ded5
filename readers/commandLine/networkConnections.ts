/**
 * `docker network connect`/`disconnect` and `docker service update
 * --network-add`/`--network-rm`, applied to the stack's containers and
 * services once all of them are known (the one connected may come from
 * another resource).
 */
import { NetworkConnection, attachmentTo } from "./dockerCommandNodes";
import { withUndeclaredServiceEndpoints } from "../../topology/dockerSemantics";
import { Attachment, ContainerNode, UNKNOWN, isKnown, workloadKind } from "../../topology/model";


/**
 * The reference of the network a container was on before a `docker network
 * connect` when nothing in the stack declares the container. Known text on
 * purpose: Docker refuses to connect a container to a network it is already
 * on, so this is surely another network, and the container is multi-homed.
 */
export const NETWORK_BEFORE_CONNECT = "(its network before docker network connect)";

function sameReference(a: Attachment, b: Attachment): boolean {
    return isKnown(a.reference) && a.reference === b.reference;
}

/**
 * Applies `docker network connect`/`disconnect` lines to the stack's
 * containers, and `docker service update --network-add`/`--network-rm` to
 * its services, found by Docker name (the connecting resource's own first).
 * A named container nothing in the stack creates: Docker refuses the command
 * (`refused` is told, no node). One whose name is unknown gets a node of its
 * own whose original network is unknown: it is on that one and the connected
 * one. A service nothing declares gets a node on the added network.
 */
export function applyNetworkConnections(
    containers: readonly ContainerNode[],
    connections: readonly NetworkConnection[],
    refused: (connection: NetworkConnection, reason: string) => void = () => undefined,
): ContainerNode[] {
    const result = [...containers];
    const find = (connection: NetworkConnection) => {
        const matches = (c: ContainerNode) =>
            workloadKind(c) === connection.workload &&
            (isKnown(connection.container) ? c.dockerName === connection.container : c.key === connection.key);
        const own = result.findIndex((c) => c.resource === connection.resource && matches(c));
        return own >= 0 ? own : result.findIndex(matches);
    };
    // A service's own endpoints (routing mesh, default bridge) follow its networks.
    const settle = (node: ContainerNode) => (workloadKind(node) === "service" ? withUndeclaredServiceEndpoints(node) : node);
    for (const connection of connections) {
        const index = find(connection);
        // Docker refuses to connect or disconnect a container that does not exist: a named one nothing in the stack creates.
        if (index < 0 && connection.workload === "container" && isKnown(connection.container)) {
            refused(connection, `Docker refuses this command (Error response from daemon: No such container: ${connection.container}): nothing in the stack creates it`);
            continue;
        }
        if (connection.kind === "disconnect") {
            if (index < 0) continue;
            const target = result[index];
            result[index] = settle({ ...target, attachments: target.attachments.filter((a) => !sameReference(a, connection.attachment)) });
        } else if (index >= 0) {
            const target = result[index];
            const already = target.attachments.some((a) => sameReference(a, connection.attachment));
            result[index] = settle({
                ...target,
                attachments: already ? target.attachments : [...target.attachments, connection.attachment],
                links: [...target.links, ...connection.links],
            });
        } else {
            const name = connection.container;
            const node: ContainerNode = {
                key: connection.key,
                resource: connection.resource,
                name: isKnown(name) ? name : connection.fallbackName,
                dockerName: name,
                attachments: [attachmentTo(NETWORK_BEFORE_CONNECT, [], undefined), connection.attachment],
                links: connection.links,
                declaredMultiHomed: false,
                origin: "command",
            };
            // A service may have had no network before `--network-add`: only the added one is sure.
            result.push(connection.workload === "service" ? { ...node, attachments: [connection.attachment], kind: "service", replicas: UNKNOWN } : node);
        }
    }
    return result;
}
