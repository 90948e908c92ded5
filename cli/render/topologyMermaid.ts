/**
 * The topology of a preview as a Mermaid flowchart: each network a subgraph
 * with its single-homed members inside; containers on two or more networks
 * drawn outside every subgraph, with an edge to each of their networks, so
 * the bridges between isolated groups stand out.
 */
import { NetworkEntry, PreviewDocument } from "../preview/document";
import { attachedNetworks, containersByNetwork, isMultiHomed } from "./attachments";
import { MermaidIds, mermaidLabel } from "./mermaid";

/** Members drawn inside one subgraph; the rest are one "N more" node, so a big net stays legible. */
export const MAX_MEMBERS_DRAWN = 30;

function networkTitle(networks: ReadonlyMap<string, NetworkEntry>, name: string): string[] {
    const network = networks.get(name);
    if (!network) return [name, "not declared in this program"];
    const flags = [network.dockerName === "bridge" ? "default bridge" : undefined, network.internal ? "internal" : undefined, network.interContainer ? undefined : "ICC off"];
    const details = [network.subnet ?? "no subnet", ...flags.filter((flag): flag is string => flag !== undefined)];
    return [name, details.join(", ")];
}

/** The body of a ```mermaid block (without the fence) for the document's topology. */
export function topologyMermaid(document: PreviewDocument): string {
    const ids = new MermaidIds();
    const lines = ["flowchart LR"];
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
            lines.push(`        ${ids.id("ctr", container.name)}[${mermaidLabel(container.name, ...(address ? [address] : []))}]`);
        }
        if (members.length > MAX_MEMBERS_DRAWN) {
            lines.push(`        ${ids.id("more", networkName)}[${mermaidLabel(`… and ${members.length - MAX_MEMBERS_DRAWN} more`)}]`);
        }
        if (members.length === 0) lines.push(`        ${ids.id("empty", networkName)}[${mermaidLabel("no single-homed members")}]`);
        lines.push("    end");
    }

    const dualHomed: string[] = [];
    const undeclared: string[] = [];
    for (const container of document.containers) {
        const networks = attachedNetworks(container);
        if (networks.length === 0) {
            lines.push(`    ${ids.id("ctr", container.name)}[${mermaidLabel(container.name, "no network")}]`);
            continue;
        }
        if (!isMultiHomed(container)) continue;
        const id = ids.id("ctr", container.name);
        const role = container.dualHomed ? "dual-homed" : "multi-homed, not declared";
        lines.push(`    ${id}{{${mermaidLabel(container.name, role)}}}`);
        (container.dualHomed ? dualHomed : undeclared).push(id);
        for (const networkName of networks) {
            const address = container.attachments.find((attachment) => attachment.network === networkName)?.ipv4Address;
            const edge = container.dualHomed ? "---" : "-.-";
            lines.push(`    ${id} ${edge}${address ? `|${mermaidLabel(address)}|` : ""} ${ids.id("net", networkName)}`);
        }
    }
    if (dualHomed.length > 0) lines.push("    classDef dualHomed fill:#fff4cc,stroke:#b8860b,stroke-width:2px", `    class ${dualHomed.join(",")} dualHomed`);
    if (undeclared.length > 0) lines.push("    classDef undeclared fill:#ffd6d6,stroke:#cc0000,stroke-width:2px", `    class ${undeclared.join(",")} undeclared`);
    return lines.join("\n");
}
