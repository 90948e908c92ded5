/**
 * `networkMode: "container:<other>"` (`--network container:<other>`): the
 * container joins the other's network namespace. It has no network of its
 * own; it reaches and is reached exactly as the other is. Adapters record
 * whose namespace it is ({@link ContainerNode.sharesNamespaceOf}); the
 * reachability computation follows it.
 */
import { sharedNamespaceTarget } from "./dockerSemantics";
import { ContainerNode, isKnown } from "./model";

/**
 * Resolves every `container:<other>` mode to the other container's key, by
 * Docker name, then id (live state keys containers by id), then logical
 * name. `fallback` names the container for modes that are unknown or match
 * no container (the Pulumi adapter looks at the mode's property dependencies).
 */
export function resolveSharedNamespaces(
    containers: readonly ContainerNode[],
    fallback: (container: ContainerNode) => ContainerNode | undefined = () => undefined,
): ContainerNode[] {
    const byReference = new Map<string, ContainerNode>();
    for (const container of [...containers].reverse()) {
        byReference.set(container.name, container);
        byReference.set(container.key, container);
    }
    for (const container of [...containers].reverse()) {
        if (container.dockerName !== undefined && isKnown(container.dockerName)) byReference.set(container.dockerName, container);
    }
    return containers.map((container) => {
        const target = sharedNamespaceTarget(container.networkMode);
        if (target === undefined) return container;
        const other = (isKnown(target) ? byReference.get(target) ?? byIdPrefix(containers, target) : undefined) ?? fallback(container);
        return other && other !== container ? { ...container, sharesNamespaceOf: other.key } : container;
    });
}

/** Docker accepts any unique prefix of a container id (live keys are full ids). */
function byIdPrefix(containers: readonly ContainerNode[], prefix: string): ContainerNode | undefined {
    if (!/^[0-9a-f]{12,64}$/.test(prefix)) return undefined;
    const matches = containers.filter((container) => container.key.startsWith(prefix));
    return matches.length === 1 ? matches[0] : undefined;
}

/**
 * The container whose namespace `container` is in: itself, or the end of its
 * `container:` chain (a cycle, which Docker cannot build, ends where it closes).
 */
export function namespaceOwner(container: ContainerNode, byKey: ReadonlyMap<string, ContainerNode>): ContainerNode {
    const seen = new Set<ContainerNode>([container]);
    let owner = container;
    while (owner.sharesNamespaceOf !== undefined) {
        const next = byKey.get(owner.sharesNamespaceOf);
        if (!next || seen.has(next)) break;
        seen.add(next);
        owner = next;
    }
    return owner;
}
