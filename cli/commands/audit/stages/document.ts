/**
 * Stage 5 of `netguard audit`: the JSON document (`document/auditDocument.ts`)
 * of what was read, judged and measured, with the host's veth wiring where
 * it can be read, and the exit code.
 */
import { AuditDocument, EngineEntry, TaskEntry } from "../../../../document/auditDocument";
import { DockerEngineState, dockerContainerName } from "../../../../readers/docker/engineState";
import { LiveTask } from "../../../../readers/swarm/fromSwarm";
import { workloadKind } from "../../../../topology/model";
import { EXIT_BAD_INPUT, EXIT_OK, EXIT_VIOLATIONS } from "../../../errors";
import { ClusterState } from "../engine/cluster";
import { hostProbeUnavailable } from "../probes/hostProbe";
import { readHostWiring } from "../probes/hostWiring";
import { Probed } from "./probe";

export interface AuditResult {
    readonly document: AuditDocument;
    readonly exitCode: number;
    /** Set when the audit failed after the document was made (the engine was lost mid-probe): print the document, then fail with this (exit 2). */
    readonly failure?: string;
}

/** Each container's network mode as the engine reports it, with `container:<id>` turned into `container:<name>`. */
function networkModesByName(state: DockerEngineState): Map<string, string> {
    const modes = new Map<string, string>();
    for (const container of state.containers) {
        const mode = container.HostConfig?.NetworkMode;
        if (!mode) continue;
        const joined = /^container:(.+)$/.exec(mode);
        const other = joined ? state.containers.find((c) => c.Id === joined[1] || c.Id.startsWith(joined[1]) || dockerContainerName(c) === joined[1]) : undefined;
        modes.set(container.Id, other ? `container:${dockerContainerName(other)}` : mode);
    }
    return modes;
}

function engineEntries(cluster: ClusterState, order: readonly string[]): EngineEntry[] {
    return order.map((address): EngineEntry => {
        const audited = cluster.engines.find((entry) => entry.engine.location.address === address);
        if (audited) {
            const { engine, membership, node } = audited;
            return { address, answered: true, node, version: engine.version, apiVersion: engine.apiVersion, swarm: membership.role, error: null };
        }
        const missing = cluster.missing.find((entry) => entry.address === address);
        return { address, answered: false, node: null, version: null, apiVersion: null, swarm: null, error: missing?.reason ?? "did not answer" };
    });
}

export function document(probed: Probed): AuditResult {
    const { cluster, running, tasks, judgement, described, failure } = probed;
    const { topology } = probed.live;
    const { state } = cluster;
    const engine = cluster.engines[0].engine;
    // The veth pairs can be read where the host-side probe could run (this host's one engine, as root).
    const wiring =
        probed.oneHost && hostProbeUnavailable(engine) === undefined ? readHostWiring(state.containers.filter((c) => running.has(c.Id))) : new Map();
    const networkModes = networkModesByName(state);
    const networkName = new Map(topology.networks.map((network) => [network.key, network.name]));
    const taskEntry = (task: LiveTask): TaskEntry => ({
        name: task.name,
        node: task.node ?? null,
        state: task.state,
        attachments: task.attachments.map((a) => ({ network: (a.network !== undefined ? networkName.get(a.network) : undefined) ?? a.reference, ipv4Address: a.ipv4Address ?? null })),
    });
    const document: AuditDocument = {
        engine: { address: engine.location.address, version: engine.version, apiVersion: engine.apiVersion, semantics: probed.engine.semantics },
        engines: engineEntries(cluster, probed.locations.map((location) => location.address)),
        nodes: [...cluster.nodes],
        warnings: [...probed.warnings],
        labels: [...probed.labels],
        networks: described.networks,
        containers: described.containers.map((entry, i) => {
            const node = topology.containers[i];
            const key = node.key;
            const wires = wiring.get(key);
            const service = workloadKind(node) === "service";
            return {
                ...entry,
                running: running.has(key),
                networkMode: networkModes.get(key) ?? null,
                node: service ? null : (node.node ?? null),
                tasks: service ? (tasks.get(key) ?? []).map(taskEntry) : null,
                attachments: entry.attachments.map((attachment) => {
                    const wire = wires?.get(attachment.network);
                    return { ...attachment, hostInterface: wire?.hostInterface ?? null, bridge: wire?.bridge ?? null };
                }),
            };
        }),
        violations: judgement.violations,
        policies: { judged: judgement.judged, notJudged: judgement.notJudged },
        reachability: probed.reachability,
    };
    const exitCode = judgement.violations.some((violation) => violation.level === "mandatory") ? EXIT_VIOLATIONS : EXIT_OK;
    return failure ? { document, exitCode: EXIT_BAD_INPUT, failure } : { document, exitCode };
}
