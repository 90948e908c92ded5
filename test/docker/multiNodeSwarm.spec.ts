/**
 * A real three-node swarm on this machine (scripts/swarm-cluster.sh): three
 * engines, each in its own network namespace, joined over a test bridge.
 * Services are placed on different nodes by node label; overlay traffic
 * between their tasks is measured from inside the tasks (through the engine
 * of the node each runs on), by task address, by `tasks.<name>` and by
 * service name; then one node's link is cut and the manager reports it.
 *
 * The host engine only lends its probe image: nothing is created on it.
 */
import * as assert from "assert";
import { SKIP_VARIABLE, TEST_LABEL } from "./engine";
import {
    NODE_COUNT,
    buildProbeImage,
    cutLink,
    espRefusal,
    ipvsAvailable,
    nodeAddress,
    nodeLog,
    nodeName,
    onNode,
    startCluster,
    stopCluster,
    tryOnNode,
    waitFor,
} from "./multiNodeCluster";

const SUITE = "netguard.test.suite=multi-node";
const IMAGE = "netguard-probe:local";
const NODES = Array.from({ length: NODE_COUNT }, (_, i) => i + 1);

/** Overlays with explicit IPAM on the range the brief reserves for this suite. */
const PLAIN_NET = { name: "ngm-plain", subnet: "10.234.1.0/24", gateway: "10.234.1.1" };
const SECRET_NET = { name: "ngm-secret", subnet: "10.234.0.0/24", gateway: "10.234.0.1" };

/** One service per node on the plain overlay, and two (nodes 2 and 3) on the encrypted one. */
const plainService = (node: number) => `ngm-plain-${node}`;
const secretService = (node: number) => `ngm-secret-${node}`;
const SECRET_NODES = [2, 3];

const labels = (): string[] => ["--label", `${TEST_LABEL.key}=${TEST_LABEL.value}`, "--label", SUITE];

function createOverlay(net: { name: string; subnet: string; gateway: string }, encrypted: boolean): void {
    onNode(1, "network", "create", "--driver", "overlay", "--attachable", ...(encrypted ? ["--opt", "encrypted"] : []),
        "--subnet", net.subnet, "--gateway", net.gateway, ...labels(), net.name);
}

/**
 * A one-replica service pinned to `node` by the label the cluster script gives
 * each node. Without IPVS in the kernel a virtual IP routes nowhere, so the
 * service is then resolved by DNS round robin (its name gives the task addresses).
 */
function createService(name: string, node: number, network: string): void {
    onNode(1, "service", "create", "--detach", "--name", name, "--network", network,
        "--constraint", `node.labels.ng.node==${node}`, "--endpoint-mode", ipvsAvailable() ? "vip" : "dnsrr",
        ...labels(), "--container-label", `${TEST_LABEL.key}=${TEST_LABEL.value}`, "--container-label", SUITE,
        "--no-resolve-image", IMAGE, "sleep", "86400");
}

interface Task {
    readonly service: string;
    /** The swarm node (hostname) the task runs on. */
    readonly node: string;
    /** The node number, to reach the task's engine. */
    readonly engine: number;
    readonly container: string;
    /** The task's address on each of its overlays. */
    readonly addresses: Record<string, string>;
}

/** The running task of a one-replica service, as the manager places it and its node's engine runs it. */
function runningTask(service: string): Task | undefined {
    const states = onNode(1, "service", "ps", "--filter", "desired-state=running", "--format", "{{.Node}} {{.CurrentState}}", service).split("\n");
    const running = states.map((line) => line.split(" ")).find(([, state]) => state === "Running");
    if (!running) return undefined;
    const engine = NODES.find((n) => nodeName(n) === running[0]);
    assert.ok(engine, `service ${service} runs on ${running[0]}, which is none of this cluster's nodes`);
    const container = onNode(engine, "ps", "-q", "--filter", `label=com.docker.swarm.service.name=${service}`);
    if (!container || container.includes("\n")) return undefined;
    const networks = JSON.parse(onNode(engine, "inspect", "--format", "{{json .NetworkSettings.Networks}}", container)) as Record<string, { IPAddress: string }>;
    const addresses = Object.fromEntries(Object.entries(networks).map(([net, settings]) => [net, settings.IPAddress]));
    return { service, node: running[0], engine, container, addresses };
}

async function waitForTask(service: string): Promise<Task> {
    let task: Task | undefined;
    await waitFor(`a running task of ${service}`, () => (task = runningTask(service)) !== undefined, 90_000);
    return task as Task;
}

/** Runs a command inside the task, through the engine of the node it runs on. */
function inTask(task: Task, ...command: string[]): { ok: boolean; output: string } {
    return tryOnNode(task.engine, "exec", task.container, ...command);
}

const pings = (from: Task, target: string): boolean => inTask(from, "ping", "-c", "1", "-W", "2", target).ok;

/** The addresses a name resolves to inside the task (busybox nslookup, the engine's embedded DNS). */
function resolves(from: Task, name: string): string[] {
    const answer = inTask(from, "nslookup", name);
    if (!answer.ok) return [];
    const lines = answer.output.split("\n");
    const afterName = lines.findIndex((line) => line.startsWith("Name:"));
    return afterName < 0 ? [] : lines.slice(afterName).filter((line) => line.startsWith("Address:")).map((line) => line.replace("Address:", "").trim()).sort();
}

