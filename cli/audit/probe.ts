/**
 * Measured reachability: per running container one `exec` (see
 * `probeScript.ts`) or one sweep from the host's side of its namespace (see
 * `hostProbe.ts`), several containers at once, with a progress line on a
 * terminal; the engine watched throughout, interrupts ending what runs. Containers that cannot be probed are listed with the reason;
 * nothing is guessed for them.
 */
import Docker from "dockerode";
import { HOST_NODE } from "../../topology/hostNode";
import { ContainerNode, Topology } from "../../topology/model";
import { ReachablePair } from "../../topology/reachability";
import { DockerEngine, execInContainer, mapBounded } from "./dockerEngine";
import { EngineLoss, watchEngine } from "./engineWatch";
import { ProbeMethod, killGroup, probeFromHost } from "./hostProbe";
import { killProcessTree } from "./processTree";
import { ProbeOutcome, ProbePlan, SkippedAddress, planProbe, probeScript, readProbeOutput, sourceUnprobeable } from "./probeScript";
import { Progress } from "./progress";

/** Containers probed at once by exec: each runs all its pings in parallel already. */
export const PROBE_CONCURRENCY = 8;
/**
 * Containers probed at once from the host. A sweep mostly waits (one ICMP
 * timeout for the targets that do not answer), so all of a large host's
 * containers sweep together: one round of waiting, not one per batch.
 */
export const HOST_PROBE_CONCURRENCY = 64;
/** One probe exec may take this long (pings wait 1s; lookups are local). */
const PROBE_TIMEOUT_MS = 20_000;

export interface NotProbed {
    readonly container: string;
    readonly reason: string;
}

/** A container that was running when the audit read the engine and is not by the end of the probe. */
export interface GoneContainer {
    readonly container: string;
    /** "removed during the probe" or "stopped during the probe". */
    readonly reason: string;
}

/** How to probe. */
export interface ProbeOptions {
    readonly method: ProbeMethod;
    /** Each running container's main process on the host (by topology key), for host-side probing. */
    readonly pids: ReadonlyMap<string, number>;
}

export interface ProbeReport {
    readonly method: ProbeMethod;
    /** Reachable pairs as measured from the probed containers, sorted like the predicted ones. */
    readonly measured: ReachablePair[];
    /** Names of the containers probed from inside. */
    readonly probed: string[];
    readonly notProbed: NotProbed[];
    /** Target addresses no probe pinged, with the reason. */
    readonly skippedAddresses: SkippedAddress[];
    /** Per target, the networks on which its address was pinged (what the measurement can speak about). */
    readonly pingedNetworks: ReadonlyMap<string, ReadonlySet<string>>;
    /** Containers removed or stopped while probing: neither measured nor compared. */
    readonly gone: GoneContainer[];
    /** Set when the engine stopped answering mid-probe: the measurement is incomplete. */
    readonly engineLoss: EngineLoss | null;
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

/** How to end each probe in flight, so that an interrupt can. */
type InFlight = Set<() => Promise<void>>;

/** Tracks one probe's process (an exec, a host child) in `inFlight` while it runs. */
function tracker<T>(inFlight: InFlight, end: (process: T) => Promise<void>): (process: T | null) => void {
    let current: (() => Promise<void>) | undefined;
    return (process) => {
        if (current) inFlight.delete(current);
        current = process ? () => end(process) : undefined;
        if (current) inFlight.add(current);
    };
}

/**
 * Ends an exec's process, and all it started, on this host (a local
 * engine's exec is a host process). A remote engine's probes end by
 * themselves within a few seconds (each ping waits at most one).
 */
async function endExec(engine: DockerEngine, exec: Docker.Exec): Promise<void> {
    if (!engine.location.local) return;
    const info = await exec.inspect().catch(() => undefined);
    if (info?.Running && info.Pid) killProcessTree(info.Pid);
}

async function probeOne(engine: DockerEngine, plan: ProbePlan, options: ProbeOptions, inFlight: InFlight): Promise<ProbeOutcome> {
    if (options.method === "host") {
        const pid = plan.source === HOST_NODE ? "host" : (options.pids.get(plan.source.key) ?? 0);
        return probeFromHost(plan, pid, tracker(inFlight, async (child) => killGroup(child)));
    }
    try {
        const script = probeScript(plan);
        const result = await execInContainer(engine, plan.source.key, ["sh", "-c", script], PROBE_TIMEOUT_MS, tracker(inFlight, (exec: Docker.Exec) => endExec(engine, exec)));
        return outcomeOf(plan, result.exitCode, result.stdout, result.stderr);
    } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        if (/executable file not found|no such file or directory/i.test(message)) return { probed: false, reason: "has no shell (sh) to run the probe in" };
        return { probed: false, reason: `the probe could not run: ${message}` };
    }
}

