import * as assert from "assert";
import { renderPreviewMarkdown } from "../../../../../../cli/commands/preview/render/renderMarkdown";
import { renderPreviewText } from "../../../../../../cli/commands/preview/render/renderText";
import { summarizeReachability } from "../../../../../../cli/commands/preview/render/reachabilitySummary";
import { MAX_MEMBERS_DRAWN, MERMAID_INIT } from "../../../../../../cli/render/topologyMermaid";
import { container, documentOf, network, violation } from "../../../../../helpers/previewFixtures";
import { decodeMermaid, headings, mermaidBlocks, tableCells, tables } from "../../../../../helpers/markdownInspect";

/** The example shop: order (3 members), web (1 member), api dual-homed on both. */
function shop() {
    return documentOf(
        [network("web", { subnet: "10.20.2.0/24", gateway: "10.20.2.1" }), network("order", { subnet: "10.20.1.0/24", gateway: "10.20.1.1", ipRange: "10.20.1.128/25", internal: true })],
        [
            container("web-frontend", ["web"]),
            container("order-db", ["order"], { attachments: [{ network: "order", aliases: ["db"], ipv4Address: "10.20.1.10" }] }),
            container("order-cache", ["order"]),
            container("order-queue", ["order"]),
            container("api", ["web", "order"], { dualHomed: true }),
        ],
    );
}

/** Mermaid lines inside `subgraph … end` blocks, and the lines outside them. */
function splitSubgraphs(mermaid: string): { inside: Map<string, string[]>; outside: string[] } {
    const inside = new Map<string, string[]>();
    const outside: string[] = [];
    let current: string | undefined;
    for (const line of mermaid.split("\n").map((l) => l.trim())) {
        const open = /^subgraph (\w+) /.exec(line);
        if (open) {
            current = open[1];
            inside.set(current, []);
        } else if (line === "end") current = undefined;
        else if (current) inside.get(current)!.push(line);
        else outside.push(line);
    }
    return { inside, outside };
}

