/**
 * `netguard diff --markdown`: the pull-request comment section. It answers
 * a reviewer's questions in order: does this break a policy, does it replace
 * networks (and their containers), which containers are new, who can now
 * reach whom that could not before.
 */
import { ReachablePair } from "../../../../topology/reachability";
import { ContainerEntry, PreviewDocument } from "../../../../document/previewDocument";
import { attachedNetworks, isUndeclaredBridge } from "../../../render/attachments";
import { code, codeList, fitComment, markdownTable, plural } from "../../../render/markdown";
import { violationTable } from "../../../render/violationTable";
import { ContainerChange, addsMandatoryViolation, classifyPairs } from "../diffPreviews";
import { DiffView, containerFieldChanges, diffExposure, diffIsEmpty, fieldLabel, fieldValue } from "../diffView";
import { portText } from "../../../render/ports";
import { Highlight, drawTopology } from "../../../render/topologyMermaid";
import { workloadNoun, workloadText } from "../../../render/swarm";

/** Pair rows shown per table; the rest are counted (the JSON diff has them all). */
export const MAX_PAIR_ROWS = 50;

/** Pairs with their reverse (same networks, same resolution) folded into one "both ways" row, from the smaller name. */
function foldSymmetric(pairs: readonly ReachablePair[]): { pair: ReachablePair; bothWays: boolean }[] {
    const key = (from: string, to: string, pair: ReachablePair) => JSON.stringify([from, to, pair.networks, pair.byName]);
    const present = new Set(pairs.map((pair) => key(pair.from, pair.to, pair)));
    const rows: { pair: ReachablePair; bothWays: boolean }[] = [];
    for (const pair of pairs) {
        const bothWays = present.has(key(pair.to, pair.from, pair));
        if (bothWays && pair.to < pair.from) continue;
        rows.push({ pair, bothWays });
    }
    return rows;
}

function pairTable(pairs: readonly ReachablePair[]): string {
    const rows = foldSymmetric(pairs);
    const table = markdownTable(
        ["From", "To", "Via", "Resolves"],
        rows.slice(0, MAX_PAIR_ROWS).map(({ pair, bothWays }) => [
            code(pair.from, "table"),
            code(pair.to, "table"),
            pair.networks.map((network) => code(network, "table")).join(", "),
            `${pair.byName ? "by name" : "IP only"}${bothWays ? ", both ways" : ""}`,
        ]),
    );
    const rest = rows.length - MAX_PAIR_ROWS;
    return rest > 0 ? `${table}\n\n…and ${plural(rest, "more row")} (see \`netguard diff --json\`).` : table;
}

/**
 * The picture of the change: only the networks and containers it touches
 * (new, changed, or on a network that is new, changed, or loses a
 * container), the new ones green and the changed ones amber. Drawn outside
 * any `<details>`, where GitHub renders labelled edges.
 */
function changePicture(view: DiffView): string | undefined {
    const { diff, head } = view;
    const highlight = new Map<string, Highlight>([
        ...diff.containers.added.map((container): [string, Highlight] => [container.name, "added"]),
        ...diff.containers.changed.map((change): [string, Highlight] => [change.name, "changed"]),
    ]);
    const touchedNets = new Set<string>([
        ...diff.networks.added.map((network) => network.name),
        ...diff.networks.changed.map((change) => change.name),
        ...[...diff.containers.added, ...diff.containers.removed, ...diff.containers.changed.flatMap((change) => [change.before, change.after])].flatMap((container) =>
            container.attachments.map((attachment) => attachment.network),
        ),
    ]);
    if (touchedNets.size === 0 && highlight.size === 0) return undefined;
    const document: PreviewDocument = {
        ...head,
        networks: head.networks.filter((network) => touchedNets.has(network.name)),
        containers: head.containers.filter((container) => highlight.has(container.name)),
        reachability: [],
    };
    if (document.networks.length + document.containers.length === 0) return undefined;
    const drawing = drawTopology(document, { highlight, emptyLabel: "no new or changed single-homed member" });
    const legend =
        drawing.kind === "detailed"
            ? "Only what the change touches: new containers green, changed ones amber; the networks they are on, or that change. The whole topology is in the head's preview."
            : "Only what the change touches, one box per network with the number of new or changed containers on it.";
    return `### The change\n\n\`\`\`mermaid\n${drawing.mermaid}\n\`\`\`\n\n${legend}`;
}

