/**
 * The preview's IPAM table shows the addressing Docker will have: the IPv4
 * block of a dual-stack network, and Docker's gateway for a subnet written
 * without one (the first host), the same one the rules and the predicted
 * addresses use.
 */
import * as assert from "assert";
import * as docker from "@pulumi/docker";
import { describeTopology } from "../../../../../document/previewDocument";
import { predictAddresses } from "../../../../../cli/commands/preview/predictedAddresses";
import { policyResources } from "../../../../../policies/engineArgs";
import { evaluatePolicies } from "../../../../../policies/evaluate";
import { policies } from "../../../../../policies/pack";
import { topologyFromResources } from "../../../../../readers/pulumi/fromPulumi";
import { runInline } from "../../../../helpers/runInline";

describe("preview: the IPAM table and predicted addresses use Docker's gateway", () => {
    it("shows the first host of a subnet without gateway, hands it to no container, and reports no explicit-ipam violation", async () => {
        const run = await runInline(() => {
            const net = new docker.Network("plain", { name: "plain", ipamConfigs: [{ subnet: "10.44.0.0/24" }] });
            const dual = new docker.Network("dual", { name: "dual", ipv6: true, ipamConfigs: [{ subnet: "fd00:44::/64" }, { subnet: "10.45.0.0/24", gateway: "10.45.0.254" }] });
            new docker.Container("web", { name: "web", image: "busybox", networksAdvanced: [{ name: "plain" }, { name: "dual" }] });
            return { plain: net.name, dual: dual.name };
        });
        const topology = topologyFromResources(policyResources(run.resources));
        const table = describeTopology(topology).networks.map((n) => [n.name, n.subnet, n.gateway]);
        assert.deepStrictEqual(table, [["plain", "10.44.0.0/24", "10.44.0.1"], ["dual", "10.45.0.0/24", "10.45.0.254"]]);
        // Docker's addresses are unknown to the program during a preview; the table view predicts them, off the gateway.
        const predicted = predictAddresses(run.resources).get("web");
        assert.deepStrictEqual([...(predicted ?? [])], [["plain", "10.44.0.2"], ["dual", "10.45.0.1"]]);
        const violations = await evaluatePolicies(policies, run.resources);
        assert.deepStrictEqual(violations.filter((v) => v.policy === "docker-network-explicit-ipam"), []);
    });
});
