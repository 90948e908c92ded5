import * as assert from "assert";
import { ChildProcessWithoutNullStreams, spawn } from "child_process";
import * as grpc from "@grpc/grpc-js";
import * as analyzerGrpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzerProto from "@pulumi/pulumi/proto/analyzer_pb";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { REPO_ROOT } from "../../helpers/netguardCli";

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
            assert.match(await announcedPort(child), /^\d{2,5}$/);
        } finally {
            child.kill();
        }
    });

    it("judges a secret by its value and prints [secret] in its place, as the engine's analyzer hands it over", async () => {
        const child = spawn(process.execPath, ["--import", "tsx", path.join(REPO_ROOT, "policies", "index.ts")], { cwd: REPO_ROOT });
        try {
            const port = await announcedPort(child);
            const secret = (value: unknown) => ({ [specialSigKey]: specialSecretSig, value });
            const messages = await analyze(port, "docker:index/network:Network", "public-net", {
                name: "public-net",
                ipamConfigs: [{ subnet: secret("192.169.0.0/24"), gateway: secret("192.169.0.1") }],
            });
            const privateRange = messages.filter((message) => message.includes("not private address space"));
            assert.strictEqual(privateRange.length, 1, messages.join("\n"));
            assert.match(privateRange[0], /uses subnet \[secret\]/);
            assert.ok(messages.every((message) => !message.includes("192.169")), messages.join("\n"));
        } finally {
            child.kill();
        }
    });
});

/** The port a pack announces on its first line of stdout. */
function announcedPort(child: ChildProcessWithoutNullStreams): Promise<string> {
    return new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout.on("data", (chunk) => {
            out += chunk;
            if (out.includes("\n")) resolve(out.split("\n")[0].trim());
        });
        child.on("exit", (code) => reject(new Error(`pack exited with ${code} before announcing a port`)));
        setTimeout(() => reject(new Error("no port announced within 30 s")), 30_000);
    });
}

/** Sends one AnalyzeRequest, as the engine does for a resource (properties in wire form), and returns the diagnostics' messages. */
function analyze(port: string, type: string, name: string, properties: Record<string, unknown>): Promise<string[]> {
    const client = new analyzerGrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    const request = new analyzerProto.AnalyzeRequest();
    request.setType(type);
    request.setName(name);
    request.setUrn(`urn:pulumi:dev::secret-test::${type}::${name}`);
    request.setProperties(Struct.fromJavaScript(properties as never));
    request.setOptions(new analyzerProto.AnalyzerResourceOptions());
    return new Promise((resolve, reject) => {
        client.analyze(request, (err: Error | null, response?: { getDiagnosticsList(): { getMessage(): string }[] }) => {
            client.close();
            if (err || !response) reject(err ?? new Error("no response"));
            else resolve(response.getDiagnosticsList().map((diagnostic) => diagnostic.getMessage()));
        });
    });
}
