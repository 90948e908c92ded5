/**
 * Stage 4 of `netguard audit`: with `--probe`, reachability measured from
 * inside each running container and task (or from the host's side of
 * their namespaces) and compared with the prediction; without it, the
 * prediction alone. A container gone mid-probe leaves the prediction; an
 * engine lost or hung mid-probe makes the measurement incomplete and the
 * audit's failure (exit 2, after the document).
 */
import { AuditDocument, GoneContainer } from "../../../../document/auditDocument";
import { LiveTask, taskRunning } from "../../../../readers/swarm/fromSwarm";
import { ContainerNode, workloadKind } from "../../../../topology/model";
import { ReachablePair } from "../../../../topology/reachability";
import { AuditedEngine, ClusterState } from "../engine/cluster";
import { DockerEngine, mapBounded } from "../engine/dockerEngine";
import { predict } from "../prediction";
import { chooseProbeMethod } from "../probes/hostProbe";
import { ProbeSite, probeReachability } from "../probes/probeReachability";
import { silentProgress } from "../probes/progress";
import { reachabilityMismatches } from "../probes/reachabilityReport";
import { Judged } from "./judge";

export interface Probed extends Judged {
    /** Gone mid-probe, a container runs no longer: out of `running` and of the prediction. */
    readonly running: ReadonlySet<string>;
    readonly predicted: ReachablePair[];
    readonly reachability: AuditDocument["reachability"];
    /** Set when the engine was lost mid-probe: the document says the measurement is incomplete, the audit fails with this. */
    readonly failure?: string;
}

/** Where each source is probed from: a container on its own engine; a service from each running task, on the engine of the task's node. */
function probeSites(cluster: ClusterState, tasks: ReadonlyMap<string, LiveTask[]>): (source: ContainerNode) => ProbeSite[] {
    const byNode = new Map(cluster.engines.map((audited) => [audited.node, audited]));
    const byNodeId = new Map(cluster.engines.filter((audited) => audited.membership.nodeId).map((audited) => [audited.membership.nodeId as string, audited]));
    const pids = new Map(cluster.state.containers.map((container) => [container.Id, container.State?.Pid ?? 0]));
    const nodeOf = cluster.state.containerNodes ?? {};
    const first = cluster.engines[0];
    return (source) => {
        if (workloadKind(source) !== "service") {
            const audited = byNode.get(nodeOf[source.key]) ?? first;
            return [{ engine: audited.engine, containerId: source.key, pid: pids.get(source.key) ?? 0, label: source.name }];
        }
        return (tasks.get(source.key) ?? []).filter(taskRunning).map((task): ProbeSite => {
            const audited: AuditedEngine | undefined = task.nodeId ? byNodeId.get(task.nodeId) : undefined;
            const unavailable = !audited
                ? `runs on node ${task.node ?? "(unknown)"}, whose engine is not audited: pass it with --host`
                : !task.containerId
                  ? "its node reports no container for it"
                  : undefined;
            return {
                engine: (audited ?? first).engine,
                containerId: task.containerId ?? "",
                pid: task.containerId ? (pids.get(task.containerId) ?? 0) : 0,
                label: task.name,
                ...(unavailable ? { unavailable } : {}),
            };
        });
    };
}

/** Which sources no longer run: a container asked of its engine, a service of the manager. */
function goneSources(cluster: ClusterState): (sources: readonly ContainerNode[]) => Promise<GoneContainer[]> {
    const byNode = new Map(cluster.engines.map((audited) => [audited.node, audited.engine]));
    const nodeOf = cluster.state.containerNodes ?? {};
    const first = cluster.engines[0].engine;
    return async (sources) => {
        const states = await mapBounded(sources, 16, async (source) => {
            const service = workloadKind(source) === "service";
            const engine: DockerEngine = service ? (cluster.manager?.engine ?? first) : (byNode.get(nodeOf[source.key]) ?? first);
            try {
                if (service) {
                    await engine.docker.getService(source.key).inspect();
                    return undefined;
                }
                const info = await engine.docker.getContainer(source.key).inspect();
                return info.State?.Running ? undefined : { container: source.name, reason: "stopped during the probe" };
            } catch (err) {
                if ((err as { statusCode?: number }).statusCode === 404) return { container: source.name, reason: "removed during the probe" };
                throw err;
            }
        });
        return states.filter((state): state is GoneContainer => state !== undefined);
    };
}

export async function probe(judged: Judged): Promise<Probed> {
    const { options, cluster, live, oneHost, addressing } = judged;
    if (!options.probe) return { ...judged, reachability: { predicted: judged.predicted, measured: null, mismatches: null, probe: null } };
    const { topology } = live;
    const requested = options.probeMethod ?? "auto";
    const methods = cluster.engines.map((audited) => chooseProbeMethod(requested, audited.engine));
    const method = methods.every((m) => m === "host") ? "host" : "exec";
    const report = await probeReachability(topology, judged.running, options.progress ?? silentProgress, {
        method,
        sites: probeSites(cluster, judged.tasks),
        addressing,
        measureHost: method === "host" && oneHost,
        engines: cluster.engines.map((audited) => audited.engine),
        goneSources: goneSources(cluster),
    });
    // A container gone mid-probe runs no longer: out of the prediction, the measurement and the comparison.
    const goneNames = new Set(report.gone.map((entry) => entry.container));
    const running = new Set(judged.running);
    for (const container of topology.containers) if (goneNames.has(container.name)) running.delete(container.key);
    const predicted = goneNames.size > 0 ? predict(topology, running, oneHost, addressing) : judged.predicted;
    const failure = report.engineLoss?.message;
    const probe = {
        method: report.method,
        durationMs: report.durationMs,
        probed: report.probed,
        notProbed: report.notProbed,
        skippedAddresses: report.skippedAddresses.filter((entry) => !goneNames.has(entry.target)),
        gone: report.gone,
        incomplete: failure ?? null,
    };
    const reachability: AuditDocument["reachability"] = failure
        ? { predicted, measured: null, mismatches: null, probe }
        : {
              predicted,
              measured: report.measured,
              mismatches: reachabilityMismatches(predicted, report.measured, { probed: new Set(report.probed), pingedNetworks: report.pingedNetworks }),
              probe,
          };
    return { ...judged, running, predicted, reachability, ...(failure !== undefined ? { failure } : {}) };
}
