/**
 * A unix socket in front of the shared Docker engine that a test controls
 * (test code): it passes requests through until told to fail like a daemon
 * does, so that faults can be tested on the real engine without stopping or
 * freezing the engine other suites share. `close()` is a daemon that stopped
 * (connections drop, the socket is gone); `stall()` is one frozen by SIGSTOP
 * (connections stay open, nothing answers). `onRequest` runs a hook when a
 * request line matches, holding all traffic until the hook is done.
 */
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { DEFAULT_DOCKER_SOCKET } from "../../../cli/commands/audit/engine/dockerEngine";

export class EngineProxy {
    /** `unix://…`, for DOCKER_HOST. */
    readonly address: string;
    private stalled = false;
    private gate: Promise<void> = Promise.resolve();
    private readonly sockets = new Set<net.Socket>();
    private hooks: { pattern: RegExp; hook: () => Promise<void> | void; left: number }[] = [];

    private constructor(
        private readonly server: net.Server,
        private readonly socketPath: string,
        private readonly dir: string,
    ) {
        this.address = `unix://${socketPath}`;
    }

    static async start(upstream = process.env.DOCKER_HOST?.startsWith("unix://") ? process.env.DOCKER_HOST.slice(7) : DEFAULT_DOCKER_SOCKET): Promise<EngineProxy> {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "netguard-engine-proxy-"));
        const socketPath = path.join(dir, "docker.sock");
        let proxy: EngineProxy | undefined;
        const server = net.createServer((client) => proxy?.accept(client, upstream));
        proxy = new EngineProxy(server, socketPath, dir);
        await new Promise<void>((resolve, reject) => server.once("error", reject).listen(socketPath, resolve));
        return proxy;
    }

    /** Runs `hook` once, when the `nth` request whose bytes match `pattern` arrives, before that request goes on; all traffic waits for it. */
    onRequest(pattern: RegExp, hook: () => Promise<void> | void, nth = 1): void {
        this.hooks.push({ pattern, hook, left: nth });
    }

    /** Like a frozen daemon: connections stay open, nothing is answered, new ones are accepted and ignored. */
    stall(): void {
        this.stalled = true;
    }

    /** Like a stopped daemon: every connection drops and the socket is gone. */
    close(): void {
        this.stalled = true;
        this.server.close();
        for (const socket of this.sockets) socket.destroy();
        fs.rmSync(this.socketPath, { force: true });
    }

    dispose(): void {
        this.close();
        fs.rmSync(this.dir, { recursive: true, force: true });
    }

    private accept(client: net.Socket, upstreamPath: string): void {
        this.sockets.add(client);
        client.on("close", () => this.sockets.delete(client)).on("error", () => undefined);
        if (this.stalled) return;
        const upstream = net.connect(upstreamPath);
        this.sockets.add(upstream);
        upstream.on("close", () => (this.sockets.delete(upstream), this.stalled || client.destroy())).on("error", () => client.destroy());
        client.on("close", () => upstream.destroy());
        upstream.on("data", (chunk: Buffer) => {
            if (!this.stalled) client.write(chunk);
        });
        // Chunks go on in order, each after the gate (a running hook) opens.
        let queue = Promise.resolve();
        client.on("data", (chunk: Buffer) => {
            const text = chunk.toString("latin1");
            const matched = this.hooks.filter((entry) => entry.pattern.test(text));
            matched.forEach((entry) => entry.left--);
            const fired = matched.filter((entry) => entry.left === 0);
            this.hooks = this.hooks.filter((entry) => !fired.includes(entry));
            for (const { hook } of fired) this.gate = this.gate.then(hook).catch(() => undefined);
            const gate = this.gate;
            queue = queue.then(() => gate).then(() => {
                if (!this.stalled && !upstream.destroyed) upstream.write(chunk);
            });
        });
    }
}
