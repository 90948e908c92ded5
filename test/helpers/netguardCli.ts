/** Runs the `netguard` CLI as a user would, in a subprocess. */
import { spawnSync } from "child_process";
import * as path from "path";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");

export interface CliResult {
    status: number | null;
    stdout: string;
    stderr: string;
}

export function netguard(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): CliResult {
    const result = spawnSync(process.execPath, [path.join(REPO_ROOT, "bin", "netguard.js"), ...args], {
        cwd: options.cwd ?? REPO_ROOT,
        env: { ...process.env, ...options.env },
        encoding: "utf8",
        timeout: 120_000,
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs `netguard … --json` and parses stdout, failing with stderr if it is not one JSON document. */
export function netguardJson<T>(args: string[], options?: { cwd?: string; env?: NodeJS.ProcessEnv }): { status: number | null; doc: T; stderr: string } {
    const result = netguard([...args, "--json"], options);
    try {
        return { status: result.status, doc: JSON.parse(result.stdout) as T, stderr: result.stderr };
    } catch {
        throw new Error(`not JSON (exit ${result.status}): ${result.stdout.slice(0, 500)}\nstderr: ${result.stderr}`);
    }
}
