/**
 * `netguard preview` refuses what `pulumi preview` refuses: a program that
 * does not type-check or imports a module that is not there, and a stack
 * named on the command line that has no `Pulumi.<stack>.yaml`.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { netguard, REPO_ROOT } from "../../../../helpers/netguardCli";

/** A project folder outside the repository, resolving packages from the repository's node_modules. */
function project(files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "netguard-like-pulumi-"));
    fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: like-pulumi\nruntime: nodejs\n");
    fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true, skipLibCheck: true } }));
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    return dir;
}

const NETWORK = `import * as docker from "@pulumi/docker";
new docker.Network("n", { ipamConfigs: [{ subnet: "10.70.0.0/24", gateway: "10.70.0.1" }] });
`;

describe("netguard preview checks the program as pulumi preview does", () => {
    const dirs: string[] = [];
    const make = (files: Record<string, string>) => {
        const dir = project(files);
        dirs.push(dir);
        return dir;
    };
    after(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

    it("runs a program that type-checks, with the default stack and no Pulumi.dev.yaml", () => {
        const result = netguard(["preview", "index.ts"], { cwd: make({ "index.ts": NETWORK }) });
        assert.strictEqual(result.status, 0, result.stderr);
        assert.match(result.stdout, /Networks \(1\)/);
    });

    it("exits 2 with the compiler's message on a type error", () => {
        const result = netguard(["preview", "index.ts"], { cwd: make({ "index.ts": `${NETWORK}const port: number = "80";\nexport { port };\n` }) });
        assert.strictEqual(result.status, 2, result.stdout);
        assert.match(result.stderr, /index\.ts\(3,7\): error TS2322: Type 'string' is not assignable to type 'number'\./);
        assert.strictEqual(result.stdout, "");
    });

    it("exits 2 on an import that does not resolve", () => {
        const result = netguard(["preview", "index.ts"], { cwd: make({ "index.ts": `import { Missing } from "./missing";\nexport const x = Missing;\n` }) });
        assert.strictEqual(result.status, 2);
        assert.match(result.stderr, /index\.ts\(1,25\): error TS2307: Cannot find module '\.\/missing'/);
    });

    it("checks again once a program that passed has changed", () => {
        const dir = make({ "index.ts": NETWORK });
        assert.strictEqual(netguard(["preview"], { cwd: dir }).status, 0);
        fs.appendFileSync(path.join(dir, "index.ts"), `export const broken: string = 1;\n`);
        const result = netguard(["preview"], { cwd: dir });
        assert.strictEqual(result.status, 2);
        assert.match(result.stderr, /error TS2322/);
    });

    it("skips the check like Pulumi with PULUMI_NODEJS_TRANSPILE_ONLY=true", () => {
        const dir = make({ "index.ts": `${NETWORK}export const port: number = "80" as unknown as number;\nconst unused: number = "x" as never;\n` });
        assert.strictEqual(netguard(["preview"], { cwd: dir, env: { PULUMI_NODEJS_TRANSPILE_ONLY: "true" } }).status, 0);
    });

    it("exits 2 naming Pulumi.<stack>.yaml when --stack names a stack without one", () => {
        const dir = make({ "index.ts": NETWORK });
        const result = netguard(["preview", "--stack", "prod"], { cwd: dir });
        assert.strictEqual(result.status, 2);
        assert.ok(result.stderr.includes(`stack "prod" has no config file ${path.join(dir, "Pulumi.prod.yaml")}`), result.stderr);
        fs.writeFileSync(path.join(dir, "Pulumi.prod.yaml"), "config: {}\n");
        assert.strictEqual(netguard(["preview", "--stack", "prod"], { cwd: dir }).status, 0);
    });

    it("prints the package's version with --version", () => {
        const { version } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string };
        const result = netguard(["--version"]);
        assert.strictEqual(result.status, 0);
        assert.strictEqual(result.stdout.trim(), version);
    });
});
