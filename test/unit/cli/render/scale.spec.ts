import * as assert from "assert";
import { GITHUB_COMMENT_LIMIT } from "../../../../cli/render/markdown";
import { renderPreviewMarkdown } from "../../../../cli/commands/preview/render/renderMarkdown";
import { MERMAID_MAX_TEXT } from "../../../../cli/render/topologyMermaid";
import { renderDiffMarkdown } from "../../../../cli/commands/diff/render/renderMarkdown";
import { diffView } from "../../../../cli/commands/diff/diffView";
import { PreviewDocument } from "../../../../document/previewDocument";
import { mermaidBlocks } from "../../../helpers/markdownInspect";
import { syntheticProgram } from "../../../../bench/syntheticStack";
import { runProgram } from "../../../../cli/commands/preview/program/runProgram";
import { previewDocument } from "../../../../document/previewDocument";
import { evaluatePolicies } from "../../../../policies/evaluate";
import { policyResources } from "../../../../policies/engineArgs";
import { policies } from "../../../../policies/pack";
import { topologyFromResources } from "../../../../readers/pulumi/fromPulumi";
import { bigHost } from "../../../helpers/bigHost";

function assertFits(markdown: string, what: string): void {
    if (process.env.NETGUARD_SCALE_SIZES) for (const section of markdown.split(/^(?=### )/m)) console.log(what, section.split("\n")[0], section.length);
    assert.ok(markdown.length < GITHUB_COMMENT_LIMIT, `${what}: ${markdown.length} characters`);
    const blocks = mermaidBlocks(markdown);
    assert.ok(blocks.length >= 1, `${what}: the topology is drawn`);
    for (const block of blocks) assert.ok(block.length < MERMAID_MAX_TEXT, `${what}: a mermaid block of ${block.length} characters`);
}

describe("cli/render at scale: one GitHub comment, Mermaid under its maxTextSize", () => {
    it("a 60 nets × 30 services stack (1,800 containers and more) fits, drawn one node per network", () => {
        const host = bigHost(60, 30);
        assert.ok(host.containers.length >= 1_800);
        const markdown = renderPreviewMarkdown(host);
        assertFits(markdown, "preview");
        const [mermaid] = mermaidBlocks(markdown);
        assert.match(mermaid, /production-order-processing-net-0<br\/>10\.0\.0\.0\/24, internal<br\/>31 members/);
        assert.match(mermaid, /\|"1 dual-homed"\|/);
        assert.match(mermaid, /-\.-\|"1 multi-homed, not declared"\|/);
        assert.match(markdown, /too many to draw one by one/);
    });

    it("the synthetic 60 nets × 30 services program (2,000 containers, 200 dual-homed), previewed for real, fits", async function () {
        this.timeout(600_000);
        const run = await runProgram(syntheticProgram({ containers: 2_000, networks: 60 }), { project: "scale", stack: "scale", config: {}, secretKeys: [] });
        const violations = await evaluatePolicies(policies, run.resources);
        const document = previewDocument(run.resources, topologyFromResources(policyResources(run.resources)), violations);
        assert.strictEqual(document.containers.length, 2_000);
        const markdown = renderPreviewMarkdown(document);
        if (process.env.NETGUARD_SCALE_SIZES) console.log("synthetic", markdown.length, mermaidBlocks(markdown).map((block) => block.length));
        assertFits(markdown, "synthetic preview");
        const empty: PreviewDocument = { resources: [], networks: [], containers: [], reachability: [], violations: [], notJudged: [] };
        assert.ok(renderDiffMarkdown(diffView(empty, document, "base.json", "head.json")).length < GITHUB_COMMENT_LIMIT);
    });

    it("a 600-network host still fits, the networks that bridges join drawn first", () => {
        const markdown = renderPreviewMarkdown(bigHost(600, 3));
        assertFits(markdown, "preview of 600 nets");
        assert.match(markdown, /…and 560 more networks/);
    });

    it("a diff from nothing to the big stack fits", () => {
        const host = bigHost(60, 30);
        const empty: PreviewDocument = { resources: [], networks: [], containers: [], reachability: [], violations: [], notJudged: [] };
        const markdown = renderDiffMarkdown(diffView(empty, host, "base.json", "head.json"));
        assert.ok(markdown.length < GITHUB_COMMENT_LIMIT, `${markdown.length} characters`);
        assert.match(markdown, /This change publishes \*\*60 ports on every host interface\*\*/);
    });

    it("a small stack is still drawn container by container", () => {
        const markdown = renderPreviewMarkdown(bigHost(2, 3));
        assert.doesNotMatch(markdown, /too many to draw/);
        assert.match(mermaidBlocks(markdown)[0], /subgraph/);
    });
});
