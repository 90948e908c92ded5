/**
 * Values unknown during a real `pulumi preview` are never
 * guessed. Outputs of resources that do not exist yet (a Command's stdout, an
 * id, `networkDatas`, anything an apply derives from them) are unknown: their
 * apply callbacks are skipped and the policies see UNKNOWN. Plain inputs stay
 * known.
 */
import * as assert from "assert";
import * as command from "@pulumi/command";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import fc from "fast-check";
import { IsolatedServiceNet } from "../../../../../components";
import { predictAddresses } from "../../../../../cli/commands/preview/predictedAddresses";
import { UNKNOWN_SENTINEL } from "../../../../../policies/analyzerProps";
import { RegisteredResource } from "../../../../../policies/engineArgs";
import { evaluatePolicies } from "../../../../../policies/evaluate";
import { policies } from "../../../../../policies/pack";
import { CONTAINER_TYPE, NETWORK_TYPE } from "../../../../../readers/pulumi/resourceFields";
import { netguard } from "../../../../helpers/netguardCli";
import { findResource, runInline } from "../../../../helpers/runInline";

/** Outputs a real preview cannot know: each built inside a program run. */
const UNKNOWN_SOURCES: Record<string, () => pulumi.Output<string | undefined>> = {
    "a Command's stdout": () => new command.local.Command("probe", { create: "echo 10.70.0.0/24" }).stdout,
    "a network's id": () => new docker.Network("other", { ipamConfigs: [{ subnet: "10.71.0.0/24", gateway: "10.71.0.1" }] }).id,
    "a container's networkDatas": () =>
        new docker.Container("peer", { image: "x", networksAdvanced: [{ name: "peer-net" }] }).networkDatas.apply((datas) => datas?.[0]?.ipAddress),
};

/** What a program may do with such a value: string methods that crash on undefined, fallbacks that guess. */
const DERIVATIONS: Record<string, (value: string | undefined) => string> = {
    "trims it": (value) => value!.trim(),
    "falls back to the default bridge": (value) => value?.trim() || "bridge",
    "falls back to a public subnet": (value) => (value ? value.split("\n")[0] : "192.169.0.0/16"),
    "uses it as it is": (value) => value as string,
};

/** Where the derived value goes, in an otherwise clean stack. */
const TARGETS: Record<string, { field: string; declare: (value: pulumi.Output<string>) => void; read: (inputs: Record<string, unknown>) => unknown }> = {
    "a network's subnet": {
        field: "ipamConfigs",
        declare: (value) => new docker.Network("target", { name: "target", ipamConfigs: [{ subnet: value, gateway: "10.72.0.1" }] }),
        read: (inputs) => (inputs.ipamConfigs as Record<string, unknown>[])[0].subnet,
    },
    "a container's networkMode": {
        field: "networkMode",
        declare: (value) => new docker.Container("target", { name: "target", image: "x", networkMode: value }),
        read: (inputs) => inputs.networkMode,
    },
    "a container's network name": {
        field: "networksAdvanced",
        declare: (value) => new docker.Container("target", { name: "target", image: "x", networksAdvanced: [{ name: value }] }),
        read: (inputs) => (inputs.networksAdvanced as Record<string, unknown>[])[0].name,
    },
};

