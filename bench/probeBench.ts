/**
 * `npm run bench:probe [-- --json] [-- --repeat N]`: on a real Docker engine,
 * `netguard audit --probe` timed with both probe methods, host-side (nsenter
 * + one fping sweep per container) and exec (one `docker exec` per
 * container), in the same run on the same containers, for 16, 32 and 48
 * containers. Each run must measure exactly what is predicted, with either
 * method, and the two measurements must agree.
 *
 * The stack: three networks on 10.232.{0,1,2}.0/24, the second with ICC
 * off, containers spread over them, the first container dual-homed on the
 * first and third. A label per size scopes each audit to its first N
 * containers. Everything is labelled `netguard.bench=true`; leftovers are
 * removed first and everything at the end. Pings go only between these
 * containers.
 *
 * The physical floor of a method: every container has targets that do not
 * answer (other networks, ICC off), so each sweep waits one ICMP timeout;
 * with C containers in flight, N containers take ceil(N / C) sequential
 * rounds of that timeout.
 */
import Docker from "dockerode";
import { runAudit } from "../cli/commands/audit/run";
import { AuditDocument } from "../document/auditDocument";
import { connectEngine, mapBounded } from "../cli/commands/audit/engine/dockerEngine";
import { HOST_PING_TIMEOUT_MS } from "../cli/commands/audit/probes/hostProbe";
import { ProbeMethod } from "../document/auditDocument";
import { HOST_PROBE_CONCURRENCY, PROBE_CONCURRENCY } from "../cli/commands/audit/probes/probeReachability";
import { HOST_NODE_NAME } from "../topology/hostNode";
import { releaseEngineLock, takeEngineLock } from "../scripts/engineLock";
import { round1, spread } from "./stats";

const LABEL_KEY = "netguard.bench";
const LABEL = `${LABEL_KEY}=true`;
const IMAGE = process.env.NETGUARD_PROBE_IMAGE ?? "netguard-probe:local";
const SIZES = [16, 32, 48] as const;
const NETWORKS = 3;
/** The network with inter-container communication off. */
const ICC_OFF = 1;
/** The exec probe's ping timeout (`ping -W 1`). */
const EXEC_PING_TIMEOUT_MS = 1000;
/** The target at 48 containers: host probing at least this many times faster than exec. */
const MIN_RATIO = 5;

const log = (line: string) => process.stderr.write(`${line}\n`);
const sizeLabel = (size: number) => `netguard.bench.size${size}`;
const netName = (n: number) => `netguard-bench-${n}`;

async function removeBenchResources(docker: Docker): Promise<void> {
    const filters = { label: [LABEL] };
    const containers = await docker.listContainers({ all: true, filters });
    await mapBounded(containers, 4, (container) => docker.getContainer(container.Id).remove({ force: true }));
    const networks = await docker.listNetworks({ filters });
    await mapBounded(networks, 4, (network) => docker.getNetwork(network.Id).remove());
}

/** Container i on network i mod 3 (address .10+i), labelled for every size that includes it; container 0 also on the third network. */
async function createStack(docker: Docker): Promise<void> {
    for (let n = 0; n < NETWORKS; n++) {
        await docker.createNetwork({
            Name: netName(n),
            Driver: "bridge",
            Labels: { [LABEL_KEY]: "true" },
            Options: n === ICC_OFF ? { "com.docker.network.bridge.enable_icc": "false" } : {},
            IPAM: { Driver: "default", Config: [{ Subnet: `10.232.${n}.0/24`, Gateway: `10.232.${n}.1` }] },
        });
    }
    const max = SIZES[SIZES.length - 1];
    await mapBounded(
        Array.from({ length: max }, (_, i) => i),
        4,
        async (i) => {
            const n = i % NETWORKS;
            const labels: Record<string, string> = { [LABEL_KEY]: "true" };
            for (const size of SIZES) if (i < size) labels[sizeLabel(size)] = "true";
            if (i === 0) labels["netguard.dual-homed"] = "true";
            const container = await docker.createContainer({
                name: `netguard-bench-${String(i).padStart(2, "0")}`,
                Image: IMAGE,
                Labels: labels,
                HostConfig: { NetworkMode: netName(n) },
                NetworkingConfig: { EndpointsConfig: { [netName(n)]: { IPAMConfig: { IPv4Address: `10.232.${n}.${10 + i}` } } } },
            });
            if (i === 0) await docker.getNetwork(netName(2)).connect({ Container: container.id, EndpointConfig: { IPAMConfig: { IPv4Address: "10.232.2.200" } } });
            await container.start();
        },
    );
}

