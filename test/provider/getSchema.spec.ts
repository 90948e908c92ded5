/**
 * `pulumi package get-schema provider/` with the real CLI (scripts/pulumi-cli.sh).
 * The CLI runs a PulumiPlugin.yaml plugin through the Node.js language host's
 * RunPlugin, and pulumi-language-nodejs cannot be built here: the test's own
 * minimal host (./languageHost) goes on PATH for this one CLI run only, never
 * into the CLI's folder, where a nodejs language plugin would change how policy
 * packs start.
 */
import * as assert from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { pulumiCliFolder } from "../engine/pulumiEngine";
import { REPO_ROOT } from "../helpers/netguardCli";

const run = promisify(execFile);

interface Schema {
    name: string;
    resources: Record<string, { isComponent?: boolean; inputProperties: Record<string, unknown>; properties: Record<string, unknown> }>;
}

describe("pulumi package get-schema provider/ (real CLI)", function () {
    this.timeout(600_000);
    let home: string;

    before(() => {
        home = fs.mkdtempSync(path.join(os.tmpdir(), "netguard-get-schema-"));
    });
    after(() => fs.rmSync(home, { recursive: true, force: true }));

    it("lists both components with their inputs and outputs", async () => {
        const cli = await pulumiCliFolder();
        assert.ok(!fs.existsSync(path.join(cli, "pulumi-language-nodejs")), `${cli} must hold no nodejs language plugin`);
        const { stdout } = await run(path.join(cli, "pulumi"), ["package", "get-schema", path.join(REPO_ROOT, "provider")], {
            // Not the repository: its Pulumi.yaml is a project the CLI would load.
            cwd: home,
            env: {
                ...process.env,
                PATH: [path.join(__dirname, "languageHost"), cli, process.env.PATH].join(path.delimiter),
                PULUMI_HOME: home,
                PULUMI_SKIP_UPDATE_CHECK: "true",
            },
            maxBuffer: 16 * 1024 * 1024,
        });
        const schema = JSON.parse(stdout) as Schema;
        assert.strictEqual(schema.name, "netguard");
        const net = schema.resources["netguard:index:IsolatedServiceNet"];
        const dual = schema.resources["netguard:index:DualHomedContainer"];
        assert.ok(net?.isComponent && dual?.isComponent, `components: ${Object.keys(schema.resources).join(", ")}`);
        assert.ok(["subnet", "gateway", "ipRange", "services"].every((input) => input in net.inputProperties));
        assert.ok(["networkId", "subnet", "gateway", "containerNames"].every((output) => output in net.properties));
        assert.ok(["image", "attachments", "containerArgs"].every((input) => input in dual.inputProperties));
        assert.ok(["containerId", "dockerName"].every((output) => output in dual.properties));
    });
});
