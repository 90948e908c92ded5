import * as assert from "assert";
import { DualHomedContainer, DualHomedService, IsolatedServiceNet, IsolatedServiceNetArgs, NetguardInputError } from "../../../components";
import { runInline } from "../../helpers/runInline";

/** Runs `declare` as a program and returns the message it failed with. */
async function failure(declare: () => void): Promise<string> {
    try {
        await runInline(declare);
    } catch (err) {
        return (err as Error).message;
    }
    assert.fail("the program was expected to fail");
}

function net(name: string, args: IsolatedServiceNetArgs): () => void {
    return () => {
        new IsolatedServiceNet(name, args);
    };
}

describe("component input errors", () => {
    it("refuses child names that collide across nets, naming both (net a + service b-c, net a-b + service c)", async () => {
        const message = await failure(() => {
            new IsolatedServiceNet("a", { subnet: "10.20.1.0/24", services: { "b-c": { image: "x" } } });
            new IsolatedServiceNet("a-b", { subnet: "10.20.2.0/24", services: { c: { image: "x" } } });
        });
        assert.match(message, /IsolatedServiceNet "a-b": services key = "c": makes the container name "a-b-c", which IsolatedServiceNet "a" \(services\.b-c\) already makes/);
        const dual = await failure(() => {
            const a = new IsolatedServiceNet("a", { subnet: "10.20.1.0/24", services: { "b-c": { image: "x" } } });
            const b = new IsolatedServiceNet("b", { subnet: "10.20.2.0/24" });
            new DualHomedContainer("a-b-c", { image: "x", attachments: [{ net: a }, { net: b }] });
        });
        assert.match(dual, /DualHomedContainer "a-b-c": name = "a-b-c": is the container name IsolatedServiceNet "a" \(services\.b-c\) already makes/);
    });

    it("lets each program run name its children afresh", async () => {
        for (let run = 0; run < 2; run++) {
            await runInline(() => new IsolatedServiceNet("a", { subnet: "10.20.1.0/24", services: { "b-c": { image: "x" } } }));
        }
    });

    const cases: { title: string; declare: () => void; expected: RegExp }[] = [
        { title: "malformed subnet", declare: net("n", { subnet: "10.20.1.0/33" }), expected: /IsolatedServiceNet "n": subnet = "10\.20\.1\.0\/33": .*prefix/ },
        { title: "subnet that is not CIDR", declare: net("n", { subnet: "banana" }), expected: /IsolatedServiceNet "n": subnet = "banana"/ },
        { title: "subnet with host bits", declare: net("n", { subnet: "10.20.1.5/24" }), expected: /subnet = "10\.20\.1\.5\/24": host bits are set; did you mean 10\.20\.1\.0\/24/ },
        { title: "gateway outside the subnet", declare: net("n", { subnet: "10.20.1.0/24", gateway: "10.20.2.1" }), expected: /IsolatedServiceNet "n": gateway = "10\.20\.2\.1": is outside the subnet 10\.20\.1\.0\/24/ },
        { title: "gateway on the broadcast address", declare: net("n", { subnet: "10.20.1.0/24", gateway: "10.20.1.255" }), expected: /gateway = "10\.20\.1\.255": is the network or broadcast/ },
        { title: "ip range outside the subnet", declare: net("n", { subnet: "10.20.1.0/24", ipRange: "10.20.0.0/25" }), expected: /ipRange = "10\.20\.0\.0\/25": is not inside the subnet/ },
        {
            title: "static address outside the subnet",
            declare: net("n", { subnet: "10.20.1.0/24", services: { db: { image: "x", ipv4Address: "10.20.9.9" } } }),
            expected: /IsolatedServiceNet "n": services\.db\.ipv4Address = "10\.20\.9\.9": is outside the subnet/,
        },
        {
            title: "static address on the gateway",
            declare: net("n", { subnet: "10.20.1.0/24", services: { db: { image: "x", ipv4Address: "10.20.1.1" } } }),
            expected: /services\.db\.ipv4Address = "10\.20\.1\.1": is the gateway/,
        },
        {
            title: "static address inside the dynamic range",
            declare: net("n", { subnet: "10.20.1.0/24", ipRange: "10.20.1.128/25", services: { db: { image: "x", ipv4Address: "10.20.1.200" } } }),
            expected: /services\.db\.ipv4Address = "10\.20\.1\.200": is inside the dynamic ip range 10\.20\.1\.128\/25/,
        },
        {
            title: "duplicate static addresses",
            declare: net("n", { subnet: "10.20.1.0/24", services: { a: { image: "x", ipv4Address: "10.20.1.9" }, b: { image: "x", ipv4Address: "10.20.1.9" } } }),
            expected: /services\.b\.ipv4Address = "10\.20\.1\.9": is already taken by service "a"/,
        },
        {
            title: "subnet too small for its members",
            declare: net("n", { subnet: "10.20.1.0/30", services: { a: { image: "x" }, b: { image: "x" } } }),
            expected: /IsolatedServiceNet "n": subnet = "10\.20\.1\.0\/30": is too small for its 2 services/,
        },
        { title: "invalid alias", declare: net("n", { subnet: "10.20.1.0/24", services: { a: { image: "x", aliases: ["bad name"] } } }), expected: /services\.a\.aliases\[0\] = "bad name"/ },
        { title: "pool that cannot hold the prefix", declare: net("n", { addressPool: "10.1.0.0/24", prefixLength: 16 }), expected: /prefixLength = 16/ },
        {
            title: "fewer than two distinct nets for a dual-homed container",
            declare: () => {
                const a = new IsolatedServiceNet("a", { subnet: "10.20.1.0/24" });
                new DualHomedContainer("api", { image: "x", attachments: [{ net: a }, { net: a }] });
            },
            expected: /DualHomedContainer "api": attachments = \[.*\]: must name at least two distinct nets/,
        },
        {
            title: "a dual-homed static address taken by a service",
            declare: () => {
                const a = new IsolatedServiceNet("a", { subnet: "10.20.1.0/24", services: { db: { image: "x", ipv4Address: "10.20.1.10" } } });
                const b = new IsolatedServiceNet("b", { subnet: "10.20.2.0/24" });
                new DualHomedContainer("api", { image: "x", attachments: [{ net: a, ipv4Address: "10.20.1.10" }, { net: b }] });
            },
            expected: /DualHomedContainer "api": attachments\[0\]\.ipv4Address = "10\.20\.1\.10": is already taken by service "db" on IsolatedServiceNet "a"/,
        },
    ];

    const swarm = (args: IsolatedServiceNetArgs) => net("s", { scope: "swarm", subnet: "10.21.1.0/24", ...args });
    const swarmCases: typeof cases = [
        { title: "an unknown scope", declare: net("n", { scope: "overlay" as "swarm" }), expected: /IsolatedServiceNet "n": scope = "overlay": must be "local" \(a bridge network\) or "swarm"/ },
        { title: "encrypted on a local net", declare: net("n", { subnet: "10.20.1.0/24", encrypted: false }), expected: /IsolatedServiceNet "n": encrypted = false: applies to swarm-scope nets only/ },
        { title: "attachable on a local net", declare: net("n", { subnet: "10.20.1.0/24", attachable: true }), expected: /IsolatedServiceNet "n": attachable = true: applies to swarm-scope nets only/ },
        { title: "a non-boolean encrypted", declare: swarm({ encrypted: "yes" as unknown as boolean }), expected: /IsolatedServiceNet "s": encrypted = "yes": must be true or false/ },
        { title: "interContainer false on a swarm net", declare: swarm({ interContainer: false }), expected: /IsolatedServiceNet "s": interContainer = false: cannot apply to a swarm-scope net: the overlay driver has no switch/ },
        {
            title: "replicas on a local net's service",
            declare: net("n", { subnet: "10.20.1.0/24", services: { db: { image: "x", replicas: 2 } } }),
            expected: /IsolatedServiceNet "n": services\.db\.replicas = 2: applies to swarm services only: this net is local-scope/,
        },
        {
            title: "serviceArgs on a local net's service",
            declare: net("n", { subnet: "10.20.1.0/24", services: { db: { image: "x", serviceArgs: { endpointSpec: {} } } } }),
            expected: /IsolatedServiceNet "n": services\.db\.serviceArgs = \["endpointSpec"\]: applies to swarm services only/,
        },
        {
            title: "containerArgs on a swarm service",
            declare: swarm({ services: { db: { image: "x", containerArgs: { restart: "always" } } } }),
            expected: /IsolatedServiceNet "s": services\.db\.containerArgs = \["restart"\]: applies to containers only: this net is swarm-scope.*serviceArgs/,
        },
        {
            title: "a static address on a swarm service",
            declare: swarm({ services: { db: { image: "x", ipv4Address: "10.21.1.10" } } }),
            expected: /IsolatedServiceNet "s": services\.db\.ipv4Address = "10\.21\.1\.10": cannot apply to a swarm service/,
        },
        { title: "negative replicas", declare: swarm({ services: { db: { image: "x", replicas: -1 } } }), expected: /services\.db\.replicas = -1: must be a whole number, 0 or more/ },
        { title: "fractional replicas", declare: swarm({ services: { db: { image: "x", replicas: 1.5 } } }), expected: /services\.db\.replicas = 1\.5: must be a whole number/ },
        {
            title: "fractional replicas on a net too small for them: the replicas are named, not a capacity counted from them",
            declare: net("s", { scope: "swarm", subnet: "10.21.1.0/29", services: { db: { image: "x", replicas: 5.5 } } }),
            expected: /services\.db\.replicas = 5\.5: must be a whole number/,
        },
        {
            title: "a service mode together with replicas",
            declare: swarm({ services: { db: { image: "x", replicas: 2, serviceArgs: { mode: { global: true } } } } }),
            expected: /services\.db\.serviceArgs\.mode = \{"global":true\}: conflicts with replicas = 2/,
        },
        {
            title: "an environment entry without a value on a swarm service",
            declare: swarm({ services: { db: { image: "x", envs: ["A=1", "TOKEN"] } } }),
            expected: /IsolatedServiceNet "s": services\.db\.envs\[1\] = "TOKEN": must be KEY=value/,
        },
        {
            title: "a swarm net too small for its tasks, virtual IPs and load balancer",
            declare: net("s", { scope: "swarm", subnet: "10.21.1.0/29", services: { db: { image: "x", replicas: 4 } } }),
            expected: /IsolatedServiceNet "s": subnet = "10\.21\.1\.0\/29": is too small for its services: 4 tasks, 1 virtual IPs and a load-balancer endpoint need 6 addresses, 5 are free/,
        },
        {
            title: "a dual-homed service on a local net, naming both",
            declare: () => {
                const a = new IsolatedServiceNet("a", { scope: "swarm", subnet: "10.21.1.0/24" });
                const b = new IsolatedServiceNet("b", { subnet: "10.20.2.0/24" });
                new DualHomedService("api", { image: "x", attachments: [{ net: a }, { net: b }] });
            },
            expected: /DualHomedService "api": attachments\[1\]\.net = "netguard-test-test-b": IsolatedServiceNet "b" is a local-scope net \(a bridge\): a swarm service joins only swarm-scope/,
        },
        {
            title: "a static address on a dual-homed service",
            declare: () => {
                const a = new IsolatedServiceNet("a", { scope: "swarm", subnet: "10.21.1.0/24" });
                const b = new IsolatedServiceNet("b", { scope: "swarm", subnet: "10.21.2.0/24" });
                new DualHomedService("api", { image: "x", attachments: [{ net: a }, { net: b, ipv4Address: "10.21.2.9" } as { net: IsolatedServiceNet }] });
            },
            expected: /DualHomedService "api": attachments\[1\]\.ipv4Address = "10\.21\.2\.9": cannot apply to a swarm service/,
        },
        {
            title: "fewer than two distinct nets for a dual-homed service",
            declare: () => {
                const a = new IsolatedServiceNet("a", { scope: "swarm", subnet: "10.21.1.0/24" });
                new DualHomedService("api", { image: "x", attachments: [{ net: a }] });
            },
            expected: /DualHomedService "api": attachments = \["netguard-test-test-a"\]: must name at least two distinct nets/,
        },
        {
            title: "a dual-homed container on a swarm net that is not attachable, naming both",
            declare: () => {
                const a = new IsolatedServiceNet("a", { scope: "swarm", subnet: "10.21.1.0/24" });
                const b = new IsolatedServiceNet("b", { subnet: "10.20.2.0/24" });
                new DualHomedContainer("api", { image: "x", attachments: [{ net: a }, { net: b }] });
            },
            expected: /DualHomedContainer "api": attachments\[0\]\.net = "netguard-test-test-a": IsolatedServiceNet "a" is a swarm-scope net that is not attachable.*attachable: true/,
        },
        {
            title: "a dual-homed service named like another net's service",
            declare: () => {
                const a = new IsolatedServiceNet("a", { scope: "swarm", subnet: "10.21.1.0/24", services: { "b-c": { image: "x" } } });
                const b = new IsolatedServiceNet("b", { scope: "swarm", subnet: "10.21.2.0/24" });
                new DualHomedService("a-b-c", { image: "x", attachments: [{ net: a }, { net: b }] });
            },
            expected: /DualHomedService "a-b-c": name = "a-b-c": is the service name IsolatedServiceNet "a" \(services\.b-c\) already makes/,
        },
    ];
    cases.push(...swarmCases);

    for (const { title, declare, expected } of cases) {
        it(`rejects ${title}`, async () => {
            assert.match(await failure(declare), expected);
        });
    }

    it("throws NetguardInputError at construction, naming component, field and value", async () => {
        await runInline(() => {
            assert.throws(
                () => new IsolatedServiceNet("n", { subnet: "10.0.0.0/8", gateway: "192.168.0.1" }),
                (err: unknown) =>
                    err instanceof NetguardInputError && err.component === 'IsolatedServiceNet "n"' && err.field === "gateway" && err.value === "192.168.0.1",
            );
        });
    });

    it("reports an allocation collision naming both nets and asking for a pinned subnet", async () => {
        // A /8 pool holds one /8: every allocated net lands on it.
        const message = await failure(() => {
            new IsolatedServiceNet("first", { addressPool: "10.0.0.0/8", prefixLength: 8 });
            new IsolatedServiceNet("second", { addressPool: "10.0.0.0/8", prefixLength: 8 });
        });
        assert.match(message, /IsolatedServiceNet "second".*overlaps IsolatedServiceNet "first".*Pin a subnet/);
    });
});
