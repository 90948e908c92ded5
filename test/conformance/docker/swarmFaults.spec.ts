/**
 * `netguard audit --host` and swarm roles, on the real engine: malformed
 * and unreachable engines are exit 2 naming them (the others audited only
 * with --allow-partial), and a swarm worker's engine is judged for what it
 * holds, with a clear message that services are read from a manager. The
 * worker (and an engine outside any swarm) is played by a
 * {@link SwarmRoleProxy} in front of the shared engine, which stays the
 * manager the other suites use.
 */
import * as assert from "assert";
import { AuditDocument } from "../../../document/auditDocument";
import { DockerEngine } from "../../../cli/commands/audit/engine/dockerEngine";
import { netguard } from "../../helpers/netguardCli";
import { docker, startNetguard, testLabels } from "./dockerCli";
import { ENGINE_TAG, PROBE_IMAGE, TEST_LABEL, releaseDockerEngine, useDockerEngine, useSwarmManager } from "./engine";
import { SwarmRoleProxy } from "./swarmRoleProxy";
import { createTestService, waitForServices } from "./swarmServices";

const SUITE = "netguard.test.suite=swarm-faults";
const [SUITE_KEY, SUITE_VALUE] = SUITE.split("=");
const MISSING = "unix:///nonexistent-netguard-engine.sock";

