/**
 * The real Docker engine the conformance tests run against (test code).
 *
 * `useDockerEngine()` (call it from a `before` hook) uses the engine that
 * answers at DOCKER_HOST or the local socket; otherwise it runs
 * `scripts/docker-engine.sh start` (root on Debian: installs docker.io and
 * starts dockerd) and stops that daemon again after the run. It builds the
 * local probe image with `scripts/build-test-image.sh` and removes what an
 * earlier run left behind. When no engine can be had, the tests FAIL, unless
 * NETGUARD_SKIP_DOCKER_TESTS=1 says to skip them, which is announced loudly.
 *
 * Everything the tests create carries {@link TEST_LABEL}; a root `after`
 * hook removes all of it at the end of the run, failed or not. Because the
 * first step removes every labelled leftover, two runs on one engine would
 * tear down each other's containers: a lock file makes them take turns, one
 * suite at a time (`useDockerEngine` in `before` takes it,
 * `releaseDockerEngine` in `after` removes the suite's resources and gives
 * it back).
 */
import { spawnSync } from "child_process";
import Docker from "dockerode";
import * as path from "path";
import { DEFAULT_DOCKER_SOCKET, DockerEngine, connectEngine, mapBounded } from "../../../cli/commands/audit/engine/dockerEngine";
import { REPO_ROOT } from "../../helpers/netguardCli";
import { releaseEngineLock, takeEngineLock } from "../../../scripts/engineLock";

/** The label on everything the tests create: `netguard.test=true`. */
export const TEST_LABEL = { key: "netguard.test", value: "true" } as const;
/** The image the tests run (built by scripts/build-test-image.sh; it carries the test label itself). */
export const PROBE_IMAGE = process.env.NETGUARD_PROBE_IMAGE ?? "netguard-probe:local";
export const SKIP_VARIABLE = "NETGUARD_SKIP_DOCKER_TESTS";

/**
 * The engine this run judges, as `npm test` names it per live tier
 * (`NETGUARD_DOCKER_ENGINE`: 20 for Debian's docker.io, 29 for the engine
 * scripts/docker-engine.sh builds): every suite's title carries it, and
 * {@link useDockerEngine} fails when the engine that answers is another.
 */
export const ENGINE_UNDER_TEST: "20" | "29" = process.env.NETGUARD_DOCKER_ENGINE === "29" ? "29" : "20";
/** `[docker 20]` or `[docker 29]`, at the head of every live suite's title. */
export const ENGINE_TAG = `[docker ${ENGINE_UNDER_TEST}]`;

/** The unix socket of the engine under test (DOCKER_HOST's, else Docker's default), for the suites' proxies in front of it. */
export function engineSocketPath(): string {
    const host = process.env.DOCKER_HOST;
    return host?.startsWith("unix://") ? host.slice("unix://".length) : DEFAULT_DOCKER_SOCKET;
}

/** How long a run waits for another to release the engine. */
const LOCK_WAIT_MS = 30 * 60_000;

let ready: Promise<DockerEngine> | undefined;
let holdsLock = false;
/** True when this run started dockerd, so it must stop it. */
let startedDaemon = false;
/** True when this run made the engine a swarm, so it must leave it. */
let startedSwarm = false;

function script(name: string, args: string[], timeoutMs: number): { ok: boolean; output: string } {
    const result = spawnSync(path.join(REPO_ROOT, "scripts", name), args, { cwd: REPO_ROOT, encoding: "utf8", timeout: timeoutMs });
    const output = `${result.stdout ?? ""}${result.stderr ?? ""}${result.error ? `\n${result.error.message}` : ""}`.trim();
    return { ok: result.status === 0, output };
}

function loudly(lines: string[]): void {
    const bar = "!".repeat(78);
    process.stderr.write(`\n${bar}\n${lines.map((line) => `!! ${line}`).join("\n")}\n${bar}\n\n`);
}

async function answeringEngine(): Promise<DockerEngine | undefined> {
    try {
        return await connectEngine(process.env);
    } catch {
        return undefined;
    }
}

