/**
 * The example stack on a swarm (`index.ts` with `Pulumi.swarm.yaml`: every
 * net an overlay, every member a service, `api` a DualHomedService) on a
 * real single-node swarm: the overlay networks and services `preview
 * --stack swarm` collects, created the way the Docker provider would (see
 * deployPreview.ts), then audited with probes from every task. Live state
 * must pass every rule, and the measured reachability — by service name
 * and by `tasks.<name>` — must be the one `preview` predicted.
 */
import * as assert from "assert";
import { AuditDocument } from "../../cli/audit/document";
import { DockerEngine } from "../../cli/audit/dockerEngine";
import { PreviewDocument } from "../../cli/preview/document";
import { cidrContainsIp, parseCidr, parseIp } from "../../topology/cidr";
import { ReachablePair } from "../../topology/reachability";
import { netguardJson } from "../helpers/netguardCli";
import { deployPreview } from "./deployPreview";
import { auditJson } from "./dockerCli";
import { PROBE_IMAGE, TEST_LABEL, releaseDockerEngine, useDockerEngine, useSwarmManager } from "./engine";

const SUITE = "netguard.test.suite=swarm-example";

describe("docker conformance: the example stack deployed on a swarm", function () {
    let engine: DockerEngine;
    let preview: PreviewDocument;
    let audit: { status: number | null; doc: AuditDocument; stderr: string };

    before(async function () {
        engine = await useDockerEngine(this);
        await useSwarmManager(engine);
        const previewed = netguardJson<PreviewDocument>(["preview", "index.ts", "--stack", "swarm"]);
        assert.strictEqual(previewed.status, 0, previewed.stderr);
        preview = previewed.doc;
        const [key, value] = SUITE.split("=");
        await deployPreview(engine.docker, preview, { image: PROBE_IMAGE, labels: { [TEST_LABEL.key]: TEST_LABEL.value, [key]: value } });
        audit = auditJson(SUITE, ["--probe"]);
    });

    after(async function () {
        this.timeout(5 * 60_000);
        await releaseDockerEngine(SUITE);
    });

    /** Preview's logical name for a Docker name. */
    function logical(dockerName: string): string {
        const entry = [...preview.containers, ...preview.networks].find((e) => e.dockerName === dockerName);
        assert.ok(entry, `no preview entry has Docker name ${dockerName}`);
        return entry.name;
    }

    const inLogicalNames = (pairs: ReachablePair[]) =>
        pairs.map((p) => ({ from: logical(p.from), to: logical(p.to), networks: p.networks.map(logical), byName: p.byName }));

    it("previews overlay networks and services", () => {
        assert.ok(preview.networks.length > 0 && preview.networks.every((n) => n.scope === "swarm" && n.driver === "overlay"), JSON.stringify(preview.networks));
        assert.ok(preview.containers.length > 0 && preview.containers.every((c) => c.kind === "service"), JSON.stringify(preview.containers.map((c) => [c.name, c.kind])));
        assert.ok(preview.containers.some((c) => c.dualHomed), "the api is a DualHomedService");
    });

    it("passes every rule live state can judge: no violation, exit 0", () => {
        assert.deepStrictEqual(audit.doc.violations, []);
        assert.strictEqual(audit.status, 0, audit.stderr);
        assert.deepStrictEqual(audit.doc.warnings, []);
    });

    it("has exactly the previewed overlay networks and services, tasks running inside the subnets", () => {
        const networks = audit.doc.networks.map((n) => ({ ...n, name: logical(n.name) }));
        assert.deepStrictEqual(
            networks.sort((a, b) => a.name.localeCompare(b.name)),
            [...preview.networks].sort((a, b) => a.name.localeCompare(b.name)),
        );
        for (const expected of preview.containers) {
            const live = audit.doc.containers.find((c) => c.name === expected.dockerName);
            assert.ok(live?.running, `${expected.dockerName} runs`);
            assert.deepStrictEqual([live.kind, live.replicas, live.dualHomed], [expected.kind, expected.replicas, expected.dualHomed], expected.name);
            const byNetwork = (a: { network: string }, b: { network: string }) => a.network.localeCompare(b.network);
            assert.deepStrictEqual(
                live.attachments.map((a) => ({ network: logical(a.network), aliases: [...a.aliases].sort() })).sort(byNetwork),
                expected.attachments.map((a) => ({ network: a.network, aliases: [...a.aliases].sort() })).sort(byNetwork),
                expected.name,
            );
            const tasks = live.tasks ?? [];
            assert.strictEqual(tasks.filter((t) => t.state === "running").length, expected.replicas ?? 1, `${expected.name}: every replica runs`);
            for (const task of tasks) {
                for (const attachment of task.attachments) {
                    const subnet = preview.networks.find((n) => n.name === logical(attachment.network))?.subnet;
                    assert.ok(subnet && attachment.ipv4Address && cidrContainsIp(parseCidr(subnet), parseIp(attachment.ipv4Address)), `${task.name}: ${attachment.ipv4Address} in ${subnet}`);
                }
            }
        }
        assert.strictEqual(audit.doc.containers.length, preview.containers.length);
    });

    it("probes every task and measures what preview predicted: by service name and tasks.<name>", () => {
        const { measured, mismatches, probe, predicted } = audit.doc.reachability;
        assert.ok(measured && mismatches && probe);
        assert.deepStrictEqual(probe.notProbed, []);
        assert.deepStrictEqual(mismatches, []);
        // Overlays have no route from the host: no `@host` pair, predicted or measured.
        assert.deepStrictEqual(predicted.filter((pair) => pair.from === "@host"), []);
        assert.ok(preview.reachability.length > 0 && preview.reachability.every((pair) => pair.byName), "overlay members reach each other by name");
        assert.deepStrictEqual(inLogicalNames(predicted), preview.reachability, "the live prediction equals preview's");
        assert.deepStrictEqual(inLogicalNames(measured), preview.reachability, "the measurement equals preview's prediction");
    });
});
