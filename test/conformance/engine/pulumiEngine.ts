/**
 * The real Pulumi CLI, as users run it against a stack that exists: the
 * deployment is imported into a local file backend (this CLI version's
 * `policy analyze` has no `--file`), then `pulumi policy analyze --json`
 * judges it with the policy pack. Built by scripts/pulumi-cli.sh on first use.
 */
import { execFile, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { REPO_ROOT } from "../../helpers/netguardCli";

const run = promisify(execFile);

let cliFolder: Promise<string> | undefined;

/**
 * The folder holding `pulumi`, built (cold: about 10 minutes) or found in the
 * cache by scripts/pulumi-cli.sh, whose progress goes to our stderr.
 */
export function pulumiCliFolder(): Promise<string> {
    cliFolder ??= new Promise((resolve, reject) => {
        const script = spawn("bash", [path.join(REPO_ROOT, "scripts", "pulumi-cli.sh")], { stdio: ["ignore", "pipe", "inherit"] });
        let stdout = "";
        script.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
        script.on("error", reject);
        script.on("close", (code) => {
            const folder = stdout.trim().split("\n").pop() ?? "";
            if (code === 0 && fs.existsSync(path.join(folder, "pulumi"))) resolve(folder);
            else reject(new Error(`scripts/pulumi-cli.sh exited ${code}; stdout: ${stdout}`));
        });
    });
    return cliFolder;
}

/** One policy verdict as the engine reports it. */
export interface EngineViolation {
    readonly policy: string;
    readonly resource: string;
    readonly level: string;
}

export interface Analysis {
    /** Exit code of `pulumi policy analyze`: non-zero when a mandatory violation (or a failure) occurred. */
    readonly status: number;
    readonly violations: EngineViolation[];
    readonly stderr: string;
}

/** The project and stack a deployment's URNs name (`urn:pulumi:<stack>::<project>::…`). */
function stackOf(state: { deployment: { resources: { urn: string }[] } }): { stack: string; project: string } {
    const [head, project] = state.deployment.resources[0].urn.split("::");
    return { stack: head.slice("urn:pulumi:".length), project };
}

/**
 * Imports `stateFile` into a fresh local backend and runs the pack on it.
 * `packFolder` defaults to the repository's TypeScript pack, loaded through
 * the CLI's own launcher and TypeScript handling.
 */
export async function analyzeState(
    stateFile: string,
    options: { packConfigFile?: string; packFolder?: string } = {},
): Promise<Analysis> {
    const bin = await pulumiCliFolder();
    const { stack, project } = stackOf(JSON.parse(fs.readFileSync(stateFile, "utf8")));
    const workspace = fs.mkdtempSync(path.join(os.tmpdir(), "netguard-engine-"));
    try {
        fs.writeFileSync(path.join(workspace, "Pulumi.yaml"), `name: ${project}\nruntime: nodejs\n`);
        const env = {
            ...process.env,
            PATH: `${bin}${path.delimiter}${process.env.PATH}`,
            PULUMI_HOME: path.join(workspace, ".pulumi-home"),
            PULUMI_BACKEND_URL: `file://${path.join(workspace, "backend")}`,
            PULUMI_CONFIG_PASSPHRASE: "",
            PULUMI_SKIP_UPDATE_CHECK: "1",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        };
        fs.mkdirSync(path.join(workspace, "backend"));
        const pulumi = (args: string[]) => run(path.join(bin, "pulumi"), [...args, "--non-interactive"], { cwd: workspace, env, maxBuffer: 64 << 20 });
        await pulumi(["stack", "init", stack]);
        await pulumi(["stack", "import", "--file", stateFile, "--stack", stack]);
        const args = ["policy", "analyze", "--stack", stack, "--json", "--policy-pack", options.packFolder ?? path.join(REPO_ROOT, "policies")];
        if (options.packConfigFile) args.push("--policy-pack-config", options.packConfigFile);
        let status = 0;
        let stdout: string;
        let stderr: string;
        try {
            ({ stdout, stderr } = await pulumi(args));
        } catch (err) {
            const failed = err as { code?: number; stdout?: string; stderr?: string };
            status = typeof failed.code === "number" ? failed.code : -1;
            stdout = failed.stdout ?? "";
            stderr = failed.stderr ?? String(err);
        }
        return { status, violations: policyEvents(stdout), stderr };
    } finally {
        fs.rmSync(workspace, { recursive: true, force: true });
    }
}

/** The policy events of `pulumi policy analyze --json` (one engine event per line). */
function policyEvents(stdout: string): EngineViolation[] {
    const violations: EngineViolation[] = [];
    for (const line of stdout.split("\n")) {
        if (!line.trim()) continue;
        const event = JSON.parse(line) as { policyEvent?: { resourceUrn?: string; policyName: string; enforcementLevel: string } };
        if (!event.policyEvent) continue;
        const { resourceUrn, policyName, enforcementLevel } = event.policyEvent;
        violations.push({ policy: policyName, resource: resourceUrn ?? "", level: enforcementLevel });
    }
    return violations;
}

/** Verdicts as comparable lines, sorted: `policy level urn`. */
export function verdictLines(violations: readonly { policy: string; resource: string | null; level: string }[]): string[] {
    return violations.map((violation) => `${violation.policy} ${violation.level} ${violation.resource ?? ""}`).sort();
}
