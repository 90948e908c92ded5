/**
 * Stage 2 of `netguard audit`: every located engine connected and read as
 * one live topology (a swarm's services and tasks from a manager among
 * them), with what runs and what the audit could not see. An engine that
 * does not answer, or a label scope that audits nothing, is exit 2 here
 * (`--allow-partial`, `--allow-empty` relax them).
 */
import { LiveTopology, TaskContainerRef, liveTopologyFromDocker } from "../../../../readers/docker/fromDocker";
import { DockerEngineState } from "../../../../readers/docker/engineState";
import { LiveTask, taskRunning } from "../../../../readers/swarm/fromSwarm";
import { Topology, workloadKind } from "../../../../topology/model";
import { UserError } from "../../../errors";
import { ClusterState, readCluster } from "../engine/cluster";
import { LocatedEngines } from "./locateEngines";

export interface EnginesRead extends LocatedEngines {
    readonly cluster: ClusterState;
    readonly live: LiveTopology;
    /** Per service key, its tasks. */
    readonly tasks: ReadonlyMap<string, LiveTask[]>;
    /** Containers that run, and services with a task that runs, by topology key. */
    readonly running: ReadonlySet<string>;
    /** What the audit could not see, or saw wrong, one sentence each. */
    readonly warnings: readonly string[];
    /** The Docker host is a node of the matrices only when there is one host. */
    readonly oneHost: boolean;
}

/** Where a service's labels come from, for messages about a label scope. */
const OWN_LABELS =
    "a service is in a label scope by its own labels (docker service create --label, docker service update --label-add); " +
    "--container-label labels only its tasks' containers";

/** The distinct service names of task containers, in order. */
function serviceNames(refs: readonly TaskContainerRef[]): string {
    return [...new Set(refs.map((ref) => ref.service))].join(", ");
}

/** The error for a label scope that audits nothing: it matched only task containers whose services are not audited, or most likely a typo. */
function emptyScope(labels: readonly string[], where: string, live: LiveTopology): string {
    const scope = `--label ${labels.join(" --label ")}`;
    const allow = "Pass --allow-empty if an empty scope is expected.";
    const outOfScope = live.outOfScopeTaskContainers;
    const unjudged = live.unjudgedTaskContainers;
    if (outOfScope.length > 0) {
        return (
            `${scope} matches no service and no plain container on ${where}, only ${outOfScope.length} task container(s) of the swarm service(s) ` +
            `${serviceNames(outOfScope)}, not the service(s): nothing would be audited; ${OWN_LABELS}. ${allow}`
        );
    }
    if (unjudged.length > 0) {
        return (
            `${scope} matches no plain container on ${where}, only ${unjudged.length} task container(s) of the swarm service(s) ${serviceNames(unjudged)}: ` +
            `nothing would be audited; services are read from a swarm manager (pass one with --host). ${allow}`
        );
    }
    return `${scope} matches no container or service on ${where}: nothing would be audited (a typo in the label?). ${allow}`;
}

/** Per service key, its tasks. */
function tasksByService(live: LiveTopology): Map<string, LiveTask[]> {
    const tasks = new Map<string, LiveTask[]>();
    for (const task of live.tasks) tasks.set(task.serviceKey, [...(tasks.get(task.serviceKey) ?? []), task]);
    return tasks;
}

/** Containers that run, and services with a task that runs, by topology key. */
function runningKeys(state: DockerEngineState, topology: Topology, tasks: ReadonlyMap<string, LiveTask[]>): Set<string> {
    const running = new Set(state.containers.filter((container) => container.State?.Running === true).map((container) => container.Id));
    for (const node of topology.containers) {
        if (workloadKind(node) === "service" && (tasks.get(node.key) ?? []).some(taskRunning)) running.add(node.key);
    }
    return running;
}

/** Task containers the audit leaves out, and why. */
function taskContainerWarnings(live: LiveTopology, labels: readonly string[]): string[] {
    const warnings: string[] = [];
    if (live.unjudgedTaskContainers.length > 0) {
        warnings.push(
            `not judged: ${live.unjudgedTaskContainers.length} task container(s) of swarm services (${serviceNames(live.unjudgedTaskContainers)}): ` +
                "no swarm manager among the audited engines, so their services cannot be read",
        );
    }
    if (live.outOfScopeTaskContainers.length > 0) {
        warnings.push(
            labels.length > 0
                ? `not audited: ${live.outOfScopeTaskContainers.length} task container(s) match the labels but their service(s) do not: ` +
                      `${serviceNames(live.outOfScopeTaskContainers)} (${OWN_LABELS})`
                : `not audited: ${live.outOfScopeTaskContainers.length} task container(s) of swarm service(s) the manager did not list ` +
                      `(${serviceNames(live.outOfScopeTaskContainers)}): created or removed during the audit`,
        );
    }
    return warnings;
}

export async function readEngines(located: LocatedEngines): Promise<EnginesRead> {
    const { options, labels } = located;
    const cluster = await readCluster(located.locations, labels, options.allowPartial ?? false);
    const live = liveTopologyFromDocker(cluster.state);
    // Counted on what would be audited: task containers match a label scope too, yet only their services are audited.
    if (labels.length > 0 && live.topology.containers.length === 0 && !options.allowEmpty) {
        const where = cluster.engines.length === 1 ? `the Docker engine at ${cluster.engines[0].engine.location.address}` : `the ${cluster.engines.length} Docker engines`;
        throw new UserError(`warning: ${emptyScope(labels, where, live)}`);
    }
    const tasks = tasksByService(live);
    return {
        ...located,
        cluster,
        live,
        tasks,
        running: runningKeys(cluster.state, live.topology, tasks),
        warnings: [...cluster.warnings, ...taskContainerWarnings(live, labels)],
        oneHost: cluster.engines.length === 1 && cluster.missing.length === 0,
    };
}
