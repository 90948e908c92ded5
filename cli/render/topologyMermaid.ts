/**
 * The topology of a preview as a Mermaid flowchart: each network a subgraph
 * with its single-homed members inside; containers on two or more networks
 * drawn outside every subgraph, with an edge to each of their networks, so
 * the bridges between isolated groups stand out. Swarm services are
 * rounded (stadium) nodes with their replica count; overlay networks say
 * whether they are encrypted, and an unencrypted one has a red border.
 */
import { ContainerEntry, NetworkEntry, PreviewDocument } from "../../document/previewDocument";
import { attachedNetworks, chosenNetworks, containersByNetwork, isMultiHomed, isUndeclaredBridge } from "./attachments";
import { MermaidIds, mermaidLabel } from "./mermaid";
import { isService, isUnencryptedOverlay, swarmNetworkFlags, workloadCounts, workloadText } from "./swarm";

/** Members drawn inside one subgraph; the rest are one "N more" node, so a big net stays legible. */
export const MAX_MEMBERS_DRAWN = 30;

/** Mermaid's default `maxTextSize`: a longer diagram is refused ("Maximum text size in diagram exceeded"). */
export const MERMAID_MAX_TEXT = 50_000;
/** What one diagram may take, under {@link MERMAID_MAX_TEXT} with room for the rest of a comment. */
export const DIAGRAM_BUDGET = 25_000;
/**
 * Past this many containers, one node per container shrinks labels below
 * legibility in a 900 px column: the picture is drawn per network instead.
 */
export const DETAILED_MAX_CONTAINERS = 60;
/** Networks drawn in the per-network picture; the rest are one "N more" node. */
export const MAX_NETWORKS_DRAWN = 250;

/** Docker's default bridge: shared with every container on the host, in the stack or not. */
function isDefaultBridge(network: NetworkEntry | undefined): boolean {
    return network?.dockerName === "bridge";
}

/**
 * Mermaid's defaults draw a subgraph's first member over its title (the
 * subnet line): a margin under the title keeps it readable. Unknown keys are
 * ignored by older Mermaid versions.
 */
export const MERMAID_INIT = `%%{init: {"flowchart": {"subGraphTitleMargin": {"top": 4, "bottom": 16}}}}%%`;

function networkTitle(networks: ReadonlyMap<string, NetworkEntry>, name: string): string[] {
    const network = networks.get(name);
    if (!network) return [name, "not declared in this program"];
    if (isDefaultBridge(network)) return [name, `${network.subnet ?? "no subnet"}, Docker's default bridge: shared with every container on the host`];
    const flags = [...swarmNetworkFlags(network), network.internal ? "internal" : undefined, network.interContainer ? undefined : "ICC off"];
    const details = [network.subnet ?? "no subnet", ...flags.filter((flag): flag is string => flag !== undefined)];
    return [name, details.join(", ")];
}

/** The style line that sets a network apart: the default bridge greyed, overlays blue, an unencrypted overlay red. */
function networkStyle(network: NetworkEntry | undefined, id: string): string[] {
    if (network === undefined) return [];
    if (isDefaultBridge(network)) return [`    style ${id} fill:#eeeeee,stroke:#666666,stroke-dasharray:6 4`];
    if (isUnencryptedOverlay(network)) return [`    style ${id} fill:#fff0f0,stroke:#cc0000,stroke-width:2px`];
    if (network.scope === "swarm") return [`    style ${id} stroke:#1f6feb,stroke-width:2px`];
    return [];
}

/** A member node: a container as a box, a service as a stadium with its replicas. */
function memberNode(id: string, container: ContainerEntry, ...details: string[]): string {
    const workload = workloadText(container);
    const label = mermaidLabel(container.name, ...(workload ? [workload] : []), ...details);
    return isService(container) ? `${id}([${label}])` : `${id}[${label}]`;
}

