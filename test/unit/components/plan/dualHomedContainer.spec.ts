import * as assert from "assert";
import { IsolatedServiceNetPlan } from "../../../../components/plan/isolatedServiceNet";
import { DualHomedContainerRequest, planDualHomedContainer } from "../../../../components/plan/dualHomedContainer";
import { PlanContext } from "../../../../components/programState";
import { assertRefuses, isNetPlan, netPlan, planContext } from "./planContext";

/** Two local nets (one with a static address taken and a dynamic range) and a swarm net of each kind, on one context. */
function nets() {
    const context = planContext();
    return {
        context,
        web: netPlan(context, "web", { subnet: "10.20.2.0/24" }),
        order: netPlan(context, "order", { subnet: "10.20.1.0/24", ipRange: "10.20.1.128/25", services: { db: { image: "x", ipv4Address: "10.20.1.10" } } }),
        overlay: netPlan(context, "overlay", { scope: "swarm", subnet: "10.21.1.0/24" }),
        shared: netPlan(context, "shared", { scope: "swarm", subnet: "10.21.2.0/24", attachable: true }),
    };
}

const dual = (context: PlanContext, args: Omit<DualHomedContainerRequest<IsolatedServiceNetPlan>, "image">, name = "api") =>
    planDualHomedContainer(name, { image: "node:20-alpine", ...args }, context, isNetPlan);

describe("planDualHomedContainer", () => {
    it("plans one container, named like the component, on each net with its aliases, static address and gateway priority", () => {
        const { context, web, order } = nets();
        const plan = dual(context, {
            command: ["node", "server.js"],
            attachments: [
                { net: web, aliases: ["api-public", "api"], gwPriority: 10 },
                { net: order, ipv4Address: "10.20.1.20" },
            ],
        });
        assert.deepStrictEqual([plan.container.logicalName, plan.container.dockerName], ["api", "shop-dev-api"]);
        assert.deepStrictEqual(plan.container.process, { image: "node:20-alpine", command: ["node", "server.js"], envs: undefined });
        assert.strictEqual(plan.container.labels["netguard.dual-homed"], "true");
        assert.deepStrictEqual(plan.attachments, [
            { net: web, aliases: ["api", "api-public"], ipv4Address: undefined, gwPriority: 10 },
            { net: order, aliases: ["api"], ipv4Address: "10.20.1.20", gwPriority: undefined },
        ]);
        assert.strictEqual(context.state.childNames.holderOf("api"), 'DualHomedContainer "api"');
        assertRefuses(() => order.ipam.checkStatic("x", "10.20.1.20"), 'IsolatedServiceNet "order": x = "10.20.1.20": is already taken by DualHomedContainer "api" on IsolatedServiceNet "order"');
    });

    it("joins an attachable swarm net together with a local one", () => {
        const { context, shared, web } = nets();
        assert.deepStrictEqual(
            dual(context, { attachments: [{ net: shared }, { net: web }] }).attachments.map((attachment) => attachment.net.dockerName),
            ["shop-dev-shared", "shop-dev-web"],
        );
    });

    describe("refuses bad input, naming the component, the field and the value", () => {
        const cases: [string, (n: ReturnType<typeof nets>) => DualHomedContainerRequest<IsolatedServiceNetPlan>["attachments"], string][] = [
            ["attachments that are not a list", () => "web" as unknown as [], 'attachments = "web": must be a list of at least two nets'],
            ["an attachment that names no net", ({ web }) => [{ net: web }, { net: "order" as unknown as IsolatedServiceNetPlan }], 'attachments[1].net = "order": must be an IsolatedServiceNet'],
            ["one net", ({ web }) => [{ net: web }], 'attachments = ["shop-dev-web"]: must name at least two distinct nets, each once (a workload on one net belongs in its services)'],
            [
                "one net twice",
                ({ web, order }) => [{ net: web }, { net: order }, { net: web }],
                'attachments = ["shop-dev-web","shop-dev-order","shop-dev-web"]: must name at least two distinct nets, each once (a workload on one net belongs in its services)',
            ],
            [
                "a swarm net that is not attachable",
                ({ overlay, web }) => [{ net: web }, { net: overlay }],
                'attachments[1].net = "shop-dev-overlay": IsolatedServiceNet "overlay" is a swarm-scope net that is not attachable: Docker lets only services join it. ' +
                    "Set attachable: true on the net, or use a DualHomedService",
            ],
            ["a static address that is not a string", ({ web, order }) => [{ net: web, ipv4Address: 7 as unknown as string }, { net: order }], "attachments[0].ipv4Address = 7: must be a plain string (not an Output or a number)"],
            [
                "a static address a service of the net holds",
                ({ web, order }) => [{ net: web }, { net: order, ipv4Address: "10.20.1.10" }],
                'attachments[1].ipv4Address = "10.20.1.10": is already taken by service "db" on IsolatedServiceNet "order"',
            ],
            [
                "a static address in the net's dynamic range",
                ({ web, order }) => [{ net: web }, { net: order, ipv4Address: "10.20.1.200" }],
                'attachments[1].ipv4Address = "10.20.1.200": is inside the dynamic ip range 10.20.1.128/25 of IsolatedServiceNet "order", where Docker may hand it to another container',
            ],
            ["a static address outside the net", ({ web, order }) => [{ net: web, ipv4Address: "10.20.1.20" }, { net: order }], 'attachments[0].ipv4Address = "10.20.1.20": is outside the subnet 10.20.2.0/24 of IsolatedServiceNet "web"'],
            ["a fractional gateway priority", ({ web, order }) => [{ net: web, gwPriority: 1.5 }, { net: order }], "attachments[0].gwPriority = 1.5: must be a whole number"],
            [
                "an alias that is no DNS name",
                ({ web, order }) => [{ net: web }, { net: order, aliases: ["a b"] }],
                "attachments[1].aliases[0] = \"a b\": is not a valid DNS name (letters, digits, '-', '_', '.'; at most 63 characters)",
            ],
        ];
        for (const [title, attachments, problem] of cases) {
            it(`refuses ${title}`, () => {
                const n = nets();
                assertRefuses(() => dual(n.context, { attachments: attachments(n) }), `DualHomedContainer "api": ${problem}`);
            });
        }

        it("refuses args that are not there at all (JavaScript callers)", () => {
            assertRefuses(
                () => planDualHomedContainer("api", undefined as unknown as DualHomedContainerRequest<IsolatedServiceNetPlan>, planContext(), isNetPlan),
                'DualHomedContainer "api": attachments = undefined: must be a list of at least two nets',
            );
        });
    });

    it("refuses the name of another workload, naming it, and then claims no static address", () => {
        const { context, web } = nets();
        const a = netPlan(context, "a", { subnet: "10.20.3.0/24", services: { "b-c": { image: "x" } } });
        assertRefuses(
            () => dual(context, { attachments: [{ net: a }, { net: web, ipv4Address: "10.20.2.5" }] }, "a-b-c"),
            'DualHomedContainer "a-b-c": name = "a-b-c": is the container name IsolatedServiceNet "a" (services.b-c) already makes: both would share a Docker name',
        );
        web.ipam.checkStatic("x", "10.20.2.5");
        dual(context, { attachments: [{ net: a }, { net: web }] }, "api");
        assertRefuses(
            () => dual(context, { attachments: [{ net: a }, { net: web }] }, "api"),
            'DualHomedContainer "api": name = "api": is the container name DualHomedContainer "api" already makes: both would share a Docker name',
        );
    });
});
