/**
 * `netguard preview` judges with the Docker the stack runs on: `--docker-version`,
 * else the stack's `netguard:dockerVersion`, else 29. The routed gateway mode
 * is a verdict on 29 and nothing on 20.10, which ignores it.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PreviewDocument } from "../../../../../document/previewDocument";
import { REPO_ROOT, netguard, netguardJson } from "../../../../helpers/netguardCli";

const PROGRAM = path.join(REPO_ROOT, "test", "programs", "routed-network", "index.ts");
const published = (doc: PreviewDocument) => doc.violations.filter((v) => v.policy === "docker-published-port-bound").map((v) => v.name);

describe("netguard preview --docker-version", function () {
    this.timeout(120_000);

    it("judges with Docker 29 by default and says so: the routed network is reported", () => {
        const { status, doc } = netguardJson<PreviewDocument>(["preview", PROGRAM]);
        assert.deepStrictEqual(doc.engine, { version: "29.x", semantics: "29" });
        assert.deepStrictEqual(published(doc), ["routed"]);
        assert.strictEqual(status, 0, "the published-port policy is advisory");
    });

    it("judges with 20.10's semantics on --docker-version 20: the option is ignored there", () => {
        const { doc } = netguardJson<PreviewDocument>(["preview", PROGRAM, "--docker-version", "20"]);
        assert.deepStrictEqual(doc.engine, { version: "20.10.x", semantics: "20" });
        assert.deepStrictEqual(published(doc), []);
    });

    it("takes the stack's netguard:dockerVersion, and the flag over it", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "netguard-docker-version-"));
        try {
            fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: routed\nruntime: nodejs\n");
            fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "config:\n  netguard:dockerVersion: \"20\"\n");
            assert.deepStrictEqual(netguardJson<PreviewDocument>(["preview", PROGRAM], { cwd: dir }).doc.engine?.semantics, "20");
            assert.deepStrictEqual(netguardJson<PreviewDocument>(["preview", PROGRAM, "--docker-version", "29"], { cwd: dir }).doc.engine?.semantics, "29");
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("refuses a Docker it does not know with exit 2, naming the flag and the value", () => {
        const result = netguard(["preview", PROGRAM, "--docker-version", "24"]);
        assert.strictEqual(result.status, 2);
        assert.match(result.stderr, /--docker-version "24": netguard knows Docker 20 \(20\.10\) and 29/);
    });

    it("lets the policy config name the Docker per policy (as pulumi preview --policy-pack-config does), and refuses another value", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "netguard-docker-version-"));
        try {
            const config = path.join(dir, "policy.json");
            fs.writeFileSync(config, JSON.stringify({ "docker-published-port-bound": { dockerVersion: "20" } }));
            assert.deepStrictEqual(published(netguardJson<PreviewDocument>(["preview", PROGRAM, "--policy-config", config]).doc), []);
            fs.writeFileSync(config, JSON.stringify({ "docker-published-port-bound": { dockerVersion: "27" } }));
            const refused = netguard(["preview", PROGRAM, "--policy-config", config]);
            assert.strictEqual(refused.status, 2);
            assert.match(refused.stderr, /setting "dockerVersion" = "27" is not a Docker netguard knows/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
