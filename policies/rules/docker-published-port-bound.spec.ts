import * as assert from "assert";
import { judgeLiveState } from "../../cli/commands/audit/liveRules";
import { policies } from "../pack";
import { topologyFromDocker } from "../../readers/docker/fromDocker";
import { CONTAINER, LOCAL_COMMAND, resource, runPack, runPolicy, unknown } from "../../test/helpers/policyHarness";
import { swarmService } from "../../test/helpers/swarmFixtures";

const POLICY = "docker-published-port-bound";

const onNet = { image: "nginx", networksAdvanced: [{ name: "app" }] };

async function violations(inputs: Record<string, unknown>, type = CONTAINER) {
    return runPolicy(POLICY, [resource(type, "web", inputs)]);
}

async function messages(inputs: Record<string, unknown>, type = CONTAINER): Promise<string[]> {
    return (await violations(inputs, type)).map((v) => v.message);
}

describe(POLICY, () => {
    it("is advisory by default, the one policy of the pack that is", async () => {
        const levels = policies.map((policy) => [policy.name, policy.enforcementLevel]);
        assert.deepStrictEqual(levels.filter(([, level]) => level !== "mandatory"), [[POLICY, "advisory"]]);
        const [violation] = await violations({ ...onNet, ports: [{ internal: 80, external: 8080 }] });
        assert.strictEqual(violation.level, "advisory");
        // The pack's config can still make it mandatory.
        const strict = await runPack([resource(CONTAINER, "web", { ...onNet, ports: [{ internal: 80 }] })], { [POLICY]: "mandatory" });
        assert.deepStrictEqual(strict.filter((v) => v.policy === POLICY).map((v) => v.level), ["mandatory"]);
    });

    it("passes a container with no published port, or ports bound to one address", async () => {
        assert.deepStrictEqual(await messages(onNet), []);
        assert.deepStrictEqual(await messages({ ...onNet, ports: [] }), []);
        assert.deepStrictEqual(await messages({ ...onNet, ports: [{ internal: 80, external: 8080, ip: "127.0.0.1" }, { internal: 53, ip: "10.0.0.5", protocol: "udp" }] }), []);
        assert.deepStrictEqual(await messages({ ...onNet, ports: [{ internal: 80, ip: "::1" }] }), []);
    });

    describe("fails a port published on all host interfaces", () => {
        const cases: [string, Record<string, unknown>, RegExp][] = [
            ["no ip (the provider's default, 0.0.0.0)", { internal: 80, external: 8080 }, /0\.0\.0\.0:8080 -> 80\/tcp/],
            ["0.0.0.0", { internal: 80, external: 8080, ip: "0.0.0.0" }, /0\.0\.0\.0:8080 -> 80\/tcp/],
            ["::", { internal: 53, external: 53, ip: "::", protocol: "udp" }, /:::53 -> 53\/udp/],
            ["no host port", { internal: 80, ip: "0.0.0.0" }, /0\.0\.0\.0:\(a port Docker picks\) -> 80\/tcp/],
        ];
        for (const [what, port, shown] of cases) {
            it(what, async () => {
                const [message, ...rest] = await messages({ ...onNet, ports: [port, { internal: 9000, ip: "127.0.0.1" }] });
                assert.deepStrictEqual(rest, []);
                assert.match(message, /^container "web" publishes a port on every host interface: /);
                assert.match(message, shown);
                assert.doesNotMatch(message, /9000/);
                assert.match(message, /ip: "127\.0\.0\.1"/);
            });
        }
    });

    describe("judges ports as Docker binds them (test/helpers/hostBindingCases.ts has the measurements)", () => {
        const net = (options: string) => `docker network create --subnet 10.20.1.0/24 ${options} app\n`;
        const cases: [string, string, RegExp | undefined][] = [
            ["-P: every port the image exposes, on every interface", `${net("")}docker run -d --name web --network app -P nginx`, /publishes ports on every host interface: every port its image exposes \(-P/],
            ["an internal network: Docker binds nothing", `${net("--internal")}docker run -d --name web --network app -p 8080:80 -P nginx`, undefined],
            ["host network mode: Docker binds nothing", "docker run -d --name web --network host -p 8080:80 nginx", undefined],
            ["a network's host_binding_ipv4 gives the address", `${net("-o com.docker.network.bridge.host_binding_ipv4=127.0.0.1")}docker run -d --name web --network app -p 8080:80 -P nginx`, undefined],
            ["an explicit 0.0.0.0 overrides host_binding_ipv4", `${net("-o com.docker.network.bridge.host_binding_ipv4=127.0.0.1")}docker run -d --name web --network app -p 0.0.0.0:8080:80 nginx`, /0\.0\.0\.0:8080 -> 80\/tcp/],
        ];
        for (const [what, script, shown] of cases) {
            it(what, async () => {
                const found = await messages({ create: script }, LOCAL_COMMAND);
                if (shown === undefined) return assert.deepStrictEqual(found, []);
                assert.strictEqual(found.length, 1, found.join("\n"));
                assert.match(found[0], shown);
            });
        }

        it("a routed gateway mode (28+): only the IPv6 half of a port written without an address is bound on the host", async () => {
            const script = `${net("-o com.docker.network.bridge.gateway_mode_ipv4=routed")}docker run -d --name web --network app -p 8080:80 -p 127.0.0.1:8081:81 nginx`;
            const found = await messages({ create: script }, LOCAL_COMMAND);
            assert.strictEqual(found.length, 2, found.join("\n"));
            assert.match(found[0], /network "app" .*gateway_mode_ipv4=routed/);
            assert.match(found[1], /publishes a port on every host interface: :::8080 -> 80\/tcp\./);
        });
    });

    describe("reads docker run -p as Docker does", () => {
        const cases: [string, string, RegExp | undefined][] = [
            ["-p 8080:80", "docker run -d --name web --network app -p 8080:80 nginx", /\(no address: every interface\):8080 -> 80\/tcp/],
            ["--publish=80/udp", "docker run --network app --publish=80/udp nginx", /:\(a port Docker picks\) -> 80\/udp/],
            ["-p0.0.0.0:8080:80", "docker run --network app -p0.0.0.0:8080:80 nginx", /0\.0\.0\.0:8080 -> 80\/tcp/],
            ["[::]:53:53/udp", "docker run --network app -p '[::]:53:53/udp' nginx", /:::53 -> 53\/udp/],
            ["a range, pairwise", "docker run --network app -p 8000-8001:80-81 nginx", /2 ports .*:8000 -> 80\/tcp, .*:8001 -> 81\/tcp/],
            ["bound to loopback", "docker run --network app -p 127.0.0.1:8080:80 nginx", undefined],
            ["IPv6 loopback", "docker run --network app -p [::1]:8080:80 nginx", undefined],
            ["a malformed value (Docker refuses the command)", "docker run --network app -p 80:http nginx", undefined],
            ["the container's own arguments", "docker run --network app busybox nc -p 80 -l", undefined],
        ];
        for (const [what, script, shown] of cases) {
            it(what, async () => {
                const found = await messages({ create: script }, LOCAL_COMMAND);
                if (shown === undefined) return assert.deepStrictEqual(found, []);
                assert.strictEqual(found.length, 1, found.join("\n"));
                assert.match(found[0], /\(docker command line in command "web"\) publishes/);
                assert.match(found[0], shown);
                assert.match(found[0], /-p IP:HOST_PORT:CONTAINER_PORT/);
            });
        }
    });

    it("does not guess unknown values", async () => {
        assert.deepStrictEqual(await messages({ ...onNet, ports: unknown.array }), []);
        assert.deepStrictEqual(await messages({ ...onNet, ports: [{ internal: 80, ip: unknown.string }] }), []);
        assert.deepStrictEqual(await messages({ create: "docker run --network app -p $PORTS nginx" }, LOCAL_COMMAND), []);
    });

    it("judges live state from the engine's port bindings", () => {
        const topology = topologyFromDocker({
            networks: [],
            containers: [
                {
                    Id: "a".repeat(64),
                    Name: "/open",
                    HostConfig: { NetworkMode: "default", PortBindings: { "80/tcp": [{ HostIp: "", HostPort: "8080" }] } },
                    NetworkSettings: { Ports: { "80/tcp": [{ HostIp: "0.0.0.0", HostPort: "8080" }, { HostIp: "::", HostPort: "8080" }], "443/tcp": null } },
                },
                { Id: "b".repeat(64), Name: "/local", HostConfig: { PortBindings: { "5432/tcp": [{ HostIp: "127.0.0.1", HostPort: "5432" }] } } },
            ],
        });
        assert.deepStrictEqual(topology.containers.map((c) => c.ports), [
            [{ internal: 80, external: 8080, ip: "0.0.0.0", protocol: "tcp" }, { internal: 80, external: 8080, ip: "::", protocol: "tcp" }],
            [{ internal: 5432, external: 5432, ip: "127.0.0.1", protocol: "tcp" }],
        ]);
        const judged = judgeLiveState(topology, new Map()).violations.filter((v) => v.policy === POLICY);
        assert.deepStrictEqual(judged.map((v) => [v.name, v.level]), [["open", "advisory"]]);
    });

    describe("swarm services (endpointSpec.ports)", () => {
        const published = (ports: unknown) => runPolicy(POLICY, [swarmService("web", ["front"], { endpointSpec: { ports } })]);

        it("passes a service that publishes nothing", async () => {
            assert.deepStrictEqual(await runPolicy(POLICY, [swarmService("web", ["front"])]), []);
            assert.deepStrictEqual(await published([]), []);
        });

        it("reports the routing mesh and host mode alike: neither takes a host address", async () => {
            const violations = await published([
                { targetPort: 80, publishedPort: 8080 },
                { targetPort: 53, publishedPort: 5353, protocol: "udp", publishMode: "host" },
                { targetPort: 9000 },
            ]);
            assert.deepStrictEqual(violations.map((v) => [v.name, v.level]), [["web", "advisory"]]);
            assert.match(violations[0].message, /^service "web" publishes 3 ports on every interface of their swarm nodes: /);
            assert.match(violations[0].message, /:8080 -> 80\/tcp, .*:5353 -> 53\/udp, .*\(a port Docker picks\) -> 9000\/tcp/);
            assert.match(violations[0].message, /cannot bind a published port to one address/);
        });

        it("leaves out entries whose target port is unknown, and an unknown port list", async () => {
            assert.deepStrictEqual(await published([{ targetPort: unknown.number, publishedPort: 8080 }]), []);
            assert.deepStrictEqual(await published(unknown.array), []);
            assert.deepStrictEqual(await runPolicy(POLICY, [swarmService("web", ["front"], { endpointSpec: unknown.object })]), []);
        });
    });
});
