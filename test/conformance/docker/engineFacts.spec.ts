/**
 * The facts of topology/engineSemantics.ts that only traffic shows, measured
 * on the engine under test and compared with what the model says for it:
 * what a directly routed gateway mode (`routed`, `nat-unprotected`) opens to
 * another host, a published port reached from another network through the
 * host's address, and an internal network's route to the host.
 *
 * "Another host" is a network namespace of the test's own, wired by a veth
 * pair into the engine's namespace (the root one for the system engine,
 * `netguard-e29` for Engine 29, where the test runs) on 10.97.255.0/30, with
 * a route to the test networks (10.234.0.0/16) through the engine's side.
 * Traffic goes only between that namespace, the engine's side of the veth
 * and the test's containers; the `after` hook removes all of it.
 */
import * as assert from "assert";
import { spawn, spawnSync } from "child_process";
import * as net from "net";
import {
    EngineSemantics,
        internalNetworkRoutesToHost,
    portsReachedAtContainerAddress,
    publishedPortReachableFromOtherNetwork,
} from "../../../topology/engineSemantics";
import { docker, testLabels } from "./dockerCli";
import { ENGINE_TAG, ENGINE_UNDER_TEST, PROBE_IMAGE, releaseDockerEngine, useDockerEngine } from "./engine";

const SUITE = "netguard.test.suite=engine-facts";
const labels = testLabels(SUITE);
const SEMANTICS: EngineSemantics = ENGINE_UNDER_TEST;

/** The other host: its namespace, the veth ends, and the /30 between them. */
const OUTSIDE_NS = `ngf-outside-${ENGINE_UNDER_TEST}`;
const ENGINE_END = `ngf${ENGINE_UNDER_TEST}-host`;
const OUTSIDE_END = `ngf${ENGINE_UNDER_TEST}-out`;
const HOST_ADDRESS = "10.97.255.1";
const OUTSIDE_ADDRESS = "10.97.255.2";
const TEST_NETWORKS = "10.234.0.0/16";

function run(command: string, args: string[], timeoutMs = 30_000): { ok: boolean; output: string } {
    const result = spawnSync(command, args, { encoding: "utf8", timeout: timeoutMs });
    return { ok: result.status === 0, output: `${result.stdout ?? ""}${result.stderr ?? ""}`.trim() };
}

function ip(...args: string[]): void {
    const result = run("ip", args);
    if (!result.ok) throw new Error(`ip ${args.join(" ")} failed: ${result.output}`);
}

function wireOutsideHost(): void {
    ip("netns", "add", OUTSIDE_NS);
    ip("link", "add", ENGINE_END, "type", "veth", "peer", "name", OUTSIDE_END, "netns", OUTSIDE_NS);
    ip("addr", "add", `${HOST_ADDRESS}/30`, "dev", ENGINE_END);
    ip("link", "set", ENGINE_END, "up");
    ip("-n", OUTSIDE_NS, "addr", "add", `${OUTSIDE_ADDRESS}/30`, "dev", OUTSIDE_END);
    ip("-n", OUTSIDE_NS, "link", "set", OUTSIDE_END, "up");
    ip("-n", OUTSIDE_NS, "link", "set", "lo", "up");
    ip("-n", OUTSIDE_NS, "route", "add", TEST_NETWORKS, "via", HOST_ADDRESS);
}

/** Removes the namespace and the veth (its routes and addresses go with them); quiet about what is already gone. */
function unwireOutsideHost(): void {
    run("ip", ["netns", "del", OUTSIDE_NS]);
    run("ip", ["link", "del", ENGINE_END]);
}

/** Whether a TCP connection from the other host to ADDRESS:PORT gets the listener's greeting. */
function outsideReaches(address: string, port: number): boolean {
    // Node as the client: it is on every machine the tests run on, BusyBox's nc may not be.
    const client =
        `const s = require("net").connect(${port}, "${address}"); let got = ""; s.setTimeout(2000, () => s.destroy());` +
        `s.on("data", (d) => (got += d)); s.on("error", () => {}); s.on("close", () => console.log(got));`;
    return run("ip", ["netns", "exec", OUTSIDE_NS, process.execPath, "-e", client]).output.includes("hello");
}

/** Whether a TCP connection from inside CONTAINER to ADDRESS:PORT gets a greeting. */
function containerReaches(container: string, address: string, port: number): boolean {
    return run("docker", ["exec", container, "nc", "-w", "2", address, String(port)]).output.includes("hello");
}

