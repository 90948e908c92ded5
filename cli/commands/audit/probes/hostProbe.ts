/**
 * Probing from the host's side of each container's network namespace: the
 * host's own tools run in the container's namespace (`nsenter --net`, the
 * container's PID from the engine), so a container with no shell, no ping
 * or no CAP_NET_RAW is probed like any other. Per container one batched
 * ICMP sweep (`fping`, every target at once, a sub-second timeout) and the
 * lookups against Docker's embedded DNS at 127.0.0.11, which answers inside
 * the namespace; /etc/hosts is read through /proc/PID/root. The plan, the
 * output format and its reading are the exec probe's (`probeScript.ts`).
 */
import { ChildProcess, spawn, spawnSync } from "child_process";
import { UserError } from "../../../errors";
import { DockerEngine } from "../engine/dockerEngine";
import { ProbeOutcome, ProbePlan, quote, readProbeOutput } from "./probeScript";
import { ProbeMethod } from "../../../../document/auditDocument";

/** How long fping waits for each echo reply: a reply on a local bridge takes well under a millisecond. */
export const HOST_PING_TIMEOUT_MS = 500;
/** One container's sweep may take this long in all. */
const HOST_PROBE_TIMEOUT_MS = 20_000;

export type RequestedProbeMethod = ProbeMethod | "auto";
export const PROBE_METHODS: readonly RequestedProbeMethod[] = ["auto", "host", "exec"];

function onPath(command: string): boolean {
    return spawnSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" }).status === 0;
}

/** Why host-side probing cannot run here, or undefined when it can. */
export function hostProbeUnavailable(engine: DockerEngine): string | undefined {
    if (!engine.location.local) return `the engine at ${engine.location.address} is not on this host (host-side probing enters its containers' namespaces from the host)`;
    if (process.getuid?.() !== 0) return "the audit does not run as root (entering a container's network namespace needs it)";
    const missing = ["fping", "nsenter"].filter((tool) => !onPath(tool));
    if (!onPath("nslookup") && !onPath("busybox")) missing.push("nslookup (busybox)");
    if (missing.length > 0) {
        return `${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} not installed: install fping (Debian: apt-get install fping util-linux busybox-static, or run scripts/probe-tools.sh)`;
    }
    return undefined;
}

/** The method that runs: `auto` is host-side when possible, else exec; an explicit `host` that cannot run is an error. */
export function chooseProbeMethod(requested: RequestedProbeMethod, engine: DockerEngine): ProbeMethod {
    if (requested === "exec") return "exec";
    const unavailable = hostProbeUnavailable(engine);
    if (requested === "host" && unavailable) throw new UserError(`--probe-method host cannot run: ${unavailable}. Use --probe-method exec (or auto).`);
    return unavailable ? "exec" : "host";
}

const ALIVE = "NG-ALIVE";
const FPING_EXIT = "NG-FPING";
const LOOKUP_BEGIN = "NG-DB";
const LOOKUP_END = "NG-DE";

/**
 * The script the host's `sh` runs inside the container's network namespace.
 * Few processes per container (they are what costs on a busy host): fping
 * runs once, its output captured; the lookups run one after the other in one
 * background job (the embedded DNS answers in a millisecond), each between
 * two marker lines, while fping waits for its timeout.
 */
export function hostProbeScript(plan: ProbePlan, pid: number): string {
    const addresses = [...new Set(plan.addresses.map((probe) => probe.address))];
    return [
        "echo NG-READY",
        `H=/proc/${pid}/root/etc/hosts`,
        'if [ -r "$H" ]; then while IFS= read -r l; do echo "NG-H $l"; done < "$H"; fi',
        "if command -v nslookup >/dev/null 2>&1; then L=nslookup; else L='busybox nslookup'; fi",
        plan.lookups.length === 0
            ? ""
            : `( ${plan.lookups.map((lookup, i) => `echo ${LOOKUP_BEGIN} ${i}; $L ${quote(lookup.name)} 127.0.0.11 2>&1; echo; echo ${LOOKUP_END} ${i}`).join("; ")} ) &`,
        // One sweep over every target: -r 0 no retries, -t the reply timeout, -i 1 ms between packets.
        addresses.length === 0
            ? ""
            : `A=$(fping -a -r 0 -t ${HOST_PING_TIMEOUT_MS} -i 1 ${addresses.map(quote).join(" ")} 2>/dev/null); F=$?`,
        // After the lookups' job: their blocks must not be interleaved with these lines.
        "wait",
        addresses.length === 0 ? "" : `echo "${FPING_EXIT} $F"; for a in $A; do echo "${ALIVE} $a"; done`,
        "echo NG-DONE",
    ].join("\n");
}