/** "2 members", "3 members (1 service)". */
function memberCount(members: readonly ContainerEntry[]): string {
    const services = members.filter(isService).length;
    const count = `${members.length} member${members.length === 1 ? "" : "s"}`;
    return services === 0 ? count : `${count} (${services} service${services === 1 ? "" : "s"})`;
}

/** How a change is marked: new containers green, changed ones amber. */
export type Highlight = "added" | "changed";

export interface DrawingOptions {
    /** Containers to mark, by name (the picture of a change). */
    readonly highlight?: ReadonlyMap<string, Highlight>;
    /** The label of a network drawn with none of its single-homed members. */
    readonly emptyLabel?: string;
}

/** How the topology was drawn: container by container, or one node per network with its member count. */
export type TopologyDrawing = { readonly kind: "detailed" | "perNetwork"; readonly mermaid: string };

/**
 * The body of a ```mermaid block (without the fence) for the document's
 * topology: container by container while that stays legible and within
 * {@link DIAGRAM_BUDGET}, else one node per network.
 */
export function drawTopology(document: PreviewDocument, options: DrawingOptions = {}): TopologyDrawing {
    if (document.containers.length <= DETAILED_MAX_CONTAINERS) {
        const mermaid = topologyMermaid(document, options);
        if (mermaid.length <= DIAGRAM_BUDGET) return { kind: "detailed", mermaid };
    }
    // Fewer networks until it fits: the budget holds whatever the size of the stack.
    for (let limit = MAX_NETWORKS_DRAWN; ; limit = Math.floor(limit / 2)) {
        const mermaid = perNetworkMermaid(document, limit);
        if (mermaid.length <= DIAGRAM_BUDGET || limit === 0) return { kind: "perNetwork", mermaid };
    }
}

/**
 * One node per network (name, subnet, flags, member count) and, between
 * networks, one edge per set of networks that containers join, labelled
 * with how many do: the bridges between isolated groups, whatever the size.
 */
export function perNetworkMermaid(document: PreviewDocument, maxNetworks = MAX_NETWORKS_DRAWN): string {
    const ids = new MermaidIds();
    const lines = [MERMAID_INIT, "flowchart LR"];
    const networks = new Map<string, NetworkEntry>();
    for (const network of document.networks) if (!networks.has(network.name)) networks.set(network.name, network);
    const members = containersByNetwork(document.containers);

    // Containers on several networks, grouped by the set of networks they join.
    const bridges = new Map<string, { networks: string[]; declared: number; undeclared: number }>();
    for (const container of document.containers) {
        // The routing mesh's endpoints make no bridge: ingress is drawn with its members counted.
        const joined = [...chosenNetworks(container)].sort();
        if (!container.dualHomed && joined.length < 2) continue;
        const key = JSON.stringify(joined);
        const bridge = bridges.get(key) ?? { networks: joined, declared: 0, undeclared: 0 };
        if (container.dualHomed) bridge.declared++;
        else bridge.undeclared++;
        bridges.set(key, bridge);
    }
    const bridged = new Set([...bridges.values()].flatMap((bridge) => bridge.networks));
    const allNames = [...new Set([...document.networks.map((network) => network.name), ...document.containers.flatMap(attachedNetworks)])];
    // Networks that bridges join are drawn first: they are what the picture is for.
    const ordered = [...allNames.filter((name) => bridged.has(name)), ...allNames.filter((name) => !bridged.has(name))];
    const drawn = new Set(ordered.slice(0, maxNetworks));
    for (const name of drawn) {
        lines.push(`    ${ids.id("net", name)}[${mermaidLabel(...networkTitle(networks, name), memberCount(members.get(name) ?? []))}]`);
        lines.push(...networkStyle(networks.get(name), ids.id("net", name)));
    }
    if (ordered.length > drawn.size) lines.push(`    ${ids.id("more", "networks")}[${mermaidLabel(`… and ${ordered.length - drawn.size} more networks`)}]`);

    // Edges are collected first and oriented afterwards (see orientEdges), so a long chain of bridged networks stays narrow.
    const edges: Edge[] = [];
    let hub = 0;
    for (const bridge of bridges.values()) {
        const ends = bridge.networks.filter((name) => drawn.has(name)).map((name) => ids.id("net", name));
        if (ends.length < 2) continue;
        for (const [count, declared] of [[bridge.declared, true], [bridge.undeclared, false]] as const) {
            if (count === 0) continue;
            const label = mermaidLabel(`${count} ${declared ? "dual-homed" : "multi-homed, not declared"}`);
            if (ends.length === 2) {
                edges.push({ a: ends[0], b: ends[1], label, declared });
            } else {
                const id = ids.id("bridge", String(hub++));
                lines.push(`    ${id}{{${label}}}`);
                for (const end of ends) edges.push({ a: id, b: end, declared });
            }
        }
    }
    const undeclaredEdges: number[] = [];
    orientEdges(edges).forEach((edge, index) => {
        lines.push(`    ${edge.a} ${edge.declared ? "===" : "-.-"}${edge.label ? `|${edge.label}|` : ""} ${edge.b}`);
        if (!edge.declared) undeclaredEdges.push(index);
    });
    const unattached = document.containers.filter((container) => attachedNetworks(container).length === 0);
    if (unattached.length > 0) lines.push(`    ${ids.id("none", "containers")}[${mermaidLabel(`${workloadCounts(unattached)} on no network`)}]`);
    if (undeclaredEdges.length > 0) lines.push(`    linkStyle ${undeclaredEdges.join(",")} stroke:#cc0000,stroke-width:2px`);
    return lines.join("\n");
}

