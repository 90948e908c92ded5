/**
 * The real Compose as oracle: a project brought up with the project's own
 * Compose build (scripts/docker-compose.sh) on the engine under test, then
 * audited with --probe. What `netguard preview compose.yaml` predicted —
 * names, networks, addresses, who reaches whom — is what the engine did and
 * what the probes measure.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as path from "path";
import { AuditDocument } from "../../../document/auditDocument";
import { PreviewDocument } from "../../../document/previewDocument";
import { REPO_ROOT, netguardJson } from "../../helpers/netguardCli";
import { auditJson } from "./dockerCli";
import { ENGINE_TAG, releaseDockerEngine, useDockerEngine } from "./engine";

const SUITE = "netguard.test.suite=compose";
const PROJECT = path.join(__dirname, "fixtures", "compose-shop", "compose.yaml");

function compose(...args: string[]): void {
    const result = spawnSync("docker", ["compose", "-f", PROJECT, ...args], { encoding: "utf8", timeout: 180_000 });
    if (result.status !== 0) throw new Error(`docker compose ${args.join(" ")} failed (exit ${result.status}): ${result.stderr || result.error?.message}`);
}

const pairs = (list: readonly { from: string; to: string }[]) => list.filter((p) => p.from !== "@host").map((p) => `${p.from} > ${p.to}`).sort();

describe(`${ENGINE_TAG} a Compose project brought up and audited`, function () {
    let preview: PreviewDocument;
    let audit: AuditDocument;

    before(async function () {
        await useDockerEngine(this);
        // The Compose CLI plugin, built once from the Go module proxy and installed for the docker CLI.
        const plugin = spawnSync("bash", [path.join(REPO_ROOT, "scripts", "docker-compose.sh"), "install"], { encoding: "utf8", timeout: 15 * 60_000 });
        assert.strictEqual(plugin.status, 0, `scripts/docker-compose.sh install: ${plugin.stderr}`);
        preview = netguardJson<PreviewDocument>(["preview", PROJECT]).doc;
        compose("up", "-d", "--wait");
        audit = auditJson(SUITE, ["--probe"]).doc;
    });

    after(async function () {
        this.timeout(5 * 60_000);
        spawnSync("docker", ["compose", "-f", PROJECT, "down", "--timeout", "1"], { timeout: 120_000 });
        await releaseDockerEngine(SUITE);
    });

    it("names what Compose creates as the preview does: <project>_<key> networks, <project>-<service>-<n> containers", () => {
        assert.deepStrictEqual(audit.networks.map((n) => n.name).sort(), preview.networks.map((n) => n.name).sort());
        assert.deepStrictEqual(audit.containers.map((c) => c.name).sort(), preview.containers.map((c) => c.name).sort());
    });

    it("gets the addressing the preview predicted: subnets, gateways, the static address, internal", () => {
        const shape = (n: { name: string; subnet: string | null; gateway: string | null; internal: boolean }) => ({ name: n.name, subnet: n.subnet, gateway: n.gateway, internal: n.internal });
        assert.deepStrictEqual(audit.networks.map(shape).sort((a, b) => a.name.localeCompare(b.name)), preview.networks.map(shape).sort((a, b) => a.name.localeCompare(b.name)));
        const db = audit.containers.find((c) => c.name === "ngc-shop-db-1");
        assert.strictEqual(db?.attachments.find((a) => a.network === "ngc-shop_back")?.ipv4Address, "10.247.2.10");
    });

    it("predicts the reachability the probes measure, with no mismatch", () => {
        assert.deepStrictEqual(audit.reachability.mismatches, []);
        assert.deepStrictEqual(pairs(audit.reachability.measured ?? []), pairs(preview.reachability));
    });

    it("judges alike: what the preview reports on the running project is what the audit reports", () => {
        const verdicts = (doc: { violations: { policy: string; name: string | null }[] }) => doc.violations.map((v) => `${v.policy} ${v.name}`).sort();
        const live = new Set(audit.policies.judged);
        assert.deepStrictEqual(verdicts(audit), verdicts(preview).filter((line) => live.has(line.split(" ")[0])));
    });
});