/** Reads the sweep's output into the exec probe's format: each answering address marks every probe of it; each lookup's block becomes one line. */
export function readHostProbeOutput(plan: ProbePlan, output: string): ProbeOutcome {
    const lines = output.split("\n");
    const fping = lines.find((line) => line.startsWith(`${FPING_EXIT} `));
    // fping: 0 all answered, 1 some did not; anything else is fping failing.
    if (fping && !["0", "1"].includes(fping.slice(FPING_EXIT.length + 1).trim())) {
        return { probed: false, reason: `fping failed (exit ${fping.slice(FPING_EXIT.length + 1).trim()})` };
    }
    const alive = new Set(lines.filter((line) => line.startsWith(`${ALIVE} `)).map((line) => line.slice(ALIVE.length + 1).trim()));
    const kept: string[] = [];
    let lookup: { index: string; text: string[] } | undefined;
    for (const line of lines) {
        if (line.startsWith(`${LOOKUP_BEGIN} `)) lookup = { index: line.slice(LOOKUP_BEGIN.length + 1).trim(), text: [] };
        else if (line.startsWith(`${LOOKUP_END} `) && lookup) {
            kept.push(`NG-D ${lookup.index} ${lookup.text.join(" ")}`);
            lookup = undefined;
        } else if (lookup) lookup.text.push(line);
        else if (!line.startsWith(ALIVE) && !line.startsWith(FPING_EXIT)) kept.push(line);
    }
    const marks = plan.addresses.map((probe, i) => `NG-A ${i} ${alive.has(probe.address) ? "ok" : "no"}`);
    return readProbeOutput(plan, [...kept, ...marks].join("\n"));
}

/**
 * Probes `plan` from the host inside the namespace of the process `pid`
 * (or, for "host", in the host's own).
 * `track` is told the child process (its own process group) while it runs.
 */
export async function probeFromHost(plan: ProbePlan, pid: number | "host", track: (child: ChildProcess | null) => void): Promise<ProbeOutcome> {
    if (!pid) return { probed: false, reason: "the engine reports no process for it" };
    // "host": the host's own namespace (the `@host` node), its own /etc/hosts.
    const [command, args] =
        pid === "host"
            ? ["sh", ["-c", hostProbeScript(plan, process.pid)]]
            : ["nsenter", [`--net=/proc/${pid}/ns/net`, "--", "sh", "-c", hostProbeScript(plan, pid)]];
    const child = spawn(command as string, args as string[], { detached: true, stdio: ["ignore", "pipe", "pipe"] });
    track(child);
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    const timer = setTimeout(() => killGroup(child), HOST_PROBE_TIMEOUT_MS);
    const code = await new Promise<number | null>((resolve) => {
        child.on("close", resolve);
        child.on("error", () => resolve(null));
    });
    clearTimeout(timer);
    track(null);
    if (!stdout.includes("NG-READY")) {
        const said = stderr.trim().split("\n")[0];
        return { probed: false, reason: `nsenter could not enter its network namespace (exit ${code ?? "unknown"}${said ? `: ${said}` : ""})` };
    }
    return readHostProbeOutput(plan, stdout);
}

/** Ends a host probe and everything it started (it runs in its own process group). */
export function killGroup(child: ChildProcess): void {
    if (child.pid === undefined) return;
    try {
        process.kill(-child.pid, "SIGKILL");
    } catch {
        // Gone already.
    }
}