/** True when the engine is a swarm manager (it can list services). */
async function isSwarmManager(docker: Docker): Promise<boolean> {
    const info = (await docker.info()) as { Swarm?: { LocalNodeState?: string; ControlAvailable?: boolean } };
    return info.Swarm?.LocalNodeState === "active" && info.Swarm.ControlAvailable === true;
}

/**
 * Removes the swarm services carrying the label and waits until their
 * tasks' containers are gone (they hold the services' networks until then).
 */
async function removeTestServices(docker: Docker, label: string): Promise<void> {
    if (!(await isSwarmManager(docker))) return;
    const services = await docker.listServices({ filters: { label: [label] } });
    await mapBounded(services, 4, (service) => docker.getService(service.ID).remove().catch(ignoreGone));
    for (const service of services) {
        for (let waited = 0; ; waited += 500) {
            const tasks = await docker.listContainers({ all: true, filters: { label: [`com.docker.swarm.service.id=${service.ID}`] } });
            if (tasks.length === 0) break;
            if (waited > 60_000) throw new Error(`the tasks of test service ${service.Spec?.Name ?? service.ID} are still there a minute after removing it`);
            await new Promise((resolve) => setTimeout(resolve, 500));
        }
    }
}

/**
 * Removes every swarm service, container and network carrying the label
 * (default: the test label, i.e. also leftovers of a run that was killed),
 * and waits until they are gone.
 */
export async function removeTestResources(docker: Docker, label = `${TEST_LABEL.key}=${TEST_LABEL.value}`): Promise<void> {
    // A client without the audit's request timeout: removing many containers on a busy engine takes its time.
    const patient = new Docker({ ...docker.modem, timeout: 0 } as Docker.DockerOptions);
    const filters = { label: [label] };
    await removeTestServices(patient, label);
    for (let attempt = 0; ; attempt++) {
        const containers = await patient.listContainers({ all: true, filters });
        const networks = await patient.listNetworks({ filters });
        if (containers.length === 0 && networks.length === 0) return;
        if (attempt === 30) {
            throw new Error(`could not remove test resources labelled ${label}: ${[...containers.map((c) => c.Names[0]), ...networks.map((n) => n.Name)].join(", ")}`);
        }
        await mapBounded(containers, 4, (c) => patient.getContainer(c.Id).remove({ force: true }).catch(ignoreGone));
        const remaining = await patient.listContainers({ all: true, filters });
        if (remaining.length === 0) await mapBounded(networks, 4, (n) => patient.getNetwork(n.Id).remove().catch(ignoreGone));
        // Containers on their way out, or a swarm network still listed while the manager removes it.
        if (attempt > 0 || remaining.length > 0) await new Promise((resolve) => setTimeout(resolve, 1000));
    }
}

/**
 * Gone already, or on its way out (another removal is in progress), or an
 * overlay still releasing a removed task's endpoint: all fine, the loop checks again.
 */
function ignoreGone(err: { statusCode?: number; message?: string }): void {
    if (err.statusCode === 403 && /active endpoints/.test(err.message ?? "")) return;
    // A swarm network being removed on the manager while the engine removes its local part.
    if (err.statusCode === 500 && /not found/.test(err.message ?? "")) return;
    if (err.statusCode !== 404 && err.statusCode !== 409) throw err;
}

async function takeLock(): Promise<void> {
    if (holdsLock) return;
    await takeEngineLock(LOCK_WAIT_MS, (line) => process.stderr.write(`${line}\n`));
    holdsLock = true;
}

function releaseLock(): void {
    if (holdsLock) releaseEngineLock();
    holdsLock = false;
}

