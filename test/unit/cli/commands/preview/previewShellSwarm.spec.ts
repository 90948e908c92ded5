/**
 * A swarm declared with docker command lines, end to end through `netguard
 * preview`: overlay networks with their scope, attachability and encryption,
 * services with their replicas and aliases, reachability between services
 * of one overlay, and the lines that cannot be judged.
 */
import * as assert from "assert";
import { PreviewDocument } from "../../../../../document/previewDocument";
import { mermaidBlocks } from "../../../../helpers/markdownInspect";
import { netguard, netguardJson } from "../../../../helpers/netguardCli";

const PROGRAM = "test/programs/shell-swarm";

describe("netguard preview: a swarm on command lines", function () {
    this.timeout(300_000);
    let json: { status: number | null; doc: PreviewDocument; stderr: string };
    before(() => {
        json = netguardJson<PreviewDocument>(["preview", PROGRAM]);
    });

    it("reads the overlay networks as swarm networks, encrypted, one attachable, and finds nothing to blame", () => {
        assert.deepStrictEqual(
            json.doc.networks.map(({ name, driver, scope, attachable, encrypted, subnet }) => ({ name, driver, scope, attachable, encrypted, subnet })),
            [
                { name: "shop-order", driver: "overlay", scope: "swarm", attachable: false, encrypted: true, subnet: "10.42.1.0/24" },
                { name: "shop-web", driver: "overlay", scope: "swarm", attachable: true, encrypted: true, subnet: "10.42.2.0/24" },
            ],
            json.stderr,
        );
        assert.deepStrictEqual(json.doc.violations, []);
        assert.strictEqual(json.status, 0);
    });

    it("reads each service as one node with its replicas, networks and aliases", () => {
        assert.deepStrictEqual(
            json.doc.containers.map(({ name, kind, replicas, attachments }) => ({ name, kind, replicas, attachments: attachments.map((a) => [a.network, a.aliases]) })),
            [
                { name: "shop-db", kind: "service", replicas: 1, attachments: [["shop-order", ["orders-db"]]] },
                { name: "shop-worker", kind: "service", replicas: 3, attachments: [["shop-order", []]] },
                { name: "shop-front", kind: "service", replicas: null, attachments: [["shop-web", []]] },
                { name: "shop-extra", kind: "service", replicas: 1, attachments: [["(unknown)", []]] },
            ],
        );
        const pairs = json.doc.reachability.filter((pair) => pair.networks.includes("shop-order")).map((pair) => `${pair.from} -> ${pair.to} ${pair.byName}`);
        assert.deepStrictEqual(pairs, ["shop-db -> shop-worker true", "shop-worker -> shop-db true"]);
    });

    it("lists the lines it cannot judge: an unknown network, a mode the CLI refuses, a stack file", () => {
        assert.deepStrictEqual(
            json.doc.notJudged.map(({ name, line, reason }) => [name, line, reason.replace(/:.*$/, "")]),
            [
                ["swarm-services", 4, "--network is unknown ($EXTRA_NET)"],
                ["swarm-services", 5, "the docker CLI refuses this command (Unknown mode"],
                ["swarm-services", 6, "docker stack deploy is not judged"],
            ],
        );
    });

    it("draws the overlays and the services in Markdown", () => {
        const [mermaid] = mermaidBlocks(netguard(["preview", PROGRAM, "--markdown"]).stdout);
        assert.match(mermaid, /subgraph net_shop_order \["shop-order<br\/>10\.42\.1\.0\/24, overlay #183; encrypted"\]/);
        assert.match(mermaid, /ctr_shop_worker\(\["shop-worker<br\/>service #215;3"\]\)/);
        assert.match(mermaid, /ctr_shop_front\(\["shop-front<br\/>service #215; #63;"\]\)/);
    });
});
