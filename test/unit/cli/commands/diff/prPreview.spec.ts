/**
 * End to end, as the pull-request workflow runs it: `netguard preview --json`
 * of a base and a head program in subprocesses, then `netguard diff`.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PreviewDocument } from "../../../../../document/previewDocument";
import { PreviewDiff } from "../../../../../cli/commands/diff/diffPreviews";
import { decodeMermaid, mermaidBlocks } from "../../../../helpers/markdownInspect";

const REPO_ROOT = path.resolve(__dirname, "..", "..", "..", "..", "..");
const PROGRAMS = path.join(REPO_ROOT, "test", "programs");

function netguard(args: string[]) {
    const result = spawnSync(process.execPath, [path.join(REPO_ROOT, "bin", "netguard.js"), ...args], { cwd: REPO_ROOT, encoding: "utf8", timeout: 120_000 });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("pull-request preview, end to end (pr-base -> pr-head adds a DualHomedContainer)", () => {
    let dir: string;
    let baseFile: string;
    let headFile: string;
    let head: PreviewDocument;

    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "netguard-pr-"));
        for (const side of ["base", "head"]) {
            const result = netguard(["preview", path.join(PROGRAMS, `pr-${side}`), "--json"]);
            assert.strictEqual(result.status, 0, `preview of pr-${side} exits 0: ${result.stderr}`);
            fs.writeFileSync(path.join(dir, `${side}.json`), result.stdout);
        }
        baseFile = path.join(dir, "base.json");
        headFile = path.join(dir, "head.json");
        head = JSON.parse(fs.readFileSync(headFile, "utf8"));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("diff --json lists exactly the new reachable pairs and removes nothing", () => {
        const result = netguard(["diff", baseFile, headFile, "--json"]);
        assert.strictEqual(result.status, 0, result.stderr);
        const diff: PreviewDiff = JSON.parse(result.stdout);
        const added = diff.reachability.added.map((pair) => `${pair.from} -> ${pair.to} via ${pair.networks.join(",")} ${pair.byName ? "by name" : "by IP"}`);
        assert.deepStrictEqual(added.sort(), [
            "@host -> api via data,front by IP",
            "api -> data-cache via data by name",
            "api -> data-db via data by name",
            "api -> front-web via front by name",
            "data-cache -> api via data by name",
            "data-db -> api via data by name",
            "front-web -> api via front by name",
        ]);
        assert.deepStrictEqual(diff.reachability.removed, []);
        assert.deepStrictEqual(diff.networks, { added: [], removed: [], changed: [] });
        assert.deepStrictEqual(diff.violations, { added: [], removed: [] });
        // Pairs have the preview document's shape: each one is in the head's reachability as is.
        for (const pair of diff.reachability.added) assert.ok(head.reachability.some((p) => JSON.stringify(p) === JSON.stringify(pair)));
    });

    it("diff --markdown names the new container", () => {
        const result = netguard(["diff", baseFile, headFile, "--markdown"]);
        assert.strictEqual(result.status, 0, result.stderr);
        assert.match(result.stdout, /### New containers\n\n- `api` \(dual-homed, on `front`, `data`\)/);
        assert.match(result.stdout, /### Newly reachable \(7 pairs\)/);
    });

    it("preview --markdown draws a mermaid graph naming every network, api between them", () => {
        const result = netguard(["preview", path.join(PROGRAMS, "pr-head"), "--markdown"]);
        assert.strictEqual(result.status, 0, result.stderr);
        const [mermaid] = mermaidBlocks(result.stdout);
        assert.ok(mermaid, "one mermaid block");
        const decoded = decodeMermaid(mermaid);
        for (const network of head.networks) assert.match(decoded, new RegExp(`subgraph net_${network.name} \\["${network.name}<br/>`));
        assert.match(mermaid, /ctr_api --- net_front/);
        assert.match(mermaid, /ctr_api ---\|"10\.61\.2\.20"\| net_data/);
    });
});
