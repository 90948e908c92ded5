import * as assert from "assert";
import { DualHomedContainer, DualHomedService, IsolatedServiceNet } from "../../../components";
import { CONTAINER_TYPE, DUAL_HOMED_SERVICE_TYPE, NETWORK_TYPE, SERVICE_TYPE } from "../../../readers/pulumi/resourceFields";
import { findResource, runInline } from "../../helpers/runInline";

type Labels = { label: string; value: string }[];
const labelMap = (labels: unknown) => Object.fromEntries((labels as Labels).map(({ label, value }) => [label, value]));

describe("IsolatedServiceNet with scope swarm", () => {
    it("declares one encrypted, non-attachable overlay network with explicit IPAM by default", async () => {
        let net: IsolatedServiceNet | undefined;
        const { resources } = await runInline(() => {
            net = new IsolatedServiceNet("order", { scope: "swarm", subnet: "10.21.1.0/24", ipRange: "10.21.1.128/25", internal: true });
        });
        const network = findResource(resources, NETWORK_TYPE, "order");
        assert.strictEqual(network.inputs.driver, "overlay");
        assert.strictEqual(network.inputs.attachable, false);
        assert.strictEqual(network.inputs.internal, true);
        assert.deepStrictEqual(network.inputs.options, { encrypted: "true" });
        assert.deepStrictEqual(network.inputs.ipamConfigs, [{ subnet: "10.21.1.0/24", gateway: "10.21.1.1", ipRange: "10.21.1.128/25" }]);
        assert.strictEqual(network.inputs.name, "netguard-test-test-order");
        assert.strictEqual(labelMap(network.inputs.labels)["netguard.net"], "order");
        assert.strictEqual(net!.scope, "swarm");
        assert.strictEqual(net!.encrypted, true);
        assert.strictEqual(net!.attachable, false);
    });

    it("leaves the encryption option out when encrypted is false, and sets attachable when asked", async () => {
        const { resources } = await runInline(() => {
            new IsolatedServiceNet("web", { scope: "swarm", subnet: "10.21.2.0/24", encrypted: false, attachable: true });
        });
        const network = findResource(resources, NETWORK_TYPE, "web");
        // Docker encrypts when the option is present at all, even as "false": it must be absent.
        assert.deepStrictEqual(network.inputs.options ?? {}, {});
        assert.strictEqual(network.inputs.attachable, true);
    });

    it("keeps a local-scope net a bridge with no attachable input", async () => {
        let net: IsolatedServiceNet | undefined;
        const { resources } = await runInline(() => {
            net = new IsolatedServiceNet("web", { subnet: "10.20.2.0/24", services: { a: { image: "x" } } });
        });
        const network = findResource(resources, NETWORK_TYPE, "web");
        assert.strictEqual(network.inputs.driver, "bridge");
        assert.strictEqual(network.inputs.attachable, undefined);
        assert.strictEqual(net!.scope, "local");
        assert.deepStrictEqual(Object.keys(net!.services), []);
        assert.deepStrictEqual(Object.keys(net!.containers), ["a"]);
    });

    it("makes each service a docker.Service on the overlay, named <net>-<key>, with its key and aliases as DNS names", async () => {
        let net: IsolatedServiceNet | undefined;
        const { resources } = await runInline(() => {
            net = new IsolatedServiceNet("order", {
                scope: "swarm",
                subnet: "10.21.1.0/24",
                services: {
                    db: { image: "postgres:16-alpine", envs: ["POSTGRES_PASSWORD=a=b"], aliases: ["postgres"], replicas: 2 },
                    cache: { image: "redis:7-alpine", command: ["redis-server", "--save", ""] },
                },
            });
        });
        assert.deepStrictEqual(Object.keys(net!.services).sort(), ["cache", "db"]);
        assert.deepStrictEqual(Object.keys(net!.containers), []);
        assert.strictEqual(resources.filter((r) => r.type === CONTAINER_TYPE).length, 0);

        const network = findResource(resources, NETWORK_TYPE, "order");
        const db = findResource(resources, SERVICE_TYPE, "order-db");
        assert.strictEqual(db.inputs.name, "netguard-test-test-order-db");
        assert.deepStrictEqual(db.inputs.mode, { replicated: { replicas: 2 } });
        const taskSpec = db.inputs.taskSpec as { containerSpec: Record<string, unknown>; networksAdvanceds: { name: string; aliases: string[] }[] };
        assert.deepStrictEqual(taskSpec.containerSpec, { image: "postgres:16-alpine", env: { POSTGRES_PASSWORD: "a=b" } });
        assert.strictEqual(taskSpec.networksAdvanceds.length, 1);
        assert.deepStrictEqual(taskSpec.networksAdvanceds[0].aliases, ["db", "postgres"]);
        // The network's id (unknown in a preview), not its name: the swarm stores ids and the provider reads them back.
        assert.notStrictEqual(taskSpec.networksAdvanceds[0].name, network.inputs.name);
        assert.deepStrictEqual(db.propertyDependencies.taskSpec, [network.urn]);
        assert.deepStrictEqual(labelMap(db.inputs.labels), {
            "netguard.managed-by": "docker-netguard",
            "netguard.stack": "netguard-test/test",
            "netguard.net": "order",
            "netguard.service": "db",
        });
        assert.strictEqual(db.parent, findResource(resources, "netguard:index:IsolatedServiceNet", "order").urn);

        const cache = findResource(resources, SERVICE_TYPE, "order-cache");
        assert.deepStrictEqual(cache.inputs.mode, { replicated: { replicas: 1 } });
        // `command` replaces the image's CMD, as for a container: the task spec's args (its `commands` is the entrypoint).
        const cacheSpec = (cache.inputs.taskSpec as { containerSpec: Record<string, unknown> }).containerSpec;
        assert.deepStrictEqual(cacheSpec.args, ["redis-server", "--save", ""]);
        assert.strictEqual(cacheSpec.commands, undefined);
    });

    it("passes serviceArgs through, merging labels and task settings, and takes a global mode", async () => {
        const { resources } = await runInline(() => {
            new IsolatedServiceNet("web", {
                scope: "swarm",
                subnet: "10.21.2.0/24",
                services: {
                    frontend: {
                        image: "nginx:1.27-alpine",
                        replicas: 3,
                        serviceArgs: {
                            labels: [{ label: "team", value: "shop" }],
                            endpointSpec: { ports: [{ targetPort: 80, publishedPort: 8080 }] },
                            containerSpec: { user: "nginx", commands: ["/docker-entrypoint.sh"] },
                            taskSpec: { placement: { constraints: ["node.role==worker"] } },
                        },
                    },
                    agent: { image: "busybox", serviceArgs: { mode: { global: true } } },
                },
            });
        });
        const frontend = findResource(resources, SERVICE_TYPE, "web-frontend");
        assert.strictEqual(labelMap(frontend.inputs.labels).team, "shop");
        assert.strictEqual(labelMap(frontend.inputs.labels)["netguard.service"], "frontend");
        assert.deepStrictEqual(frontend.inputs.endpointSpec, { ports: [{ targetPort: 80, publishedPort: 8080 }] });
        const taskSpec = frontend.inputs.taskSpec as Record<string, unknown> & { containerSpec: Record<string, unknown> };
        assert.deepStrictEqual(taskSpec.placement, { constraints: ["node.role==worker"] });
        assert.deepStrictEqual(taskSpec.containerSpec, { user: "nginx", commands: ["/docker-entrypoint.sh"], image: "nginx:1.27-alpine" });
        assert.deepStrictEqual(frontend.inputs.mode, { replicated: { replicas: 3 } });
        assert.deepStrictEqual(findResource(resources, SERVICE_TYPE, "web-agent").inputs.mode, { global: true });
    });

    it("never moves another net's subnet when a swarm net is added", async () => {
        const subnetsOf = async (withSwarm: boolean) => {
            const subnets = new Map<string, string>();
            await runInline(() => {
                for (const name of ["alpha", "beta"]) subnets.set(name, new IsolatedServiceNet(name, {}).subnet);
                if (withSwarm) subnets.set("overlay", new IsolatedServiceNet("overlay", { scope: "swarm" }).subnet);
                subnets.set("gamma", new IsolatedServiceNet("gamma", {}).subnet);
            });
            return subnets;
        };
        const before = await subnetsOf(false);
        const after = await subnetsOf(true);
        for (const [name, subnet] of before) assert.strictEqual(after.get(name), subnet, `${name} moved`);
        assert.match(after.get("overlay") ?? "", /^10\.(12[89]|1[3-9]\d|2[0-5]\d)\.\d+\.0\/24$/);
    });
});

