/** `netguard audit`: judge live Docker engines (a swarm too) with the pack's rules, predict and optionally measure reachability. */
import { LiveTopology, TaskContainerRef, liveTopologyFromDocker } from "../../../readers/docker/fromDocker";
import { DockerEngineState, dockerContainerName } from "../../../readers/docker/engineState";
import { LiveTask, taskRunning } from "../../../readers/swarm/fromSwarm";
import { reachabilityFromHost } from "../../../topology/hostNode";
import { Attachment, ContainerNode, Topology, workloadKind } from "../../../topology/model";
import { ReachablePair, comparePairs, computeReachability } from "../../../topology/reachability";
import { EXIT_BAD_INPUT, EXIT_OK, EXIT_VIOLATIONS, UserError } from "../../errors";
import { readPolicyConfigFile } from "../../policyConfigFile";
import { describeTopology } from "../../../document/previewDocument";
import { AuditedEngine, ClusterState, auditLocations, readCluster } from "./engine/cluster";
import { AuditDocument, EngineEntry, TaskEntry } from "../../../document/auditDocument";
import { DockerEngine, mapBounded } from "./engine/dockerEngine";
import { readHostWiring } from "./probes/hostWiring";
import { judgeLiveState } from "./liveRules";
import { RequestedProbeMethod, chooseProbeMethod, hostProbeUnavailable } from "./probes/hostProbe";
import { ProbeSite, probeReachability } from "./probes/probeReachability";
import { GoneContainer } from "../../../document/auditDocument";
import { Addressing, liveAddressing } from "./probes/probeScript";
import { Progress, silentProgress } from "./probes/progress";
import { reachabilityMismatches } from "./probes/reachabilityReport";

export interface AuditOptions {
    /** Measure reachability from each running container. */
    readonly probe?: boolean;
    /** How (default auto: from the host when the engine is local and the audit runs as root, else by exec). */
    readonly probeMethod?: RequestedProbeMethod;
    /** `key=value` (or `key`) label filters; all must match: containers by theirs, services by their own (their tasks' containers come with them). */
    readonly label?: readonly string[];
    readonly policyConfig?: string;
    /** Progress of the probes (default: none). */
    readonly progress?: Progress;
    /** A label scope that audits nothing is fine (default: exit 2, a typo or task containers matched without their services). */
    readonly allowEmpty?: boolean;
    /** Where DOCKER_HOST is read from (default: the process environment). */
    readonly env?: NodeJS.ProcessEnv;
    /** Engines to audit as one topology, each a DOCKER_HOST value (default: DOCKER_HOST, else the local socket). */
    readonly hosts?: readonly string[];
    /** Audit the engines that answer when some do not (default: exit 2 naming them). */
    readonly allowPartial?: boolean;
}

export interface AuditResult {
    readonly document: AuditDocument;
    readonly exitCode: number;
    /** Set when the audit failed after the document was made (the engine was lost mid-probe): print the document, then fail with this (exit 2). */
    readonly failure?: string;
}

const LABEL_FILTER = /^[^=\s]+(=.*)?$/;

