import * as assert from "assert";
import { diffPreviews } from "../../../../../cli/commands/diff/diffPreviews";
import { parsePreviewDocument } from "../../../../../cli/commands/diff/readPreviewDocument";
import { diffView } from "../../../../../cli/commands/diff/diffView";
import { renderDiffMarkdown } from "../../../../../cli/commands/diff/render/renderMarkdown";
import { renderDiffText } from "../../../../../cli/commands/diff/render/renderText";
import { PreviewDocument } from "../../../../../document/previewDocument";
import { container, documentOf, network } from "../../../../helpers/previewFixtures";
import { swarmShop } from "../../../../helpers/swarmPreviewFixtures";

/** The swarm shop with one network or container edited. */
function edited(edit: (document: PreviewDocument) => void): PreviewDocument {
    const document = swarmShop();
    edit(document);
    return documentOf(document.networks, document.containers);
}

function setNetwork(name: string, fields: Partial<PreviewDocument["networks"][number]>) {
    return (document: PreviewDocument) => {
        document.networks = document.networks.map((n) => (n.name === name ? { ...n, ...fields } : n));
    };
}

function setContainer(name: string, fields: Partial<PreviewDocument["containers"][number]>) {
    return (document: PreviewDocument) => {
        document.containers = document.containers.map((c) => (c.name === name ? { ...c, ...fields } : c));
    };
}

describe("cli/diff: swarm", () => {
    it("compares scope, attachable and encrypted, each replacing the network and its members", () => {
        const edits: [string, Partial<PreviewDocument["networks"][number]>][] = [
            ["scope", { scope: "local", driver: "overlay" }],
            ["attachable", { attachable: false }],
            ["encrypted", { encrypted: true }],
        ];
        for (const [field, edit] of edits) {
            const [change] = diffPreviews(swarmShop(), edited(setNetwork("web", edit))).networks.changed;
            assert.deepStrictEqual([change.name, change.fields, change.replaces, change.replacedContainers], ["web", [field], true, ["frontend", "probe", "api"]], field);
        }
    });

    it("scales a service in place, and replaces a workload whose kind or network mode changes", () => {
        const cases: [string, Partial<PreviewDocument["containers"][number]>, boolean][] = [
            ["replicas", { replicas: 5 }, false],
            ["replicas", { replicas: null }, false],
            ["kind", { kind: "container", replicas: null }, true],
            ["networkMode", { networkMode: "host" }, true],
        ];
        for (const [field, edit, replaces] of cases) {
            const [change] = diffPreviews(swarmShop(), edited(setContainer("queue", edit))).containers.changed;
            assert.deepStrictEqual([change.name, change.fields.includes(field as never), change.replaces], ["queue", true, replaces], `${field} ${JSON.stringify(edit)}`);
        }
        const [kindChange] = diffPreviews(swarmShop(), edited(setContainer("queue", { kind: "container", replicas: null }))).containers.changed;
        assert.deepStrictEqual(kindChange.fields, ["kind", "replicas"], "a container has no replicas: the count goes too");
    });

    it("says a scaled service is scaled, not replaced, in text and Markdown", () => {
        const view = diffView(swarmShop(), edited(setContainer("queue", { replicas: 5 })), "base", "head");
        assert.match(renderDiffText(view), /^ {2}~ queue: replicas 3 -> 5$/m);
        assert.doesNotMatch(renderDiffText(view), /replaced/);
        const markdown = renderDiffMarkdown(view);
        assert.match(markdown, /\| changed \| `queue` \| replicas `3` → `5` \|/);
        assert.doesNotMatch(markdown, /\[!WARNING\]/);
    });

    it("calls a replaced service a service", () => {
        const view = diffView(swarmShop(), edited(setContainer("queue", { networkMode: "host" })), "base", "head");
        assert.match(renderDiffMarkdown(view), /> Service `queue` \(network mode `\(not set\)` → `host`\) is \*\*replaced\*\*\./);
        assert.match(renderDiffText(view), /! replaced: the provider destroys service queue and creates it again/);
    });

    it("puts an overlay that loses its encryption, or comes without it, in the reviewer's headline", () => {
        const head = edited((document) => {
            setNetwork("order", { encrypted: false })(document);
            document.networks.push(network("audit", { scope: "swarm", driver: "overlay", subnet: "10.21.3.0/24", gateway: "10.21.3.1" }));
        });
        const view = diffView(swarmShop(), head, "base", "head");
        assert.deepStrictEqual(view.unencrypted, [
            { network: "order", change: "lost" },
            { network: "audit", change: "new" },
        ]);
        const markdown = renderDiffMarkdown(view);
        const headline = markdown.slice(markdown.indexOf("### First, for the reviewer"), markdown.indexOf("> [!WARNING]"));
        assert.match(headline, /- 🔓 \*\*2 overlay networks without encryption\*\*: traffic between swarm nodes travels as plain VXLAN .*:\n {2}- `order` loses its encryption\n {2}- `audit` is new and not encrypted\n/);
        const one = renderDiffMarkdown(diffView(swarmShop(), edited(setNetwork("order", { encrypted: false })), "base", "head"));
        assert.match(one, /- 🔓 \*\*Overlay network `order` loses its encryption\*\*: traffic between swarm nodes travels as plain VXLAN/);
        assert.doesNotMatch(headline, /`web`/, "web was not encrypted before either: nothing new to see");
        const text = renderDiffText(view);
        assert.match(text, /Overlay networks without encryption \(2\):\n {2}! order loses its encryption: .*\n {2}! audit is new and not encrypted/);
        assert.match(text, /~ order: encrypted yes -> no/);
    });

    it("says nothing about encryption when no overlay loses it", () => {
        const view = diffView(swarmShop(), edited(setNetwork("order", { internal: false })), "base", "head");
        assert.deepStrictEqual(view.unencrypted, []);
        assert.doesNotMatch(renderDiffMarkdown(view), /🔓/);
        assert.doesNotMatch(renderDiffText(view), /without encryption/);
    });

    it("names new services with their replicas", () => {
        const base = edited((document) => {
            document.containers = document.containers.filter((c) => c.name !== "queue");
        });
        const view = diffView(base, swarmShop(), "base", "head");
        assert.match(renderDiffMarkdown(view), /^- `queue` \(service ×3, on `order`\): reaches 2 containers/m);
        assert.match(renderDiffText(view), /^ {2}\+ queue \[service ×3\] on order$/m);
    });

    it("reads the routing mesh back from saved documents: Docker's ingress is no new unencrypted overlay, its endpoint no new bridge", () => {
        const head = edited((document) => {
            document.networks.push(network("ingress", { scope: "swarm", driver: "overlay", subnet: "10.0.0.0/24", gateway: "10.0.0.1", ingress: true }));
            const edge = container("edge", ["web", "ingress"], { kind: "service", replicas: 1 });
            edge.attachments[1] = { ...edge.attachments[1], routingMesh: true };
            document.containers.push(edge);
        });
        // As `netguard diff` reads them: from the JSON files the previews saved.
        const saved = (document: PreviewDocument) => parsePreviewDocument(JSON.parse(JSON.stringify(document)));
        assert.strictEqual(saved(head).networks.find((n) => n.name === "ingress")?.ingress, true);
        const view = diffView(saved(swarmShop()), saved(head), "base", "head");
        assert.deepStrictEqual(view.unencrypted, []);
        assert.deepStrictEqual(view.bridges, []);
        const markdown = renderDiffMarkdown(view);
        assert.doesNotMatch(markdown, /🔓/);
        assert.doesNotMatch(markdown, /without being declared dual-homed/);
    });
});
