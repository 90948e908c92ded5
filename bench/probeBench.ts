/**
 * `npm run bench:probe [-- --json] [-- --repeat N]`: on a real Docker engine,
 * the time of `netguard audit --probe`'s probing (one exec per container, all
 * its pings in parallel) against a naive baseline that runs one
 * `exec ping -c 1 -W 1` per (container, target address), with the same
 * concurrency and the same targets, measured in the same run.
 *
 * The stack: 8 networks × 5 containers of the local `netguard-probe:local`
 * image on 10.232.x.0/24, plus one container joined to two networks.
 * Everything is labelled `netguard.bench=true`; leftovers are removed first
 * and everything at the end. Pings go only between these containers.
 */
import Docker from "dockerode";
import { audit } from "../cli/audit/auditCommand";
import { DockerEngine, connectEngine, execInContainer, mapBounded, readEngineState } from "../cli/audit/dockerEngine";
import { PROBE_CONCURRENCY } from "../cli/audit/probe";
import { planProbe, sourceUnprobeable } from "../cli/audit/probeScript";
import { topologyFromDocker } from "../topology/fromDocker";
import { releaseEngineLock, takeEngineLock } from "../test/docker/engineLock";
import { Spread, round1, spread, timed } from "./stats";

const LABEL_KEY = "netguard.bench";
const LABEL = `${LABEL_KEY}=true`;
const IMAGE = process.env.NETGUARD_PROBE_IMAGE ?? "netguard-probe:local";
const NETWORKS = 8;
const CONTAINERS_PER_NETWORK = 5;
/** Issue 6's target: probing at least this many times faster than the naive baseline. */
const MIN_SPEEDUP = 5;

const log = (line: string) => process.stderr.write(`${line}\n`);

/** Removes every container and network with the bench label. */
async function removeBenchResources(docker: Docker): Promise<void> {
    const filters = { label: [LABEL] };
    const containers = await docker.listContainers({ all: true, filters });
    await mapBounded(containers, 4, (container) => docker.getContainer(container.Id).remove({ force: true }));
    const networks = await docker.listNetworks({ filters });
    await mapBounded(networks, 4, (network) => docker.getNetwork(network.Id).remove());
}

/** The bench stack: nets `netguard-bench-N` (10.232.N.0/24), members `.10` up, one container on nets 0 and 1. */
async function createStack(docker: Docker): Promise<number> {
    const labels = { [LABEL_KEY]: "true" };
    const netName = (n: number) => `netguard-bench-${n}`;
    for (let n = 0; n < NETWORKS; n++) {
        await docker.createNetwork({
            Name: netName(n),
            Driver: "bridge",
            Labels: labels,
            IPAM: { Driver: "default", Config: [{ Subnet: `10.232.${n}.0/24`, Gateway: `10.232.${n}.1` }] },
        });
    }
    const create = async (name: string, n: number, host: number, extraLabels: Record<string, string> = {}) => {
        const container = await docker.createContainer({
            name,
            Image: IMAGE,
            Labels: { ...labels, ...extraLabels },
            HostConfig: { NetworkMode: netName(n) },
            NetworkingConfig: { EndpointsConfig: { [netName(n)]: { IPAMConfig: { IPv4Address: `10.232.${n}.${host}` } } } },
        });
        return container;
    };
    let count = 0;
    for (let n = 0; n < NETWORKS; n++) {
        for (let c = 0; c < CONTAINERS_PER_NETWORK; c++) {
            await (await create(`netguard-bench-${n}-${c}`, n, 10 + c)).start();
            count++;
        }
    }
    const bridge = await create("netguard-bench-dual", 0, 200, { "netguard.dual-homed": "true" });
    await docker.getNetwork(netName(1)).connect({ Container: bridge.id, EndpointConfig: { IPAMConfig: { IPv4Address: "10.232.1.200" } } });
    await bridge.start();
    return count + 1;
}

/** One run of the audit with `--probe`, scoped to the bench label; returns the probe's own duration and the measured pairs. */
async function auditProbe(): Promise<{ probeMs: number; auditMs: number; reachable: number; probed: number }> {
    const run = await timed(() => audit({ probe: true, label: [LABEL] }));
    const { reachability } = run.result.document;
    if (!reachability.probe || !reachability.measured) throw new Error("the audit did not probe");
    if (reachability.probe.notProbed.length > 0) {
        throw new Error(`the audit could not probe ${reachability.probe.notProbed.map((entry) => `${entry.container} (${entry.reason})`).join(", ")}`);
    }
    return { probeMs: reachability.probe.durationMs, auditMs: run.ms, reachable: reachability.measured.length, probed: reachability.probe.probed.length };
}

