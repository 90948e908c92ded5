/**
 * The example program (index.ts) under each stack's config: the `swarm`
 * stack's overlays and services, subnets from config, and a clear error for
 * a scope that is neither. The `dev` stack's preview is pinned by
 * test/cli/preview.spec.ts.
 */
import * as assert from "assert";
import * as path from "path";
import { runProgram } from "../../../cli/commands/preview/program/runProgram";
import { CONTAINER_TYPE, DUAL_HOMED_SERVICE_TYPE, NETWORK_TYPE, SERVICE_TYPE } from "../../../readers/pulumi/resourceFields";
import { findResource } from "../../helpers/runInline";

const PROGRAM = path.resolve(__dirname, "../../../index.ts");
const PROJECT = "docker-netguard-example";

function runExample(stack: string, config: Record<string, string>) {
    const qualified = Object.fromEntries(Object.entries(config).map(([key, value]) => [`${PROJECT}:${key}`, value]));
    return runProgram(PROGRAM, { project: PROJECT, stack, config: qualified, secretKeys: [] });
}

describe("the example stack's config", () => {
    it("runs as encrypted overlays, swarm services and a DualHomedService api with scope swarm", async () => {
        const { resources } = await runExample("swarm", { scope: "swarm", orderSubnet: "10.21.1.0/24", webSubnet: "10.21.2.0/24" });
        const order = findResource(resources, NETWORK_TYPE, "order");
        const web = findResource(resources, NETWORK_TYPE, "web");
        assert.deepStrictEqual([order.inputs.driver, order.inputs.internal, order.inputs.options], ["overlay", true, { encrypted: "true" }]);
        assert.deepStrictEqual(order.inputs.ipamConfigs, [{ subnet: "10.21.1.0/24", gateway: "10.21.1.1" }]);
        assert.deepStrictEqual(web.inputs.ipamConfigs, [{ subnet: "10.21.2.0/24", gateway: "10.21.2.1" }]);
        assert.deepStrictEqual(resources.filter((r) => r.type === CONTAINER_TYPE), []);
        assert.deepStrictEqual(
            resources.filter((r) => r.type === SERVICE_TYPE).map((r) => r.name).sort(),
            ["api", "order-cache", "order-db", "order-queue", "web-frontend"],
        );
        const api = findResource(resources, SERVICE_TYPE, "api");
        assert.strictEqual(api.parent, findResource(resources, DUAL_HOMED_SERVICE_TYPE, "api").urn);
        assert.strictEqual(api.inputs.name, "docker-netguard-example-swarm-api");
        assert.deepStrictEqual(api.propertyDependencies.taskSpec, [web.urn, order.urn]);
    });

    it("derives the local stack's ip range and static addresses from configured subnets", async () => {
        const { resources } = await runExample("other", { orderSubnet: "10.50.1.0/24", webSubnet: "10.50.2.0/24" });
        assert.deepStrictEqual(findResource(resources, NETWORK_TYPE, "order").inputs.ipamConfigs, [
            { subnet: "10.50.1.0/24", gateway: "10.50.1.1", ipRange: "10.50.1.128/25" },
        ]);
        assert.deepStrictEqual(findResource(resources, CONTAINER_TYPE, "order-db").inputs.networksAdvanced, [
            { name: "docker-netguard-example-other-order", aliases: ["db", "postgres"], ipv4Address: "10.50.1.10" },
        ]);
        assert.deepStrictEqual(
            (findResource(resources, CONTAINER_TYPE, "api").inputs.networksAdvanced as { ipv4Address: string }[]).map((a) => a.ipv4Address),
            ["10.50.2.20", "10.50.1.20"],
        );
    });

    it("refuses a scope that is neither local nor swarm, naming the config key and the value", async () => {
        await assert.rejects(runExample("odd", { scope: "cluster" }), /docker-netguard-example:scope = "cluster": must be "local" or "swarm"/);
    });

    it("reports a malformed configured subnet as the net's subnet", async () => {
        await assert.rejects(runExample("odd", { orderSubnet: "10.50.1.0" }), /IsolatedServiceNet "order": subnet = "10\.50\.1\.0"/);
    });
});
