/**
 * The three-node swarm of scripts/swarm-cluster.sh, for the multi-node tests
 * (test code): start and stop it, run the docker CLI against one node's
 * engine, cut and mend a node's link, and find out what this kernel can do
 * for overlays (encryption, the routing mesh's virtual IPs).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { REPO_ROOT } from "../../helpers/netguardCli";

export const NODE_COUNT = 3;
const SCRIPT = path.join(REPO_ROOT, "scripts", "swarm-cluster.sh");
const RUN_ROOT = "/run/netguard-swarm";

/** Node N's engine, as a DOCKER_HOST value. */
export function nodeHost(node: number): string {
    return `unix://${RUN_ROOT}/node${node}.sock`;
}

/** The node's hostname, which the swarm names it by. */
export function nodeName(node: number): string {
    return `ng-swarm-${node}`;
}

/** The node's address on the cluster's bridge, which it advertises to the swarm. */
export function nodeAddress(node: number): string {
    return `10.232.0.${node}`;
}

/** The engine's log, for what it says about failures the API does not report. */
export function nodeLog(node: number): string {
    return fs.readFileSync(`${RUN_ROOT}/node${node}/dockerd.log`, "utf8");
}

function cluster(args: string[], timeoutMs: number): string {
    const result = spawnSync(SCRIPT, args, { cwd: REPO_ROOT, encoding: "utf8", timeout: timeoutMs });
    const output = `${result.stdout ?? ""}${result.stderr ?? ""}${result.error ? `\n${result.error.message}` : ""}`.trim();
    if (result.status !== 0) throw new Error(`scripts/swarm-cluster.sh ${args.join(" ")} failed (exit ${result.status}):\n${output}`);
    return output;
}

/** Builds the probe image on the host engine unless it has it (the cluster loads it from there). */
export function buildProbeImage(): void {
    const result = spawnSync(path.join(REPO_ROOT, "scripts", "build-test-image.sh"), [], { cwd: REPO_ROOT, encoding: "utf8", timeout: 10 * 60_000 });
    if (result.status !== 0) throw new Error(`scripts/build-test-image.sh failed (exit ${result.status}):\n${result.stdout}${result.stderr}`);
}

/** Starts the cluster (removing any leftover first): engines up, swarm formed, nodes labelled, probe image loaded. */
export function startCluster(): string {
    return cluster(["start"], 5 * 60_000);
}

/** Stops the engines and removes their namespaces, bridge and data. */
export function stopCluster(): string {
    return cluster(["stop"], 5 * 60_000);
}

/** Takes node N's veth link to the bridge down: its engine still answers locally, the others no longer hear it. */
export function cutLink(node: number): void {
    cluster(["cut", String(node)], 30_000);
}

export function mendLink(node: number): void {
    cluster(["mend", String(node)], 30_000);
}

/** Stops node N's dockerd (SIGSTOP): its socket still accepts connections, nothing answers on them. */
export function freezeNode(node: number): void {
    cluster(["freeze", String(node)], 30_000);
}

export function thawNode(node: number): void {
    cluster(["thaw", String(node)], 30_000);
}

/** Runs `docker -H <node N> ARGS…`; throws with its output when it fails. Returns stdout, trimmed. */
export function onNode(node: number, ...args: string[]): string {
    const result = tryOnNode(node, ...args);
    if (!result.ok) throw new Error(`docker -H ${nodeHost(node)} ${args.join(" ")} failed: ${result.output}`);
    return result.stdout;
}

/** Runs `docker -H <node N> ARGS…`, for commands that may fail on purpose. */
export function tryOnNode(node: number, ...args: string[]): { ok: boolean; stdout: string; output: string } {
    const result = spawnSync("docker", ["-H", nodeHost(node), ...args], { encoding: "utf8", timeout: 120_000 });
    const stdout = (result.stdout ?? "").trim();
    return { ok: result.status === 0, stdout, output: `${stdout}\n${result.stderr ?? ""}${result.error?.message ?? ""}`.trim() };
}

/** Waits until `ready()` is true, polling; fails naming `what` after `timeoutMs`. */
export async function waitFor(what: string, ready: () => boolean, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!ready()) {
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 500));
    }
}

/**
 * Whether the kernel can hold the IPsec state Docker programs for an encrypted
 * overlay: an ESP security association in transport mode with AES-GCM
 * (`rfc4106(gcm(aes))`, 160-bit key, 64-bit ICV), exactly as libnetwork's
 * overlay driver adds it. Tried in a scratch network namespace. Returns the
 * kernel's refusal, or null when it accepts.
 */
export function espRefusal(): string | null {
    const netns = "ng-swarm-esp-check";
    spawnSync("ip", ["netns", "del", netns]);
    const add = spawnSync("ip", ["netns", "add", netns], { encoding: "utf8" });
    if (add.status !== 0) throw new Error(`ip netns add ${netns} failed: ${add.stderr}`);
    try {
        const state = spawnSync(
            "ip",
            ["-n", netns, "xfrm", "state", "add", "src", "10.232.0.1", "dst", "10.232.0.2", "proto", "esp", "spi", "0x100", "mode", "transport",
                "aead", "rfc4106(gcm(aes))", "0x0102030405060708090a0b0c0d0e0f1011121314", "64"],
            { encoding: "utf8" },
        );
        return state.status === 0 ? null : (state.stderr || `exit ${state.status}`).trim();
    } finally {
        spawnSync("ip", ["netns", "del", netns]);
    }
}

/** Whether the kernel has IPVS, which the swarm's virtual IPs (endpoint mode `vip`) are built on. */
export function ipvsAvailable(): boolean {
    return fs.existsSync("/proc/net/ip_vs");
}
