import * as assert from "assert";
import { GITHUB_COMMENT_LIMIT } from "../../cli/render/markdown";
import { renderPreviewMarkdown } from "../../cli/render/previewMarkdown";
import { MERMAID_MAX_TEXT } from "../../cli/render/topologyMermaid";
import { renderDiffMarkdown } from "../../cli/diff/renderDiffMarkdown";
import { diffView } from "../../cli/diff/diffView";
import { ContainerEntry, NetworkEntry, PreviewDocument } from "../../cli/preview/document";
import { ReachablePair } from "../../topology/reachability";
import { mermaidBlocks } from "./markdownInspect";
import { syntheticProgram } from "../../bench/syntheticStack";
import { runProgram } from "../../cli/preview/runProgram";
import { previewDocument } from "../../cli/preview/document";
import { evaluatePolicies } from "../../policies/evaluate";
import { policyResources } from "../../policies/engineArgs";
import { policies } from "../../policies/pack";
import { topologyFromResources } from "../../topology/fromPulumi";
import { violation } from "./previewFixtures";

/**
 * A host of `nets` networks × `services` single-homed members each, one
 * dual-homed container per pair of neighbouring nets, one undeclared
 * multi-homed container in ten nets, long names, a port per service, and a
 * violation per container: every section at its biggest. Reachability is
 * built per network (membership), not by comparing every pair of containers.
 */
function bigHost(nets: number, services: number): PreviewDocument {
    const networks: NetworkEntry[] = [];
    const containers: ContainerEntry[] = [];
    const members = new Map<string, string[]>();
    const join = (net: string, name: string) => members.set(net, [...(members.get(net) ?? []), name]);
    for (let n = 0; n < nets; n++) {
        const net = `production-order-processing-net-${n}`;
        networks.push({ name: net, dockerName: `stack-${net}`, driver: "bridge", subnet: `10.${n >> 8}.${n & 255}.0/24`, gateway: `10.${n >> 8}.${n & 255}.1`, ipRange: null, internal: n % 2 === 0, interContainer: true });
        for (let s = 0; s < services; s++) {
            const name = `${net}-service-with-a-long-name-${s}`;
            containers.push({ name, dockerName: `stack-${name}`, attachments: [{ network: net, aliases: [`svc${s}`], ipv4Address: `10.${n >> 8}.${n & 255}.${10 + s}` }], dualHomed: false, ports: s === 0 ? [{ internal: 80, external: 8000 + n, ip: null, protocol: "tcp" }] : [] });
            join(net, name);
        }
        if (n > 0) {
            const prev = networks[n - 1].name;
            const name = `gateway-between-${n - 1}-and-${n}`;
            containers.push({ name, dockerName: null, attachments: [{ network: prev, aliases: [], ipv4Address: null }, { network: net, aliases: [], ipv4Address: null }], dualHomed: n % 10 !== 0, ports: [] });
            join(prev, name);
            join(net, name);
        }
    }
    const reachability: ReachablePair[] = [];
    for (const [net, names] of members) {
        for (const from of names) for (const to of names) if (from !== to) reachability.push({ from, to, networks: [net], byName: true });
    }
    const violations = containers.map((container) => violation("docker-published-port-bound", "advisory", container.name, `container "${container.name}" publishes a port on every host interface: a long explanation follows here.`));
    return { resources: [], networks, containers, reachability, violations, notJudged: [] };
}

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

    it("the synthetic 60 nets × 30 services program (2,000 containers, 200 dual-homed), previewed for real, fits", async () => {
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
