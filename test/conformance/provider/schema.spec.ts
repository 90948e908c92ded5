/**
 * The component package (provider/): the schema Pulumi infers from its classes,
 * computed in-process by the same ComponentProvider that componentProviderHost
 * serves, and the thin classes building the components under the mock runtime.
 */
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as path from "path";
import { ComponentProvider } from "@pulumi/pulumi/provider/experimental";
import { DualHomedContainer, DualHomedService, IsolatedServiceNet, providerOptions } from "../../../provider/surface";
import { CONTAINER_TYPE, NETWORK_TYPE, SERVICE_TYPE } from "../../../readers/pulumi/resourceFields";
import { findResource, runInline } from "../../helpers/runInline";

const REPO = path.resolve(__dirname, "../../..");
const PROVIDER_DIR = path.join(REPO, "provider");

interface SchemaProperty {
    type?: string;
    $ref?: string;
    plain?: boolean;
    items?: SchemaProperty;
    additionalProperties?: SchemaProperty;
}
interface SchemaResource {
    isComponent?: boolean;
    inputProperties: Record<string, SchemaProperty>;
    requiredInputs: string[];
    properties: Record<string, SchemaProperty>;
}
interface PackageSchema {
    name: string;
    version: string;
    resources: Record<string, SchemaResource>;
    types: Record<string, { properties: Record<string, SchemaProperty> }>;
}

function kind(property: SchemaProperty | undefined): string | undefined {
    return property?.type ?? property?.$ref;
}