/** Ends every probe in flight. */
async function endInFlight(inFlight: InFlight): Promise<void> {
    await Promise.all([...inFlight].map((end) => end().catch(() => undefined)));
}

/**
 * While `body` runs, SIGINT and SIGTERM end the probes in flight and then
 * the process (exit 130 / 143, as a shell reports them).
 */
async function interruptible<T>(inFlight: InFlight, body: () => Promise<T>): Promise<T> {
    const handlers = (["SIGINT", "SIGTERM"] as const).map((signal) => {
        const handler = () => {
            process.stderr.write(`\nnetguard: ${signal}: ending ${inFlight.size} probe(s) in flight\n`);
            void endInFlight(inFlight).finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
        };
        process.on(signal, handler);
        return () => process.off(signal, handler);
    });
    try {
        return await body();
    } finally {
        handlers.forEach((remove) => remove());
    }
}

/** Which of `containers` (by key) no longer run, per the engine now; throws when the engine cannot say. */
async function goneContainers(engine: DockerEngine, containers: readonly ContainerNode[]): Promise<GoneContainer[]> {
    const states = await mapBounded(containers, 16, async (container) => {
        try {
            const info = await engine.docker.getContainer(container.key).inspect();
            return info.State?.Running ? undefined : { container: container.name, reason: "stopped during the probe" };
        } catch (err) {
            if ((err as { statusCode?: number }).statusCode === 404) return { container: container.name, reason: "removed during the probe" };
            throw err;
        }
    });
    return states.filter((state): state is GoneContainer => state !== undefined);
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
    options: ProbeOptions = { method: "exec", pids: new Map() },
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

    // From the host's side, the host itself is measured too: the `@host` node of the matrices.
    if (options.method === "host") plans.push(planProbe(topology, HOST_NODE, isRunning));
    const inFlight: InFlight = new Set();
    const watch = watchEngine(engine, "the probe");
    let done = 0;
    let outcomes: ProbeOutcome[] | undefined;
    let gone: GoneContainer[] = [];
    let engineLoss: EngineLoss | null = null;
    try {
        progress.update(0, plans.length);
        const probing = interruptible(inFlight, () =>
            mapBounded(plans, options.method === "host" ? HOST_PROBE_CONCURRENCY : PROBE_CONCURRENCY, async (plan) => {
                if (watch.loss()) return { probed: false, reason: "the engine was lost" } as ProbeOutcome;
                const outcome = await probeOne(engine, plan, options, inFlight);
                progress.update(++done, plans.length, plan.source.name);
                return outcome;
            }),
        );
        const first = await Promise.race([probing, watch.lost]);
        progress.finish();
        // A probe that failed may be the first sign of a lost engine: ask it once more before trusting the results.
        engineLoss = Array.isArray(first) ? ((await watch.check()) ?? null) : first;
        if (!engineLoss) {
            outcomes = first as ProbeOutcome[];
            try {
                gone = await goneContainers(engine, topology.containers.filter(isRunning));
            } catch (err) {
                engineLoss = (await watch.check()) ?? null;
                if (!engineLoss) throw err;
            }
        } else {
            await endInFlight(inFlight);
        }
    } finally {
        watch.stop();
        progress.finish();
    }
    if (engineLoss || !outcomes) {
        return {
            method: options.method,
            measured: [],
            probed: [],
            notProbed: [],
            skippedAddresses: [],
            pingedNetworks: new Map(),
            gone: [],
            engineLoss,
            durationMs: Date.now() - started,
        };
    }
    const goneNames = new Set(gone.map((entry) => entry.container));

    const measured: ReachablePair[] = [];
    const probed: string[] = [];
    outcomes.forEach((outcome, i) => {
        const name = plans[i].source.name;
        if (goneNames.has(name)) return;
        if (outcome.probed) {
            probed.push(name);
            measured.push(...outcome.pairs.filter((pair) => !goneNames.has(pair.to)));
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
        method: options.method,
        measured: measured.sort(comparePairs),
        probed: probed.sort(),
        notProbed: notProbed.sort((a, b) => (a.container < b.container ? -1 : a.container > b.container ? 1 : 0)),
        skippedAddresses: [...skipped.values()],
        pingedNetworks,
        gone: gone.sort((a, b) => (a.container < b.container ? -1 : a.container > b.container ? 1 : 0)),
        engineLoss: null,
        durationMs: Date.now() - started,
    };
}
