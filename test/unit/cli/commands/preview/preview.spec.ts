import * as assert from "assert";
import { PreviewDocument } from "../../../../../document/previewDocument";
import { netguard, netguardJson } from "../../../../helpers/netguardCli";

describe("netguard preview", () => {
    let example: { status: number | null; doc: PreviewDocument };
    before(() => {
        example = netguardJson<PreviewDocument>(["preview", "index.ts"]);
    });

    it("previews the example stack with exit 0 and no violation", () => {
        assert.strictEqual(example.status, 0);
        assert.deepStrictEqual(example.doc.violations, []);
    });

    it("prints the documented JSON shape", () => {
        assert.deepStrictEqual(Object.keys(example.doc).sort(), [
            "containers", "engine", "networks", "notJudged", "outputs", "reachability", "resources", "source", "summary", "violations",
        ]);
        assert.deepStrictEqual(example.doc.notJudged, []);
        assert.deepStrictEqual(example.doc.engine, { version: "29.x", semantics: "29" });
        assert.deepStrictEqual(example.doc.source, { program: "index.ts", project: "docker-netguard-example", stack: "dev", offline: true });
        assert.deepStrictEqual(example.doc.summary, { schemaVersion: 1, policiesChecked: 13, mandatory: 0, advisory: 0, notJudged: 0 });
        assert.ok(example.doc.outputs && "networks" in example.doc.outputs, "the stack outputs");
        const network = example.doc.resources.find((r) => r.type === "docker:index/network:Network" && r.name === "order");
        assert.ok(network && network.urn.startsWith("urn:pulumi:dev::docker-netguard-example::"));
        assert.ok(network.parent?.includes("netguard:index:IsolatedServiceNet"));
        assert.deepStrictEqual(
            example.doc.networks.find((n) => n.name === "order"),
            {
                name: "order",
                dockerName: "docker-netguard-example-dev-order",
                driver: "bridge",
                subnet: "10.20.1.0/24",
                gateway: "10.20.1.1",
                ipRange: "10.20.1.128/25",
                internal: true,
                interContainer: true,
                scope: "local",
                attachable: false,
                encrypted: false,
            },
        );
        assert.deepStrictEqual(example.doc.containers.find((c) => c.name === "order-db")?.attachments, [
            { network: "order", aliases: ["db", "postgres"], ipv4Address: "10.20.1.10" },
        ]);
        const api = example.doc.containers.find((c) => c.name === "api");
        assert.deepStrictEqual([api?.kind, api?.replicas, api?.networkMode], ["container", null, null]);
        assert.deepStrictEqual(api?.attachments.map((a) => a.network), ["web", "order"]);
    });

    it("lets the web tier reach the order tier only through the API", () => {
        const pairs = new Set(example.doc.reachability.map((p) => `${p.from}>${p.to}`));
        for (const orderMember of ["order-db", "order-cache", "order-queue"]) {
            assert.ok(!pairs.has(`web-frontend>${orderMember}`), `web-frontend must not reach ${orderMember}`);
            assert.ok(pairs.has(`api>${orderMember}`));
            assert.ok(pairs.has(`${orderMember}>api`));
        }
        assert.ok(pairs.has("web-frontend>api") && pairs.has("api>web-frontend"));
        const containers = example.doc.reachability.filter((p) => p.from !== "@host");
        assert.ok(containers.every((p) => p.byName));
        assert.strictEqual(containers.length, 14);
        // The host reaches every container by IP over its bridges, as the audit predicts and measures it.
        const fromHost = example.doc.reachability.filter((p) => p.from === "@host");
        assert.deepStrictEqual(fromHost.map((p) => p.to).sort(), example.doc.containers.map((c) => c.name).sort());
        assert.ok(fromHost.every((p) => !p.byName));
    });

    it("prints tables by default", () => {
        const result = netguard(["preview"]);
        assert.strictEqual(result.status, 0, result.stderr);
        assert.match(result.stdout, /Networks \(2\)/);
        assert.match(result.stdout, /order\s+docker-netguard-example-dev-order\s+10\.20\.1\.0\/24/);
        assert.match(result.stdout, /api \[dual-homed\]/);
        assert.match(result.stdout, /Policy violations \(0 mandatory, 0 advisory\)/);
    });

    it("exits 2 with the component, field and value for bad input, without a stack trace", () => {
        const result = netguard(["preview", "test/programs/bad-input/index.ts"]);
        assert.strictEqual(result.status, 2);
        assert.strictEqual(result.stdout, "");
        assert.match(result.stderr, /IsolatedServiceNet "billing": gateway = "10\.41\.0\.1": is outside the subnet 10\.40\.0\.0\/24/);
        assert.doesNotMatch(result.stderr, /\n\s+at /, "no stack trace");
    });

    it("shows the stack trace of a failure with --debug", () => {
        const result = netguard(["preview", "test/programs/bad-input/index.ts", "--debug"]);
        assert.strictEqual(result.status, 2);
        assert.match(result.stderr, /\n\s+at /);
    });

    it("exits 2 when the program fails inside an apply", () => {
        const result = netguard(["preview", "test/programs/throws-in-apply/index.ts"]);
        assert.strictEqual(result.status, 2);
        assert.match(result.stderr, /the database password is not configured/);
    });

    it("exits 2 for a program that does not exist, saying where it looked", () => {
        const result = netguard(["preview", "nowhere/index.ts"]);
        assert.strictEqual(result.status, 2);
        assert.match(result.stderr, /program nowhere\/index\.ts does not exist/);
    });

    it("exits 2 for an unknown option", () => {
        assert.strictEqual(netguard(["preview", "--frobnicate"]).status, 2);
    });
});
