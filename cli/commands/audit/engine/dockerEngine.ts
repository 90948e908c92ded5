/**
 * The live Docker engine, read through dockerode: where it is (DOCKER_HOST or
 * the local socket), whether it answers, what it holds, and `exec` for the
 * probes. Everything here reads, except {@link execInContainer}, which runs a
 * command inside a container (the probe) and changes nothing else.
 */
import Docker from "dockerode";
import { PassThrough } from "stream";
import { DockerContainerInspect, DockerEngineState, DockerNetworkInspect } from "../../../../readers/docker/engineState";
import { DockerNodeInspect, DockerServiceInspect, DockerSwarmState, DockerTaskInspect, SWARM_SERVICE_ID_LABEL } from "../../../../readers/swarm/fromSwarm";
import { UserError } from "../../../errors";
import { SwarmRole } from "../../../../document/auditDocument";

/** The socket Docker's own client uses when DOCKER_HOST is not set. */
export const DEFAULT_DOCKER_SOCKET = "/var/run/docker.sock";

/** How long the engine may take to answer the first request before audit gives up. */
export const CONNECT_TIMEOUT_MS = 3_000;
/** Any later request (inspect, exec) that hangs longer than this fails (the probe's engine watch notices a hung engine sooner). */
const REQUEST_TIMEOUT_MS = 30_000;
/** Inspect requests in flight at once. */
const INSPECT_CONCURRENCY = 16;

/** Where the engine is expected, as the user would write it, and how dockerode reaches it. */
export interface EngineLocation {
    /** True for a unix socket on this machine: the engine's processes are this host's. */
    readonly local: boolean;
    /** `unix:///var/run/docker.sock`, `tcp://127.0.0.1:2375`, … */
    readonly address: string;
    /** Where the address came from, for error messages. */
    readonly source: "DOCKER_HOST" | "the default socket" | "--host";
    readonly options: Docker.DockerOptions;
}

/**
 * Reads DOCKER_HOST the way Docker's client does: `unix://PATH` or
 * `tcp://HOST:PORT` (TLS with DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH, as
 * dockerode implements it); unset means the local socket.
 */
export function engineLocation(env: NodeJS.ProcessEnv = process.env): EngineLocation {
    const host = env.DOCKER_HOST?.trim();
    return host ? hostLocation(host, "DOCKER_HOST", env) : hostLocation(`unix://${DEFAULT_DOCKER_SOCKET}`, "the default socket", env);
}

/** One `--host ADDRESS` value, read like DOCKER_HOST (TLS settings from the environment). */
export function engineLocationOfHost(address: string, env: NodeJS.ProcessEnv = process.env): EngineLocation {
    return hostLocation(address.trim(), "--host", env);
}

function hostLocation(host: string, source: EngineLocation["source"], env: NodeJS.ProcessEnv): EngineLocation {
    const timeouts = { timeout: REQUEST_TIMEOUT_MS, connectionTimeout: CONNECT_TIMEOUT_MS };
    const written = source === "--host" ? `--host "${host}"` : `DOCKER_HOST="${host}"`;
    if (host.startsWith("unix://")) {
        const socketPath = host.slice("unix://".length);
        // Docker's client refuses `unix://` without a path too; falling back to the default socket would audit another engine.
        if (!socketPath.startsWith("/")) {
            throw new UserError(`${written} names no absolute socket path: write it like unix:///var/run/docker.sock`);
        }
        return { local: true, address: `unix://${socketPath}`, source, options: { socketPath, ...timeouts } };
    }
    if (host.startsWith("tcp://")) {
        let url: URL;
        try {
            url = new URL(host);
        } catch {
            throw new UserError(`${written} is not an address like tcp://127.0.0.1:2375 or unix:///var/run/docker.sock`);
        }
        const tls = env.DOCKER_TLS_VERIFY === "1";
        const port = url.port || (tls ? "2376" : "2375");
        if (!url.hostname) throw new UserError(`${written} names no host (write it like tcp://127.0.0.1:2375)`);
        // dockerode reads DOCKER_CERT_PATH itself for https.
        return {
            local: false,
            address: `tcp://${url.hostname}:${port}`,
            source,
            options: { host: url.hostname, port, protocol: tls ? "https" : "http", ...timeouts },
        };
    }
    throw new UserError(
        `${written} uses a scheme netguard audit does not read: use unix:///path/to/docker.sock or tcp://host:port ` +
            "(for ssh://, forward the remote socket to a local one first, e.g. ssh -L /tmp/docker.sock:/var/run/docker.sock host)",
    );
}

/** A connected engine that answered. */
export interface DockerEngine {
    readonly docker: Docker;
    readonly location: EngineLocation;
    /** The daemon's version and API version, as it reports them. */
    readonly version: string | null;
    readonly apiVersion: string | null;
}