describe("the component package (provider/)", function () {
    this.timeout(120_000);
    let schema: PackageSchema;

    before(async () => {
        schema = JSON.parse(await new ComponentProvider(providerOptions(PROVIDER_DIR)).getSchema()) as PackageSchema;
    });

    it("is the repository's one PulumiPlugin.yaml", () => {
        const plugins = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], { cwd: REPO, encoding: "utf8" })
            .split("\n")
            .filter((file) => path.basename(file) === "PulumiPlugin.yaml");
        assert.deepStrictEqual(plugins, ["provider/PulumiPlugin.yaml"]);
    });

    it("names the package netguard at docker-netguard's version", () => {
        assert.strictEqual(schema.name, "netguard");
        assert.strictEqual(schema.version, (require("../../../package.json") as { version: string }).version);
    });

    it("lists IsolatedServiceNet with every input of the TypeScript args and its outputs as plain data", () => {
        const net = schema.resources["netguard:index:IsolatedServiceNet"];
        assert.ok(net, `no IsolatedServiceNet among ${Object.keys(schema.resources).join(", ")}`);
        assert.strictEqual(net.isComponent, true);
        assert.deepStrictEqual(
            Object.keys(net.inputProperties).sort(),
            ["addressPool", "attachable", "encrypted", "gateway", "interContainer", "internal", "ipRange", "labels", "prefixLength", "scope", "services", "subnet"],
        );
        assert.strictEqual(kind(net.inputProperties.subnet), "string");
        assert.strictEqual(kind(net.inputProperties.scope), "string");
        assert.strictEqual(kind(net.inputProperties.encrypted), "boolean");
        assert.strictEqual(kind(net.inputProperties.services.additionalProperties), "#/types/netguard:index:ServiceSpec");
        assert.deepStrictEqual(
            Object.fromEntries(Object.entries(net.properties).map(([name, property]) => [name, kind(property)])),
            { networkId: "string", dockerName: "string", subnet: "string", gateway: "string", containerNames: "object", serviceNames: "object" },
        );
    });

    it("lists DualHomedContainer with nets named in its attachments", () => {
        const dual = schema.resources["netguard:index:DualHomedContainer"];
        assert.ok(dual, `no DualHomedContainer among ${Object.keys(schema.resources).join(", ")}`);
        assert.strictEqual(dual.isComponent, true);
        assert.deepStrictEqual(Object.keys(dual.inputProperties).sort(), ["attachments", "command", "containerArgs", "envs", "image"]);
        assert.deepStrictEqual(dual.requiredInputs.sort(), ["attachments", "image"]);
        assert.strictEqual(kind(dual.inputProperties.attachments.items), "#/types/netguard:index:NetAttachment");
        assert.deepStrictEqual(Object.keys(dual.properties).sort(), ["containerId", "dockerName"]);
    });

    it("lists DualHomedService with swarm nets named in its attachments, and no static address", () => {
        const dual = schema.resources["netguard:index:DualHomedService"];
        assert.ok(dual, `no DualHomedService among ${Object.keys(schema.resources).join(", ")}`);
        assert.strictEqual(dual.isComponent, true);
        assert.deepStrictEqual(Object.keys(dual.inputProperties).sort(), ["attachments", "command", "envs", "image", "replicas", "serviceArgs"]);
        assert.deepStrictEqual(dual.requiredInputs.sort(), ["attachments", "image"]);
        assert.strictEqual(kind(dual.inputProperties.attachments.items), "#/types/netguard:index:ServiceNetAttachment");
        assert.deepStrictEqual(Object.keys(dual.properties).sort(), ["dockerName", "serviceId"]);
    });

    it("describes every field of the types it references, none as Any", () => {
        const expected: Record<string, string[]> = {
            "netguard:index:ServiceSpec": ["aliases", "command", "containerArgs", "envs", "image", "ipv4Address", "replicas", "serviceArgs"],
            "netguard:index:ContainerSettings": ["labels", "ports", "restart", "user", "workingDir"],
            "netguard:index:ContainerPort": ["external", "internal", "ip", "protocol"],
            "netguard:index:ServiceSettings": ["constraints", "labels", "ports", "user", "workingDir"],
            "netguard:index:ServicePort": ["protocol", "publishMode", "publishedPort", "targetPort"],
            "netguard:index:NetAttachment": ["aliases", "gwPriority", "ipv4Address", "net"],
            "netguard:index:ServiceNetAttachment": ["aliases", "net"],
        };
        assert.deepStrictEqual(Object.keys(schema.types).sort(), Object.keys(expected).sort());
        for (const [token, fields] of Object.entries(expected)) {
            assert.deepStrictEqual(Object.keys(schema.types[token].properties).sort(), fields, token);
        }
        const anys = [...Object.values(schema.resources).flatMap((r) => [...Object.values(r.inputProperties), ...Object.values(r.properties)]),
            ...Object.values(schema.types).flatMap((t) => Object.values(t.properties))].filter((p) => p.$ref === "pulumi.json#/Any");
        assert.deepStrictEqual(anys, []);
    });

    it("builds the components' resources from the cross-language args, container settings included", async () => {
        const { resources } = await runInline(() => {
            new IsolatedServiceNet("pkg-web", {
                subnet: "10.30.2.0/24",
                services: {
                    app: { image: "nginx:alpine", aliases: ["www"], containerArgs: { ports: [{ internal: 80, external: 8080, ip: "127.0.0.1" }], labels: { team: "web" } } },
                },
            });
            new IsolatedServiceNet("pkg-db", { subnet: "10.30.1.0/24" });
            new DualHomedContainer("pkg-api", {
                image: "node:20-alpine",
                containerArgs: { restart: "always" },
                attachments: [{ net: "pkg-web" }, { net: "pkg-db", ipv4Address: "10.30.1.20" }],
            });
        });
        const app = findResource(resources, CONTAINER_TYPE, "pkg-web-app");
        assert.deepStrictEqual(app.inputs.ports, [{ internal: 80, external: 8080, ip: "127.0.0.1" }]);
        assert.ok((app.inputs.labels as { label: string; value: string }[]).some((l) => l.label === "team" && l.value === "web"));
        const network = findResource(resources, NETWORK_TYPE, "pkg-web");
        const inner = resources.find((r) => r.urn === network.parent);
        const outer = resources.find((r) => r.urn === inner?.parent);
        assert.deepStrictEqual([inner?.type, outer?.type, outer?.name], ["netguard:index:IsolatedServiceNet", "netguard:index:IsolatedServiceNet", "pkg-web"]);
        const api = findResource(resources, CONTAINER_TYPE, "pkg-api");
        assert.strictEqual(api.inputs.restart, "always");
        assert.deepStrictEqual(api.inputs.networksAdvanced, [
            { name: "netguard-test-test-pkg-web", aliases: ["pkg-api"] },
            { name: "netguard-test-test-pkg-db", aliases: ["pkg-api"], ipv4Address: "10.30.1.20" },
        ]);
    });

    it("builds swarm nets, services and a dual-homed service from the cross-language args, service settings included", async () => {
        const { resources } = await runInline(() => {
            new IsolatedServiceNet("pkg-front", {
                scope: "swarm",
                subnet: "10.31.2.0/24",
                attachable: true,
                services: {
                    app: {
                        image: "nginx:alpine",
                        replicas: 2,
                        serviceArgs: { ports: [{ targetPort: 80, publishedPort: 8080 }], constraints: ["node.role==worker"], user: "nginx", labels: { team: "web" } },
                    },
                },
            });
            new IsolatedServiceNet("pkg-back", { scope: "swarm", subnet: "10.31.1.0/24", encrypted: false });
            new DualHomedService("pkg-gw", { image: "node:20-alpine", replicas: 3, attachments: [{ net: "pkg-front", aliases: ["gw"] }, { net: "pkg-back" }] });
        });
        const front = findResource(resources, NETWORK_TYPE, "pkg-front");
        assert.deepStrictEqual([front.inputs.driver, front.inputs.attachable, front.inputs.options], ["overlay", true, { encrypted: "true" }]);
        assert.deepStrictEqual(findResource(resources, NETWORK_TYPE, "pkg-back").inputs.options, {});
        const app = findResource(resources, SERVICE_TYPE, "pkg-front-app");
        assert.deepStrictEqual(app.inputs.mode, { replicated: { replicas: 2 } });
        assert.deepStrictEqual(app.inputs.endpointSpec, { ports: [{ targetPort: 80, publishedPort: 8080 }] });
        const taskSpec = app.inputs.taskSpec as { placement: unknown; containerSpec: Record<string, unknown> };
        assert.deepStrictEqual(taskSpec.placement, { constraints: ["node.role==worker"] });
        assert.deepStrictEqual(taskSpec.containerSpec, { user: "nginx", image: "nginx:alpine" });
        assert.ok((app.inputs.labels as { label: string; value: string }[]).some((l) => l.label === "team" && l.value === "web"));
        const gw = findResource(resources, SERVICE_TYPE, "pkg-gw");
        assert.deepStrictEqual(gw.inputs.mode, { replicated: { replicas: 3 } });
        assert.deepStrictEqual(
            (gw.inputs.taskSpec as { networksAdvanceds: { aliases: string[] }[] }).networksAdvanceds.map((entry) => entry.aliases),
            [["pkg-gw", "gw"], ["pkg-gw"]],
        );
        const inner = resources.find((r) => r.urn === gw.parent);
        const outer = resources.find((r) => r.urn === inner?.parent);
        assert.deepStrictEqual([inner?.type, outer?.type, outer?.name], ["netguard:index:DualHomedService", "netguard:index:DualHomedService", "pkg-gw"]);
    });

    it("refuses a scope that is neither local nor swarm, naming the field and the value", async () => {
        await assert.rejects(
            runInline(() => new IsolatedServiceNet("pkg-odd", { scope: "cluster", subnet: "10.31.3.0/24" })),
            /IsolatedServiceNet "pkg-odd": scope = "cluster": must be "local"/,
        );
    });

    it("refuses an attachment naming no net of the program, naming the field and the value", async () => {
        await assert.rejects(
            runInline(() => {
                new IsolatedServiceNet("pkg-lone", { subnet: "10.30.3.0/24" });
                new DualHomedContainer("pkg-bridge", { image: "busybox", attachments: [{ net: "pkg-lone" }, { net: "pkg-nowhere" }] });
            }),
            /attachments\[1\]\.net.*pkg-nowhere/s,
        );
        await assert.rejects(
            runInline(() => {
                new IsolatedServiceNet("pkg-swarm", { scope: "swarm", subnet: "10.31.4.0/24" });
                new DualHomedService("pkg-svc", { image: "busybox", attachments: [{ net: "pkg-swarm" }, { net: "pkg-elsewhere" }] });
            }),
            /DualHomedService "pkg-svc": attachments\[1\]\.net = "pkg-elsewhere"/,
        );
    });
});
