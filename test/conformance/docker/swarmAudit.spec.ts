/**
 * `netguard audit` against a real swarm manager (the test engine as a
 * single-node swarm): overlay networks, services with several tasks, a
 * declared dual-homed service, a plain container on an attachable overlay
 * and a service with no network, which lands on the default bridge. The
 * audit reads them as services (one node each, their tasks listed), judges
 * them, and measures from every task what it predicts.
 */
import * as assert from "assert";
import { AuditDocument } from "../../../document/auditDocument";
import { DockerEngine } from "../../../cli/commands/audit/engine/dockerEngine";
import { cidrContainsIp, parseCidr, parseIp } from "../../../addressing/cidr";
import { netguard } from "../../helpers/netguardCli";
import { auditJson, docker, testLabels } from "./dockerCli";
import { ENGINE_TAG, PROBE_IMAGE, TEST_LABEL, releaseDockerEngine, useDockerEngine, useSwarmManager } from "./engine";
import { createTestService, waitForServices } from "./swarmServices";

const SUITE = "netguard.test.suite=swarm-audit";
const [SUITE_KEY, SUITE_VALUE] = SUITE.split("=");
const LABELS = { [TEST_LABEL.key]: TEST_LABEL.value, [SUITE_KEY]: SUITE_VALUE };
const BACK = { name: "ngsa-back", subnet: "10.231.11.0/24" };
const FRONT = { name: "ngsa-front", subnet: "10.231.12.0/24" };

