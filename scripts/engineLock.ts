/**
 * Turns on the shared Docker engine, for the Docker test tier and the probe
 * benchmark: each run first removes every resource carrying the test label
 * (the probe image carries it too), so two runs at once would tear down each
 * other's containers. A lock file makes them take turns. The oracle takes a
 * lock of its own per engine (its label is another), by name.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const TESTS_LOCK = "netguard-docker-tests";

function lockFile(name: string): string {
    return path.join(os.tmpdir(), `${name}.lock`);
}

function processAlive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch (err) {
        return (err as NodeJS.ErrnoException).code === "EPERM";
    }
}

/** Waits (up to `waitMs`) for the lock and takes it; a dead holder's lock is taken over. */
export async function takeEngineLock(waitMs: number, log: (line: string) => void, name = TESTS_LOCK): Promise<void> {
    const file = lockFile(name);
    const started = Date.now();
    let announced = false;
    for (;;) {
        try {
            fs.writeFileSync(file, String(process.pid), { flag: "wx" });
            return;
        } catch (err) {
            if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
        }
        const holder = Number(fs.readFileSync(file, "utf8").trim());
        if (!Number.isInteger(holder) || holder <= 0 || !processAlive(holder)) {
            fs.rmSync(file, { force: true });
            continue;
        }
        if (Date.now() - started > waitMs) throw new Error(`pid ${holder} has held the Docker engine lock ${file} for too long`);
        if (!announced) log(`waiting for pid ${holder} to release the Docker engine (lock ${file})`);
        announced = true;
        await new Promise((resolve) => setTimeout(resolve, 2000));
    }
}

/** Releases the lock if this process holds it. */
export function releaseEngineLock(name = TESTS_LOCK): void {
    const file = lockFile(name);
    if (fs.existsSync(file) && fs.readFileSync(file, "utf8").trim() === String(process.pid)) fs.rmSync(file);
}
