/**
 * Ends a process and everything it started, by walking /proc (Linux): an
 * interrupted audit must leave nothing running inside the containers it
 * probed. An exec's process is a host process when the engine is local.
 */
import * as fs from "fs";

/** The parent pid of every process on this host, read from /proc. */
function parents(): Map<number, number> {
    const result = new Map<number, number>();
    for (const entry of fs.readdirSync("/proc")) {
        if (!/^\d+$/.test(entry)) continue;
        try {
            // `pid (comm) state ppid …`: comm may hold spaces and parentheses, so read after the last ')'.
            const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
            const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
            result.set(Number(entry), ppid);
        } catch {
            // Gone while we looked.
        }
    }
    return result;
}

/** `pid` and all its descendants, parents first. */
export function processTree(pid: number): number[] {
    const byParent = new Map<number, number[]>();
    for (const [child, parent] of parents()) byParent.set(parent, [...(byParent.get(parent) ?? []), child]);
    const tree: number[] = [];
    const queue = [pid];
    while (queue.length > 0) {
        const next = queue.shift() as number;
        tree.push(next);
        queue.push(...(byParent.get(next) ?? []));
    }
    return tree;
}

/** SIGKILLs `pid` and its descendants; processes already gone are fine. */
export function killProcessTree(pid: number): void {
    if (!fs.existsSync("/proc/self/stat")) return;
    for (const member of processTree(pid)) {
        try {
            process.kill(member, "SIGKILL");
        } catch {
            // Already gone.
        }
    }
}
