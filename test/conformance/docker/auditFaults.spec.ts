/**
 * Faults during `netguard audit --probe`, on the real engine: they fail the
 * audit or are reported as what they are, never as a clean measurement.
 *
 * The engine's own faults (stopped, frozen) are played by an
 * {@link EngineProxy} between the audit and the shared engine: stopping or
 * SIGSTOPping the engine itself would break every other suite that shares
 * it. The proxy fails exactly as a daemon does at the socket (connections
 * drop and the socket vanishes; or everything stays open and nothing
 * answers), at a chosen moment: the first probe exec.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import Docker from "dockerode";
import { AuditDocument } from "../../../document/auditDocument";
import { DockerEngine } from "../../../cli/commands/audit/engine/dockerEngine";
import { HUNG_AFTER_MS } from "../../../cli/commands/audit/engine/engineWatch";
import { netguard } from "../../helpers/netguardCli";
import { auditJson, docker, startNetguard, testLabels } from "./dockerCli";
import { EngineProxy } from "./engineProxy";
import { ENGINE_TAG, PROBE_IMAGE, releaseDockerEngine, useDockerEngine } from "./engine";

const SUITE = "netguard.test.suite=faults";
const labels = testLabels(SUITE);
/** The first exec of the probe: from here on the audit is measuring. */
const FIRST_EXEC = /^POST \S*\/containers\/\S+\/exec /;

function runContainer(name: string): void {
    docker("run", "-d", "--name", name, ...labels, "--network", "ngf-net", PROBE_IMAGE);
}

function parse(stdout: string): AuditDocument {
    return JSON.parse(stdout) as AuditDocument;
}

