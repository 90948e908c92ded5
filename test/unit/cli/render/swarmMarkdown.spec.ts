import * as assert from "assert";
import { renderPreviewMarkdown } from "../../../../cli/commands/preview/render/renderMarkdown";
import { renderPreviewText } from "../../../../cli/commands/preview/render/renderText";
import { perNetworkMermaid } from "../../../../cli/render/topologyMermaid";
import { decodeMermaid, mermaidBlocks, tableCells, tables } from "../../../helpers/markdownInspect";
import { swarmShop } from "../../../helpers/swarmPreviewFixtures";
import { network } from "../../../helpers/previewFixtures";
import { bigHost } from "../../../helpers/bigHost";
import { diffView } from "../../../../cli/commands/diff/diffView";
import { renderDiffMarkdown } from "../../../../cli/commands/diff/render/renderMarkdown";
import { GITHUB_COMMENT_LIMIT } from "../../../../cli/render/markdown";
import { MERMAID_MAX_TEXT } from "../../../../cli/render/topologyMermaid";
import { PreviewDocument } from "../../../../document/previewDocument";

function networkRows(markdown: string): string[][] {
    const [table] = tables(markdown.slice(markdown.indexOf("### Networks")));
    return table.filter((_, i) => i !== 1).map((row) => tableCells(row).map((cell) => cell.trim()));
}