function checkLabels(labels: readonly string[]): string[] {
    for (const label of labels) {
        if (!LABEL_FILTER.test(label)) throw new UserError(`--label "${label}" is not a label filter: write KEY=VALUE or KEY (e.g. --label netguard.stack=shop/dev)`);
    }
    return [...labels];
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

/** The topology with only the containers that run: a stopped container reaches nothing now. */
function runningOnly(topology: Topology, running: ReadonlySet<string>): Topology {
    return { networks: topology.networks, containers: topology.containers.filter((container) => running.has(container.key)) };
}

/** Predicted pairs between the running containers, then (one engine only: whose host would it be?) from the `@host` node to them. */
function predict(topology: Topology, running: ReadonlySet<string>, withHost: boolean, addressing: Addressing): ReachablePair[] {
    const hasAddress = (container: ContainerNode, attachment: Attachment) =>
        addressing.addressesOf(container).some((entry) => entry.network === attachment.network);
    const pairs = [
        ...computeReachability(runningOnly(topology, running)),
        ...(withHost ? reachabilityFromHost(topology, (container) => running.has(container.key), hasAddress) : []),
    ];
    return pairs.sort(comparePairs);
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

export async function audit(options: AuditOptions = {}): Promise<AuditResult> {
    const labels = checkLabels(options.label ?? []);
    const packConfig = readPolicyConfigFile(options.policyConfig);
    const locations = auditLocations(options.hosts ?? [], options.env ?? process.env);
    const cluster = await readCluster(locations, labels, options.allowPartial ?? false);
    const engine = cluster.engines[0].engine;
    const { state } = cluster;
    const live = liveTopologyFromDocker(state);
    const { topology } = live;
    // Counted on what would be audited: task containers match a label scope too, yet only their services are audited.
    if (labels.length > 0 && topology.containers.length === 0 && !options.allowEmpty) {
        const where = cluster.engines.length === 1 ? `the Docker engine at ${engine.location.address}` : `the ${cluster.engines.length} Docker engines`;
        throw new UserError(`warning: ${emptyScope(labels, where, live)}`);
    }
    const tasks = tasksByService(live);
    const running = runningKeys(state, topology, tasks);
    const warnings = [...cluster.warnings];
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
    // The Docker host is a node of the matrices only when there is one host.
    const oneHost = cluster.engines.length === 1 && cluster.missing.length === 0;

    const judgement = judgeLiveState(topology, packConfig);
    const described = describeTopology(topology);
    const addressing = liveAddressing(live);
    let predicted = predict(topology, running, oneHost, addressing);

    let reachability: AuditDocument["reachability"] = { predicted, measured: null, mismatches: null, probe: null };
    let failure: string | undefined;
    if (options.probe) {
        const requested = options.probeMethod ?? "auto";
        const methods = cluster.engines.map((audited) => chooseProbeMethod(requested, audited.engine));
        const method = methods.every((m) => m === "host") ? "host" : "exec";
        const report = await probeReachability(topology, running, options.progress ?? silentProgress, {
            method,
            sites: probeSites(cluster, tasks),
            addressing,
            measureHost: method === "host" && oneHost,
            engines: cluster.engines.map((audited) => audited.engine),
            goneSources: goneSources(cluster),
        });
        // A container gone mid-probe runs no longer: out of the prediction, the measurement and the comparison.
        const goneNames = new Set(report.gone.map((entry) => entry.container));
        for (const container of topology.containers) if (goneNames.has(container.name)) running.delete(container.key);
        if (goneNames.size > 0) predicted = predict(topology, running, oneHost, addressing);
        failure = report.engineLoss?.message;
        const probe = {
            method: report.method,
            durationMs: report.durationMs,
            probed: report.probed,
            notProbed: report.notProbed,
            skippedAddresses: report.skippedAddresses.filter((entry) => !goneNames.has(entry.target)),
            gone: report.gone,
            incomplete: failure ?? null,
        };
        reachability = failure
            ? { predicted, measured: null, mismatches: null, probe }
            : {
                  predicted,
                  measured: report.measured,
                  mismatches: reachabilityMismatches(predicted, report.measured, { probed: new Set(report.probed), pingedNetworks: report.pingedNetworks }),
                  probe,
              };
    }

    // The veth pairs can be read where the host-side probe could run (this host's one engine, as root).
    const wiring =
        oneHost && hostProbeUnavailable(engine) === undefined ? readHostWiring(state.containers.filter((c) => running.has(c.Id))) : new Map();
    const networkModes = networkModesByName(state);
    const networkName = new Map(topology.networks.map((network) => [network.key, network.name]));
    const taskEntry = (task: LiveTask): TaskEntry => ({
        name: task.name,
        node: task.node ?? null,
        state: task.state,
        attachments: task.attachments.map((a) => ({ network: (a.network !== undefined ? networkName.get(a.network) : undefined) ?? a.reference, ipv4Address: a.ipv4Address ?? null })),
    });
    const document: AuditDocument = {
        engine: { address: engine.location.address, version: engine.version, apiVersion: engine.apiVersion },
        engines: engineEntries(cluster, locations.map((location) => location.address)),
        nodes: [...cluster.nodes],
        warnings,
        labels,
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
        reachability,
    };
    const exitCode = judgement.violations.some((violation) => violation.level === "mandatory") ? EXIT_VIOLATIONS : EXIT_OK;
    return failure ? { document, exitCode: EXIT_BAD_INPUT, failure } : { document, exitCode };
}