describe(`${ENGINE_TAG} audit under faults`, function () {
    let engine: DockerEngine;
    let proxy: EngineProxy | undefined;

    before(async function () {
        engine = await useDockerEngine(this);
        docker("network", "create", ...labels, "--subnet", "10.231.40.0/24", "--gateway", "10.231.40.1", "ngf-net");
        for (const name of ["ngf-a", "ngf-b", "ngf-c"]) runContainer(name);
    });

    afterEach(() => {
        proxy?.dispose();
        proxy = undefined;
    });

    after(async function () {
        this.timeout(5 * 60_000);
        await releaseDockerEngine(SUITE);
    });

    it("an engine that stops mid-probe (exec): exit 2 saying when and where, the document marks the measurement incomplete", async () => {
        proxy = await EngineProxy.start();
        const stopAt = proxy;
        proxy.onRequest(FIRST_EXEC, () => stopAt.close());
        const result = await startNetguard(["audit", "--json", "--probe", "--probe-method", "exec", "--label", SUITE], { DOCKER_HOST: proxy.address }).done;
        assert.strictEqual(result.status, 2, result.stderr);
        assert.match(result.stderr, new RegExp(`the Docker engine at ${proxy.address.replace(/[/.]/g, "\\$&")} \\(DOCKER_HOST\\) was lost \\d+\\.\\ds into the probe`));
        const doc = parse(result.stdout);
        assert.strictEqual(doc.reachability.probe?.method, "exec");
        assert.match(doc.reachability.probe?.incomplete ?? "", /was lost/);
        assert.strictEqual(doc.reachability.measured, null);
        assert.strictEqual(doc.reachability.mismatches, null);
    });

    it("an engine that stops while probing from the host: exit 2, measurement incomplete", async () => {
        proxy = await EngineProxy.start();
        const stopAt = proxy;
        // The host-side probe asks the engine nothing; the watch's ping (the second, after the connect's) finds it gone.
        proxy.onRequest(/^GET \S*\/_ping /, () => stopAt.close(), 2);
        const result = await startNetguard(["audit", "--json", "--probe", "--probe-method", "host", "--label", SUITE], { DOCKER_HOST: proxy.address }).done;
        assert.strictEqual(result.status, 2, result.stderr);
        assert.match(result.stderr, /was lost \d+\.\ds into the probe/);
        const doc = parse(result.stdout);
        assert.strictEqual(doc.reachability.probe?.method, "host");
        assert.match(doc.reachability.probe?.incomplete ?? "", /was lost/);
        assert.strictEqual(doc.reachability.measured, null);
    });

    it("an engine that freezes mid-probe: exit 2 within seconds of the freeze, saying it hung", async () => {
        proxy = await EngineProxy.start();
        const freeze = proxy;
        proxy.onRequest(FIRST_EXEC, () => freeze.stall());
        const result = await startNetguard(["audit", "--probe", "--probe-method", "exec", "--label", SUITE], { DOCKER_HOST: proxy.address }).done;
        assert.strictEqual(result.status, 2, result.stderr);
        assert.match(result.stderr, /was lost \d+\.\ds into the probe: no answer to a ping within 3s \(hung\)/);
        assert.match(result.stdout, /measurement INCOMPLETE/);
        // The watch pings once a second and gives a ping HUNG_AFTER_MS: well under the exec timeout of 20 s.
        assert.ok(result.seconds < 20, `took ${result.seconds}s (hung after ${HUNG_AFTER_MS / 1000}s)`);
    });

    it("containers removed or stopped mid-probe are reported as gone: not running, no mismatch toward them", async () => {
        for (const name of ["ngf-d", "ngf-e"]) runContainer(name);
        proxy = await EngineProxy.start();
        const real = new Docker(engine.location.options);
        proxy.onRequest(FIRST_EXEC, async () => {
            await Promise.all([real.getContainer("ngf-d").remove({ force: true }), real.getContainer("ngf-e").stop({ t: 0 })]);
        });
        const result = await startNetguard(["audit", "--json", "--probe", "--probe-method", "exec", "--label", SUITE], { DOCKER_HOST: proxy.address }).done;
        assert.notStrictEqual(result.status, 2, result.stderr);
        const doc = parse(result.stdout);
        assert.deepStrictEqual(doc.reachability.probe?.gone, [
            { container: "ngf-d", reason: "removed during the probe" },
            { container: "ngf-e", reason: "stopped during the probe" },
        ]);
        assert.deepStrictEqual(doc.reachability.mismatches, []);
        assert.deepStrictEqual(doc.reachability.probe?.probed, ["ngf-a", "ngf-b", "ngf-c"]);
        assert.deepStrictEqual(
            doc.containers.map((c) => [c.name, c.running]),
            [["ngf-a", true], ["ngf-b", true], ["ngf-c", true], ["ngf-d", false], ["ngf-e", false]],
        );
        docker("rm", "-f", "ngf-e");
        assert.ok(!doc.reachability.predicted.some((p) => ["ngf-d", "ngf-e"].includes(p.from) || ["ngf-d", "ngf-e"].includes(p.to)));
        assert.strictEqual(doc.reachability.measured?.length, 6);
    });

    it("an interrupt leaves nothing running in any container", async () => {
        // A container whose probe blocks for good: its /etc/hosts is a FIFO nobody writes, so the probe's read of it never returns.
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "netguard-faults-"));
        const fifo = path.join(dir, "hosts");
        assert.strictEqual(spawnSync("mkfifo", [fifo]).status, 0);
        docker("run", "-d", "--name", "ngf-slow", ...labels, "--network", "ngf-net", "-v", `${fifo}:/etc/hosts`, PROBE_IMAGE);
        const slowPid = Number(docker("inspect", "-f", "{{.State.Pid}}", "ngf-slow"));
        /** Probe processes left: in the containers (exec), and on the host in the slow one's namespace (host). */
        const stray = async () => {
            const found: string[] = [];
            for (const name of ["ngf-a", "ngf-b", "ngf-c", "ngf-slow"]) {
                const top = (await engine.docker.getContainer(name).top()) as { Titles: string[]; Processes: string[][] };
                const cmd = top.Titles.indexOf("CMD");
                // What the image runs: its shell loop and its `sleep 3600`.
                found.push(...top.Processes.map((row) => row[cmd]).filter((line) => !/while :|sleep 3600/.test(line)).map((line) => `${name}: ${line}`));
            }
            for (const entry of fs.readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
                const cmdline = (() => {
                    try {
                        return fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").replace(/\0/g, " ");
                    } catch {
                        return "";
                    }
                })();
                if (cmdline.includes(`/proc/${slowPid}/`)) found.push(`host ${entry}: ${cmdline.slice(0, 80)}`);
            }
            return found;
        };
        try {
            for (const method of ["exec", "host"]) {
                for (const signal of ["SIGINT", "SIGTERM"] as const) {
                    const run = startNetguard(["audit", "--probe", "--probe-method", method, "--label", SUITE]);
                    const mark = method === "exec" ? "ngf-slow: " : "host ";
                    for (let waited = 0; !(await stray()).some((line) => line.startsWith(mark)); waited += 100) {
                        assert.ok(waited < 30_000, `the blocked ${method} probe never started`);
                        await new Promise((resolve) => setTimeout(resolve, 100));
                    }
                    process.kill(run.pid, signal);
                    const result = await run.done;
                    assert.strictEqual(result.status, signal === "SIGINT" ? 130 : 143, `${method} ${signal}: ${result.stderr}`);
                    assert.deepStrictEqual(await stray(), [], `${method} ${signal} left processes running`);
                }
            }
        } finally {
            docker("rm", "-f", "ngf-slow");
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("a --label scope that matches nothing: a warning and exit 2, unless --allow-empty", () => {
        const typo = netguard(["audit", "--label", "netguard.test.suite=no-such-scope"]);
        assert.strictEqual(typo.status, 2);
        assert.match(typo.stderr, /--label netguard\.test\.suite=no-such-scope matches no container .* --allow-empty/);
        const allowed = auditJson("netguard.test.suite=no-such-scope", ["--allow-empty"]);
        assert.strictEqual(allowed.status, 0, allowed.stderr);
        assert.deepStrictEqual(allowed.doc.containers, []);
    });
});
