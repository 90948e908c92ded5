import * as assert from "assert";
import { IsolatedServiceNetPlan } from "../../../../components/plan/isolatedServiceNet";
import { DualHomedServiceRequest, planDualHomedService } from "../../../../components/plan/dualHomedService";
import { PlanContext } from "../../../../components/programState";
import { assertRefuses, isNetPlan, netPlan, planContext } from "./planContext";

function nets() {
    const context = planContext();
    return {
        context,
        web: netPlan(context, "web", { scope: "swarm", subnet: "10.21.2.0/24" }),
        order: netPlan(context, "order", { scope: "swarm", subnet: "10.21.1.0/24", internal: true }),
        bridge: netPlan(context, "bridge", { subnet: "10.20.2.0/24" }),
    };
}

const dual = (context: PlanContext, args: Omit<DualHomedServiceRequest<IsolatedServiceNetPlan>, "image">, name = "api") =>
    planDualHomedService(name, { image: "node:20-alpine", ...args }, context, isNetPlan);

describe("planDualHomedService", () => {
    it("plans one swarm service, named like the component, on each swarm net with its aliases, in attachment order", () => {
        const { context, web, order } = nets();
        const plan = dual(context, {
            command: ["node", "server.js"],
            replicas: 2,
            attachments: [{ net: web, aliases: ["api-public"] }, { net: order, aliases: ["order-api"] }],
        });
        assert.deepStrictEqual([plan.service.logicalName, plan.service.dockerName], ["api", "shop-dev-api"]);
        assert.deepStrictEqual([plan.service.mode, plan.service.args, plan.service.image], [{ replicated: { replicas: 2 } }, ["node", "server.js"], "node:20-alpine"]);
        assert.strictEqual(plan.service.labels["netguard.dual-homed"], "true");
        assert.deepStrictEqual(plan.attachments, [
            { net: web, aliases: ["api", "api-public"] },
            { net: order, aliases: ["api", "order-api"] },
        ]);
        assert.strictEqual(context.state.childNames.holderOf("api"), 'DualHomedService "api"');
    });

    it("takes a global mode from serviceArgs and a plain environment as a map", () => {
        const { context, web, order } = nets();
        const plan = dual(context, { envs: ["A=1"], serviceArgs: { mode: { global: true } }, attachments: [{ net: web }, { net: order }] });
        assert.deepStrictEqual([plan.service.mode, plan.service.env], [{ global: true }, { kind: "known", map: { A: "1" } }]);
    });

    describe("refuses bad input, naming the component, the field and the value", () => {
        type Args = Omit<DualHomedServiceRequest<IsolatedServiceNetPlan>, "image">;
        const cases: [string, (n: ReturnType<typeof nets>) => Args, string][] = [
            ["one net", ({ web }) => ({ attachments: [{ net: web }] }), 'attachments = ["shop-dev-web"]: must name at least two distinct nets, each once (a workload on one net belongs in its services)'],
            [
                "a local net",
                ({ web, bridge }) => ({ attachments: [{ net: web }, { net: bridge }] }),
                'attachments[1].net = "shop-dev-bridge": IsolatedServiceNet "bridge" is a local-scope net (a bridge): a swarm service joins only swarm-scope (overlay) nets. ' +
                    'Set scope: "swarm" on the net, or use a DualHomedContainer',
            ],
            [
                "a static address",
                ({ web, order }) => ({ attachments: [{ net: web }, { net: order, ipv4Address: "10.21.1.9" } as { net: IsolatedServiceNetPlan }] }),
                'attachments[1].ipv4Address = "10.21.1.9": cannot apply to a swarm service: Docker gives each task its address and route',
            ],
            [
                "a gateway priority",
                ({ web, order }) => ({ attachments: [{ net: web, gwPriority: 1 } as { net: IsolatedServiceNetPlan }, { net: order }] }),
                "attachments[0].gwPriority = 1: cannot apply to a swarm service: Docker gives each task its address and route",
            ],
            ["fractional replicas", ({ web, order }) => ({ replicas: 0.5, attachments: [{ net: web }, { net: order }] }), "replicas = 0.5: must be a whole number, 0 or more"],
            [
                "a mode together with replicas",
                ({ web, order }) => ({ replicas: 1, serviceArgs: { mode: { global: true } }, attachments: [{ net: web }, { net: order }] }),
                'serviceArgs.mode = {"global":true}: conflicts with replicas = 1: give one of them',
            ],
            ["an environment entry without a value", ({ web, order }) => ({ envs: ["TOKEN"], attachments: [{ net: web }, { net: order }] }), 'envs[0] = "TOKEN": must be KEY=value'],
        ];
        for (const [title, args, problem] of cases) {
            it(`refuses ${title}`, () => {
                const n = nets();
                assertRefuses(() => dual(n.context, args(n)), `DualHomedService "api": ${problem}`);
                assert.strictEqual(n.context.state.childNames.holderOf("api"), undefined, "a refused plan claims no name");
            });
        }

        it("refuses the service name another net's service makes, naming it", () => {
            const { context, web } = nets();
            const a = netPlan(context, "a", { scope: "swarm", subnet: "10.21.3.0/24", services: { "b-c": { image: "x" } } });
            assertRefuses(
                () => dual(context, { attachments: [{ net: a }, { net: web }] }, "a-b-c"),
                'DualHomedService "a-b-c": name = "a-b-c": is the service name IsolatedServiceNet "a" (services.b-c) already makes: both would share a Docker name',
            );
        });
    });
});
