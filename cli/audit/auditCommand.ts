/** `netguard audit`: judge a live Docker engine with the pack's rules, predict and optionally measure reachability. */
import { DockerEngineState, dockerContainerName, topologyFromDocker } from "../../topology/fromDocker";
import { reachabilityFromHost } from "../../topology/hostNode";
import { Topology } from "../../topology/model";
import { ReachablePair, computeReachability } from "../../topology/reachability";
import { EXIT_BAD_INPUT, EXIT_OK, EXIT_VIOLATIONS, UserError } from "../errors";
import { readPolicyConfigFile } from "../policyConfigFile";
import { describeTopology } from "../preview/document";
import { AuditDocument } from "./document";
import { connectEngine, readEngineState } from "./dockerEngine";
import { readHostWiring } from "./hostWiring";
import { hostProbeUnavailable } from "./hostProbe";
import { judgeLiveState } from "./liveRules";
import { RequestedProbeMethod, chooseProbeMethod } from "./hostProbe";
import { probeReachability } from "./probe";
import { Progress, silentProgress } from "./progress";
import { reachabilityMismatches } from "./reachabilityReport";

export interface AuditOptions {
    /** Measure reachability from each running container. */
    readonly probe?: boolean;
    /** How (default auto: from the host when the engine is local and the audit runs as root, else by exec). */
    readonly probeMethod?: RequestedProbeMethod;
    /** `key=value` (or `key`) label filters; all must match. */
    readonly label?: readonly string[];
    readonly policyConfig?: string;
    /** Progress of the probes (default: none). */
    readonly progress?: Progress;
    /** A label scope that matches no container is fine (default: exit 2, it is most likely a typo). */
    readonly allowEmpty?: boolean;
    /** Where DOCKER_HOST is read from (default: the process environment). */
    readonly env?: NodeJS.ProcessEnv;
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

/** The topology with only the containers that run: a stopped container reaches nothing now. */
function runningOnly(topology: Topology, running: ReadonlySet<string>): Topology {
    return { networks: topology.networks, containers: topology.containers.filter((container) => running.has(container.key)) };
}

/** Predicted pairs between the running containers, then from the `@host` node to them. */
function predict(topology: Topology, running: ReadonlySet<string>): ReachablePair[] {
    const pairs = [...computeReachability(runningOnly(topology, running)), ...reachabilityFromHost(topology, (container) => running.has(container.key))];
    return pairs.sort((a, b) => (a.from === b.from ? (a.to < b.to ? -1 : a.to > b.to ? 1 : 0) : a.from < b.from ? -1 : 1));
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

export async function audit(options: AuditOptions = {}): Promise<AuditResult> {
    const labels = checkLabels(options.label ?? []);
    const packConfig = readPolicyConfigFile(options.policyConfig);
    const engine = await connectEngine(options.env ?? process.env);
    const state = await readEngineState(engine, labels);
    if (labels.length > 0 && state.containers.length === 0 && !options.allowEmpty) {
        throw new UserError(
            `warning: --label ${labels.join(" --label ")} matches no container on the Docker engine at ${engine.location.address}: ` +
                "nothing would be audited (a typo in the label?). Pass --allow-empty if an empty scope is expected.",
        );
    }
    const topology = topologyFromDocker(state);
    const running = new Set(state.containers.filter((container) => container.State?.Running === true).map((container) => container.Id));

    const judgement = judgeLiveState(topology, packConfig);
    const described = describeTopology(topology);
    let predicted = predict(topology, running);

    let reachability: AuditDocument["reachability"] = { predicted, measured: null, mismatches: null, probe: null };
    let failure: string | undefined;
    if (options.probe) {
        const method = chooseProbeMethod(options.probeMethod ?? "auto", engine);
        const pids = new Map(state.containers.map((container) => [container.Id, container.State?.Pid ?? 0]));
        const report = await probeReachability(engine, topology, running, options.progress ?? silentProgress, { method, pids });
        // A container gone mid-probe runs no longer: out of the prediction, the measurement and the comparison.
        const goneNames = new Set(report.gone.map((entry) => entry.container));
        for (const container of topology.containers) if (goneNames.has(container.name)) running.delete(container.key);
        if (goneNames.size > 0) predicted = predict(topology, running);
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

    // The veth pairs can be read where the host-side probe could run (this host's engine, as root).
    const wiring = hostProbeUnavailable(engine) === undefined ? readHostWiring(state.containers.filter((c) => running.has(c.Id))) : new Map();
    const networkModes = networkModesByName(state);
    const document: AuditDocument = {
        engine: { address: engine.location.address, version: engine.version, apiVersion: engine.apiVersion },
        labels,
        networks: described.networks,
        containers: described.containers.map((entry, i) => {
            const key = topology.containers[i].key;
            const wires = wiring.get(key);
            return {
                ...entry,
                running: running.has(key),
                networkMode: networkModes.get(key) ?? null,
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
