/** The docker CLI and `netguard audit`, run as a user would, for the conformance tests (test code). */
import { spawn, spawnSync } from "child_process";
import * as path from "path";
import { AuditDocument } from "../../../document/auditDocument";
import { REPO_ROOT, netguardJson } from "../../helpers/netguardCli";
import { TEST_LABEL } from "./engine";

/** Runs `docker ARGS…`; throws with its output when it fails. Returns stdout, trimmed. */
export function docker(...args: string[]): string {
    const result = spawnSync("docker", args, { encoding: "utf8", timeout: 120_000 });
    if (result.status !== 0) {
        throw new Error(`docker ${args.join(" ")} failed (exit ${result.status}): ${result.stderr || result.error?.message}`);
    }
    return result.stdout.trim();
}

/** Runs `docker ARGS…` and returns whether it succeeded (for checks that may fail on purpose). */
export function dockerSucceeds(...args: string[]): boolean {
    return spawnSync("docker", args, { encoding: "utf8", timeout: 60_000 }).status === 0;
}

/** `--label` arguments for the test label and the suite's own. */
export function testLabels(suiteLabel: string): string[] {
    return ["--label", `${TEST_LABEL.key}=${TEST_LABEL.value}`, "--label", suiteLabel];
}

/** `netguard audit --json [--probe] --label SUITE_LABEL`, as a subprocess; fails the test when stdout is not one JSON document. */
export function auditJson(suiteLabel: string, extra: string[] = []): { status: number | null; doc: AuditDocument; stderr: string } {
    return netguardJson<AuditDocument>(["audit", "--label", suiteLabel, ...extra]);
}

/** A running `netguard` subprocess: its pid, and its result once it ends (stdout, stderr, exit status or signal, seconds). */
export interface RunningCli {
    readonly pid: number;
    readonly done: Promise<{ status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; seconds: number }>;
}

/** Starts `netguard ARGS…` without blocking the test's event loop (which may serve an {@link EngineProxy} meanwhile). */
export function startNetguard(args: string[], env: NodeJS.ProcessEnv = {}): RunningCli {
    const started = Date.now();
    const child = spawn(process.execPath, [path.join(REPO_ROOT, "bin", "netguard.js"), ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    const done = new Promise<Awaited<RunningCli["done"]>>((resolve) =>
        child.on("close", (status, signal) => resolve({ status, signal, stdout, stderr, seconds: (Date.now() - started) / 1000 })),
    );
    return { pid: child.pid as number, done };
}
