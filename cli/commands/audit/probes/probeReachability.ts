/**
 * Measured reachability: per running container one `exec` (see
 * `probeScript.ts`) or one sweep from the host's side of its namespace (see
 * `hostProbe.ts`), several containers at once, with a progress line on a
 * terminal; the engine watched throughout, interrupts ending what runs. Containers that cannot be probed are listed with the reason;
 * nothing is guessed for them.
 */
import Docker from "dockerode";
import { HOST_NODE } from "../../../../topology/hostNode";
import { ContainerNode, Topology } from "../../../../topology/model";
import { ReachablePair, comparePairs } from "../../../../topology/reachability";
import { DockerEngine, execInContainer, mapBounded } from "../engine/dockerEngine";
import { EngineLoss, EngineWatch, watchEngine } from "../engine/engineWatch";
import { killGroup, probeFromHost } from "./hostProbe";
import { GoneContainer, NotProbed, ProbeMethod } from "../../../../document/auditDocument";
import { killProcessTree } from "./processTree";
import { Addressing, ProbeOutcome, ProbePlan, planProbe, probeScript, readProbeOutput, sourceUnprobeable } from "./probeScript";
import { SkippedAddress } from "../../../../document/auditDocument";
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

/** Where a source is probed from: its container, or for a service each of its running tasks' containers, on the engine that runs it. */
export interface ProbeSite {
    readonly engine: DockerEngine;
    readonly containerId: string;
    /** The container's main process on the engine's host (host-side probing); 0 when unknown. */
    readonly pid: number;
    /** What to call it when it cannot be probed: the container's name, or the task's (`web.2`). */
    readonly label: string;
    /** Why it cannot be probed (a task on a node whose engine is not audited); undefined when it can. */
    readonly unavailable?: string;
}

