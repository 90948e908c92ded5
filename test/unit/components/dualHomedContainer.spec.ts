import * as assert from "assert";
import { DualHomedContainer, IsolatedServiceNet } from "../../../components";
import { CONTAINER_TYPE, NETWORK_TYPE } from "../../../readers/pulumi/resourceFields";
import { findResource, runInline } from "../../helpers/runInline";

describe("DualHomedContainer", () => {
    it("attaches one container to each net with per-net aliases, static address and gateway priority", async () => {
        const { resources } = await runInline(() => {
            const web = new IsolatedServiceNet("web", { subnet: "10.20.2.0/24" });
            const order = new IsolatedServiceNet("order", { subnet: "10.20.1.0/24", ipRange: "10.20.1.128/25" });
            new DualHomedContainer("api", {
                image: "node:20-alpine",
                command: ["node", "server.js"],
                attachments: [
                    { net: web, aliases: ["api-public"], gwPriority: 10 },
                    { net: order, ipv4Address: "10.20.1.20" },
                ],
            });
        });
        const container = findResource(resources, CONTAINER_TYPE, "api");
        assert.deepStrictEqual(container.inputs.networksAdvanced, [
            { name: "netguard-test-test-web", aliases: ["api", "api-public"], gwPriority: 10 },
            { name: "netguard-test-test-order", aliases: ["api"], ipv4Address: "10.20.1.20" },
        ]);
        assert.deepStrictEqual(container.inputs.command, ["node", "server.js"]);
        assert.strictEqual(container.inputs.name, "netguard-test-test-api");
        assert.strictEqual(container.parent, findResource(resources, "netguard:index:DualHomedContainer", "api").urn);
        assert.deepStrictEqual(
            [...container.propertyDependencies.networksAdvanced].sort(),
            [findResource(resources, NETWORK_TYPE, "order").urn, findResource(resources, NETWORK_TYPE, "web").urn].sort(),
        );
    });
});
