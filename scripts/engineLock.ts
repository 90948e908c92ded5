/**
 * Turns on the shared Docker engine, for the Docker test tier and the probe
 * benchmark: each run first removes every resource carrying the test label
 * (the probe image carries it too), so two runs at once would tear down each
 * other's containers. A lock file makes them take turns.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const LOCK_FILE = path.join(os.tmpdir(), "netguard-docker-tests.lock");

function processAlive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch (err) {
        return (err as NodeJS.ErrnoException).code === "EPERM";
    }
}

/** Waits (up to `waitMs`) for the lock and takes it; a dead holder's lock is taken over. */
export async function takeEngineLock(waitMs: number, log: (line: string) => void): Promise<void> {
    const started = Date.now();
    let announced = false;
    for (;;) {
        try {
            fs.writeFileSync(LOCK_FILE, String(process.pid), { flag: "wx" });
            return;
        } catch (err) {
            if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
        }
        const holder = Number(fs.readFileSync(LOCK_FILE, "utf8").trim());
        if (!Number.isInteger(holder) || holder <= 0 || !processAlive(holder)) {
            fs.rmSync(LOCK_FILE, { force: true });
            continue;
        }
        if (Date.now() - started > waitMs) throw new Error(`pid ${holder} has held the Docker engine lock ${LOCK_FILE} for too long`);
        if (!announced) log(`waiting for pid ${holder} to release the Docker engine (lock ${LOCK_FILE})`);
        announced = true;
        await new Promise((resolve) => setTimeout(resolve, 2000));
    }
}

/** Releases the lock if this process holds it. */
export function releaseEngineLock(): void {
    if (fs.existsSync(LOCK_FILE) && fs.readFileSync(LOCK_FILE, "utf8").trim() === String(process.pid)) fs.rmSync(LOCK_FILE);
}
