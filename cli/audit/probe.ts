/**
 * Measured reachability: one `exec` per running container (see
 * `probeScript.ts`), several containers at once, with a progress line on a
 * terminal. Containers that cannot be probed are listed with the reason;
 * nothing is guessed for them.
 */
import { ContainerNode, Topology } from "../../topology/model";
import { ReachablePair } from "../../topology/reachability";
import { DockerEngine, execInContainer, mapBounded } from "./dockerEngine";
import { ProbeOutcome, ProbePlan, SkippedAddress, planProbe, probeScript, readProbeOutput, sourceUnprobeable } from "./probeScript";
import { Progress } from "./progress";

/** Containers probed at once: each runs all its pings in parallel already. */
export const PROBE_CONCURRENCY = 8;
/** One probe exec may take this long (pings wait 1s; lookups are local). */
const PROBE_TIMEOUT_MS = 20_000;

export interface NotProbed {
    readonly container: string;
    readonly reason: string;
}

export interface ProbeReport {
    /** Reachable pairs as measured from the probed containers, sorted like the predicted ones. */
    readonly measured: ReachablePair[];
    /** Names of the containers probed from inside. */
    readonly probed: string[];
    readonly notProbed: NotProbed[];
    /** Target addresses no probe pinged, with the reason. */
    readonly skippedAddresses: SkippedAddress[];
    /** Per target, the networks on which its address was pinged (what the measurement can speak about). */
    readonly pingedNetworks: ReadonlyMap<string, ReadonlySet<string>>;
    readonly durationMs: number;
}

/** Reads what a finished exec says: a shell that is missing shows only in the exit code and the engine's message. */
function outcomeOf(plan: ProbePlan, exitCode: number | null, stdout: string, stderr: string): ProbeOutcome {
    const outcome = readProbeOutput(plan, stdout);
    if (outcome.probed || stdout.includes("NG-READY") || stdout.includes("NG-NOPROBE")) return outcome;
    if (exitCode === 126 || exitCode === 127 || /executable file not found|no such file or directory/i.test(stdout + stderr)) {
        return { probed: false, reason: "has no shell (sh) to run the probe in" };
    }
    const said = (stderr || stdout).trim().split("\n")[0];
    return { probed: false, reason: `the probe failed (exit ${exitCode ?? "unknown"}${said ? `: ${said}` : ""})` };
}

async function probeOne(engine: DockerEngine, plan: ProbePlan): Promise<ProbeOutcome> {
    try {
        const result = await execInContainer(engine, plan.source.key, ["sh", "-c", probeScript(plan)], PROBE_TIMEOUT_MS);
        return outcomeOf(plan, result.exitCode, result.stdout, result.stderr);
    } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        if (/executable file not found|no such file or directory/i.test(message)) return { probed: false, reason: "has no shell (sh) to run the probe in" };
        return { probed: false, reason: `the probe could not run: ${message}` };
    }
}

function comparePairs(a: ReachablePair, b: ReachablePair): number {
    return a.from === b.from ? (a.to < b.to ? -1 : a.to > b.to ? 1 : 0) : a.from < b.from ? -1 : 1;
}

/**
 * Probes from every container of the topology that runs and has a network
 * of its own. `running` says which containers run (by topology key).
 */
export async function probeReachability(
    engine: DockerEngine,
    topology: Topology,
    running: ReadonlySet<string>,
    progress: Progress,
): Promise<ProbeReport> {
    const started = Date.now();
    const isRunning = (container: ContainerNode) => running.has(container.key);
    const notProbed: NotProbed[] = [];
    const plans: ProbePlan[] = [];
    for (const source of topology.containers) {
        const reason = sourceUnprobeable(source, isRunning(source));
        if (reason) notProbed.push({ container: source.name, reason });
        else plans.push(planProbe(topology, source, isRunning));
    }

    let done = 0;
    progress.update(0, plans.length);
    const outcomes = await mapBounded(plans, PROBE_CONCURRENCY, async (plan) => {
        const outcome = await probeOne(engine, plan);
        progress.update(++done, plans.length, plan.source.name);
        return outcome;
    });
    progress.finish();

    const measured: ReachablePair[] = [];
    const probed: string[] = [];
    outcomes.forEach((outcome, i) => {
        const name = plans[i].source.name;
        if (outcome.probed) {
            probed.push(name);
            measured.push(...outcome.pairs);
        } else {
            notProbed.push({ container: name, reason: outcome.reason });
        }
    });

    // Every plan sees the same targets' addresses; any plan says which were pinged and which skipped.
    const pingedNetworks = new Map<string, Set<string>>();
    const skipped = new Map<string, SkippedAddress>();
    for (const plan of plans) {
        for (const probe of plan.addresses) {
            const networks = pingedNetworks.get(probe.target.name) ?? new Set<string>();
            networks.add(probe.network.name);
            pingedNetworks.set(probe.target.name, networks);
        }
        for (const entry of plan.skipped) skipped.set(`${entry.target}\u0000${entry.network}`, entry);
    }
    return {
        measured: measured.sort(comparePairs),
        probed: probed.sort(),
        notProbed: notProbed.sort((a, b) => (a.container < b.container ? -1 : a.container > b.container ? 1 : 0)),
        skippedAddresses: [...skipped.values()],
        pingedNetworks,
        durationMs: Date.now() - started,
    };
}
