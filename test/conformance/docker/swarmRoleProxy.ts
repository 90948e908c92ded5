/**
 * An HTTP proxy on a unix socket in front of the shared engine that makes
 * it look like another swarm member (test code): `docker info` says what
 * the test wants (a worker: `ControlAvailable` false; or no swarm at all),
 * and the manager-only endpoints (`/nodes`, `/services`, `/tasks`) answer
 * as a worker's engine does, 503 "This node is not a swarm manager".
 * Everything else passes through, so the audit reads the engine's real
 * containers and networks. The engine itself stays the manager the other
 * suites use.
 */
import * as fs from "fs";
import * as http from "http";
import * as os from "os";
import * as path from "path";
import { DEFAULT_DOCKER_SOCKET } from "../../../cli/commands/audit/engine/dockerEngine";

export type PlayedRole = "worker" | "none";

const MANAGER_ONLY = /^(\/v[\d.]+)?\/(nodes|services|tasks)(\/|\?|$)/;
const INFO = /^(\/v[\d.]+)?\/info(\?|$)/;

export class SwarmRoleProxy {
    /** `unix://…`, for --host. */
    readonly address: string;

    private constructor(
        private readonly server: http.Server,
        private readonly dir: string,
        socketPath: string,
    ) {
        this.address = `unix://${socketPath}`;
    }

    static async start(role: PlayedRole, upstream = DEFAULT_DOCKER_SOCKET): Promise<SwarmRoleProxy> {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "netguard-swarm-role-"));
        const socketPath = path.join(dir, "docker.sock");
        const server = http.createServer((request, response) => {
            const url = request.url ?? "/";
            if (MANAGER_ONLY.test(url)) {
                response.writeHead(503, { "Content-Type": "application/json" });
                response.end(JSON.stringify({ message: "This node is not a swarm manager. Worker nodes can't be used to view or modify cluster state." }));
                return;
            }
            const forward = http.request({ socketPath: upstream, path: url, method: request.method, headers: request.headers }, (answer) => {
                if (!INFO.test(url)) {
                    response.writeHead(answer.statusCode ?? 502, answer.headers);
                    answer.pipe(response);
                    return;
                }
                const chunks: Buffer[] = [];
                answer.on("data", (chunk: Buffer) => chunks.push(chunk));
                answer.on("end", () => {
                    const info = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { Swarm?: Record<string, unknown> };
                    info.Swarm =
                        role === "worker"
                            ? { ...info.Swarm, LocalNodeState: "active", ControlAvailable: false }
                            : { NodeID: "", NodeAddr: "", LocalNodeState: "inactive", ControlAvailable: false, Error: "", RemoteManagers: null };
                    const body = JSON.stringify(info);
                    response.writeHead(200, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) });
                    response.end(body);
                });
            });
            forward.on("error", () => response.destroy());
            request.pipe(forward);
        });
        await new Promise<void>((resolve, reject) => server.once("error", reject).listen(socketPath, resolve));
        return new SwarmRoleProxy(server, dir, socketPath);
    }

    dispose(): void {
        this.server.closeAllConnections();
        this.server.close();
        fs.rmSync(this.dir, { recursive: true, force: true });
    }
}
