import * as assert from "assert";
import { IsolatedServiceNet } from "../../../components";
import { CONTAINER_TYPE, NETWORK_TYPE } from "../../../readers/pulumi/resourceFields";
import { findResource, runInline } from "../../helpers/runInline";

describe("IsolatedServiceNet", () => {
    it("declares one bridge network with explicit IPAM, internal and ICC options", async () => {
        const { resources } = await runInline(() => {
            new IsolatedServiceNet("order", {
                subnet: "10.20.1.0/24",
                ipRange: "10.20.1.128/25",
                internal: true,
                interContainer: false,
                labels: { team: "shop" },
            });
        });
        const network = findResource(resources, NETWORK_TYPE, "order");
        assert.deepStrictEqual(network.inputs.ipamConfigs, [{ subnet: "10.20.1.0/24", gateway: "10.20.1.1", ipRange: "10.20.1.128/25" }]);
        assert.strictEqual(network.inputs.driver, "bridge");
        assert.strictEqual(network.inputs.internal, true);
        assert.deepStrictEqual(network.inputs.options, { "com.docker.network.bridge.enable_icc": "false" });
        assert.strictEqual(network.inputs.name, "netguard-test-test-order");
        assert.ok((network.inputs.labels as { label: string; value: string }[]).some((l) => l.label === "team" && l.value === "shop"));
        const component = findResource(resources, "netguard:index:IsolatedServiceNet", "order");
        assert.strictEqual(network.parent, component.urn);
    });

    it("leaves ICC on and the net routable by default", async () => {
        const { resources } = await runInline(() => {
            new IsolatedServiceNet("web", { subnet: "10.20.2.0/24", gateway: "10.20.2.254" });
        });
        const network = findResource(resources, NETWORK_TYPE, "web");
        assert.strictEqual(network.inputs.internal, false);
        assert.deepStrictEqual(network.inputs.options ?? {}, {});
        assert.deepStrictEqual(network.inputs.ipamConfigs, [{ subnet: "10.20.2.0/24", gateway: "10.20.2.254" }]);
    });

    it("attaches each service only to its net, with its key and aliases as DNS names", async () => {
        let net: IsolatedServiceNet | undefined;
        const { resources } = await runInline(() => {
            net = new IsolatedServiceNet("order", {
                subnet: "10.20.1.0/24",
                ipRange: "10.20.1.128/25",
                services: {
                    db: { image: "postgres:16-alpine", aliases: ["postgres"], ipv4Address: "10.20.1.10" },
                    cache: { image: "redis:7-alpine", envs: ["A=1"], containerArgs: { restart: "always" } },
                },
            });
        });
        assert.deepStrictEqual(Object.keys(net!.containers).sort(), ["cache", "db"]);
        const db = findResource(resources, CONTAINER_TYPE, "order-db");
        assert.deepStrictEqual(db.inputs.networksAdvanced, [
            { name: "netguard-test-test-order", aliases: ["db", "postgres"], ipv4Address: "10.20.1.10" },
        ]);
        assert.strictEqual(db.inputs.networkMode, undefined, "no networkMode: the provider then leaves the default bridge");
        assert.strictEqual(db.inputs.name, "netguard-test-test-order-db");
        assert.strictEqual(db.inputs.image, "postgres:16-alpine");
        const cache = findResource(resources, CONTAINER_TYPE, "order-cache");
        assert.deepStrictEqual(cache.inputs.networksAdvanced, [{ name: "netguard-test-test-order", aliases: ["cache"] }]);
        assert.deepStrictEqual(cache.inputs.envs, ["A=1"]);
        assert.strictEqual(cache.inputs.restart, "always");
        assert.strictEqual(cache.parent, findResource(resources, "netguard:index:IsolatedServiceNet", "order").urn);
        assert.deepStrictEqual(cache.propertyDependencies.networksAdvanced, [findResource(resources, NETWORK_TYPE, "order").urn]);
    });

    it("exposes subnet and gateway as plain values at construction", async () => {
        await runInline(() => {
            const net = new IsolatedServiceNet("plain", { subnet: "10.30.0.0/16" });
            assert.strictEqual(net.subnet, "10.30.0.0/16");
            assert.strictEqual(net.gateway, "10.30.0.1");
        });
    });

    it("allocates a subnet from the stack's addressPool when none is pinned", async () => {
        let subnet = "";
        await runInline(
            () => {
                subnet = new IsolatedServiceNet("auto", { prefixLength: 26 }).subnet;
            },
            { config: { "netguard:addressPool": "10.99.0.0/16" } },
        );
        assert.match(subnet, /^10\.99\.\d+\.\d+\/26$/);
    });

    it("gives two stacks of one program different subnets", async () => {
        const subnets: string[] = [];
        for (const stack of ["dev", "pr-42"]) {
            await runInline(() => {
                subnets.push(new IsolatedServiceNet("auto", {}).subnet);
            }, { stack });
        }
        assert.notStrictEqual(subnets[0], subnets[1]);
    });
});
