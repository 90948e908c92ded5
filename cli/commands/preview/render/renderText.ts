/** The default, human-readable view of `netguard preview`. */
import { PreviewDocument } from "../../../../document/previewDocument";
import { escapeControls } from "../../../../text/excerpt";
import { isOpenPort, portText } from "../../../render/ports";
import { table } from "../../../render/table";
import { isolationLines } from "./reachabilitySummary";
import { encryptionText, hasSwarmNetwork, workloadText } from "../../../render/swarm";

function section(title: string, body: string): string {
    return `${title}\n${body}\n`;
}

/** Container logical name → Docker network name → likely dynamic address. */
type Predictions = ReadonlyMap<string, ReadonlyMap<string, string>>;

/** ` [service ×3, dual-homed]`: what a container's name is followed by, or nothing. */
function tags(container: PreviewDocument["containers"][number]): string {
    const parts = [workloadText(container), container.dualHomed ? "dual-homed" : undefined].filter((part): part is string => part !== undefined);
    return parts.length > 0 ? ` [${parts.join(", ")}]` : "";
}

/** What was previewed, how, and by how many policies: the first thing a reader sees. */
function headerOf(document: PreviewDocument): string | undefined {
    const { source, engine, summary } = document;
    if (!source) return undefined;
    const lines = [
        source.stack === null
            ? `Previewed the Compose project ${source.project} (${source.program}) offline: no Docker daemon.`
            : `Previewed ${source.program} (project ${source.project}, stack ${source.stack}) offline: Pulumi's mock engine, no Pulumi CLI, backend or Docker daemon.`,
        ...(engine && summary ? [`Judged with Docker ${engine.semantics}'s semantics by ${summary.policiesChecked} policies.`] : []),
    ];
    return `${lines.map(escapeControls).join("\n")}\n`;
}

export function renderPreviewText(document: PreviewDocument, outputs: Record<string, unknown>, predicted: Predictions = new Map()): string {
    const dockerNameOf = new Map(document.networks.map((n) => [n.name, n.dockerName ?? n.name]));
    const dynamic = (container: string, network: string) => {
        const likely = predicted.get(container)?.get(dockerNameOf.get(network) ?? network);
        return likely ? `dynamic (likely ${likely})` : "dynamic";
    };
    const parts: string[] = [];
    const header = headerOf(document);
    if (header) parts.push(header);
    // Scope and encryption only where a swarm network makes them say something.
    const swarm = hasSwarmNetwork(document);
    parts.push(
        section(
            `Networks (${document.networks.length})`,
            table(
                ["NAME", "DOCKER NAME", ...(swarm ? ["SCOPE", "ATTACHABLE"] : []), "SUBNET", "GATEWAY", "IP RANGE", "INTERNAL", "ICC", ...(swarm ? ["ENCRYPTED"] : [])],
                document.networks.map((n) => [
                    n.name,
                    n.dockerName ?? "?",
                    ...(swarm ? [n.scope, n.scope === "swarm" ? (n.attachable ? "yes" : "no") : "-"] : []),
                    n.subnet ?? "-",
                    n.gateway ?? "-",
                    n.ipRange ?? "-",
                    n.internal ? "yes" : "no",
                    n.interContainer ? "on" : "off",
                    ...(swarm ? [encryptionText(n, "(!) ")] : []),
                ]),
            ),
        ),
    );
    parts.push(
        section(
            `Containers (${document.containers.length})`,
            table(
                ["NAME", "NETWORK", "ALIASES", "IPV4"],
                document.containers.flatMap((c) =>
                    (c.attachments.length ? c.attachments : [{ network: "(none)", aliases: [], ipv4Address: null }]).map((a, i) => [
                        i === 0 ? `${c.name}${tags(c)}` : "",
                        a.network,
                        a.aliases.join(", ") || "-",
                        a.ipv4Address ?? dynamic(c.name, a.network),
                    ]),
                ),
            ),
        ),
    );
    const ports = document.containers.flatMap((c) => c.ports.map((port) => [c.name, portText(port), isOpenPort(port) ? "all (!)" : (port.ip ?? "")]));
    if (ports.length > 0) parts.push(section(`Published ports (${ports.length})`, table(["CONTAINER", "PUBLISHED", "HOST INTERFACES"], ports)));
    const isolation = isolationLines(document);
    if (isolation.length > 0) parts.push(section("Isolation between networks", isolation.map(escapeControls).join("\n")));
    parts.push(
        section(
            `Reachability (${document.reachability.length} pairs)`,
            document.reachability.length === 0
                ? "(no container reaches another)"
                : table(
                      ["FROM", "TO", "VIA", "BY NAME"],
                      document.reachability.map((p) => [p.from, p.to, p.networks.join(", "), p.byName ? "yes" : "IP only"]),
                  ),
        ),
    );
    const outputNames = Object.keys(outputs);
    if (outputNames.length > 0) {
        parts.push(section("Stack outputs", outputNames.map((name) => `${name}: ${JSON.stringify(outputs[name], null, 2)}`).join("\n")));
    }
    const mandatory = document.violations.filter((v) => v.level === "mandatory").length;
    parts.push(
        section(
            `Policy violations (${mandatory} mandatory, ${document.violations.length - mandatory} advisory)`,
            document.violations.length === 0
                ? "none"
                : document.violations.map((v) => escapeControls(`[${v.level}] ${v.policy} on ${v.name ?? "the stack"}: ${v.message}`)).join("\n"),
        ),
    );
    if (document.notJudged.length > 0) {
        parts.push(
            section(
                `Not judged (${document.notJudged.length} command lines)`,
                document.notJudged
                    .map((entry) => `${entry.name} ${entry.field}${entry.line === null ? "" : ` line ${entry.line}`}: ${entry.reason}${entry.excerpt ? `\n    ${entry.excerpt}` : ""}`)
                    .join("\n"),
            ),
        );
    }
    return parts.join("\n");
}
