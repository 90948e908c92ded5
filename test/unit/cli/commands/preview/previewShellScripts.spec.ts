/**
 * Command resources' scripts read as a shell reads them, end to end through
 * `netguard preview`: a heredoc of data is no violation, commands run
 * through `bash <<EOF`, `timeout` and `sudo` are judged, and what cannot be
 * judged is listed in the JSON (`notJudged`) and the text view.
 */
import * as assert from "assert";
import { PreviewDocument } from "../../../../../document/previewDocument";
import { netguard, netguardJson } from "../../../../helpers/netguardCli";

const PROGRAM = "test/programs/shell-scripts";

describe("netguard preview: shell scripts of command resources", function () {
    this.timeout(300_000);
    let json: { status: number | null; doc: PreviewDocument; stderr: string };
    before(() => {
        json = netguardJson<PreviewDocument>(["preview", PROGRAM]);
    });

    it("judges the commands a shell would run, and not a heredoc's data", () => {
        assert.deepStrictEqual(
            json.doc.violations.map((v) => `${v.policy} ${v.name}: ${/container "(\w+)"/.exec(v.message)?.[1]}`),
            ["docker-no-default-bridge nested: web"],
            json.stderr,
        );
        assert.strictEqual(json.status, 1);
        const api = json.doc.containers.find((c) => c.name === "api");
        assert.deepStrictEqual(api?.attachments.map((a) => a.network), ["app"], "bash <<'EOF' runs its body, NET comes from environment");
    });

    it("lists the lines it cannot judge, with resource, line, excerpt and reason", () => {
        assert.deepStrictEqual(
            json.doc.notJudged.map(({ name, field, line, excerpt }) => ({ name, field, line, excerpt })),
            [
                { name: "nested", field: "create", line: 7, excerpt: "$DOCKER run -d --network app nginx" },
                { name: "nested", field: "create", line: 8, excerpt: "podman run -d nginx" },
            ],
        );
        assert.ok(json.doc.notJudged.every((entry) => entry.resource.endsWith("command:local:Command::nested")));
        assert.match(json.doc.notJudged[0].reason, /program it runs is unknown \(\$DOCKER\)/);
        assert.match(json.doc.notJudged[1].reason, /podman is not judged/);
    });

    it("shows them in the text view", () => {
        const text = netguard(["preview", PROGRAM]);
        assert.match(text.stdout, /Not judged \(2 command lines\)\nnested create line 7: the program it runs is unknown \(\$DOCKER\)\n {4}\$DOCKER run -d --network app nginx\n/);
        assert.match(text.stdout, /nested create line 8: podman is not judged/);
    });
});
