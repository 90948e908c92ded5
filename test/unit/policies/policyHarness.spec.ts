import * as assert from "assert";
import { CONTAINER, DUAL_HOMED_CONTAINER, NETWORK, resource, runPack, runPolicy, unknown } from "../../helpers/policyHarness";

describe("test/helpers/policyHarness", () => {
    it("writes URNs with the parent's type chain and links dependencies", () => {
        const component = resource(DUAL_HOMED_CONTAINER, "gateway");
        const net = resource(NETWORK, "app-net", { name: "app" });
        const container = resource(CONTAINER, "gateway", { networksAdvanced: [{ name: "app" }] }, {
            parent: component,
            propertyDependencies: { networksAdvanced: [net] },
        });
        assert.strictEqual(container.urn, `urn:pulumi:test::netguard-test::${DUAL_HOMED_CONTAINER}$${CONTAINER}::gateway`);
        assert.strictEqual(container.parent, component.urn);
        assert.deepStrictEqual(container.propertyDependencies, { networksAdvanced: [net.urn] });
        assert.deepStrictEqual(container.dependencies, [net.urn]);
    });

    it("runs one policy with the engine's arguments", async () => {
        const web = resource(CONTAINER, "web", { image: "nginx" });
        const violations = await runPolicy("docker-no-default-bridge", [web]);
        assert.deepStrictEqual(
            violations.map((v) => [v.policy, v.level, v.name, v.resource]),
            [["docker-no-default-bridge", "mandatory", "web", web.urn]],
        );
    });

    it("applies a policy's enforcement level and the pack config's `all`", async () => {
        const web = resource(CONTAINER, "web", { image: "nginx" });
        assert.strictEqual((await runPolicy("docker-no-default-bridge", [web], { enforcementLevel: "advisory" }))[0].level, "advisory");
        assert.deepStrictEqual(await runPolicy("docker-no-default-bridge", [web], { enforcementLevel: "disabled" }), []);
        const packed = await runPack([web], { all: "advisory" });
        assert.ok(packed.length > 0 && packed.every((v) => v.level === "advisory"));
    });

    it("hands unknown values to policies the way the engine does", async () => {
        const web = resource(CONTAINER, "web", { image: "nginx", networksAdvanced: unknown.array, networkMode: unknown.string });
        assert.deepStrictEqual(await runPolicy("docker-no-default-bridge", [web]), []);
    });

    it("refuses a policy name the pack does not have", async () => {
        await assert.rejects(() => runPolicy("docker-no-such-thing", []), /no policy named "docker-no-such-thing"/);
    });
});
