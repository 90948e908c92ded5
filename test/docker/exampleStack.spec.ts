/**
 * The example stack (index.ts) on a real engine: the networks and containers
 * `preview` collects, created the way the Docker provider would (see
 * deployPreview.ts), then audited. Live state must pass every rule, and the
 * measured reachability must be the one `preview` predicted for the program.
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
import { PROBE_IMAGE, TEST_LABEL, releaseDockerEngine, useDockerEngine } from "./engine";

const SUITE = "netguard.test.suite=example-stack";

describe("docker conformance: the example stack deployed", function () {
    let engine: DockerEngine;
    let preview: PreviewDocument;
    let audit: { status: number | null; doc: AuditDocument; stderr: string };

    before(async function () {
        engine = await useDockerEngine(this);
        const previewed = netguardJson<PreviewDocument>(["preview", "index.ts"]);
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

    it("passes every rule live state can judge: no violation, exit 0", () => {
        assert.deepStrictEqual(audit.doc.violations, []);
        assert.strictEqual(audit.status, 0, audit.stderr);
    });

    it("has exactly the previewed networks and containers, addresses and aliases included", () => {
        const networks = audit.doc.networks.map((n) => ({ ...n, name: logical(n.name) }));
        assert.deepStrictEqual(
            networks.sort((a, b) => a.name.localeCompare(b.name)),
            [...preview.networks].sort((a, b) => a.name.localeCompare(b.name)),
        );
        for (const expected of preview.containers) {
            const live = audit.doc.containers.find((c) => c.name === expected.dockerName);
            assert.ok(live?.running, `${expected.dockerName} runs`);
            assert.strictEqual(live.dualHomed, expected.dualHomed, expected.name);
            // Docker lists a container's networks by name, the program in its own order.
            const byNetwork = (a: { network: string }, b: { network: string }) => a.network.localeCompare(b.network);
            const liveAttachments = live.attachments.map((a) => ({ ...a, network: logical(a.network) })).sort(byNetwork);
            const expectedAttachments = [...expected.attachments].sort(byNetwork);
            assert.deepStrictEqual(
                liveAttachments.map((a) => ({ network: a.network, aliases: a.aliases })),
                expectedAttachments.map((a) => ({ network: a.network, aliases: a.aliases })),
                expected.name,
            );
            // Static addresses are the ones asked for; the others are Docker's to give.
            expectedAttachments.forEach((a, i) => {
                const address = liveAttachments[i].ipv4Address;
                if (a.ipv4Address) assert.strictEqual(address, a.ipv4Address, expected.name);
                const ipRange = preview.networks.find((n) => n.name === a.network)?.ipRange;
                if (!a.ipv4Address && ipRange) assert.ok(address && cidrContainsIp(parseCidr(ipRange), parseIp(address)), `${expected.name}: ${address} in ${ipRange}`);
            });
        }
        assert.strictEqual(audit.doc.containers.length, preview.containers.length);
    });

    it("probes every container and measures what preview predicted for the program", () => {
        const { measured, mismatches, probe, predicted } = audit.doc.reachability;
        assert.ok(measured && mismatches && probe);
        assert.deepStrictEqual(probe.notProbed, []);
        assert.deepStrictEqual(mismatches, []);
        // Between containers; the audit's matrices also hold the Docker host (`@host`), which a preview has no engine host for.
        const betweenContainers = (pairs: typeof predicted) => pairs.filter((pair) => pair.from !== "@host");
        assert.deepStrictEqual(inLogicalNames(betweenContainers(predicted)), preview.reachability, "the live prediction equals preview's");
        assert.deepStrictEqual(inLogicalNames(betweenContainers(measured)), preview.reachability, "the measurement equals preview's prediction");
        assert.deepStrictEqual(measured, predicted, "from the host's side, @host measured too");
    });
});
