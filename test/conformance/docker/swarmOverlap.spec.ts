/**
 * An overlay network whose subnet overlaps a local bridge of the node, on a
 * real swarm manager. Docker creates both (the manager allocates the overlay
 * without looking at any node's local networks), and then the node rejects
 * every task of a service on the overlay ("Pool overlaps with other one on
 * this address space"). The audit must report the overlay with
 * `docker-network-no-overlap`, naming the bridge, before anyone deploys.
 */
import * as assert from "assert";
import { AuditDocument } from "../../../document/auditDocument";
import { auditJson, docker, testLabels } from "./dockerCli";
import { ENGINE_TAG, PROBE_IMAGE, TEST_LABEL, releaseDockerEngine, useDockerEngine, useSwarmManager } from "./engine";
import { createTestService } from "./swarmServices";

const SUITE = "netguard.test.suite=swarm-overlap";
const LOCAL = { name: "ngso-local", subnet: "10.231.60.0/24" };
const OVERLAY = { name: "ngso-overlay", subnet: "10.231.60.0/25" };
const SERVICE = "ngso-svc";
const [SUITE_KEY, SUITE_VALUE] = SUITE.split("=");

/** The errors of the service's tasks, once one has failed (Docker retries; the first error is the one that counts). */
async function taskErrors(timeoutMs = 60_000): Promise<string[]> {
    const started = Date.now();
    for (;;) {
        const errors = docker("service", "ps", SERVICE, "--no-trunc", "--format", "{{.Error}}").split("\n").map((line) => line.trim()).filter(Boolean);
        if (errors.length > 0 || Date.now() - started > timeoutMs) return errors;
        await new Promise((resolve) => setTimeout(resolve, 500));
    }
}

describe(`${ENGINE_TAG} an overlay over a node's local bridge`, function () {
    let audit: { status: number | null; doc: AuditDocument; stderr: string };
    let errors: string[];

    before(async function () {
        const engine = await useDockerEngine(this);
        await useSwarmManager(engine);
        const labels = testLabels(SUITE);
        docker("network", "create", "-d", "bridge", ...labels, "--subnet", LOCAL.subnet, LOCAL.name);
        docker("network", "create", "-d", "overlay", ...labels, "--opt", "encrypted", "--subnet", OVERLAY.subnet, OVERLAY.name);
        await createTestService(engine.docker, { name: SERVICE, networks: [{ name: OVERLAY.name }] }, PROBE_IMAGE, { [TEST_LABEL.key]: TEST_LABEL.value, [SUITE_KEY]: SUITE_VALUE });
        errors = await taskErrors();
        audit = auditJson(SUITE);
    });

    after(async function () {
        this.timeout(5 * 60_000);
        await releaseDockerEngine(SUITE);
    });

    it("is created by Docker in both scopes, and the node rejects the tasks of a service on the overlay", () => {
        assert.ok(errors.length > 0 && errors.every((error) => /overlaps/i.test(error)), `task errors: ${JSON.stringify(errors)}`);
        const networks = audit.doc.networks.map((n) => [n.name, n.scope, n.subnet]).sort();
        assert.deepStrictEqual(networks, [
            [LOCAL.name, "local", LOCAL.subnet],
            [OVERLAY.name, "swarm", OVERLAY.subnet],
        ]);
    });

    it("is reported once, on the overlay, naming the local bridge: exit 1", () => {
        const overlaps = audit.doc.violations.filter((v) => v.policy === "docker-network-no-overlap");
        assert.strictEqual(overlaps.length, 1, JSON.stringify(audit.doc.violations, null, 2));
        assert.strictEqual(overlaps[0].name, OVERLAY.name);
        assert.match(overlaps[0].message, new RegExp(LOCAL.name));
        assert.strictEqual(overlaps[0].level, "mandatory");
        assert.strictEqual(audit.status, 1, audit.stderr);
    });
});
