/** `netguard audit`: judge a live Docker engine with the pack's rules, predict and optionally measure reachability. */
import { topologyFromDocker } from "../../topology/fromDocker";
import { Topology } from "../../topology/model";
import { computeReachability } from "../../topology/reachability";
import { EXIT_OK, EXIT_VIOLATIONS, UserError } from "../errors";
import { readPolicyConfigFile } from "../policyConfigFile";
import { describeTopology } from "../preview/document";
import { AuditDocument } from "./document";
import { connectEngine, readEngineState } from "./dockerEngine";
import { judgeLiveState } from "./liveRules";
import { probeReachability } from "./probe";
import { Progress, silentProgress } from "./progress";
import { reachabilityMismatches } from "./reachabilityReport";

export interface AuditOptions {
    /** Measure reachability from inside each running container. */
    readonly probe?: boolean;
    /** `key=value` (or `key`) label filters; all must match. */
    readonly label?: readonly string[];
    readonly policyConfig?: string;
    /** Progress of the probes (default: none). */
    readonly progress?: Progress;
    /** Where DOCKER_HOST is read from (default: the process environment). */
    readonly env?: NodeJS.ProcessEnv;
}

export interface AuditResult {
    readonly document: AuditDocument;
    readonly exitCode: number;
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

export async function audit(options: AuditOptions = {}): Promise<AuditResult> {
    const labels = checkLabels(options.label ?? []);
    const packConfig = readPolicyConfigFile(options.policyConfig);
    const engine = await connectEngine(options.env ?? process.env);
    const state = await readEngineState(engine, labels);
    const topology = topologyFromDocker(state);
    const running = new Set(state.containers.filter((container) => container.State?.Running === true).map((container) => container.Id));

    const judgement = judgeLiveState(topology, packConfig);
    const described = describeTopology(topology);
    const predicted = computeReachability(runningOnly(topology, running));

    let reachability: AuditDocument["reachability"] = { predicted, measured: null, mismatches: null, probe: null };
    if (options.probe) {
        const report = await probeReachability(engine, topology, running, options.progress ?? silentProgress);
        reachability = {
            predicted,
            measured: report.measured,
            mismatches: reachabilityMismatches(predicted, report.measured, { probed: new Set(report.probed), pingedNetworks: report.pingedNetworks }),
            probe: { durationMs: report.durationMs, probed: report.probed, notProbed: report.notProbed, skippedAddresses: report.skippedAddresses },
        };
    }

    const document: AuditDocument = {
        engine: { address: engine.location.address, version: engine.version, apiVersion: engine.apiVersion },
        labels,
        networks: described.networks,
        containers: described.containers.map((entry, i) => ({ ...entry, running: running.has(topology.containers[i].key) })),
        violations: judgement.violations,
        policies: { judged: judgement.judged, notJudged: judgement.notJudged },
        reachability,
    };
    const exitCode = judgement.violations.some((violation) => violation.level === "mandatory") ? EXIT_VIOLATIONS : EXIT_OK;
    return { document, exitCode };
}
