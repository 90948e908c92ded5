/**
 * A Pulumi program whose Command runs `docker compose up` on the compose.yaml
 * beside it, end to end through `netguard preview`: the project's networks
 * and containers join the topology with Docker's names, the rules judge them
 * and report on the Command, in Compose's words.
 */
import * as assert from "assert";
import * as path from "path";
import { PreviewDocument } from "../../../../../document/previewDocument";
import { REPO_ROOT, netguardJson } from "../../../../helpers/netguardCli";

const FIXTURE = path.join(REPO_ROOT, "test", "fixtures", "compose-command");

describe("netguard preview: a Command running docker compose up", function () {
    this.timeout(300_000);
    let json: { status: number | null; doc: PreviewDocument; stderr: string };
    before(() => {
        json = netguardJson<PreviewDocument>(["preview", "index.ts"], { cwd: FIXTURE });
    });

    it("judges the project the Command brings up, with Docker's names, on the Command", () => {
        assert.deepStrictEqual(json.doc.containers.map((c) => c.name).sort(), ["shop-db-1", "shop-web-1"], json.stderr);
        assert.deepStrictEqual(json.doc.networks.map((n) => n.name), ["shop_default"]);
        const verdicts = json.doc.violations.map((v) => `${v.policy} ${v.name}`).sort();
        assert.deepStrictEqual(verdicts, ["docker-network-explicit-ipam shop", "docker-no-legacy-links shop", "docker-published-port-bound shop"]);
        assert.strictEqual(json.status, 1, "mandatory violations");
        assert.deepStrictEqual(json.doc.notJudged, []);
    });
});