/** One audit --probe of the first `size` containers with `method`; fails unless every container was probed and nothing mismatched. */
async function probeOnce(size: number, method: ProbeMethod): Promise<{ ms: number; measured: string }> {
    const { document } = await runAudit({ probe: true, probeMethod: method, label: [LABEL, `${sizeLabel(size)}=true`] });
    const { probe, measured, mismatches, predicted } = document.reachability as AuditDocument["reachability"];
    if (!probe || !measured || !mismatches) throw new Error(`${method} at ${size}: the audit did not probe`);
    if (probe.method !== method) throw new Error(`${method} at ${size}: the audit probed by ${probe.method}`);
    if (probe.probed.filter((name) => name !== HOST_NODE_NAME).length !== size) throw new Error(`${method} at ${size}: probed ${probe.probed.length} (${probe.notProbed.map((n) => `${n.container}: ${n.reason}`).join("; ")})`);
    if (mismatches.length > 0) throw new Error(`${method} at ${size}: ${mismatches.length} mismatches, e.g. ${JSON.stringify(mismatches[0])}`);
    // From the host's side the `@host` node is measured too; by exec it is not.
    const probed = new Set(probe.probed);
    const expected = predicted.filter((pair) => probed.has(pair.from));
    if (JSON.stringify(measured) !== JSON.stringify(expected)) throw new Error(`${method} at ${size}: measured ${measured.length} pairs, predicted ${expected.length}`);
    return { ms: probe.durationMs, measured: JSON.stringify(measured.filter((pair) => pair.from !== HOST_NODE_NAME)) };
}

function readOptions(argv: readonly string[]): { json: boolean; repeat: number } {
    const i = argv.indexOf("--repeat");
    const repeat = i >= 0 ? Number(argv[i + 1]) : 3;
    if (!Number.isInteger(repeat) || repeat < 1) throw new Error(`--repeat must be a whole number ≥ 1, got ${argv[i + 1]}`);
    return { json: argv.includes("--json"), repeat };
}

/** ceil(N / C) rounds of one ICMP timeout. */
const floorMs = (containers: number, concurrency: number, timeoutMs: number) => Math.ceil(containers / concurrency) * timeoutMs;

async function main(): Promise<void> {
    const options = readOptions(process.argv.slice(2));
    const engine = await connectEngine(process.env);
    await takeEngineLock(20 * 60_000, log);
    try {
        await removeBenchResources(engine.docker);
        log(`creating ${SIZES[SIZES.length - 1]} containers on ${NETWORKS} networks (ICC off on ${netName(ICC_OFF)}, one dual-homed) from ${IMAGE}`);
        await createStack(engine.docker);
        const sizes = [];
        for (const size of SIZES) {
            await probeOnce(size, "host");
            await probeOnce(size, "exec");
            const host: number[] = [];
            const exec: number[] = [];
            for (let i = 0; i < options.repeat; i++) {
                // Alternate, so that a change in the machine's load hits both alike.
                const h = await probeOnce(size, "host");
                const e = await probeOnce(size, "exec");
                if (h.measured !== e.measured) throw new Error(`at ${size}: host-side and exec probes measured different pairs`);
                host.push(h.ms);
                exec.push(e.ms);
                log(`  ${size} containers, run ${i + 1}/${options.repeat}: host ${h.ms} ms, exec ${e.ms} ms`);
            }
            const hostMs = spread(host).median;
            const execMs = spread(exec).median;
            sizes.push({
                containers: size,
                hostMs,
                execMs,
                ratio: round1(execMs / hostMs),
                hostFloorMs: floorMs(size, HOST_PROBE_CONCURRENCY, HOST_PING_TIMEOUT_MS),
                execFloorMs: floorMs(size, PROBE_CONCURRENCY, EXEC_PING_TIMEOUT_MS),
                hostRuns: host,
                execRuns: exec,
            });
        }
        const at48 = sizes[sizes.length - 1];
        const growth = round1(at48.hostMs / sizes[0].hostMs);
        if (options.json) {
            console.log(
                JSON.stringify(
                    {
                        sizes,
                        networks: NETWORKS,
                        concurrency: { host: HOST_PROBE_CONCURRENCY, exec: PROBE_CONCURRENCY },
                        pingTimeoutMs: { host: HOST_PING_TIMEOUT_MS, exec: EXEC_PING_TIMEOUT_MS },
                        hostGrowth16to48: growth,
                        measuredEqualsPredicted: true,
                    },
                    null,
                    2,
                ),
            );
        } else {
            for (const s of sizes) {
                console.log(
                    `${String(s.containers).padStart(2)} containers: host ${s.hostMs} ms (floor ${s.hostFloorMs}), exec ${s.execMs} ms (floor ${s.execFloorMs}), exec/host ${s.ratio}×`,
                );
            }
            console.log(`host-side growth 16 → 48: ${growth}× (linear would be 3×); at 48 exec/host ${at48.ratio}×, target ≥ ${MIN_RATIO}× ${at48.ratio >= MIN_RATIO ? "OK" : "MISSED"}`);
            console.log("measured = predicted in every run, with both methods");
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
