import * as assert from "assert";
import { CONTAINER, LOCAL_COMMAND, NETWORK, REMOTE_COMMAND, resource, runPolicy, unknown } from "../../test/helpers/policyHarness";
import { swarmService } from "../../test/helpers/swarmFixtures";

const POLICY = "docker-no-default-bridge";

const net = resource(NETWORK, "app-net", { name: "app", ipamConfigs: [{ subnet: "10.20.1.0/24", gateway: "10.20.1.1" }] });
const onNet = { image: "nginx", networksAdvanced: [{ name: "app" }] };

function container(inputs: Record<string, unknown>) {
    return resource(CONTAINER, "web", { image: "nginx", ...inputs });
}

function command(create: string, extra: Record<string, unknown> = {}) {
    return resource(LOCAL_COMMAND, "setup", { create, ...extra });
}

async function violatedBy(...resources: ReturnType<typeof resource>[]): Promise<string[]> {
    return (await runPolicy(POLICY, [net, ...resources])).map((v) => v.message);
}

describe(POLICY, () => {
    it("passes a container on a user-defined network", async () => {
        assert.deepStrictEqual(await violatedBy(resource(CONTAINER, "web", onNet)), []);
    });

    describe("fails each way onto the default bridge", () => {
        const variants: [string, Record<string, unknown>, RegExp][] = [
            ["no network at all (the provider's default)", { networksAdvanced: undefined }, /container "web" lands on Docker's default bridge:/],
            ['networkMode "bridge" without networksAdvanced', { networksAdvanced: undefined, networkMode: "bridge" }, /\(networkMode "bridge"\)/],
            ['networkMode "default" without networksAdvanced', { networksAdvanced: undefined, networkMode: "default" }, /\(networkMode "default"\)/],
            ["a networksAdvanced entry naming bridge", { networksAdvanced: [{ name: "app" }, { name: "bridge" }] }, /lands on/],
            ["an empty networksAdvanced", { networksAdvanced: [] }, /lands on/],
        ];
        for (const [what, change, message] of variants) {
            it(what, async () => {
                const messages = await violatedBy(container({ ...onNet, ...change }));
                assert.strictEqual(messages.length, 1);
                assert.match(messages[0], message);
                assert.match(messages[0], /Attach it to an IsolatedServiceNet/);
            });
        }
    });

    it('passes networkMode "bridge" next to networksAdvanced, and networkMode naming a user-defined network', async () => {
        assert.deepStrictEqual(await violatedBy(container({ ...onNet, networkMode: "bridge" })), []);
        assert.deepStrictEqual(await violatedBy(container({ networkMode: "app" })), []);
    });

    it("reports on the container resource, mandatory by default", async () => {
        const web = container({});
        const [violation] = await runPolicy(POLICY, [web]);
        assert.deepStrictEqual([violation.resource, violation.name, violation.level], [web.urn, "web", "mandatory"]);
    });

    describe("docker command lines", () => {
        it("passes docker run on a user-defined network", async () => {
            assert.deepStrictEqual(await violatedBy(command("docker run -d --name web --network app nginx")), []);
            assert.deepStrictEqual(await violatedBy(command("docker container create --net=app nginx")), []);
        });

        const variants: [string, string, RegExp][] = [
            ["docker run without --network", "docker run -d --name web nginx", /container "web" \(docker command line in command "setup"\) lands on/],
            ["docker run --network bridge", "docker run -d --name web --network bridge nginx", /\(--network bridge\)/],
            ["docker create --net=default", "docker create --name web --net=default nginx", /\(--network default\)/],
            // The container must exist: Docker refuses to connect one nothing creates.
            ["docker network connect bridge", "docker run -d --name web --network app nginx\ndocker network connect bridge web", /container "web" .* lands on/],
            ["an unnamed docker run on line 2", "set -e\nsudo docker run nginx", /container "setup line 2"/],
        ];
        for (const [what, script, message] of variants) {
            it(`fails ${what}`, async () => {
                const cmd = command(script);
                const violations = await runPolicy(POLICY, [net, cmd]);
                assert.deepStrictEqual(violations.map((v) => v.resource), [cmd.urn]);
                assert.match(violations[0].message, message);
                assert.match(violations[0].message, /Give it --network <a user-defined network>/);
            });
        }

        it("reads remote commands and the update and delete scripts too", async () => {
            const remote = resource(REMOTE_COMMAND, "remote", { create: "true", update: "docker run --name u nginx", delete: "docker run --name d nginx" });
            const messages = (await runPolicy(POLICY, [remote])).map((v) => v.message);
            assert.strictEqual(messages.length, 2);
            assert.match(messages[0], /container "u" .* lands on/);
            assert.match(messages[1], /container "d" .* lands on/);
        });
    });

    describe("unknown values", () => {
        const cases: [string, Record<string, unknown>][] = [
            ["networksAdvanced unknown", { networksAdvanced: unknown.array }],
            ["networkMode unknown", { networkMode: unknown.string }],
            ["a networksAdvanced entry with an unknown name", { networksAdvanced: [{ name: unknown.string }] }],
        ];
        for (const [what, inputs] of cases) {
            it(`does not judge ${what}`, async () => {
                assert.deepStrictEqual(await violatedBy(container(inputs)), []);
            });
        }

        it("still judges what is known: an unknown name next to an entry naming bridge", async () => {
            assert.strictEqual((await violatedBy(container({ networksAdvanced: [{ name: unknown.string }, { name: "bridge" }] }))).length, 1);
        });

        it("skips unknown scripts and networks hidden in unknown variables or options", async () => {
            assert.deepStrictEqual(await violatedBy(command(unknown.string)), []);
            assert.deepStrictEqual(await violatedBy(command("docker run --network $NET nginx")), []);
            assert.deepStrictEqual(await violatedBy(command("docker run $DOCKER_OPTS --name web nginx")), []);
            assert.deepStrictEqual(await violatedBy(command("docker run --network $NET nginx", { environment: unknown.object })), []);
        });

        it("uses the command's environment when it is known", async () => {
            const messages = await violatedBy(command("docker run --network $NET nginx", { environment: { NET: "bridge" } }));
            assert.strictEqual(messages.length, 1);
        });
    });

    describe("swarm services: their tasks are containers", () => {
        it("fails a service that names no network and publishes nothing through the routing mesh: Docker runs its tasks on the default bridge", async () => {
            for (const lonely of [
                swarmService("lonely", undefined),
                swarmService("lonely", []),
                swarmService("lonely", undefined, { endpointSpec: { ports: [{ targetPort: 80, publishedPort: 8080, publishMode: "host" }] } }),
            ]) {
                const messages = await violatedBy(lonely);
                assert.strictEqual(messages.length, 1, JSON.stringify(lonely.inputs));
                assert.match(messages[0], /^service "lonely" names no network, so Docker runs its tasks on their node's default bridge: /);
                assert.match(messages[0], /IsolatedServiceNet \(scope: "swarm"\)/);
            }
        });

        it("fails a docker service create line without --network, with the command-line fix", async () => {
            const [message, ...rest] = await violatedBy(command("docker service create --name lonely img"));
            assert.deepStrictEqual(rest, []);
            assert.match(message, /^service "lonely" \(docker command line in command "setup"\) names no network, .*Give it --network <an overlay network>/);
        });

        it("passes a service on a network, one publishing through the routing mesh (on ingress, not the bridge), and one naming bridge (Docker refuses that: docker-service-user-network's)", async () => {
            const published = { endpointSpec: { ports: [{ targetPort: 80, publishedPort: 8080 }] } };
            assert.deepStrictEqual(
                await violatedBy(swarmService("db", ["app"]), swarmService("web", undefined, published), swarmService("odd", ["bridge"]), swarmService("agent", ["host"])),
                [],
            );
            assert.deepStrictEqual(await violatedBy(command("docker service create --network bridge img"), swarmService("u", [{ name: unknown.string }])), []);
        });
    });
});
