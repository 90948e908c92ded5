/** The default, human-readable view of `netguard audit`. */
import { table } from "../../../render/table";
import { AuditDocument } from "../../../../document/auditDocument";
import { PairSide } from "../../../../document/auditDocument";

function section(title: string, body: string): string {
    return `${title}\n${body}\n`;
}

function side(pair: PairSide | null): string {
    return pair ? `${pair.networks.join(", ")} ${pair.byName ? "by name" : "by IP only"}` : "not reachable";
}

function reachabilitySection(document: AuditDocument): string {
    const { predicted, measured, mismatches, probe } = document.reachability;
    if (probe?.incomplete) {
        return section(`Reachability, predicted (${predicted.length} pairs); measurement INCOMPLETE`, probe.incomplete);
    }
    if (measured === null || mismatches === null || probe === null) {
        return section(
            `Reachability, predicted (${predicted.length} pairs; --probe measures it)`,
            predicted.length === 0
                ? "(no running container reaches another)"
                : table(["FROM", "TO", "VIA", "BY NAME"], predicted.map((p) => [p.from, p.to, p.networks.join(", "), p.byName ? "yes" : "IP only"])),
        );
    }
    const mismatchOf = new Map(mismatches.map((m) => [`${m.from}\u0000${m.to}`, m]));
    const probed = new Set(probe.probed);
    const rows = predicted.map((p) => {
        const mismatch = mismatchOf.get(`${p.from}\u0000${p.to}`);
        const verdict = !probed.has(p.from) ? "not probed" : mismatch ? `MISMATCH: measured ${side(mismatch.measured)}` : "as predicted";
        return [p.from, p.to, p.networks.join(", "), p.byName ? "yes" : "IP only", verdict];
    });
    for (const m of mismatches.filter((m) => m.predicted === null)) {
        rows.push([m.from, m.to, m.measured?.networks.join(", ") ?? "", m.measured?.byName ? "yes" : "IP only", "MISMATCH: not predicted"]);
    }
    const parts = [
        section(
            `Reachability (${predicted.length} predicted, ${measured.length} measured, ${mismatches.length} mismatches; probed ${probe.probed.length} containers ${probe.method === "host" ? "from the host" : "by exec"} in ${(probe.durationMs / 1000).toFixed(1)}s)`,
            rows.length === 0 ? "(no running container reaches another)" : table(["FROM", "TO", "VIA", "BY NAME", "MEASURED"], rows),
        ),
    ];
    if (probe.notProbed.length > 0) {
        parts.push(section(`Not probed (${probe.notProbed.length})`, table(["CONTAINER", "WHY"], probe.notProbed.map((n) => [n.container, n.reason]))));
    }
    if (probe.gone.length > 0) {
        parts.push(section(`Gone during the probe (${probe.gone.length}; not measured, not compared)`, table(["CONTAINER", "WHAT HAPPENED"], probe.gone.map((g) => [g.container, g.reason]))));
    }
    if (probe.skippedAddresses.length > 0) {
        parts.push(
            section(
                `Addresses not pinged (${probe.skippedAddresses.length})`,
                table(["CONTAINER", "NETWORK", "ADDRESS", "WHY"], probe.skippedAddresses.map((s) => [s.target, s.network, s.address, s.reason])),
            ),
        );
    }
    return parts.join("\n");
}