/** The naive baseline: one exec of `ping -c 1 -W 1` per (source, target address) the audit's plan pings. */
async function naiveProbe(engine: DockerEngine): Promise<{ ms: number; execs: number; reachable: number }> {
    const state = await readEngineState(engine, [LABEL]);
    const topology = topologyFromDocker(state);
    const running = new Set(state.containers.filter((container) => container.State?.Running === true).map((container) => container.Id));
    const isRunning = (container: { key: string }) => running.has(container.key);
    const pings = topology.containers
        .filter((source) => sourceUnprobeable(source, isRunning(source)) === undefined)
        .flatMap((source) => planProbe(topology, source, isRunning).addresses.map((probe) => ({ source, probe })));
    const reachable = new Set<string>();
    const run = await timed(() =>
        mapBounded(pings, PROBE_CONCURRENCY, async ({ source, probe }) => {
            const result = await execInContainer(engine, source.key, ["ping", "-c", "1", "-W", "1", probe.address], 20_000);
            if (result.exitCode === 0) reachable.add(`${source.key}\u0000${probe.target.key}`);
        }),
    );
    return { ms: run.ms, execs: pings.length, reachable: reachable.size };
}

function readOptions(argv: readonly string[]): { json: boolean; repeat: number } {
    const i = argv.indexOf("--repeat");
    const repeat = i >= 0 ? Number(argv[i + 1]) : 3;
    if (!Number.isInteger(repeat) || repeat < 1) throw new Error(`--repeat must be a whole number ≥ 1, got ${argv[i + 1]}`);
    return { json: argv.includes("--json"), repeat };
}

const fmt = (value: Spread) => `${value.median.toFixed(0)} ms (min ${value.min.toFixed(0)}, max ${value.max.toFixed(0)})`;

async function main(): Promise<void> {
    const options = readOptions(process.argv.slice(2));
    const engine = await connectEngine(process.env);
    await takeEngineLock(20 * 60_000, log);
    try {
        await removeBenchResources(engine.docker);
        log(`creating ${NETWORKS} networks × ${CONTAINERS_PER_NETWORK} containers (+1 dual-homed) from ${IMAGE}`);
        const containers = await createStack(engine.docker);
        log("warm-up audit --probe");
        await auditProbe();

        const probeMs: number[] = [];
        const auditMs: number[] = [];
        const naiveMs: number[] = [];
        const ratios: number[] = [];
        let probeRun: Awaited<ReturnType<typeof auditProbe>> | undefined;
        let naiveRun: Awaited<ReturnType<typeof naiveProbe>> | undefined;
        for (let i = 0; i < options.repeat; i++) {
            // Alternate, so that a change in the machine's load hits both sides alike.
            probeRun = await auditProbe();
            naiveRun = await naiveProbe(engine);
            probeMs.push(probeRun.probeMs);
            auditMs.push(probeRun.auditMs);
            naiveMs.push(naiveRun.ms);
            ratios.push(naiveRun.ms / probeRun.probeMs);
            log(`  run ${i + 1}/${options.repeat}: audit --probe ${probeRun.probeMs} ms (whole audit ${probeRun.auditMs.toFixed(0)} ms), naive ${naiveRun.ms.toFixed(0)} ms (${naiveRun.execs} execs)`);
        }
        if (!probeRun || !naiveRun) throw new Error("no run");
        if (probeRun.reachable !== naiveRun.reachable) {
            log(`note: the audit measured ${probeRun.reachable} reachable pairs, the naive baseline ${naiveRun.reachable}`);
        }
        const speedup = spread(ratios);
        if (options.json) {
            console.log(
                JSON.stringify(
                    {
                        containers,
                        networks: NETWORKS,
                        concurrency: PROBE_CONCURRENCY,
                        naiveExecs: naiveRun.execs,
                        reachablePairs: { probe: probeRun.reachable, naive: naiveRun.reachable },
                        probeMs: spread(probeMs),
                        auditMs: spread(auditMs.map(round1)),
                        naiveMs: spread(naiveMs.map(round1)),
                        speedup: { median: round1(speedup.median), min: round1(speedup.min), max: round1(speedup.max) },
                    },
                    null,
                    2,
                ),
            );
        } else {
            console.log(`stack: ${containers} containers on ${NETWORKS} networks; ${options.repeat} runs, ${PROBE_CONCURRENCY} execs in flight on both sides`);
            console.log(`audit --probe (probing only): ${fmt(spread(probeMs))}; whole audit: ${fmt(spread(auditMs))}`);
            console.log(`naive, one exec per pair (${naiveRun.execs} execs): ${fmt(spread(naiveMs))}`);
            console.log(`reachable pairs measured: audit ${probeRun.reachable}, naive ${naiveRun.reachable}`);
            console.log(
                `speed-up naive/probe: median ${speedup.median.toFixed(1)}× (min ${speedup.min.toFixed(1)}×, max ${speedup.max.toFixed(1)}×), ` +
                    `target ≥ ${MIN_SPEEDUP}× ${speedup.min >= MIN_SPEEDUP ? "OK" : speedup.median >= MIN_SPEEDUP ? "OK (median)" : "MISSED"}`,
            );
        }
    } finally {
        await removeBenchResources(engine.docker).catch((err: unknown) => log(`clean-up failed: ${err instanceof Error ? err.message : String(err)}`));
        releaseEngineLock();
    }
}

main().catch((err: unknown) => {
    process.stderr.write(`probe bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
});
