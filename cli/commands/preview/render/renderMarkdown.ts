/**
 * `netguard preview --markdown`: a pull-request comment section. Policy
 * verdicts first (mandatory failures stand out), then each network's
 * addressing, the topology as a Mermaid graph, and reachability grouped by
 * network. Every name is escaped: it comes from the user's program.
 */
import { Violation } from "../../../../policies/evaluate";
import { PreviewDocument } from "../../../../document/previewDocument";
import { containersByNetwork } from "../../../render/attachments";
import { code, codeList, fitComment, markdownTable, plural } from "../../../render/markdown";
import { MAX_TABLE_ROWS, moreRows, violationTable } from "../../../render/violationTable";
import { summarizeReachability } from "./reachabilitySummary";
import { isOpenPort, portText } from "../../../render/ports";
import { drawTopology } from "../../../render/topologyMermaid";
import { encryptionText, hasSwarmNetwork, isService, scopeText, workloadCounts } from "../../../render/swarm";

/** Members named in one line of the reachability summary before "and N more". */
const MEMBERS_LISTED = 12;

/** Verdicts, mandatory ones first, behind a GitHub alert when anything must block the change. */
export function renderVerdicts(violations: readonly Violation[]): string {
    const mandatory = violations.filter((violation) => violation.level === "mandatory");
    const advisory = violations.filter((violation) => violation.level !== "mandatory");
    const headline =
        mandatory.length > 0
            ? `> [!CAUTION]\n> **${plural(mandatory.length, "mandatory policy violation")}**: \`pulumi up\` with this policy pack would be refused.`
            : `✅ **No mandatory policy violation**${advisory.length > 0 ? ` (${plural(advisory.length, "advisory finding")})` : ""}.`;
    if (violations.length === 0) return `### Policy verdicts\n\n${headline}`;
    return `### Policy verdicts\n\n${headline}\n\n${violationTable([...mandatory, ...advisory])}`;
}

function renderNetworks(document: PreviewDocument): string {
    if (document.networks.length === 0) return "### Networks\n\nThe program declares no network.";
    const members = containersByNetwork(document.containers);
    const memberCount = (name: string) => members.get(name)?.length ?? 0;
    // Scope and encryption only where a swarm network makes them say something.
    const swarm = hasSwarmNetwork(document);
    const rows = document.networks.slice(0, MAX_TABLE_ROWS).map((network) => [
        code(network.name, "table"),
        network.dockerName === null ? "(computed)" : code(network.dockerName, "table"),
        ...(swarm ? [scopeText(network)] : []),
        network.subnet === null ? "⚠️ none" : code(network.subnet, "table"),
        network.gateway === null ? "⚠️ none" : code(network.gateway, "table"),
        network.ipRange === null ? "whole subnet" : code(network.ipRange, "table"),
        network.internal ? "yes" : "no",
        network.interContainer ? "on" : "off",
        ...(swarm ? [encryptionText(network, "⚠️ ")] : []),
        String(memberCount(network.name)),
    ]);
    const header = ["Network", "Docker name", ...(swarm ? ["Scope"] : []), "Subnet", "Gateway", "IP range", "Internal", "ICC", ...(swarm ? ["Encrypted"] : []), "Members"];
    const table = markdownTable(header, rows);
    return `### Networks (${document.networks.length})\n\n${table}${moreRows(document.networks.length, MAX_TABLE_ROWS, "more network", "netguard preview --json")}`;
}

/** Rows of the published-ports table before "and N more". */
const PORT_ROWS = 40;

/** Ports published on the host, those on every interface first; nothing when no container publishes one. */
function renderPorts(document: PreviewDocument): string | undefined {
    // A service's port is published on every node of the swarm (the routing mesh), so it says so.
    const rows = document.containers
        .flatMap((container) => container.ports.map((port) => ({ container: isService(container) ? `${container.name} (service)` : container.name, port, open: isOpenPort(port) })))
        .sort((a, b) => Number(b.open) - Number(a.open));
    if (rows.length === 0) return undefined;
    const table = markdownTable(
        ["Container", "Published", "Host interfaces"],
        rows.slice(0, PORT_ROWS).map((row) => [code(row.container, "table"), code(portText(row.port), "table"), row.open ? "⚠️ all" : code(row.port.ip ?? "", "table")]),
    );
    const rest = rows.length - PORT_ROWS;
    return `### Published ports (${rows.length})\n\n${table}${rest > 0 ? `\n\n…and ${plural(rest, "more port")} (see \`netguard preview --json\`).` : ""}`;
}

function renderTopology(document: PreviewDocument): string {
    const drawing = drawTopology(document);
    const legend =
        drawing.kind === "detailed"
            ? "Networks are boxes; a hexagon is a container on several networks (dual-homed): a bridge between them; dotted red edges mean multi-homing that is not declared."
            : `${plural(document.containers.length, "container")} are too many to draw one by one: each box is a network with its member count, and an edge joins networks that containers share, labelled with how many (dotted red: not declared dual-homed). The members are listed under Reachability and in \`--json\`.`;
    const swarm = hasSwarmNetwork(document) || document.containers.some(isService)
        ? " Swarm: a rounded node is a service (×N: its replicas, × ?: one per node or not known yet), reached by its name (a virtual IP) and each task by `tasks.<name>`; an overlay network says whether traffic between nodes is encrypted, and one that is not has a red border."
        : "";
    return `### Topology\n\n\`\`\`mermaid\n${drawing.mermaid}\n\`\`\`\n\n${legend}${swarm}`;
}

function renderReachability(document: PreviewDocument): string {
    const summary = summarizeReachability(document);
    const title = `### Reachability (${plural(summary.total, "ordered pair")})`;
    if (summary.total === 0 && summary.isolatedMembers.length === 0) return `${title}\n\nNo container reaches another.`;
    const items: string[] = [];
    for (const group of summary.groups) {
        const how = group.byName ? "by name" : "by IP (pairs that also resolve by name are listed below)";
        const all = group.members.length === 2 ? "Both members" : `All ${group.members.length} members`;
        items.push(`- ${all} of ${code(group.network)} reach each other ${how}: ${codeList(group.members, MEMBERS_LISTED)}`);
    }
    for (const isolated of summary.isolatedMembers) {
        items.push(`- The ${plural(isolated.members.length, "member")} of ${code(isolated.network)} do not reach each other there (inter-container traffic off): ${codeList(isolated.members, MEMBERS_LISTED)}`);
    }
    for (const pair of summary.pairs.slice(0, MAX_TABLE_ROWS)) {
        const arrow = pair.bothWays ? "⇄" : "→";
        items.push(`- ${code(pair.from)} ${arrow} ${code(pair.to)} via ${codeList(pair.networks)}, ${pair.byName ? "by name" : "by IP only"}`);
    }
    return `${title}\n\n${items.join("\n")}${moreRows(summary.pairs.length, MAX_TABLE_ROWS, "more pair", "netguard preview --json")}`;
}

/** The pull-request summary of a preview. */
export function renderPreviewMarkdown(document: PreviewDocument): string {
    const counts = `${plural(document.networks.length, "network")}, ${workloadCounts(document.containers)}`;
    const ports = renderPorts(document);
    const sections = [`## netguard preview\n\n${counts}.`, renderVerdicts(document.violations), renderNetworks(document), ...(ports ? [ports] : []), renderTopology(document), renderReachability(document)];
    return fitComment(sections.join("\n\n") + "\n", undefined, "`netguard preview --json`");
}
