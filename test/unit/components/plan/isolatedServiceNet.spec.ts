import * as assert from "assert";
import fc from "fast-check";
import { IsolatedServiceNetArgs } from "../../../../components/args";
import { planIsolatedServiceNet } from "../../../../components/plan/isolatedServiceNet";
import { ContainerPlan, SwarmServicePlan } from "../../../../components/plan/workload";
import { assertRefuses, netPlan, planContext } from "./planContext";

const local = (args: IsolatedServiceNetArgs = {}): IsolatedServiceNetArgs => ({ subnet: "10.20.1.0/24", ...args });
const swarm = (args: IsolatedServiceNetArgs = {}): IsolatedServiceNetArgs => ({ scope: "swarm", subnet: "10.21.1.0/24", ...args });
const plan = (args: IsolatedServiceNetArgs, name = "n") => netPlan(planContext(), name, args);

describe("planIsolatedServiceNet", () => {
    describe("refuses bad input, naming the net, the field and the value", () => {
        const cases: [string, IsolatedServiceNetArgs, string][] = [
            ["an unknown scope", { scope: "overlay" as "swarm" }, 'scope = "overlay": must be "local" (a bridge network) or "swarm" (an overlay network)'],
            ["a non-boolean internal", local({ internal: 1 as unknown as boolean }), "internal = 1: must be true or false"],
            ["a non-boolean interContainer", local({ interContainer: "no" as unknown as boolean }), 'interContainer = "no": must be true or false'],
            ["a non-boolean attachable", swarm({ attachable: "yes" as unknown as boolean }), 'attachable = "yes": must be true or false'],
            ["encrypted on a local net", local({ encrypted: true }), 'encrypted = true: applies to swarm-scope nets only (scope: "swarm"); a bridge network has no such setting'],
            ["attachable on a local net", local({ attachable: false }), 'attachable = false: applies to swarm-scope nets only (scope: "swarm"); a bridge network has no such setting'],
            [
                "interContainer false on a swarm net",
                swarm({ interContainer: false }),
                "interContainer = false: cannot apply to a swarm-scope net: the overlay driver has no switch for traffic between members (only the bridge driver's enable_icc). Put members that must not talk on separate nets",
            ],
            ["a subnet that is not a string", { subnet: 24 as unknown as string }, "subnet = 24: must be a plain string (not an Output or a number)"],
            ["a subnet that is not CIDR", { subnet: "banana" }, 'subnet = "banana": "banana" is not a CIDR block (expected address/prefix, e.g. 10.20.1.0/24)'],
            ["an IPv6 subnet", { subnet: "fd00::/64" }, 'subnet = "fd00::/64": only IPv4 blocks are supported'],
            ["a subnet with host bits", { subnet: "10.20.1.5/24" }, 'subnet = "10.20.1.5/24": host bits are set; did you mean 10.20.1.0/24?'],
            ["a subnet smaller than a /30", { subnet: "10.20.1.0/31" }, 'subnet = "10.20.1.0/31": is too small: a /30 or larger is needed for a gateway and a container'],
            ["a gateway that is no address", local({ gateway: "10.20.1" }), 'gateway = "10.20.1": "10.20.1" is not an IP address'],
            ["a gateway outside the subnet", local({ gateway: "10.20.2.1" }), 'gateway = "10.20.2.1": is outside the subnet 10.20.1.0/24'],
            ["a gateway on the network address", local({ gateway: "10.20.1.0" }), 'gateway = "10.20.1.0": is the network or broadcast address of 10.20.1.0/24'],
            ["an ip range outside the subnet", local({ ipRange: "10.20.0.0/25" }), 'ipRange = "10.20.0.0/25": is not inside the subnet 10.20.1.0/24'],
            ["an ip range with host bits", local({ ipRange: "10.20.1.129/25" }), 'ipRange = "10.20.1.129/25": host bits are set; did you mean 10.20.1.128/25?'],
            ["a pool that is not CIDR", { addressPool: "10.0.0.0" }, 'addressPool = "10.0.0.0": "10.0.0.0" is not a CIDR block (expected address/prefix, e.g. 10.20.1.0/24)'],
            ["a prefix wider than the pool's", { addressPool: "10.1.0.0/24", prefixLength: 16 }, "prefixLength = 16: must be a whole number from 24 (the pool's) to 30"],
            ["a prefix narrower than a /30", { prefixLength: 31 }, "prefixLength = 31: must be a whole number from 9 (the pool's) to 30"],
            ["a fractional prefix", { prefixLength: 24.5 }, "prefixLength = 24.5: must be a whole number from 9 (the pool's) to 30"],
            [
                "a service key that is no DNS name",
                local({ services: { "bad key": { image: "x" } } }),
                "services key = \"bad key\": is not a valid DNS name (letters, digits, '-', '_', '.'; at most 63 characters)",
            ],
            ["aliases that are not a list", local({ services: { a: { image: "x", aliases: "db" as unknown as string[] } } }), 'services.a.aliases = "db": must be a list of names'],
            [
                "an alias that is no DNS name",
                local({ services: { a: { image: "x", aliases: ["ok", "-bad"] } } }),
                "services.a.aliases[1] = \"-bad\": is not a valid DNS name (letters, digits, '-', '_', '.'; at most 63 characters)",
            ],
            [
                "replicas on a local net's service",
                local({ services: { db: { image: "x", replicas: 2 } } }),
                'services.db.replicas = 2: applies to swarm services only: this net is local-scope (a bridge), its services are containers. Set scope: "swarm" on the net, or use containerArgs',
            ],
            [
                "serviceArgs on a local net's service",
                local({ services: { db: { image: "x", serviceArgs: { endpointSpec: {} } } } }),
                'services.db.serviceArgs = ["endpointSpec"]: applies to swarm services only: this net is local-scope (a bridge), its services are containers. Set scope: "swarm" on the net, or use containerArgs',
            ],
            [
                "containerArgs on a swarm service",
                swarm({ services: { db: { image: "x", containerArgs: { restart: "always" } } } }),
                'services.db.containerArgs = ["restart"]: applies to containers only: this net is swarm-scope, its services are swarm services. Use serviceArgs (with containerSpec and taskSpec)',
            ],
            [
                "a static address on a swarm service",
                swarm({ services: { db: { image: "x", ipv4Address: "10.21.1.10" } } }),
                'services.db.ipv4Address = "10.21.1.10": cannot apply to a swarm service: Docker gives each task an address (and the service a virtual IP); reach it by name',
            ],
            ["negative replicas", swarm({ services: { db: { image: "x", replicas: -1 } } }), "services.db.replicas = -1: must be a whole number, 0 or more"],
            ["replicas that are not a number", swarm({ services: { db: { image: "x", replicas: "2" as unknown as number } } }), 'services.db.replicas = "2": must be a whole number, 0 or more'],
            [
                "a service mode together with replicas",
                swarm({ services: { db: { image: "x", replicas: 2, serviceArgs: { mode: { global: true } } } } }),
                'services.db.serviceArgs.mode = {"global":true}: conflicts with replicas = 2: give one of them',
            ],
            ["an environment entry without a value", swarm({ services: { db: { image: "x", envs: ["A=1", "TOKEN"] } } }), 'services.db.envs[1] = "TOKEN": must be KEY=value'],
            ["an environment entry with an empty key", swarm({ services: { db: { image: "x", envs: ["=1"] } } }), 'services.db.envs[0] = "=1": must be KEY=value'],
            ["a static address that is not a string", local({ services: { db: { image: "x", ipv4Address: 9 as unknown as string } } }), "services.db.ipv4Address = 9: must be a plain string (not an Output or a number)"],
            ["a static address that is no address", local({ services: { db: { image: "x", ipv4Address: "db" } } }), 'services.db.ipv4Address = "db": "db" is not an IP address'],
            ["a static address outside the subnet", local({ services: { db: { image: "x", ipv4Address: "10.20.9.9" } } }), 'services.db.ipv4Address = "10.20.9.9": is outside the subnet 10.20.1.0/24 of IsolatedServiceNet "n"'],
            ["a static address on the gateway", local({ services: { db: { image: "x", ipv4Address: "10.20.1.1" } } }), 'services.db.ipv4Address = "10.20.1.1": is the gateway of IsolatedServiceNet "n"'],
            ["a static address on the broadcast address", local({ services: { db: { image: "x", ipv4Address: "10.20.1.255" } } }), 'services.db.ipv4Address = "10.20.1.255": is the network or broadcast address of 10.20.1.0/24'],
            [
                "a static address inside the dynamic range",
                local({ ipRange: "10.20.1.128/25", services: { db: { image: "x", ipv4Address: "10.20.1.200" } } }),
                'services.db.ipv4Address = "10.20.1.200": is inside the dynamic ip range 10.20.1.128/25 of IsolatedServiceNet "n", where Docker may hand it to another container',
            ],
            [
                "two services on one static address",
                local({ services: { a: { image: "x", ipv4Address: "10.20.1.9" }, b: { image: "x", ipv4Address: "10.20.1.9" } } }),
                'services.b.ipv4Address = "10.20.1.9": is already taken by service "a" on IsolatedServiceNet "n"',
            ],
            ["a local subnet too small for its services", { subnet: "10.20.1.0/30", services: { a: { image: "x" }, b: { image: "x" } } }, 'subnet = "10.20.1.0/30": is too small for its 2 services (1 usable addresses)'],
            [
                "a local ip range too small for the services without a static address",
                local({ ipRange: "10.20.1.252/31", services: { a: { image: "x" }, b: { image: "x" }, c: { image: "x" } } }),
                'ipRange = "10.20.1.252/31": is too small for the 3 services without a static address',
            ],
            [
                "a swarm subnet too small for tasks, virtual IPs and load balancer",
                swarm({ subnet: "10.21.1.0/29", services: { db: { image: "x", replicas: 4 } } }),
                'subnet = "10.21.1.0/29": is too small for its services: 4 tasks, 1 virtual IPs and a load-balancer endpoint need 6 addresses, 5 are free',
            ],
            [
                "a swarm ip range too small for them",
                swarm({ ipRange: "10.21.1.128/30", services: { db: { image: "x", replicas: 3 } } }),
                'ipRange = "10.21.1.128/30": is too small for its services: 3 tasks, 1 virtual IPs and a load-balancer endpoint need 5 addresses, 4 are free',
            ],
            ["fractional replicas on a net too small for them (the replicas are named first)", swarm({ subnet: "10.21.1.0/29", services: { db: { image: "x", replicas: 5.5 } } }), "services.db.replicas = 5.5: must be a whole number, 0 or more"],
        ];
        for (const [title, args, problem] of cases) {
            it(`refuses ${title}`, () => assertRefuses(() => plan(args), `IsolatedServiceNet "n": ${problem}`));
        }
    });

    describe("addressing", () => {
        it("writes out the subnet in canonical form and defaults the gateway to its first host, whatever the ip range", () => {
            const net = plan(local({ ipRange: "10.20.1.128/25" }));
            assert.deepStrictEqual([net.subnet, net.gateway, net.ipRange], ["10.20.1.0/24", "10.20.1.1", "10.20.1.128/25"]);
            assert.deepStrictEqual(net.network.ipamConfig, { subnet: "10.20.1.0/24", gateway: "10.20.1.1", ipRange: "10.20.1.128/25" });
            assert.strictEqual(net.ipam.allocated, false);
        });

        it("takes a given gateway", () => {
            assert.strictEqual(plan(local({ gateway: "10.20.1.254" })).gateway, "10.20.1.254");
        });

        it("allocates from the args' pool, else the stack's configured pool, else the default pool, at /24 unless told", () => {
            const inPool = (pool: string, args: IsolatedServiceNetArgs, configured?: string) =>
                planIsolatedServiceNet("auto", args, planContext({ configuredAddressPool: configured })).subnet;
            assert.match(inPool("args", { addressPool: "10.99.0.0/16", prefixLength: 26 }, "192.168.0.0/16"), /^10\.99\.\d+\.\d+\/26$/);
            assert.match(inPool("config", {}, "192.168.0.0/16"), /^192\.168\.\d+\.0\/24$/);
            assert.match(inPool("default", {}), /^10\.(12[89]|1[3-9]\d|2[0-5]\d)\.\d+\.0\/24$/);
            assert.strictEqual(planIsolatedServiceNet("auto", {}, planContext()).ipam.allocated, true);
        });

        it("allocates by project, stack and name: the same plan every run, another for another stack", () => {
            const subnetIn = (stack: string) => planIsolatedServiceNet("auto", {}, planContext({ stack })).subnet;
            assert.strictEqual(subnetIn("dev"), subnetIn("dev"));
            assert.notStrictEqual(subnetIn("dev"), subnetIn("pr-42"));
        });

        it("never moves a net's subnet when another net is added or removed (property)", () => {
            const names = fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9-]{0,11}$/), { minLength: 1, maxLength: 12 });
            // Undefined when two names hash onto one block: that is reported (below), not a move.
            const subnetsOf = (netNames: string[]) => {
                const context = planContext({ configuredAddressPool: "10.0.0.0/8" });
                try {
                    return new Map(netNames.map((name) => [name, planIsolatedServiceNet(name, {}, context).subnet]));
                } catch (err) {
                    if (/overlaps IsolatedServiceNet/.test((err as Error).message)) return undefined;
                    throw err;
                }
            };
            fc.assert(
                fc.property(names, fc.stringMatching(/^[a-z]{1,8}$/), (existing, changed) => {
                    const before = subnetsOf(existing);
                    const after = subnetsOf(existing.includes(changed) ? existing.filter((n) => n !== changed) : [...existing, changed]);
                    fc.pre(before !== undefined && after !== undefined);
                    for (const [name, subnet] of after!) if (before!.has(name)) assert.strictEqual(subnet, before!.get(name), `${name} moved`);
                }),
                { numRuns: 200 },
            );
        });

        it("refuses an allocated subnet that overlaps another net's, naming both, and records neither the failed net nor its names", () => {
            const context = planContext();
            netPlan(context, "first", { addressPool: "10.0.0.0/8", prefixLength: 8 });
            assertRefuses(
                () => netPlan(context, "second", { addressPool: "10.0.0.0/8", prefixLength: 8, services: { db: { image: "x" } } }),
                'IsolatedServiceNet "second": subnet (allocated) = "10.0.0.0/8": overlaps IsolatedServiceNet "first" (10.0.0.0/8, allocated): ' +
                    "the allocator cannot place both without moving one. Pin a subnet (args.subnet) for one of them.",
            );
            assert.strictEqual(context.state.childNames.holderOf("second-db"), undefined);
            assertRefuses(
                () => netPlan(context, "pinned", { subnet: "10.1.0.0/16" }),
                'IsolatedServiceNet "pinned": subnet = "10.1.0.0/16": overlaps IsolatedServiceNet "first" (10.0.0.0/8, allocated): ' +
                    "the allocator cannot place both without moving one. Pin a subnet (args.subnet) for one of them.",
            );
        });

        it("leaves overlapping pinned subnets to the policy, and records nothing for a plan that fails later", () => {
            const context = planContext();
            netPlan(context, "a", { subnet: "10.20.0.0/16" });
            netPlan(context, "b", { subnet: "10.20.1.0/24" });
            assert.throws(() => netPlan(context, "c", { subnet: "10.30.0.0/24", gateway: "10.30.0.0" }));
            assert.throws(() => netPlan(context, "d", { subnet: "10.40.0.0/24", services: { x: { image: "i", replicas: 1 } } }));
            netPlan(context, "e", { addressPool: "10.40.0.0/24", prefixLength: 24 });
        });

        it("records each service's static address on the net's plan, for dual-homed members to check against", () => {
            const net = plan(local({ services: { db: { image: "x", ipv4Address: "10.20.1.10" }, cache: { image: "x" } } }));
            assert.deepStrictEqual(
                net.members.map((member) => [member.key, member.ipv4Address]),
                [["db", "10.20.1.10"], ["cache", undefined]],
            );
            assertRefuses(() => net.ipam.checkStatic("ipv4Address", "10.20.1.10", "X"), 'X: ipv4Address = "10.20.1.10": is already taken by service "db" on IsolatedServiceNet "n"');
        });
    });

    describe("names and the network", () => {
        it("names the network like the net and each member <net>-<key>, Docker names prefixed with project and stack", () => {
            const net = plan(local({ services: { db: { image: "x", aliases: ["postgres", "db"] } } }), "order");
            assert.deepStrictEqual([net.component, net.logicalName, net.dockerName], ['IsolatedServiceNet "order"', "order", "shop-dev-order"]);
            assert.deepStrictEqual([net.network.logicalName, net.network.dockerName], ["order", "shop-dev-order"]);
            const [db] = net.members;
            assert.deepStrictEqual([db.workload.logicalName, db.workload.dockerName], ["order-db", "shop-dev-order-db"]);
            assert.deepStrictEqual(db.aliases, ["db", "postgres"], "the key first, each name once");
            assert.deepStrictEqual(db.workload.labels, {
                "netguard.managed-by": "docker-netguard",
                "netguard.stack": "shop/dev",
                "netguard.net": "order",
                "netguard.service": "db",
            });
        });

        it("makes Docker names Docker accepts from any project and stack", () => {
            const net = planIsolatedServiceNet("my net", local(), planContext({ project: "_my proj", stack: "pr/42" }));
            assert.strictEqual(net.dockerName, "my-proj-pr-42-my-net");
        });

        it("refuses child names that collide across nets, naming both, and claims the names of a net that plans", () => {
            const context = planContext();
            netPlan(context, "a", { subnet: "10.20.1.0/24", services: { "b-c": { image: "x" } } });
            assert.strictEqual(context.state.childNames.holderOf("a-b-c"), 'IsolatedServiceNet "a" (services.b-c)');
            assertRefuses(
                () => netPlan(context, "a-b", { subnet: "10.20.2.0/24", services: { c: { image: "x" } } }),
                'IsolatedServiceNet "a-b": services key = "c": makes the container name "a-b-c", which IsolatedServiceNet "a" (services.b-c) already makes: ' +
                    "both would share a URN and a Docker name. Rename the service or the net",
            );
            assertRefuses(
                () => netPlan(context, "a-b", { scope: "swarm", subnet: "10.20.2.0/24", services: { c: { image: "x" } } }),
                'IsolatedServiceNet "a-b": services key = "c": makes the service name "a-b-c", which IsolatedServiceNet "a" (services.b-c) already makes: ' +
                    "both would share a URN and a Docker name. Rename the service or the net",
            );
        });

        it("plans a local net as a bridge: ICC off when asked, no attachable setting, the user's labels after netguard's", () => {
            const net = plan(local({ internal: true, interContainer: false, labels: { team: "shop" } }), "order");
            assert.deepStrictEqual([net.scope, net.encrypted, net.attachable], ["local", false, false]);
            assert.deepStrictEqual(
                { ...net.network, ipamConfig: undefined },
                {
                    logicalName: "order",
                    dockerName: "shop-dev-order",
                    driver: "bridge",
                    internal: true,
                    ipamConfig: undefined,
                    options: { "com.docker.network.bridge.enable_icc": "false" },
                    labels: { "netguard.managed-by": "docker-netguard", "netguard.stack": "shop/dev", "netguard.net": "order", team: "shop" },
                },
            );
            assert.deepStrictEqual(plan(local()).network.options, {});
            assert.strictEqual(plan(local()).network.internal, false);
        });

        it("plans a swarm net as an overlay, encrypted and not attachable by default", () => {
            const net = plan(swarm());
            assert.deepStrictEqual([net.scope, net.encrypted, net.attachable], ["swarm", true, false]);
            assert.deepStrictEqual([net.network.driver, net.network.attachable, net.network.options], ["overlay", false, { encrypted: "true" }]);
            const open = plan(swarm({ encrypted: false, attachable: true }));
            // Docker encrypts when the option is present at all, even as "false": it must be absent.
            assert.deepStrictEqual([open.network.attachable, open.network.options], [true, {}]);
        });
    });

    describe("members", () => {
        it("plans a local net's services as containers, passing the user's Inputs through untouched", () => {
            const containerArgs = { restart: "always" };
            const command = ["redis-server"];
            const [cache] = plan(local({ services: { cache: { image: "redis:7-alpine", command, envs: ["A"], containerArgs } } })).members;
            const workload = cache.workload as ContainerPlan;
            assert.strictEqual(workload.kind, "container");
            assert.deepStrictEqual(workload.process, { image: "redis:7-alpine", command, envs: ["A"] });
            assert.strictEqual(workload.process.command, command);
            assert.strictEqual(workload.containerArgs, containerArgs);
        });

        it("plans a swarm net's services as swarm services: replicated once by default, or as told, or global", () => {
            const net = plan(
                swarm({
                    services: {
                        db: { image: "postgres", envs: ["POSTGRES_PASSWORD=a=b"], replicas: 2 },
                        cache: { image: "redis", command: ["redis-server"] },
                        agent: { image: "busybox", serviceArgs: { mode: { global: true } } },
                    },
                }),
            );
            const services = Object.fromEntries(net.members.map((member) => [member.key, member.workload as SwarmServicePlan]));
            assert.deepStrictEqual(
                net.members.map((member) => member.workload.kind),
                ["service", "service", "service"],
            );
            assert.deepStrictEqual(services.db.mode, { replicated: { replicas: 2 } });
            assert.deepStrictEqual(services.db.env, { kind: "known", map: { POSTGRES_PASSWORD: "a=b" } });
            assert.deepStrictEqual([services.cache.mode, services.cache.args, services.cache.env], [{ replicated: { replicas: 1 } }, ["redis-server"], undefined]);
            assert.deepStrictEqual(services.agent.mode, { global: true });
        });

        it("takes serviceArgs apart into service, container and task settings", () => {
            const [frontend] = plan(
                swarm({
                    services: {
                        frontend: {
                            image: "nginx",
                            serviceArgs: {
                                labels: [{ label: "team", value: "shop" }],
                                containerSpec: { user: "nginx" },
                                taskSpec: { placement: { constraints: ["node.role==worker"] } },
                            },
                        },
                    },
                }),
            ).members;
            const workload = frontend.workload as SwarmServicePlan;
            assert.deepStrictEqual(workload.serviceArgs, { labels: [{ label: "team", value: "shop" }] });
            assert.deepStrictEqual(workload.containerSpec, { user: "nginx" });
            assert.deepStrictEqual(workload.taskSpec, { placement: { constraints: ["node.role==worker"] } });
        });

        it("leaves an environment that is not a plain list to be checked when it resolves", () => {
            const envs = [Promise.resolve("A=1")];
            const [db] = plan(swarm({ services: { db: { image: "x", envs } } })).members;
            assert.deepStrictEqual((db.workload as SwarmServicePlan).env, { kind: "computed", envs, component: 'IsolatedServiceNet "n"', field: "services.db.envs" });
        });
    });
});