/** A container that greets every TCP connection on PORT with `hello`. */
function listener(name: string, network: string, address: string, port: number, publish: string[] = []): void {
    docker("run", "-d", "--name", name, ...labels, "--network", network, "--ip", address, ...publish, PROBE_IMAGE, "nc", "-ll", "-p", String(port), "-e", "echo", "hello");
}

function network(name: string, subnet: string, ...options: string[]): void {
    docker("network", "create", ...labels, "--subnet", subnet, ...options, name);
}

const GATEWAY_MODE = "com.docker.network.bridge.gateway_mode_ipv4";

describe(`${ENGINE_TAG} engine facts that only traffic shows`, function () {
    before(async function () {
        await useDockerEngine(this);
        unwireOutsideHost();
        wireOutsideHost();
    });

    after(async function () {
        this.timeout(5 * 60_000);
        unwireOutsideHost();
        await releaseDockerEngine(SUITE);
    });

    for (const mode of ["routed", "nat-unprotected", "nat"] as const) {
        it(`${GATEWAY_MODE}=${mode}: the other host reaches the container ports the model says, at their own addresses`, () => {
            const third = { routed: 1, "nat-unprotected": 2, nat: 3 }[mode];
            const name = `ngf-${mode}`;
            network(name, `10.234.${third}.0/24`, "-o", `${GATEWAY_MODE}=${mode}`);
            listener(`${name}-quiet`, name, `10.234.${third}.10`, 8080);
            listener(`${name}-published`, name, `10.234.${third}.11`, 8081, ["-p", "8081"]);
            const measured = { unpublished: outsideReaches(`10.234.${third}.10`, 8080), published: outsideReaches(`10.234.${third}.11`, 8081) };
            const opened = portsReachedAtContainerAddress(SEMANTICS, mode);
            assert.deepStrictEqual(measured, { unpublished: opened === "all", published: opened !== "none" }, `Docker ${SEMANTICS}, gateway mode ${mode}`);
        });
    }

    it("a container on another network reaches a port published on the host's address as the engine's userland proxy setting says", () => {
        network("ngf-server", "10.234.4.0/24");
        network("ngf-client", "10.234.5.0/24");
        listener("ngf-server-web", "ngf-server", "10.234.4.10", 8080, ["-p", "38080:8080"]);
        docker("run", "-d", "--name", "ngf-client-member", ...labels, "--network", "ngf-client", PROBE_IMAGE);
        // The engines run as scripts/docker-engine.sh starts them; docker-proxy listening on the port says the proxy is on.
        const proxyOn = run("ss", ["-Hltnp", "sport = :38080"]).output.includes("docker-proxy");
        assert.strictEqual(
            containerReaches("ngf-client-member", HOST_ADDRESS, 38080),
            publishedPortReachableFromOtherNetwork(SEMANTICS, proxyOn),
            `Docker ${SEMANTICS}, userland proxy ${proxyOn ? "on" : "off"}`,
        );
    });

    it("an internal network's container has a default route and reaches the host's other addresses only where the model says", async () => {
        network("ngf-internal", "10.234.6.0/24", "--internal");
        docker("run", "-d", "--name", "ngf-internal-member", ...labels, "--network", "ngf-internal", PROBE_IMAGE);
        const host = net.createServer((socket) => socket.end("hello\n"));
        await new Promise<void>((resolve) => host.listen(38081, HOST_ADDRESS, resolve));
        try {
            const defaultRoute = /^default /m.test(docker("exec", "ngf-internal-member", "ip", "route"));
            // Asynchronously: this process serves the connection meanwhile.
            const reached = (await spawnAsync(["docker", "exec", "ngf-internal-member", "nc", "-w", "2", HOST_ADDRESS, "38081"])).includes("hello");
            const expected = internalNetworkRoutesToHost(SEMANTICS);
            assert.deepStrictEqual({ defaultRoute, reached }, { defaultRoute: expected, reached: expected }, `Docker ${SEMANTICS}`);
        } finally {
            host.close();
        }
    });
});

/** Runs a command without blocking the event loop; resolves with its output. */
function spawnAsync(argv: string[]): Promise<string> {
    return new Promise((resolve) => {
        const child = spawn(argv[0], argv.slice(1));
        let output = "";
        child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
        child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
        child.on("close", () => resolve(output));
    });
}
