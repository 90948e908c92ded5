/**
 * The round trip of `netguard import`: a source's reachability between
 * service names, the imported program previewed by `netguard preview --json`
 * (in-process, in a project folder of its own where "docker-netguard"
 * resolves to this checkout's components, as it would to the installed
 * package), and the program's reachability mapped back to service names.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runCli } from "../../cli/main";
import { ImportPlan } from "../../cli/commands/import/importPlan";
import { ImportSource } from "../../cli/commands/import/importSource";
import { PreviewDocument } from "../../document/previewDocument";
import { HOST_NODE_NAME } from "../../topology/hostNode";
import { ReachablePair, computeReachability, reachabilityFromHost } from "../../topology/reachability";
import { REPO_ROOT } from "./netguardCli";

/** `from -> to`, sorted: one line per ordered pair of distinct services. */
export type ServicePairs = string[];

function pairs(entries: Iterable<{ from: string; to: string }>): ServicePairs {
    const lines = new Set<string>();
    for (const { from, to } of entries) if (from !== to) lines.add(`${from} -> ${to}`);
    return [...lines].sort();
}

/**
 * Who reaches whom in the source (its preview's pairs, else computed from its
 * topology), by service name, leaving out the services the plan omits (its
 * notes say why).
 */
export function sourcePairs(source: ImportSource, plan: Pick<ImportPlan, "omitted">, reachability: readonly ReachablePair[] = [...computeReachability(source.topology), ...reachabilityFromHost(source.topology)]): ServicePairs {
    const serviceByName = new Map(source.topology.containers.map((container) => [container.name, source.workloads.get(container.key)?.service ?? container.name]));
    const omitted = new Set(plan.omitted);
    return pairs(
        reachability
            .map((pair) => ({ from: serviceByName.get(pair.from) ?? pair.from, to: serviceByName.get(pair.to) ?? pair.to }))
            .filter((pair) => !omitted.has(pair.from) && !omitted.has(pair.to)),
    );
}

/** Who reaches whom in the previewed program, by the source's service names. */
export function programPairs(document: PreviewDocument, plan: Pick<ImportPlan, "containers">): ServicePairs {
    // The host is a node of both matrices, under the same name.
    const serviceOf = new Map<string, string>([...plan.containers].map(([service, container]) => [container, service]));
    serviceOf.set(HOST_NODE_NAME, HOST_NODE_NAME);
    return pairs(document.reachability.map((pair) => ({ from: serviceOf.get(pair.from) ?? `?${pair.from}`, to: serviceOf.get(pair.to) ?? `?${pair.to}` })));
}

/** A project folder for `program`: Pulumi.yaml, a strict tsconfig, and node_modules with the Pulumi SDKs and "docker-netguard". */
export function importedProject(program: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "netguard-import-"));
    const modules = path.join(dir, "node_modules");
    fs.mkdirSync(path.join(modules, "docker-netguard"), { recursive: true });
    fs.symlinkSync(path.join(REPO_ROOT, "node_modules", "@pulumi"), path.join(modules, "@pulumi"), "dir");
    fs.writeFileSync(path.join(modules, "docker-netguard", "package.json"), JSON.stringify({ name: "docker-netguard", main: "index.ts", types: "index.ts" }));
    fs.writeFileSync(path.join(modules, "docker-netguard", "index.ts"), `export * from ${JSON.stringify(path.join(REPO_ROOT, "components"))};\n`);
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: imported\nruntime: nodejs\n");
    fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true, skipLibCheck: true } }));
    fs.writeFileSync(path.join(dir, "index.ts"), program);
    return dir;
}

/** Runs a netguard command line in-process in `cwd`; returns its exit code and output. */
export async function netguardInProcess(args: string[], cwd: string): Promise<{ status: number; stdout: string; stderr: string }> {
    let stdout = "";
    let stderr = "";
    const previous = process.cwd();
    process.chdir(cwd);
    try {
        const status = await runCli(["node", "netguard", ...args], { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text) });
        return { status, stdout, stderr };
    } finally {
        process.chdir(previous);
    }
}

/** `netguard preview --json` of the program, in a project folder of its own (removed afterwards). */
export async function previewProgram(program: string): Promise<{ status: number; document: PreviewDocument; stderr: string }> {
    const dir = importedProject(program);
    try {
        const result = await netguardInProcess(["preview", "index.ts", "--json"], dir);
        if (result.status === 2) throw new Error(`netguard preview refused the imported program: ${result.stderr}\n${program}`);
        return { status: result.status, document: JSON.parse(result.stdout) as PreviewDocument, stderr: result.stderr };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}
