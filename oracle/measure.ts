/**
 * The engine's view of a case: the script run by `sh -c` (no `set -e`: later
 * lines run whatever earlier ones did) with DOCKER_HOST set to the scratch
 * engine, every docker invocation recorded by a shim on PATH (its words,
 * exit status and stderr), then the engine read back through the audit's
 * `readEngineState`, scoped to the run's label, and normalized as the
 * prediction is.
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DockerEngine, readEngineState } from "../cli/commands/audit/engine/dockerEngine";
import { DockerContainerInspect } from "../readers/docker/engineState";
import { liveTopologyFromDocker } from "../readers/docker/fromDocker";
import { cidrContainsCidr, parseCidr, tryParseCidr } from "../addressing/cidr";
import { Topology } from "../topology/model";
import { FUZZ_LABEL } from "./caseModel";
import { NState, portKey, sortedRecord } from "./normalized";
import { normalizeTopology } from "./predict";
import { PROGRAM_SCRATCH } from "./program/programModel";

/** One docker command as the shell ran it. */
export interface Invocation {
    readonly argv: readonly string[];
    /** Exit status; null when the case's time limit ended it. */
    readonly status: number | null;
    readonly stderr: string;
}

export interface ScriptRun {
    readonly invocations: readonly Invocation[];
    readonly timedOut: boolean;
    readonly shellStatus: number | null;
    readonly shellStderr: string;
}

export interface Measurement {
    readonly run: ScriptRun;
    readonly state: NState;
}

// The command cases' addresses: 10.199.x.y and fd00:199:x:y:: (a /32: a /48 would leave out every fd00:199:x:: with x > 0); the program cases' (programModel.ts).
const SCRATCH = ["10.199.0.0/16", "fd00:199::/32", ...PROGRAM_SCRATCH].map(parseCidr);

const SHIM = `#!/bin/sh
log="$NETGUARD_ORACLE_LOG"
n=$(( $(cat "$log/count" 2>/dev/null || echo 0) + 1 ))
echo "$n" > "$log/count"
printf '%s\\0' docker "$@" > "$log/$n.args"
"$NETGUARD_ORACLE_REAL" "$@" 2> "$log/$n.err"
rc=$?
cat "$log/$n.err" >&2
echo "$rc" > "$log/$n.rc"
exit "$rc"
`;

/** The docker client the shim calls. */
export function realDocker(): string {
    const found = spawnSync("sh", ["-c", "command -v docker"], { encoding: "utf8" });
    const where = found.stdout.trim();
    if (found.status !== 0 || where === "") throw new Error("no docker client on PATH");
    return where;
}

/** What a bounded process did: its exit status (null when killed), its stderr, and whether the time limit killed it. */
export interface BoundedRun {
    readonly status: number | null;
    readonly stderr: string;
    readonly timedOut: boolean;
}

/** Runs a command in a process group of its own, killing the group after `timeoutMs`. */
export async function runBounded(command: string, args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<BoundedRun> {
    const child = spawn(command, args, { env, detached: true, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
        timedOut = true;
        try {
            process.kill(-child.pid!, "SIGKILL");
        } catch {
            // already gone
        }
    }, timeoutMs);
    const status = await new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
    clearTimeout(timer);
    return { status, stderr, timedOut };
}

/** Runs the script under `sh -c`, killing its process group after `timeoutMs`. */
export async function runScript(script: string, dockerHost: string, timeoutMs: number): Promise<ScriptRun> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "netguard-oracle-"));
    const bin = path.join(dir, "bin");
    const log = path.join(dir, "log");
    fs.mkdirSync(bin);
    fs.mkdirSync(log);
    fs.writeFileSync(path.join(bin, "docker"), SHIM, { mode: 0o755 });
    const env = { ...process.env, PATH: `${bin}:${process.env.PATH ?? "/usr/bin:/bin"}`, DOCKER_HOST: dockerHost, NETGUARD_ORACLE_LOG: log, NETGUARD_ORACLE_REAL: realDocker() };
    const { status, stderr, timedOut } = await runBounded("sh", ["-c", script], env, timeoutMs);
    const count = Number(readOr(path.join(log, "count"), "0"));
    const invocations: Invocation[] = [];
    for (let n = 1; n <= count; n++) {
        const argv = readOr(path.join(log, `${n}.args`), "").split("\0").slice(0, -1);
        const rc = readOr(path.join(log, `${n}.rc`), "").trim();
        invocations.push({ argv, status: rc === "" ? null : Number(rc), stderr: readOr(path.join(log, `${n}.err`), "").trim() });
    }
    fs.rmSync(dir, { recursive: true, force: true });
    return { invocations, timedOut, shellStatus: status, shellStderr: stderr.trim() };
}