/** How to probe. */
export interface ProbeOptions {
    readonly method: ProbeMethod;
    /** Where each source is probed from, or why it cannot be. */
    readonly sites: (source: ContainerNode) => readonly ProbeSite[] | string;
    /** Where targets are (default: their attachments' addresses). */
    readonly addressing?: Addressing;
    /** Measure the host itself as `@host` (default: when probing from the host's side). */
    readonly measureHost?: boolean;
    /** Every engine to watch while probing. */
    readonly engines: readonly DockerEngine[];
    /** Which sources (running when read) no longer run; throws when an engine cannot say. */
    readonly goneSources: (sources: readonly ContainerNode[]) => Promise<GoneContainer[]>;
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
export async function endExec(engine: DockerEngine, exec: Docker.Exec): Promise<void> {
    if (!engine.location.local) return;
    const info = await exec.inspect().catch(() => undefined);
    if (info?.Running && info.Pid) killProcessTree(info.Pid);
}

/** One probe to run: a plan, from one site (or from the host itself). */
interface ProbeJob {
    readonly plan: ProbePlan;
    readonly site: ProbeSite | "host";
}

async function probeOne(job: ProbeJob, options: ProbeOptions, inFlight: InFlight): Promise<ProbeOutcome> {
    const { plan, site } = job;
    if (site !== "host" && site.unavailable) return { probed: false, reason: site.unavailable };
    if (options.method === "host") {
        return probeFromHost(plan, site === "host" ? "host" : site.pid, tracker(inFlight, async (child) => killGroup(child)));
    }
    if (site === "host") return { probed: false, reason: "the host is measured from the host's side only" };
    const engine = site.engine;
    try {
        const script = probeScript(plan);
        const result = await execInContainer(engine, site.containerId, ["sh", "-c", script], PROBE_TIMEOUT_MS, tracker(inFlight, (exec: Docker.Exec) => endExec(engine, exec)));
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

/** Several engines watched as one: lost when any is. */
function watchEngines(engines: readonly DockerEngine[], during: string): EngineWatch {
    const watches = engines.map((engine) => watchEngine(engine, during));
    return {
        lost: Promise.race(watches.map((watch) => watch.lost)),
        loss: () => watches.map((watch) => watch.loss()).find((loss) => loss !== undefined),
        check: async () => (await Promise.all(watches.map((watch) => watch.check()))).find((loss) => loss !== undefined),
        stop: () => watches.forEach((watch) => watch.stop()),
    };
}

/** The pairs of several probes of one source (a service's tasks): reachable when any task reached, by name when any resolved. */
function unitePairs(outcomes: readonly ReachablePair[][]): ReachablePair[] {
    const byTarget = new Map<string, ReachablePair>();
    for (const pair of outcomes.flat()) {
        const known = byTarget.get(pair.to);
        byTarget.set(
            pair.to,
            known ? { ...known, networks: [...new Set([...known.networks, ...pair.networks])].sort(), byName: known.byName || pair.byName } : pair,
        );
    }
    return [...byTarget.values()];
}

/**
 * Probes from every container of the topology that runs and has a network
 * of its own. `running` says which containers run (by topology key).
 */
export async function probeReachability(topology: Topology, running: ReadonlySet<string>, progress: Progress, options: ProbeOptions): Promise<ProbeReport> {
    const started = Date.now();
    const isRunning = (container: ContainerNode) => running.has(container.key);
    const notProbed: NotProbed[] = [];
    const plans: ProbePlan[] = [];
    const jobs: ProbeJob[] = [];
    for (const source of topology.containers) {
        const reason = sourceUnprobeable(source, isRunning(source));
        const sites = reason ?? options.sites(source);
        if (typeof sites === "string" || sites.length === 0) {
            notProbed.push({ container: source.name, reason: typeof sites === "string" ? sites : "nothing runs it on an audited engine" });
            continue;
        }
        const plan = planProbe(topology, source, isRunning, options.addressing);
        plans.push(plan);
        sites.forEach((site) => jobs.push({ plan, site }));
    }

    // From the host's side, the host itself is measured too: the `@host` node of the matrices.
    if (options.measureHost ?? options.method === "host") {
        const plan = planProbe(topology, HOST_NODE, isRunning, options.addressing);
        plans.push(plan);
        jobs.push({ plan, site: "host" });
    }
    const inFlight: InFlight = new Set();
    const watch = watchEngines(options.engines, "the probe");
    let done = 0;
    let outcomes: ProbeOutcome[] | undefined;
    let gone: GoneContainer[] = [];
    let engineLoss: EngineLoss | null = null;
    try {
        progress.update(0, jobs.length);
        const probing = interruptible(inFlight, () =>
            mapBounded(jobs, options.method === "host" ? HOST_PROBE_CONCURRENCY : PROBE_CONCURRENCY, async (job) => {
                if (watch.loss()) return { probed: false, reason: "the engine was lost" } as ProbeOutcome;
                const outcome = await probeOne(job, options, inFlight);
                progress.update(++done, jobs.length, job.site === "host" ? HOST_NODE.name : job.site.label);
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
                const sources = topology.containers.filter(isRunning);
                gone = await options.goneSources(sources);
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

    // Per source, what its sites found: probed when any site was (a service's tasks each probe; what one reaches, the service reaches).
    const bySource = new Map<ProbePlan, { pairs: ReachablePair[][]; failed: { label: string; reason: string }[] }>();
    jobs.forEach((job, i) => {
        const entry = bySource.get(job.plan) ?? { pairs: [], failed: [] };
        const outcome = (outcomes as ProbeOutcome[])[i];
        if (outcome.probed) entry.pairs.push(outcome.pairs);
        else entry.failed.push({ label: job.site === "host" ? HOST_NODE.name : job.site.label, reason: outcome.reason });
        bySource.set(job.plan, entry);
    });
    const measured: ReachablePair[] = [];
    const probed: string[] = [];
    for (const [plan, { pairs, failed }] of bySource) {
        const name = plan.source.name;
        if (goneNames.has(name)) continue;
        if (pairs.length > 0) {
            probed.push(name);
            measured.push(...unitePairs(pairs).filter((pair) => !goneNames.has(pair.to)));
            // Tasks of a probed service that could not be probed themselves are listed by task name.
            failed.forEach((failure) => notProbed.push({ container: failure.label, reason: failure.reason }));
        } else {
            const label = failed.length === 1 && failed[0].label !== name ? `${failed[0].label}: ` : "";
            notProbed.push({ container: name, reason: failed.length > 0 ? `${label}${failed[0].reason}` : "nothing to probe it from" });
        }
    }

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
