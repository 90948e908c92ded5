/**
 * Renders the Markdown's ```mermaid blocks as GitHub does: the `mermaid`
 * package from npm in a headless Chromium (Debian's `chromium`; `.ci/run`
 * installs it), with Mermaid's default limits. Fails on any Mermaid error
 * or an empty diagram; keeps a screenshot of each under test-artifacts/.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { diffView } from "../../../cli/commands/diff/diffView";
import { renderDiffMarkdown } from "../../../cli/commands/diff/render/renderMarkdown";
import { renderPreviewMarkdown } from "../../../cli/commands/preview/render/renderMarkdown";
import { netguard, REPO_ROOT } from "../../helpers/netguardCli";
import { bigHost } from "../../helpers/bigHost";
import { mermaidBlocks } from "../../helpers/markdownInspect";
import { documentOf } from "../../helpers/previewFixtures";
import { swarmShop } from "../../helpers/swarmPreviewFixtures";

/** Where screenshots are kept (CI uploads the folder). */
const ARTIFACTS = process.env.NETGUARD_TEST_ARTIFACTS ?? path.join(REPO_ROOT, "test-artifacts", "rendering");

/** GitHub's comment column. */
const COLUMN_PX = 900;

function chromium(): string {
    const candidates = [process.env.CHROMIUM, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter((c): c is string => !!c);
    const found = candidates.find((candidate) => fs.existsSync(candidate));
    assert.ok(found, `no Chromium found (tried ${candidates.join(", ")}): install Debian's chromium (apt-get install chromium), as .ci/run does, or set CHROMIUM`);
    return found;
}

function mermaidScript(): string {
    try {
        return require.resolve("mermaid/dist/mermaid.min.js");
    } catch {
        assert.fail("the mermaid package is not installed: run npm ci (it is a devDependency)");
    }
}

interface DiagramResult {
    readonly ok: boolean;
    readonly error?: string;
    readonly nodes?: number;
    readonly width?: number;
}

/** An HTML page that renders each diagram with mermaid.render and writes the results into #status. */
function page(diagrams: readonly string[], script: string): string {
    return `<!doctype html><html><head><meta charset="utf-8"><style>body{width:${COLUMN_PX}px;margin:0;font-family:sans-serif}</style>
<script src="${script}"></script></head><body><pre id="status">pending</pre><div id="out"></div><script>
(async () => {
  mermaid.initialize({ startOnLoad: false });
  const diagrams = ${JSON.stringify(diagrams).replace(/</g, "\\u003c")};
  const results = [];
  for (let i = 0; i < diagrams.length; i++) {
    try {
      const { svg } = await mermaid.render("d" + i, diagrams[i]);
      const div = document.createElement("div");
      div.innerHTML = svg;
      document.getElementById("out").appendChild(div);
      const el = div.querySelector("svg");
      const failed = el.getAttribute("aria-roledescription") === "error" || /Syntax error in text|Maximum text size/.test(svg);
      results.push(failed ? { ok: false, error: "mermaid drew its error diagram" } : { ok: true, nodes: el.querySelectorAll(".node").length, width: el.getBBox().width });
    } catch (e) {
      results.push({ ok: false, error: String((e && e.message) || e) });
    }
  }
  document.getElementById("status").textContent = "RESULT" + JSON.stringify(results) + "END";
})();
</script></body></html>`;
}

function render(name: string, markdown: string): DiagramResult[] {
    const diagrams = mermaidBlocks(markdown);
    assert.ok(diagrams.length > 0, `${name}: no mermaid block`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "netguard-render-"));
    try {
        const html = path.join(dir, `${name}.html`);
        fs.writeFileSync(html, page(diagrams, `file://${mermaidScript()}`));
        const args = ["--headless=new", "--no-sandbox", "--disable-gpu", "--allow-file-access-from-files", `--user-data-dir=${dir}/profile`, "--virtual-time-budget=20000"];
        const dom = spawnSync(chromium(), [...args, "--dump-dom", `file://${html}`], { encoding: "utf8", timeout: 120_000 });
        const match = /RESULT(.*)END/.exec(dom.stdout ?? "");
        assert.ok(match, `${name}: the page did not finish rendering: ${(dom.stderr ?? "").slice(-500)}`);
        fs.mkdirSync(ARTIFACTS, { recursive: true });
        spawnSync(chromium(), [...args, `--window-size=${COLUMN_PX + 20},1400`, `--screenshot=${path.join(ARTIFACTS, `${name}.png`)}`, `file://${html}`], { timeout: 120_000 });
        fs.writeFileSync(path.join(ARTIFACTS, `${name}.md`), markdown);
        return JSON.parse(match[1]) as DiagramResult[];
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

function assertRendered(name: string, results: readonly DiagramResult[]): void {
    for (const [i, result] of results.entries()) {
        assert.ok(result.ok, `${name}, diagram ${i + 1}: ${result.error}`);
        assert.ok((result.nodes ?? 0) > 0, `${name}, diagram ${i + 1}: empty`);
    }
}

describe("Markdown rendered as GitHub does (mermaid from npm in headless Chromium)", function () {
    this.timeout(600_000);

    it("the example's preview", () => {
        const result = netguard(["preview", "--markdown"], { cwd: REPO_ROOT });
        assert.ok(result.status === 0 || result.status === 1, result.stderr);
        assertRendered("example-preview", render("example-preview", result.stdout));
    });

    it("the example's preview on a swarm: encrypted overlays and services with their replicas", () => {
        const result = netguard(["preview", "--stack", "swarm", "--markdown"], { cwd: REPO_ROOT });
        assert.strictEqual(result.status, 0, result.stderr);
        // Mermaid labels carry `·` and `×` as entity codes.
        assert.match(result.stdout, /overlay #183; encrypted/);
        assert.match(result.stdout, /dual-homed service #215;1/);
        assertRendered("example-swarm-preview", render("example-swarm-preview", result.stdout));
    });

    it("a diff, with the picture of the change", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "netguard-render-diff-"));
        try {
            for (const side of ["base", "head"]) {
                const result = netguard(["preview", path.join(REPO_ROOT, "test", "programs", `pr-${side}`), "--json"]);
                assert.strictEqual(result.status, 0, result.stderr);
                fs.writeFileSync(path.join(dir, `${side}.json`), result.stdout);
            }
            const result = netguard(["diff", path.join(dir, "base.json"), path.join(dir, "head.json"), "--markdown"]);
            assert.ok(result.stdout.includes("### The change"), result.stdout);
            assertRendered("pr-diff", render("pr-diff", result.stdout));
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("a swarm stack: overlay networks, services, a dual-homed service, and the diff that drops an overlay's encryption", () => {
        const head = swarmShop();
        assertRendered("swarm-preview", render("swarm-preview", renderPreviewMarkdown(head)));
        const base = documentOf(
            head.networks.map((network) => (network.name === "web" ? { ...network, encrypted: true } : network)),
            head.containers.filter((container) => container.name !== "queue"),
        );
        const markdown = renderDiffMarkdown(diffView(base, head, "base", "head"));
        assert.match(markdown, /Overlay network `web` loses its encryption/);
        assertRendered("swarm-diff", render("swarm-diff", markdown));
    });

        it("a 1,800-container host, preview and diff, labels not shrunk below the column", () => {
        const host = bigHost(60, 30);
        const preview = render("big-host-preview", renderPreviewMarkdown(host));
        assertRendered("big-host-preview", preview);
        assert.ok((preview[0].width ?? Infinity) <= COLUMN_PX * 1.5, `the picture is ${preview[0].width}px wide: its labels would be shrunk`);
        const empty = { resources: [], networks: [], containers: [], reachability: [], violations: [], notJudged: [] };
        assertRendered("big-host-diff", render("big-host-diff", renderDiffMarkdown(diffView(empty, host, "base", "head"))));
    });
});