/** Items of the reviewer's headline listed before "and N more". */
const HEADLINE_ITEMS = 20;

function limited(items: string[], what: string): string[] {
    return items.length > HEADLINE_ITEMS ? [...items.slice(0, HEADLINE_ITEMS), `  - …and ${plural(items.length - HEADLINE_ITEMS, what)}`] : items;
}

/** What a reviewer asks first: new mandatory violations, new paths to sensitive targets, new bridges, new exposure. */
function headline(view: DiffView, exposure: ReturnType<typeof diffExposure>): string | undefined {
    const items: string[] = [];
    const mandatory = view.diff.violations.added.filter((violation) => violation.level === "mandatory");
    if (mandatory.length > 0) {
        const policies = [...new Set(mandatory.map((violation) => violation.policy))];
        items.push(`- ⛔ **${plural(mandatory.length, "new mandatory violation")}**: ${codeList(policies)}`);
    }
    if (view.sensitivePaths.length > 0) {
        items.push(`- 🎯 **${plural(view.sensitivePaths.length, "new path")} to a target the deny list names**:`);
        items.push(
            ...limited(
                view.sensitivePaths.map((path) => `  - ${code(path.from)} → ${path.via ? `${code(path.via)} → ` : ""}${code(path.to)}${path.via ? " (two hops, through a container on several networks)" : ""}: denied by ${code(path.deny)}`),
                "more path",
            ),
        );
    }
    const unencrypted = view.unencrypted.map((item) => `${code(item.network)} ${item.change === "lost" ? "loses its encryption" : "is new and not encrypted"}`);
    if (unencrypted.length === 1) {
        items.push(`- 🔓 **Overlay network ${unencrypted[0]}**: traffic between swarm nodes travels as plain VXLAN (CIS Docker Benchmark 7.4)`);
    } else if (unencrypted.length > 1) {
        items.push(`- 🔓 **${plural(unencrypted.length, "overlay network")} without encryption**: traffic between swarm nodes travels as plain VXLAN (CIS Docker Benchmark 7.4):`);
        items.push(...limited(unencrypted.map((item) => `  - ${item}`), "more network"));
    }
    if (view.bridges.length > 0) {
        items.push(`- 🌉 **${plural(view.bridges.length, "new bridge")} between networks**:`);
        items.push(
            ...limited(
                view.bridges.map((bridge) => `  - ${code(bridge.container)} joins ${code(bridge.networks[0])} and ${code(bridge.networks[1])}${bridge.declared ? " (declared dual-homed)" : " (⚠️ not declared dual-homed)"}`),
                "more bridge",
            ),
        );
    }
    const open = exposure.filter((item) => item.open).length;
    if (exposure.length > 0) items.push(`- 🌐 **${plural(exposure.length, "newly published port")}**${open > 0 ? `, ${open} on every host interface` : ""} (below)`);
    return items.length > 0 ? `### First, for the reviewer\n\n${items.join("\n")}` : undefined;
}

/** How many pairs each container is the `from` and the `to` of: counted once, not once per container. */
interface PairCounts {
    readonly from: ReadonlyMap<string, number>;
    readonly to: ReadonlyMap<string, number>;
}

function pairCounts(pairs: readonly ReachablePair[]): PairCounts {
    const from = new Map<string, number>();
    const to = new Map<string, number>();
    for (const pair of pairs) {
        from.set(pair.from, (from.get(pair.from) ?? 0) + 1);
        to.set(pair.to, (to.get(pair.to) ?? 0) + 1);
    }
    return { from, to };
}

