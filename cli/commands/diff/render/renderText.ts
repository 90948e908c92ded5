/** The default, terminal view of `netguard diff`. */
import { Violation } from "../../../../policies/evaluate";
import { escapeControls } from "../../../../text/excerpt";
import { ReachablePair } from "../../../../topology/reachability";
import { ContainerEntry } from "../../../../document/previewDocument";
import { addsMandatoryViolation, classifyPairs } from "../diffPreviews";
import { DiffView, containerFieldChanges, diffExposure, fieldLabel, fieldValue } from "../diffView";
import { portText } from "../../../render/ports";
import { workloadNoun, workloadText } from "../../../render/swarm";

/** Names and messages come from the documents: line breaks and terminal escapes are shown escaped, on one line. */
const shown = escapeControls;

function pairText(pair: ReachablePair): string {
    return `${shown(pair.from)} -> ${shown(pair.to)} via ${shown(pair.networks.join(", "))} (${pair.byName ? "by name" : "by IP only"})`;
}

function containerText(container: ContainerEntry): string {
    const networks = [...new Set(container.attachments.map((attachment) => attachment.network))];
    const tags = [workloadText(container), container.dualHomed ? "dual-homed" : undefined].filter((tag): tag is string => tag !== undefined);
    return `${shown(container.name)}${tags.length > 0 ? ` [${tags.join(", ")}]` : ""} on ${shown(networks.join(", ")) || "no network"}`;
}

function violationText(violation: Violation): string {
    return shown(`[${violation.level}] ${violation.policy} on ${violation.name ?? "the stack"}: ${violation.message}`);
}

function section(title: string, lines: string[]): string {
    return lines.length === 0 ? `${title}: no change` : `${title}:\n${lines.map((line) => `  ${line}`).join("\n")}`;
}

export function renderDiffText(view: DiffView): string {
    const { diff } = view;
    const containers = diff.containers;
    const pairs = classifyPairs(diff);
    const parts = [shown(`netguard diff ${view.baseLabel} -> ${view.headLabel}`)];
    if (view.sensitivePaths.length > 0) {
        parts.push(
            section(
                `New paths to targets the deny list names (${view.sensitivePaths.length})`,
                view.sensitivePaths.map((path) => shown(`! ${path.from} -> ${path.via ? `${path.via} -> ` : ""}${path.to} (denied by ${path.deny})`)),
            ),
        );
    }
    if (view.bridges.length > 0) {
        parts.push(
            section(
                `New bridges between networks (${view.bridges.length})`,
                view.bridges.map((bridge) => shown(`+ ${bridge.container} joins ${bridge.networks[0]} and ${bridge.networks[1]}${bridge.declared ? " (declared dual-homed)" : " (not declared dual-homed)"}`)),
            ),
        );
    }
    if (view.unencrypted.length > 0) {
        parts.push(
            section(
                `Overlay networks without encryption (${view.unencrypted.length})`,
                view.unencrypted.map((item) =>
                    shown(`! ${item.network} ${item.change === "lost" ? "loses its encryption" : "is new and not encrypted"}: traffic between swarm nodes travels as plain VXLAN`),
                ),
            ),
        );
    }
    const exposure = diffExposure(diff);
    if (exposure.length > 0) {
        parts.push(
            section(
                `New exposure on the host (${exposure.length} published port${exposure.length === 1 ? "" : "s"})`,
                exposure.map((item) => shown(`${item.open ? "! " : "+ "}${item.container} publishes ${portText(item.port)}${item.open ? " on every host interface" : ""}`)),
            ),
        );
    }

    parts.push(
        section(`Reachability (+${pairs.added.length} -${pairs.removed.length} ~${pairs.changed.length} pairs)`, [
            ...pairs.added.map((pair) => `+ ${pairText(pair)}`),
            ...pairs.removed.map((pair) => `- ${pairText(pair)}`),
            ...pairs.changed.map(({ before, after }) => `~ ${pairText(before)}  =>  ${pairText(after)}`),
        ]),
    );
    parts.push(
        section(`Containers (+${containers.added.length} -${containers.removed.length} ~${containers.changed.length})`, [
            ...containers.added.map((container) => `+ ${containerText(container)}`),
            ...containers.removed.map((container) => `- ${containerText(container)}`),
            ...containers.changed.flatMap((change) => [
                shown(`~ ${change.name}: ${containerFieldChanges(change).map(([label, before, after]) => `${label} ${before} -> ${after}`).join("; ")}`),
                ...(change.replaces ? [shown(`  ! replaced: the provider destroys ${workloadNoun(change.after)} ${change.name} and creates it again`)] : []),
            ]),
        ]),
    );
    const networks = diff.networks;
    parts.push(
        section(`Networks (+${networks.added.length} -${networks.removed.length} ~${networks.changed.length})`, [
            ...networks.added.map((network) => shown(`+ ${network.name} ${network.subnet ?? "(no subnet)"}`)),
            ...networks.removed.map((network) => shown(`- ${network.name} ${network.subnet ?? "(no subnet)"}`)),
            ...networks.changed.flatMap((change) => [
                shown(`~ ${change.name}: ${change.fields.map((field) => `${fieldLabel(field)} ${fieldValue(field, change.before[field])} -> ${fieldValue(field, change.after[field])}`).join("; ")}`),
                ...(change.replaces
                    ? [shown(`  ! replaced: network ${change.name} and every existing container on it are destroyed and created again (${change.replacedContainers.length}): ${change.replacedContainers.join(", ") || "none"}`)]
                    : []),
            ]),
        ]),
    );
    parts.push(
        section(`Policy violations (+${diff.violations.added.length} -${diff.violations.removed.length})`, [
            ...diff.violations.added.map((violation) => `+ ${violationText(violation)}`),
            ...diff.violations.removed.map((violation) => `- ${violationText(violation)}`),
        ]),
    );
    const newMandatory = diff.violations.added.filter((violation) => violation.level === "mandatory").length;
    parts.push(addsMandatoryViolation(diff) ? `Verdict: the head adds ${newMandatory} mandatory violation(s).` : "Verdict: no new mandatory violation.");
    return parts.join("\n\n") + "\n";
}