describe("render: swarm networks and services", () => {
    it("counts services apart from containers", () => {
        assert.match(renderPreviewMarkdown(swarmShop()), /^## netguard preview\n\n3 networks, 2 containers, 5 services\.$/m);
    });

    it("gives the network table Scope and Encrypted columns when a swarm network is there, and only then", () => {
        const rows = networkRows(renderPreviewMarkdown(swarmShop()));
        assert.deepStrictEqual(rows[0], ["Network", "Docker name", "Scope", "Subnet", "Gateway", "IP range", "Internal", "ICC", "Encrypted", "Members"]);
        assert.deepStrictEqual(rows.slice(1).map((row) => [row[0], row[2], row[8]]), [
            ["`order`", "swarm", "yes"],
            ["`web`", "swarm, attachable", "⚠️ no"],
            ["`tools`", "local", "n/a"],
        ]);
        const local = swarmShop();
        local.networks = local.networks.filter((network) => network.scope === "local");
        assert.deepStrictEqual(networkRows(renderPreviewMarkdown(local))[0], ["Network", "Docker name", "Subnet", "Gateway", "IP range", "Internal", "ICC", "Members"]);
    });

    it("draws Docker's ingress as the routing mesh, not as an overlay to fix, and a service on it and one overlay as published, not as a bridge", () => {
        const shop = swarmShop();
        shop.networks.push(network("ingress", { scope: "swarm", driver: "overlay", dockerName: "ingress", subnet: "10.0.0.0/24", gateway: "10.0.0.1", ingress: true }));
        const frontend = shop.containers.find((c) => c.name === "frontend")!;
        frontend.attachments.push({ network: "ingress", aliases: [], ipv4Address: null, routingMesh: true });
        const markdown = renderPreviewMarkdown(shop);
        assert.deepStrictEqual(networkRows(markdown).find((row) => row[0] === "`ingress`")?.[8], "no (routing mesh)");
        const [mermaid] = mermaidBlocks(markdown);
        const lines = mermaid.split("\n").map((line) => decodeMermaid(line.trim()));
        assert.ok(lines.some((line) => line.startsWith('subgraph net_ingress ["ingress<br/>10.0.0.0/24, overlay · routing mesh"]')), mermaid);
        assert.ok(!lines.some((line) => /^style net_ingress .*#cc0000/.test(line)), "not red");
        assert.ok(lines.includes('ctr_frontend{{"frontend<br/>published via the routing mesh service ×2"}}'), mermaid);
        assert.ok(!lines.some((line) => /^class .*ctr_frontend.* undeclared$/.test(line)), "not marked as an undeclared bridge");
        const perNetwork = perNetworkMermaid(shop).split("\n").map((line) => decodeMermaid(line.trim()));
        assert.ok(perNetwork.includes('net_ingress["ingress<br/>10.0.0.0/24, overlay · routing mesh<br/>1 member (1 service)"]'), perNetwork.join("\n"));
        assert.ok(!perNetwork.some((line) => /net_ingress.*multi-homed|multi-homed.*net_ingress/.test(line)), "no bridge to ingress");
        // A service on two networks of its own is still a bridge to declare, the mesh aside.
        frontend.attachments.unshift({ network: "order", aliases: [], ipv4Address: null });
        assert.match(renderPreviewMarkdown(shop), /ctr_frontend\{\{"frontend<br\/>multi-homed, not declared/);
    });

    it("labels overlay networks with their encryption and draws an unencrypted one red", () => {
        const [mermaid] = mermaidBlocks(renderPreviewMarkdown(swarmShop()));
        const title = (id: string) => decodeMermaid(new RegExp(`subgraph ${id} \\["([^"]*)"\\]`).exec(mermaid)?.[1] ?? "");
        assert.strictEqual(title("net_order"), "order<br/>10.21.1.0/24, overlay · encrypted, internal");
        assert.strictEqual(title("net_web"), "web<br/>10.21.2.0/24, overlay · NOT encrypted, attachable");
        assert.strictEqual(title("net_tools"), "tools<br/>10.21.9.0/24");
        assert.match(mermaid, /^ {4}style net_web fill:#fff0f0,stroke:#cc0000,stroke-width:2px$/m);
        assert.match(mermaid, /^ {4}style net_order stroke:#1f6feb,stroke-width:2px$/m);
        assert.doesNotMatch(mermaid, /style net_tools/);
    });

    it("draws services as rounded nodes with their replicas, a dual-homed service as a hexagon, a container as a box", () => {
        const [mermaid] = mermaidBlocks(renderPreviewMarkdown(swarmShop()));
        const lines = mermaid.split("\n").map((line) => decodeMermaid(line.trim()));
        assert.ok(lines.includes('ctr_queue(["queue<br/>service ×3"])'), mermaid);
        assert.ok(lines.includes('ctr_db(["db<br/>service ×1"])'));
        assert.ok(lines.includes('ctr_probe["probe"]'));
        assert.ok(lines.includes('ctr_api{{"api<br/>dual-homed service ×2"}}'));
        assert.ok(lines.includes('ctr_metrics(["metrics<br/>service × ?<br/>no user network"])'));
        assert.ok(lines.includes("class ctr_db,ctr_queue,ctr_frontend,ctr_metrics service"));
        assert.match(renderPreviewMarkdown(swarmShop()), /Swarm: a rounded node is a service \(×N: its replicas/);
        assert.doesNotMatch(renderPreviewMarkdown({ ...swarmShop(), networks: [], containers: [] }), /Swarm: a rounded node/);
    });

    it("says how many services a network holds in the per-network picture", () => {
        const lines = perNetworkMermaid(swarmShop()).split("\n").map((line) => decodeMermaid(line.trim()));
        assert.ok(lines.includes('net_order["order<br/>10.21.1.0/24, overlay · encrypted, internal<br/>3 members (3 services)"]'), lines.join("\n"));
        assert.ok(lines.includes('net_web["web<br/>10.21.2.0/24, overlay · NOT encrypted, attachable<br/>3 members (2 services)"]'));
        assert.ok(lines.includes('none_containers["1 service on no network"]'));
    });

    it("marks a service's published port as the service's", () => {
        const markdown = renderPreviewMarkdown(swarmShop());
        const [ports] = tables(markdown.slice(markdown.indexOf("### Published ports")));
        assert.deepStrictEqual(tableCells(ports[2]).map((cell) => cell.trim()), ["`frontend (service)`", "`*:8080->80/tcp`", "⚠️ all"]);
    });

    it("shows scope, attachability, encryption and services with their replicas in the text view", () => {
        const text = renderPreviewText(swarmShop(), {});
        assert.match(text, /^NAME +DOCKER NAME +SCOPE +ATTACHABLE +SUBNET +GATEWAY +IP RANGE +INTERNAL +ICC +ENCRYPTED$/m);
        assert.match(text, /^web +stack-web +swarm +yes +10\.21\.2\.0\/24 .* \(!\) no$/m);
        assert.match(text, /^tools +stack-tools +local +- +10\.21\.9\.0\/24 .* n\/a$/m);
        assert.match(text, /^queue \[service ×3\] +order /m);
        assert.match(text, /^api \[service ×2, dual-homed\] +web /m);
        assert.match(text, /^metrics \[service × \?\] +\(none\) /m);
        const local = swarmShop();
        local.networks = local.networks.filter((network) => network.scope === "local");
        assert.doesNotMatch(renderPreviewText(local, {}), /SCOPE|ENCRYPTED/);
    });

    it("keeps a big swarm within one comment and Mermaid's limit, preview and diff", () => {
        const swarm = (encrypted: boolean): PreviewDocument => {
            const host = bigHost(60, 30);
            return {
                ...host,
                networks: host.networks.map((network, i) => ({ ...network, scope: "swarm", driver: "overlay", attachable: i % 3 === 0, encrypted: encrypted || i % 2 === 0 })),
                containers: host.containers.map((container, i) => (container.dualHomed || i % 4 === 0 ? container : { ...container, kind: "service", replicas: i % 7 })),
            };
        };
        const fits = (markdown: string, what: string) => {
            assert.ok(markdown.length < GITHUB_COMMENT_LIMIT, `${what}: ${markdown.length} characters`);
            for (const block of mermaidBlocks(markdown)) assert.ok(block.length < MERMAID_MAX_TEXT, `${what}: a mermaid block of ${block.length}`);
        };
        const preview = renderPreviewMarkdown(swarm(false));
        fits(preview, "preview");
        assert.match(mermaidBlocks(preview)[0], /overlay #183; NOT encrypted/);
        const diff = renderDiffMarkdown(diffView(swarm(true), swarm(false), "base", "head"));
        fits(diff, "diff");
        assert.match(diff, /- 🔓 \*\*30 overlay networks without encryption\*\*/);
        assert.match(diff, /  - …and 10 more networks/);
    });
});