describe(`${ENGINE_TAG} audit of a swarm`, function () {
    let engine: DockerEngine;
    let audit: { status: number | null; doc: AuditDocument; stderr: string };

    before(async function () {
        engine = await useDockerEngine(this);
        await useSwarmManager(engine);
        const labels = testLabels(SUITE);
        docker("network", "create", "-d", "overlay", ...labels, "--opt", "encrypted", "--subnet", BACK.subnet, "--gateway", "10.231.11.1", BACK.name);
        docker("network", "create", "-d", "overlay", "--attachable", ...labels, "--subnet", FRONT.subnet, "--gateway", "10.231.12.1", FRONT.name);
        const services = {
            db: await createTestService(engine.docker, { name: "ngsa-db", replicas: 2, networks: [{ name: BACK.name, aliases: ["database"] }] }, PROBE_IMAGE, LABELS),
            api: await createTestService(
                engine.docker,
                { name: "ngsa-api", networks: [{ name: BACK.name }, { name: FRONT.name, aliases: ["api"] }], labels: { "netguard.dual-homed": "true" } },
                PROBE_IMAGE,
                LABELS,
            ),
            web: await createTestService(engine.docker, { name: "ngsa-web", networks: [{ name: FRONT.name }] }, PROBE_IMAGE, LABELS),
            lonely: await createTestService(engine.docker, { name: "ngsa-lonely" }, PROBE_IMAGE, LABELS),
        };
        docker("run", "-d", "--name", "ngsa-tool", ...labels, "--network", FRONT.name, PROBE_IMAGE);
        await waitForServices(engine.docker, { [services.db]: 2, [services.api]: 1, [services.web]: 1, [services.lonely]: 1 });
        audit = auditJson(SUITE, ["--probe"]);
    });

    after(async function () {
        this.timeout(5 * 60_000);
        await releaseDockerEngine(SUITE);
    });

    const entry = (name: string) => {
        const found = audit.doc.containers.find((c) => c.name === name);
        assert.ok(found, `no entry ${name} in ${audit.doc.containers.map((c) => c.name).join(", ")}`);
        return found;
    };

    it("reads the engine as a swarm manager, with its node ready", () => {
        assert.deepStrictEqual(
            audit.doc.engines.map((e) => [e.answered, e.swarm]),
            [[true, "manager"]],
        );
        assert.strictEqual(audit.doc.nodes.length, 1);
        assert.deepStrictEqual([audit.doc.nodes[0].state, audit.doc.nodes[0].role, audit.doc.nodes[0].engine], ["ready", "manager", audit.doc.engine.address]);
        assert.deepStrictEqual(audit.doc.warnings, []);
    });

    it("reads overlay networks as swarm scope, encrypted by the option, attachable as created", () => {
        const networks = audit.doc.networks.filter((n) => n.name.startsWith("ngsa-"));
        assert.deepStrictEqual(
            networks.map((n) => [n.name, n.driver, n.scope, n.subnet, n.encrypted, n.attachable, n.interContainer]).sort(),
            [
                [BACK.name, "overlay", "swarm", BACK.subnet, true, false, true],
                [FRONT.name, "overlay", "swarm", FRONT.subnet, false, true, true],
            ],
        );
    });

    it("lists each service once, with its replicas and its running tasks on this node, and no task container", () => {
        const db = entry("ngsa-db");
        assert.deepStrictEqual([db.kind, db.replicas, db.node, db.running], ["service", 2, null, true]);
        assert.deepStrictEqual(db.attachments.map((a) => [a.network, a.aliases, a.ipv4Address]), [[BACK.name, ["database"], null]]);
        assert.deepStrictEqual(db.tasks?.map((t) => [t.name, t.state, t.node]), [
            ["ngsa-db.1", "running", audit.doc.nodes[0].name],
            ["ngsa-db.2", "running", audit.doc.nodes[0].name],
        ]);
        for (const task of db.tasks ?? []) {
            assert.strictEqual(task.attachments.length, 1);
            assert.ok(cidrContainsIp(parseCidr(BACK.subnet), parseIp(task.attachments[0].ipv4Address ?? "")), `${task.name} in ${BACK.subnet}`);
        }
        assert.ok(entry("ngsa-api").dualHomed, "the service's dual-homed label declares it");
        const tool = entry("ngsa-tool");
        assert.deepStrictEqual([tool.kind, tool.replicas, tool.tasks, tool.node], ["container", null, null, audit.doc.nodes[0].name]);
        assert.ok(!audit.doc.containers.some((c) => /^ngsa-\w+\.\d/.test(c.name)), "no task container is listed as a container");
    });

    it("shows that a service with no network lands on the default bridge, on every node that runs it", () => {
        const lonely = entry("ngsa-lonely");
        assert.deepStrictEqual(lonely.attachments.map((a) => a.network), ["bridge"]);
        assert.ok(cidrContainsIp(parseCidr("172.16.0.0/12"), parseIp(lonely.tasks?.[0].attachments[0].ipv4Address ?? "")), "a docker0 address");
    });

    it("predicts service-level reachability over the overlays, and measures exactly that from every task", () => {
        const { predicted, measured, mismatches, probe } = audit.doc.reachability;
        const pairs = predicted.filter((p) => p.from !== "@host").map((p) => `${p.from}->${p.to} ${p.networks.join(",")} ${p.byName ? "name" : "ip"}`);
        assert.deepStrictEqual(pairs, [
            `ngsa-api->ngsa-db ${BACK.name} name`,
            `ngsa-api->ngsa-tool ${FRONT.name} name`,
            `ngsa-api->ngsa-web ${FRONT.name} name`,
            `ngsa-db->ngsa-api ${BACK.name} name`,
            `ngsa-tool->ngsa-api ${FRONT.name} name`,
            `ngsa-tool->ngsa-web ${FRONT.name} name`,
            `ngsa-web->ngsa-api ${FRONT.name} name`,
            `ngsa-web->ngsa-tool ${FRONT.name} name`,
        ]);
        assert.ok(measured && mismatches && probe, "probed");
        assert.deepStrictEqual(probe.notProbed, []);
        assert.deepStrictEqual(probe.probed.filter((name) => name !== "@host"), ["ngsa-api", "ngsa-db", "ngsa-lonely", "ngsa-tool", "ngsa-web"]);
        assert.deepStrictEqual(mismatches, []);
        assert.deepStrictEqual(measured, predicted);
        // The host reaches the one service on its default bridge, by address; overlays have no route from the host.
        assert.deepStrictEqual(
            predicted.filter((p) => p.from === "@host").map((p) => `${p.to} ${p.networks.join(",")}`),
            ["ngsa-lonely bridge"],
        );
    });

    it("names as the probe counts them: tasks.<service> resolves to the task addresses, the service name to one virtual IP", () => {
        const container = docker("ps", "-q", "--filter", "label=com.docker.swarm.service.name=ngsa-api");
        assert.ok(container, "the api task's container");
        const addresses = (text: string) => (text.match(/Address: (\d+\.\d+\.\d+\.\d+)/g) ?? []).map((line) => line.slice("Address: ".length)).sort();
        const tasks = addresses(docker("exec", container, "nslookup", "tasks.ngsa-db", "127.0.0.11"));
        assert.deepStrictEqual(tasks, (entry("ngsa-db").tasks ?? []).map((t) => t.attachments[0].ipv4Address).sort());
        const vip = addresses(docker("exec", container, "nslookup", "database", "127.0.0.11"));
        assert.strictEqual(vip.length, 1, "one virtual IP for the alias");
        assert.ok(cidrContainsIp(parseCidr(BACK.subnet), parseIp(vip[0])) && !tasks.includes(vip[0]), `${vip[0]}: a virtual IP in ${BACK.subnet}, no task's`);
    });

    it("judges services and overlays with the pack's rules", () => {
        const found = audit.doc.violations.map((v) => `${v.policy} ${v.resource}`);
        // A service with no network: on the default bridge live, reported once, as the default bridge (as the preview does).
        assert.deepStrictEqual(found.filter((v) => v.endsWith(" ngsa-lonely")), ["docker-no-default-bridge ngsa-lonely"]);
        assert.match(audit.doc.violations.find((v) => v.resource === "ngsa-lonely")?.message ?? "", /^service "ngsa-lonely" names no network, so Docker runs its tasks on their node's default bridge/);
        assert.ok(!found.some((v) => v.endsWith(" ngsa-api")), "the declared dual-homed service passes");
        assert.ok(!found.some((v) => v.endsWith(` ${BACK.name}`)), "the encrypted overlay with explicit IPAM passes");
        assert.strictEqual(audit.status, 1, audit.stderr);
    });
});

/**
 * A label scope that services carry and their tasks' containers may not
 * (`docker service create --label` without `--container-label`), and the
 * other way round. Services are in scope by their own labels; the task
 * containers of a service in scope are read whatever they carry.
 */
describe(`${ENGINE_TAG} audit of a swarm scoped by labels`, function () {
    const SCOPE = "netguard.test.suite=swarm-audit-scope";
    const [SCOPE_KEY, SCOPE_VALUE] = SCOPE.split("=");
    const SCOPE_LABELS = { [TEST_LABEL.key]: TEST_LABEL.value, [SCOPE_KEY]: SCOPE_VALUE };
    const NET = { name: "ngss-net", subnet: "10.231.13.0/24", gateway: "10.231.13.1" };
    const LOCAL = { name: "ngss-local", subnet: "10.231.14.0/24", gateway: "10.231.14.1" };
    /** Only on the task containers of ngss-tasks-only, not on the service. */
    const TASKS_ONLY = "ngss.tasks=only";
    /** On those task containers and on the plain container ngss-tool. */
    const MIXED = "ngss.mixed=yes";
    const label = (text: string) => ({ [text.split("=")[0]]: text.split("=")[1] });

    before(async function () {
        const engine = await useDockerEngine(this);
        await useSwarmManager(engine);
        const labels = testLabels(SCOPE);
        docker("network", "create", "-d", "overlay", ...labels, "--opt", "encrypted", "--subnet", NET.subnet, "--gateway", NET.gateway, NET.name);
        docker("network", "create", ...labels, "--subnet", LOCAL.subnet, "--gateway", LOCAL.gateway, LOCAL.name);
        const on = [{ name: NET.name }];
        const services = {
            a: await createTestService(engine.docker, { name: "ngss-a", replicas: 2, networks: on, containerLabels: {} }, PROBE_IMAGE, SCOPE_LABELS),
            b: await createTestService(engine.docker, { name: "ngss-b", networks: on, containerLabels: {} }, PROBE_IMAGE, SCOPE_LABELS),
            lonely: await createTestService(engine.docker, { name: "ngss-lonely", containerLabels: {} }, PROBE_IMAGE, SCOPE_LABELS),
            tasksOnly: await createTestService(
                engine.docker,
                { name: "ngss-tasks-only", networks: on, containerLabels: { ...SCOPE_LABELS, ...label(TASKS_ONLY), ...label(MIXED) } },
                PROBE_IMAGE,
                SCOPE_LABELS,
            ),
        };
        docker("run", "-d", "--name", "ngss-tool", ...labels, "--label", MIXED, "--network", LOCAL.name, PROBE_IMAGE);
        await waitForServices(engine.docker, { [services.a]: 2, [services.b]: 1, [services.lonely]: 1, [services.tasksOnly]: 1 });
    });

    after(async function () {
        this.timeout(5 * 60_000);
        await releaseDockerEngine(SCOPE);
    });

    it("probes from the host every task of a service in scope, though its containers carry no label, and sees the bridge a task landed on", () => {
        const { doc, stderr } = auditJson(SCOPE, ["--probe", "--probe-method", "host"]);
        const { predicted, measured, mismatches, probe } = doc.reachability;
        assert.ok(measured && mismatches && probe, `probed: ${stderr}`);
        assert.strictEqual(probe.method, "host");
        assert.deepStrictEqual(probe.notProbed, [], stderr);
        assert.deepStrictEqual(probe.probed.filter((name) => name !== "@host"), ["ngss-a", "ngss-b", "ngss-lonely", "ngss-tasks-only", "ngss-tool"]);
        const lonely = doc.containers.find((c) => c.name === "ngss-lonely");
        assert.deepStrictEqual(lonely?.attachments.map((a) => a.network), ["bridge"], "its task's container is read: it is on the default bridge");
        assert.deepStrictEqual(
            predicted.filter((p) => p.from !== "@host" && p.networks.includes(NET.name)).map((p) => `${p.from}->${p.to}`),
            ["ngss-a->ngss-b", "ngss-a->ngss-tasks-only", "ngss-b->ngss-a", "ngss-b->ngss-tasks-only", "ngss-tasks-only->ngss-a", "ngss-tasks-only->ngss-b"],
        );
        assert.deepStrictEqual(mismatches, []);
        assert.deepStrictEqual(measured, predicted);
    });

    it("a label only task containers carry, not their service: exit 2 naming the service and where the label belongs, unless --allow-empty", () => {
        const empty = netguard(["audit", "--label", SCOPE, "--label", TASKS_ONLY]);
        assert.strictEqual(empty.status, 2, empty.stderr);
        assert.match(empty.stderr, /matches no service and no plain container on .*, only 1 task container\(s\) of the swarm service\(s\) ngss-tasks-only, not the service\(s\)/);
        assert.match(empty.stderr, /docker service update --label-add/);
        assert.match(empty.stderr, /--allow-empty/);
        assert.doesNotMatch(empty.stderr, /\n\s+at /, "no stack trace");

        const allowed = auditJson(SCOPE, ["--label", TASKS_ONLY, "--allow-empty"]);
        assert.strictEqual(allowed.status, 0, allowed.stderr);
        assert.deepStrictEqual(allowed.doc.containers, []);
        assert.ok(allowed.doc.warnings.some((w) => /^not audited: 1 task container\(s\) match the labels but their service\(s\) do not: ngss-tasks-only/.test(w)), allowed.doc.warnings.join("\n"));
    });

    it("a label on a plain container and on task containers of a service without it: the container is audited, the tasks are named as not audited", () => {
        const mixed = auditJson(SCOPE, ["--label", MIXED]);
        assert.deepStrictEqual(mixed.doc.containers.map((c) => [c.name, c.kind]), [["ngss-tool", "container"]]);
        assert.ok(mixed.doc.warnings.some((w) => /^not audited: 1 task container\(s\) match the labels but their service\(s\) do not: ngss-tasks-only/.test(w)), mixed.doc.warnings.join("\n"));
        assert.match(mixed.stderr, /warning: not audited: 1 task container/);
    });
});