async function prepare(): Promise<DockerEngine> {
    let engine = await answeringEngine();
    if (!engine) {
        const started = script("docker-engine.sh", ["start"], 15 * 60_000);
        engine = started.ok ? await answeringEngine() : undefined;
        if (!engine) {
            throw new Error(
                `No Docker engine answers at ${process.env.DOCKER_HOST ?? "unix:///var/run/docker.sock"} and scripts/docker-engine.sh start ` +
                    `could not start one:\n${started.output}\n` +
                    `The Docker conformance tests need a real engine. To skip them deliberately, set ${SKIP_VARIABLE}=1.`,
            );
        }
        startedDaemon = true;
    }
    const major = engine.version?.split(".")[0];
    if (major !== ENGINE_UNDER_TEST) {
        throw new Error(`the ${ENGINE_TAG} tier found engine ${engine.version ?? "(version unknown)"} at ${engine.location.address}: point DOCKER_HOST at a Docker ${ENGINE_UNDER_TEST} engine (npm test starts both)`);
    }
    const image = script("build-test-image.sh", [], 10 * 60_000);
    if (!image.ok) throw new Error(`scripts/build-test-image.sh failed:\n${image.output}`);
    const tools = script("probe-tools.sh", [], 10 * 60_000);
    if (!tools.ok) throw new Error(`scripts/probe-tools.sh failed:\n${tools.output}`);
    await removeTestResources(engine.docker);
    return engine;
}

/**
 * The engine, ready for tests (call first thing in `before`, with mocha's
 * `this`; it sets the hook's timeout, so do not lower it after).
 * Fails when none can be had; skips, loudly, only with NETGUARD_SKIP_DOCKER_TESTS=1.
 */
export async function useDockerEngine(context: Mocha.Context): Promise<DockerEngine> {
    if (process.env[SKIP_VARIABLE] === "1") {
        loudly([
            `${SKIP_VARIABLE}=1: SKIPPING the Docker conformance tests (${context.test?.parent?.title ?? "this suite"}).`,
            "Nothing about audit, probes or the Docker provider's semantics was checked against a real engine.",
        ]);
        context.skip();
    }
    // Mocha counts a hook's timeout from its start, so this one covers the whole hook: waiting for the
    // lock, maybe installing and starting dockerd, and the suite's own setup after it.
    context.timeout(LOCK_WAIT_MS + 30 * 60_000);
    await takeLock();
    ready ??= prepare();
    return ready;
}

/**
 * The engine as a swarm manager, for suites that create services (call after
 * {@link useDockerEngine}): `scripts/docker-swarm.sh start` makes a
 * single-node swarm when the engine is in none, and the run leaves it again
 * at the end. CI (`.ci/run`) does the same before the tests.
 */
export async function useSwarmManager(engine: DockerEngine): Promise<void> {
    if (await isSwarmManager(engine.docker)) return;
    const started = script("docker-swarm.sh", ["start"], 120_000);
    if (!started.ok || !(await isSwarmManager(engine.docker))) {
        throw new Error(`the swarm tests need a swarm manager and scripts/docker-swarm.sh start could not make one:\n${started.output}`);
    }
    startedSwarm = true;
}

/** Removes what the suite created (everything carrying `suiteLabel`) and lets other runs have the engine. Call from `after`. */
export async function releaseDockerEngine(suiteLabel: string): Promise<void> {
    try {
        const engine = await ready?.catch(() => undefined);
        if (engine) await removeTestResources(engine.docker, suiteLabel);
    } finally {
        releaseLock();
    }
}

// Root-level hook (this module is loaded with the spec files): with the lock, remove every labelled
// resource and stop a daemon this run started.
after(async function () {
    this.timeout(LOCK_WAIT_MS + 5 * 60_000);
    if (!ready) return;
    await takeLock();
    try {
        const engine = await ready.catch(() => undefined);
        if (engine) await removeTestResources(engine.docker);
        if (startedSwarm) {
            const left = script("docker-swarm.sh", ["stop"], 120_000);
            if (!left.ok) process.stderr.write(`scripts/docker-swarm.sh stop failed:\n${left.output}\n`);
        }
        if (startedDaemon) {
            const stopped = script("docker-engine.sh", ["stop"], 120_000);
            if (!stopped.ok) process.stderr.write(`scripts/docker-engine.sh stop failed:\n${stopped.output}\n`);
        }
    } finally {
        releaseLock();
    }
});