export function reasonOf(err: unknown): string {
    if (err instanceof Error) {
        const code = (err as NodeJS.ErrnoException).code;
        return code && !err.message.includes(code) ? `${code}: ${err.message}` : err.message;
    }
    return String(err);
}

/** Resolves with `promise`, or rejects after `ms` with `message`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(message)), ms);
        timer.unref();
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Connects and pings the engine. One that does not answer within a few
 * seconds is a {@link UserError} (exit 2) that says where it looked.
 */
export async function connectEngine(env: NodeJS.ProcessEnv = process.env): Promise<DockerEngine> {
    return connectEngineAt(engineLocation(env));
}

/** Connects and pings the engine at `location` (see {@link connectEngine}). */
export async function connectEngineAt(location: EngineLocation): Promise<DockerEngine> {
    const docker = new Docker(location.options);
    try {
        await withTimeout(docker.ping(), CONNECT_TIMEOUT_MS, `no answer within ${CONNECT_TIMEOUT_MS / 1000}s`);
        const version = await withTimeout(docker.version(), CONNECT_TIMEOUT_MS, `no version within ${CONNECT_TIMEOUT_MS / 1000}s`);
        return { docker, location, version: version.Version ?? null, apiVersion: version.ApiVersion ?? null };
    } catch (err) {
        throw new UserError(
            `no Docker engine answers at ${location.address} (${location.source}): ${reasonOf(err)}. ` +
                "Start one (e.g. systemctl start docker, or dockerd as root), or set DOCKER_HOST to a running engine " +
                "(unix:///path/to/docker.sock or tcp://host:port).",
            err,
        );
    }
}

/** Runs `task` over `items` with at most `limit` in flight; results in input order. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
    const results: R[] = new Array(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const index = next++;
            results[index] = await task(items[index], index);
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    return results;
}

/** What the audit reads beyond an engine's label scope, because services in scope use it. */
export interface BeyondLabels {
    /** Networks by id (a manager lists every swarm network). */
    readonly networks?: readonly string[];
    /** Services by id: their tasks' containers are read whatever labels they carry (a service's labels are not its containers'). */
    readonly services?: readonly string[];
}

/**
 * Every container (running or not) and every network the audit covers. With
 * label filters (`key=value` or `key`, all must match): the containers that
 * carry them, the task containers of the services in `beyond`, and the
 * networks that carry them or that such a container is on.
 */
export async function readEngineState(engine: DockerEngine, labels: readonly string[], beyond: BeyondLabels = {}): Promise<DockerEngineState> {
    const { docker } = engine;
    const filters = labels.length > 0 ? { label: [...labels] } : undefined;
    const failure = (what: string) => (err: unknown) => {
        throw new UserError(`the Docker engine at ${engine.location.address} did not ${what}: ${reasonOf(err)}`, err);
    };

    const listed = await docker.listContainers({ all: true, filters }).catch(failure("list containers"));
    const services = new Set(beyond.services ?? []);
    if (filters && services.size > 0) {
        // Without a filter every container is listed already.
        const seen = new Set(listed.map((summary) => summary.Id));
        const tasks = await docker.listContainers({ all: true, filters: { label: [SWARM_SERVICE_ID_LABEL] } }).catch(failure("list task containers"));
        listed.push(...tasks.filter((summary) => !seen.has(summary.Id) && services.has(summary.Labels?.[SWARM_SERVICE_ID_LABEL] ?? "")));
    }
    const containers = await mapBounded(listed, INSPECT_CONCURRENCY, (summary) =>
        docker.getContainer(summary.Id).inspect().catch(failure(`inspect container ${summary.Id.slice(0, 12)}`)),
    );

    const networkIds = new Set((await docker.listNetworks({ filters }).catch(failure("list networks"))).map((network) => network.Id));
    // The networks the audited services use, wherever they are (a manager lists every swarm network).
    (beyond.networks ?? []).forEach((id) => networkIds.add(id));
    if (filters) {
        for (const container of containers) {
            for (const endpoint of Object.values(container.NetworkSettings?.Networks ?? {})) {
                if (endpoint.NetworkID) networkIds.add(endpoint.NetworkID);
            }
        }
    }
    const networks = await mapBounded([...networkIds], INSPECT_CONCURRENCY, (id) =>
        docker
            .getNetwork(id)
            .inspect()
            .then((network: Docker.NetworkInspectInfo) => network)
            // A network removed between list and inspect is simply gone.
            .catch((err: { statusCode?: number }) => (err.statusCode === 404 ? undefined : failure(`inspect network ${id.slice(0, 12)}`)(err))),
    );
    // By name, so that output does not depend on the order the engine lists things in.
    const byName = (a: { Name: string }, b: { Name: string }) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0);
    return {
        networks: (networks.filter((network): network is Docker.NetworkInspectInfo => network !== undefined) as DockerNetworkInspect[]).sort(byName),
        containers: (containers as DockerContainerInspect[]).sort(byName),
    };
}

