/**
 * `pulumi package get-schema provider/` with the real CLI (scripts/pulumi-cli.sh).
 * The CLI runs a PulumiPlugin.yaml plugin through the Node.js language host's
 * RunPlugin, and pulumi-language-nodejs cannot be built here: the test's own
 * minimal host (./languageHost) goes on PATH for this one CLI run only, never
 * into the CLI's folder, where a nodejs language plugin would change how policy
 * packs start.
 *
 * `pulumi package gen-sdk --language python` needs pulumi-language-python,
 * which cannot be built here either, so the Python SDK comes from the same
 * generator it runs (pkg/v3/codegen/python, ./python/gen_python_sdk.go),
 * built in the CLI's wrapper module; Python's `pulumi` (the version of
 * @pulumi/pulumi) and the SDK's requirements are pip-installed once into
 * the CLI cache.
 */
import * as assert from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { pulumiCliFolder } from "../engine/pulumiEngine";
import { REPO_ROOT } from "../../helpers/netguardCli";

const run = promisify(execFile);

interface Schema {
    name: string;
    resources: Record<string, { isComponent?: boolean; inputProperties: Record<string, unknown>; properties: Record<string, unknown> }>;
}

describe("pulumi package get-schema provider/ (real CLI)", function () {
    this.timeout(600_000);
    let home: string;
    let schemaFile: string;

    before(() => {
        home = fs.mkdtempSync(path.join(os.tmpdir(), "netguard-get-schema-"));
    });
    after(() => fs.rmSync(home, { recursive: true, force: true }));

    it("lists the three components with their inputs and outputs", async () => {
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
        schemaFile = path.join(home, "schema.json");
        fs.writeFileSync(schemaFile, stdout);
        const schema = JSON.parse(stdout) as Schema;
        assert.strictEqual(schema.name, "netguard");
        const net = schema.resources["netguard:index:IsolatedServiceNet"];
        const dual = schema.resources["netguard:index:DualHomedContainer"];
        const dualService = schema.resources["netguard:index:DualHomedService"];
        assert.ok(net?.isComponent && dual?.isComponent && dualService?.isComponent, `components: ${Object.keys(schema.resources).join(", ")}`);
        assert.ok(["subnet", "gateway", "ipRange", "services", "scope", "encrypted", "attachable"].every((input) => input in net.inputProperties));
        assert.ok(["image", "attachments", "replicas", "serviceArgs"].every((input) => input in dualService.inputProperties));
        assert.ok(["serviceId", "dockerName"].every((output) => output in dualService.properties));
        assert.ok(["networkId", "subnet", "gateway", "containerNames"].every((output) => output in net.properties));
        assert.ok(["image", "attachments", "containerArgs"].every((input) => input in dual.inputProperties));
        assert.ok(["containerId", "dockerName"].every((output) => output in dual.properties));
    });

    it("gives a Python SDK that imports and constructs the three components under Pulumi's Python mocks", async () => {
        assert.ok(schemaFile, "needs the schema from the test above");
        const cli = await pulumiCliFolder();
        const cache = path.dirname(cli);
        const generator = await buildPythonGenerator(path.join(cache, "module"), home);
        const sdk = path.join(home, "sdk-python");
        await run(generator, [schemaFile, sdk]);
        const site = await pythonPackages(cache);
        const installed = path.join(home, "site");
        await run("python3", ["-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", "--no-index", "--target", installed, sdk], {
            env: { ...process.env, PYTHONPATH: site },
        });
        const { stdout } = await run("python3", [path.join(__dirname, "python", "construct_under_mocks.py")], {
            cwd: home,
            env: { ...process.env, PYTHONPATH: [installed, site].join(path.delimiter) },
        });
        const seen = JSON.parse(stdout.trim().split("\n").pop() ?? "") as {
            registered: { type: string; name: string; inputs: Record<string, unknown> }[];
            read: Record<string, string>;
        };
        const byName = new Map(seen.registered.map((r) => [`${r.type}::${r.name}`, r.inputs]));
        assert.deepStrictEqual(
            [...byName.keys()].sort(),
            [
                "netguard:index:DualHomedContainer::api",
                "netguard:index:DualHomedService::gw",
                "netguard:index:IsolatedServiceNet::core",
                "netguard:index:IsolatedServiceNet::edge",
                "netguard:index:IsolatedServiceNet::order",
                "netguard:index:IsolatedServiceNet::web",
            ],
        );
        const edge = byName.get("netguard:index:IsolatedServiceNet::edge");
        assert.deepStrictEqual([edge?.scope, edge?.attachable], ["swarm", true]);
        assert.deepStrictEqual(edge?.services, {
            proxy: { image: "nginx:1.27-alpine", replicas: 2, serviceArgs: { constraints: ["node.role==worker"] } },
        });
        assert.deepStrictEqual(byName.get("netguard:index:DualHomedService::gw")?.attachments, [{ net: "edge" }, { net: "core", aliases: ["gateway"] }]);
        assert.deepStrictEqual(byName.get("netguard:index:IsolatedServiceNet::order")?.services, {
            db: { image: "postgres:16-alpine", ipv4Address: "10.20.1.10", containerArgs: { restart: "always" } },
        });
        assert.deepStrictEqual(byName.get("netguard:index:DualHomedContainer::api")?.attachments, [
            { net: "web" },
            { net: "order", ipv4Address: "10.20.1.20" },
        ]);
        assert.strictEqual(seen.read.order_subnet, "10.20.1.0/24");
    });
});

/** Builds ./python/gen_python_sdk.go with the CLI wrapper module's go.mod (its replace lines and pins). */
async function buildPythonGenerator(cliModule: string, scratch: string): Promise<string> {
    const module = fs.mkdtempSync(path.join(scratch, "gen-"));
    for (const file of ["go.mod", "go.sum"]) fs.copyFileSync(path.join(cliModule, file), path.join(module, file));
    fs.writeFileSync(path.join(module, "go.mod"), fs.readFileSync(path.join(module, "go.mod"), "utf8").replace(/^module .*$/m, "module netguard.local/python-sdk"));
    fs.copyFileSync(path.join(__dirname, "python", "gen_python_sdk.go"), path.join(module, "main.go"));
    const binary = path.join(module, "gen");
    await run("go", ["build", "-o", binary, "."], { cwd: module, env: { ...process.env, GOFLAGS: "-mod=mod" }, maxBuffer: 16 * 1024 * 1024 });
    return binary;
}

/** Python's pulumi at @pulumi/pulumi's version, and what a generated SDK needs, installed once beside the CLI. */
async function pythonPackages(cache: string): Promise<string> {
    const version = (require("@pulumi/pulumi/package.json") as { version: string }).version;
    const site = path.join(cache, `python-pulumi-${version}`);
    if (!fs.existsSync(path.join(site, "pulumi", "__init__.py"))) {
        await run("python3", ["-m", "pip", "install", "-q", "--target", site, `pulumi==${version}`, "parver", "semver", "setuptools", "wheel"], {
            maxBuffer: 16 * 1024 * 1024,
        });
    }
    return site;
}
