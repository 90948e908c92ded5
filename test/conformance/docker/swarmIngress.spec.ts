/**
 * The routing mesh on a real single-node swarm (Docker 20.10, measured):
 * services that publish a port in ingress mode (the default) get an
 * endpoint on the swarm's `ingress` network, where their tasks reach each
 * other by address but not by name; a port in host mode does not put a
 * service there, and one that names no network then lands on its node's
 * default bridge. test/programs/swarm-ingress is previewed, deployed the way
 * the provider would (oracle/deployProgram.ts) and audited with probes: the
 * preview, the audit's prediction and the measurement must agree. The
 * published host ports (18081–18085) are never probed.
 */
import * as assert from "assert";
import { AuditDocument } from "../../../document/auditDocument";
import { PreviewDocument } from "../../../document/previewDocument";
import { cidrContainsIp, parseCidr, parseIp } from "../../../addressing/cidr";
import { ReachablePair } from "../../../topology/reachability";
import { netguardJson } from "../../helpers/netguardCli";
import { deployPreview } from "../../../oracle/deployProgram";
import { auditJson } from "./dockerCli";
import { ENGINE_TAG, PROBE_IMAGE, TEST_LABEL, releaseDockerEngine, useDockerEngine, useSwarmManager } from "./engine";

const SUITE = "netguard.test.suite=swarm-ingress";
const PROGRAM = "test/programs/swarm-ingress";

describe(`${ENGINE_TAG} services on the routing mesh's ingress network`, function () {
    let preview: { status: number | null; doc: PreviewDocument; stderr: string };
    let audit: { status: number | null; doc: AuditDocument; stderr: string };

    before(async function () {
        const engine = await useDockerEngine(this);
        await useSwarmManager(engine);
        preview = netguardJson<PreviewDocument>(["preview", PROGRAM]);
        const [key, value] = SUITE.split("=");
        await deployPreview(engine.docker, preview.doc, { image: PROBE_IMAGE, labels: { [TEST_LABEL.key]: TEST_LABEL.value, [key]: value } });
        audit = auditJson(SUITE, ["--probe"]);
    });

    after(async function () {
        this.timeout(5 * 60_000);
        await releaseDockerEngine(SUITE);
    });

    /** The preview's logical name for a Docker name. */
    function logical(dockerName: string): string {
        const entry = [...preview.doc.containers, ...preview.doc.networks].find((e) => e.dockerName === dockerName);
        assert.ok(entry, `no preview entry has Docker name ${dockerName}`);
        return entry.name;
    }
    const pairText = (p: ReachablePair) => `${p.from}>${p.to} ${p.networks.join(",")}${p.byName ? "" : " (ip)"}`;
    const servicePairs = (pairs: ReachablePair[]) => pairs.filter((p) => p.from !== "@host" && p.to !== "@host");

    it("previews the publishing services on Docker's ingress network, host mode off it, and the pairs there by address only", () => {
        assert.deepStrictEqual(
            preview.doc.containers.map((c) => `${c.name}: ${c.attachments.map((a) => a.network).join(" ")}`).sort(),
            ["admin: back ingress", "edge: ingress", "lonely: bridge", "shop: front ingress", "worker: back"],
        );
        assert.deepStrictEqual(preview.doc.reachability.map(pairText), [
            "admin>edge ingress (ip)",
            "admin>shop ingress (ip)",
            "admin>worker back",
            "edge>admin ingress (ip)",
            "edge>shop ingress (ip)",
            "shop>admin ingress (ip)",
            "shop>edge ingress (ip)",
            "worker>admin back",
        ]);
    });

    it("reads the same attachments live, each publishing task with an address in ingress's 10.0.0.0/24, the lonely one on docker0", () => {
        assert.deepStrictEqual(
            audit.doc.containers.map((c) => `${logical(c.name)}: ${c.attachments.map((a) => logical(a.network)).join(" ")}`).sort(),
            ["admin: back ingress", "edge: ingress", "lonely: bridge", "shop: front ingress", "worker: back"],
        );
        for (const name of ["ngsi-shop", "ngsi-admin", "ngsi-edge"]) {
            const task = audit.doc.containers.find((c) => c.name === name)?.tasks?.[0];
            const onIngress = task?.attachments.find((a) => a.network === "ingress");
            assert.ok(onIngress?.ipv4Address && cidrContainsIp(parseCidr("10.0.0.0/24"), parseIp(onIngress.ipv4Address)), `${name}: ${JSON.stringify(task)}`);
        }
        const lonely = audit.doc.containers.find((c) => c.name === "ngsi-lonely")?.tasks?.[0];
        assert.deepStrictEqual(lonely?.attachments.map((a) => a.network), ["bridge"], JSON.stringify(lonely));
    });

    it("models Docker's ingress network as the swarm made it", () => {
        const live = audit.doc.networks.find((n) => n.name === "ingress");
        const previewed = preview.doc.networks.find((n) => n.name === "ingress");
        assert.ok(live && previewed, JSON.stringify(audit.doc.networks.map((n) => n.name)));
        assert.deepStrictEqual(live, previewed);
    });

    it("predicts live what the preview predicts, and measures exactly that: ping answers over ingress, names do not resolve there", () => {
        const { predicted, measured, mismatches, probe } = audit.doc.reachability;
        assert.deepStrictEqual(
            servicePairs(predicted).map((p) => pairText({ ...p, from: logical(p.from), to: logical(p.to), networks: p.networks.map(logical) })),
            preview.doc.reachability.map(pairText),
        );
        assert.ok(measured && mismatches && probe, `probed: ${audit.stderr}`);
        assert.deepStrictEqual(probe.notProbed, [], audit.stderr);
        assert.deepStrictEqual(mismatches, []);
        assert.deepStrictEqual(measured, predicted);
    });

    it("judges alike, each mistake once: the service only on ingress is on no user-defined overlay, the one on docker0 on the default bridge", () => {
        const mandatory = (violations: { policy: string; name: string | null; level: string }[], name: (n: string) => string) =>
            violations.filter((v) => v.level === "mandatory").map((v) => `${v.policy} ${name(v.name ?? "")}`);
        const expected = ["docker-no-default-bridge lonely", "docker-service-user-network edge"];
        assert.deepStrictEqual(mandatory(preview.doc.violations, (n) => n).sort(), expected);
        assert.deepStrictEqual(mandatory(audit.doc.violations, logical).sort(), expected);
        assert.strictEqual(preview.status, 1, preview.stderr);
        assert.strictEqual(audit.status, 1, audit.stderr);
    });
});
