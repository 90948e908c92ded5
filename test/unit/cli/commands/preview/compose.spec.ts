/**
 * `netguard preview compose.yaml`: a Compose project judged by the same
 * rules, with Docker's names, in the same document as a program's.
 */
import * as assert from "assert";
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
});
