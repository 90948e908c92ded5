/** Hand-built `preview --json` documents for the renderer and diff tests. */
import { Violation } from "../../policies/evaluate";
import { ReachablePair } from "../../topology/reachability";
import { ContainerEntry, NetworkEntry, PreviewDocument } from "../../document/previewDocument";

export function network(name: string, fields: Partial<NetworkEntry> = {}): NetworkEntry {
    return {
        name,
        dockerName: `stack-${name}`,
        driver: "bridge",
        subnet: "10.30.0.0/24",
        gateway: "10.30.0.1",
        ipRange: null,
        internal: false,
        interContainer: true,
        scope: "local",
        attachable: false,
        encrypted: false,
        ...fields,
    };
}

/** A container attached to `networks` (aliases: its name's last part), optionally dual-homed. */
export function container(name: string, networks: string[], fields: Partial<ContainerEntry> = {}): ContainerEntry {
    return {
        name,
        dockerName: `stack-${name}`,
        kind: "container",
        replicas: null,
        networkMode: null,
        attachments: networks.map((net) => ({ network: net, aliases: [name], ipv4Address: null })),
        dualHomed: false,
        ports: [],
        ...fields,
    };
}

export function violation(policy: string, level: Violation["level"], name: string | null, message = `${policy} fails`): Violation {
    return { policy, level, resource: name === null ? null : `urn:pulumi:dev::p::docker:index/container:Container::${name}`, name, message };
}

/** Docker's rule for user-defined networks: members of a network with ICC on reach each other by name. */
export function reachabilityOf(networks: readonly NetworkEntry[], containers: readonly ContainerEntry[]): ReachablePair[] {
    const pairs: ReachablePair[] = [];
    for (const from of containers) {
        for (const to of containers) {
            if (from === to) continue;
            const shared = networks
                .filter((net) => net.interContainer)
                .map((net) => net.name)
                .filter((net) => from.attachments.some((a) => a.network === net) && to.attachments.some((a) => a.network === net))
                .sort();
            if (shared.length > 0) pairs.push({ from: from.name, to: to.name, networks: shared, byName: true });
        }
    }
    return pairs.sort((a, b) => (a.from === b.from ? (a.to < b.to ? -1 : 1) : a.from < b.from ? -1 : 1));
}

/** A document whose reachability follows from its networks and containers. */
export function documentOf(networks: NetworkEntry[], containers: ContainerEntry[], violations: Violation[] = []): PreviewDocument {
    return { resources: [], networks, containers, reachability: reachabilityOf(networks, containers), violations, notJudged: [] };
}