function containerLine(container: ContainerEntry, counts: PairCounts): string {
    const networks = attachedNetworks(container);
    const workload = workloadText(container);
    const role = `${workload ? `${workload}, ` : ""}${container.dualHomed ? "dual-homed, " : isUndeclaredBridge(container) ? "⚠️ on several networks without being declared dual-homed, " : ""}`;
    const reaches = counts.from.get(container.name) ?? 0;
    const reachedBy = counts.to.get(container.name) ?? 0;
    const where = networks.length > 0 ? `on ${codeList(networks)}` : "on no network";
    return `- ${code(container.name)} (${role}${where}): reaches ${plural(reaches, "container")}, reachable from ${plural(reachedBy, "container")}`;
}

/** Container lines, capped at {@link MAX_PAIR_ROWS} with a count of the rest. */
function containerList(list: readonly ContainerEntry[], counts: PairCounts): string {
    const lines = list.slice(0, MAX_PAIR_ROWS).map((container) => containerLine(container, counts));
    const rest = list.length - lines.length;
    return lines.join("\n") + (rest > 0 ? `\n\n…and ${plural(rest, "more container")} (see \`netguard diff --json\`).` : "");
}

function summaryTable(view: DiffView, pairs: ReturnType<typeof classifyPairs>): string {
    const { diff } = view;
    const containers = diff.containers;
    return markdownTable(
        ["", "Added", "Removed", "Changed"],
        [
            ["Reachable pairs", String(pairs.added.length), String(pairs.removed.length), String(pairs.changed.length)],
            ["Containers", String(containers.added.length), String(containers.removed.length), String(containers.changed.length)],
            ["Networks", String(diff.networks.added.length), String(diff.networks.removed.length), String(diff.networks.changed.length)],
            ["Policy violations", String(diff.violations.added.length), String(diff.violations.removed.length), "–"],
        ],
    );
}

/** "static address `app: 10.0.0.5` → `app: 10.0.0.6`", for each changed field. */
function containerChangeDetails(change: ContainerChange, context: "inline" | "table"): string {
    return containerFieldChanges(change).map(([label, before, after]) => `${label} ${code(before, context)} → ${code(after, context)}`).join("; ");
}