function readOr(file: string, fallback: string): string {
    try {
        return fs.readFileSync(file, "utf8");
    } catch {
        return fallback;
    }
}

/** Removes every container and network the fuzzer labelled (any run), containers first. */
export async function cleanup(engine: DockerEngine): Promise<number> {
    const { docker } = engine;
    const filters = { label: [FUZZ_LABEL] };
    let removed = 0;
    for (const summary of await docker.listContainers({ all: true, filters })) {
        await docker.getContainer(summary.Id).remove({ force: true, v: true }).catch(() => undefined);
        removed++;
    }
    for (const network of await docker.listNetworks({ filters })) {
        await docker.getNetwork(network.Id).remove().catch(() => undefined);
        removed++;
    }
    return removed;
}

type RawEndpoint = { IPAMConfig?: { IPv6Address?: string } | null };
type RawPorts = Record<string, { HostIp?: string; HostPort?: string }[] | null> | null | undefined;

/** Published ports as requested and accepted (`HostConfig.PortBindings`): a port Docker picks is `auto`. */
function requestedPorts(container: DockerContainerInspect): string[] {
    const bindings = (container.HostConfig?.PortBindings ?? {}) as RawPorts;
    const keys: string[] = [];
    for (const [key, hosts] of Object.entries(bindings ?? {})) {
        const [port, protocol = "tcp"] = key.split("/");
        for (const host of hosts ?? []) {
            const hostPort = host.HostPort ?? "";
            const external = /^\d+$/.test(hostPort) && Number(hostPort) > 0 ? Number(hostPort) : undefined;
            keys.push(portKey({ internal: Number(port), ...(external ? { external } : {}), ...(host.HostIp ? { ip: host.HostIp } : {}), protocol }));
        }
    }
    return [...new Set(keys)].sort();
}

/** Only what the script wrote: blocks Docker allocated from its default pools are not the case's. */
function writtenBlocksOnly(topology: Topology): Topology {
    const scratch = (subnet: unknown) => {
        const cidr = typeof subnet === "string" ? tryParseCidr(subnet) : undefined;
        return cidr !== undefined && SCRATCH.some((range) => range.version === cidr.version && cidrContainsCidr(range, cidr));
    };
    return { ...topology, networks: topology.networks.map((network) => ({ ...network, ipam: network.ipam.filter((block) => scratch(block.subnet)) })) };
}

export async function measure(engine: DockerEngine, runId: string, prefix: string): Promise<NState> {
    const state = await readEngineState(engine, [`${FUZZ_LABEL}=${runId}`]);
    const live = liveTopologyFromDocker(state);
    const byId = new Map(state.containers.map((c) => [c.Id, c]));
    const nameOf = (idOrName: string) => {
        const found = byId.get(idOrName) ?? state.containers.find((c) => c.Id.startsWith(idOrName));
        return found ? found.Name.replace(/^\//, "") : idOrName;
    };
    const normalized = normalizeTopology(writtenBlocksOnly(live.topology), prefix, {
        containerName: nameOf,
        ipv6: (key, network) => {
            const endpoint = byId.get(key)?.NetworkSettings?.Networks?.[network] as RawEndpoint | undefined;
            return endpoint?.IPAMConfig?.IPv6Address || undefined;
        },
    });
    const containers = { ...normalized.containers };
    for (const container of state.containers) {
        const name = container.Name.replace(/^\//, "");
        if (containers[name]) containers[name] = { ...containers[name], ports: requestedPorts(container) };
    }
    return { networks: normalized.networks, containers: sortedRecord(containers) };
}