describe("values unknown during a preview", () => {
    it("are never guessed: their applies are skipped, the policies see them unknown, no mandatory violation comes from them", async () => {
        await fc.assert(
            fc.asyncProperty(
                fc.constantFrom(...Object.keys(UNKNOWN_SOURCES)),
                fc.constantFrom(...Object.keys(DERIVATIONS)),
                fc.constantFrom(...Object.keys(TARGETS)),
                async (source, derivation, targetName) => {
                    const target = TARGETS[targetName];
                    let callbacks = 0;
                    const { resources } = await runInline(() => {
                        const derived = UNKNOWN_SOURCES[source]().apply((value) => {
                            callbacks++;
                            return DERIVATIONS[derivation](value);
                        });
                        target.declare(derived);
                    });
                    assert.strictEqual(callbacks, 0, "an apply on an unknown value does not run during a preview");
                    const recorded = resources.find((r) => r.name === "target");
                    assert.ok(recorded, "the target resource is registered");
                    assert.strictEqual(target.read(recorded.inputs), UNKNOWN_SENTINEL);
                    const mandatory = (await evaluatePolicies(policies, resources))
                        .filter((violation) => violation.level === "mandatory" && violation.resource === recorded.urn);
                    assert.deepStrictEqual(mandatory, []);
                },
            ),
            { numRuns: 24 },
        );
    });

    it("leaves plain inputs and the components' own fields known", async () => {
        let net: IsolatedServiceNet | undefined;
        const { resources } = await runInline(() => {
            net = new IsolatedServiceNet("order", { subnet: "10.20.1.0/24", services: { db: { image: "postgres", ipv4Address: "10.20.1.10" } } });
        });
        assert.strictEqual(net!.subnet, "10.20.1.0/24");
        assert.strictEqual(net!.gateway, "10.20.1.1");
        const network = findResource(resources, NETWORK_TYPE, "order");
        assert.deepStrictEqual(network.inputs.ipamConfigs, [{ subnet: "10.20.1.0/24", gateway: "10.20.1.1" }]);
        const db = findResource(resources, CONTAINER_TYPE, "order-db");
        assert.deepStrictEqual(db.inputs.networksAdvanced, [{ name: "netguard-test-test-order", aliases: ["db"], ipv4Address: "10.20.1.10" }]);
    });

    it("records each resource's state as the preview resolves it: inputs known, computed outputs absent", async () => {
        const { resources } = await runInline(() => {
            const cmd = new command.local.Command("probe", { create: "echo hi" });
            new docker.Network("n", { name: cmd.stdout, ipamConfigs: [{ subnet: "10.73.0.0/24", gateway: "10.73.0.1" }] });
        });
        const probe = findResource(resources, "command:local:Command", "probe");
        assert.strictEqual(probe.outputs?.create, "echo hi");
        assert.ok(!("stdout" in (probe.outputs ?? {})), "stdout is computed: unknown during a preview");
        const network = findResource(resources, NETWORK_TYPE, "n");
        assert.strictEqual(network.outputs?.name, UNKNOWN_SENTINEL);
        assert.deepStrictEqual(network.outputs?.ipamConfigs, [{ subnet: "10.73.0.0/24", gateway: "10.73.0.1" }]);
    });

    it("shows stack outputs unknown during a preview as unknown, not as predicted addresses", () => {
        const result = netguard(["preview"]);
        assert.strictEqual(result.status, 0, result.stderr);
        assert.match(result.stdout, /addresses: "\(unknown during preview\)"/);
        assert.match(result.stdout, /"subnet": "10\.20\.1\.0\/24"/, "plain values stay known");
        // The preview's own view may still say which address Docker would likely hand out.
        assert.match(result.stdout, /order-cache\s+order\s+cache, redis\s+dynamic \(likely 10\.20\.1\.\d+\)/);
    });

    it("predicts dynamic addresses for the view only from known, non-secret addressing", () => {
        const network = (name: string, subnet: string, secrets: string[] = []): RegisteredResource => ({
            urn: `urn:${name}`, type: NETWORK_TYPE, name, parent: null, propertyDependencies: {}, dependencies: [], secrets,
            inputs: { name, ipamConfigs: [{ subnet, gateway: subnet.replace(/0\/24$/, "1") }] },
        });
        const container = (name: string, attachments: Record<string, unknown>[], secrets: string[] = []): RegisteredResource => ({
            urn: `urn:${name}`, type: CONTAINER_TYPE, name, parent: null, propertyDependencies: {}, dependencies: [], secrets,
            inputs: { name, networksAdvanced: attachments },
        });
        const predicted = predictAddresses([
            network("plain", "10.90.0.0/24"),
            network("hidden", "10.91.0.0/24", ["10.91.0.0/24"]),
            network("later", UNKNOWN_SENTINEL),
            container("pinned", [{ name: "plain", ipv4Address: "10.90.0.2" }], ["10.90.0.2"]),
            container("guess", [{ name: "plain", ipv4Address: UNKNOWN_SENTINEL }]),
            container("a", [{ name: "plain" }, { name: "hidden" }, { name: "later" }, { name: UNKNOWN_SENTINEL }]),
        ]);
        assert.deepStrictEqual([...predicted.keys()], ["a"], "static addresses and unknown ones are not predicted");
        assert.deepStrictEqual([...predicted.get("a")!], [["plain", "10.90.0.3"]], "the secret static address is taken, not shown");
    });
});
