/**
 * `netguard preview --markdown`: a pull-request comment section. Policy
 * verdicts first (mandatory failures stand out), then each network's
 * addressing, the topology as a Mermaid graph, and reachability grouped by
 * network. Every name is escaped: it comes from the user's program.
 */
import { Violation } from "../../policies/evaluate";
import { PreviewDocument } from "../preview/document";
import { containersByNetwork } from "./attachments";
import { code, codeList, escapeText, markdownTable, plural } from "./markdown";
import { summarizeReachability } from "./reachabilitySummary";
import { topologyMermaid } from "./topologyMermaid";

/** Members named in one line of the reachability summary before "and N more". */
const MEMBERS_LISTED = 12;

/** Violations as a table: level, policy, resource, message. */
export function violationTable(violations: readonly Violation[]): string {
    return markdownTable(
        ["Level", "Policy", "Resource", "Message"],
        violations.map((violation) => [
            violation.level === "mandatory" ? "⛔ mandatory" : "⚠️ advisory",
            code(violation.policy, "table"),
            violation.name === null ? "the stack" : code(violation.name, "table"),
            escapeText(violation.message),
        ]),
    );
}

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
    const rows = document.networks.map((network) => [
        code(network.name, "table"),
        network.dockerName === null ? "(computed)" : code(network.dockerName, "table"),
        network.subnet === null ? "⚠️ none" : code(network.subnet, "table"),
        network.gateway === null ? "⚠️ none" : code(network.gateway, "table"),
        network.ipRange === null ? "whole subnet" : code(network.ipRange, "table"),
        network.internal ? "yes" : "no",
        network.interContainer ? "on" : "off",
        String(memberCount(network.name)),
    ]);
    const table = markdownTable(["Network", "Docker name", "Subnet", "Gateway", "IP range", "Internal", "ICC", "Members"], rows);
    return `### Networks (${document.networks.length})\n\n${table}`;
}

function renderTopology(document: PreviewDocument): string {
    const legend = "Networks are boxes; a hexagon is a container on several networks (dual-homed), the only bridge between them; dotted edges mean multi-homing that is not declared.";
    return `### Topology\n\n\`\`\`mermaid\n${topologyMermaid(document)}\n\`\`\`\n\n${legend}`;
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
    for (const pair of summary.pairs) {
        const arrow = pair.bothWays ? "⇄" : "→";
        items.push(`- ${code(pair.from)} ${arrow} ${code(pair.to)} via ${codeList(pair.networks)}, ${pair.byName ? "by name" : "by IP only"}`);
    }
    return `${title}\n\n${items.join("\n")}`;
}

/** The pull-request summary of a preview. */
export function renderPreviewMarkdown(document: PreviewDocument): string {
    const counts = `${plural(document.networks.length, "network")}, ${plural(document.containers.length, "container")}`;
    return [`## netguard preview\n\n${counts}.`, renderVerdicts(document.violations), renderNetworks(document), renderTopology(document), renderReachability(document)].join("\n\n") + "\n";
}