export function renderAuditText(document: AuditDocument): string {
    const parts: string[] = [];
    const { engine } = document;
    const scope = document.labels.length > 0 ? `, scoped to label ${document.labels.join(" and ")}` : "";
    if (document.engines.length <= 1) {
        parts.push(`Docker engine at ${engine.address} (${engine.version ?? "version unknown"}, API ${engine.apiVersion ?? "?"})${scope}\n`);
    } else {
        parts.push(
            section(
                `Docker engines (${document.engines.length})${scope}`,
                table(
                    ["ADDRESS", "NODE", "SWARM", "VERSION"],
                    document.engines.map((e) => [e.address, e.node ?? "-", e.answered ? (e.swarm ?? "-") : `NOT AUDITED: ${e.error ?? "did not answer"}`, e.version ?? "-"]),
                ),
            ),
        );
    }
    if (document.nodes.length > 0) {
        parts.push(
            section(
                `Swarm nodes (${document.nodes.length})`,
                table(
                    ["NAME", "ROLE", "STATE", "AVAILABILITY", "ADDRESS", "ENGINE"],
                    document.nodes.map((n) => [`${n.name}${n.leader ? " [leader]" : ""}`, n.role, n.state === "ready" ? n.state : n.state.toUpperCase(), n.availability, n.address ?? "-", n.engine ?? "(not audited)"]),
                ),
            ),
        );
    }
    if (document.warnings.length > 0) parts.push(section(`Warnings (${document.warnings.length})`, document.warnings.join("\n")));
    parts.push(
        section(
            `Networks (${document.networks.length})`,
            table(
                ["NAME", "DRIVER", "SCOPE", "SUBNET", "GATEWAY", "IP RANGE", "INTERNAL", "ICC"],
                document.networks.map((n) => [
                    n.name,
                    n.driver,
                    n.scope === "swarm" ? `swarm${n.encrypted ? ", encrypted" : ", NOT encrypted"}${n.attachable ? ", attachable" : ""}` : n.scope,
                    n.subnet ?? "-",
                    n.gateway ?? "-",
                    n.ipRange ?? "-",
                    n.internal ? "yes" : "no",
                    n.interContainer ? "on" : "off",
                ]),
            ),
        ),
    );
    const gone = new Map((document.reachability.probe?.gone ?? []).map((g) => [g.container, g.reason]));
    const state = (c: AuditDocument["containers"][number]) => (c.running ? "running" : gone.has(c.name) ? `gone (${gone.get(c.name)})` : "stopped");
    const plain = document.containers.filter((c) => c.kind !== "service");
    const services = document.containers.filter((c) => c.kind === "service");
    const manyNodes = document.engines.length > 1;
    if (services.length > 0) {
        parts.push(
            section(
                `Services (${services.length})`,
                table(
                    ["SERVICE", "REPLICAS", "TASK", "NODE", "STATE", "NETWORK", "IPV4"],
                    services.flatMap((s) => {
                        const tasks = s.tasks ?? [];
                        const header = [`${s.name}${s.dualHomed ? " [dual-homed]" : ""}`, s.replicas === null ? "global" : String(s.replicas)];
                        const networks = s.attachments.map((a) => `${a.network}${a.aliases.length > 0 ? ` (${a.aliases.join(", ")})` : ""}`).join("; ") || "(none)";
                        if (tasks.length === 0) return [[...header, "(no task)", "-", "-", networks, "-"]];
                        return tasks.flatMap((t, i) =>
                            (t.attachments.length > 0 ? t.attachments : [{ network: "(none)", ipv4Address: null }]).map((a, j) => [
                                i === 0 && j === 0 ? header[0] : "",
                                i === 0 && j === 0 ? header[1] : "",
                                j === 0 ? t.name : "",
                                j === 0 ? (t.node ?? "-") : "",
                                j === 0 ? t.state : "",
                                a.network,
                                a.ipv4Address ?? "-",
                            ]),
                        );
                    }),
                ),
            ),
        );
    }
    parts.push(
        section(
            `Containers (${plain.length})`,
            table(
                ["NAME", "STATE", ...(manyNodes ? ["NODE"] : []), "NETWORK", "ALIASES", "IPV4", "HOST VETH", "BRIDGE"],
                plain.flatMap((c) =>
                    (c.attachments.length
                        ? c.attachments
                        : [{ network: c.networkMode && c.networkMode !== "default" ? `(mode ${c.networkMode})` : "(none)", aliases: [], ipv4Address: null, hostInterface: null, bridge: null }]
                    ).map((a, i) => [
                        i === 0 ? `${c.name}${c.dualHomed ? " [dual-homed]" : ""}` : "",
                        i === 0 ? state(c) : "",
                        ...(manyNodes ? [i === 0 ? (c.node ?? "-") : ""] : []),
                        a.network,
                        a.aliases.join(", ") || "-",
                        a.ipv4Address ?? "-",
                        a.hostInterface ?? "-",
                        a.bridge ?? "-",
                    ]),
                ),
            ),
        ),
    );
    parts.push(reachabilitySection(document));
    const mandatory = document.violations.filter((v) => v.level === "mandatory").length;
    parts.push(
        section(
            `Policy violations (${mandatory} mandatory, ${document.violations.length - mandatory} advisory)`,
            document.violations.length === 0 ? "none" : document.violations.map((v) => `[${v.level}] ${v.policy} on ${v.name ?? "the engine"}: ${v.message}`).join("\n"),
        ),
    );
    if (document.policies.notJudged.length > 0) {
        parts.push(
            section(
                "Not judged from live state (the engine cannot show what was declared)",
                document.policies.notJudged.map((n) => `${n.policy}: ${n.description}`).join("\n"),
            ),
        );
    }
    return parts.join("\n");
}