interface Edge {
    readonly a: string;
    readonly b: string;
    readonly label?: string;
    readonly declared: boolean;
}

/**
 * Mermaid's layout puts an edge's target one rank right of its source (in
 * `LR`): a chain of 60 bridged networks would be 60 boxes wide, far past a
 * 900 px column. Colouring the nodes greedily (so no edge joins two of one
 * colour) and pointing every edge from the lower colour to the higher bounds
 * the ranks by the number of colours: a chain or a tree takes two.
 */
function orientEdges(edges: readonly Edge[]): Edge[] {
    const neighbours = new Map<string, Set<string>>();
    const link = (x: string, y: string) => {
        const set = neighbours.get(x);
        if (set) set.add(y);
        else neighbours.set(x, new Set([y]));
    };
    for (const edge of edges) {
        link(edge.a, edge.b);
        link(edge.b, edge.a);
    }
    const colour = new Map<string, number>();
    const byDegree = [...neighbours.keys()].sort((x, y) => neighbours.get(y)!.size - neighbours.get(x)!.size);
    for (const node of byDegree) {
        const taken = new Set([...neighbours.get(node)!].map((other) => colour.get(other)));
        let c = 0;
        while (taken.has(c)) c++;
        colour.set(node, c);
    }
    return edges.map((edge) => (colour.get(edge.a)! <= colour.get(edge.b)! ? edge : { ...edge, a: edge.b, b: edge.a }));
}