describe("multi-node swarm: three engines on one machine, one swarm", function () {
    this.timeout(5 * 60_000);
    const plain: Record<number, Task> = {};
    const secret: Record<number, Task> = {};

    before(async function () {
        if (process.env[SKIP_VARIABLE] === "1") {
            process.stderr.write(`\n!! ${SKIP_VARIABLE}=1: SKIPPING the multi-node swarm tests: no overlay was measured between engines.\n\n`);
            this.skip();
        }
        if (process.getuid?.() !== 0) {
            throw new Error(`the multi-node swarm needs root (network namespaces, a bridge, three dockerd); run the tests as root or set ${SKIP_VARIABLE}=1`);
        }
        // The host engine only lends its probe image (built here if missing); the suite creates nothing on it,
        // so it neither takes the shared engine's lock nor clears its test resources.
        buildProbeImage();
        startCluster();
        createOverlay(PLAIN_NET, false);
        createOverlay(SECRET_NET, true);
        for (const node of NODES) createService(plainService(node), node, PLAIN_NET.name);
        for (const node of SECRET_NODES) createService(secretService(node), node, SECRET_NET.name);
        for (const node of NODES) plain[node] = await waitForTask(plainService(node));
        for (const node of SECRET_NODES) secret[node] = await waitForTask(secretService(node));
    });

    after(function () {
        stopCluster();
    });

    it("is three nodes, one manager, all Ready, each with its own hostname and address", () => {
        const nodes = onNode(1, "node", "ls", "--format", "{{.Hostname}} {{.Status}} {{.ManagerStatus}}").split("\n").map((line) => line.trim()).sort();
        assert.deepStrictEqual(nodes, NODES.map((n) => `${nodeName(n)} Ready ${n === 1 ? "Leader" : ""}`.trim()));
        for (const node of NODES) {
            assert.strictEqual(onNode(node, "info", "--format", "{{.Swarm.NodeAddr}}"), nodeAddress(node));
        }
    });

    it("places each service's task on the node its constraint names", () => {
        assert.deepStrictEqual(
            NODES.map((node) => plain[node].node),
            NODES.map(nodeName),
        );
        assert.deepStrictEqual(
            SECRET_NODES.map((node) => secret[node].node),
            SECRET_NODES.map(nodeName),
        );
    });

    it("gives every task an address on its overlay's explicit subnet", () => {
        for (const node of NODES) assert.match(plain[node].addresses[PLAIN_NET.name] ?? "", /^10\.234\.1\.\d+$/, plainService(node));
        for (const node of SECRET_NODES) assert.match(secret[node].addresses[SECRET_NET.name] ?? "", /^10\.234\.0\.\d+$/, secretService(node));
    });

    it("carries overlay traffic between tasks on different nodes: by task address, by tasks.<name> and by service name", () => {
        const failures: string[] = [];
        for (const from of NODES) {
            for (const to of NODES) {
                if (from === to) continue;
                const source = plain[from];
                const target = plain[to];
                const address = target.addresses[PLAIN_NET.name];
                const pair = `${source.service}@${source.node} -> ${target.service}@${target.node}`;
                if (!pings(source, address)) failures.push(`${pair}: no answer from ${address}`);
                const tasks = resolves(source, `tasks.${target.service}`);
                if (tasks.join() !== address) failures.push(`${pair}: tasks.${target.service} resolves to [${tasks.join(", ")}], not ${address}`);
                if (!pings(source, `tasks.${target.service}`)) failures.push(`${pair}: no answer from tasks.${target.service}`);
                if (!pings(source, target.service)) failures.push(`${pair}: no answer from ${target.service}`);
            }
        }
        assert.deepStrictEqual(failures, []);
    });

    it("isolates overlays from each other: a task on one reaches no task on the other, not even its name resolves", () => {
        const source = plain[2];
        const target = secret[3];
        assert.strictEqual(pings(source, target.addresses[SECRET_NET.name]), false, `${source.service} reached ${target.service} across overlays`);
        assert.deepStrictEqual(resolves(source, `tasks.${target.service}`), []);
    });

    it("encrypts an overlay between nodes exactly when the kernel holds Docker's IPsec state (ESP, AES-GCM); otherwise its traffic is dropped and the engine log says why", () => {
        const refusal = espRefusal();
        const [a, b] = SECRET_NODES.map((node) => secret[node]);
        // The control plane (gossip, the embedded DNS) is not encrypted: names resolve either way.
        assert.deepStrictEqual(resolves(a, `tasks.${b.service}`), [b.addresses[SECRET_NET.name]]);
        const reached = [pings(a, b.addresses[SECRET_NET.name]), pings(b, a.addresses[SECRET_NET.name])];
        if (refusal === null) {
            assert.deepStrictEqual(reached, [true, true], "the kernel accepts ESP with AES-GCM, yet the encrypted overlay carries no traffic between nodes");
        } else {
            // Docker creates the network and starts the tasks; only its security associations fail, and with
            // them every packet between the nodes on this overlay (its policy drops unencrypted VXLAN).
            assert.deepStrictEqual(reached, [false, false], `the kernel refuses ESP (${refusal}), yet the encrypted overlay carries traffic`);
            const failedSa = /Failed Adding [rf]SA\{[^\n]*Proto: esp[^\n]*rfc4106\(gcm\(aes\)\)[^\n]*: function not implemented/;
            assert.ok(failedSa.test(nodeLog(b.engine)), `the log of ${b.node}'s engine does not say that adding the ESP security association failed`);
        }
    });

    it("reports a node whose link is cut as Down on the manager, after the shortened heartbeat", async () => {
        cutLink(3);
        const status = () => onNode(1, "node", "inspect", "--format", "{{.Status.State}}", nodeName(3));
        await waitFor(`${nodeName(3)} Down on the manager`, () => status() === "down", 60_000);
        // The node's own engine still answers on its socket: only the cluster has lost it.
        assert.strictEqual(onNode(3, "info", "--format", "{{.Swarm.LocalNodeState}}"), "active");
        assert.strictEqual(pings(plain[2], plain[3].addresses[PLAIN_NET.name]), false);
    });
});