/** What one `exec` printed and how it ended. */
export interface ExecResult {
    /** Null when the engine did not report one. */
    readonly exitCode: number | null;
    readonly stdout: string;
    readonly stderr: string;
}

/**
 * Runs `command` inside a running container (no TTY, no stdin) and collects
 * its output. Rejects when it does not finish within `timeoutMs`.
 */
export async function execInContainer(
    engine: DockerEngine,
    containerId: string,
    command: string[],
    timeoutMs: number,
    /** Told the exec once it started, and again (with null) when it is over: an interrupt ends what is in flight. */
    track: (exec: Docker.Exec | null) => void = () => undefined,
): Promise<ExecResult> {
    const exec = await engine.docker.getContainer(containerId).exec({ Cmd: command, AttachStdout: true, AttachStderr: true, Tty: false });
    const stream = await exec.start({ hijack: true, stdin: false });
    track(exec);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const stdout = new PassThrough().on("data", (chunk: Buffer) => out.push(chunk));
    const stderr = new PassThrough().on("data", (chunk: Buffer) => err.push(chunk));
    engine.docker.modem.demuxStream(stream, stdout, stderr);
    const finished = new Promise<void>((resolve, reject) => {
        stream.on("end", resolve);
        stream.on("close", resolve);
        stream.on("error", reject);
    });
    try {
        await withTimeout(finished, timeoutMs, `did not finish within ${timeoutMs / 1000}s`);
    } finally {
        stream.destroy();
        track(null);
    }
    // The stream can end a moment before the engine records the exit code.
    let info = await exec.inspect();
    for (let tries = 0; info.Running && tries < 20; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        info = await exec.inspect();
    }
    return { exitCode: info.ExitCode ?? null, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") };
}

/** What `docker info` says about the engine's place in a swarm. */
export interface SwarmMembership {
    readonly role: SwarmRole;
    /** The engine's node id in the swarm; undefined outside one. */
    readonly nodeId?: string;
    /** The engine's host name (`docker info` Name). */
    readonly name: string;
    /** The engine's own id (`docker info` ID): one engine reached at two addresses has one. */
    readonly engineId?: string;
    /** `LocalNodeState` when it is neither active nor inactive (pending, error, locked), with the engine's error. */
    readonly problem?: string;
}

interface DockerInfo {
    readonly ID?: string;
    readonly Name?: string;
    readonly Swarm?: { readonly LocalNodeState?: string; readonly ControlAvailable?: boolean; readonly NodeID?: string; readonly Error?: string };
}

/** Manager, worker, or not in a swarm: `Swarm.LocalNodeState` and `ControlAvailable` of `docker info`. */
export async function readSwarmMembership(engine: DockerEngine): Promise<SwarmMembership> {
    const info = (await engine.docker.info().catch((err: unknown) => {
        throw new UserError(`the Docker engine at ${engine.location.address} did not answer docker info: ${reasonOf(err)}`, err);
    })) as DockerInfo;
    const name = info.Name ?? engine.location.address;
    const engineId = info.ID || undefined;
    const state = info.Swarm?.LocalNodeState ?? "inactive";
    const nodeId = info.Swarm?.NodeID || undefined;
    if (state === "active") return { role: info.Swarm?.ControlAvailable ? "manager" : "worker", nodeId, name, engineId };
    if (state === "inactive") return { role: "none", name, engineId };
    return { role: "none", nodeId, name, engineId, problem: `its swarm state is ${state}${info.Swarm?.Error ? ` (${info.Swarm.Error})` : ""}` };
}

/**
 * Nodes, services and tasks, from a manager. With label filters, the
 * services that carry them (service labels) and their tasks.
 */
export async function readSwarmState(engine: DockerEngine, labels: readonly string[]): Promise<DockerSwarmState> {
    const { docker } = engine;
    const failure = (what: string) => (err: unknown) => {
        throw new UserError(`the swarm manager at ${engine.location.address} did not ${what}: ${reasonOf(err)}`, err);
    };
    const filters = labels.length > 0 ? { label: [...labels] } : undefined;
    const [nodes, services, tasks] = await Promise.all([
        docker.listNodes().catch(failure("list nodes")) as Promise<DockerNodeInspect[]>,
        docker.listServices({ filters }).catch(failure("list services")) as Promise<DockerServiceInspect[]>,
        docker.listTasks().catch(failure("list tasks")) as Promise<DockerTaskInspect[]>,
    ]);
    const inScope = new Set(services.map((service) => service.ID));
    const byName = (a: { Spec: { Name: string } }, b: { Spec: { Name: string } }) => (a.Spec.Name < b.Spec.Name ? -1 : a.Spec.Name > b.Spec.Name ? 1 : 0);
    return {
        nodes: [...nodes].sort((a, b) => (a.ID < b.ID ? -1 : 1)),
        services: [...services].sort(byName),
        tasks: tasks.filter((task) => inScope.has(task.ServiceID)),
    };
}
