import * as assert from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { REPO_ROOT } from "./helpers/netguardCli";

describe("policies/ as a CrossGuard pack", () => {
    it("has PulumiPolicy.yaml with the nodejs runtime and a versioned package.json", () => {
        const manifest = yaml.load(fs.readFileSync(path.join(REPO_ROOT, "policies", "PulumiPolicy.yaml"), "utf8")) as { runtime: string };
        assert.strictEqual(manifest.runtime, "nodejs");
        const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "policies", "package.json"), "utf8"));
        assert.match(pkg.version, /^\d+\.\d+\.\d+$/);
        assert.ok(pkg.dependencies["@pulumi/policy"]);
    });

    it("starts the analyzer server and announces its port, as the Pulumi CLI expects", async () => {
        const child = spawn(process.execPath, ["--import", "tsx", path.join(REPO_ROOT, "policies", "index.ts")], { cwd: REPO_ROOT });
        try {
            const firstLine = await new Promise<string>((resolve, reject) => {
                let out = "";
                child.stdout.on("data", (chunk) => {
                    out += chunk;
                    if (out.includes("\n")) resolve(out.split("\n")[0]);
                });
                child.on("exit", (code) => reject(new Error(`pack exited with ${code} before announcing a port`)));
                setTimeout(() => reject(new Error("no port announced within 30 s")), 30_000);
            });
            assert.match(firstLine.trim(), /^\d{2,5}$/);
        } finally {
            child.kill();
        }
    });
});