describe(`${ENGINE_TAG} audit --host and swarm roles`, function () {
    let engine: DockerEngine;
    let proxy: SwarmRoleProxy | undefined;

    before(async function () {
        engine = await useDockerEngine(this);
        await useSwarmManager(engine);
        docker("network", "create", "-d", "overlay", "--attachable", ...testLabels(SUITE), "--opt", "encrypted", "--subnet", "10.231.20.0/24", "--gateway", "10.231.20.1", "ngsf-net");
        const id = await createTestService(engine.docker, { name: "ngsf-svc", networks: [{ name: "ngsf-net" }] }, PROBE_IMAGE, {
            [TEST_LABEL.key]: TEST_LABEL.value,
            [SUITE_KEY]: SUITE_VALUE,
        });
        docker("run", "-d", "--name", "ngsf-tool", ...testLabels(SUITE), "--network", "ngsf-net", PROBE_IMAGE);
        await waitForServices(engine.docker, { [id]: 1 });
    });

    afterEach(() => {
        proxy?.dispose();
        proxy = undefined;
    });

    after(async function () {
        this.timeout(5 * 60_000);
        await releaseDockerEngine(SUITE);
    });

    it("a malformed --host is exit 2 naming it, before anything connects", () => {
        for (const [host, said] of [
            ["unix://", /--host "unix:\/\/" names no absolute socket path/],
            ["ssh://me@node1", /--host "ssh:\/\/me@node1" uses a scheme netguard audit does not read/],
            ["tcp://", /--host "tcp:\/\/" (is not an address|names no host)/],
        ] as const) {
            const run = netguard(["audit", "--host", engine.location.address, "--host", host]);
            assert.strictEqual(run.status, 2, `${host}: ${run.stderr}`);
            assert.match(run.stderr, said);
            assert.doesNotMatch(run.stderr, /\n\s+at /, "no stack trace");
        }
    });

    it("an engine that does not answer is exit 2 naming it; --allow-partial audits the others and says which was missing", () => {
        const strict = netguard(["audit", "--json", "--label", SUITE, "--host", engine.location.address, "--host", MISSING]);
        assert.strictEqual(strict.status, 2, strict.stderr);
        assert.match(strict.stderr, /no Docker engine answers at unix:\/\/\/nonexistent-netguard-engine\.sock \(--host\)/);
        assert.match(strict.stderr, /--allow-partial/);

        const partial = netguard(["audit", "--json", "--label", SUITE, "--host", engine.location.address, "--host", MISSING, "--allow-partial"]);
        const doc = JSON.parse(partial.stdout) as AuditDocument;
        assert.strictEqual(partial.status, 0, partial.stderr);
        assert.deepStrictEqual(
            doc.engines.map((e) => [e.address, e.answered, e.swarm]),
            [
                [engine.location.address, true, "manager"],
                [MISSING, false, null],
            ],
        );
        assert.match(doc.engines[1].error ?? "", /no Docker engine answers/);
        assert.ok(doc.warnings.some((w) => w.startsWith("not audited (--allow-partial)") && w.includes(MISSING)), doc.warnings.join("\n"));
        assert.match(partial.stderr, /warning: not audited/);
        assert.deepStrictEqual(doc.containers.map((c) => [c.name, c.kind]).sort(), [
            ["ngsf-svc", "service"],
            ["ngsf-tool", "container"],
        ]);
    });

    it("none of the engines answering is exit 2 even with --allow-partial", () => {
        const run = netguard(["audit", "--host", MISSING, "--host", "unix:///nonexistent-netguard-engine-2.sock", "--allow-partial"]);
        assert.strictEqual(run.status, 2, run.stderr);
        assert.match(run.stderr, /2 of 2 Docker engines do not answer/);
    });

    it("a swarm worker's engine: services are read from a manager, said clearly; its own containers are judged, its task containers listed as not judged", async () => {
        proxy = await SwarmRoleProxy.start("worker");
        const run = await startNetguard(["audit", "--json", "--label", SUITE, "--host", proxy.address]).done;
        const doc = JSON.parse(run.stdout) as AuditDocument;
        assert.strictEqual(run.status, 0, run.stderr);
        assert.match(run.stderr, /is a swarm worker: services are read from a manager; pass a manager with --host/);
        assert.doesNotMatch(run.stderr, /\n\s+at /, "no stack trace");
        assert.deepStrictEqual(doc.engines.map((e) => e.swarm), ["worker"]);
        assert.deepStrictEqual(doc.nodes, []);
        assert.deepStrictEqual(doc.containers.map((c) => [c.name, c.kind]), [["ngsf-tool", "container"]]);
        assert.ok(doc.warnings.some((w) => /not judged: 1 task container\(s\) of swarm services \(ngsf-svc\)/.test(w)), doc.warnings.join("\n"));
        assert.deepStrictEqual(doc.networks.map((n) => [n.name, n.scope]), [["ngsf-net", "swarm"]]);
    });

    it("a label scope matching only task containers (Docker's own service-name label) is exit 2 saying why, from a manager as from a worker alone", async () => {
        const byName = ["--label", SUITE, "--label", "com.docker.swarm.service.name=ngsf-svc"];
        const manager = await startNetguard(["audit", ...byName, "--host", engine.location.address]).done;
        assert.strictEqual(manager.status, 2, manager.stderr);
        assert.match(manager.stderr, /matches no service and no plain container .*, only 1 task container\(s\) of the swarm service\(s\) ngsf-svc, not the service\(s\)/);
        assert.match(manager.stderr, /a service is in a label scope by its own labels/);
        proxy = await SwarmRoleProxy.start("worker");
        const worker = await startNetguard(["audit", ...byName, "--host", proxy.address]).done;
        assert.strictEqual(worker.status, 2, worker.stderr);
        assert.match(worker.stderr, /matches no plain container .*, only 1 task container\(s\) of the swarm service\(s\) ngsf-svc: .*services are read from a swarm manager/);
        for (const run of [manager, worker]) assert.doesNotMatch(run.stderr, /\n\s+at /, "no stack trace");
    });

    it("one engine at two addresses is exit 2 naming both: it would be audited twice", async () => {
        proxy = await SwarmRoleProxy.start("worker");
        const run = await startNetguard(["audit", "--json", "--label", SUITE, "--host", engine.location.address, "--host", proxy.address]).done;
        assert.strictEqual(run.status, 2, run.stderr);
        assert.ok(run.stderr.includes(`--host ${engine.location.address} and --host ${proxy.address} are the same Docker engine`), run.stderr);
    });

    it("an engine in no swarm with swarm-scope networks: says it is not a swarm manager and judges what it holds", async () => {
        proxy = await SwarmRoleProxy.start("none");
        const run = await startNetguard(["audit", "--json", "--label", SUITE, "--host", proxy.address]).done;
        const doc = JSON.parse(run.stdout) as AuditDocument;
        assert.strictEqual(run.status, 0, run.stderr);
        assert.match(run.stderr, /is not a swarm manager \(not in swarm mode\)/);
        assert.deepStrictEqual(doc.engines.map((e) => e.swarm), ["none"]);
        assert.deepStrictEqual(doc.containers.map((c) => c.name), ["ngsf-tool"]);
    });
});