describe("cli/render/previewMarkdown", () => {
    it("orders the sections: verdicts, networks, topology, reachability", () => {
        const markdown = renderPreviewMarkdown(shop());
        assert.deepStrictEqual(
            headings(markdown).map((heading) => heading.replace(/ \(.*\)$/, "")),
            ["## netguard preview", "### Policy verdicts", "### Networks", "### Topology", "### Reachability"],
        );
        assert.match(markdown, /No mandatory policy violation/);
        assert.doesNotMatch(markdown, /\[!CAUTION\]/);
    });

    it("lists published ports, those on every host interface first, between networks and topology", () => {
        const doc = shop();
        doc.containers[1].ports = [{ internal: 5432, external: 5432, ip: "127.0.0.1", protocol: "tcp" }];
        doc.containers[0].ports = [{ internal: 80, external: 8080, ip: null, protocol: "tcp" }];
        const markdown = renderPreviewMarkdown(doc);
        assert.deepStrictEqual(headings(markdown).filter((h) => /Networks|Published|Topology/.test(h)), ["### Networks (2)", "### Published ports (2)", "### Topology"]);
        const table = tables(markdown).find((t) => tableCells(t[0]).map((c) => c.trim())[0] === "Container");
        assert.ok(table);
        assert.deepStrictEqual(table.slice(2).map((row) => tableCells(row).map((c) => c.trim())), [
            ["`web-frontend`", "`*:8080->80/tcp`", "⚠️ all"],
            ["`order-db`", "`127.0.0.1:5432->5432/tcp`", "`127.0.0.1`"],
        ]);
        assert.doesNotMatch(renderPreviewMarkdown(shop()), /Published ports/);
    });

    it("lists published ports in the text view too, flagging those on every host interface", () => {
        const doc = shop();
        doc.containers[0].ports = [{ internal: 80, external: 8080, ip: null, protocol: "tcp" }, { internal: 9000, external: 9000, ip: "127.0.0.1", protocol: "tcp" }];
        const text = renderPreviewText(doc, {});
        assert.match(text, /Published ports \(2\)\nCONTAINER +PUBLISHED +HOST INTERFACES\n[- ]+\nweb-frontend +\*:8080->80\/tcp +all \(!\)\nweb-frontend +127\.0\.0\.1:9000->9000\/tcp +127\.0\.0\.1/);
        assert.doesNotMatch(renderPreviewText(shop(), {}), /Published ports/);
    });

    it("makes mandatory failures stand out, listed before advisory ones", () => {
        const doc = shop();
        doc.violations.push(violation("docker-network-private-range", "advisory", "web"), violation("docker-no-default-bridge", "mandatory", "web-01"));
        const markdown = renderPreviewMarkdown(doc);
        const verdicts = markdown.slice(markdown.indexOf("### Policy verdicts"), markdown.indexOf("### Networks"));
        assert.match(verdicts, /> \[!CAUTION\]\n> \*\*1 mandatory policy violation\*\*/);
        const [table] = tables(verdicts);
        assert.strictEqual(table.length, 4);
        assert.match(tableCells(table[2])[0], /mandatory/);
        assert.match(tableCells(table[2])[1], /docker-no-default-bridge/);
        assert.match(tableCells(table[3])[0], /advisory/);
    });

    it("lists each network's addressing, internal flag and ICC", () => {
        const doc = shop();
        doc.networks.push(network("quiet", { subnet: null, gateway: null, interContainer: false }));
        const markdown = renderPreviewMarkdown(doc);
        const networkTable = tables(markdown.slice(markdown.indexOf("### Networks")))[0];
        const rows = networkTable.slice(2).map(tableCells).map((cells) => cells.map((cell) => cell.trim()));
        assert.deepStrictEqual(tableCells(networkTable[0]).map((cell) => cell.trim()), ["Network", "Docker name", "Subnet", "Gateway", "IP range", "Internal", "ICC", "Members"]);
        assert.deepStrictEqual(rows[1], ["`order`", "`stack-order`", "`10.20.1.0/24`", "`10.20.1.1`", "`10.20.1.128/25`", "yes", "on", "4"]);
        assert.deepStrictEqual(rows[0].slice(4, 7), ["whole subnet", "no", "on"]);
        assert.deepStrictEqual(rows[2].slice(2, 7), ["⚠️ none", "⚠️ none", "whole subnet", "no", "off"]);
    });

    it("draws networks as subgraphs with their members inside and the dual-homed container between them", () => {
        const [mermaid] = mermaidBlocks(renderPreviewMarkdown(shop()));
        assert.ok(mermaid.startsWith(`${MERMAID_INIT}\nflowchart LR\n`), "a margin under subgraph titles, so the first member does not cover the subnet");
        const { inside, outside } = splitSubgraphs(mermaid);
        assert.deepStrictEqual([...inside.keys()], ["net_web", "net_order"]);
        assert.strictEqual(inside.get("net_order")!.length, 3);
        assert.ok(inside.get("net_order")!.some((line) => line.includes('"order-db<br/>10.20.1.10"')));
        assert.ok(![...inside.values()].flat().some((line) => line.includes("ctr_api")), "api is drawn outside every network");
        assert.ok(outside.some((line) => /^ctr_api\{\{"api<br\/>dual-homed"\}\}$/.test(line)));
        assert.ok(outside.includes("ctr_api --- net_web"));
        assert.ok(outside.includes("ctr_api --- net_order"));
    });

    it("treats any container on two networks as between them, drawn as undeclared when it is not a DualHomedContainer", () => {
        const doc = documentOf([network("a"), network("b")], [container("x", ["a"]), container("sneaky", ["a", "b"])]);
        const [mermaid] = mermaidBlocks(renderPreviewMarkdown(doc));
        const { outside } = splitSubgraphs(mermaid);
        assert.ok(outside.some((line) => line.startsWith("ctr_sneaky{{") && line.includes("not declared")));
        assert.ok(outside.includes("ctr_sneaky -.- net_a") && outside.includes("ctr_sneaky -.- net_b"));
        assert.ok(outside.includes("class ctr_sneaky undeclared"));
    });

    it("draws undeclared multi-homing edges red and the default bridge apart, as shared with the whole host", () => {
        const doc = documentOf(
            [network("app"), network("data"), network("bridge", { dockerName: "bridge", subnet: "172.17.0.0/16" })],
            [container("web", ["app"]), container("sneaky", ["app", "data"]), container("api", ["app", "data"], { dualHomed: true }), container("legacy", ["bridge"])],
        );
        const [mermaid] = mermaidBlocks(renderPreviewMarkdown(doc));
        const edges = mermaid.split("\n").filter((line) => /^\s+\w+ (---|-\.-)/.test(line));
        const undeclared = edges.map((line, index) => (line.includes("-.-") ? index : -1)).filter((index) => index >= 0);
        assert.strictEqual(undeclared.length, 2);
        assert.ok(mermaid.includes(`linkStyle ${undeclared.join(",")} stroke:#cc0000`), mermaid);
        assert.match(mermaid, /subgraph net_bridge \["bridge<br\/>172\.17\.0\.0\/16, Docker#39;s default bridge: shared with every container on the host"\]/);
        assert.match(mermaid, /style net_bridge fill:#eeeeee,stroke:#666666,stroke-dasharray:6 4/);
        assert.match(renderPreviewMarkdown(doc), /a hexagon is a container on several networks \(dual-homed\): a bridge between them/);
        assert.doesNotMatch(renderPreviewMarkdown(doc), /the only bridge/);
    });

    it("names every network in the graph, even ones only referenced by a container", () => {
        const doc = documentOf([network("declared")], [container("c", ["declared"]), container("d", ["external-net"])]);
        const [mermaid] = mermaidBlocks(renderPreviewMarkdown(doc));
        const titles = [...mermaid.matchAll(/^\s*subgraph \w+ \["([^"]*)"\]$/gm)].map((match) => decodeMermaid(match[1]).split("<br/>")[0]);
        assert.deepStrictEqual(titles, ["declared", "external-net"]);
    });

    it("escapes names with pipes, brackets, quotes and backticks everywhere", () => {
        const names = { net: 'db|"prod"', member: "a]b[`c`", dual: "<x>|`y`" };
        const doc = documentOf(
            [network(names.net), network("other")],
            [container(names.member, [names.net]), container("plain", [names.net]), container(names.dual, [names.net, "other"], { dualHomed: true })],
            [violation("docker-no-default-bridge", "mandatory", names.member, "message with | pipe and [link](x)")],
        );
        const markdown = renderPreviewMarkdown(doc);
        for (const table of tables(markdown)) {
            const width = tableCells(table[0]).length;
            for (const row of table) assert.strictEqual(tableCells(row).length, width, row);
        }
        const [mermaid] = mermaidBlocks(markdown);
        for (const line of mermaid.split("\n")) {
            // Outside quoted labels, only ids, keywords and edge syntax remain.
            const unquoted = line.replace(/"[^"]*"/g, '""');
            assert.doesNotMatch(unquoted, /[`<>]|\]\w|[A-Za-z]\|/, line);
        }
        assert.ok(mermaid.includes(`"${"db#124;#34;prod#34;"}<br/>`), "network label escaped");
        assert.ok(mermaid.includes('"a#93;b#91;#96;c#96;"'), "member label escaped");
        assert.ok(mermaid.includes('{{"#60;x#62;#124;#96;y#96;<br/>dual-homed"}}'), "dual-homed label escaped");
        assert.strictEqual(mermaidBlocks(markdown).length, 1, "no name closes the code fence");
        assert.match(markdown, /All 3 members of `db\|"prod"` reach each other by name/);
    });

    it("summarizes a 50-member network in one line instead of 2450 pairs", () => {
        const members = Array.from({ length: 50 }, (_, i) => container(`svc-${String(i).padStart(2, "0")}`, ["big"]));
        const doc = documentOf([network("big", { subnet: "10.40.0.0/24" })], members);
        assert.strictEqual(doc.reachability.length, 2450);
        const markdown = renderPreviewMarkdown(doc);
        const reachability = markdown.slice(markdown.indexOf("### Reachability"));
        assert.match(reachability, /^### Reachability \(2450 ordered pairs\)/);
        const items = reachability.split("\n").filter((line) => line.startsWith("- "));
        assert.strictEqual(items.length, 1);
        assert.match(items[0], /All 50 members of `big` reach each other by name: `svc-00`, .* and 38 more$/);
        assert.ok(markdown.split("\n").length < 150, `${markdown.split("\n").length} lines`);
        const { inside } = splitSubgraphs(mermaidBlocks(markdown)[0]);
        assert.strictEqual(inside.get("net_big")!.length, MAX_MEMBERS_DRAWN + 1, "members drawn up to the cap, then one 'more' node");
    });
});

describe("cli/render/reachabilitySummary", () => {
    it("explains pairs by membership and lists only the rest", () => {
        const doc = shop();
        const summary = summarizeReachability(doc);
        assert.deepStrictEqual(
            summary.groups.map((group) => [group.network, group.members.length, group.byName]),
            [
                ["web", 2, true],
                ["order", 4, true],
            ],
        );
        assert.deepStrictEqual(summary.pairs, []);
        assert.strictEqual(summary.total, doc.reachability.length);
    });

    it("lists the pairs of the default bridge that resolve by name (links), one way", () => {
        const doc = documentOf([network("bridge", { dockerName: "bridge", subnet: "172.17.0.0/16" })], [container("a", ["bridge"]), container("b", ["bridge"]), container("c", ["bridge"])]);
        doc.reachability = doc.reachability.map((pair) => ({ ...pair, byName: pair.from === "a" && pair.to === "b" }));
        const summary = summarizeReachability(doc);
        assert.deepStrictEqual(summary.groups, [{ network: "bridge", members: ["a", "b", "c"], byName: false }]);
        assert.deepStrictEqual(summary.pairs, [{ from: "a", to: "b", networks: ["bridge"], byName: true, bothWays: false }]);
        assert.match(renderPreviewMarkdown(doc), /- `a` → `b` via `bridge`, by name/);
    });

    it("falls back to pairs, both ways on one line, when a network's members do not all reach each other", () => {
        const doc = documentOf([network("n")], [container("a", ["n"]), container("b", ["n"]), container("c", ["n"])]);
        doc.reachability = doc.reachability.filter((pair) => pair.from !== "c" && pair.to !== "c");
        const summary = summarizeReachability(doc);
        assert.deepStrictEqual(summary.groups, []);
        assert.deepStrictEqual(summary.pairs, [{ from: "a", to: "b", networks: ["n"], byName: true, bothWays: true }]);
    });

    it("says so when inter-container traffic is off", () => {
        const doc = documentOf([network("n", { interContainer: false })], [container("a", ["n"]), container("b", ["n"])]);
        assert.strictEqual(doc.reachability.length, 0);
        const markdown = renderPreviewMarkdown(doc);
        assert.match(markdown, /The 2 members of `n` do not reach each other there \(inter-container traffic off\)/);
    });
});