export function renderDiffMarkdown(view: DiffView): string {
    const { diff } = view;
    const containers = diff.containers;
    const pairs = classifyPairs(diff);
    const sections: string[] = ["## netguard diff"];

    const newMandatory = diff.violations.added.filter((violation) => violation.level === "mandatory");
    // The verdict first, in one line a reviewer (or a bot) can read: what `netguard diff`'s exit code says.
    sections.push(
        addsMandatoryViolation(diff)
            ? `> [!CAUTION]\n> **Verdict: fails.** This change adds **${plural(newMandatory.length, "mandatory policy violation")}**.`
            : "**Verdict: passes.** This change adds no mandatory policy violation.",
    );
    const exposure = diffExposure(diff);
    const first = headline(view, exposure);
    if (first) sections.push(first);
    if (exposure.length > 0) {
        const open = exposure.filter((item) => item.open).length;
        const lines = exposure
            .slice(0, MAX_PAIR_ROWS)
            .map((item) => `> - ${code(item.container)} publishes ${code(portText(item.port))}${item.open ? " on **every host interface**" : ""}`);
        if (exposure.length > lines.length) lines.push(`> - …and ${plural(exposure.length - lines.length, "more port")} (see \`netguard diff --json\`)`);
        const headline = open > 0 ? `This change publishes **${plural(open, "port")} on every host interface**: reachable from any network the host is on.` : "This change publishes new ports on the host.";
        sections.push(`> [!${open > 0 ? "WARNING" : "NOTE"}]\n> ${headline}\n${lines.join("\n")}`);
    }
    const replacements = diff.networks.changed.filter((change) => change.replaces);
    const replacedContainers = containers.changed.filter((change) => change.replaces);
    if (replacements.length + replacedContainers.length > 0) {
        const networkLines = replacements.map((change) => {
            const what = change.fields.map((field) => `${fieldLabel(field)} ${code(fieldValue(field, change.before[field]))} → ${code(fieldValue(field, change.after[field]))}`).join(", ");
            const victims = change.replacedContainers.length > 0 ? `and with it ${plural(change.replacedContainers.length, "existing container")}: ${codeList(change.replacedContainers, 20)}` : "(no existing container on it)";
            return `> Network ${code(change.name)} (${what}) is **replaced**, ${victims}.`;
        });
        const containerLines = replacedContainers
            .slice(0, MAX_PAIR_ROWS)
            .map((change) => `> ${workloadNoun(change.after) === "service" ? "Service" : "Container"} ${code(change.name)} (${containerChangeDetails(change, "inline")}) is **replaced**.`);
        const moreContainers = replacedContainers.length - containerLines.length;
        if (moreContainers > 0) containerLines.push(`> …and ${plural(moreContainers, "more replaced container")} (see \`netguard diff --json\`).`);
        sections.push(
            `> [!WARNING]\n> Docker cannot change these in place: each is destroyed and created again.\n${[...networkLines, ...containerLines].join("\n>\n")}`,
        );
    }

    const nothing = diffIsEmpty(diff);
    if (nothing) {
        sections.push("No change in reachability, addressing, containers or policy verdicts.");
        return sections.join("\n\n") + "\n";
    }
    sections.push(summaryTable(view, pairs));
    const picture = changePicture(view);
    if (picture) sections.push(picture);

    if (diff.violations.added.length > 0) sections.push(`### New policy violations\n\n${violationTable(diff.violations.added)}`);
    if (diff.violations.removed.length > 0) sections.push(`### Resolved policy violations\n\n${violationTable(diff.violations.removed)}`);

    if (containers.added.length > 0) {
        const counts = pairCounts(pairs.added);
        sections.push(`### New containers\n\n${containerList(containers.added, counts)}`);
    }
    if (containers.removed.length > 0) {
        const counts = pairCounts(pairs.removed);
        sections.push(`### Removed containers\n\n${containerList(containers.removed, counts)}`);
    }

    if (containers.changed.length > 0) {
        const rows = containers.changed
            .slice(0, MAX_PAIR_ROWS)
            .map((change) => [change.replaces ? "⚠️ replaced" : "changed", code(change.name, "table"), containerChangeDetails(change, "table")]);
        const rest = containers.changed.length - rows.length;
        const more = rest > 0 ? `\n\n…and ${plural(rest, "more changed container")} (see \`netguard diff --json\`).` : "";
        sections.push(`### Changed containers\n\n${markdownTable(["Change", "Container", "Details"], rows)}${more}`);
    }

    if (pairs.added.length > 0) sections.push(`### Newly reachable (${plural(pairs.added.length, "pair")})\n\n${pairTable(pairs.added)}`);
    if (pairs.removed.length > 0) sections.push(`### No longer reachable (${plural(pairs.removed.length, "pair")})\n\n${pairTable(pairs.removed)}`);
    if (pairs.changed.length > 0) {
        const rows = pairs.changed.slice(0, MAX_PAIR_ROWS).map(({ before, after }) => [
            code(after.from, "table"),
            code(after.to, "table"),
            `${before.networks.map((network) => code(network, "table")).join(", ")} (${before.byName ? "by name" : "IP only"})`,
            `${after.networks.map((network) => code(network, "table")).join(", ")} (${after.byName ? "by name" : "IP only"})`,
        ]);
        sections.push(`### Reachable another way (${plural(pairs.changed.length, "pair")})\n\n${markdownTable(["From", "To", "Before", "After"], rows)}`);
    }

    const networks = diff.networks;
    const networkRows = [
        ...networks.added.map((network) => ["added", code(network.name, "table"), `subnet ${code(network.subnet ?? "none", "table")}, gateway ${code(network.gateway ?? "none", "table")}`]),
        ...networks.removed.map((network) => ["removed", code(network.name, "table"), `subnet ${code(network.subnet ?? "none", "table")}`]),
        ...networks.changed.map((change) => [
            change.replaces ? "⚠️ replaced" : "changed",
            code(change.name, "table"),
            change.fields.map((field) => `${fieldLabel(field)} ${code(fieldValue(field, change.before[field]), "table")} → ${code(fieldValue(field, change.after[field]), "table")}`).join("; "),
        ]),
    ];
    if (networkRows.length > 0) sections.push(`### Networks\n\n${markdownTable(["Change", "Network", "Details"], networkRows)}`);

    return fitComment(sections.join("\n\n") + "\n", undefined, "`netguard diff --json`");
}
