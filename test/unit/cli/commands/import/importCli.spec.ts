/**
 * `netguard import` as a user runs it: the program on stdout or in --out,
 * exit 2 with one clear paragraph for a Compose file Compose rejects, an
 * engine that does not answer, or a command line that names no source.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REPO_ROOT, netguard } from "../../../../helpers/netguardCli";

const fixture = (name: string) => path.join(REPO_ROOT, "test", "fixtures", "compose", name, "compose.yaml");

describe("netguard import on the command line", function () {
    this.timeout(120_000);

    it("prints the program on stdout, and writes it to --out with a summary", () => {
        const printed = netguard(["import", fixture("tutorial")]);
        assert.strictEqual(printed.status, 0, printed.stderr);
        assert.match(printed.stdout, /^\/\/ Written by `netguard import` from .*tutorial\/compose\.yaml \(Compose project tutorial\)\./);
        assert.match(printed.stdout, /new IsolatedServiceNet\("bridge"/);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "netguard-import-cli-"));
        try {
            const out = path.join(dir, "index.ts");
            const written = netguard(["import", fixture("tutorial"), "--out", out]);
            assert.strictEqual(written.status, 0, written.stderr);
            assert.strictEqual(fs.readFileSync(out, "utf8"), printed.stdout);
            assert.match(written.stdout, /^wrote .*index\.ts: 2 nets, 4 containers \(0 dual-homed\), \d+ notes; check it with netguard preview/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("is exit 2 with Compose's reason for a file Compose rejects", () => {
        const result = netguard(["import", fixture("bad-service-key")]);
        assert.strictEqual(result.status, 2, result.stderr);
        assert.match(result.stderr, /^netguard: .*bad-service-key\/compose\.yaml/);
        assert.doesNotMatch(result.stderr, /\n\s+at /, "no stack trace");
        assert.strictEqual(result.stdout, "");
    });

    it("is exit 2 naming where it looked when no engine answers", () => {
        const socket = path.join(os.tmpdir(), `netguard-no-engine-${process.pid}.sock`);
        const result = netguard(["import", "--from-engine", "--label", "app=shop"], { env: { DOCKER_HOST: `unix://${socket}` } });
        assert.strictEqual(result.status, 2, result.stderr);
        assert.match(result.stderr, new RegExp(`no Docker engine answers at unix://${socket.replace(/[.]/g, "\\.")} \\(DOCKER_HOST\\)`));
        assert.strictEqual(result.stdout, "");
    });

    it("is exit 2 for a command line with no source, or two", () => {
        const none = netguard(["import"]);
        assert.strictEqual(none.status, 2);
        assert.match(none.stderr, /import needs a Compose file \(netguard import compose\.yaml\) or --from-engine/);
        const both = netguard(["import", fixture("tutorial"), "--from-engine"]);
        assert.strictEqual(both.status, 2);
        assert.match(both.stderr, /a Compose project or --from-engine, not both/);
        const labelled = netguard(["import", fixture("tutorial"), "--label", "a=b"]);
        assert.strictEqual(labelled.status, 2);
        assert.match(labelled.stderr, /--label scopes --from-engine only/);
    });
});
