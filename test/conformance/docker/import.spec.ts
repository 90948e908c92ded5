/**
 * `netguard import --from-engine` on a real engine: labelled networks and
 * containers made with the docker CLI in 10.96.0.0/16 (a pinned net with a
 * static address, an internal net, a container on both, two containers on
 * the default bridge joined by --link), imported with --label, the program
 * previewed: no mandatory violation, the engine's predicted reachability
 * between the same containers, the pinned IPAM kept.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { AuditDocument } from "../../../document/auditDocument";
import { netguard } from "../../helpers/netguardCli";
import { previewProgram } from "../../helpers/importRoundTrip";
import { auditJson, docker, testLabels } from "./dockerCli";
import { ENGINE_TAG, PROBE_IMAGE, releaseDockerEngine, useDockerEngine } from "./engine";

const SUITE = "netguard.test.suite=import";

const pairs = (list: readonly { from: string; to: string }[]) => list.filter((pair) => pair.from !== "@host").map((pair) => `${pair.from} -> ${pair.to}`).sort();

describe(`${ENGINE_TAG} netguard import --from-engine`, function () {
    let program: string;
    let audit: AuditDocument;
    let dir: string;

    before(async function () {
        await useDockerEngine(this);
        const labels = testLabels(SUITE);
        docker("network", "create", ...labels, "--subnet", "10.96.1.0/24", "--gateway", "10.96.1.1", "ngimp-front");
        docker("network", "create", ...labels, "--internal", "--subnet", "10.96.2.0/24", "--ip-range", "10.96.2.128/25", "ngimp-back");
        docker("run", "-d", "--name", "ngimp-web", ...labels, "--network", "ngimp-front", "--network-alias", "www", PROBE_IMAGE);
        docker("run", "-d", "--name", "ngimp-db", ...labels, "--network", "ngimp-back", "--ip", "10.96.2.10", PROBE_IMAGE);
        docker("run", "-d", "--name", "ngimp-api", ...labels, "--network", "ngimp-front", PROBE_IMAGE);
        docker("network", "connect", "ngimp-back", "ngimp-api");
        docker("run", "-d", "--name", "ngimp-old", ...labels, PROBE_IMAGE);
        docker("run", "-d", "--name", "ngimp-legacy", ...labels, "--link", "ngimp-old:old", PROBE_IMAGE);
        audit = auditJson(SUITE).doc;
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "netguard-import-live-"));
        const out = path.join(dir, "index.ts");
        const result = netguard(["import", "--from-engine", "--label", SUITE, "--out", out]);
        assert.strictEqual(result.status, 0, result.stderr);
        program = fs.readFileSync(out, "utf8");
    });

    after(async function () {
        this.timeout(5 * 60_000);
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
        await releaseDockerEngine(SUITE);
    });

    it("keeps the pinned IPAM and the static address, and allocates none over them", () => {
        assert.match(program, /new IsolatedServiceNet\("ngimp-front", \{\n {4}subnet: "10\.96\.1\.0\/24",\n {4}gateway: "10\.96\.1\.1",/);
        assert.match(program, /new IsolatedServiceNet\("ngimp-back", \{\n {4}subnet: "10\.96\.2\.0\/24",\n(.*\n)*? {4}ipRange: "10\.96\.2\.128\/25",\n {4}internal: true,/);
        assert.match(program, /ipv4Address: "10\.96\.2\.10"/);
        assert.match(program, /new DualHomedContainer\("ngimp-api"/);
        assert.match(program, /\/\/ - net bridge: ngimp-legacy, ngimp-old left Docker's default bridge/);
        assert.match(program, /\/\/ - service ngimp-legacy: link ngimp-old:old \(docker-no-legacy-links\) is the alias old of ngimp-old on bridge/);
    });

    it("previews with no mandatory violation and the engine's reachability between the same containers", async () => {
        const { status, document } = await previewProgram(program);
        assert.deepStrictEqual(document.violations.filter((violation) => violation.level === "mandatory"), [], program);
        assert.strictEqual(status, 0);
        const byService = new Map([
            ["ngimp-front-ngimp-web", "ngimp-web"],
            ["ngimp-back-ngimp-db", "ngimp-db"],
            ["ngimp-api", "ngimp-api"],
            ["bridge-ngimp-old", "ngimp-old"],
            ["bridge-ngimp-legacy", "ngimp-legacy"],
        ]);
        const imported = document.reachability.map((pair) => ({ from: byService.get(pair.from) ?? pair.from, to: byService.get(pair.to) ?? pair.to }));
        assert.deepStrictEqual(pairs(imported), pairs(audit.reachability.predicted));
        assert.ok(pairs(imported).includes("ngimp-legacy -> ngimp-old"));
    });
});