/** The body of a ```mermaid block (without the fence): every container drawn, however many. */
export function topologyMermaid(document: PreviewDocument, options: DrawingOptions = {}): string {
    const ids = new MermaidIds();
    const lines = [MERMAID_INIT, "flowchart LR"];
    const networkNames = [...new Set([...document.networks.map((network) => network.name), ...document.containers.flatMap(attachedNetworks)])];
    const networks = new Map<string, NetworkEntry>();
    for (const network of document.networks) if (!networks.has(network.name)) networks.set(network.name, network);
    const containers = containersByNetwork(document.containers);

    for (const networkName of networkNames) {
        const netId = ids.id("net", networkName);
        lines.push(`    subgraph ${netId} [${mermaidLabel(...networkTitle(networks, networkName))}]`);
        const members = (containers.get(networkName) ?? []).filter((container) => !isMultiHomed(container));
        for (const container of members.slice(0, MAX_MEMBERS_DRAWN)) {
            const address = container.attachments.find((attachment) => attachment.network === networkName)?.ipv4Address;
            lines.push(`        ${memberNode(ids.id("ctr", container.name), container, ...(address ? [address] : []))}`);
        }
        if (members.length > MAX_MEMBERS_DRAWN) {
            lines.push(`        ${ids.id("more", networkName)}[${mermaidLabel(`… and ${members.length - MAX_MEMBERS_DRAWN} more`)}]`);
        }
        if (members.length === 0) lines.push(`        ${ids.id("empty", networkName)}[${mermaidLabel(options.emptyLabel ?? "no single-homed members")}]`);
        lines.push("    end");
        lines.push(...networkStyle(networks.get(networkName), netId));
    }

    const dualHomed: string[] = [];
    const undeclared: string[] = [];
    const undeclaredEdges: number[] = [];
    let edges = 0;
    for (const container of document.containers) {
        const networks = attachedNetworks(container);
        if (networks.length === 0) {
            lines.push(`    ${memberNode(ids.id("ctr", container.name), container, isService(container) ? "no user network" : "no network")}`);
            continue;
        }
        if (!isMultiHomed(container)) continue;
        const id = ids.id("ctr", container.name);
        // A publishing service on one network of its own and the routing mesh's ingress is drawn on both, not as a bridge to fix.
        const bridge = isUndeclaredBridge(container);
        const role = container.dualHomed ? "dual-homed" : bridge ? "multi-homed, not declared" : "published via the routing mesh";
        const workload = workloadText(container);
        lines.push(`    ${id}{{${mermaidLabel(container.name, workload ? `${role} ${workload}` : role)}}}`);
        if (container.dualHomed) dualHomed.push(id);
        else if (bridge) undeclared.push(id);
        for (const networkName of networks) {
            const address = container.attachments.find((attachment) => attachment.network === networkName)?.ipv4Address;
            const edge = container.dualHomed ? "---" : "-.-";
            lines.push(`    ${id} ${edge}${address ? `|${mermaidLabel(address)}|` : ""} ${ids.id("net", networkName)}`);
            if (bridge) undeclaredEdges.push(edges);
            edges++;
        }
    }
    if (undeclaredEdges.length > 0) lines.push(`    linkStyle ${undeclaredEdges.join(",")} stroke:#cc0000,stroke-width:2px`);
    if (dualHomed.length > 0) lines.push("    classDef dualHomed fill:#fff4cc,stroke:#b8860b,stroke-width:2px", `    class ${dualHomed.join(",")} dualHomed`);
    if (undeclared.length > 0) lines.push("    classDef undeclared fill:#ffd6d6,stroke:#cc0000,stroke-width:2px", `    class ${undeclared.join(",")} undeclared`);
    // Single-homed services in blue, unless the picture of a change marks them.
    const services = document.containers
        .filter((container) => isService(container) && !isMultiHomed(container) && options.highlight?.get(container.name) === undefined)
        .map((container) => ids.id("ctr", container.name));
    if (services.length > 0) lines.push("    classDef service fill:#e7f0ff,stroke:#1f6feb,stroke-width:1px", `    class ${services.join(",")} service`);
    const styles: Record<Highlight, string> = { added: "fill:#d4f7d4,stroke:#1a7f37,stroke-width:3px", changed: "fill:#ffe8b3,stroke:#9a6700,stroke-width:3px" };
    for (const kind of ["added", "changed"] as const) {
        const marked = document.containers.filter((container) => options.highlight?.get(container.name) === kind).map((container) => ids.id("ctr", container.name));
        if (marked.length > 0) lines.push(`    classDef ${kind} ${styles[kind]}`, `    class ${marked.join(",")} ${kind}`);
    }
    return lines.join("\n");
}
