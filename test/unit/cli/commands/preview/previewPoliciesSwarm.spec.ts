/**
 * A swarm program of raw resources (test/programs/swarm-services: overlay
 * `docker.Network`s and `docker.Service`s) previewed end to end with
 * `netguard preview --json` in a subprocess: the networks' scope,
 * attachability and encryption, the services as one node each with their
 * replicas, who reaches whom, and exactly the violations.
 */
import * as assert from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PreviewDocument } from "../../../../../document/previewDocument";
import { REPO_ROOT } from "../../../../helpers/netguardCli";

const PROGRAM = "test/programs/swarm-services";

function preview(...extra: string[]): Promise<{ status: number | null; doc: PreviewDocument; stderr: string }> {
    const args = [path.join(REPO_ROOT, "bin", "netguard.js"), "preview", PROGRAM, "--json", ...extra];
    return new Promise((resolve, reject) => {
        execFile(process.execPath, args, { cwd: REPO_ROOT, encoding: "utf8", timeout: 300_000 }, (err, stdout, stderr) => {
            const status = err ? (typeof err.code === "number" ? err.code : null) : 0;
            try {
                resolve({ status, doc: JSON.parse(stdout) as PreviewDocument, stderr });
            } catch {
                reject(new Error(`preview printed no JSON document (exit ${status}): ${stderr}`));
            }
        });
    });
}

describe("netguard preview: a swarm program of raw overlay networks and services", function () {
    this.timeout(600_000);
    let doc: PreviewDocument;
    let status: number | null;
    let advisory: { status: number | null; doc: PreviewDocument; stderr: string };
    let dir: string;

    before(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "netguard-swarm-"));
        const config = path.join(dir, "advisory.json");
        fs.writeFileSync(config, JSON.stringify({ all: "advisory" }));
        const [strict, relaxed] = await Promise.all([preview(), preview("--policy-config", config)]);
        ({ doc, status } = strict);
        advisory = relaxed;
    });

    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("shows the overlay networks with scope, attachable and encrypted (the option's presence), and Docker's own networks the services land on", () => {
        const networks = doc.networks.map((n) => [n.name, n.driver, n.scope, n.attachable, n.encrypted, n.subnet, n.interContainer]).sort();
        assert.deepStrictEqual(networks, [
            ["bridge", "bridge", "local", false, false, "172.17.0.0/16", true],
            ["ingress", "overlay", "swarm", false, false, "10.0.0.0/24", true],
            ["metrics", "overlay", "swarm", false, false, "10.21.3.0/24", true],
            ["order", "overlay", "swarm", false, true, "10.21.1.0/24", true],
            ["web", "overlay", "swarm", true, true, "10.21.2.0/24", true],
        ]);
    });

    it("shows each service once, with its kind, replicas (null for global) and attachments, beside the plain container", () => {
        const containers = doc.containers
            .map((c) => [c.name, c.kind, c.replicas, c.attachments.map((a) => `${a.network}${a.aliases.length ? `(${a.aliases.join(",")})` : ""}`).join(" ")])
            .sort();
        assert.deepStrictEqual(containers, [
            ["api", "service", 3, "web order"],
            ["debug", "container", null, "web"],
            ["exporter", "service", null, "metrics"],
            // No network: its tasks land on their node's default bridge, as Docker 20.10 runs them.
            ["lonely", "service", 1, "bridge"],
            ["order-db", "service", 2, "order(postgres)"],
            // It publishes through the routing mesh: Docker gives its tasks an endpoint on ingress.
            ["web-frontend", "service", 1, "web(www) ingress"],
        ]);
    });

    it("predicts reachability over each overlay, by name, and nothing between them except through the service on both", () => {
        const pairs = doc.reachability.map((p) => `${p.from}>${p.to} ${p.networks.join(",")}${p.byName ? "" : " (ip)"}`);
        // No `@host` row: a service's tasks run on whichever node, the audit's host or not.
        assert.deepStrictEqual(pairs, [
            "api>debug web",
            "api>order-db order",
            "api>web-frontend web",
            "debug>api web",
            "debug>web-frontend web",
            "order-db>api order",
            "web-frontend>api web",
            "web-frontend>debug web",
        ]);
    });

    it("reports exactly the four mistakes, each once, on the right resources, and exits 1", () => {
        const found = doc.violations.map((v) => `${v.policy} ${v.name} ${v.level}`).sort();
        assert.deepStrictEqual(found, [
            "docker-multi-homing-declared api mandatory",
            "docker-no-default-bridge lonely mandatory",
            "docker-overlay-encrypted metrics mandatory",
            "docker-published-port-bound web-frontend advisory",
        ]);
        assert.strictEqual(status, 1);
        const byPolicy = new Map(doc.violations.map((v) => [v.policy, v.message]));
        assert.match(byPolicy.get("docker-multi-homing-declared") ?? "", /^service "api" is attached to 2 networks \("web", "order"\).*DualHomedService/);
        assert.match(byPolicy.get("docker-overlay-encrypted") ?? "", /^network "metrics" is an overlay network without encryption/);
        assert.match(byPolicy.get("docker-no-default-bridge") ?? "", /^service "lonely" names no network, so Docker runs its tasks on their node's default bridge/);
    });

    it('reports the same as advisory and exits 0 with {"all": "advisory"}', () => {
        assert.strictEqual(advisory.status, 0, advisory.stderr);
        assert.deepStrictEqual(advisory.doc.violations.map((v) => v.policy).sort(), doc.violations.map((v) => v.policy).sort());
        assert.ok(advisory.doc.violations.every((v) => v.level === "advisory"));
    });
});