describe("DualHomedService", () => {
    it("attaches one service to each swarm net with per-net aliases, named like the component", async () => {
        let dual: DualHomedService | undefined;
        const { resources } = await runInline(() => {
            const web = new IsolatedServiceNet("web", { scope: "swarm", subnet: "10.21.2.0/24" });
            const order = new IsolatedServiceNet("order", { scope: "swarm", subnet: "10.21.1.0/24", internal: true });
            dual = new DualHomedService("api", {
                image: "node:20-alpine",
                command: ["node", "server.js"],
                replicas: 2,
                attachments: [{ net: web, aliases: ["api-public"] }, { net: order, aliases: ["order-api"] }],
            });
        });
        const service = findResource(resources, SERVICE_TYPE, "api");
        assert.strictEqual(service.inputs.name, "netguard-test-test-api");
        assert.strictEqual(dual!.dockerName, "netguard-test-test-api");
        assert.deepStrictEqual(service.inputs.mode, { replicated: { replicas: 2 } });
        const taskSpec = service.inputs.taskSpec as { containerSpec: Record<string, unknown>; networksAdvanceds: { aliases: string[] }[] };
        assert.deepStrictEqual(taskSpec.containerSpec, { image: "node:20-alpine", args: ["node", "server.js"] });
        assert.deepStrictEqual(taskSpec.networksAdvanceds.map((entry) => entry.aliases), [["api", "api-public"], ["api", "order-api"]]);
        // In attachment order, so that a preview pairs each unknown id with its network.
        assert.deepStrictEqual(service.propertyDependencies.taskSpec, [findResource(resources, NETWORK_TYPE, "web").urn, findResource(resources, NETWORK_TYPE, "order").urn]);
        assert.strictEqual(labelMap(service.inputs.labels)["netguard.dual-homed"], "true");
        const component = findResource(resources, DUAL_HOMED_SERVICE_TYPE, "api");
        assert.strictEqual(service.parent, component.urn);
    });
});

describe("DualHomedContainer on swarm nets", () => {
    it("joins an attachable swarm net together with a local one", async () => {
        const { resources } = await runInline(() => {
            const shared = new IsolatedServiceNet("shared", { scope: "swarm", subnet: "10.21.3.0/24", attachable: true });
            const local = new IsolatedServiceNet("local", { subnet: "10.20.3.0/24" });
            new DualHomedContainer("gateway", { image: "x", attachments: [{ net: shared, aliases: ["gw"] }, { net: local }] });
        });
        const container = findResource(resources, CONTAINER_TYPE, "gateway");
        assert.deepStrictEqual(container.inputs.networksAdvanced, [
            { name: "netguard-test-test-shared", aliases: ["gateway", "gw"] },
            { name: "netguard-test-test-local", aliases: ["gateway"] },
        ]);
    });
});
