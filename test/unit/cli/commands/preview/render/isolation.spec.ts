import * as assert from "assert";
import { ContainerEntry, PreviewDocument } from "../../../../../../document/previewDocument";
import { isolationLines } from "../../../../../../cli/commands/preview/render/reachabilitySummary";

/** A container entry on `networks`, with only what the isolation summary reads. */
function on(name: string, ...networks: string[]): ContainerEntry {
    return { name, attachments: networks.map((network) => ({ network, aliases: [], ipv4Address: null })) } as unknown as ContainerEntry;
}

const pair = (from: string, to: string, network: string) => ({ from, to, networks: [network], byName: true });

describe("preview: the isolation summary", () => {
    it("says two networks are isolated and names the one container on both (the example's point)", () => {
        const doc: Pick<PreviewDocument, "containers" | "reachability"> = {
            containers: [on("db", "order"), on("api", "order", "web"), on("web", "web")],
            reachability: [pair("db", "api", "order"), pair("api", "db", "order"), pair("api", "web", "web"), pair("web", "api", "web")],
        };
        assert.deepStrictEqual(isolationLines(doc), ["order and web: isolated: nothing only on one reaches anything only on the other; only api is on both"]);
    });

    it("counts pairs that cross, and says when no container bridges", () => {
        const doc = { containers: [on("a", "x"), on("b", "y")], reachability: [pair("a", "b", "bridge")] };
        assert.deepStrictEqual(isolationLines(doc), ["x and y: 1 pairs reach across; no container is on both"]);
    });

    it("stops at twenty network pairs and counts the rest", () => {
        const containers = Array.from({ length: 8 }, (_, i) => on(`c${i}`, `n${i}`));
        const lines = isolationLines({ containers, reachability: [] });
        assert.strictEqual(lines.length, 21);
        assert.match(lines[20], /^…and 8 more pairs of networks/);
    });
});
