/**
 * `netguard preview compose.yaml`: a Compose project judged by the same
 * rules, with Docker's names, in the same document as a program's.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PreviewDocument } from "../../../../../document/previewDocument";
import { REPO_ROOT, netguard, netguardJson } from "../../../../helpers/netguardCli";

const fixture = (name: string) => path.join(REPO_ROOT, "test", "fixtures", "compose", name, "compose.yaml");

describe("netguard preview of a Compose project", function () {
    this.timeout(120_000);

    it("judges the tutorial's mistakes with Docker's names and exits 1", () => {
        const { status, doc } = netguardJson<PreviewDocument>(["preview", fixture("tutorial")]);
        assert.strictEqual(status, 1);
        assert.deepStrictEqual(doc.source, { program: path.relative(REPO_ROOT, fixture("tutorial")), project: "tutorial", stack: null, offline: true });
        assert.deepStrictEqual(doc.resources, []);
        const verdicts = doc.violations.map((v) => `${v.policy} ${v.name}`).sort();
        assert.ok(verdicts.includes("docker-network-explicit-ipam tutorial_default"), verdicts.join("\n"));
        assert.ok(verdicts.includes("docker-no-legacy-links tutorial-web-1"), verdicts.join("\n"));
        assert.ok(doc.containers.every((c) => /^tutorial-.+-\d+$/.test(c.name)), doc.containers.map((c) => c.name).join(", "));
        assert.strictEqual(doc.summary?.mandatory, doc.violations.filter((v) => v.level === "mandatory").length);
    });

    it("takes -f and reads the same project from the flag as from the argument", () => {
        const byArgument = netguardJson<PreviewDocument>(["preview", fixture("isolated")]).doc;
        const byFlag = netguardJson<PreviewDocument>(["preview", "-f", fixture("isolated")]).doc;
        assert.deepStrictEqual(byFlag.networks, byArgument.networks);
        assert.deepStrictEqual(byFlag.reachability, byArgument.reachability);
    });

    it("is exit 2 with Compose's reason for a file Compose rejects", () => {
        const result = netguard(["preview", fixture("bad-service-key")]);
        assert.strictEqual(result.status, 2, result.stderr);
        assert.match(result.stderr, /compose\.yaml/);
        assert.doesNotMatch(result.stderr, /\n\s+at /, "no stack trace");
    });

    it("honours a per-policy dockerVersion from --policy-config, as a program's preview does", () => {
        const routed = (doc: PreviewDocument) => doc.violations.filter((v) => v.policy === "docker-published-port-bound").map((v) => v.name);
        assert.deepStrictEqual(routed(netguardJson<PreviewDocument>(["preview", fixture("routed")]).doc), ["routed_direct"], "Docker 29 by default");
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "netguard-compose-docker-version-"));
        try {
            const config = path.join(dir, "policy.json");
            fs.writeFileSync(config, JSON.stringify({ "docker-published-port-bound": { dockerVersion: "20" } }));
            assert.deepStrictEqual(routed(netguardJson<PreviewDocument>(["preview", fixture("routed"), "--policy-config", config]).doc), []);
            // The policy's own setting stands over --docker-version, as for a program.
            fs.writeFileSync(config, JSON.stringify({ "docker-published-port-bound": { dockerVersion: "29" } }));
            assert.deepStrictEqual(routed(netguardJson<PreviewDocument>(["preview", fixture("routed"), "--docker-version", "20", "--policy-config", config]).doc), ["routed_direct"]);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
